//! Files whose bytes decide how they are served, in a real browser: an
//! `.svgz` image is drawn (it arrives with `Content-Encoding: gzip`), and a
//! stylesheet that declares `@charset "ISO-8859-1"` is decoded as Latin-1
//! (it arrives without a `charset` that would override its own).
//!
//! Needs Chromium, Node and the driver's npm packages: `bash tests/setup.sh`.

use std::process::Command;

use asset_tests::ASSETS;

#[tokio::test(flavor = "multi_thread")]
async fn svgz_and_a_latin1_stylesheet_render_in_chromium() {
    let script = asset_tests::browser::script("encodings.mjs");
    let page = format!(
        r#"<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><link rel="stylesheet" href="{css}">
<img id="badge" src="{svgz}" alt="badge">
<p id="latin1" class="latin1" data-before></p>"#,
        css = ASSETS.url("css/latin1.css").unwrap(),
        svgz = ASSETS.url("img/badge.svgz").unwrap(),
    );
    let app = axum::Router::new()
        .route(
            "/",
            axum::routing::get(move || {
                let page = page.clone();
                async move { axum::response::Html(page) }
            }),
        )
        .nest_service("/static", ASSETS.service());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let output = tokio::task::spawn_blocking(move || {
        Command::new("node")
            .arg(&script)
            .env("CHROMIUM", asset_tests::browser::chromium())
            .arg(format!("http://{addr}/"))
            .output()
            .expect("node runs")
    })
    .await
    .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "the driver failed: {stderr}");
    let state: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|_| panic!("driver said {:?}", String::from_utf8_lossy(&output.stdout)));
    assert_eq!(state["status"], 200, "{state}");
    assert_eq!(state["errors"], serde_json::json!([]), "{state}");
    let image = &state["images"][0];
    assert_eq!(
        (image["width"].as_u64(), image["height"].as_u64()),
        (Some(40), Some(20)),
        "the .svgz was drawn: {state}"
    );
    assert_eq!(
        state["before"][0]["content"], "\"café\"",
        "the Latin-1 stylesheet was decoded as Latin-1: {state}"
    );
}
