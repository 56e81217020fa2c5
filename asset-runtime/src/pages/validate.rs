//! The validator's decisions, framework-free: which responses it handles,
//! the tag of a body, what the preconditions say, and the 304.

use http::header::{self, HeaderMap, HeaderValue};
use http::{Method, StatusCode};

use crate::http::conditional::{self, Precondition};

/// The largest body the validator buffers to hash, by default: 1 MiB.
/// Larger bodies, and streams that grow past the limit, pass through
/// untouched (no tag, no 304).
pub const DEFAULT_LIMIT: usize = 1024 * 1024;

/// Whether a response is one the validator handles: a 200 to GET or HEAD.
#[cfg_attr(
    not(any(feature = "tower", feature = "hyper", feature = "actix-web")),
    allow(dead_code)
)]
pub(crate) fn eligible(method: &Method, status: StatusCode) -> bool {
    status == StatusCode::OK && (method == Method::GET || method == Method::HEAD)
}

/// The validator of a body whose XXH3-128 is `hash`: weak unless the body
/// is already content-encoded (then the bytes are the ones sent, and
/// another encoding gives another tag).
#[cfg_attr(
    not(any(feature = "tower", feature = "hyper", feature = "actix-web")),
    allow(dead_code)
)]
pub(crate) fn tag_from_hash(hash: u128, encoded: bool) -> HeaderValue {
    // `W/"` + 32 hex digits + `"`, written in place: no formatting
    // machinery on every response.
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut text = [0u8; 36];
    text[..3].copy_from_slice(b"W/\"");
    for (i, byte) in hash.to_be_bytes().iter().enumerate() {
        text[3 + 2 * i] = HEX[usize::from(byte >> 4)];
        text[4 + 2 * i] = HEX[usize::from(byte & 0xf)];
    }
    text[35] = b'"';
    let text = if encoded { &text[2..] } else { &text[..] };
    HeaderValue::from_bytes(text).expect("hex digits and quotes are a valid value")
}

/// What the request's preconditions say about a response with `etag`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Send the response as it is.
    Send,
    /// 304 Not Modified.
    NotModified,
    /// 412 Precondition Failed.
    Failed,
}

/// Evaluates `If-Match` and `If-None-Match` against `etag` with the
/// runtime's one precondition code (the assets use it too). A tag that is
/// not valid text matches nothing.
pub(crate) fn decide(request: &HeaderMap, etag: &HeaderValue) -> Decision {
    let Ok(etag) = etag.to_str() else {
        return Decision::Send;
    };
    match conditional::evaluate(request, etag.trim()) {
        Precondition::Proceed => Decision::Send,
        Precondition::NotModified => Decision::NotModified,
        Precondition::Failed => Decision::Failed,
    }
}

/// The headers of the 304 for a 200 with `headers`: the ones RFC 9110
/// §15.4.5 says a 304 repeats (`Cache-Control`, `Content-Location`,
/// `Date`, `ETag`, `Expires`, `Vary`), with a `Date` of now if the 200 had
/// none.
pub(crate) fn not_modified_from(headers: &HeaderMap) -> HeaderMap {
    let mut out = HeaderMap::with_capacity(6);
    for name in [
        header::CACHE_CONTROL,
        header::CONTENT_LOCATION,
        header::DATE,
        header::ETAG,
        header::EXPIRES,
        header::VARY,
    ] {
        for value in headers.get_all(&name) {
            out.append(name.clone(), value.clone());
        }
    }
    if !out.contains_key(header::DATE) {
        out.insert(header::DATE, crate::http::date::now());
    }
    out
}

#[cfg(test)]
mod tests;
