//! One server of the serving benchmark on 127.0.0.1:
//! `bench-server <name> <port> [worker threads, default 1]`. Prints
//! `ready <url path>` once it listens. Every server gets `TCP_NODELAY`, so
//! that one whose body follows its headers in a second write (tower-http's
//! `ServeDir`) is not held back by Nagle's algorithm and delayed ACKs.

use std::io::Write;

use axum::serve::ListenerExt;

fn main() {
    let mut args = std::env::args().skip(1);
    let name = args.next().expect("a server name");
    let port: u16 = args.next().expect("a port").parse().expect("a port");
    let threads: usize = args
        .next()
        .map_or(1, |t| t.parse().expect("a thread count"));
    let app = asset_benches::app(&name);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .unwrap()
            .tap_io(|tcp| tcp.set_nodelay(true).unwrap());
        println!("ready {}", asset_benches::url_path(&name));
        std::io::stdout().flush().unwrap();
        axum::serve(listener, app).await.unwrap();
    });
}
