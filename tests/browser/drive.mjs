// Drives headless Chromium against a running demo, the way a visitor meets
// it: first visit, second visit, then (after the caller swaps the server for
// a new release on the same address) a visit to the new release.
//
//   node drive.mjs <base-url> <expected-colour> <new-colour> <screenshot.png>
//
// Prints one JSON object per line on stdout. After the second visit it
// prints {"event":"switch"} and waits for a line on stdin before visiting
// the new release. Exits non-zero, with the reason on stderr, on the first
// failed check.

import { check, closeInput, emit, launch, nextLine } from "./launch.mjs";

const [base, colour1, colour2, screenshot] = process.argv.slice(2);
const HASHED = /\.[0-9a-f]{16}(\.[^/.]+)?(\?|#|$)/;


const { context, page, close } = await launch("browser", { viewport: { width: 1200, height: 900 } });

try {
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");

  // Everything the browser does, per visit.
  let log;
  const reset = () => {
    log = { requests: new Map(), responses: new Map(), raw: new Map(), cached: new Set(), failed: [], console: [] };
  };
  reset();
  cdp.on("Network.requestWillBeSent", (e) => log.requests.set(e.requestId, e.request.url));
  cdp.on("Network.requestServedFromCache", (e) => log.cached.add(e.requestId));
  cdp.on("Network.responseReceived", (e) => log.responses.set(e.requestId, e.response));
  // The status line as it came off the wire (a revalidated response shows
  // its 304 here, while the page sees the cached 200).
  cdp.on("Network.responseReceivedExtraInfo", (e) => log.raw.set(e.requestId, e.statusCode));
  cdp.on("Network.loadingFailed", (e) =>
    log.failed.push(`${log.requests.get(e.requestId)}: ${e.errorText} ${e.blockedReason ?? ""}`),
  );
  page.on("console", (m) => {
    if (m.type() === "error") log.console.push(m.text());
  });
  page.on("pageerror", (err) => log.console.push(String(err)));

  // The status line of the page's own request, as it came off the wire.
  function documentStatus(url) {
    return [...log.requests].filter(([, u]) => u === url).map(([id]) => log.raw.get(id) ?? null);
  }

  async function visit(url, how = "goto") {
    reset();
    const response =
      how === "reload" ? await page.reload({ waitUntil: "load" }) : await page.goto(url, { waitUntil: "load" });
    check(response && response.status() === 200, `${url} answered ${response?.status()}`);
    await page.evaluate(() => document.fonts.ready);
    // Let late events (fonts, source maps) arrive.
    await page.waitForTimeout(300);
    return page.evaluate(() => ({
      colour: getComputedStyle(document.querySelector("h1")).color,
      bodyFont: getComputedStyle(document.body).fontFamily,
      fontLoaded: [...document.fonts].some((f) => f.family.replace(/"/g, "") === "DemoSans" && f.status === "loaded"),
      fontCheck: document.fonts.check('16px "DemoSans"'),
      js: document.querySelector("#js-status")?.textContent,
      jsFlag: document.documentElement.dataset.js,
      stylesheet: document.querySelector('link[rel="stylesheet"]')?.href,
      subresources: [...document.querySelectorAll('link[rel="stylesheet"], script[src]')].map((e) => ({
        url: e.href || e.src,
        integrity: e.getAttribute("integrity"),
      })),
      resources: performance.getEntriesByType("resource").map((r) => ({
        url: r.name,
        transferSize: r.transferSize,
        status: r.responseStatus,
      })),
    }));
  }

  function checkRendered(state, colour, label) {
    check(state.colour === colour, `${label}: h1 colour is ${state.colour}, expected ${colour} (stylesheet not applied?)`);
    check(state.bodyFont.includes("DemoSans"), `${label}: body font is ${state.bodyFont}`);
    check(state.fontLoaded && state.fontCheck, `${label}: the DemoSans web font did not load`);
    check(state.js === "JavaScript ran" && state.jsFlag === "ok", `${label}: the script did not run (${state.js})`);
    check(state.subresources.length >= 2, `${label}: expected a stylesheet and a script`);
    for (const s of state.subresources) {
      check(s.integrity && s.integrity.startsWith("sha384-"), `${label}: ${s.url} has no integrity attribute`);
    }
    for (const [id, response] of log.responses) {
      check(response.status < 400, `${label}: ${log.requests.get(id)} answered ${response.status}`);
    }
    check(log.failed.length === 0, `${label}: failed or blocked requests: ${log.failed.join(" | ")}`);
    check(log.console.length === 0, `${label}: console errors: ${log.console.join(" | ")}`);
  }

  // 1. First visit: everything from the network.
  const first = await visit(base + "/");
  checkRendered(first, colour1, "first visit");
  const fetched = first.resources.filter((r) => r.url.startsWith(base));
  check(fetched.some((r) => HASHED.test(r.url)), "first visit: no hashed asset was loaded");
  await page.screenshot({ path: screenshot, fullPage: true });
  emit({ event: "first", stylesheet: first.stylesheet, resources: fetched });

  // 2. Second visit: every hashed asset comes from the browser's cache.
  const second = await visit(base + "/");
  checkRendered(second, colour1, "second visit");
  const hashed = second.resources.filter((r) => r.url.startsWith(base) && HASHED.test(r.url));
  check(hashed.length > 0, "second visit: no hashed asset in the page");
  for (const r of hashed) {
    check(r.transferSize === 0, `second visit: ${r.url} went to the network (${r.transferSize} bytes)`);
  }
  for (const [id, url] of log.requests) {
    if (!HASHED.test(url)) continue;
    const response = log.responses.get(id);
    const fromCache = log.cached.has(id) || response?.fromDiskCache || response?.fromMemoryCache;
    check(fromCache, `second visit: ${url} was requested from the server`);
  }
  // The page itself (`no-cache` and a validator) was revalidated: a 304.
  const secondDocument = documentStatus(base + "/");
  check(secondDocument.includes(304), `second visit: the page answered ${JSON.stringify(secondDocument)}, expected a 304`);
  emit({ event: "second", fromCache: hashed.map((r) => r.url), document: secondDocument });

  // A reload revalidates the page too, and the assets stay cached.
  const reloaded = await visit(base + "/", "reload");
  checkRendered(reloaded, colour1, "reload");
  const reloadDocument = documentStatus(base + "/");
  check(reloadDocument.includes(304), `reload: the page answered ${JSON.stringify(reloadDocument)}, expected a 304`);
  emit({ event: "reload", document: reloadDocument });

  // 3. A logical URL revalidates: the second fetch is a 304.
  const logical = base + "/static/css/app.css";
  const statuses = [];
  for (let i = 0; i < 2; i++) {
    reset();
    await page.evaluate((u) => fetch(u).then((r) => r.text()), logical);
    await page.waitForTimeout(100);
    statuses.push(
      [...log.requests].filter(([, url]) => url === logical).map(([id]) => log.raw.get(id) ?? null),
    );
  }
  check(statuses[0].includes(200), `logical URL: first fetch ${JSON.stringify(statuses[0])}`);
  check(statuses[1].includes(304), `logical URL: second fetch ${JSON.stringify(statuses[1])}, expected a 304 revalidation`);
  emit({ event: "logical", statuses });

  // 4. The caller deploys a new release on the same address.
  emit({ event: "switch" });
  check((await nextLine()) !== null, "no go-ahead for the new release");

  // A plain reload (not a hard one) shows the new release at once: its
  // validator no longer matches, so the server sends the new page.
  const third = await visit(base + "/", "reload");
  checkRendered(third, colour2, "new release");
  const thirdDocument = documentStatus(base + "/");
  check(thirdDocument.includes(200) && !thirdDocument.includes(304), `new release: the page answered ${JSON.stringify(thirdDocument)}, expected the new page (200)`);
  check(third.stylesheet !== first.stylesheet, "new release: the stylesheet URL did not change");
  const css = third.resources.find((r) => r.url === third.stylesheet);
  check(css && css.transferSize > 0, `new release: ${third.stylesheet} was not fetched from the network`);
  check(!third.resources.some((r) => r.url === first.stylesheet), "new release: the old stylesheet was loaded");
  emit({ event: "new-release", stylesheet: third.stylesheet });
  emit({ event: "done" });
} finally {
  closeInput();
  await close();
}
process.exit(0);
