//! The adapters agree: the same request gets the same status, headers
//! (all but `Date`) and body from axum, actix-web and hyper, nested or in
//! front of the app. And each adapter's own way of handing other paths to
//! the app works.

use asset_tests::servers::Adapter;
use asset_tests::{ASSETS, client};
use reqwest::Method;

/// What a response is made of, minus `Date`: status, headers sorted by
/// name then value, body.
#[derive(Debug, PartialEq, Eq)]
struct Answer {
    status: u16,
    headers: Vec<(String, Vec<u8>)>,
    body: Vec<u8>,
}

async fn answer(
    client: &reqwest::Client,
    base: &str,
    method: &Method,
    path: &str,
    headers: &[(&str, String)],
) -> Answer {
    let mut request = client.request(method.clone(), format!("{base}{path}"));
    for (name, value) in headers {
        request = request.header(*name, value);
    }
    let response = request.send().await.unwrap();
    assert!(
        response.headers().contains_key("date"),
        "{base}{path}: every response has a Date"
    );
    let mut headers: Vec<(String, Vec<u8>)> = response
        .headers()
        .iter()
        .filter(|(name, _)| *name != "date")
        .map(|(name, value)| (name.as_str().to_owned(), value.as_bytes().to_vec()))
        .collect();
    headers.sort();
    Answer {
        status: response.status().as_u16(),
        headers,
        body: response.bytes().await.unwrap().to_vec(),
    }
}

