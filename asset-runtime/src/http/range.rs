//! `Range: bytes=...` (RFC 9110 §14.1.2, §14.2).
//!
//! One satisfiable range is served as a 206, wherever it stands in the list
//! (`bytes=5000-, 0-9` on a 1000-byte file is the first ten bytes). A request
//! for several satisfiable ranges gets the whole representation as a 200, not
//! a `multipart/byteranges` body: RFC 9110 §14.2 lets a server ignore `Range`,
//! clients that ask for several ranges (PDF viewers, download resumers) take
//! a 200 just as well, and a multipart body of small text assets costs more
//! than it saves. No satisfiable range at all: 416. A header that does not
//! parse, or names a unit other than `bytes`, is ignored like several ranges.

use http::HeaderValue;

/// What a `Range` header asks of a representation of `len` bytes.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum RangeRequest {
    /// Ignore the header and send everything.
    Full,
    /// Send bytes `start..=end`.
    Partial { start: u64, end: u64 },
    /// No range overlaps the representation: 416.
    Unsatisfiable,
}

pub(crate) fn parse(value: &HeaderValue, len: u64) -> RangeRequest {
    parse_set(value, len).unwrap_or(RangeRequest::Full)
}

/// `None` for a header that does not parse.
fn parse_set(value: &HeaderValue, len: u64) -> Option<RangeRequest> {
    let (unit, set) = value.to_str().ok()?.trim().split_once('=')?;
    if !unit.trim().eq_ignore_ascii_case("bytes") {
        return None;
    }
    let mut specs = set.split(',').map(str::trim).filter(|s| !s.is_empty());
    let first = specs.next()?;
    let mut satisfiable = None;
    let mut count = 0;
    for text in std::iter::once(first).chain(specs) {
        match spec(text, len)? {
            RangeRequest::Unsatisfiable => {}
            partial => {
                count += 1;
                satisfiable.get_or_insert(partial);
            }
        }
    }
    Some(match satisfiable {
        None => RangeRequest::Unsatisfiable,
        Some(partial) if count == 1 => partial,
        Some(_) => RangeRequest::Full,
    })
}

/// One `first-last`, `first-` or `-suffix`; `None` if it does not parse.
fn spec(text: &str, len: u64) -> Option<RangeRequest> {
    let (first, last) = text.split_once('-')?;
    let (first, last) = (first.trim(), last.trim());
    let number = |s: &str| -> Option<u64> {
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        // Digits beyond u64 still name a position past any real body.
        Some(s.parse().unwrap_or(u64::MAX))
    };
    if first.is_empty() {
        let suffix = number(last)?;
        if suffix == 0 || len == 0 {
            return Some(RangeRequest::Unsatisfiable);
        }
        return Some(RangeRequest::Partial {
            start: len.saturating_sub(suffix),
            end: len - 1,
        });
    }
    let start = number(first)?;
    let end = if last.is_empty() {
        u64::MAX
    } else {
        number(last)?
    };
    if end < start {
        return None;
    }
    if start >= len {
        return Some(RangeRequest::Unsatisfiable);
    }
    Some(RangeRequest::Partial {
        start,
        end: end.min(len - 1),
    })
}

#[cfg(test)]
mod tests;
