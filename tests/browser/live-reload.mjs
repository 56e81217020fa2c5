// Opens a development-mode demo page in headless Chromium, waits for the
// caller to edit the stylesheet on disk, and reports whether the open page
// showed the new colour by itself (no navigation by this script).
//
//   node live-reload.mjs <base-url>
//
// Prints {"event":"loaded",...} once the page has its first answer from the
// live-reload endpoint (so it knows the version before the edit), waits for
// a line on stdin, then prints {"event":"after",...} once the colour
// changed or 5 s passed (with the milliseconds it took). The whole run is
// bounded to 60 s.

import { emit, launch, nextLine } from "./launch.mjs";

const [base] = process.argv.slice(2);
setTimeout(() => {
  emit({ event: "timeout" });
  process.exit(3);
}, 60_000).unref();
const { page, close } = await launch("live-reload");
try {
  let navigations = 0;
  page.on("framenavigated", (frame) => {
    if (frame === page.mainFrame()) navigations += 1;
  });
  const firstVersion = page.waitForResponse((r) => r.url().includes("/__asset_dev/"), {
    timeout: 10_000,
  });
  await page.goto(base + "/", { waitUntil: "load" });
  await firstVersion;
  const colour = () => page.evaluate(() => getComputedStyle(document.querySelector("h1")).color).catch(() => null);
  const before = await colour();
  emit({ event: "loaded", colour: before, navigations });
  await nextLine();
  const start = Date.now();
  const deadline = start + 5_000;
  let after = before;
  while (Date.now() < deadline) {
    await page.waitForTimeout(200);
    after = await colour();
    if (after !== null && after !== before) break;
  }
  emit({ event: "after", colour: after, navigations, ms: Date.now() - start });
} finally {
  await close();
}
process.exit(0);
