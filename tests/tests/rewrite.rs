//! Reference rewriting in the test crate's own table: `js/app.js` ends with
//! `//# sourceMappingURL=app.js.map` and the map's `file` names the script,
//! a cycle. Every other asset is served exactly as it is on disk.

use asset_tests::{ASSETS, client, serve_axum, source_bytes};
use base64::Engine;
use reqwest::Url;
use sha2::{Digest, Sha256, Sha384};

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap()
}

fn hashed(logical: &str) -> &'static str {
    ASSETS.get(logical).unwrap().hashed_path()
}

#[test]
fn only_the_references_change() {
    let js = String::from_utf8(source_bytes("js/app.js")).unwrap();
    let map = String::from_utf8(source_bytes("js/app.js.map")).unwrap();
    let js_served = js.replace(
        "//# sourceMappingURL=app.js.map",
        &format!(
            "//# sourceMappingURL={}",
            file_name(hashed("js/app.js.map"))
        ),
    );
    let map_served = map.replace(
        "\"file\":\"app.js\"",
        &format!("\"file\":\"{}\"", file_name(hashed("js/app.js"))),
    );
    assert_ne!(js_served, js);
    assert_ne!(map_served, map);
    for asset in ASSETS.iter() {
        let expected = match asset.logical_path() {
            "js/app.js" => js_served.clone().into_bytes(),
            "js/app.js.map" => map_served.clone().into_bytes(),
            other => {
                // No references: named by the SHA-256 of its bytes.
                let source = source_bytes(other);
                let hash = &hex(&Sha256::digest(&source))[..16];
                assert!(
                    asset.hashed_path().contains(hash),
                    "{}",
                    asset.hashed_path()
                );
                source
            }
        };
        assert_eq!(asset.bytes(), expected, "{}", asset.logical_path());
        // ETag and SRI describe the served bytes.
        let etag = format!(
            "\"{}{}\"",
            &hex(&Sha256::digest(&expected))[..32],
            asset.variants()[0].encoding().etag_suffix()
        );
        assert_eq!(asset.variants()[0].etag(), etag, "{}", asset.logical_path());
        let sri = format!(
            "sha384-{}",
            base64::engine::general_purpose::STANDARD.encode(Sha384::digest(&expected))
        );
        assert_eq!(asset.integrity(), sri, "{}", asset.logical_path());
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[tokio::test]
async fn a_browser_following_the_references_gets_immutable_files() {
    let addr = serve_axum().await;
    let base = Url::parse(&format!("http://{addr}")).unwrap();
    let js_url = base.join(ASSETS.url("js/app.js").unwrap()).unwrap();
    let js = client().get(js_url.clone()).send().await.unwrap();
    assert_eq!(js.status(), 200);
    let js = js.text().await.unwrap();
    let map_ref = js
        .trim_end()
        .rsplit_once("//# sourceMappingURL=")
        .unwrap()
        .1;
    let map_url = js_url.join(map_ref).unwrap();
    assert_eq!(map_url.path(), ASSETS.url("js/app.js.map").unwrap());

    let map = client().get(map_url.clone()).send().await.unwrap();
    assert_eq!(map.status(), 200);
    assert_eq!(
        map.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let map: serde_json::Value = serde_json::from_slice(&map.bytes().await.unwrap()).unwrap();
    let file = map["file"].as_str().unwrap();
    assert_eq!(
        map_url.join(file).unwrap(),
        js_url,
        "the map names the script"
    );
}
