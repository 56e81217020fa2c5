//! Shared helpers for the end-to-end tests: the embedded test assets, a
//! real axum server on loopback, decoders, fixture crates built through
//! cargo, and a real S3 API (moto) on loopback.

use std::io::Read;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

pub mod fixture;
pub mod lint;
pub mod pages;
pub mod s3;
pub mod servers;

asset_runtime::include_assets!(pub static ASSETS);

/// The folder the test assets come from.
pub fn assets_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets")
}

/// The bytes of a test asset on disk.
pub fn source_bytes(logical: &str) -> Vec<u8> {
    std::fs::read(assets_dir().join(logical)).unwrap()
}

/// Starts an axum app on 127.0.0.1 with the assets nested at `/static`,
/// and returns its address. The server runs until the test's runtime ends.
pub async fn serve_axum() -> SocketAddr {
    let app = axum::Router::new()
        .route("/", axum::routing::get(|| async { "home" }))
        .nest_service("/static", ASSETS.service());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    addr
}

/// A client that sends only the headers a test gives it and never decodes
/// bodies, so the bytes on the wire can be checked.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().unwrap()
}

/// The body of a GET of `url` as text; panics if the request fails.
pub async fn get_text(url: &str) -> String {
    client()
        .get(url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// Decodes a body by its `Content-Encoding`.
pub fn decode(encoding: Option<&str>, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    match encoding {
        None => out.extend_from_slice(body),
        Some("br") => {
            brotli_decompressor::Decompressor::new(body, 4096)
                .read_to_end(&mut out)
                .unwrap();
        }
        Some("gzip") => {
            flate2::read::GzDecoder::new(body)
                .read_to_end(&mut out)
                .unwrap();
        }
        Some("zstd") => {
            // RFC 9659: a decoder needs no window larger than 8 MiB.
            let mut decoder = zstd::stream::read::Decoder::new(body).unwrap();
            decoder.window_log_max(23).unwrap();
            decoder.read_to_end(&mut out).unwrap();
        }
        Some(other) => panic!("unexpected Content-Encoding {other}"),
    }
    out
}
