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

use std::fmt::Write as _;

use asset_runtime::pages::{CachePolicy, ValidateLayer, Version};
use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Response};
use axum::response::{Html, IntoResponse};
use axum::routing::get;

/// 160 rows of a table, each escaped for HTML: the cost of a real
/// template render of a 20 KB page.
struct Row {
    id: u32,
    title: String,
    author: String,
    score: f64,
}

fn rows() -> Vec<Row> {
    (0..160)
        .map(|id| Row {
            id,
            title: format!("Post <{id}> & \"friends\": a title of some length"),
            author: format!("author-{}", id % 17),
            score: f64::from(id) * 1.25,
        })
        .collect()
}

fn escape(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
}

/// Renders the page from its rows.
fn render(rows: &[Row]) -> String {
    let mut html = String::with_capacity(24 * 1024);
    html.push_str("<!doctype html><html><head><title>Posts</title></head><body><table>\n");
    for row in rows {
        let _ = write!(html, "<tr><td>{}</td><td>", row.id);
        escape(&mut html, &row.title);
        html.push_str("</td><td>");
        escape(&mut html, &row.author);
        let _ = writeln!(html, "</td><td>{:.2}</td></tr>", row.score);
    }
    html.push_str("</table></body></html>\n");
    html
}

fn page() -> Html<String> {
    Html(render(&rows()))
}

fn version() -> Version {
    Version::new("posts:2026-11-24T10:00:00Z")
}

async fn versioned(method: Method, headers: HeaderMap) -> Response<Body> {
    let version = version();
    if let Some(answer) = version.precondition(&method, &headers) {
        return answer.map(|b| Body::from(b.into_bytes()));
    }
    let mut response = page().into_response();
    version.tag(response.headers_mut());
    response
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mode = args.next().expect("a mode: plain, layer or version");
    let port: u16 = args.next().expect("a port").parse().unwrap();
    let app = match mode.as_str() {
        "plain" => Router::new().route("/", get(|| async { page() })),
        "layer" => Router::new()
            .route("/", get(|| async { page() }))
            .layer(ValidateLayer::new(CachePolicy::revalidate())),
        // Diagnostics: the layer with a handler that sets its own ETag, so
        // nothing is buffered or hashed.
        "tagged" => Router::new()
            .route(
                "/",
                get(|| async { ([(axum::http::header::ETAG, "W/\"fixed\"")], page()) }),
            )
            .layer(ValidateLayer::new(CachePolicy::revalidate())),
        // Diagnostics: a middleware that does nothing, under the same
        // `Router::layer`: what any layer costs there.
        "noop" => Router::new().route("/", get(|| async { page() })).layer(
            axum::middleware::map_response(
                |response: axum::response::Response| async move { response },
            ),
        ),
        "version" => Router::new()
            .route("/", get(versioned))
            .layer(ValidateLayer::new(CachePolicy::revalidate())),
        other => panic!("unknown mode {other}"),
    };
    let etag = if mode == "version" {
        version().etag().to_str().unwrap().to_owned()
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
