//! Shared helpers for the end-to-end tests: the embedded test assets, a
//! real axum server on loopback, decoders, fixture crates built through
//! cargo, three releases of the demo, real object stores (SeaweedFS,
//! Azurite) on loopback and a TCP proxy to put in front of them.

use std::io::Read;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

pub mod browser;
pub mod fixture;
pub mod lint;
pub mod nginx;
pub mod pages;
pub mod proxy;
pub mod releases;
pub mod servers;
pub mod stores;

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

/// The `Available-Dictionary` a client holding `bytes` sends.
pub fn available_dictionary(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    asset_manifest::dictionary::available_dictionary(&sha2::Sha256::digest(bytes).into())
}

/// In a folder `export-assets` wrote: the hashed path of `logical` (from
/// its `manifest.json`) and that file's bytes.
pub fn exported(dir: &Path, logical: &str) -> (String, Vec<u8>) {
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    let hashed = manifest["assets"][logical]["hashed_path"]
        .as_str()
        .unwrap_or_else(|| panic!("{logical} is in {}", dir.display()))
        .to_owned();
    let bytes = std::fs::read(dir.join(&hashed)).unwrap();
    (hashed, bytes)
}

/// The earlier release the test table's deltas are made against
/// (`tests/earlier`, an export).
pub fn earlier_release() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("earlier")
}

/// Decodes a `dcb` or `dcz` body (RFC 9842) with the dictionary it names,
/// checking its header: `dcb` with Google's brotli library (the decoder
/// Chromium uses, with the dictionary attached as a raw dictionary),
/// `dcz` with libzstd given the raw-content prefix and the window limit a
/// browser applies, max(8 MiB, 1.25 x the dictionary).
pub fn decode_delta(encoding: &str, body: &[u8], dictionary: &[u8]) -> Vec<u8> {
    use sha2::Digest as _;
    let sha: [u8; 32] = sha2::Sha256::digest(dictionary).into();
    match encoding {
        "dcb" => {
            assert_eq!(body[..4], asset_manifest::dictionary::DCB_MAGIC);
            assert_eq!(body[4..36], sha, "the dictionary the body names");
            google_brotli_decode(&body[36..], dictionary)
                .expect("a dcb stream Google's decoder reads")
        }
        "dcz" => {
            assert_eq!(body[..8], asset_manifest::dictionary::DCZ_MAGIC);
            assert_eq!(body[8..40], sha, "the dictionary the body names");
            let limit = asset_manifest::dictionary::dcz_max_window(dictionary.len() as u64);
            let mut decoder = zstd::stream::read::Decoder::with_ref_prefix(
                std::io::BufReader::new(&body[40..]),
                dictionary,
            )
            .unwrap();
            decoder.window_log_max(63 - limit.leading_zeros()).unwrap();
            let mut out = Vec::new();
            decoder.read_to_end(&mut out).unwrap();
            out
        }
        other => panic!("not a dictionary coding: {other}"),
    }
}

/// Google's brotli decoder (the C library) with `dictionary` attached as
/// `BROTLI_SHARED_DICTIONARY_RAW`.
pub fn google_brotli_decode(stream: &[u8], dictionary: &[u8]) -> Option<Vec<u8>> {
    use brotlic_sys::*;
    // SAFETY: the decoder is created, used with buffers that outlive it,
    // and destroyed here; the dictionary outlives the decoding.
    unsafe {
        let state = BrotliDecoderCreateInstance(None, None, std::ptr::null_mut());
        let attached = BrotliDecoderAttachDictionary(
            state,
            BrotliSharedDictionaryType_BROTLI_SHARED_DICTIONARY_RAW,
            dictionary.len(),
            dictionary.as_ptr(),
        );
        let mut out = vec![0u8; 64 << 20];
        let (mut available_in, mut next_in) = (stream.len(), stream.as_ptr());
        let (mut available_out, mut next_out) = (out.len(), out.as_mut_ptr());
        let mut total = 0;
        let result = BrotliDecoderDecompressStream(
            state,
            &mut available_in,
            &mut next_in,
            &mut available_out,
            &mut next_out,
            &mut total,
        );
        BrotliDecoderDestroyInstance(state);
        (attached == 1 && result == BrotliDecoderResult_BROTLI_DECODER_RESULT_SUCCESS).then(|| {
            out.truncate(total);
            out
        })
    }
}
