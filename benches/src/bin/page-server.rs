//! The app for the page-caching benchmark: an axum server that renders a
//! 20 KB HTML page on every request, in one of three forms.
//!
//! ```sh
//! page-server <plain|layer|version> <port>
//! ```
//!
//! - `plain`: the rendered page, no validator;
//! - `layer`: the same page through `ValidateLayer` (XXH3 of the body,
//!   weak ETag, `no-cache`);
//! - `version`: the same page through the layer, with the handler asking
//!   `Version::precondition` first: a client that has this version gets a
//!   304 before anything is rendered.
//!
//! Prints `ready <etag>` (the version's ETag, or `-`) once it listens. One
//! worker thread, so that the server's CPU is one core.

fn main() {
    let mut args = std::env::args().skip(1);
    let mode = args.next().expect("a mode: plain, layer or version");
    let port: u16 = args.next().expect("a port").parse().unwrap();
    let app = asset_benches::page::app(&mode);
    let etag = if mode == "version" {
        asset_benches::page::version()
            .etag()
            .to_str()
            .unwrap()
            .to_owned()
    } else {
        "-".to_owned()
    };
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap()
        .block_on(async move {
            let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
                .await
                .unwrap();
            println!("ready {etag}");
            axum::serve(listener, app).await.unwrap();
        });
}
