//! The respond path alone, without a network: what our service does for the
//! serving benchmark's request, against building the ceiling's response
//! (the same headers and bytes, no lookup or negotiation).
//!
//! `cargo bench --bench respond` in `benches/`.

use asset_benches::{SITE, ceiling_parts, url_path};
use divan::Bencher;
use http::header;
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
    let (bytes, headers) = ceiling_parts();
    bencher.bench_local(|| {
        let mut response = Response::new(bytes::Bytes::from_static(bytes));
        let h = response.headers_mut();
        for (name, value) in divan::black_box(&headers).clone() {
            h.insert(name, value);
        }
        response
    });
}
