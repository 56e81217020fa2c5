//! The demo site: one binary that serves a page and its fingerprinted,
//! precompressed assets.
//!
//! ```text
//! cargo run -p demo                       # http://127.0.0.1:3000
//! ADDR=127.0.0.1:8080 cargo run -p demo
//! ASSET_URL_PREFIX=https://cdn.example.com/static/ cargo run -p demo
//! cargo run -p demo -- export-assets dist/static
//! cargo run -p demo -- publish-assets s3://bucket/static/
//! cargo run -p demo -- prune-assets s3://bucket/static/ --keep 3 [--delete]
//! ```

use askama::Template;
use asset_runtime::pages::{CachePolicy, ValidateLayer};
use asset_runtime::{Asset, Encoding};
use std::process::ExitCode;

use axum::Router;
use axum::http::{HeaderMap, StatusCode, header};
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
    let html = match page.render() {
        Ok(html) => html,
        Err(err) => return error(&err),
    };
    // No Cache-Control here: the page policy (`no-cache` and a validator)
    // comes from the layer, so every visit revalidates and a new release
    // shows at once. The Link header lets the browser (or a CDN, as 103
    // Early Hints) fetch the critical assets early.
    match ASSETS.preload(["css/app.css", "js/app.js", "fonts/inter-latin-400.woff2"]) {
        Ok(link) => ([(header::LINK, link)], Html(html)).into_response(),
        Err(err) => error(&err),
    }
}

fn error(err: &dyn std::fmt::Display) -> Response {
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        format!("template error: {err}\n"),
    )
        .into_response()
}

/// A per-user JSON endpoint: the user from the session cookie.
async fn me(headers: HeaderMap) -> Response {
    let user = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix("session="))
        .filter(|u| u.bytes().all(|b| b.is_ascii_alphanumeric()))
        .unwrap_or("anonymous");
    (
        [(header::CONTENT_TYPE, "application/json")],
        format!("{{\"user\":\"{user}\"}}\n"),
    )
        .into_response()
}

/// Signs in: sets the session cookie. The layer's guard keeps this
/// response private and out of every shared cache.
async fn login() -> Response {
    (
        [(
            header::SET_COOKIE,
            "session=demo; Path=/; HttpOnly; SameSite=Lax",
        )],
        Html("<!doctype html><title>Signed in</title><p>Signed in. <a href=\"/\">Back</a></p>\n"),
    )
        .into_response()
}

/// The app: the page at `/`, a per-user API, a sign-in route, the assets
/// under `/static`.
fn app() -> Router {
    // Behind a CDN on another origin, fonts and integrity-checked tags are
    // CORS requests.
    let options = asset_runtime::ServeOptions::default().cors(ASSETS.is_cross_origin());
    let pages = Router::new()
        .route("/", get(index))
        .route("/login", get(login))
        .layer(ValidateLayer::new(CachePolicy::revalidate()));
    let api = Router::new()
        .route("/api/me", get(me))
        .layer(ValidateLayer::new(
            CachePolicy::private_max_age(120).vary(header::ORIGIN),
        ));
    pages
        .merge(api)
        .nest_service("/static", ASSETS.service().with_options(options))
}

#[tokio::main]
async fn main() -> ExitCode {
    // Served from a CDN: URLs under its origin, chosen at startup.
    if let Ok(prefix) = std::env::var("ASSET_URL_PREFIX") {
        if let Err(err) = ASSETS.set_url_prefix(&prefix) {
            eprintln!("demo: ASSET_URL_PREFIX: {err}");
            return ExitCode::from(2);
        }
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    // `publish-assets URL` and `prune-assets URL --keep N`: deploy the
    // hashed assets to a bucket behind a CDN, and clean up old releases.
    if let Some(code) = asset_runtime::publish::run_command(&ASSETS, &args).await {
        return code;
    }
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
                    return ExitCode::from(1);
                }
            }
            return ExitCode::SUCCESS;
        }
        _ => {
            eprintln!(
                "usage: demo                     serve on ADDR (default 127.0.0.1:3000)\n       demo export-assets OUT     write the hashed assets and manifest.json to OUT\n{}",
                asset_runtime::publish::USAGE
            );
            return ExitCode::from(2);
        }
    }
    let addr = std::env::var("ADDR").unwrap_or_else(|_| "127.0.0.1:3000".to_owned());
    let listener = match tokio::net::TcpListener::bind(&addr).await {
        Ok(listener) => listener,
        Err(err) => {
            eprintln!("demo: cannot listen on {addr} (from ADDR or the default): {err}");
            return ExitCode::from(1);
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
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}
