//! [`Fallback`]: assets first, then the app's own routes.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http::{Request, Response};
use http_body::{Frame, SizeHint};
use pin_project_lite::pin_project;

use crate::{AssetService, Body};

/// Answers the requests whose path names an asset, and hands every other
/// request to `inner`, the app's own routes: made by
/// [`AssetService::fallback`].
///
/// It is a `tower::Service` (feature `tower`) when `inner` is one, and a
/// `hyper::service::Service` (feature `hyper`) when `inner` is one. Since it
/// sees whole request paths, give the service its
/// [`mount`](AssetService::mount) path. With axum, let the router make it
/// ([`AssetService`] is a `tower::Layer`):
///
/// ```no_run
/// # asset_runtime::__example_assets!();
/// # #[cfg(feature = "axum")]
/// # async fn run(listener: tokio::net::TcpListener) -> std::io::Result<()> {
/// # async fn index() -> &'static str { "" }
/// let app = axum::Router::new()
///     .route("/", axum::routing::get(index))
///     .layer(ASSETS.service().mount("/static"));
/// axum::serve(listener, app).await?;
/// # Ok(())
/// # }
/// ```
///
/// With hyper:
///
/// ```no_run
/// # asset_runtime::__example_assets!();
/// # #[cfg(feature = "hyper")]
/// # async fn run(stream: tokio::net::TcpStream) -> Result<(), hyper::Error> {
/// # use http::{Request, Response};
/// # async fn app(_: Request<hyper::body::Incoming>) -> Result<Response<asset_runtime::Body>, std::convert::Infallible> {
/// #     Ok(Response::new(asset_runtime::Body::from_static(b"page")))
/// # }
/// # let io = hyper_util::rt::TokioIo::new(stream);
/// let app = ASSETS.service().mount("/static").fallback(hyper::service::service_fn(app));
/// hyper::server::conn::http1::Builder::new().serve_connection(io, app).await?;
/// # Ok(())
/// # }
/// ```
///
/// A request whose path names no asset goes to `inner` unchanged, method
/// and headers included; so does a logical path when
/// [`ServeOptions::serve_logical_paths`](crate::ServeOptions::serve_logical_paths)
/// is off. A known logical path with another release's hash is answered by
/// the [`UnknownHash`](crate::UnknownHash) policy, not handed on.
///
/// `poll_ready` is `inner`'s: a request that the assets answer leaves the
/// readiness unused, which is fine for routers (always ready) and for any
/// service that stays ready until called.
#[derive(Clone, Debug)]
pub struct Fallback<S> {
    assets: AssetService,
    inner: S,
}

impl<S> Fallback<S> {
    pub(crate) fn new(assets: AssetService, inner: S) -> Self {
        Fallback { assets, inner }
    }

    /// The asset service.
    pub fn assets(&self) -> &AssetService {
        &self.assets
    }

    /// The service that gets every request that names no asset.
    pub fn inner(&self) -> &S {
        &self.inner
    }

    #[cfg(feature = "tower")]
    pub(crate) fn inner_mut(&mut self) -> &mut S {
        &mut self.inner
    }

    /// The asset answer, or `None` when the request names no asset.
    pub(crate) fn answer<B>(&self, request: &Request<B>) -> Option<Response<Body>> {
        self.assets
            .serve(request.method(), request.uri().path(), request.headers())
    }
}

pin_project! {
    /// The response future of [`Fallback`].
    pub struct FallbackFuture<F> {
        #[pin]
        state: FutureState<F>,
    }
}

pin_project! {
    #[project = FutureStateProj]
    enum FutureState<F> {
        Asset { response: Option<Response<Body>> },
        Inner { #[pin] future: F },
    }
}

impl<F> FallbackFuture<F> {
    pub(crate) fn asset(response: Response<Body>) -> Self {
        FallbackFuture {
            state: FutureState::Asset {
                response: Some(response),
            },
        }
    }

    pub(crate) fn inner(future: F) -> Self {
        FallbackFuture {
            state: FutureState::Inner { future },
        }
    }
}

impl<F, B, E> Future for FallbackFuture<F>
where
    F: Future<Output = Result<Response<B>, E>>,
{
    type Output = Result<Response<FallbackBody<B>>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project().state.project() {
            FutureStateProj::Asset { response } => Poll::Ready(Ok(response
                .take()
                .expect("a FallbackFuture is not polled after it completed")
                .map(FallbackBody::asset))),
            FutureStateProj::Inner { future } => future
                .poll(cx)
                .map(|result| result.map(|r| r.map(FallbackBody::inner))),
        }
    }
}

pin_project! {
    /// The response body of [`Fallback`]: an asset's, or the inner service's.
    pub struct FallbackBody<B> {
        #[pin]
        state: BodyState<B>,
    }
}

pin_project! {
    #[project = BodyStateProj]
    enum BodyState<B> {
        Asset { body: Body },
        Inner { #[pin] body: B },
    }
}

impl<B> FallbackBody<B> {
    fn asset(body: Body) -> Self {
        FallbackBody {
            state: BodyState::Asset { body },
        }
    }

    fn inner(body: B) -> Self {
        FallbackBody {
            state: BodyState::Inner { body },
        }
    }
}

impl<B> std::fmt::Debug for FallbackBody<B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let from = match self.state {
            BodyState::Asset { .. } => "asset",
            BodyState::Inner { .. } => "inner",
        };
        f.debug_struct("FallbackBody").field("from", &from).finish()
    }
}

impl<B> http_body::Body for FallbackBody<B>
where
    B: http_body::Body<Data = Bytes>,
{
    type Data = Bytes;
    type Error = B::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, B::Error>>> {
        match self.project().state.project() {
            BodyStateProj::Asset { body } => Pin::new(body)
                .poll_frame(cx)
                .map(|frame| frame.map(|f| f.map_err(|never| match never {}))),
            BodyStateProj::Inner { body } => body.poll_frame(cx),
        }
    }

    fn is_end_stream(&self) -> bool {
        match &self.state {
            BodyState::Asset { body } => body.is_end_stream(),
            BodyState::Inner { body } => body.is_end_stream(),
        }
    }

    fn size_hint(&self) -> SizeHint {
        match &self.state {
            BodyState::Asset { body } => body.size_hint(),
            BodyState::Inner { body } => body.size_hint(),
        }
    }
}
