//! axum 0.8 with the assets in front of the app's routes: a request whose
//! path names an asset is answered from the table, every other request goes
//! to the routes. The page is a minijinja template.
//!
//! ```text
//! cargo run -p adapter-examples --bin axum-layer
//! ```

use adapter_examples::ASSETS;
use axum::response::Html;

const PAGE: &str = r#"<!doctype html>
<link rel="stylesheet" href="{{ asset_url("css/app.css") }}" integrity="{{ "css/app.css"|asset_integrity }}" crossorigin="anonymous">
<h1>axum + minijinja</h1>"#;

fn app() -> axum::Router {
    // Making the service also installs the table for the template helpers.
    let assets = ASSETS.service().mount("/static");
    let mut env = minijinja::Environment::new();
    asset_runtime::minijinja::register(&mut env);
    let page = env.render_str(PAGE, ()).expect("the template renders");
    axum::Router::new()
        .route("/", axum::routing::get(move || async move { Html(page) }))
        // Assets first, for every route and the router's own fallback.
        .layer(assets)
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
