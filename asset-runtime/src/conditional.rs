//! Entity-tag lists in `If-None-Match` and `If-Match` (RFC 9110 §8.8.3,
//! §13.1.1, §13.1.2).

use http::HeaderValue;

/// One member of an `If-Match` / `If-None-Match` list.
#[derive(Debug, PartialEq, Eq)]
enum Member<'a> {
    Any,
    Tag { weak: bool, opaque: &'a str },
}

/// Whether `If-None-Match` matches `etag` under the weak comparison. `etag`
/// is a strong tag with its quotes, such as `"3f2a-br"`. A value that does
/// not parse matches nothing from the point where it stops parsing.
pub(crate) fn none_match<'a>(
    values: impl IntoIterator<Item = &'a HeaderValue>,
    etag: &str,
) -> bool {
    any_member(values, |m| match m {
        Member::Any => true,
        Member::Tag { opaque, .. } => opaque == etag,
    })
}

/// Whether `If-Match` matches `etag` under the strong comparison: a weak
/// tag never matches.
pub(crate) fn strong_match<'a>(
    values: impl IntoIterator<Item = &'a HeaderValue>,
    etag: &str,
) -> bool {
    any_member(values, |m| match m {
        Member::Any => true,
        Member::Tag { weak, opaque } => !weak && opaque == etag,
    })
}

/// Whether an `If-Range` value names `etag` under the strong comparison.
/// A date never does: the assets carry no `Last-Modified`.
pub(crate) fn if_range_matches(value: &HeaderValue, etag: &str) -> bool {
    let Ok(text) = value.to_str() else {
        return false;
    };
    match parse_tag(text.trim()) {
        Some((
            Member::Tag {
                weak: false,
                opaque,
            },
            rest,
        )) => rest.trim().is_empty() && opaque == etag,
        _ => false,
    }
}

fn any_member<'a>(
    values: impl IntoIterator<Item = &'a HeaderValue>,
    mut pred: impl FnMut(Member<'_>) -> bool,
) -> bool {
    for value in values {
        let Ok(mut rest) = value.to_str() else {
            continue;
        };
        loop {
            rest = rest.trim_start_matches([' ', '\t', ',']);
            if rest.is_empty() {
                break;
            }
            match parse_tag(rest) {
                Some((member, tail)) => {
                    if pred(member) {
                        return true;
                    }
                    rest = tail;
                }
                None => break,
            }
        }
    }
    false
}

