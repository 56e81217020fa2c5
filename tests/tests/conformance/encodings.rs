//! Files whose bytes decide how they are served: an `.svgz` (stored
//! gzip-compressed, so always sent with `Content-Encoding: gzip`), and text
//! whose `charset` follows its bytes (UTF-8, a stylesheet's own
//! `@charset`, or neither).

use super::*;

#[tokio::test]
async fn svgz_is_svg_sent_with_content_encoding_gzip() {
    for s in servers() {
        let source = source_bytes("img/badge.svgz");
        for accept in ["gzip", "br, gzip", "identity", ""] {
            let headers: Vec<(&str, &str)> = if accept.is_empty() {
                Vec::new()
            } else {
                vec![("accept-encoding", accept)]
            };
            let r = s.get(url("img/badge.svgz"), &headers).await;
            assert_eq!(r.status(), StatusCode::OK, "{accept}");
            assert_eq!(h(&r, "content-type"), Some("image/svg+xml"), "no charset");
            // Its only form: sent as it is stored, whatever was asked.
            assert_eq!(h(&r, "content-encoding"), Some("gzip"), "{accept}");
            assert_eq!(h(&r, "vary"), None, "one stored form: nothing to vary");
            assert!(h(&r, "etag").unwrap().ends_with("-gz\""));
            assert_eq!(h(&r, "cache-control"), Some(IMMUTABLE));
            let body = r.bytes().await.unwrap();
            assert_eq!(body.as_ref(), source.as_slice(), "never recompressed");
            assert!(decode(Some("gzip"), &body).starts_with(b"<svg"));
        }
        let head = s.send(Method::HEAD, url("img/badge.svgz"), &[]).await;
        assert_eq!(h(&head, "content-encoding"), Some("gzip"));
        // A range is a range of the stored (gzip) bytes.
        let part = s
            .get(url("img/badge.svgz"), &[("range", "bytes=0-9")])
            .await;
        assert_eq!(part.status(), StatusCode::PARTIAL_CONTENT);
        assert_eq!(h(&part, "content-encoding"), Some("gzip"));
        assert_eq!(part.bytes().await.unwrap().as_ref(), &source[..10]);
    }
    let asset = ASSETS.get("img/badge.svgz").unwrap();
    assert_eq!(asset.variants().len(), 1, "no br/gzip/zstd of a gzip file");
}

#[tokio::test]
async fn charset_only_where_the_bytes_are_utf8() {
    for s in servers() {
        for (path, content_type) in [
            ("css/app.css", "text/css; charset=utf-8"),
            // Declares `@charset "ISO-8859-1"` and holds a Latin-1 byte:
            // no parameter, so that its own declaration rules.
            ("css/latin1.css", "text/css"),
            // Latin-1 bytes, no declaration: no charset rather than a wrong one.
            ("data/latin1.txt", "text/plain"),
            ("data/tiny.txt", "text/plain; charset=utf-8"),
        ] {
            for accept in ["identity", "br, gzip"] {
                let r = s.get(url(path), &[("accept-encoding", accept)]).await;
                assert_eq!(h(&r, "content-type"), Some(content_type), "{path} {accept}");
                let coding = h(&r, "content-encoding").map(str::to_owned);
                let body = r.bytes().await.unwrap();
                assert_eq!(
                    decode(coding.as_deref(), &body),
                    source_bytes(path),
                    "{path}"
                );
            }
        }
    }
}
