//! The demo's own routes carry nothing a caching linter would flag: the
//! page (revalidated with a 304), the per-user JSON endpoint, and the
//! route that sets a cookie; each 304 repeats its 200's validator and cache
//! headers.

mod common;

use asset_tests::lint::assert_clean;
use common::Demo;

async fn get(
    base: &str,
    path: &str,
    headers: &[(&str, &str)],
) -> (reqwest::StatusCode, http::HeaderMap, usize) {
    let mut request = asset_tests::client().get(format!("{base}{path}"));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let len = response.bytes().await.unwrap().len();
    (status, headers, len)
}

#[tokio::test]
async fn pages_api_and_cookie_route_pass_the_caching_linter() {
    let demo = Demo::start();
    let base = format!("http://{}", demo.addr);
    for (path, cookie) in [
        ("/", None),
        ("/api/me", Some("session=alice")),
        ("/login", None),
    ] {
        let extra: Vec<(&str, &str)> = cookie.map(|c| ("cookie", c)).into_iter().collect();
        let (status, headers, len) = get(&base, path, &extra).await;
        assert_eq!(status, 200, "{path}");
        assert_clean(path, status, &headers, len, None);
        match headers.get("etag") {
            Some(etag) => {
                let etag = etag.to_str().unwrap().to_owned();
                let mut conditional = extra.clone();
                conditional.push(("if-none-match", &etag));
                let (status, not_modified, len) = get(&base, path, &conditional).await;
                assert_eq!(status, 304, "{path}");
                assert_clean(path, status, &not_modified, len, Some(&headers));
            }
            None => {
                // Only the cookie route goes without a validator.
                assert_eq!(path, "/login");
                assert!(headers.contains_key("set-cookie"));
                assert_eq!(headers["cache-control"], "no-store");
            }
        }
    }
    // The page's preload header names hashed, immutable URLs.
    let (_, headers, _) = get(&base, "/", &[]).await;
    let link = headers["link"].to_str().unwrap().to_owned();
    for part in link.split(", ") {
        let url = part.trim_start_matches('<').split('>').next().unwrap();
        let body = demo.immutable(url);
        assert!(!body.is_empty(), "{url}");
    }
}
