//! Each server's axum app called in-process, without a network: the
//! per-request cost of routing, the handler and the response, for the
//! serving benchmark's request. (tower-http's `ServeDir` is left out: it
//! reads the file on a blocking thread.)
//!
//! `cargo bench --bench app` in `benches/`.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use asset_benches::{app, url_path};
use axum::body::Body;
use divan::Bencher;
use http::{Request, header};
use http_body::Body as _;
use tower_service::Service;

fn main() {
    divan::main();
}

const SERVERS: [&str; 7] = [
    "ceiling",
    "ceiling-nest",
    "ours-nest",
    "ours-layer",
    "memory-serve",
    "rust-embed+axum-embed",
    "static-serve",
];

#[divan::bench(args = SERVERS)]
fn call(bencher: Bencher, server: &str) {
    let mut app = app(server);
    let path = url_path(server);
    let mut cx = Context::from_waker(Waker::noop());
    bencher
        .with_inputs(|| {
            Request::get(&path)
                .header(header::HOST, "127.0.0.1:38080")
                .header(header::ACCEPT_ENCODING, "br, gzip")
                .body(Body::empty())
                .unwrap()
        })
        .bench_local_values(|request| {
            let future = pin!(Service::call(&mut app, request));
            let Poll::Ready(Ok(response)) = future.poll(&mut cx) else {
                panic!("{server} did not answer at once");
            };
            assert_eq!(response.status(), 200);
            // Take the body's bytes, as hyper does.
            let mut body = pin!(response.into_body());
            let Poll::Ready(Some(Ok(frame))) = body.as_mut().poll_frame(&mut cx) else {
                panic!("{server}: no body frame");
            };
            frame
        });
}
