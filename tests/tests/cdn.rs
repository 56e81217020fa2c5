//! Serving behind a CDN: a URL prefix set at startup, and an export of the
//! embedded assets whose bytes equal what the server sends.

use asset_runtime::{Encoding, UrlPrefixError};
use asset_tests::{ASSETS, client, serve_axum};

#[tokio::test]
async fn exported_files_are_the_bytes_the_server_sends() {
    let dir = std::env::temp_dir().join(format!("asset-export-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let report = ASSETS.export(&dir).unwrap();
    assert_eq!(
        report.files.last().map(String::as_str),
        Some("manifest.json")
    );

    let addr = serve_axum().await;
    let client = client();
    let mut checked = 0;
    for asset in &ASSETS {
        for (i, variant) in asset.variants().iter().enumerate() {
            let (file, accept) = match variant.encoding() {
                Encoding::Identity => (asset.hashed_path().to_owned(), "identity"),
                // Stored encoded (`.svgz`): at its own name.
                other if i == 0 => (asset.hashed_path().to_owned(), other.token()),
                other => (
                    format!(
                        "{}.{}",
                        asset.hashed_path(),
                        other.file_extension().unwrap()
                    ),
                    other.token(),
                ),
            };
            assert!(report.files.contains(&file), "{file} exported");
            let exported = std::fs::read(dir.join(&file)).unwrap();
            let response = client
                .get(format!("http://{addr}{}", asset.url()))
                .header("accept-encoding", accept)
                .send()
                .await
                .unwrap();
            let sent_encoding = response
                .headers()
                .get("content-encoding")
                .map(|v| v.to_str().unwrap().to_owned());
            assert_eq!(
                sent_encoding.as_deref(),
                (accept != "identity").then_some(accept)
            );
            assert_eq!(response.bytes().await.unwrap(), exported, "{file}");
            checked += 1;
        }
        // Deltas: at `<hashed path>.<dictionary hex>.<dcb|dcz>`, the bytes a
        // client holding that dictionary is sent.
        for delta in asset.deltas() {
            let dictionary = delta.dictionary().unwrap();
            let file = asset_manifest::dictionary::delta_key(
                asset.hashed_path(),
                delta.encoding(),
                dictionary,
            );
            assert!(report.files.contains(&file), "{file} exported");
            let response = client
                .get(format!("http://{addr}{}", asset.url()))
                .header("accept-encoding", delta.encoding().token())
                .header(
                    "available-dictionary",
                    asset_manifest::dictionary::available_dictionary(dictionary),
                )
                .send()
                .await
                .unwrap();
            assert_eq!(
                response.headers()["content-encoding"],
                delta.encoding().token()
            );
            let exported = std::fs::read(dir.join(&file)).unwrap();
            assert_eq!(response.bytes().await.unwrap(), exported, "{file}");
            let meta = &serde_json::from_slice::<serde_json::Value>(
                &std::fs::read(dir.join("manifest.json")).unwrap(),
            )
            .unwrap()["objects"][&file];
            assert_eq!(meta["content_encoding"], delta.encoding().token());
            checked += 1;
        }
    }
    assert_eq!(checked + 1, report.files.len());

    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    let css = ASSETS.get("css/app.css").unwrap();
    assert_eq!(
        manifest["assets"]["css/app.css"]["hashed_path"],
        css.hashed_path()
    );
    let object = &manifest["objects"][format!("{}.br", css.hashed_path())];
    assert_eq!(object["content_encoding"], "br");
    assert_eq!(object["content_type"], "text/css; charset=utf-8");
    assert_eq!(
        object["cache_control"],
        "public, max-age=31536000, immutable"
    );
    let identity = &manifest["objects"][css.hashed_path()];
    assert!(identity["content_encoding"].is_null());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn a_cdn_prefix_set_at_startup_moves_every_url_but_not_what_the_origin_serves() {
    let css = ASSETS.get("css/app.css").unwrap();
    let built = ASSETS.url("css/app.css").unwrap();
    assert_eq!(built, css.url());
    assert!(!ASSETS.is_cross_origin());

    assert_eq!(
        ASSETS.set_url_prefix("cdn.example.com"),
        Err(UrlPrefixError::Invalid("cdn.example.com".into()))
    );
    ASSETS
        .set_url_prefix("https://cdn.example.com/assets")
        .unwrap();
    // Setting the same prefix again is fine; another one is refused.
    ASSETS
        .set_url_prefix("https://cdn.example.com/assets/")
        .unwrap();
    let err = ASSETS.set_url_prefix("/other/").unwrap_err();
    assert_eq!(
        err,
        UrlPrefixError::AlreadySet("https://cdn.example.com/assets/".into())
    );
    assert!(err.to_string().contains("once"), "{err}");

    let moved = ASSETS.url("css/app.css").unwrap();
    assert_eq!(
        moved,
        format!("https://cdn.example.com/assets/{}", css.hashed_path())
    );
    assert_eq!(
        ASSETS.url("docs/read me.txt").unwrap(),
        format!(
            "https://cdn.example.com/assets/{}",
            ASSETS
                .get("docs/read me.txt")
                .unwrap()
                .hashed_path()
                .replace(' ', "%20")
        )
    );
    assert_eq!(ASSETS.url_prefix(), "https://cdn.example.com/assets/");
    assert_eq!(ASSETS.build_url_prefix(), "/static/");
    assert!(ASSETS.is_cross_origin());
    // The compile-time constants keep the build prefix.
    assert_eq!(asset_runtime::asset!("css/app.css"), built);

    // Template helpers follow the installed table.
    ASSETS.install();
    assert_eq!(asset_runtime::asset_url("css/app.css").unwrap(), moved);
    assert_eq!(
        asset_runtime::asset_integrity("css/app.css").unwrap(),
        css.integrity()
    );
    assert_eq!(
        asset_runtime::asset_crossorigin("css/app.css").unwrap(),
        "anonymous"
    );

    // The app is still the origin for the same paths.
    let addr = serve_axum().await;
    let response = client()
        .get(format!("http://{addr}{built}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

#[test]
fn headers_that_cdns_read() {
    use http::{HeaderMap, HeaderName, HeaderValue, Method};
    let options = asset_runtime::ServeOptions::default()
        .shared_cache(60, 300)
        .surrogate_key(HeaderName::from_static("surrogate-key"))
        .cors(true);
    let css = ASSETS.get("css/app.css").unwrap();
    let get = |path: &str, headers: &HeaderMap| {
        asset_runtime::serve(&ASSETS, &options, &Method::GET, path, headers)
            .unwrap_or_else(asset_runtime::not_found)
    };
    let none = HeaderMap::new();

    let logical = get("/css/app.css", &none);
    assert_eq!(
        logical.headers()["cache-control"],
        "public, max-age=0, s-maxage=60, stale-while-revalidate=300"
    );
    let hashed = get(&format!("/{}", css.hashed_path()), &none);
    assert_eq!(
        hashed.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    for response in [&logical, &hashed] {
        assert_eq!(response.headers()["surrogate-key"], "css/app.css");
        assert_eq!(response.headers()["access-control-allow-origin"], "*");
    }
    // The key of a name with a space holds no space.
    let spaced = get("/docs/read%20me.txt", &none);
    assert_eq!(spaced.headers()["surrogate-key"], "docs/read%20me.txt");

    // A revalidation answer carries them too.
    let mut conditional = HeaderMap::new();
    conditional.insert(
        "if-none-match",
        HeaderValue::from_static(css.variants()[0].etag()),
    );
    let not_modified = get("/css/app.css", &conditional);
    assert_eq!(not_modified.status(), 304);
    assert_eq!(not_modified.headers()["surrogate-key"], "css/app.css");
    assert_eq!(not_modified.headers()["access-control-allow-origin"], "*");
    assert_eq!(
        not_modified.headers()["cache-control"],
        "public, max-age=0, s-maxage=60, stale-while-revalidate=300"
    );

    // None of them by default.
    let plain = asset_runtime::serve(
        &ASSETS,
        &asset_runtime::ServeOptions::default(),
        &Method::GET,
        "/css/app.css",
        &none,
    )
    .unwrap_or_else(asset_runtime::not_found);
    assert!(plain.headers().get("surrogate-key").is_none());
    assert!(plain.headers().get("access-control-allow-origin").is_none());
}
