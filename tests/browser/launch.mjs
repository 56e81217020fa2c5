// What every browser script here shares: Debian's Chromium, headless, in a
// fresh profile that is removed afterwards, with nothing of Chromium's own
// going to the network (loopback only).

import { chromium } from "playwright-core";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// Starts Chromium in a new profile named after `name`; `options` are
// playwright's (a viewport, say). Returns the context, its first page,
// and `close()`, which also removes the profile.
export async function launch(name, options = {}) {
  const profile = mkdtempSync(join(tmpdir(), `asset-${name}-`));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    ...options,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-quic",
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const close = async () => {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  };
  return { context, page, close };
}
