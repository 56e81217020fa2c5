//! Calls one in-process app `n` times, as `cargo bench --bench app` and
//! `--bench page` do, and exits: the program that `benches/instructions.sh`
//! runs under callgrind to count the instructions of a request, which on
//! a shared machine stay the same from run to run where times do not.
//!
//! ```sh
//! inproc asset <ceiling|ceiling-nest|ours-nest|ours-layer|...> <n>
//! inproc page <plain|noop|tagged|layer> <n>
//! ```

use axum::body::Body;
use http::{Request, header};

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
    let mut read = 0usize;
    for _ in 0..n {
        let request = Request::get(&path)
            .header(header::HOST, "127.0.0.1:38080")
            .header(header::ACCEPT_ENCODING, "br, gzip")
            .body(Body::empty())
            .unwrap();
        let (status, bytes) = asset_benches::call_whole(&mut app, request, &mode);
        assert_eq!(status, 200, "{mode}");
        read += bytes;
    }
    println!("{kind} {mode}: {n} calls, {read} bytes");
}
