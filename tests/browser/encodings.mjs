// Loads one page in headless Chromium and prints, as one JSON line, what
// the browser made of it: every <img> (its natural size) and every element
// with a data-before attribute (the computed content of its ::before).
//
//   node encodings.mjs <url>

import { launch } from "./launch.mjs";

const [url] = process.argv.slice(2);
const { page, close } = await launch("encodings");
try {
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
  await close();
}
