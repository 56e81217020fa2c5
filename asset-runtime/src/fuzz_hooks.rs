//! The internal parsers, for the fuzz targets in `fuzz/`. Compiled only
//! with `--cfg fuzzing` (which `cargo fuzz` sets); not a public API.

use http::HeaderValue;

use crate::Encoding;
use crate::http::range::RangeRequest;

/// `Accept-Encoding` negotiation: an index into `stored`.
pub fn negotiate(values: &[HeaderValue], stored: &[Encoding]) -> usize {
    crate::http::negotiate::negotiate(values, stored.iter().copied())
}

/// `Range`: `None` to send everything, `Some(None)` for 416,
/// `Some(Some((start, end)))` for bytes `start..=end`.
pub fn range(value: &HeaderValue, len: u64) -> Option<Option<(u64, u64)>> {
    match crate::http::range::parse(value, len) {
        RangeRequest::Full => None,
        RangeRequest::Unsatisfiable => Some(None),
        RangeRequest::Partial { start, end } => Some(Some((start, end))),
    }
}

/// `If-None-Match` (weak comparison).
pub fn none_match(values: &[HeaderValue], etag: &str) -> bool {
    crate::http::conditional::none_match(values, etag)
}

/// `If-Match` (strong comparison).
pub fn strong_match(values: &[HeaderValue], etag: &str) -> bool {
    crate::http::conditional::strong_match(values, etag)
}

/// `If-Range` (strong comparison, one tag).
pub fn if_range(value: &HeaderValue, etag: &str) -> bool {
    crate::http::conditional::if_range_matches(value, etag)
}

/// `Available-Dictionary`: the SHA-256 a client names, if the value is one.
pub fn available_dictionary(value: &HeaderValue) -> Option<[u8; 32]> {
    asset_manifest::dictionary::parse_available(value.as_bytes())
}

/// The q-value (thousandths) that `Accept-Encoding` lists for a
/// dictionary coding by name (never through `*`).
pub fn listed_q(values: &[HeaderValue], encoding: Encoding) -> u16 {
    crate::http::negotiate::Accepted::read(values).listed_q(encoding)
}
