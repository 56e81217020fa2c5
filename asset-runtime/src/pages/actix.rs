//! [`Validate`]: the validator and cache policy as actix-web middleware
//! (feature `actix-web`).

use std::collections::VecDeque;
use std::error::Error as StdError;
use std::future::{Future, Ready, ready};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use actix_web::body::{BodySize, BoxBody, MessageBody};
use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform};
use actix_web::http::StatusCode as ActixStatus;
use actix_web::http::header::{HeaderMap as ActixHeaders, HeaderName, HeaderValue};
use bytes::Bytes;
use http::header;

use super::validate::{eligible, tag_from_hash};
use super::{CachePolicy, DEFAULT_LIMIT, Decision, decide, not_modified_from};

/// Adds validators, 304s and a [`CachePolicy`] to an actix-web app's
/// responses: the same rules as [`ValidateLayer`](crate::pages::ValidateLayer)
/// (see the [module docs](crate::pages)).
///
/// ```
/// use actix_web::{App, web};
/// use asset_runtime::pages::{CachePolicy, actix::Validate};
///
/// # async fn index() -> &'static str { "" }
/// let app = App::new()
///     .wrap(Validate::new(CachePolicy::revalidate()))
///     .route("/", web::get().to(index));
/// ```
#[derive(Clone, Debug)]
pub struct Validate {
    policy: Rc<CachePolicy>,
    limit: usize,
}

impl Validate {
    /// Middleware that applies `policy` and hashes bodies of up to
    /// [`DEFAULT_LIMIT`] bytes.
    pub fn new(policy: CachePolicy) -> Self {
        Validate {
            policy: Rc::new(policy),
            limit: DEFAULT_LIMIT,
        }
    }

    /// The largest body to buffer and hash; longer ones pass through
    /// untouched.
    pub fn limit(mut self, bytes: usize) -> Self {
        self.limit = bytes;
        self
    }
}

impl<S, B> Transform<S, ServiceRequest> for Validate
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<BoxBody>;
    type Error = actix_web::Error;
    type Transform = ValidateMiddleware<S>;
    type InitError = ();
    type Future = Ready<Result<ValidateMiddleware<S>, ()>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(ValidateMiddleware {
            service: Rc::new(service),
            policy: self.policy.clone(),
            limit: self.limit,
        }))
    }
}

/// The service [`Validate`] wraps around an app.
#[derive(Debug)]
pub struct ValidateMiddleware<S> {
    service: Rc<S>,
    policy: Rc<CachePolicy>,
    limit: usize,
}

impl<S, B> Service<ServiceRequest> for ValidateMiddleware<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<BoxBody>;
    type Error = actix_web::Error;
    #[allow(clippy::type_complexity)]
    type Future = Pin<Box<dyn Future<Output = Result<ServiceResponse<BoxBody>, actix_web::Error>>>>;

    fn poll_ready(&self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.service.poll_ready(cx)
    }

    fn call(&self, request: ServiceRequest) -> Self::Future {
        let method = http::Method::from_bytes(request.method().as_str().as_bytes())
            .unwrap_or(http::Method::POST);
        let mut conditions = http::HeaderMap::new();
        for name in [header::IF_MATCH, header::IF_NONE_MATCH] {
            for value in request.headers().get_all(name.as_str()) {
                if let Ok(value) = http::HeaderValue::from_bytes(value.as_bytes()) {
                    conditions.append(name.clone(), value);
                }
            }
        }
        let policy = self.policy.clone();
        let limit = self.limit;
        let future = self.service.call(request);
        Box::pin(async move {
            let response = future.await?;
            let (request, response) = response.into_parts();
            let (mut head, body) = response.into_parts();
            // The policy and guards work on `http` types: copy across and back.
            let mut headers = to_http(head.headers());
            let cookie = policy.apply(&mut headers);
            *head.headers_mut() = from_http(&headers);
            let status = http::StatusCode::from_u16(head.status().as_u16())
                .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
            if cookie || !eligible(&method, status) {
                return Ok(ServiceResponse::new(request, head.set_body(body.boxed())));
            }
            if let Some(etag) = headers.get(header::ETAG) {
                let response = match decide(&conditions, etag) {
                    Decision::Send => head.set_body(body.boxed()),
                    decision => answer(decision, &headers),
                };
                return Ok(ServiceResponse::new(request, response));
            }
            let no_store = super::policy::says_no_store(&headers);
            let too_big = matches!(body.size(), BodySize::Sized(n) if n > limit as u64);
            if no_store || too_big {
                return Ok(ServiceResponse::new(request, head.set_body(body.boxed())));
            }
            let mut body = Box::pin(body);
            let mut chunks = VecDeque::new();
            let mut hasher = xxhash_rust::xxh3::Xxh3::new();
            let mut total = 0usize;
            loop {
                match std::future::poll_fn(|cx| body.as_mut().poll_next(cx)).await {
                    None => break,
                    Some(Ok(chunk)) if total + chunk.len() <= limit => {
                        total += chunk.len();
                        hasher.update(&chunk);
                        chunks.push_back(chunk);
                    }
                    // Past the limit: send what came, then the rest.
                    Some(Ok(chunk)) => {
                        chunks.push_back(chunk);
                        let body = BoxBody::new(Resumed::new(chunks, Some(body), None));
                        return Ok(ServiceResponse::new(request, head.set_body(body)));
                    }
                    Some(Err(error)) => {
                        let body =
                            BoxBody::new(Resumed::<B>::new(chunks, None, Some(error.into())));
                        return Ok(ServiceResponse::new(request, head.set_body(body)));
                    }
                }
            }
            let encoded = headers.contains_key(header::CONTENT_ENCODING);
            let etag = tag_from_hash(hasher.digest128(), encoded);
            let decision = decide(&conditions, &etag);
            head.headers_mut().insert(
                HeaderName::from_static("etag"),
                HeaderValue::from_bytes(etag.as_bytes()).expect("a tag is a valid value"),
            );
            headers.insert(header::ETAG, etag);
            let response = match decision {
                Decision::Send => {
                    head.set_body(BoxBody::new(Resumed::<B>::new(chunks, None, None)))
                }
                decision => answer(decision, &headers),
            };
            Ok(ServiceResponse::new(request, response))
        })
    }
}

