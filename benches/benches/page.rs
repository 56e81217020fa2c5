//! The page-caching benchmark's app called in-process, without a network:
//! what `ValidateLayer` adds to a rendered 20 KB page, per request, next to
//! the same app without it (`plain`), under a middleware that does nothing
//! (`noop`), and under the layer with a handler that sets its own `ETag`
//! (`tagged`, nothing buffered or hashed). Every call renders the page and
//! reads its whole body, as hyper does.
//!
//! `cargo bench --bench page` in `benches/`.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use asset_benches::page;
use axum::body::Body;
use divan::Bencher;
use http::Request;
use http_body::Body as _;
use tower_service::Service;

fn main() {
    divan::main();
}

const MODES: [&str; 4] = ["plain", "noop", "tagged", "layer"];

#[divan::bench(args = MODES)]
fn call(bencher: Bencher, mode: &str) {
    let mut app = page::app(mode);
    let mut cx = Context::from_waker(Waker::noop());
    bencher
        .with_inputs(|| Request::get("/").body(Body::empty()).unwrap())
        .bench_local_values(|request| {
            let future = pin!(Service::call(&mut app, request));
            let Poll::Ready(Ok(response)) = future.poll(&mut cx) else {
                panic!("{mode} did not answer at once");
            };
            assert_eq!(response.status(), 200);
            let mut body = pin!(response.into_body());
            let mut read = 0;
            while let Poll::Ready(Some(frame)) = body.as_mut().poll_frame(&mut cx) {
                read += frame.unwrap().into_data().map_or(0, |data| data.len());
            }
            assert!(read > 20_000, "{mode}: the whole page, {read} bytes");
            read
        });
}
