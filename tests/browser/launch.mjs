// What every browser script here shares: Debian's Chromium, headless, in a
// fresh profile that is removed afterwards, with nothing of Chromium's own
// going to the network (loopback only); and the way a script talks to the
// test that runs it: one JSON event a line on stdout, go-aheads on stdin,
// and a failed check on stderr with a non-zero exit.

import { chromium } from "playwright-core";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";

// Ends the script with the reason on stderr.
export function fail(message) {
  process.stderr.write(`browser check failed: ${message}\n`);
  process.exit(1);
}

export function check(condition, message) {
  if (!condition) fail(message);
}

// One event, as one line of JSON on stdout.
export function emit(object) {
  process.stdout.write(JSON.stringify(object) + "\n");
}

// Standard input is read only by scripts that wait for a go-ahead: a
// reader left open would keep the others running.
let input = null;
let lines = null;

// The next line on stdin, or null at its end.
export async function nextLine() {
  if (input === null) {
    input = createInterface({ input: process.stdin });
    lines = input[Symbol.asyncIterator]();
  }
  const line = await lines.next();
  return line.done ? null : line.value;
}

// Stops reading stdin.
export function closeInput() {
  input?.close();
}

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
