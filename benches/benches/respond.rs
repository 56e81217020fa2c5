//! The respond path alone, without a network: what our service does for the
//! serving benchmark's request, against building the ceiling's response
//! (the same headers and bytes, no lookup or negotiation).
//!
//! `cargo bench --bench respond` in `benches/`.

use asset_benches::{ASSET, SITE, url_path};
use asset_runtime::Encoding;
use divan::Bencher;
use http::header::{self, HeaderName, HeaderValue};
use http::{Request, Response};

fn main() {
    divan::main();
}

fn request(path: &str) -> Request<()> {
    Request::get(path)
        .header(header::ACCEPT_ENCODING, "br, gzip")
        .header(header::HOST, "127.0.0.1:38080")
        .body(())
        .unwrap()
}

#[divan::bench]
fn ours(bencher: Bencher) {
    let service = SITE.service().mount("/static");
    let request = request(&url_path("ours-layer"));
    bencher.bench_local(|| service.respond(divan::black_box(&request)));
}

#[divan::bench]
fn ceiling(bencher: Bencher) {
    let asset = SITE.get(ASSET).unwrap();
    let br = asset.variant(Encoding::Brotli).unwrap();
    let headers: [(HeaderName, HeaderValue); 7] = [
        (
            header::CONTENT_TYPE,
            HeaderValue::from_static(asset.content_type),
        ),
        (header::ETAG, HeaderValue::from_static(br.etag)),
        (
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        ),
        (header::ACCEPT_RANGES, HeaderValue::from_static("bytes")),
        (
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
        (header::VARY, HeaderValue::from_static("accept-encoding")),
        (header::CONTENT_ENCODING, HeaderValue::from_static("br")),
    ];
    let bytes: &'static [u8] = br.bytes;
    bencher.bench_local(|| {
        let mut response = Response::new(bytes::Bytes::from_static(bytes));
        let h = response.headers_mut();
        for (name, value) in divan::black_box(&headers).clone() {
            h.insert(name, value);
        }
        response
    });
}
