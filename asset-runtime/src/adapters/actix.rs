//! actix-web 4 (feature `actix-web`).
//!
//! [`AssetService`] is an actix-web service factory. Give it the path it is
//! served under and register it on the `App`:
//!
//! ```no_run
//! # asset_runtime::__example_assets!();
//! # async fn index() -> &'static str { "" }
//! use actix_web::{App, HttpServer, web};
//!
//! # async fn run() -> std::io::Result<()> {
//! HttpServer::new(|| {
//!     App::new()
//!         .route("/", web::get().to(index))
//!         .service(ASSETS.service().mount("/static"))
//! })
//! .bind(("127.0.0.1", 3000))?
//! .run()
//! .await
//! # }
//! ```
//!
//! Requests under `/static` that name no asset get the same 404 as with
//! every other adapter. To hand those to the app instead, make the assets
//! the app's default service, which actix-web calls for every path that no
//! route matched:
//!
//! ```
//! # asset_runtime::__example_assets!();
//! # async fn index() -> &'static str { "" }
//! # use actix_web::{App, web};
//! let app = App::new()
//!     .route("/", web::get().to(index))
//!     .default_service(ASSETS.service().mount("/static"));
//! ```
//!
//! Register it on the `App` itself, not inside a `web::scope`: the mount
//! path is matched against the whole request path. For a handler of your
//! own, [`serve`] answers one `HttpRequest`.
//!
//! actix-web has its own HTTP types; the adapter copies the five request
//! headers the core reads (`Accept-Encoding`, `If-Match`, `If-None-Match`,
//! `If-Range`, `Range`) and the response headers across. actix-web writes
//! `Content-Length` from the body itself, so a `HEAD` response gets a body
//! that reports the length of the `GET` body and yields nothing.

use std::future::{Ready, ready};
use std::pin::Pin;
use std::task::{Context, Poll};

use actix_web::body::{BodySize, BoxBody, MessageBody};
use actix_web::dev::{
    AppService, HttpServiceFactory, ResourceDef, Service, ServiceFactory, ServiceRequest,
    ServiceResponse,
};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::http::{Method as ActixMethod, StatusCode};
use actix_web::{HttpRequest, HttpResponse};
use bytes::Bytes;

use crate::{AssetService, REQUEST_HEADERS};

/// Answers one actix-web request, or `None` when its path names no asset
/// (the app's own 404, or [`not_found`](crate::not_found), is then the
/// answer).
pub fn serve(service: &AssetService, request: &HttpRequest) -> Option<HttpResponse> {
    let method = http::Method::from_bytes(request.method().as_str().as_bytes()).ok()?;
    let mut headers = http::HeaderMap::new();
    for name in REQUEST_HEADERS {
        for value in request.headers().get_all(name.as_str()) {
            if let Ok(value) = http::HeaderValue::from_bytes(value.as_bytes()) {
                headers.append(name.clone(), value);
            }
        }
    }
    let response = service.serve(&method, request.uri().path(), &headers)?;
    Some(convert(response, request.method() == ActixMethod::HEAD))
}

fn convert(response: http::Response<crate::Body>, head: bool) -> HttpResponse {
    let (parts, body) = response.into_parts();
    let status =
        StatusCode::from_u16(parts.status.as_u16()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let length = parts
        .headers
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    let body = match (head, length) {
        (true, Some(length)) if body.as_bytes().is_empty() => BoxBody::new(HeadBody(length)),
        _ => BoxBody::new(body.into_bytes()),
    };
    let mut out = HttpResponse::with_body(status, body);
    let headers = out.headers_mut();
    for (name, value) in &parts.headers {
        // actix-web writes Content-Length from the body.
        if name == http::header::CONTENT_LENGTH {
            continue;
        }
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_str().as_bytes()),
            HeaderValue::from_bytes(value.as_bytes()),
        ) {
            headers.append(name, value);
        }
    }
    out
}

/// The body of a `HEAD` response: the length of the `GET` body, no bytes.
struct HeadBody(u64);

impl MessageBody for HeadBody {
    type Error = std::convert::Infallible;

    fn size(&self) -> BodySize {
        BodySize::Sized(self.0)
    }

    fn poll_next(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, Self::Error>>> {
        Poll::Ready(None)
    }
}

impl HttpServiceFactory for AssetService {
    fn register(self, config: &mut AppService) {
        assert!(
            config.is_root(),
            "register the asset service on the App, not inside a scope: \
             its mount path is matched against the whole request path"
        );
        let rdef = ResourceDef::root_prefix(self.mount_path());
        config.register_service(rdef, None, self, None);
    }
}

impl ServiceFactory<ServiceRequest> for AssetService {
    type Response = ServiceResponse;
    type Error = actix_web::Error;
    type Config = ();
    type Service = AssetService;
    type InitError = ();
    type Future = Ready<Result<AssetService, ()>>;

    fn new_service(&self, _: ()) -> Self::Future {
        ready(Ok(self.clone()))
    }
}

impl Service<ServiceRequest> for AssetService {
    type Response = ServiceResponse;
    type Error = actix_web::Error;
    type Future = Ready<Result<ServiceResponse, actix_web::Error>>;

    fn poll_ready(&self, _cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&self, request: ServiceRequest) -> Self::Future {
        let response =
            serve(self, request.request()).unwrap_or_else(|| convert(crate::not_found(), false));
        ready(Ok(request.into_response(response)))
    }
}
