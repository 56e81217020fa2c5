//! Every row of the serving table and every rule of the HTTP core, over
//! real TCP on loopback with a real HTTP client, against every adapter:
//! each test runs its checks once per adapter. One module per topic:
//!
//! | module | what |
//! |---|---|
//! | `caching` | Cache-Control of hashed and logical paths, the shape of hashed names, and another release's hash during a rolling deploy. |
//! | `methods_and_paths` | Methods (HEAD, 405) and paths (unknown, empty files, names that need percent-encoding). |
//! | `negotiation` | Accept-Encoding, per-encoding ETags and bodies, content types, and headers that do not parse. |
//! | `dictionaries` | Use-As-Dictionary, and dcb / dcz deltas for a client that names an earlier version (RFC 9842). |
//! | `conditionals` | If-None-Match, If-Match and their order (RFC 9110 §13.2.2), and the headers that 304 and 206 repeat from the 200. |
//! | `encodings` | `.svgz` sent with `Content-Encoding: gzip`; a `charset` only where the bytes are UTF-8. |
//! | `ranges` | Range and If-Range: 206, 416, and ranges that are ignored. |
//! | `table` | The table, its manifest, `asset!` and the core called directly: the checks that need no HTTP server. |

mod caching;
mod conditionals;
mod dictionaries;
mod encodings;
mod methods_and_paths;
mod negotiation;
mod ranges;
mod table;

use asset_tests::servers::Adapter;
use asset_tests::{ASSETS, client, decode, source_bytes};
use base64::Engine;
use reqwest::{Method, StatusCode};
use sha2::{Digest, Sha384};

const IMMUTABLE: &str = "public, max-age=31536000, immutable";

struct Server {
    adapter: Adapter,
    base: &'static str,
    client: reqwest::Client,
}

/// A client for each adapter's server. The adapter's name goes to stderr,
/// which the test harness shows when an assertion fails.
fn servers() -> impl Iterator<Item = Server> {
    Adapter::ALL.into_iter().map(|adapter| {
        eprintln!("adapter: {adapter:?}");
        Server {
            adapter,
            base: adapter.base(),
            client: client(),
        }
    })
}

impl Server {
    async fn get(&self, path: &str, headers: &[(&str, &str)]) -> reqwest::Response {
        self.send(Method::GET, path, headers).await
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
    ) -> reqwest::Response {
        let raw: Vec<(&str, &[u8])> = headers.iter().map(|(n, v)| (*n, v.as_bytes())).collect();
        self.send_raw(method, path, &raw).await
    }

    /// Like `send`, with header values as bytes (obs-text included).
    async fn send_raw(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &[u8])],
    ) -> reqwest::Response {
        let mut request = self.client.request(method, format!("{}{path}", self.base));
        for (name, value) in headers {
            let value = reqwest::header::HeaderValue::from_bytes(value).unwrap();
            request = request.header(*name, value);
        }
        request.send().await.unwrap()
    }
}

fn h<'a>(response: &'a reqwest::Response, name: &str) -> Option<&'a str> {
    response.headers().get(name).map(|v| v.to_str().unwrap())
}

fn url(logical: &str) -> &'static str {
    ASSETS
        .url(logical)
        .unwrap_or_else(|| panic!("{logical} is in the table"))
}
