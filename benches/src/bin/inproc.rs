//! Calls one in-process app `n` times, as `cargo bench --bench app` and
//! `--bench page` do, and exits: the program that `benches/instructions.sh`
//! runs under callgrind to count the instructions of a request, which on
//! a shared machine stay the same from run to run where times do not.
//!
//! ```sh
//! inproc asset <ceiling|ceiling-nest|ours-nest|ours-layer|...> <n>
//! inproc page <plain|noop|tagged|layer> <n>
//! ```

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use axum::body::Body;
use http::{Request, header};
use http_body::Body as _;
use tower_service::Service;

fn main() {
    let mut args = std::env::args().skip(1);
    let kind = args.next().expect("asset or page");
    let mode = args.next().expect("a server or a page mode");
    let n: usize = args.next().expect("a count").parse().expect("a count");
    let (mut app, path) = match kind.as_str() {
        "asset" => (asset_benches::app(&mode), asset_benches::url_path(&mode)),
        "page" => (asset_benches::page::app(&mode), "/".to_owned()),
        other => panic!("unknown kind {other}: asset or page"),
    };
    let mut cx = Context::from_waker(Waker::noop());
    let mut read = 0usize;
    for _ in 0..n {
        let request = Request::get(&path)
            .header(header::HOST, "127.0.0.1:38080")
            .header(header::ACCEPT_ENCODING, "br, gzip")
            .body(Body::empty())
            .unwrap();
        let future = pin!(Service::call(&mut app, request));
        let Poll::Ready(Ok(response)) = future.poll(&mut cx) else {
            panic!("{mode} did not answer at once");
        };
        assert_eq!(response.status(), 200, "{mode}");
        let mut body = pin!(response.into_body());
        while let Poll::Ready(Some(frame)) = body.as_mut().poll_frame(&mut cx) {
            read += frame.unwrap().into_data().map_or(0, |data| data.len());
        }
    }
    println!("{kind} {mode}: {n} calls, {read} bytes");
}
