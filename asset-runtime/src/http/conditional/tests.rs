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
