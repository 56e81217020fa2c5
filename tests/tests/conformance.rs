//! Every row of the serving table and every rule of the HTTP core, over
//! real TCP on loopback with a real HTTP client, against every adapter:
//! each test runs its checks once per adapter.

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

#[tokio::test]
async fn hashed_path_is_immutable_with_every_header() {
    for s in servers() {
        let r = s.get(url("css/app.css"), &[]).await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(h(&r, "cache-control"), Some(IMMUTABLE));
        assert_eq!(h(&r, "content-type"), Some("text/css; charset=utf-8"));
        assert_eq!(h(&r, "x-content-type-options"), Some("nosniff"));
        assert_eq!(h(&r, "accept-ranges"), Some("bytes"));
        assert_eq!(h(&r, "vary"), Some("accept-encoding"));
        assert!(h(&r, "date").is_some());
        assert_eq!(h(&r, "content-encoding"), None);
        let source = source_bytes("css/app.css");
        assert_eq!(
            h(&r, "content-length"),
            Some(source.len().to_string().as_str())
        );
        let etag = h(&r, "etag").unwrap().to_owned();
        assert!(
            etag.starts_with('"') && etag.ends_with('"') && !etag.contains("-br"),
            "{etag}"
        );
        assert_eq!(r.bytes().await.unwrap(), source);
    }
}

#[tokio::test]
async fn logical_path_revalidates_every_time() {
    for s in servers() {
        let r = s.get("/static/css/app.css", &[]).await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(h(&r, "cache-control"), Some("no-cache"));
        let etag = h(&r, "etag").unwrap().to_owned();
        assert_eq!(r.bytes().await.unwrap(), source_bytes("css/app.css"));
        let again = s
            .get("/static/css/app.css", &[("if-none-match", &etag)])
            .await;
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
        assert_eq!(h(&again, "cache-control"), Some("no-cache"));
    }
}

#[tokio::test]
async fn hashed_name_has_sixteen_hex_digits_before_the_extension() {
    let asset = ASSETS.get("css/app.css").unwrap();
    let (stem, ext) = asset.hashed_path().rsplit_once('.').unwrap();
    assert_eq!(ext, "css");
    let (name, hash) = stem.rsplit_once('.').unwrap();
    assert_eq!(name, "css/app");
    assert_eq!(hash.len(), 16);
    assert!(
        hash.bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    );
    assert_eq!(asset.url(), format!("/static/{}", asset.hashed_path()));
    let license = ASSETS.get("LICENSE").unwrap();
    assert!(
        license.hashed_path().starts_with("LICENSE.")
            && license.hashed_path().len() == "LICENSE.".len() + 16
    );
}

#[tokio::test]
async fn head_has_the_headers_of_get_and_no_body() {
    for s in servers() {
        for accept in ["identity", "br", "gzip", "zstd"] {
            let get = s
                .get(url("css/app.css"), &[("accept-encoding", accept)])
                .await;
            let head = s
                .send(
                    Method::HEAD,
                    url("css/app.css"),
                    &[("accept-encoding", accept)],
                )
                .await;
            assert_eq!(head.status(), StatusCode::OK);
            for name in [
                "content-type",
                "content-length",
                "etag",
                "cache-control",
                "vary",
                "content-encoding",
                "accept-ranges",
            ] {
                assert_eq!(h(&head, name), h(&get, name), "{name} for {accept}");
            }
            assert!(head.bytes().await.unwrap().is_empty());
        }
    }
}

#[tokio::test]
async fn unknown_paths_are_404() {
    for s in servers() {
        for path in [
            "/static/nope.css",
            "/static/",
            "/static/.DS_Store",
            "/static/%ff",
            "/static/css/app.css/",
            "/nope",
        ] {
            let r = s.get(path, &[("if-match", "\"nope\"")]).await;
            // Preconditions are not evaluated for a path that would be 404.
            assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
            let core = path.starts_with("/static/") && !s.adapter.hands_unknown_paths_to_the_app();
            if core {
                assert_eq!(h(&r, "x-content-type-options"), Some("nosniff"), "{path}");
                assert_eq!(h(&r, "content-type"), Some("text/plain; charset=utf-8"));
                assert_eq!(r.text().await.unwrap(), "404 Not Found\n");
            }
        }
        // The app's own routes still work next to the assets.
        let home = s.get("/", &[]).await;
        assert_eq!(home.status(), StatusCode::OK);
        assert_eq!(home.text().await.unwrap(), "home");
    }
}

