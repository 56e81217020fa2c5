//! [`ValidateLayer`] and [`Validate`]: the validator and cache policy as a
//! tower layer and service (feature `tower`, for axum's `Router::layer` and
//! any tower stack) and as a hyper 1 service (feature `hyper`).

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use http::header::{self, HeaderMap};
use http::{Method, Request, Response, StatusCode};
use http_body::{Body as HttpBody, Frame, SizeHint};

use super::validate::{eligible, tag_from_hash};
use super::{CachePolicy, DEFAULT_LIMIT, Decision, decide, not_modified_from};

/// Adds validators, 304s and a [`CachePolicy`] to an app's responses. See
/// the [module docs](crate::pages) for what it does and where to put it.
///
/// ```
/// # #[cfg(feature = "axum")] {
/// use asset_runtime::pages::{CachePolicy, ValidateLayer};
///
/// # async fn feed() -> &'static str { "" }
/// let api: axum::Router = axum::Router::new()
///     .route("/api/feed", axum::routing::get(feed))
///     .layer(ValidateLayer::new(CachePolicy::private_max_age(120)).limit(256 * 1024));
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct ValidateLayer {
    policy: Arc<CachePolicy>,
    limit: usize,
}

impl ValidateLayer {
    /// A layer that applies `policy` and hashes bodies of up to
    /// [`DEFAULT_LIMIT`] bytes.
    pub fn new(policy: CachePolicy) -> Self {
        ValidateLayer {
            policy: Arc::new(policy),
            limit: DEFAULT_LIMIT,
        }
    }

    /// The largest body to buffer and hash; longer ones (by their size hint
    /// or as they stream) pass through untouched, never truncated.
    pub fn limit(mut self, bytes: usize) -> Self {
        self.limit = bytes;
        self
    }
}

impl ValidateLayer {
    /// Wraps a service: what `tower::Layer::layer` does, without tower (for
    /// a hyper `service_fn`).
    ///
    /// ```no_run
    /// # #[cfg(feature = "hyper")]
    /// # async fn run(stream: tokio::net::TcpStream) -> Result<(), hyper::Error> {
    /// use asset_runtime::pages::{CachePolicy, ValidateLayer};
    /// # async fn app(_: http::Request<hyper::body::Incoming>) -> Result<http::Response<asset_runtime::Body>, std::convert::Infallible> {
    /// #     Ok(http::Response::new(asset_runtime::Body::from_static(b"page")))
    /// # }
    /// let service = ValidateLayer::new(CachePolicy::revalidate()).wrap(hyper::service::service_fn(app));
    /// let io = hyper_util::rt::TokioIo::new(stream);
    /// hyper::server::conn::http1::Builder::new().serve_connection(io, service).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn wrap<S>(&self, inner: S) -> Validate<S> {
        Validate {
            inner,
            policy: self.policy.clone(),
            limit: self.limit,
        }
    }
}

#[cfg(feature = "tower")]
impl<S> tower_layer::Layer<S> for ValidateLayer {
    type Service = Validate<S>;

    fn layer(&self, inner: S) -> Validate<S> {
        self.wrap(inner)
    }
}

/// The service [`ValidateLayer`] makes.
#[derive(Clone, Debug)]
pub struct Validate<S> {
    inner: S,
    policy: Arc<CachePolicy>,
    limit: usize,
}

/// Starts validating the response that `call` gives for `request`.
fn start<ReqBody, ResBody, E, F>(
    policy: &Arc<CachePolicy>,
    limit: usize,
    request: Request<ReqBody>,
    call: impl FnOnce(Request<ReqBody>) -> F,
) -> ValidateFuture<ResBody, E>
where
    F: Future<Output = Result<Response<ResBody>, E>> + Send + 'static,
    ResBody: HttpBody<Data = Bytes> + Send + 'static,
    ResBody::Error: Send,
{
    let method = request.method().clone();
    let mut conditions = HeaderMap::new();
    for name in [header::IF_MATCH, header::IF_NONE_MATCH] {
        for value in request.headers().get_all(&name) {
            conditions.append(name.clone(), value.clone());
        }
    }
    let policy = policy.clone();
    let future = call(request);
    ValidateFuture(Box::pin(async move {
        let response = future.await?;
        Ok(validate(response, &method, &conditions, &policy, limit).await)
    }))
}

