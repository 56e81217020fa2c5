//! The page-caching benchmark's app: a 20 KB HTML page rendered on every
//! request, in the forms `page-server` serves and `cargo bench --bench
//! page` calls in-process.

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

pub fn page() -> Html<String> {
    Html(render(&rows()))
}

pub fn version() -> Version {
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

/// The app of one mode: `plain`, `layer`, `version`, or the diagnostics
/// `tagged` (the layer with a handler that sets its own ETag) and `noop`
/// (a middleware that does nothing).
pub fn app(mode: &str) -> Router {
    match mode {
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
    }
}