#[tokio::test]
async fn another_releases_hash_is_404_and_never_stored() {
    let hashed = url("css/app.css");
    let other = format!(
        "{}0000000000000000.css",
        &hashed[..hashed.len() - "0000000000000000.css".len()]
    );
    assert_ne!(other, hashed);
    for s in servers() {
        // Known to the asset core whatever the adapter: it answers, no
        // fallback to the app.
        for path in [other.as_str(), "/static/LICENSE.0123456789abcdef"] {
            let r = s.get(path, &[]).await;
            assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
            assert_eq!(h(&r, "cache-control"), Some("no-store"), "{path}");
            assert_eq!(h(&r, "x-content-type-options"), Some("nosniff"));
        }
    }
}

#[test]
fn another_releases_hash_can_get_the_current_bytes() {
    use asset_runtime::{ServeOptions, UnknownHash};
    let options = ServeOptions::default().unknown_hash(UnknownHash::ServeCurrent);
    let get = |path: &str, headers: &[(http::HeaderName, &str)]| {
        let mut map = http::HeaderMap::new();
        for (name, value) in headers {
            map.insert(name.clone(), http::HeaderValue::from_str(value).unwrap());
        }
        asset_runtime::serve(&ASSETS, &options, &http::Method::GET, path, &map)
            .unwrap_or_else(asset_runtime::not_found)
    };
    let asset = ASSETS.get("css/app.css").unwrap();
    let other = asset
        .hashed_path()
        .replace(&asset.hashed_path()[8..24], "0123456789abcdef");
    assert_ne!(other, asset.hashed_path());
    let r = get(&other, &[(http::header::ACCEPT_ENCODING, "br")]);
    assert_eq!(r.status(), http::StatusCode::OK);
    assert_eq!(r.headers()["cache-control"], "no-store");
    assert_eq!(r.headers()["content-encoding"], "br");
    assert_eq!(r.headers()["vary"], "accept-encoding");
    assert_eq!(
        decode(Some("br"), r.body().as_bytes()),
        source_bytes("css/app.css")
    );
    // Extensionless names, and the logical path itself, follow the same rules.
    let license = ASSETS.get("LICENSE").unwrap();
    let r = get("LICENSE.0123456789abcdef", &[]);
    assert_eq!(r.status(), http::StatusCode::OK);
    assert_eq!(r.body().as_bytes(), license.bytes());
    assert_eq!(r.headers()["cache-control"], "no-store");
    // Not the shape of a hashed name, or no such logical path: plain 404.
    for path in [
        "css/app.0123456789ABCDEF.css",
        "css/app.0123456789abcde.css",
        "css/nope.0123456789abcdef.css",
        "css/app-0123456789abcdef.css",
    ] {
        let r = get(path, &[]);
        assert_eq!(r.status(), http::StatusCode::NOT_FOUND, "{path}");
        assert_eq!(r.headers().get("cache-control"), None, "{path}");
    }
    // Preconditions and ranges work as for any path.
    let etag = asset.variants()[0].etag();
    let r = get(&other, &[(http::header::IF_NONE_MATCH, etag)]);
    assert_eq!(r.status(), http::StatusCode::NOT_MODIFIED);
    assert_eq!(r.headers()["cache-control"], "no-store");
    let r = get(&other, &[(http::header::RANGE, "bytes=0-9")]);
    assert_eq!(r.status(), http::StatusCode::PARTIAL_CONTENT);
    assert_eq!(r.body().as_bytes(), &source_bytes("css/app.css")[..10]);
}

#[test]
fn only_exact_table_paths_match() {
    // HTTP clients normalise dot segments before sending, so this calls the
    // core directly with what a raw request could carry.
    let options = asset_runtime::ServeOptions::default();
    let headers = http::HeaderMap::new();
    for path in [
        "/css/../css/app.css",
        "/css/%2e%2e/css/app.css",
        "/./css/app.css",
        "//css/app.css",
        "/css\\app.css",
        "/css/app.css%00",
        "css/app.css/",
    ] {
        let response = asset_runtime::serve(&ASSETS, &options, &http::Method::GET, path, &headers)
            .unwrap_or_else(asset_runtime::not_found);
        assert_eq!(response.status(), http::StatusCode::NOT_FOUND, "{path}");
    }
    let response = asset_runtime::serve(
        &ASSETS,
        &options,
        &http::Method::GET,
        "css/app.css",
        &headers,
    )
    .unwrap_or_else(asset_runtime::not_found);
    assert_eq!(
        response.status(),
        http::StatusCode::OK,
        "the leading slash is optional"
    );
}

