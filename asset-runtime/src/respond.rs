//! The HTTP core: one request in, one response out, the same for every
//! framework adapter.
//!
//! The order of evaluation follows RFC 9110 §13.2.2:
//! 1. the path: unknown -> 404 (preconditions are not evaluated);
//! 2. the method: not GET or HEAD -> 405 with `Allow: GET, HEAD`;
//! 3. the variant: `Accept-Encoding` picks one ([`negotiate`](crate::negotiate));
//!    a `Range` request that will be honoured picks the identity bytes;
//! 4. `If-Match` that fails -> 412; (`If-Unmodified-Since` and
//!    `If-Modified-Since` are ignored: assets carry no `Last-Modified`);
//! 5. `If-None-Match` that matches (weak comparison) -> 304;
//! 6. `Range` (GET only, after `If-Range`) -> 206 or 416;
//! 7. otherwise 200.

use std::borrow::Cow;

use http::header::{self, HeaderMap, HeaderValue};
use http::{Method, Response, StatusCode};
use percent_encoding::percent_decode_str;

use crate::range::{self, RangeRequest};
use crate::{Asset, Assets, Body, Lookup, Variant, conditional, date, negotiate};

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const NO_CACHE: &str = "no-cache";

/// How the responses of an [`Assets`] table are shaped.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    serve_logical_paths: bool,
    immutable_cache_control: HeaderValue,
    logical_cache_control: HeaderValue,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            serve_logical_paths: true,
            immutable_cache_control: HeaderValue::from_static(IMMUTABLE),
            logical_cache_control: HeaderValue::from_static(NO_CACHE),
        }
    }
}

impl ServeOptions {
    /// Whether unhashed paths (`css/app.css`) are served too, with
    /// `Cache-Control: no-cache` so that every use revalidates. On by
    /// default; when off they are 404.
    pub fn serve_logical_paths(mut self, on: bool) -> Self {
        self.serve_logical_paths = on;
        self
    }

    /// The `Cache-Control` of hashed paths. Default:
    /// `public, max-age=31536000, immutable`.
    pub fn immutable_cache_control(mut self, value: HeaderValue) -> Self {
        self.immutable_cache_control = value;
        self
    }

    /// The `Cache-Control` of logical paths. Default: `no-cache`.
    pub fn logical_cache_control(mut self, value: HeaderValue) -> Self {
        self.logical_cache_control = value;
        self
    }
}

/// Answers one request for an asset table.
///
/// `path` is the request path relative to where the table is mounted, as it
/// arrives (percent-encoded, with or without its leading `/`): for a table
/// nested at `/static`, a request for `/static/css/app.css` passes
/// `/css/app.css`. Unknown paths get a 404; use [`try_respond`] to hand them
/// to other routes instead.
pub fn respond(
    assets: &Assets,
    options: &ServeOptions,
    method: &Method,
    path: &str,
    headers: &HeaderMap,
) -> Response<Body> {
    try_respond(assets, options, method, path, headers).unwrap_or_else(not_found)
}

/// Like [`respond`], but `None` for a path that names no asset.
pub fn try_respond(
    assets: &Assets,
    options: &ServeOptions,
    method: &Method,
    path: &str,
    headers: &HeaderMap,
) -> Option<Response<Body>> {
    let lookup = find(assets, path)?;
    let (asset, cache_control) = match lookup {
        Lookup::Hashed(asset) => (asset, &options.immutable_cache_control),
        Lookup::Logical(_) if !options.serve_logical_paths => return None,
        Lookup::Logical(asset) => (asset, &options.logical_cache_control),
    };
    Some(respond_asset(asset, cache_control, method, headers))
}

fn find(assets: &Assets, path: &str) -> Option<Lookup> {
    let path = path.strip_prefix('/').unwrap_or(path);
    let decoded: Cow<'_, str> = if path.contains('%') {
        percent_decode_str(path).decode_utf8().ok()?
    } else {
        Cow::Borrowed(path)
    };
    assets.lookup(&decoded)
}

