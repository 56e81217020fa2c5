//! The tower `Service` (axum 0.8 `Router::nest_service`).

use http::{Request, Response};

use crate::{Assets, Body, ServeOptions, respond};

/// Serves an [`Assets`] table. Cheap to clone.
///
/// With the `tower` (or `axum`) feature it is a `tower::Service`:
///
/// ```ignore
/// asset_runtime::include_assets!();
/// let app = axum::Router::new().nest_service("/static", ASSETS.service());
/// ```
#[derive(Clone, Debug)]
pub struct AssetService {
    assets: &'static Assets,
    options: ServeOptions,
}

impl Assets {
    /// A service that answers requests for this table with the default
    /// [`ServeOptions`]. It also [installs](Assets::install) the table for
    /// template helpers.
    pub fn service(&'static self) -> AssetService {
        self.install();
        AssetService {
            assets: self,
            options: ServeOptions::default(),
        }
    }
}

impl AssetService {
    /// Replaces the [`ServeOptions`].
    pub fn with_options(mut self, options: ServeOptions) -> Self {
        self.options = options;
        self
    }

    /// The table this service answers for.
    pub fn assets(&self) -> &'static Assets {
        self.assets
    }

    /// Answers one request (the same answer every adapter gives).
    pub fn respond<B>(&self, request: &Request<B>) -> Response<Body> {
        respond(
            self.assets,
            &self.options,
            request.method(),
            request.uri().path(),
            request.headers(),
        )
    }
}

#[cfg(feature = "tower")]
mod tower_impl {
    use std::convert::Infallible;
    use std::future::{Ready, ready};
    use std::task::{Context, Poll};

    use http::{Request, Response};

    use super::AssetService;
    use crate::Body;

    impl<B> tower_service::Service<Request<B>> for AssetService {
        type Response = Response<Body>;
        type Error = Infallible;
        type Future = Ready<Result<Response<Body>, Infallible>>;

        fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
            Poll::Ready(Ok(()))
        }

        fn call(&mut self, request: Request<B>) -> Self::Future {
            ready(Ok(AssetService::respond(self, &request)))
        }
    }
}