#[test]
fn logical_paths_can_be_switched_off() {
    let options = asset_runtime::ServeOptions::default().serve_logical_paths(false);
    let headers = http::HeaderMap::new();
    let get = |path: &str| {
        asset_runtime::serve(&ASSETS, &options, &http::Method::GET, path, &headers)
            .unwrap_or_else(asset_runtime::not_found)
            .status()
    };
    assert_eq!(get("/css/app.css"), http::StatusCode::NOT_FOUND);
    assert_eq!(
        get(url("css/app.css").trim_start_matches("/static")),
        http::StatusCode::OK
    );
}

#[tokio::test]
async fn other_methods_are_405_with_allow() {
    for s in servers() {
        for method in [
            Method::POST,
            Method::PUT,
            Method::DELETE,
            Method::PATCH,
            Method::OPTIONS,
        ] {
            let r = s.send(method.clone(), url("css/app.css"), &[]).await;
            assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED, "{method}");
            assert_eq!(h(&r, "allow"), Some("GET, HEAD"), "{method}");
        }
    }
}

#[tokio::test]
async fn each_encoding_has_its_own_etag_and_decodes_to_the_source() {
    for s in servers() {
        let source = source_bytes("css/app.css");
        let mut etags = Vec::new();
        for (accept, expected) in [
            ("identity", None),
            ("br", Some("br")),
            ("gzip", Some("gzip")),
            ("zstd", Some("zstd")),
        ] {
            let r = s
                .get(url("css/app.css"), &[("accept-encoding", accept)])
                .await;
            assert_eq!(r.status(), StatusCode::OK);
            assert_eq!(h(&r, "content-encoding"), expected, "{accept}");
            assert_eq!(h(&r, "vary"), Some("accept-encoding"));
            let etag = h(&r, "etag").unwrap().to_owned();
            let length: usize = h(&r, "content-length").unwrap().parse().unwrap();
            let body = r.bytes().await.unwrap();
            assert_eq!(body.len(), length);
            if expected.is_some() {
                assert!(
                    body.len() * 100 <= source.len() * 95,
                    "{accept} is worth keeping"
                );
            }
            assert_eq!(decode(expected, &body), source, "{accept}");
            etags.push(etag);
        }
        assert_eq!(etags[1], format!("{}-br\"", etags[0].trim_end_matches('"')));
        assert_eq!(etags[2], format!("{}-gz\"", etags[0].trim_end_matches('"')));
        assert_eq!(
            etags[3],
            format!("{}-zst\"", etags[0].trim_end_matches('"'))
        );
    }
}

#[tokio::test]
async fn accept_encoding_q_values() {
    for s in servers() {
        let cases = [
            ("gzip, deflate, br, zstd", Some("br")),
            ("br;q=0, gzip", Some("gzip")),
            ("br;q=0", None),
            ("gzip;q=1.0, br;q=0.5", Some("gzip")),
            ("*", Some("br")),
            ("*;q=0", None),
            ("identity;q=0, gzip;q=0.1", Some("gzip")),
            ("x-gzip", Some("gzip")),
            ("BR", Some("br")),
            ("br;q=nonsense, gzip", Some("gzip")),
            ("", None),
            ("zstd, gzip", Some("zstd")),
            ("gzip, zstd, br", Some("br")),
            ("zstd;q=1, br;q=0.9", Some("zstd")),
            ("ZSTD;Q=0.5, gzip;q=0.4", Some("zstd")),
            ("identity;q=0", None),
            ("*;q=0, gzip;q=0.5", Some("gzip")),
            ("deflate, compress", None),
            ("br;q=1.5, gzip;q=-1, zstd;q=0.0001", None),
            ("  gzip  ;  q=0.5 ,  br ; q=0.4", Some("gzip")),
            (",,, ;;; ,br", Some("br")),
            ("gzip;q=0.5;foo=bar", Some("gzip")),
        ];
        for (accept, expected) in cases {
            let r = s
                .get(url("css/app.css"), &[("accept-encoding", accept)])
                .await;
            assert_eq!(r.status(), StatusCode::OK, "{accept}");
            assert_eq!(h(&r, "content-encoding"), expected, "{accept:?}");
        }
    }
}

