// Opens a development-mode demo page in headless Chromium, waits for the
// caller to edit the stylesheet on disk, and reports whether the open page
// showed the new colour by itself (no navigation by this script).
//
//   node live-reload.mjs <base-url>
//
// Prints {"event":"loaded",...}, waits for a line on stdin, then prints
// {"event":"after",...} once the colour changed or 10 s passed.

import { chromium } from "playwright-core";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";

const [base] = process.argv.slice(2);
const emit = (o) => process.stdout.write(JSON.stringify(o) + "\n");
const stdin = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const profile = mkdtempSync(join(tmpdir(), "asset-live-reload-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
try {
  const page = context.pages()[0] ?? (await context.newPage());
  let navigations = 0;
  page.on("framenavigated", (frame) => {
    if (frame === page.mainFrame()) navigations += 1;
  });
  await page.goto(base + "/", { waitUntil: "load" });
  const colour = () => page.evaluate(() => getComputedStyle(document.querySelector("h1")).color).catch(() => null);
  const before = await colour();
  emit({ event: "loaded", colour: before, navigations });
  await stdin.next();
  const deadline = Date.now() + 10_000;
  let after = before;
  while (Date.now() < deadline) {
    await page.waitForTimeout(200);
    after = await colour();
    if (after !== null && after !== before) break;
  }
  emit({ event: "after", colour: after, navigations });
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
process.exit(0);
