//! The HTTP core: one request in, one response out, the same for every
//! framework adapter.
//!
//! The order of evaluation follows RFC 9110 §13.2.2:
//! 1. the path: unknown -> 404 (preconditions are not evaluated, §13.2.1);
//!    a known logical path with another release's hash -> [`UnknownHash`];
//! 2. the method: not GET or HEAD -> 405 with `Allow: GET, HEAD`;
//! 3. the variant: a delta when `Available-Dictionary` names a dictionary
//!    the asset has one for and `Accept-Encoding` lists its coding (`dcb`,
//!    `dcz`; RFC 9842 §6), and the request has no `Range`; else
//!    `Accept-Encoding` picks one ([`negotiate`](super::negotiate)); a
//!    `Range` request that will be honoured picks the identity bytes;
//! 4. `If-Match` that fails (strong comparison) -> 412;
//! 5. `If-Unmodified-Since`: ignored, because the assets have no modification
//!    date (§13.1.4: "A recipient MUST ignore the If-Unmodified-Since header
//!    field if the resource does not have a modification date available");
//!    embedding a build time would make builds irreproducible, and the
//!    content hash is a better validator anyway;
//! 6. `If-None-Match` that matches (weak comparison) -> 304;
//! 7. `If-Modified-Since`: ignored, for the same reason (and in any case when
//!    `If-None-Match` is present or the date does not parse, §13.1.3);
//! 8. `Range` (GET only), after `If-Range` (strong comparison with the
//!    identity ETag; a date never matches, there being no `Last-Modified`)
//!    -> 206 or 416;
//! 9. otherwise 200.
//!
//! 206 and 304 carry the `ETag`, `Cache-Control` and `Vary` of the 200 for
//! the same variant. `Vary` names `Available-Dictionary` too on every
//! response of an asset that has deltas, whichever variant is sent, so
//! that no cache hands a delta to a client without its dictionary.
//! Hashed responses of a text asset carry `Use-As-Dictionary`. 404, 405,
//! 412 and 416 carry no `Cache-Control`, like nginx: a cache must not keep
//! an error for a year because the URL is a hashed one.
//!
//! Header values that are not valid UTF-8 or do not parse are treated as
//! absent (`Accept-Encoding`, `Range`) or as matching nothing (`If-Match`,
//! `If-None-Match`, `If-Range`); nothing panics.

mod policy;
mod variant;

use std::borrow::Cow;

use http::header::{self, HeaderMap, HeaderName, HeaderValue};
use http::{Method, Response, StatusCode};
use percent_encoding::percent_decode_str;

use super::conditional::{self, Precondition};
use super::date;
use super::range::{self, RangeRequest};
use crate::deploy::rolling;
use crate::{Asset, Assets, Body, Encoding, Lookup, ServeOptions, UnknownHash, Variant};
use policy::PolicyHeaders;
use variant::{Vary, delta, ordinary, served};

/// Every request header that [`serve`] reads. An adapter for a framework
/// with its own header types converts these and no others.
pub const REQUEST_HEADERS: [header::HeaderName; 6] = [
    header::ACCEPT_ENCODING,
    AVAILABLE_DICTIONARY,
    header::IF_MATCH,
    header::IF_NONE_MATCH,
    header::IF_RANGE,
    header::RANGE,
];

/// `Available-Dictionary` (RFC 9842 §2.2): the SHA-256 of the dictionary
/// the client holds for this URL.
pub const AVAILABLE_DICTIONARY: HeaderName = HeaderName::from_static("available-dictionary");

/// `Use-As-Dictionary` (RFC 9842 §2.1): which later URLs this response
/// may be a dictionary for.
pub const USE_AS_DICTIONARY: HeaderName = HeaderName::from_static("use-as-dictionary");

pub(crate) const NO_CACHE: &str = "no-cache";
const NO_STORE: &str = "no-store";

/// The `Cache-Control` of hashed paths: [`asset_manifest::IMMUTABLE`].
pub(crate) fn immutable() -> HeaderValue {
    HeaderValue::from_static(asset_manifest::IMMUTABLE)
}

/// Answers one request for an asset table: the framework-free core that
/// every adapter calls (through [`AssetService::serve`](crate::AssetService::serve)).
///
/// `path` is the request path relative to where the table is mounted, as it
/// arrives (percent-encoded, with or without its leading `/`): for a table
/// nested at `/static`, a request for `/static/css/app.css` passes
/// `/css/app.css`. A path that names no asset gives `None`, so that the
/// request can go to other routes; [`not_found`] is the 404 to send
/// otherwise. A known logical path with another release's hash is not "no
/// asset": it is answered by the [`UnknownHash`] policy.
///
/// ```
/// # asset_runtime::__example_assets!();
/// use asset_runtime::{ServeOptions, not_found, serve};
/// use http::{HeaderMap, Method, StatusCode};
///
/// let options = ServeOptions::default();
/// let response = serve(&ASSETS, &options, &Method::GET, "/css/app.css", &HeaderMap::new())
///     .unwrap_or_else(not_found);
/// assert_eq!(response.status(), StatusCode::OK);
/// assert_eq!(response.headers()["cache-control"], "no-cache");
/// ```
pub fn serve(
    assets: &Assets,
    options: &ServeOptions,
    method: &Method,
    path: &str,
    headers: &HeaderMap,
) -> Option<Response<Body>> {
    let path = decode(path)?;
    #[cfg(debug_assertions)]
    if assets.is_dev() && path == crate::templates::live_reload::VERSION_PATH {
        return Some(crate::templates::live_reload::version_response(assets));
    }
    let (asset, cache_control, hashed) = match assets.lookup(&path) {
        Some(Lookup::Hashed(asset)) => (asset, &options.immutable_cache_control, true),
        Some(Lookup::Logical(_)) if !options.serve_logical_paths => return None,
        Some(Lookup::Logical(asset)) => (asset, &options.logical_cache_control, false),
        None => {
            let asset = rolling::other_release(assets, &path)?;
            return Some(match options.unknown_hash {
                UnknownHash::NotFound => {
                    let mut response = not_found();
                    response
                        .headers_mut()
                        .insert(header::CACHE_CONTROL, HeaderValue::from_static(NO_STORE));
                    response
                }
                UnknownHash::ServeCurrent => {
                    let no_store = HeaderValue::from_static(NO_STORE);
                    let policy = PolicyHeaders::new(options, assets, asset, &no_store);
                    respond_asset(asset, &policy, method, headers)
                }
            });
        }
    };
    // Development mode: the bytes follow the files on disk, whatever the
    // URL, so nothing may be cached without revalidation.
    let no_cache = HeaderValue::from_static(NO_CACHE);
    let cache_control = if assets.is_dev() {
        &no_cache
    } else {
        cache_control
    };
    let mut policy = PolicyHeaders::new(options, assets, asset, cache_control);
    if hashed && !assets.is_dev() {
        policy = policy.offering(assets, asset);
    }
    Some(respond_asset(asset, &policy, method, headers))
}

