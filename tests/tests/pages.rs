//! The page validator and cache policies over real TCP, on every adapter:
//! axum through the tower layer (alone, inside and outside tower-http's
//! compression) and actix-web through the middleware. Every response is
//! also put through the caching linter (`asset_tests::lint`).

use asset_tests::client;
use asset_tests::lint::assert_clean;
use asset_tests::pages::{PageServer, page_html, path};
use http::{HeaderMap, StatusCode, header};

struct Got {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

async fn get(server: PageServer, route: &str, headers: &[(&str, &str)]) -> Got {
    request(server, reqwest::Method::GET, route, headers).await
}

async fn request(
    server: PageServer,
    method: reqwest::Method,
    route: &str,
    headers: &[(&str, &str)],
) -> Got {
    let url = format!("{}{}", server.base(), path(server, route));
    let mut request = client().request(method, &url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.bytes().await.unwrap().to_vec();
    Got {
        status,
        headers,
        body,
    }
}

fn h(got: &Got, name: header::HeaderName) -> &str {
    got.headers
        .get(&name)
        .map(|v| v.to_str().unwrap())
        .unwrap_or_else(|| panic!("no {name} in {:#?}", got.headers))
}

/// GET, then the same GET with `If-None-Match` set to the ETag: the 304
/// repeats the 200's validator and cache headers, and both pass the linter.
async fn revalidates(server: PageServer, route: &str, extra: &[(&str, &str)]) -> (Got, Got) {
    let first = get(server, route, extra).await;
    assert_eq!(first.status, StatusCode::OK, "{server:?} {route}");
    assert_clean(route, first.status, &first.headers, first.body.len(), None);
    let etag = h(&first, header::ETAG).to_owned();
    let mut conditional = extra.to_vec();
    conditional.push(("if-none-match", &etag));
    let second = get(server, route, &conditional).await;
    assert_eq!(
        second.status,
        StatusCode::NOT_MODIFIED,
        "{server:?} {route}"
    );
    assert!(second.body.is_empty());
    assert_clean(
        route,
        second.status,
        &second.headers,
        0,
        Some(&first.headers),
    );
    (first, second)
}

#[tokio::test]
async fn a_page_gets_a_validator_and_revalidates_with_304() {
    for server in PageServer::ALL {
        eprintln!("server: {server:?}");
        let (first, second) = revalidates(server, "/page", &[]).await;
        assert_eq!(first.body, page_html().as_bytes());
        assert_eq!(h(&first, header::CACHE_CONTROL), "no-cache");
        assert!(
            h(&first, header::ETAG).starts_with("W/\""),
            "identity bytes: a weak tag"
        );
        assert_eq!(h(&second, header::ETAG), h(&first, header::ETAG));
        // Lists, `*` and weak comparison of a strong form.
        let etag = h(&first, header::ETAG).to_owned();
        let strong_form = etag.trim_start_matches("W/").to_owned();
        for inm in [format!("\"x\", {etag}"), "*".to_owned(), strong_form] {
            let got = get(server, "/page", &[("if-none-match", &inm)]).await;
            assert_eq!(got.status, StatusCode::NOT_MODIFIED, "{inm}");
        }
        // HEAD: the same validator, no body.
        let head = request(server, reqwest::Method::HEAD, "/page", &[]).await;
        assert_eq!(head.status, StatusCode::OK);
        assert_eq!(h(&head, header::ETAG), etag);
        assert!(head.body.is_empty());
        let head304 = request(
            server,
            reqwest::Method::HEAD,
            "/page",
            &[("if-none-match", &etag)],
        )
        .await;
        assert_eq!(head304.status, StatusCode::NOT_MODIFIED);
    }
}

#[tokio::test]
async fn answer_before_rendering_skips_the_render() {
    for server in PageServer::ALL {
        eprintln!("server: {server:?}");
        let before = server.renders("/post/7");
        let first = get(server, "/post/7", &[]).await;
        assert_eq!(first.status, StatusCode::OK);
        assert_eq!(server.renders("/post/7"), before + 1);
        let etag = h(&first, header::ETAG).to_owned();
        assert!(
            etag.starts_with("W/\"v"),
            "the version's own tag, kept by the layer: {etag}"
        );
        for _ in 0..3 {
            let again = get(server, "/post/7", &[("if-none-match", &etag)]).await;
            assert_eq!(again.status, StatusCode::NOT_MODIFIED);
            assert_clean(
                "/post/7",
                again.status,
                &again.headers,
                again.body.len(),
                Some(&first.headers),
            );
        }
        assert_eq!(
            server.renders("/post/7"),
            before + 1,
            "304s rendered nothing"
        );
        // `If-Match` compares strongly: a weak version never matches.
        let failed = get(server, "/post/7", &[("if-match", &etag)]).await;
        assert_eq!(failed.status, StatusCode::PRECONDITION_FAILED);
        assert_eq!(server.renders("/post/7"), before + 1);
    }
}

#[tokio::test]
async fn if_match_412_and_malformed_preconditions_are_harmless() {
    for server in PageServer::ALL {
        eprintln!("server: {server:?}");
        let failed = get(server, "/page", &[("if-match", "\"nope\"")]).await;
        assert_eq!(failed.status, StatusCode::PRECONDITION_FAILED);
        let any = get(server, "/page", &[("if-match", "*")]).await;
        assert_eq!(any.status, StatusCode::OK);
        for garbage in ["W/", "\"unterminated", ",,,", "W/W/\"x\"", "\"a\" \"b\""] {
            for name in ["if-none-match", "if-match"] {
                let got = get(server, "/page", &[(name, garbage)]).await;
                assert!(
                    got.status == StatusCode::OK || got.status == StatusCode::PRECONDITION_FAILED,
                    "{name}: {garbage:?} -> {}",
                    got.status
                );
                if name == "if-none-match" {
                    assert_eq!(got.status, StatusCode::OK);
                    assert_eq!(got.body, page_html().as_bytes());
                }
            }
        }
    }
}

#[tokio::test]
async fn set_cookie_is_never_shared_never_fresh_and_never_304() {
    for server in [
        PageServer::Axum,
        PageServer::AxumCompressedInside,
        PageServer::Actix,
    ] {
        eprintln!("server: {server:?}");
        let got = get(server, "/login", &[]).await;
        assert_eq!(got.status, StatusCode::OK);
        assert!(got.headers.contains_key(header::SET_COOKIE));
        // The route's policy is shared(60, 300); the guard wins.
        assert_eq!(h(&got, header::CACHE_CONTROL), "no-store");
        assert!(!got.headers.contains_key(header::ETAG), "no validator");
        assert_clean("/login", got.status, &got.headers, got.body.len(), None);
        // Even `*` does not turn it into a 304: the cookie must arrive.
        let again = get(server, "/login", &[("if-none-match", "*")]).await;
        assert_eq!(again.status, StatusCode::OK);
        assert_eq!(again.body, b"welcome");
        assert!(again.headers.contains_key(header::SET_COOKIE));
    }
}

#[tokio::test]
async fn policies_send_what_they_say() {
    for server in [
        PageServer::Axum,
        PageServer::AxumCompressedInside,
        PageServer::Actix,
    ] {
        eprintln!("server: {server:?}");
        let (cdn, _) = revalidates(server, "/cdn-page", &[]).await;
        assert_eq!(
            h(&cdn, header::CACHE_CONTROL),
            "public, max-age=0, s-maxage=60, stale-while-revalidate=300"
        );
        // Per-user API data: private, short-lived, and Vary merged with the
        // handler's own (and compression's, where there is one).
        let (alice, _) = revalidates(server, "/api/me", &[("cookie", "session=alice")]).await;
        assert_eq!(h(&alice, header::CACHE_CONTROL), "private, max-age=120");
        let vary = h(&alice, header::VARY).to_ascii_lowercase();
        for name in ["accept-language", "cookie", "origin"] {
            assert!(vary.contains(name), "{vary}");
        }
        assert_eq!(alice.body, b"{\"user\":\"alice\"}");
        let anonymous = get(server, "/api/me", &[]).await;
        assert_ne!(h(&anonymous, header::ETAG), h(&alice, header::ETAG));
        // HTML never keeps the assets' immutable policy.
        let html = get(server, "/immutable-html", &[]).await;
        assert_eq!(h(&html, header::CACHE_CONTROL), "no-cache");
        assert_clean(
            "/immutable-html",
            html.status,
            &html.headers,
            html.body.len(),
            None,
        );
        // A handler's own ETag is kept and honoured.
        let (tagged, _) = revalidates(server, "/tagged", &[]).await;
        assert_eq!(h(&tagged, header::ETAG), "\"v1\"");
    }
}

#[tokio::test]
async fn bodies_over_the_limit_pass_through_untouched() {
    let big: Vec<u8> = (0..100 * 1024).map(|i| b'a' + (i % 26) as u8).collect();
    for server in [PageServer::Axum, PageServer::Actix, PageServer::Hyper] {
        eprintln!("server: {server:?}");
        let got = get(server, "/big", &[]).await;
        assert_eq!(got.status, StatusCode::OK);
        assert!(!got.headers.contains_key(header::ETAG));
        assert_eq!(got.body, big, "not truncated");
        let got = get(server, "/big", &[("if-none-match", "*")]).await;
        assert_eq!(got.status, StatusCode::OK, "no validator, no 304");
    }
    // Streams: under the limit they are hashed; over it, the chunks read so
    // far and the rest arrive in order.
    let small = get(PageServer::Axum, "/stream", &[]).await;
    assert_eq!(small.body, b"one two three");
    assert!(small.headers.contains_key(header::ETAG));
    let large = get(PageServer::Axum, "/stream-big", &[]).await;
    assert!(!large.headers.contains_key(header::ETAG));
    assert_eq!(large.body, big);
}

#[tokio::test]
async fn compression_inside_and_outside_the_validator() {
    let gzip = [("accept-encoding", "gzip")];
    // Inside (recommended): the tag is weak and names the page in every
    // coding; a 304 is answered before anything is compressed.
    let server = PageServer::AxumCompressedInside;
    let plain = get(server, "/page", &[]).await;
    let (zipped, not_modified) = revalidates(server, "/page", &gzip).await;
    assert_eq!(h(&zipped, header::CONTENT_ENCODING), "gzip");
    assert!(h(&zipped, header::ETAG).starts_with("W/"));
    assert_eq!(h(&zipped, header::ETAG), h(&plain, header::ETAG));
    assert!(
        h(&zipped, header::VARY)
            .to_ascii_lowercase()
            .contains("accept-encoding")
    );
    assert_eq!(h(&not_modified, header::ETAG), h(&plain, header::ETAG));

    // Outside: the validator sees the encoded bytes, so each coding gets a
    // strong tag of its own.
    let server = PageServer::AxumCompressedOutside;
    let plain = get(server, "/page", &[]).await;
    let (zipped, _) = revalidates(server, "/page", &gzip).await;
    assert_eq!(h(&zipped, header::CONTENT_ENCODING), "gzip");
    assert!(
        h(&zipped, header::ETAG).starts_with('"'),
        "strong: {}",
        h(&zipped, header::ETAG)
    );
    assert_ne!(h(&zipped, header::ETAG), h(&plain, header::ETAG));
    // The gzip tag does not validate the identity response.
    let crossed = get(
        server,
        "/page",
        &[("if-none-match", h(&zipped, header::ETAG))],
    )
    .await;
    assert_eq!(crossed.status, StatusCode::OK);
}