/// Parses one `*` or `[W/]"opaque"` at the start of `text`; the tag keeps
/// its quotes. Returns the member and what follows it.
fn parse_tag(text: &str) -> Option<(Member<'_>, &str)> {
    if let Some(rest) = text.strip_prefix('*') {
        return Some((Member::Any, rest));
    }
    let (weak, quoted) = match text.strip_prefix("W/") {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let body = quoted.strip_prefix('"')?;
    let end = body.find('"')?;
    // etagc = %x21 / %x23-7E / obs-text; `to_str` already excluded obs-text.
    if !body[..end]
        .bytes()
        .all(|b| b == 0x21 || (0x23..=0x7e).contains(&b))
    {
        return None;
    }
    let opaque = &quoted[..end + 2];
    Some((Member::Tag { weak, opaque }, &body[end + 1..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn none(header: &str, etag: &str) -> bool {
        none_match([&HeaderValue::from_str(header).unwrap()], etag)
    }

    fn strong(header: &str, etag: &str) -> bool {
        strong_match([&HeaderValue::from_str(header).unwrap()], etag)
    }

    #[test]
    fn weak_comparison_for_if_none_match() {
        assert!(none(r#""abc""#, r#""abc""#));
        assert!(none(r#"W/"abc""#, r#""abc""#));
        assert!(!none(r#""abc-br""#, r#""abc""#));
        assert!(!none(r#""ab""#, r#""abc""#));
        assert!(none("*", r#""abc""#));
    }

    #[test]
    fn lists_and_whitespace() {
        assert!(none(r#""x", "y" ,W/"abc""#, r#""abc""#));
        assert!(none(r#""x",,"abc""#, r#""abc""#));
        assert!(!none(r#""x", "y""#, r#""abc""#));
        assert!(none(r#""a,b", "abc""#, r#""abc""#));
        assert!(none(r#""a,b""#, r#""a,b""#));
    }

    #[test]
    fn several_header_lines() {
        let a = HeaderValue::from_static(r#""x""#);
        let b = HeaderValue::from_static(r#""abc""#);
        assert!(none_match([&a, &b], r#""abc""#));
    }

    #[test]
    fn malformed_values_match_nothing_after_the_fault() {
        assert!(!none("abc", r#""abc""#));
        assert!(!none(r#""abc"#, r#""abc""#));
        assert!(!none(r#"w/"abc""#, r#""abc""#));
        assert!(none(r#""abc", garbage"#, r#""abc""#));
        assert!(!none(r#"garbage, "abc""#, r#""abc""#));
        assert!(!none("", r#""abc""#));
    }

    #[test]
    fn strong_comparison_for_if_match() {
        assert!(strong(r#""abc""#, r#""abc""#));
        assert!(!strong(r#"W/"abc""#, r#""abc""#));
        assert!(strong(r#"W/"abc", "abc""#, r#""abc""#));
        assert!(strong("*", r#""abc""#));
        assert!(!strong(r#""other""#, r#""abc""#));
    }

    #[test]
    fn if_range_needs_one_strong_tag() {
        let v = |s: &str| HeaderValue::from_str(s).unwrap();
        assert!(if_range_matches(&v(r#""abc""#), r#""abc""#));
        assert!(if_range_matches(&v(r#" "abc" "#), r#""abc""#));
        assert!(!if_range_matches(&v(r#"W/"abc""#), r#""abc""#));
        assert!(!if_range_matches(&v(r#""abc", "abc""#), r#""abc""#));
        assert!(!if_range_matches(
            &v("Wed, 21 Oct 2015 07:28:00 GMT"),
            r#""abc""#
        ));
        assert!(!if_range_matches(&v("*"), r#""abc""#));
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        /// The characters allowed inside an entity tag (ASCII `etagc`).
        const ETAGC: &str = "[!#-~]{0,12}";

        proptest! {
            #[test]
            fn any_header_is_safe_and_strong_implies_weak(
                bytes in proptest::collection::vec(any::<u8>(), 0..64),
                opaque in ETAGC,
            ) {
                if let Ok(value) = HeaderValue::from_bytes(&bytes) {
                    let etag = format!("\"{opaque}\"");
                    let values = [value];
                    let strong = strong_match(&values, &etag);
                    prop_assert!(!strong || none_match(&values, &etag));
                    if if_range_matches(&values[0], &etag) {
                        prop_assert!(strong);
                    }
                }
            }

            #[test]
            fn a_formatted_list_round_trips(
                tags in proptest::collection::vec((any::<bool>(), ETAGC), 1..5),
                probe in ETAGC,
                separator in "[ \t]{0,2},[ \t]{0,2}",
            ) {
                let header = tags
                    .iter()
                    .map(|(weak, opaque)| format!("{}\"{opaque}\"", if *weak { "W/" } else { "" }))
                    .collect::<Vec<_>>()
                    .join(&separator);
                let values = [HeaderValue::from_str(&header).unwrap()];
                for (weak, opaque) in tags.iter().chain([&(false, probe)]) {
                    let etag = format!("\"{opaque}\"");
                    let listed = tags.iter().any(|(_, o)| o == opaque);
                    let listed_strong = tags.iter().any(|(w, o)| !w && o == opaque);
                    prop_assert_eq!(none_match(&values, &etag), listed, "{} in {}", etag, header);
                    prop_assert_eq!(strong_match(&values, &etag), listed_strong, "{} in {}", etag, header);
                    let _ = weak;
                }
            }
        }
    }
}