/// The path relative to the table: without its leading `/`, percent-decoded.
/// `None` if it does not decode to UTF-8 (no asset has such a name).
fn decode(path: &str) -> Option<Cow<'_, str>> {
    let path = path.strip_prefix('/').unwrap_or(path);
    if path.contains('%') {
        percent_decode_str(path).decode_utf8().ok()
    } else {
        Some(Cow::Borrowed(path))
    }
}

fn respond_asset(
    asset: &'static Asset,
    policy: &PolicyHeaders<'_>,
    method: &Method,
    headers: &HeaderMap,
) -> Response<Body> {
    let is_get = method == Method::GET;
    if !is_get && method != Method::HEAD {
        return method_not_allowed();
    }

    // A Range request that will be honoured is served from the stored
    // bytes (identity, or gzip for `.svgz`).
    let identity = asset.identity();
    let range_header = headers.get(header::RANGE);
    let range = match range_header {
        Some(value) if is_get => {
            let applies = headers
                .get(header::IF_RANGE)
                .is_none_or(|v| conditional::if_range_matches(v, identity.etag()));
            if applies {
                range::parse(value, identity.bytes().len() as u64)
            } else {
                RangeRequest::Full
            }
        }
        _ => RangeRequest::Full,
    };
    let variants = || asset.variants().iter().filter(served);
    let sends = |d: &&Variant| policy.options.sends_delta(d.encoding());
    let any_delta = asset.deltas().iter().any(|d| sends(&d));
    let variant = match range {
        // A delta only for a whole response: a range of one would be a
        // range of bytes the client cannot decode alone.
        RangeRequest::Full if any_delta && range_header.is_none() => {
            delta(asset.deltas().iter().filter(sends), headers)
                .unwrap_or_else(|| ordinary(asset, headers))
        }
        RangeRequest::Full => ordinary(asset, headers),
        _ => identity,
    };
    let vary = if any_delta {
        Vary::Dictionary
    } else if variants().count() > 1 {
        Vary::Encoding
    } else {
        Vary::None
    };

    match conditional::evaluate(headers, variant.etag()) {
        Precondition::Failed => return precondition_failed(),
        Precondition::NotModified => return not_modified(variant, policy, vary),
        Precondition::Proceed => {}
    }

    let mut response = Response::new(Body::empty());
    let h = response.headers_mut();
    h.reserve(10);
    h.insert(header::DATE, date::now());
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(asset.content_type()),
    );
    h.insert(header::ETAG, HeaderValue::from_static(variant.etag()));
    policy.apply(h);
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    vary.apply(h);
    let len = identity.bytes().len();
    match range {
        RangeRequest::Full => {
            if variant.encoding() != Encoding::Identity {
                h.insert(
                    header::CONTENT_ENCODING,
                    HeaderValue::from_static(variant.encoding().token()),
                );
            }
            h.insert(
                header::CONTENT_LENGTH,
                HeaderValue::from_static(variant.content_length()),
            );
            if is_get {
                *response.body_mut() = Body::from_static(variant.bytes());
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
            // Bytes stored encoded (`.svgz`) are ranges of the encoded bytes.
            if identity.encoding() != Encoding::Identity {
                h.insert(
                    header::CONTENT_ENCODING,
                    HeaderValue::from_static(identity.encoding().token()),
                );
            }
            *response.status_mut() = StatusCode::PARTIAL_CONTENT;
            *response.body_mut() = Body::from_static(&identity.bytes()[start..=end]);
        }
        RangeRequest::Unsatisfiable => {
            h.remove(header::ETAG);
            h.remove(header::CACHE_CONTROL);
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
    policy: &PolicyHeaders<'_>,
    vary: Vary,
) -> Response<Body> {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::NOT_MODIFIED;
    let h = response.headers_mut();
    h.insert(header::DATE, date::now());
    h.insert(header::ETAG, HeaderValue::from_static(variant.etag()));
    policy.apply(h);
    vary.apply(h);
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

pub(crate) fn precondition_failed() -> Response<Body> {
    plain(StatusCode::PRECONDITION_FAILED, "412 Precondition Failed\n")
}