#[cfg(feature = "tower")]
impl<S, ReqBody, ResBody> tower_service::Service<Request<ReqBody>> for Validate<S>
where
    S: tower_service::Service<Request<ReqBody>, Response = Response<ResBody>>,
    S::Future: Send + 'static,
    ResBody: HttpBody<Data = Bytes> + Send + 'static,
    ResBody::Error: Send,
{
    type Response = Response<ValidatedBody<ResBody>>;
    type Error = S::Error;
    type Future = ValidateFuture<ResBody, S::Error>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<ReqBody>) -> Self::Future {
        let inner = &mut self.inner;
        start(&self.policy, self.limit, request, |request| {
            inner.call(request)
        })
    }
}

#[cfg(feature = "hyper")]
impl<S, ReqBody, ResBody> hyper::service::Service<Request<ReqBody>> for Validate<S>
where
    S: hyper::service::Service<Request<ReqBody>, Response = Response<ResBody>>,
    S::Future: Send + 'static,
    ResBody: HttpBody<Data = Bytes> + Send + 'static,
    ResBody::Error: Send,
{
    type Response = Response<ValidatedBody<ResBody>>;
    type Error = S::Error;
    type Future = ValidateFuture<ResBody, S::Error>;

    fn call(&self, request: Request<ReqBody>) -> Self::Future {
        start(&self.policy, self.limit, request, |request| {
            self.inner.call(request)
        })
    }
}

type Boxed<B, E> = Pin<Box<dyn Future<Output = Result<Response<ValidatedBody<B>>, E>> + Send>>;

/// The future of [`Validate`].
pub struct ValidateFuture<B: HttpBody, E>(Boxed<B, E>);

impl<B: HttpBody, E> Future for ValidateFuture<B, E> {
    type Output = Result<Response<ValidatedBody<B>>, E>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.0.as_mut().poll(cx)
    }
}

impl<B: HttpBody, E> std::fmt::Debug for ValidateFuture<B, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ValidateFuture")
    }
}

async fn validate<B>(
    response: Response<B>,
    method: &Method,
    conditions: &HeaderMap,
    policy: &CachePolicy,
    limit: usize,
) -> Response<ValidatedBody<B>>
where
    B: HttpBody<Data = Bytes>,
{
    let (mut parts, body) = response.into_parts();
    let cookie = policy.apply(&mut parts.headers);
    let pass = |parts, body| Response::from_parts(parts, ValidatedBody::passthrough(body));
    if cookie || !eligible(method, parts.status) {
        return pass(parts, body);
    }
    if let Some(etag) = parts.headers.get(header::ETAG) {
        return match decide(conditions, etag) {
            Decision::Send => pass(parts, body),
            decision => answer(decision, &parts.headers),
        };
    }
    let no_store = super::policy::says_no_store(&parts.headers);
    if no_store || body.size_hint().lower() > limit as u64 {
        return pass(parts, body);
    }
    let mut body = Box::pin(body);
    let mut frames = Head::Empty;
    let mut total = 0usize;
    loop {
        match std::future::poll_fn(|cx| body.as_mut().poll_frame(cx)).await {
            None => break,
            Some(Ok(frame)) => match frame.data_ref() {
                Some(data) if total + data.len() <= limit => {
                    total += data.len();
                    frames.push_back(frame);
                }
                // Past the limit, or trailers: send what came as it came.
                _ => {
                    frames.push_back(frame);
                    let body = ValidatedBody::resumed(frames, Some(body), None);
                    return Response::from_parts(parts, body);
                }
            },
            Some(Err(error)) => {
                let body = ValidatedBody::resumed(frames, None, Some(error));
                return Response::from_parts(parts, body);
            }
        }
    }
    // A HEAD whose body was already stripped: nothing to hash.
    let stated = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<usize>().ok());
    if total == 0 && stated.is_some_and(|n| n > 0) {
        return Response::from_parts(parts, ValidatedBody::resumed(frames, None, None));
    }
    let encoded = parts.headers.contains_key(header::CONTENT_ENCODING);
    let etag = tag_from_hash(frames.hash(), encoded);
    let decision = decide(conditions, &etag);
    parts.headers.insert(header::ETAG, etag);
    match decision {
        Decision::Send => Response::from_parts(parts, ValidatedBody::resumed(frames, None, None)),
        decision => answer(decision, &parts.headers),
    }
}

/// The 304 or 412 in place of a 200 with `headers`.
fn answer<B: HttpBody>(decision: Decision, headers: &HeaderMap) -> Response<ValidatedBody<B>> {
    if decision == Decision::NotModified {
        let mut response = Response::new(ValidatedBody::empty());
        *response.status_mut() = StatusCode::NOT_MODIFIED;
        *response.headers_mut() = not_modified_from(headers);
        return response;
    }
    let (parts, body) = crate::http::serve::precondition_failed().into_parts();
    Response::from_parts(parts, ValidatedBody::bytes(body.into_bytes()))
}

