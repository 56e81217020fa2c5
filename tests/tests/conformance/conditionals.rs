//! If-None-Match, If-Match and their order (RFC 9110 §13.2.2), and the
//! headers that 304 and 206 repeat from the 200.

use super::*;

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