fn respond_asset(
    asset: &'static Asset,
    cache_control: &HeaderValue,
    method: &Method,
    headers: &HeaderMap,
) -> Response<Body> {
    let is_get = method == Method::GET;
    if !is_get && method != Method::HEAD {
        return method_not_allowed();
    }

    // A Range request that will be honoured is served from identity bytes.
    let identity = &asset.variants[0];
    let range = match headers.get(header::RANGE) {
        Some(value) if is_get => {
            let applies = headers
                .get(header::IF_RANGE)
                .is_none_or(|v| conditional::if_range_matches(v, identity.etag));
            if applies {
                range::parse(value, identity.bytes.len() as u64)
            } else {
                RangeRequest::Full
            }
        }
        _ => RangeRequest::Full,
    };
    let variant = match range {
        RangeRequest::Full => {
            let stored = asset.variants.iter().map(|v| v.encoding);
            &asset.variants[negotiate::negotiate(&headers.get_all(header::ACCEPT_ENCODING), stored)]
        }
        _ => identity,
    };
    let vary = asset.variants.len() > 1;

    if headers.contains_key(header::IF_MATCH)
        && !conditional::strong_match(headers.get_all(header::IF_MATCH), variant.etag)
    {
        return precondition_failed();
    }
    if headers.contains_key(header::IF_NONE_MATCH)
        && conditional::none_match(headers.get_all(header::IF_NONE_MATCH), variant.etag)
    {
        return not_modified(variant, cache_control, vary);
    }

    let mut response = Response::new(Body::empty());
    let h = response.headers_mut();
    h.reserve(10);
    h.insert(header::DATE, date::now());
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(asset.content_type),
    );
    h.insert(header::ETAG, HeaderValue::from_static(variant.etag));
    h.insert(header::CACHE_CONTROL, cache_control.clone());
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if vary {
        h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    let len = identity.bytes.len();
    match range {
        RangeRequest::Full => {
            if variant.encoding != crate::Encoding::Identity {
                h.insert(
                    header::CONTENT_ENCODING,
                    HeaderValue::from_static(variant.encoding.token()),
                );
            }
            h.insert(
                header::CONTENT_LENGTH,
                HeaderValue::from_static(variant.content_length),
            );
            if is_get {
                *response.body_mut() = Body::from_static(variant.bytes);
            }
        }
        RangeRequest::Partial { start, end } => {
            // The parser bounds both ends by the length.
            let (start, end) = (start as usize, end as usize);
            h.insert(header::CONTENT_LENGTH, HeaderValue::from(end - start + 1));
            h.insert(
                header::CONTENT_RANGE,
                HeaderValue::try_from(format!("bytes {start}-{end}/{len}"))
                    .expect("digits are a valid header value"),
            );
            *response.status_mut() = StatusCode::PARTIAL_CONTENT;
            *response.body_mut() = Body::from_static(&identity.bytes[start..=end]);
        }
        RangeRequest::Unsatisfiable => {
            h.remove(header::ETAG);
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/plain; charset=utf-8"),
            );
            h.insert(
                header::CONTENT_RANGE,
                HeaderValue::try_from(format!("bytes */{len}"))
                    .expect("digits are a valid header value"),
            );
            h.insert(header::CONTENT_LENGTH, HeaderValue::from_static("0"));
            *response.status_mut() = StatusCode::RANGE_NOT_SATISFIABLE;
        }
    }
    response
}

fn not_modified(
    variant: &'static Variant,
    cache_control: &HeaderValue,
    vary: bool,
) -> Response<Body> {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::NOT_MODIFIED;
    let h = response.headers_mut();
    h.insert(header::DATE, date::now());
    h.insert(header::ETAG, HeaderValue::from_static(variant.etag));
    h.insert(header::CACHE_CONTROL, cache_control.clone());
    if vary {
        h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    response
}

fn plain(status: StatusCode, text: &'static str) -> Response<Body> {
    let mut response = Response::new(Body::from_static(text.as_bytes()));
    *response.status_mut() = status;
    let h = response.headers_mut();
    h.insert(header::DATE, date::now());
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(text.len()));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// The 404 answer for a path that names no asset.
pub fn not_found() -> Response<Body> {
    plain(StatusCode::NOT_FOUND, "404 Not Found\n")
}

fn method_not_allowed() -> Response<Body> {
    let mut response = plain(StatusCode::METHOD_NOT_ALLOWED, "405 Method Not Allowed\n");
    response
        .headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
    response
}

fn precondition_failed() -> Response<Body> {
    plain(StatusCode::PRECONDITION_FAILED, "412 Precondition Failed\n")
}
