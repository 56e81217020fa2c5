//! The demo site: one binary that serves a page and its fingerprinted,
//! precompressed assets.
//!
//! ```text
//! cargo run -p demo                       # http://127.0.0.1:3000
//! ADDR=127.0.0.1:8080 cargo run -p demo
//! ASSET_URL_PREFIX=https://cdn.example.com/static/ cargo run -p demo
//! cargo run -p demo -- export-assets dist/static
//! ```

use askama::Template;
use asset_runtime::{Asset, Encoding};
use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;

asset_runtime::include_assets!();

#[derive(Template)]
#[template(path = "index.html")]
struct Index {
    rows: Vec<Row>,
}

struct Row {
    logical: &'static str,
    url: &'static str,
    etag: &'static str,
    integrity: &'static str,
    sizes: String,
}

impl Row {
    fn new(asset: &'static Asset) -> Self {
        let size = |encoding| {
            asset
                .variant(encoding)
                .map_or("-".to_owned(), |v| v.bytes().len().to_string())
        };
        Row {
            logical: asset.logical_path(),
            url: ASSETS.url(asset.logical_path()).unwrap_or(asset.url()),
            etag: asset.variants()[0].etag(),
            integrity: asset.integrity(),
            sizes: format!(
                "{} / {} / {}",
                size(Encoding::Identity),
                size(Encoding::Brotli),
                size(Encoding::Gzip)
            ),
        }
    }
}

async fn index() -> Response {
    let page = Index {
        rows: ASSETS.iter().map(Row::new).collect(),
    };
    match page.render() {
        // The page names hashed URLs, so it must itself be revalidated on
        // every visit for a new release to show at once.
        Ok(html) => ([(header::CACHE_CONTROL, "no-cache")], Html(html)).into_response(),
        Err(err) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("template error: {err}\n"),
        )
            .into_response(),
    }
}

/// The app: the page at `/`, the assets under `/static`.
fn app() -> Router {
    // Behind a CDN on another origin, fonts and integrity-checked tags are
    // CORS requests.
    let options = asset_runtime::ServeOptions::default().cors(ASSETS.is_cross_origin());
    Router::new()
        .route("/", get(index))
        .nest_service("/static", ASSETS.service().with_options(options))
}

#[tokio::main]
async fn main() {
    // Served from a CDN: URLs under its origin, chosen at startup.
    if let Ok(prefix) = std::env::var("ASSET_URL_PREFIX") {
        if let Err(err) = ASSETS.set_url_prefix(&prefix) {
            eprintln!("demo: ASSET_URL_PREFIX: {err}");
            std::process::exit(2);
        }
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        [] => {}
        ["export-assets", out] => {
            match ASSETS.export(out) {
                Ok(report) => println!(
                    "demo: exported {} files ({} bytes) to {out}",
                    report.files.len(),
                    report.bytes
                ),
                Err(err) => {
                    eprintln!("demo: {err}");
                    std::process::exit(1);
                }
            }
            return;
        }
        _ => {
            eprintln!(
                "usage: demo                     serve on ADDR (default 127.0.0.1:3000)\n       demo export-assets OUT     write the hashed assets and manifest.json to OUT"
            );
            std::process::exit(2);
        }
    }
    let addr = std::env::var("ADDR").unwrap_or_else(|_| "127.0.0.1:3000".to_owned());
    let listener = match tokio::net::TcpListener::bind(&addr).await {
        Ok(listener) => listener,
        Err(err) => {
            eprintln!("demo: cannot listen on {addr} (from ADDR or the default): {err}");
            std::process::exit(1);
        }
    };
    let local = listener
        .local_addr()
        .expect("a bound socket has an address");
    println!(
        "demo: serving on http://{local}/ ({} assets; stylesheet at {})",
        ASSETS.len(),
        asset_runtime::asset!("css/app.css")
    );
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    if let Err(err) = axum::serve(listener, app())
        .with_graceful_shutdown(shutdown)
        .await
    {
        eprintln!("demo: server error: {err}");
        std::process::exit(1);
    }
}
