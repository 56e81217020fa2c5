//! Delta updates (RFC 9842): `Use-As-Dictionary` on hashed text
//! responses, and `dcb` / `dcz` deltas for a client that names an earlier
//! version in `Available-Dictionary` and lists the coding. The table has
//! deltas for `js/app.js` against the earlier release in `tests/earlier`
//! (an `export-assets` folder); that release's `docs/read me.txt` is too
//! small for a delta to beat brotli by the margin, so it has none.

use asset_tests::{available_dictionary as available, decode_delta, earlier_release, exported};

use super::*;

/// The earlier release's bytes of a logical path.
fn earlier(logical: &str) -> Vec<u8> {
    exported(&earlier_release(), logical).1
}

const BOTH: &str = "accept-encoding, available-dictionary";

#[tokio::test]
async fn hashed_text_offers_itself_as_a_dictionary_for_its_later_versions() {
    for s in servers() {
        for (logical, expected) in [
            (
                "js/app.js",
                Some(r#"match="/static/js/app.*.js", match-dest=("script")"#),
            ),
            (
                "css/app.css",
                Some(r#"match="/static/css/app.*.css", match-dest=("style")"#),
            ),
            ("js/app.js.map", Some(r#"match="/static/js/app.js.*.map""#)),
            (
                "docs/read me.txt",
                Some(r#"match="/static/docs/read%20me.*.txt""#),
            ),
            ("LICENSE", None),
            ("img/noise.png", None),
            ("img/badge.svgz", None),
        ] {
            let r = s.get(url(logical), &[]).await;
            assert_eq!(h(&r, "use-as-dictionary"), expected, "{logical}");
            // Never on a logical path: it is revalidated, not kept.
            let r = s.get(&format!("/static/{logical}"), &[]).await;
            assert_eq!(r.status(), StatusCode::OK, "{logical}");
            assert_eq!(h(&r, "use-as-dictionary"), None, "{logical}");
        }
    }
}

#[tokio::test]
async fn a_client_with_the_earlier_version_gets_a_delta_that_decodes_to_the_current_bytes() {
    for s in servers() {
        {
            let logical = "js/app.js";
            let current = ASSETS.get(logical).unwrap();
            let old = earlier(logical);
            let dictionary = available(&old);
            let br_len = current
                .variant(asset_runtime::Encoding::Brotli)
                .unwrap()
                .bytes()
                .len();
            let mut etags = Vec::new();
            for (accept, expected) in [
                ("gzip, deflate, br, zstd, dcb", "dcb"),
                ("gzip, deflate, br, zstd, dcz", "dcz"),
            ] {
                let headers = [
                    ("accept-encoding", accept),
                    ("available-dictionary", dictionary.as_str()),
                ];
                let r = s.get(url(logical), &headers).await;
                assert_eq!(r.status(), StatusCode::OK, "{logical} {accept}");
                assert_eq!(h(&r, "content-encoding"), Some(expected), "{logical}");
                assert_eq!(h(&r, "vary"), Some(BOTH), "{logical}");
                assert_eq!(h(&r, "cache-control"), Some(IMMUTABLE));
                assert!(
                    h(&r, "use-as-dictionary").is_some(),
                    "the delta offers itself too"
                );
                let etag = h(&r, "etag").unwrap().to_owned();
                assert!(etag.contains(&format!("-{expected}-")), "{etag}");
                let length: usize = h(&r, "content-length").unwrap().parse().unwrap();
                let body = r.bytes().await.unwrap();
                assert_eq!(body.len(), length);
                assert!(
                    body.len() * 10 <= br_len * 9,
                    "{logical}: kept only when it beats br"
                );
                assert_eq!(
                    decode_delta(expected, &body, &old),
                    current.bytes(),
                    "{logical}"
                );

                // HEAD: the same headers, no body; a revalidation: 304 that
                // varies the same way.
                let head = s.send(Method::HEAD, url(logical), &headers).await;
                assert_eq!(h(&head, "content-encoding"), Some(expected));
                assert_eq!(h(&head, "etag"), Some(etag.as_str()));
                assert_eq!(h(&head, "vary"), Some(BOTH));
                let mut revalidate = headers.to_vec();
                revalidate.push(("if-none-match", &etag));
                let r = s.get(url(logical), &revalidate).await;
                assert_eq!(r.status(), StatusCode::NOT_MODIFIED);
                assert_eq!(h(&r, "etag"), Some(etag.as_str()));
                assert_eq!(h(&r, "vary"), Some(BOTH));
                etags.push(etag);
            }
            assert_ne!(etags[0], etags[1]);
            // Both listed: the smaller delta.
            let r = s
                .get(
                    url(logical),
                    &[
                        ("accept-encoding", "br, dcb, dcz"),
                        ("available-dictionary", &dictionary),
                    ],
                )
                .await;
            let coding = h(&r, "content-encoding").unwrap().to_owned();
            let smaller = current
                .deltas()
                .iter()
                .min_by_key(|d| d.bytes().len())
                .unwrap();
            assert_eq!(coding, smaller.encoding().token());
        }
    }
}

#[tokio::test]
async fn anything_but_a_named_known_dictionary_and_a_listed_coding_gets_the_ordinary_codings() {
    let logical = "js/app.js";
    let old = earlier(logical);
    let dictionary = available(&old);
    let other = available(b"some other file");
    for s in servers() {
        let cases: [(&str, Vec<(&str, &str)>); 8] = [
            ("no dictionary", vec![("accept-encoding", "br, dcb, dcz")]),
            (
                "an unknown dictionary",
                vec![
                    ("accept-encoding", "br, dcb, dcz"),
                    ("available-dictionary", &other),
                ],
            ),
            (
                "a malformed one",
                vec![
                    ("accept-encoding", "br, dcb, dcz"),
                    ("available-dictionary", "sha-256=abc"),
                ],
            ),
            (
                "a token, not a byte sequence",
                vec![
                    ("accept-encoding", "br, dcb, dcz"),
                    ("available-dictionary", dictionary.trim_matches(':')),
                ],
            ),
            (
                "coding not listed",
                vec![
                    ("accept-encoding", "br, gzip"),
                    ("available-dictionary", &dictionary),
                ],
            ),
            (
                "only through *",
                vec![
                    ("accept-encoding", "br;q=0.5, *"),
                    ("available-dictionary", &dictionary),
                ],
            ),
            (
                "refused",
                vec![
                    ("accept-encoding", "br, dcb;q=0, dcz;q=0"),
                    ("available-dictionary", &dictionary),
                ],
            ),
            (
                "two dictionaries",
                vec![
                    ("accept-encoding", "br, dcb, dcz"),
                    ("available-dictionary", &dictionary),
                    ("available-dictionary", &other),
                ],
            ),
        ];
        for (what, headers) in cases {
            let r = s.get(url(logical), &headers).await;
            assert_eq!(r.status(), StatusCode::OK, "{what}");
            let coding = h(&r, "content-encoding");
            assert!(
                matches!(coding, Some("br" | "zstd" | "gzip")),
                "{what}: {coding:?}"
            );
            assert_eq!(h(&r, "vary"), Some(BOTH), "{what}");
        }
        // A range: the identity bytes, and still the full Vary.
        let r = s
            .get(
                url(logical),
                &[
                    ("accept-encoding", "br, dcb, dcz"),
                    ("available-dictionary", &dictionary),
                    ("range", "bytes=0-9"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::PARTIAL_CONTENT);
        assert_eq!(h(&r, "content-encoding"), None);
        assert_eq!(h(&r, "vary"), Some(BOTH));
        assert_eq!(
            r.bytes().await.unwrap().as_ref(),
            &ASSETS.get(logical).unwrap().bytes()[..10]
        );
        // A file without deltas does not vary on the dictionary.
        let r = s
            .get(
                url("css/app.css"),
                &[
                    ("accept-encoding", "br, dcb"),
                    ("available-dictionary", &dictionary),
                ],
            )
            .await;
        assert_eq!(h(&r, "vary"), Some("accept-encoding"));
        assert_eq!(h(&r, "content-encoding"), Some("br"));
    }
}

#[test]
fn serve_options_turn_dictionaries_off() {
    let logical = "js/app.js";
    let mut headers = http::HeaderMap::new();
    headers.insert(
        "accept-encoding",
        http::HeaderValue::from_static("br, dcb, dcz"),
    );
    headers.insert(
        "available-dictionary",
        http::HeaderValue::from_str(&available(&earlier(logical))).unwrap(),
    );
    let path = ASSETS.get(logical).unwrap().hashed_path();
    let serve = |options: &asset_runtime::ServeOptions| {
        asset_runtime::serve(&ASSETS, options, &http::Method::GET, path, &headers).unwrap()
    };
    let on = serve(&asset_runtime::ServeOptions::default());
    assert!(
        on.headers()["content-encoding"]
            .to_str()
            .unwrap()
            .starts_with("dc")
    );
    let off = serve(&asset_runtime::ServeOptions::default().dictionaries(false));
    assert_eq!(off.headers()["content-encoding"], "br");
    assert_eq!(off.headers()["vary"], "accept-encoding");
    assert!(off.headers().get("use-as-dictionary").is_none());
    // One coding only: that one, whatever the client lists.
    for only in [asset_runtime::Encoding::Dcb, asset_runtime::Encoding::Dcz] {
        let r = serve(&asset_runtime::ServeOptions::default().delta_encodings([only]));
        assert_eq!(r.headers()["content-encoding"], only.token());
        assert_eq!(r.headers()["vary"], BOTH);
    }
    let none = serve(&asset_runtime::ServeOptions::default().delta_encodings([]));
    assert_eq!(none.headers()["content-encoding"], "br");
    assert_eq!(none.headers()["vary"], "accept-encoding");
    assert!(none.headers().get("use-as-dictionary").is_some());
    // The table itself: one file has deltas, one per coding; the earlier
    // `docs/read me.txt` gave deltas no smaller than 90% of brotli's
    // (the header alone is 36 or 40 bytes), which were not kept.
    let with_deltas: Vec<(&str, usize)> = ASSETS
        .iter()
        .filter(|a| !a.deltas().is_empty())
        .map(|a| (a.logical_path(), a.deltas().len()))
        .collect();
    assert_eq!(with_deltas, [("js/app.js", 2)]);
    let readme = ASSETS.get("docs/read me.txt").unwrap();
    assert!(
        readme
            .variant(asset_runtime::Encoding::Brotli)
            .unwrap()
            .bytes()
            .len()
            < 80
    );
}
