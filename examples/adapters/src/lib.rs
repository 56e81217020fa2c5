//! Shared by the example apps: the embedded assets, where to listen, and a
//! minimal HTTP client for their smoke tests.
//!
//! ```text
//! cargo run -p adapter-examples --bin axum-nest     # axum, nest_service, tera
//! cargo run -p adapter-examples --bin axum-layer    # axum, assets in front of the routes, minijinja
//! cargo run -p adapter-examples --bin actix         # actix-web 4, maud
//! cargo run -p adapter-examples --bin hyper         # hyper 1, minijinja
//! ```
//!
//! Each serves a page at `/` and the assets under `/static`, on
//! `127.0.0.1:3000` or `ADDR`.

asset_runtime::include_assets!(pub static ASSETS);

/// `ADDR`, or `127.0.0.1:3000`.
pub fn addr() -> String {
    std::env::var("ADDR").unwrap_or_else(|_| "127.0.0.1:3000".to_owned())
}

/// One `GET` over a fresh connection: status line, headers, body.
pub fn get(addr: std::net::SocketAddr, path: &str) -> (String, String, Vec<u8>) {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAccept-Encoding: zstd\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete head");
    let head = String::from_utf8(response[..split].to_vec()).unwrap();
    let (status, headers) = head.split_once("\r\n").unwrap_or((&head, ""));
    (
        status.to_owned(),
        headers.to_ascii_lowercase(),
        response[split + 4..].to_vec(),
    )
}

/// Checks a running example: the page names the hashed stylesheet, which is
/// served zstd-compressed and immutable.
pub fn smoke_test(addr: std::net::SocketAddr) {
    let (status, _, page) = get(addr, "/");
    assert!(status.contains(" 200 "), "{status}");
    let css = ASSETS.url("css/app.css").unwrap();
    let page = String::from_utf8(page).unwrap();
    assert!(page.contains(css), "{page}");
    let (status, headers, _) = get(addr, css);
    assert!(status.contains(" 200 "), "{status}");
    assert!(headers.contains("content-encoding: zstd"), "{headers}");
    assert!(headers.contains("immutable"), "{headers}");
    let (status, _, _) = get(addr, "/static/css/nope.css");
    assert!(status.contains(" 404 "), "{status}");
}
