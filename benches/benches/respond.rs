//! The respond path alone, without a network: what our service does for the
//! serving benchmark's request, against building the ceiling's response
//! (the same headers and bytes, no lookup or negotiation); and, on the
//! table whose stylesheet has a delta, the same URL asked for as br and as
//! dcb (`Available-Dictionary` naming the earlier release).
//!
//! `cargo bench --bench respond` in `benches/`.

use asset_benches::{DELTA_DICTIONARY, DELTA_SITE, SITE, ceiling_parts, url_path};
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

/// The delta table, asked for as br (`br`) and as its delta (`dcb`).
#[divan::bench(args = ["br", "dcb"])]
fn delta_table(bencher: Bencher, coding: &str) {
    let service = DELTA_SITE.service().mount("/static");
    let mut request = Request::get(url_path("ours-delta")).header(header::HOST, "127.0.0.1:38080");
    request = if coding == "dcb" {
        request
            .header(header::ACCEPT_ENCODING, "br, dcb")
            .header("available-dictionary", DELTA_DICTIONARY)
    } else {
        request.header(header::ACCEPT_ENCODING, "br")
    };
    let request = request.body(()).unwrap();
    let response = service.respond(&request);
    assert_eq!(response.headers()[header::CONTENT_ENCODING], coding);
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
