//! `Range: bytes=...` (RFC 9110 §14.1.2, §14.2).
//!
//! One range is served as a 206. A request for several ranges gets the
//! whole representation as a 200: a multipart body costs more than it saves
//! for files of this size, and RFC 9110 §14.2 lets a server ignore `Range`.
//! A header that does not parse, or names a unit other than `bytes`, is
//! ignored the same way.

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
    let Ok(text) = value.to_str() else {
        return RangeRequest::Full;
    };
    let Some((unit, set)) = text.trim().split_once('=') else {
        return RangeRequest::Full;
    };
    if !unit.trim().eq_ignore_ascii_case("bytes") {
        return RangeRequest::Full;
    }
    let mut specs = set.split(',').map(str::trim).filter(|s| !s.is_empty());
    let Some(first) = specs.next() else {
        return RangeRequest::Full;
    };
    let first = match spec(first, len) {
        Some(r) => r,
        None => return RangeRequest::Full,
    };
    let mut satisfiable = usize::from(first != RangeRequest::Unsatisfiable);
    for other in specs {
        match spec(other, len) {
            Some(RangeRequest::Unsatisfiable) => {}
            Some(_) => satisfiable += 1,
            None => return RangeRequest::Full,
        }
    }
    match satisfiable {
        0 => RangeRequest::Unsatisfiable,
        1 if first != RangeRequest::Unsatisfiable => first,
        // Several ranges, or one satisfiable range after an unsatisfiable
        // first one: the whole body.
        _ => RangeRequest::Full,
    }
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
mod tests {
    use super::RangeRequest::*;
    use super::*;

    fn p(header: &str, len: u64) -> RangeRequest {
        parse(&HeaderValue::from_str(header).unwrap(), len)
    }

    #[test]
    fn closed_open_and_suffix_ranges() {
        assert_eq!(p("bytes=0-499", 1000), Partial { start: 0, end: 499 });
        assert_eq!(
            p("bytes=500-", 1000),
            Partial {
                start: 500,
                end: 999
            }
        );
        assert_eq!(
            p("bytes=-100", 1000),
            Partial {
                start: 900,
                end: 999
            }
        );
        assert_eq!(p("bytes=-5000", 1000), Partial { start: 0, end: 999 });
        assert_eq!(
            p("bytes=990-5000", 1000),
            Partial {
                start: 990,
                end: 999
            }
        );
        assert_eq!(p("Bytes = 1-1", 10), Partial { start: 1, end: 1 });
    }

    #[test]
    fn unsatisfiable() {
        assert_eq!(p("bytes=1000-", 1000), Unsatisfiable);
        assert_eq!(p("bytes=1000-2000", 1000), Unsatisfiable);
        assert_eq!(p("bytes=-0", 1000), Unsatisfiable);
        assert_eq!(p("bytes=0-", 0), Unsatisfiable);
        assert_eq!(p("bytes=-1", 0), Unsatisfiable);
        assert_eq!(p("bytes=5000-6000, 7000-", 1000), Unsatisfiable);
        assert_eq!(p("bytes=99999999999999999999999-", 1000), Unsatisfiable);
    }

    #[test]
    fn several_ranges_get_the_whole_body() {
        assert_eq!(p("bytes=0-1, 5-6", 1000), Full);
        assert_eq!(p("bytes=0-1, 2000-", 1000), Partial { start: 0, end: 1 });
        assert_eq!(p("bytes=2000-, 0-1", 1000), Full);
    }

    #[test]
    fn malformed_headers_are_ignored() {
        for h in [
            "bytes",
            "bytes=",
            "bytes=abc",
            "bytes=5-1",
            "bytes=1-2-3",
            "items=0-1",
            "bytes=--1",
            "bytes=0-1, x",
            "bytes=+1-2",
        ] {
            assert_eq!(p(h, 1000), Full, "{h}");
        }
    }
}
