//! Deltas (RFC 9842) behind the caches and edges users put in front:
//!
//! - nginx's `proxy_cache` in front of the app: the `Vary` the server
//!   sends keeps a delta that one client caused to be cached from ever
//!   reaching a client without its dictionary, and a client with it still
//!   gets one;
//! - nginx serving an `export-assets` folder by itself, with the edge rule
//!   of `docs/edge/` (the one README gives): a delta for a client that
//!   names its dictionary, the plain file for any other.
//!
//! The test table has deltas for `js/app.js` against `tests/earlier`.
//! Needs nginx and its njs module: `bash tests/setup.sh`.

use asset_tests::nginx::{self, Nginx};
use asset_tests::servers::Adapter;
use asset_tests::{
    ASSETS, available_dictionary, client, decode, decode_delta, earlier_release, exported,
};

/// The earlier release's `js/app.js`, its `Available-Dictionary`, and
/// the current hashed URL path.
fn app_js() -> (Vec<u8>, String, String) {
    let (_, old) = exported(&earlier_release(), "js/app.js");
    let available = available_dictionary(&old);
    (old, available, ASSETS.url("js/app.js").unwrap().to_owned())
}

struct Got {
    coding: Option<String>,
    vary: Option<String>,
    content_type: Option<String>,
    cache: Option<String>,
    body: Vec<u8>,
}

async fn get(url: &str, headers: &[(&str, &str)]) -> Got {
    let mut request = client().get(url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let r = request.send().await.unwrap();
    assert_eq!(r.status(), 200, "{url} {headers:?}");
    let header = |name: &str| {
        r.headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    };
    Got {
        coding: header("content-encoding"),
        vary: header("vary"),
        content_type: header("content-type"),
        cache: header("x-cache-status"),
        body: r.bytes().await.unwrap().to_vec(),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_shared_cache_never_hands_a_delta_to_a_client_without_its_dictionary() {
    let (old, available, path) = app_js();
    let current = ASSETS.get("js/app.js").unwrap().bytes();
    let origin = Adapter::Axum
        .base()
        .trim_start_matches("http://")
        .to_owned();
    let dir = asset_tests::fixture::workspace().join("target/nginx-deltas-proxy");
    let proxy = Nginx::start(
        &dir,
        &[],
        &nginx::proxy_cache_path(&dir),
        &nginx::caching_proxy(&origin),
    );
    let url = format!("{}{path}", proxy.base);
    let with = [
        ("accept-encoding", "gzip, br, zstd, dcb, dcz"),
        ("available-dictionary", available.as_str()),
    ];
    let without = [("accept-encoding", "gzip, br, zstd")];
    let unknown = asset_manifest::dictionary::available_dictionary(&[9; 32]);
    let other = [
        ("accept-encoding", "gzip, br, zstd, dcb, dcz"),
        ("available-dictionary", unknown.as_str()),
    ];
    // In every order, twice over: whatever the cache holds, each client
    // gets what its own headers ask for.
    let mut statuses = Vec::new();
    for round in 0..2 {
        for (who, headers) in [
            ("with", &with[..]),
            ("without", &without),
            ("other", &other),
            ("with", &with),
        ] {
            let got = get(&url, headers).await;
            statuses.push(format!("{round} {who}: {:?}", got.cache));
            assert_eq!(
                got.vary.as_deref(),
                Some("accept-encoding, available-dictionary"),
                "{who}"
            );
            match (who, got.coding.as_deref()) {
                ("with", Some(coding @ ("dcb" | "dcz"))) => {
                    assert!(decode_delta(coding, &got.body, &old) == current, "{who}");
                }
                ("without" | "other", coding @ Some("br" | "zstd" | "gzip")) => {
                    assert!(decode(coding, &got.body) == current, "{who}");
                }
                (who, coding) => panic!(
                    "{who} got {coding:?} from the cache ({:?}); log: {}",
                    got.cache,
                    proxy.log()
                ),
            }
        }
    }
    // The cache did cache: some answers were hits.
    assert!(statuses.iter().any(|s| s.contains("HIT")), "{statuses:#?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_edge_serving_an_export_picks_the_delta_by_available_dictionary() {
    let (old, available, path) = app_js();
    let asset = ASSETS.get("js/app.js").unwrap();
    let work = asset_tests::fixture::workspace().join("target/nginx-deltas-edge");
    let export = work.join("export");
    let _ = std::fs::remove_dir_all(&export);
    ASSETS.export(&export).unwrap();
    let edge = asset_tests::fixture::workspace().join("docs/edge");
    let http = std::fs::read_to_string(edge.join("nginx-http.conf"))
        .unwrap()
        .replace(
            "DICTIONARY_JS",
            edge.join("dictionary.js").to_str().unwrap(),
        );
    let locations = std::fs::read_to_string(edge.join("nginx-locations.conf"))
        .unwrap()
        .replace("EXPORT_DIR", export.to_str().unwrap());
    let server = Nginx::start(&work.join("nginx"), &[nginx::NJS_MODULE], &http, &locations);
    let url = format!("{}{path}", server.base);

    for (accept, expected) in [("gzip, br, zstd, dcb, dcz", "dcb"), ("br, dcz", "dcz")] {
        let got = get(
            &url,
            &[
                ("accept-encoding", accept),
                ("available-dictionary", &available),
            ],
        )
        .await;
        assert_eq!(got.coding.as_deref(), Some(expected), "{}", server.log());
        assert_eq!(
            got.content_type.as_deref(),
            Some("text/javascript; charset=utf-8")
        );
        assert_eq!(
            got.vary.as_deref(),
            Some("Accept-Encoding, Available-Dictionary")
        );
        let served = asset
            .deltas()
            .iter()
            .find(|d| d.encoding().token() == expected)
            .unwrap();
        assert!(
            got.body == served.bytes(),
            "the export's delta is the app's"
        );
        assert!(decode_delta(expected, &got.body, &old) == asset.bytes());
    }
    // Anything else: the file itself.
    let unknown = asset_manifest::dictionary::available_dictionary(&[9; 32]);
    for headers in [
        vec![("accept-encoding", "gzip, br")],
        vec![
            ("accept-encoding", "br, dcb"),
            ("available-dictionary", unknown.as_str()),
        ],
        vec![
            ("accept-encoding", "br, dcb"),
            ("available-dictionary", ":not base64:"),
        ],
        vec![
            ("accept-encoding", "gzip, br"),
            ("available-dictionary", available.as_str()),
        ],
    ] {
        let got = get(&url, &headers).await;
        assert_eq!(got.coding, None, "{headers:?}");
        assert!(got.body == asset.bytes(), "{headers:?}");
    }
    // A delta's own key is not a URL anyone is sent to.
    let key = asset_manifest::dictionary::delta_key(
        asset.hashed_path(),
        asset_manifest::Encoding::Dcb,
        asset.deltas()[0].dictionary().unwrap(),
    );
    let direct = client()
        .get(format!("{}/static/{key}", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(direct.status(), 404);
}
