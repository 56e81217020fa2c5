//! axum 0.8 with the assets nested under `/static`, and a tera page.
//!
//! ```text
//! cargo run -p adapter-examples --bin axum-nest
//! ```

use adapter_examples::ASSETS;
use axum::response::Html;

const PAGE: &str = r#"<!doctype html>
<link rel="stylesheet" href="{{ asset_url(path="css/app.css") }}" integrity="{{ "css/app.css" | asset_integrity }}" crossorigin="anonymous">
<h1>axum + tera</h1>"#;

fn app() -> axum::Router {
    // Making the service also installs the table for the template helpers.
    let assets = ASSETS.service();
    let mut tera = tera::Tera::default();
    asset_runtime::tera::register(&mut tera);
    tera.add_raw_template("page.html", PAGE).unwrap();
    let page = tera.render("page.html", &tera::Context::new());
    let page = Html(page.expect("the template renders"));
    axum::Router::new()
        .route("/", axum::routing::get(move || async move { page }))
        // axum strips `/static` before the service sees the path.
        .nest_service("/static", assets)
}

#[tokio::main]
async fn main() {
    let listener = tokio::net::TcpListener::bind(adapter_examples::addr())
        .await
        .unwrap();
    println!("listening on http://{}", listener.local_addr().unwrap());
    axum::serve(listener, app()).await.unwrap();
}

#[cfg(test)]
#[tokio::test(flavor = "multi_thread")]
async fn serves_the_page_and_the_assets() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app()).await });
    tokio::task::spawn_blocking(move || adapter_examples::smoke_test(addr))
        .await
        .unwrap();
}
