//! Range and If-Range: 206, 416, and ranges that are ignored.

use super::*;

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
