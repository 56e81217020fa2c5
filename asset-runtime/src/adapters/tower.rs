//! `tower::Service` for [`AssetService`] and [`Fallback`] (features `tower`,
//! `axum`).
//!
//! axum 0.8, nested (the router strips `/static` before the service sees
//! the path):
//!
//! ```
//! # asset_runtime::__example_assets!();
//! # #[cfg(feature = "axum")] {
//! # async fn index() -> &'static str { "" }
//! let app: axum::Router = axum::Router::new()
//!     .route("/", axum::routing::get(index))
//!     .nest_service("/static", ASSETS.service());
//! # }
//! ```
//!
//! or as a layer in front of the app's routes, handing them every request
//! whose path names no asset (the service is a `tower::Layer` that wraps
//! what it is given in a [`Fallback`]):
//!
//! ```no_run
//! # asset_runtime::__example_assets!();
//! # #[cfg(feature = "axum")]
//! # async fn run(listener: tokio::net::TcpListener) -> std::io::Result<()> {
//! # async fn index() -> &'static str { "" }
//! let app = axum::Router::new()
//!     .route("/", axum::routing::get(index))
//!     .layer(ASSETS.service().mount("/static"));
//! axum::serve(listener, app).await?;
//! # Ok(())
//! # }
//! ```
//!
//! `Router::layer` also wraps the router's fallback, so asset paths that no
//! route matches are answered too. For any other tower stack,
//! `ASSETS.service().mount("/static").fallback(inner)` is the same service.

use std::convert::Infallible;
use std::future::{Ready, ready};
use std::task::{Context, Poll};

use http::{Request, Response};
use tower_layer::Layer;
use tower_service::Service;

use super::fallback::FallbackFuture;
use crate::{AssetService, Body, Fallback, FallbackBody};

impl<B> Service<Request<B>> for AssetService {
    type Response = Response<Body>;
    type Error = Infallible;
    type Future = Ready<Result<Response<Body>, Infallible>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        // Under axum's `nest_service`, check once that the nest path is
        // where the table's URLs point.
        #[cfg(feature = "axum")]
        {
            use std::sync::atomic::{AtomicBool, Ordering};
            static CHECKED: AtomicBool = AtomicBool::new(false);
            if !CHECKED.load(Ordering::Relaxed) {
                if let Some(nested) = request.extensions().get::<axum::extract::NestedPath>() {
                    CHECKED.store(true, Ordering::Relaxed);
                    if let Some(message) = self.nest_mismatch(nested.as_str()) {
                        eprintln!("asset-runtime: {message}");
                    }
                }
            }
        }
        ready(Ok(self.respond(&request)))
    }
}

impl<S, ReqBody, ResBody> Service<Request<ReqBody>> for Fallback<S>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>>,
{
    type Response = Response<FallbackBody<ResBody>>;
    type Error = S::Error;
    type Future = FallbackFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner_mut().poll_ready(cx)
    }

    fn call(&mut self, request: Request<ReqBody>) -> Self::Future {
        match self.answer(&request) {
            Some(response) => FallbackFuture::asset(response),
            None => FallbackFuture::inner(self.inner_mut().call(request)),
        }
    }
}

impl<S> Layer<S> for AssetService {
    type Service = Fallback<S>;

    fn layer(&self, inner: S) -> Fallback<S> {
        self.clone().fallback(inner)
    }
}