/// The frames read ahead of the body: most rendered pages are one.
enum Head {
    Empty,
    One(Frame<Bytes>),
    Many(VecDeque<Frame<Bytes>>),
}

impl Head {
    fn push_back(&mut self, frame: Frame<Bytes>) {
        *self = match std::mem::replace(self, Head::Empty) {
            Head::Empty => Head::One(frame),
            Head::One(first) => Head::Many(VecDeque::from([first, frame])),
            Head::Many(mut frames) => {
                frames.push_back(frame);
                Head::Many(frames)
            }
        };
    }

    fn pop_front(&mut self) -> Option<Frame<Bytes>> {
        match std::mem::replace(self, Head::Empty) {
            Head::Empty => None,
            Head::One(frame) => Some(frame),
            Head::Many(mut frames) => {
                let frame = frames.pop_front();
                *self = Head::Many(frames);
                frame
            }
        }
    }

    fn is_empty(&self) -> bool {
        match self {
            Head::Empty => true,
            Head::One(_) => false,
            Head::Many(frames) => frames.is_empty(),
        }
    }

    fn len(&self) -> usize {
        match self {
            Head::Empty => 0,
            Head::One(_) => 1,
            Head::Many(frames) => frames.len(),
        }
    }

    fn data(&self) -> impl Iterator<Item = &Bytes> {
        let (one, many) = match self {
            Head::Empty => (None, None),
            Head::One(frame) => (Some(frame), None),
            Head::Many(frames) => (None, Some(frames.iter())),
        };
        one.into_iter()
            .chain(many.into_iter().flatten())
            .filter_map(Frame::data_ref)
    }

    /// XXH3-128 of the data, in one pass over a single frame.
    fn hash(&self) -> u128 {
        if let Head::One(frame) = self {
            return xxhash_rust::xxh3::xxh3_128(frame.data_ref().map_or(&[][..], |d| &d[..]));
        }
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        for data in self.data() {
            hasher.update(data);
        }
        hasher.digest128()
    }
}

/// The body of a response through [`Validate`]: the inner body as it is,
/// or the frames read to hash it followed by whatever was not read.
pub struct ValidatedBody<B: HttpBody> {
    head: Head,
    rest: Option<Pin<Box<B>>>,
    error: Option<B::Error>,
}

impl<B: HttpBody> ValidatedBody<B> {
    fn passthrough(body: B) -> Self {
        ValidatedBody {
            head: Head::Empty,
            rest: Some(Box::pin(body)),
            error: None,
        }
    }

    fn resumed(head: Head, rest: Option<Pin<Box<B>>>, error: Option<B::Error>) -> Self {
        ValidatedBody { head, rest, error }
    }

    fn empty() -> Self {
        ValidatedBody {
            head: Head::Empty,
            rest: None,
            error: None,
        }
    }

    fn bytes(bytes: Bytes) -> Self {
        ValidatedBody {
            head: Head::One(Frame::data(bytes)),
            rest: None,
            error: None,
        }
    }
}

// The inner body is boxed and the error is only ever moved out, never
// pinned: the body can move freely.
impl<B: HttpBody> Unpin for ValidatedBody<B> {}

impl<B: HttpBody> std::fmt::Debug for ValidatedBody<B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ValidatedBody")
            .field("buffered_frames", &self.head.len())
            .field("streaming", &self.rest.is_some())
            .finish()
    }
}

impl<B> HttpBody for ValidatedBody<B>
where
    B: HttpBody<Data = Bytes>,
{
    type Data = Bytes;
    type Error = B::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, B::Error>>> {
        // Every field is Unpin: the inner body is boxed.
        let this = self.get_mut();
        if let Some(frame) = this.head.pop_front() {
            return Poll::Ready(Some(Ok(frame)));
        }
        if let Some(error) = this.error.take() {
            return Poll::Ready(Some(Err(error)));
        }
        match &mut this.rest {
            Some(rest) => rest.as_mut().poll_frame(cx),
            None => Poll::Ready(None),
        }
    }

    fn is_end_stream(&self) -> bool {
        self.head.is_empty()
            && self.error.is_none()
            && self.rest.as_ref().is_none_or(|r| r.is_end_stream())
    }

    fn size_hint(&self) -> SizeHint {
        let head: u64 = self.head.data().map(|d| d.len() as u64).sum();
        match &self.rest {
            None => SizeHint::with_exact(head),
            Some(rest) => {
                let inner = rest.size_hint();
                let mut hint = SizeHint::new();
                hint.set_lower(inner.lower() + head);
                if let Some(upper) = inner.upper() {
                    hint.set_upper(upper + head);
                }
                hint
            }
        }
    }
}
