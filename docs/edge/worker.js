// An edge function in front of a bucket that `publish-assets --precompressed`
// filled (Cloudflare Workers syntax; Fastly Compute and Deno take the same
// shape). It sends a delta (RFC 9842) to a client that names its
// dictionary, and the plain object to any other. Not run by the tests: the
// nginx rule beside it is (tests/tests/cdn_deltas.rs).
//
// BUCKET is the public base URL of the published prefix, such as
// https://assets.example.com/static (no trailing slash).
const BUCKET = "https://assets.example.com/static";

// `:<base64>:`, 32 bytes: the SHA-256 of the client's dictionary, in hex.
function dictionaryHex(value) {
  const m = /^\s*:([A-Za-z0-9+/]{43}=):\s*$/.exec(value || "");
  if (!m) return null;
  return [...atob(m[1])].map((c) => c.charCodeAt(0).toString(16).padStart(2, "0")).join("");
}

// The dictionary coding the client lists by name: dcb first.
function deltaCoding(acceptEncoding) {
  const listed = (acceptEncoding || "")
    .split(",")
    .map((e) => e.trim().split(";"))
    .filter(([, q]) => !q || !/^\s*q\s*=\s*0(\.0*)?\s*$/i.test(q))
    .map(([c]) => c.toLowerCase());
  return ["dcb", "dcz"].find((c) => listed.includes(c)) || null;
}

function withVary(response, extra) {
  const headers = new Headers(response.headers);
  headers.set("Vary", "Accept-Encoding, Available-Dictionary");
  for (const [name, value] of Object.entries(extra)) headers.set(name, value);
  return new Response(response.body, { status: response.status, headers });
}

export default {
  async fetch(request) {
    const path = new URL(request.url).pathname.replace(/^\/static/, "");
    const hex = dictionaryHex(request.headers.get("Available-Dictionary"));
    const coding = deltaCoding(request.headers.get("Accept-Encoding"));
    if (hex && coding) {
      // Stored only where the delta beats brotli: a miss falls through.
      const delta = await fetch(`${BUCKET}${path}.${hex}.${coding}`);
      if (delta.ok) {
        // The bytes are already encoded: pass them through untouched.
        return withVary(delta, { "Content-Encoding": coding });
      }
    }
    return withVary(await fetch(`${BUCKET}${path}`), {});
  },
};
