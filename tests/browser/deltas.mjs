// Delta updates in headless Chromium: a visitor loads release 1, the
// caller deploys release 2 on the same address, the visitor reloads; the
// new stylesheet and script must be requested with `Available-Dictionary`
// (release 1's copies, kept as dictionaries) and arrive as deltas, and the
// page must work (stylesheet applied, script run, integrity checked).
//
//   node deltas.mjs <base-url> <colour-1> <colour-2>
//
// Prints one JSON object per line on stdout: {"event":"first",...}, then
// {"event":"switch"}, after which it waits for a line on stdin; then
// {"event":"reloaded", "assets": [...]} with, for each stylesheet and
// script, the headers sent and received and the body bytes. Exits
// non-zero, with the reason on stderr, on the first failed check.

import { check, closeInput, emit, launch, nextLine } from "./launch.mjs";

const [base, colour1, colour2] = process.argv.slice(2);


const { context, page, close } = await launch("deltas");

try {
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");

  let log;
  const reset = () => {
    log = { urls: new Map(), sent: new Map(), received: new Map(), finished: new Map(), failed: [], console: [] };
  };
  reset();
  const lower = (headers) => Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  cdp.on("Network.requestWillBeSent", (e) => log.urls.set(e.requestId, e.request.url));
  // The headers as they went on and came off the wire.
  cdp.on("Network.requestWillBeSentExtraInfo", (e) => log.sent.set(e.requestId, lower(e.headers)));
  cdp.on("Network.responseReceivedExtraInfo", (e) =>
    log.received.set(e.requestId, { status: e.statusCode, headers: lower(e.headers) }),
  );
  cdp.on("Network.loadingFinished", (e) => log.finished.set(e.requestId, e.encodedDataLength));
  cdp.on("Network.loadingFailed", (e) => log.failed.push(`${log.urls.get(e.requestId)}: ${e.errorText}`));
  page.on("console", (m) => {
    if (m.type() === "error") log.console.push(m.text());
  });
  page.on("pageerror", (err) => log.console.push(String(err)));

  async function visit(how) {
    reset();
    const response = how === "reload" ? await page.reload({ waitUntil: "load" }) : await page.goto(base + "/", { waitUntil: "load" });
    check(response && response.status() === 200, `the page answered ${response?.status()}`);
    // Let the dictionaries be stored and late events arrive.
    await page.waitForTimeout(1000);
    return page.evaluate(() => ({
      colour: getComputedStyle(document.querySelector("h1")).color,
      js: document.querySelector("#js-status")?.textContent,
      release: document.documentElement.dataset.release ?? null,
      subresources: [...document.querySelectorAll('link[rel="stylesheet"], script[src]')].map((e) => ({
        url: e.href || e.src,
        integrity: e.getAttribute("integrity"),
      })),
    }));
  }

  function checkWorks(state, colour, label) {
    check(state.colour === colour, `${label}: h1 colour is ${state.colour}, expected ${colour}`);
    check(state.js === "JavaScript ran", `${label}: the script did not run (${state.js})`);
    check(state.subresources.length >= 2, `${label}: expected a stylesheet and a script`);
    for (const s of state.subresources) {
      check(s.integrity && s.integrity.startsWith("sha384-"), `${label}: ${s.url} has no integrity attribute`);
    }
    check(log.failed.length === 0, `${label}: failed or blocked requests: ${log.failed.join(" | ")}`);
    check(log.console.length === 0, `${label}: console errors: ${log.console.join(" | ")}`);
  }

  // What the wire said about each of the page's stylesheets and scripts.
  function exchanges(state) {
    return state.subresources.map(({ url }) => {
      const id = [...log.urls].find(([, u]) => u === url)?.[0];
      check(id !== undefined, `${url} was not requested`);
      const sent = log.sent.get(id) ?? {};
      const received = log.received.get(id) ?? { headers: {} };
      return {
        url,
        acceptEncoding: sent["accept-encoding"] ?? null,
        availableDictionary: sent["available-dictionary"] ?? null,
        status: received.status ?? null,
        contentEncoding: received.headers["content-encoding"] ?? null,
        contentLength: Number(received.headers["content-length"] ?? -1),
        useAsDictionary: received.headers["use-as-dictionary"] ?? null,
        vary: received.headers["vary"] ?? null,
        encodedDataLength: log.finished.get(id) ?? null,
      };
    });
  }

  // 1. Release 1: the stylesheet and script offer themselves as dictionaries.
  const first = await visit("goto");
  checkWorks(first, colour1, "release 1");
  const offered = exchanges(first);
  for (const e of offered) {
    check(e.useAsDictionary && e.useAsDictionary.startsWith("match="), `release 1: ${e.url} offers no dictionary`);
  }
  emit({ event: "first", assets: offered });

  // 2. The caller deploys release 2 on the same address.
  emit({ event: "switch" });
  check((await nextLine()) !== null, "no go-ahead for the new release");

  // 3. A plain reload: the new page names new URLs, fetched as deltas.
  const second = await visit("reload");
  checkWorks(second, colour2, "release 2");
  check(second.release === "2", `release 2: the new script did not run (data-release=${second.release})`);
  emit({ event: "reloaded", assets: exchanges(second) });
} finally {
  closeInput();
  await close();
}
process.exit(0);
