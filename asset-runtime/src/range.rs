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
        assert_eq!(p("bytes=2000-, 0-1", 1000), Partial { start: 0, end: 1 });
        assert_eq!(p("bytes=0-1, 0-1", 1000), Full);
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

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn any_header_is_safe_and_in_bounds(
                bytes in proptest::collection::vec(any::<u8>(), 0..64),
                len in 0u64..10_000,
            ) {
                if let Ok(value) = HeaderValue::from_bytes(&bytes) {
                    if let Partial { start, end } = parse(&value, len) {
                        prop_assert!(start <= end && end < len);
                    }
                }
            }

            #[test]
            fn range_shaped_text_is_in_bounds(
                text in "(bytes|Bytes|items)? ?= ?[0-9 ]{0,6}-[0-9 ]{0,6}(, ?[0-9]{0,4}-[0-9]{0,4}){0,2}",
                len in 0u64..2_000,
            ) {
                let value = HeaderValue::from_str(&text).unwrap();
                if let Partial { start, end } = parse(&value, len) {
                    prop_assert!(start <= end && end < len);
                }
            }

            #[test]
            fn a_closed_range_is_clamped_to_the_length(
                len in 1u64..100_000,
                start in 0u64..200_000,
                extra in 0u64..200_000,
            ) {
                let end = start + extra;
                let got = p(&format!("bytes={start}-{end}"), len);
                if start < len {
                    prop_assert_eq!(got, Partial { start, end: end.min(len - 1) });
                } else {
                    prop_assert_eq!(got, Unsatisfiable);
                }
            }

            #[test]
            fn a_suffix_is_the_last_bytes(len in 1u64..100_000, suffix in 1u64..200_000) {
                prop_assert_eq!(
                    p(&format!("bytes=-{suffix}"), len),
                    Partial { start: len.saturating_sub(suffix), end: len - 1 }
                );
            }
        }
    }
}
