//! A real shared cache in front of the demo: Debian's nginx as a caching
//! reverse proxy (`proxy_cache`) on loopback. Release 1 is served and cached;
//! release 2 (a changed stylesheet) is deployed behind the same proxy; no
//! client ever gets one release's bytes under the other's URL.
//!
//! Needs nginx: `bash tests/setup.sh`.

use std::collections::BTreeMap;

use asset_tests::client;
use asset_tests::fixture::{Fixture, Running, workspace};
use asset_tests::nginx::{self, Nginx};

const OLD_COLOUR: &str = "#2f6fed";
const NEW_COLOUR: &str = "#c2185b";

struct Got {
    status: u16,
    etag: Option<String>,
    set_cookie: bool,
    cache: String,
    body: Vec<u8>,
}

async fn get(base: &str, path: &str) -> Got {
    get_with(base, path, &[]).await
}

async fn get_with(base: &str, path: &str, headers: &[(&str, &str)]) -> Got {
    let mut request = client()
        .get(format!("{base}{path}"))
        .header("accept-encoding", "identity");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    Got {
        etag: response
            .headers()
            .get("etag")
            .map(|v| v.to_str().unwrap().to_owned()),
        set_cookie: response.headers().contains_key("set-cookie"),
        status: response.status().as_u16(),
        cache: response
            .headers()
            .get("x-cache-status")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default(),
        body: response.bytes().await.unwrap().to_vec(),
    }
}

/// Every `/static/...` URL in a page's `href` and `src` attributes.
fn asset_urls(page: &str) -> Vec<String> {
    let mut urls = Vec::new();
    for marker in ["href=\"/static/", "src=\"/static/"] {
        let mut rest = page;
        while let Some(i) = rest.find(marker) {
            let start = i + marker.len() - "/static/".len();
            let end = rest[start..].find('"').unwrap() + start;
            urls.push(rest[start..end].to_owned());
            rest = &rest[end..];
        }
    }
    urls.sort();
    urls.dedup();
    urls
}