/// Header names and values of one request.
type Headers = Vec<(&'static str, String)>;

/// A varied set of requests: every asset by hashed and logical path, with
/// the headers each serving rule looks at, and a few methods.
fn requests() -> Vec<(Method, String, Headers)> {
    let mut out = Vec::new();
    for asset in &ASSETS {
        let identity = asset.variants()[0].etag().to_owned();
        let last = asset.variants().last().unwrap().etag().to_owned();
        let header_sets: Vec<Headers> = vec![
            vec![],
            vec![("accept-encoding", "gzip, deflate, br, zstd".into())],
            vec![("accept-encoding", "gzip".into())],
            vec![("accept-encoding", "zstd;q=1, br;q=0.5".into())],
            vec![("accept-encoding", "*;q=0".into())],
            vec![("range", "bytes=1-20".into())],
            vec![("range", "bytes=-7".into())],
            vec![("range", "bytes=100000000-".into())],
            vec![("range", "bytes=0-1, 4-5".into())],
            vec![
                ("range", "bytes=0-9".into()),
                ("if-range", identity.clone()),
            ],
            vec![
                ("range", "bytes=0-9".into()),
                ("if-range", "\"old\"".into()),
            ],
            vec![("if-none-match", identity.clone())],
            vec![
                ("if-none-match", format!("W/{last}")),
                ("accept-encoding", "br, zstd, gzip".into()),
            ],
            vec![("if-match", "\"nope\"".into())],
            vec![
                ("if-match", identity.clone()),
                ("if-modified-since", "Fri, 01 Jan 2100 00:00:00 GMT".into()),
            ],
            vec![
                ("accept-encoding", "br;q=2, gzip;q=abc".into()),
                ("range", "bytes=x".into()),
            ],
            // Delta updates: each dictionary the asset has a delta for,
            // with one coding or both, revalidated, as a range, and
            // dictionaries it does not know or that do not parse.
            vec![
                ("accept-encoding", "br, dcb, dcz".into()),
                ("available-dictionary", ":AAAA:".into()),
            ],
            vec![
                ("accept-encoding", "br, zstd, dcz".into()),
                (
                    "available-dictionary",
                    asset_manifest::dictionary::available_dictionary(&[7; 32]),
                ),
            ],
        ];
        let mut header_sets = header_sets;
        for delta in asset.deltas() {
            let dictionary = delta.dictionary().expect("a delta names its dictionary");
            let dictionary = asset_manifest::dictionary::available_dictionary(dictionary);
            for accept in ["gzip, br, zstd, dcb, dcz", "br, dcz", "dcb;q=0, br"] {
                header_sets.push(vec![
                    ("accept-encoding", accept.into()),
                    ("available-dictionary", dictionary.clone()),
                ]);
            }
            header_sets.push(vec![
                ("accept-encoding", "dcb, dcz".into()),
                ("available-dictionary", dictionary.clone()),
                ("if-none-match", delta.etag().into()),
            ]);
            header_sets.push(vec![
                ("accept-encoding", "dcb, dcz".into()),
                ("available-dictionary", dictionary.clone()),
                ("range", "bytes=0-3".into()),
            ]);
        }
        for path in [asset.url(), asset.logical_url()] {
            for headers in &header_sets {
                out.push((Method::GET, path.to_owned(), headers.clone()));
            }
            out.push((
                Method::HEAD,
                path.to_owned(),
                vec![("accept-encoding", "br, gzip, zstd".into())],
            ));
            out.push((
                Method::HEAD,
                path.to_owned(),
                vec![("range", "bytes=0-1".into())],
            ));
            out.push((Method::POST, path.to_owned(), vec![]));
            out.push((
                Method::DELETE,
                path.to_owned(),
                vec![("if-match", "*".into())],
            ));
        }
    }
    // Another release's hash, answered by the asset core everywhere.
    out.push((
        Method::GET,
        "/static/css/app.0123456789abcdef.css".into(),
        vec![],
    ));
    out.push((
        Method::HEAD,
        "/static/LICENSE.0123456789abcdef".into(),
        vec![],
    ));
    out
}

#[tokio::test]
async fn every_adapter_gives_the_same_answer() {
    let client = client();
    let requests = requests();
    assert!(requests.len() > 300);
    let mut compared = 0;
    for (method, path, headers) in &requests {
        let reference = answer(&client, Adapter::Axum.base(), method, path, headers).await;
        for adapter in &Adapter::ALL[1..] {
            let other = answer(&client, adapter.base(), method, path, headers).await;
            assert_eq!(
                other, reference,
                "{adapter:?} differs from Axum for {method} {path} {headers:?}"
            );
            compared += 1;
        }
    }
    assert_eq!(compared, requests.len() * (Adapter::ALL.len() - 1));
}

#[tokio::test]
async fn nested_adapters_agree_on_unknown_paths_too() {
    let client = client();
    let nested: Vec<Adapter> = Adapter::ALL
        .into_iter()
        .filter(|a| !a.hands_unknown_paths_to_the_app())
        .collect();
    assert_eq!(nested.len(), 4);
    for path in [
        "/static/nope.css",
        "/static/",
        "/static/%ff",
        "/static/css/app.css/x",
    ] {
        for method in [Method::GET, Method::HEAD, Method::POST] {
            let reference = answer(&client, nested[0].base(), &method, path, &[]).await;
            assert_eq!(reference.status, 404);
            for adapter in &nested[1..] {
                let other = answer(&client, adapter.base(), &method, path, &[]).await;
                assert_eq!(other, reference, "{adapter:?}: {method} {path}");
            }
        }
    }
}

#[tokio::test]
async fn fallback_forms_hand_unknown_paths_to_the_app() {
    let client = client();
    for adapter in Adapter::ALL
        .into_iter()
        .filter(|a| a.hands_unknown_paths_to_the_app())
    {
        let base = adapter.base();
        // The app's own 404: not the asset core's text.
        let r = client
            .get(format!("{base}/static/nope.css"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 404, "{adapter:?}");
        assert_ne!(r.text().await.unwrap(), "404 Not Found\n", "{adapter:?}");
        let r = client.get(format!("{base}/")).send().await.unwrap();
        assert_eq!(r.text().await.unwrap(), "home", "{adapter:?}");
        // Assets first.
        let r = client
            .get(format!("{base}{}", ASSETS.url("css/app.css").unwrap()))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{adapter:?}");
    }
}
