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
