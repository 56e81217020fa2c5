//! hyper 1 with the assets in front of a `service_fn` app, and a
//! minijinja page.
//!
//! ```text
//! cargo run -p adapter-examples --bin hyper
//! ```

use std::convert::Infallible;

use adapter_examples::ASSETS;
use asset_runtime::Body;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;

async fn app(
    request: http::Request<hyper::body::Incoming>,
) -> Result<http::Response<Body>, Infallible> {
    let mut response = http::Response::new(Body::empty());
    if request.uri().path() == "/" {
        let mut env = minijinja::Environment::new();
        asset_runtime::minijinja::register(&mut env);
        let page = env
            .render_str(
                r#"<!doctype html><script src="{{ asset_url("js/app.js") }}" integrity="{{ asset_integrity("js/app.js") }}" crossorigin="anonymous" defer></script>
<link rel="stylesheet" href="{{ asset_url("css/app.css") }}"><h1>hyper + minijinja</h1>"#,
                (),
            )
            .expect("the template renders");
        *response.body_mut() = Body::from(page);
        response.headers_mut().insert(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static("text/html; charset=utf-8"),
        );
    } else {
        *response.status_mut() = http::StatusCode::NOT_FOUND;
    }
    Ok(response)
}

async fn serve(listener: tokio::net::TcpListener) {
    // Assets under `/static`; every other request goes to `app`.
    let service = ASSETS.service().mount("/static").fallback(service_fn(app));
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let service = service.clone();
        tokio::spawn(async move {
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

#[tokio::main]
async fn main() {
    let listener = tokio::net::TcpListener::bind(adapter_examples::addr())
        .await
        .unwrap();
    println!("listening on http://{}", listener.local_addr().unwrap());
    serve(listener).await;
}

#[cfg(test)]
#[tokio::test(flavor = "multi_thread")]
async fn serves_the_page_and_the_assets() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(serve(listener));
    tokio::task::spawn_blocking(move || adapter_examples::smoke_test(addr))
        .await
        .unwrap();
}
