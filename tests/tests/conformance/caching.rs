//! Cache-Control of hashed and logical paths, the shape of hashed names,
//! and another release's hash during a rolling deploy.

use super::*;

#[tokio::test]
async fn hashed_path_is_immutable_with_every_header() {
    for s in servers() {
        let r = s.get(url("css/app.css"), &[]).await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(h(&r, "cache-control"), Some(IMMUTABLE));
        assert_eq!(h(&r, "content-type"), Some("text/css; charset=utf-8"));
        assert_eq!(h(&r, "x-content-type-options"), Some("nosniff"));
        assert_eq!(h(&r, "accept-ranges"), Some("bytes"));
        assert_eq!(h(&r, "vary"), Some("accept-encoding"));
        assert!(h(&r, "date").is_some());
        assert_eq!(h(&r, "content-encoding"), None);
        let source = source_bytes("css/app.css");
        assert_eq!(
            h(&r, "content-length"),
            Some(source.len().to_string().as_str())
        );
        let etag = h(&r, "etag").unwrap().to_owned();
        assert!(
            etag.starts_with('"') && etag.ends_with('"') && !etag.contains("-br"),
            "{etag}"
        );
        assert_eq!(r.bytes().await.unwrap(), source);
    }
}

#[tokio::test]
async fn logical_path_revalidates_every_time() {
    for s in servers() {
        let r = s.get("/static/css/app.css", &[]).await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(h(&r, "cache-control"), Some("no-cache"));
        let etag = h(&r, "etag").unwrap().to_owned();
        assert_eq!(r.bytes().await.unwrap(), source_bytes("css/app.css"));
        let again = s
            .get("/static/css/app.css", &[("if-none-match", &etag)])
            .await;
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
        assert_eq!(h(&again, "cache-control"), Some("no-cache"));
    }
}

#[tokio::test]
async fn hashed_name_has_sixteen_hex_digits_before_the_extension() {
    let asset = ASSETS.get("css/app.css").unwrap();
    let (stem, ext) = asset.hashed_path().rsplit_once('.').unwrap();
    assert_eq!(ext, "css");
    let (name, hash) = stem.rsplit_once('.').unwrap();
    assert_eq!(name, "css/app");
    assert_eq!(hash.len(), 16);
    assert!(
        hash.bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    );
    assert_eq!(asset.url(), format!("/static/{}", asset.hashed_path()));
    let license = ASSETS.get("LICENSE").unwrap();
    assert!(
        license.hashed_path().starts_with("LICENSE.")
            && license.hashed_path().len() == "LICENSE.".len() + 16
    );
}

#[tokio::test]
async fn another_releases_hash_is_404_and_never_stored() {
    let hashed = url("css/app.css");
    let other = format!(
        "{}0000000000000000.css",
        &hashed[..hashed.len() - "0000000000000000.css".len()]
    );
    assert_ne!(other, hashed);
    for s in servers() {
        // Known to the asset core whatever the adapter: it answers, no
        // fallback to the app.
        for path in [other.as_str(), "/static/LICENSE.0123456789abcdef"] {
            let r = s.get(path, &[]).await;
            assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
            assert_eq!(h(&r, "cache-control"), Some("no-store"), "{path}");
            assert_eq!(h(&r, "x-content-type-options"), Some("nosniff"));
        }
    }
}