#[tokio::test]
async fn if_none_match_gives_304_with_the_cache_headers() {
    for s in servers() {
        let first = s
            .get(url("css/app.css"), &[("accept-encoding", "br")])
            .await;
        let etag = h(&first, "etag").unwrap().to_owned();
        assert!(etag.ends_with("-br\""));
        for inm in [
            etag.clone(),
            format!("W/{etag}"),
            format!("\"other\", {etag}"),
            "*".to_owned(),
        ] {
            let r = s
                .get(
                    url("css/app.css"),
                    &[("accept-encoding", "br"), ("if-none-match", &inm)],
                )
                .await;
            assert_eq!(r.status(), StatusCode::NOT_MODIFIED, "{inm}");
            assert_eq!(h(&r, "etag"), Some(etag.as_str()));
            assert_eq!(h(&r, "cache-control"), Some(IMMUTABLE));
            assert_eq!(h(&r, "vary"), Some("accept-encoding"));
            assert!(h(&r, "date").is_some());
            assert!(r.bytes().await.unwrap().is_empty());
        }
        // The br tag does not match the gzip representation.
        let r = s
            .get(
                url("css/app.css"),
                &[("accept-encoding", "gzip"), ("if-none-match", &etag)],
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(h(&r, "content-encoding"), Some("gzip"));
        // Garbage is treated as no match.
        let r = s
            .get(url("css/app.css"), &[("if-none-match", "garbage")])
            .await;
        assert_eq!(r.status(), StatusCode::OK);
    }
}

#[tokio::test]
async fn if_match_failure_is_412() {
    for s in servers() {
        let etag = h(&s.get(url("css/app.css"), &[]).await, "etag")
            .unwrap()
            .to_owned();
        let ok = s.get(url("css/app.css"), &[("if-match", &etag)]).await;
        assert_eq!(ok.status(), StatusCode::OK);
        let star = s.get(url("css/app.css"), &[("if-match", "*")]).await;
        assert_eq!(star.status(), StatusCode::OK);
        let weak = s
            .get(url("css/app.css"), &[("if-match", &format!("W/{etag}"))])
            .await;
        assert_eq!(weak.status(), StatusCode::PRECONDITION_FAILED);
        let other = s.get(url("css/app.css"), &[("if-match", "\"nope\"")]).await;
        assert_eq!(other.status(), StatusCode::PRECONDITION_FAILED);
        // Preconditions are not evaluated for a path that would be 404.
        let missing = s.get("/static/nope.css", &[("if-match", "\"nope\"")]).await;
        assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn single_ranges_are_206_from_the_identity_bytes() {
    for s in servers() {
        let source = source_bytes("big/lorem.txt");
        let len = source.len();
        let identity_etag = h(&s.get(url("big/lorem.txt"), &[]).await, "etag")
            .unwrap()
            .to_owned();
        for (range, start, end) in [
            ("bytes=0-99", 0, 99),
            ("bytes=1000-", 1000, len - 1),
            ("bytes=-500", len - 500, len - 1),
        ] {
            let r = s
                .get(
                    url("big/lorem.txt"),
                    &[("range", range), ("accept-encoding", "br, gzip")],
                )
                .await;
            assert_eq!(r.status(), StatusCode::PARTIAL_CONTENT, "{range}");
            assert_eq!(
                h(&r, "content-range"),
                Some(format!("bytes {start}-{end}/{len}").as_str())
            );
            assert_eq!(h(&r, "content-encoding"), None);
            assert_eq!(h(&r, "etag"), Some(identity_etag.as_str()));
            assert_eq!(h(&r, "vary"), Some("accept-encoding"));
            assert_eq!(h(&r, "cache-control"), Some(IMMUTABLE));
            assert_eq!(
                h(&r, "content-length"),
                Some((end - start + 1).to_string().as_str())
            );
            assert_eq!(r.bytes().await.unwrap(), &source[start..=end], "{range}");
        }
    }
}

#[tokio::test]
async fn unsatisfiable_and_ignored_ranges() {
    for s in servers() {
        let len = source_bytes("big/lorem.txt").len();
        let r = s
            .get(url("big/lorem.txt"), &[("range", &format!("bytes={len}-"))])
            .await;
        assert_eq!(r.status(), StatusCode::RANGE_NOT_SATISFIABLE);
        assert_eq!(
            h(&r, "content-range"),
            Some(format!("bytes */{len}").as_str())
        );
        // Several ranges and malformed ones get the whole body.
        for range in ["bytes=0-1, 5-6", "bytes=abc", "lines=1-2"] {
            let r = s.get(url("big/lorem.txt"), &[("range", range)]).await;
            assert_eq!(r.status(), StatusCode::OK, "{range}");
            assert_eq!(r.bytes().await.unwrap().len(), len);
        }
        // HEAD ignores Range.
        let r = s
            .send(
                Method::HEAD,
                url("big/lorem.txt"),
                &[("range", "bytes=0-1")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK);
    }
}

#[tokio::test]
async fn if_range_uses_strong_comparison() {
    for s in servers() {
        let len = source_bytes("big/lorem.txt").len();
        let etag = h(&s.get(url("big/lorem.txt"), &[]).await, "etag")
            .unwrap()
            .to_owned();
        let hit = s
            .get(
                url("big/lorem.txt"),
                &[("range", "bytes=0-9"), ("if-range", &etag)],
            )
            .await;
        assert_eq!(hit.status(), StatusCode::PARTIAL_CONTENT);
        for stale in [
            "\"old\"".to_owned(),
            format!("W/{etag}"),
            "Wed, 21 Oct 2015 07:28:00 GMT".to_owned(),
        ] {
            let r = s
                .get(
                    url("big/lorem.txt"),
                    &[("range", "bytes=0-9"), ("if-range", &stale)],
                )
                .await;
            assert_eq!(r.status(), StatusCode::OK, "{stale}");
            assert_eq!(r.bytes().await.unwrap().len(), len);
        }
    }
}

#[tokio::test]
async fn content_types_and_stored_variants() {
    for s in servers() {
        let cases = [
            ("js/app.js", "text/javascript; charset=utf-8", true),
            // Its `file` field names the script's hashed file: at that length,
            // brotli saves more than 5%.
            ("js/app.js.map", "application/json; charset=utf-8", true),
            ("img/noise.png", "image/png", false),
            // Too small for compression to save 5%: stored once.
            ("data/tiny.txt", "text/plain; charset=utf-8", false),
            ("LICENSE", "application/octet-stream", true),
        ];
        for (logical, content_type, compressed) in cases {
            let r = s
                .get(url(logical), &[("accept-encoding", "br, gzip")])
                .await;
            assert_eq!(r.status(), StatusCode::OK, "{logical}");
            assert_eq!(h(&r, "content-type"), Some(content_type), "{logical}");
            assert_eq!(h(&r, "vary").is_some(), compressed, "{logical}");
            assert_eq!(h(&r, "content-encoding").is_some(), compressed, "{logical}");
            let encoding = h(&r, "content-encoding").map(str::to_owned);
            // The identity bytes: the source with its references rewritten
            // (`js/app.js` names its map's hashed name; see rewrite.rs).
            assert_eq!(
                decode(encoding.as_deref(), &r.bytes().await.unwrap()),
                ASSETS.get(logical).unwrap().bytes()
            );
        }
        // The PNG is stored once: no compressed variant at all.
        assert_eq!(ASSETS.get("img/noise.png").unwrap().variants().len(), 1);
    }
}

#[tokio::test]
async fn empty_file_and_names_that_need_encoding() {
    for s in servers() {
        let r = s.get(url("data/empty.txt"), &[]).await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(h(&r, "content-length"), Some("0"));
        let r = s.get(url("data/empty.txt"), &[("range", "bytes=0-")]).await;
        assert_eq!(r.status(), StatusCode::RANGE_NOT_SATISFIABLE);
        assert_eq!(h(&r, "content-range"), Some("bytes */0"));

        let spaced = url("docs/read me.txt");
        assert!(spaced.starts_with("/static/docs/read%20me."), "{spaced}");
        let r = s.get(spaced, &[]).await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.bytes().await.unwrap(), source_bytes("docs/read me.txt"));
        let r = s.get("/static/docs/read%20me.txt", &[]).await;
        assert_eq!(r.status(), StatusCode::OK);
    }
}

#[test]
fn table_lookups_and_integrity() {
    let asset = ASSETS.get("css/app.css").unwrap();
    let digest = Sha384::digest(source_bytes("css/app.css"));
    let sri = format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(digest)
    );
    assert_eq!(ASSETS.integrity("css/app.css"), Some(sri.as_str()));
    assert!(
        matches!(ASSETS.lookup(asset.hashed_path()), Some(asset_runtime::Lookup::Hashed(a)) if std::ptr::eq(a, asset))
    );
    assert!(
        matches!(ASSETS.lookup("css/app.css"), Some(asset_runtime::Lookup::Logical(a)) if std::ptr::eq(a, asset))
    );
    // A hashed path is not a logical one.
    assert_eq!(
        ASSETS.get(asset.hashed_path()).map(|a| a.logical_path()),
        None
    );
    assert_eq!(ASSETS.url("missing.css"), None);
    assert_eq!(ASSETS.url_prefix(), "/static/");

    let mut logical: Vec<&str> = ASSETS.iter().map(|a| a.logical_path()).collect();
    let expected = [
        "LICENSE",
        "big/lorem.txt",
        "css/app.css",
        "data/empty.txt",
        "data/tiny.txt",
        "docs/read me.txt",
        "img/noise.png",
        "js/app.js",
        "js/app.js.map",
    ];
    assert_eq!(
        logical, expected,
        "hidden files such as .DS_Store are skipped"
    );
    logical.sort();
    assert_eq!(logical, expected, "iteration is ordered by logical path");
}

#[test]
fn manifest_json_describes_every_asset() {
    let path = concat!(env!("OUT_DIR"), "/asset-build/manifest.json");
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(manifest["url_prefix"], "/static/");
    let assets = manifest["assets"].as_object().unwrap();
    assert_eq!(assets.len(), ASSETS.len());
    for asset in &ASSETS {
        let entry = &assets[asset.logical_path()];
        assert_eq!(entry["hashed_path"], asset.hashed_path());
        assert_eq!(entry["url"], asset.url());
        assert_eq!(entry["integrity"], asset.integrity());
        assert_eq!(entry["content_type"], asset.content_type());
        assert_eq!(entry["sizes"]["identity"], asset.bytes().len());
        for variant in &asset.variants()[1..] {
            let name = match variant.encoding() {
                asset_runtime::Encoding::Brotli => "br",
                asset_runtime::Encoding::Zstd => "zstd",
                asset_runtime::Encoding::Gzip => "gzip",
                other => panic!("unexpected {other:?}"),
            };
            assert_eq!(entry["sizes"][name], variant.bytes().len());
        }
    }
}

#[test]
fn asset_macro_matches_the_table() {
    assert_eq!(asset_runtime::asset!("css/app.css"), url("css/app.css"));
    assert_eq!(
        asset_runtime::asset!("docs/read me.txt"),
        url("docs/read me.txt")
    );
}

#[tokio::test]
async fn preconditions_in_rfc_9110_order() {
    let past = "Thu, 01 Jan 1970 00:00:01 GMT";
    let future = "Fri, 01 Jan 2100 00:00:00 GMT";
    for s in servers() {
        let path = url("css/app.css");
        let etag = h(&s.get(path, &[]).await, "etag").unwrap().to_owned();
        let cases: &[(&[(&str, &str)], StatusCode)] = &[
            // If-Match first: it fails, whatever If-None-Match says.
            (
                &[("if-match", "\"nope\""), ("if-none-match", &etag)],
                StatusCode::PRECONDITION_FAILED,
            ),
            (
                &[("if-match", &etag), ("if-none-match", &etag)],
                StatusCode::NOT_MODIFIED,
            ),
            (
                &[("if-match", "*"), ("if-none-match", "\"other\"")],
                StatusCode::OK,
            ),
            // No modification date: If-Unmodified-Since and If-Modified-Since
            // are ignored, valid or not.
            (&[("if-unmodified-since", past)], StatusCode::OK),
            (&[("if-modified-since", future)], StatusCode::OK),
            (&[("if-modified-since", "yesterday")], StatusCode::OK),
            // If-None-Match decides; If-Modified-Since is ignored with it.
            (
                &[
                    ("if-none-match", "\"other\""),
                    ("if-modified-since", future),
                ],
                StatusCode::OK,
            ),
            (
                &[("if-none-match", &etag), ("if-modified-since", past)],
                StatusCode::NOT_MODIFIED,
            ),
            // A 304 comes before the range is looked at.
            (
                &[("if-none-match", &etag), ("range", "bytes=0-9")],
                StatusCode::NOT_MODIFIED,
            ),
            (
                &[("if-match", "\"nope\""), ("range", "bytes=0-9")],
                StatusCode::PRECONDITION_FAILED,
            ),
        ];
        for (headers, status) in cases {
            let r = s.get(path, headers).await;
            assert_eq!(r.status(), *status, "{headers:?}");
        }
        // Preconditions are ignored for a response that would be 405.
        let r = s
            .send(Method::POST, path, &[("if-match", "\"nope\"")])
            .await;
        assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED);
    }
}

#[tokio::test]
async fn partial_and_not_modified_carry_the_headers_of_the_200() {
    for s in servers() {
        let path = url("big/lorem.txt");
        let full = s.get(path, &[]).await;
        let etag = h(&full, "etag").unwrap().to_owned();
        let partial = s
            .get(
                path,
                &[
                    ("range", "bytes=5-9"),
                    ("accept-encoding", "gzip, br, zstd"),
                ],
            )
            .await;
        let not_modified = s
            .get(path, &[("if-none-match", &etag), ("range", "bytes=5-9")])
            .await;
        for r in [&partial, &not_modified] {
            for name in ["etag", "cache-control", "vary"] {
                assert_eq!(h(r, name), h(&full, name), "{name} of {}", r.status());
            }
        }
        assert_eq!(partial.status(), StatusCode::PARTIAL_CONTENT);
        assert_eq!(not_modified.status(), StatusCode::NOT_MODIFIED);
        assert_eq!(h(&not_modified, "content-length"), None);
        // The same for a compressed variant's 304.
        let br = s.get(path, &[("accept-encoding", "br")]).await;
        let br_etag = h(&br, "etag").unwrap().to_owned();
        let r = s
            .get(
                path,
                &[("accept-encoding", "br"), ("if-none-match", &br_etag)],
            )
            .await;
        assert_eq!(r.status(), StatusCode::NOT_MODIFIED);
        for name in ["etag", "cache-control", "vary"] {
            assert_eq!(h(&r, name), h(&br, name), "{name}");
        }
    }
}

#[tokio::test]
async fn range_edge_cases() {
    let source = source_bytes("big/lorem.txt");
    let len = source.len();
    for s in servers() {
        let path = url("big/lorem.txt");
        for (range, bytes) in [
            ("bytes=0-0", &source[..1]),
            ("bytes=-1", &source[len - 1..]),
            (
                &*format!("bytes={}-{}", len - 1, len + 100),
                &source[len - 1..],
            ),
            ("bytes = 10 - 19", &source[10..20]),
            ("BYTES=10-19", &source[10..20]),
            // A satisfiable range after unsatisfiable ones.
            (&*format!("bytes={len}-, 0-3"), &source[..4]),
        ] {
            let r = s.get(path, &[("range", range)]).await;
            assert_eq!(r.status(), StatusCode::PARTIAL_CONTENT, "{range}");
            assert_eq!(r.bytes().await.unwrap(), bytes, "{range}");
        }
        // Several ranges: the whole body, negotiated as usual.
        for range in ["bytes=0-5, 3-8", "bytes=0-1, 10-11", "bytes=-5, 0-1"] {
            let r = s
                .get(path, &[("range", range), ("accept-encoding", "gzip")])
                .await;
            assert_eq!(r.status(), StatusCode::OK, "{range}");
            assert_eq!(h(&r, "content-encoding"), Some("gzip"));
            assert_eq!(decode(Some("gzip"), &r.bytes().await.unwrap()), source);
        }
        // Unsatisfiable: 416 that no cache keeps.
        for range in [
            format!("bytes={len}-"),
            format!("bytes={}-{}", len + 5, len + 9),
            "bytes=-0".to_owned(),
        ] {
            let r = s.get(path, &[("range", &range)]).await;
            assert_eq!(r.status(), StatusCode::RANGE_NOT_SATISFIABLE, "{range}");
            assert_eq!(
                h(&r, "content-range"),
                Some(format!("bytes */{len}").as_str())
            );
            assert_eq!(h(&r, "cache-control"), None);
            assert_eq!(h(&r, "content-length"), Some("0"));
        }
        // An If-Range mismatch gives the whole 200, negotiated as usual.
        let r = s
            .get(
                path,
                &[
                    ("range", "bytes=0-9"),
                    ("if-range", "\"old\""),
                    ("accept-encoding", "zstd"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(h(&r, "content-encoding"), Some("zstd"));
        assert_eq!(decode(Some("zstd"), &r.bytes().await.unwrap()), source);
        // Ranges of a file stored once.
        let png = source_bytes("img/noise.png");
        let r = s
            .get(url("img/noise.png"), &[("range", "bytes=8-15")])
            .await;
        assert_eq!(r.status(), StatusCode::PARTIAL_CONTENT);
        assert_eq!(h(&r, "vary"), None);
        assert_eq!(r.bytes().await.unwrap(), &png[8..16]);
    }
}

/// Header values with obs-text (bytes 0x80-0xFF) and other garbage: treated
/// as absent, or as matching nothing; never a panic or a 5xx.
#[tokio::test]
async fn garbage_headers_are_harmless() {
    let garbage: [&[u8]; 7] = [
        b"\xff\xfe\xfd",
        b"br\xff",
        b"\"\xe9tag\"",
        b"bytes=\xff-\xff",
        b"W/\"x\", \x80\x81",
        b";;;,,,===\t\t",
        b"q=0.5;br;*;W/\"",
    ];
    for s in servers() {
        let path = url("css/app.css");
        for value in garbage {
            for name in [
                "accept-encoding",
                "range",
                "if-range",
                "if-none-match",
                "if-modified-since",
                "if-unmodified-since",
            ] {
                let r = s.send_raw(Method::GET, path, &[(name, value)]).await;
                assert!(
                    r.status() == StatusCode::OK || r.status() == StatusCode::PARTIAL_CONTENT,
                    "{name}: {value:?} -> {}",
                    r.status()
                );
            }
            // If-Match that matches nothing fails.
            let r = s.send_raw(Method::GET, path, &[("if-match", value)]).await;
            assert_eq!(r.status(), StatusCode::PRECONDITION_FAILED, "{value:?}");
        }
        // Garbage in the path.
        for bad in [
            "/static/%",
            "/static/%zz",
            "/static/%c3%28",
            "/static/css/%ff%fe.css",
        ] {
            let r = s.get(bad, &[]).await;
            assert_eq!(r.status(), StatusCode::NOT_FOUND, "{bad}");
        }
    }
}

#[test]
fn any_header_bytes_through_the_core() {
    // Every byte a header value may hold, in every header the core reads,
    // alone and in lists.
    let options = asset_runtime::ServeOptions::default();
    let asset = ASSETS.get("css/app.css").unwrap();
    let names = [
        http::header::ACCEPT_ENCODING,
        http::header::RANGE,
        http::header::IF_RANGE,
        http::header::IF_MATCH,
        http::header::IF_NONE_MATCH,
        http::header::IF_MODIFIED_SINCE,
    ];
    let bytes: Vec<u8> = (0x20..=0xff)
        .chain([b'\t'])
        .filter(|b| *b != 0x7f)
        .collect();
    for name in &names {
        for b in &bytes {
            for value in [
                vec![*b],
                vec![b'"', *b, b'"'],
                [b"bytes=1-", &[*b][..]].concat(),
                [b"br;q=", &[*b][..]].concat(),
            ] {
                let mut headers = http::HeaderMap::new();
                headers.insert(name.clone(), http::HeaderValue::from_bytes(&value).unwrap());
                let r = asset_runtime::serve(
                    &ASSETS,
                    &options,
                    &http::Method::GET,
                    asset.hashed_path(),
                    &headers,
                )
                .unwrap_or_else(asset_runtime::not_found);
                assert!(r.status().as_u16() < 500, "{name}: {value:?}");
            }
        }
    }
}