fn stylesheet(urls: &[String]) -> String {
    urls.iter()
        .find(|u| u.starts_with("/static/css/app."))
        .cloned()
        .expect("a stylesheet URL")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_caching_proxy_never_mixes_releases() {
    let release_1 = Fixture::demo("proxy-release-1");
    let release_2 = Fixture::demo("proxy-release-2");
    release_2.replace(
        "static/css/app.css",
        &format!("--accent: {OLD_COLOUR};"),
        &format!("--accent: {NEW_COLOUR};"),
    );
    let (binary_1, binary_2) = (release_1.build_ok(), release_2.build_ok());

    let origin = Running::start(&binary_1);
    let origin_addr = origin.addr().to_owned();
    let dir = workspace().join("target/nginx-proxy-test");
    let proxy = Nginx::start(
        &dir,
        &[],
        &nginx::proxy_cache_path(&dir),
        &nginx::caching_proxy(&origin_addr),
    );

    // What each release's origin says each hashed URL holds.
    let mut truth: BTreeMap<String, Vec<u8>> = BTreeMap::new();

    // Release 1: every hashed asset goes MISS, then HIT, with the origin's bytes.
    let page_1 = String::from_utf8(get(&proxy.base, "/").await.body).unwrap();
    let urls_1 = asset_urls(&page_1);
    assert!(urls_1.len() >= 3, "{urls_1:?}");
    for url in &urls_1 {
        let direct = get(&origin.base, url).await;
        assert_eq!(direct.status, 200, "{url}");
        truth.insert(url.clone(), direct.body.clone());
        let first = get(&proxy.base, url).await;
        assert_eq!((first.status, first.cache.as_str()), (200, "MISS"), "{url}");
        let second = get(&proxy.base, url).await;
        assert_eq!(
            (second.status, second.cache.as_str()),
            (200, "HIT"),
            "{url}: {}",
            proxy.log()
        );
        assert_eq!(first.body, direct.body, "{url}");
        assert_eq!(second.body, direct.body, "{url}");
    }
    let css_1 = stylesheet(&urls_1);
    assert!(String::from_utf8_lossy(&truth[&css_1]).contains(OLD_COLOUR));
    let logical = get(&proxy.base, "/static/css/app.css").await;
    assert_eq!(logical.body, truth[&css_1]);
    assert_ne!(
        logical.cache, "HIT",
        "a logical URL is not kept by the shared cache"
    );

    // The page itself (`no-cache` and a validator) is never kept by the
    // shared cache: every request reaches the origin. (nginx forwards a
    // revalidation unconditionally and sends the whole page; the origin's
    // own 304s are checked in `pages.rs` and by the browser test.)
    let page = get(&proxy.base, "/").await;
    assert_ne!(
        page.cache, "HIT",
        "the page is not kept by the shared cache"
    );
    let etag = page.etag.clone().expect("the page has a validator");
    let direct = get_with(&origin.base, "/", &[("if-none-match", &etag)]).await;
    assert_eq!(direct.status, 304, "the origin revalidates the page");
    let revalidated = get_with(&proxy.base, "/", &[("if-none-match", &etag)]).await;
    assert!(
        matches!(revalidated.status, 200 | 304),
        "{}",
        revalidated.status
    );
    assert_ne!(revalidated.cache, "HIT");
    if revalidated.status == 200 {
        assert_eq!(revalidated.body, page.body);
    }

    // A response that sets a cookie is never served from the cache to
    // another client, and per-user data never crosses users.
    for _ in 0..3 {
        let login = get(&proxy.base, "/login").await;
        assert_eq!(login.status, 200);
        assert!(login.set_cookie, "every client gets its own Set-Cookie");
        assert_ne!(
            login.cache, "HIT",
            "a Set-Cookie response came from the cache"
        );
    }
    for user in ["alice", "bob", "alice", "bob"] {
        let cookie = format!("session={user}");
        let me = get_with(&proxy.base, "/api/me", &[("cookie", &cookie)]).await;
        assert_eq!(
            String::from_utf8(me.body).unwrap(),
            format!("{{\"user\":\"{user}\"}}\n")
        );
        assert_ne!(me.cache, "HIT");
    }

    // Release 2 on the same origin address, behind the same proxy.
    drop(origin);
    let origin = Running::start_when_free(&binary_2, &origin_addr);
    // The first page through the proxy after the switch is the new one,
    // naming the new stylesheet, even for a client that revalidates with
    // the old page's validator.
    let page_2 = get_with(&proxy.base, "/", &[("if-none-match", &etag)]).await;
    assert_eq!(
        page_2.status, 200,
        "the old page's validator does not match the new page"
    );
    assert_ne!(page_2.cache, "HIT");
    let page_2 = String::from_utf8(page_2.body).unwrap();
    let urls_2 = asset_urls(&page_2);
    let css_2 = stylesheet(&urls_2);
    assert_ne!(css_2, css_1, "the changed stylesheet has a new URL");
    for url in &urls_2 {
        let direct = get(&origin.base, url).await;
        assert_eq!(direct.status, 200, "{url}");
        if let Some(old) = truth.get(url) {
            assert_eq!(
                old, &direct.body,
                "{url} names the same bytes in both releases"
            );
        }
        truth.insert(url.clone(), direct.body.clone());
    }
    // The new stylesheet is fetched fresh at once, then cached.
    let fresh = get(&proxy.base, &css_2).await;
    assert_eq!((fresh.status, fresh.cache.as_str()), (200, "MISS"));
    assert!(String::from_utf8_lossy(&fresh.body).contains(NEW_COLOUR));
    assert_eq!(get(&proxy.base, &css_2).await.cache, "HIT");
    // Unchanged assets keep their URLs and stay cached.
    for url in urls_2.iter().filter(|u| urls_1.contains(u)) {
        assert_eq!(get(&proxy.base, url).await.cache, "HIT", "{url}");
    }
    // Pages of release 1 still in users' browsers get release 1's stylesheet.
    let old = get(&proxy.base, &css_1).await;
    assert_eq!((old.status, old.cache.as_str()), (200, "HIT"));
    assert!(String::from_utf8_lossy(&old.body).contains(OLD_COLOUR));
    // The logical URL shows the new bytes.
    let logical = get(&proxy.base, "/static/css/app.css").await;
    assert_eq!(logical.body, truth[&css_2]);

    // At no point any release's bytes under another release's URL.
    for url in urls_1.iter().chain(&urls_2) {
        for _ in 0..2 {
            let got = get(&proxy.base, url).await;
            assert_eq!(got.status, 200, "{url}");
            assert_eq!(got.body, truth[url], "{url}");
        }
    }
}
