//! The table, its manifest, `asset!` and the core called directly: the
//! checks that need no HTTP server.

use super::*;

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
        "css/latin1.css",
        "data/empty.txt",
        "data/latin1.txt",
        "data/tiny.txt",
        "docs/read me.txt",
        "img/badge.svgz",
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
        // The stored bytes, under their coding (gzip for `.svgz`).
        let stored = asset.identity().encoding().token();
        assert_eq!(entry["sizes"][stored], asset.bytes().len());
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
