//! The page-caching benchmark's app called in-process, without a network:
//! what `ValidateLayer` adds to a rendered 20 KB page, per request, next to
//! the same app without it (`plain`), under a middleware that does nothing
//! (`noop`), and under the layer with a handler that sets its own `ETag`
//! (`tagged`, nothing buffered or hashed). Every call renders the page and
//! reads its whole body, as hyper does.
//!
//! `cargo bench --bench page` in `benches/`.

use asset_benches::page;
use axum::body::Body;
use divan::Bencher;
use http::Request;

fn main() {
    divan::main();
}

const MODES: [&str; 4] = ["plain", "noop", "tagged", "layer"];

#[divan::bench(args = MODES)]
fn call(bencher: Bencher, mode: &str) {
    let mut app = page::app(mode);
    bencher
        .with_inputs(|| Request::get("/").body(Body::empty()).unwrap())
        .bench_local_values(|request| {
            let (status, read) = asset_benches::call_whole(&mut app, request, mode);
            assert_eq!(status, 200);
            assert!(read > 20_000, "{mode}: the whole page, {read} bytes");
            read
        });
}
