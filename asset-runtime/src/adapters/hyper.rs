//! `hyper::service::Service` for [`AssetService`] and [`Fallback`] (feature
//! `hyper`), for hyper 1's `serve_connection`.
//!
//! ```no_run
//! # asset_runtime::__example_assets!();
//! # async fn run(listener: tokio::net::TcpListener) -> std::io::Result<()> {
//! let service = ASSETS.service().mount("/static");
//! loop {
//!     let (stream, _) = listener.accept().await?;
//!     let service = service.clone();
//!     tokio::spawn(async move {
//!         let io = hyper_util::rt::TokioIo::new(stream);
//!         let _ = hyper::server::conn::http1::Builder::new()
//!             .serve_connection(io, service)
//!             .await;
//!     });
//! }
//! # }
//! ```
//!
//! `ASSETS.service().mount("/static").fallback(app)` hands every other path
//! to `app`, any `hyper::service::Service` (such as a `service_fn`).

use std::convert::Infallible;
use std::future::{Ready, ready};

use http::{Request, Response};
use hyper::service::Service;

use super::fallback::FallbackFuture;
use crate::{AssetService, Body, Fallback, FallbackBody};

impl<B> Service<Request<B>> for AssetService {
    type Response = Response<Body>;
    type Error = Infallible;
    type Future = Ready<Result<Response<Body>, Infallible>>;

    fn call(&self, request: Request<B>) -> Self::Future {
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

    fn call(&self, request: Request<ReqBody>) -> Self::Future {
        match self.answer(&request) {
            Some(response) => FallbackFuture::asset(response),
            None => FallbackFuture::inner(self.inner().call(request)),
        }
    }
}
