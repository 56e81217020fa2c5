// Loads one page in headless Chromium and prints, as one JSON line, what
// the browser made of it: every <img> (its natural size) and every element
// with a data-before attribute (the computed content of its ::before).
//
//   node encodings.mjs <url>

import { chromium } from "playwright-core";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [url] = process.argv.slice(2);
const profile = mkdtempSync(join(tmpdir(), "asset-encodings-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
try {
  const page = context.pages()[0] ?? (await context.newPage());
  const errors = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  const response = await page.goto(url, { waitUntil: "load" });
  const state = await page.evaluate(() => ({
    images: [...document.images].map((i) => ({ src: i.src, width: i.naturalWidth, height: i.naturalHeight })),
    before: [...document.querySelectorAll("[data-before]")].map((e) => ({
      id: e.id,
      content: getComputedStyle(e, "::before").content,
    })),
  }));
  process.stdout.write(JSON.stringify({ status: response.status(), errors, ...state }) + "\n");
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