/// The 304 or 412 in place of a 200 with `headers`.
fn answer(decision: Decision, headers: &http::HeaderMap) -> actix_web::HttpResponse {
    if decision == Decision::NotModified {
        let mut response = actix_web::HttpResponse::new(ActixStatus::NOT_MODIFIED);
        *response.headers_mut() = from_http(&not_modified_from(headers));
        return response;
    }
    let failed = crate::http::serve::precondition_failed();
    let mut response = actix_web::HttpResponse::new(ActixStatus::PRECONDITION_FAILED);
    let mut copied = from_http(failed.headers());
    // actix-web writes Content-Length from the body.
    copied.remove("content-length");
    *response.headers_mut() = copied;
    response.set_body(BoxBody::new(failed.into_body().into_bytes()))
}

fn to_http(headers: &ActixHeaders) -> http::HeaderMap {
    let mut out = http::HeaderMap::with_capacity(headers.len());
    for (name, value) in headers {
        if let (Ok(name), Ok(value)) = (
            http::HeaderName::from_bytes(name.as_str().as_bytes()),
            http::HeaderValue::from_bytes(value.as_bytes()),
        ) {
            out.append(name, value);
        }
    }
    out
}

fn from_http(headers: &http::HeaderMap) -> ActixHeaders {
    let mut out = ActixHeaders::with_capacity(headers.len());
    for (name, value) in headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_str().as_bytes()),
            HeaderValue::from_bytes(value.as_bytes()),
        ) {
            out.append(name, value);
        }
    }
    out
}

/// The chunks read to hash a body, then whatever was not read.
struct Resumed<B> {
    head: VecDeque<Bytes>,
    rest: Option<Pin<Box<B>>>,
    error: Option<Box<dyn StdError>>,
}

impl<B> Resumed<B> {
    fn new(
        head: VecDeque<Bytes>,
        rest: Option<Pin<Box<B>>>,
        error: Option<Box<dyn StdError>>,
    ) -> Self {
        Resumed { head, rest, error }
    }
}

impl<B: MessageBody> MessageBody for Resumed<B> {
    type Error = Box<dyn StdError>;

    fn size(&self) -> BodySize {
        let head: u64 = self.head.iter().map(|c| c.len() as u64).sum();
        match &self.rest {
            None if self.error.is_none() => BodySize::Sized(head),
            None => BodySize::Stream,
            Some(rest) => match rest.size() {
                BodySize::Sized(n) => BodySize::Sized(n + head),
                other => other,
            },
        }
    }

    fn poll_next(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, Self::Error>>> {
        let this = self.get_mut();
        if let Some(chunk) = this.head.pop_front() {
            return Poll::Ready(Some(Ok(chunk)));
        }
        if let Some(error) = this.error.take() {
            return Poll::Ready(Some(Err(error)));
        }
        match &mut this.rest {
            Some(rest) => rest
                .as_mut()
                .poll_next(cx)
                .map(|next| next.map(|r| r.map_err(Into::into))),
            None => Poll::Ready(None),
        }
    }
}
