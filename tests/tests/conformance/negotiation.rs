//! Accept-Encoding, per-encoding ETags and bodies, content types, and
//! headers that do not parse.

use super::*;

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
