use super::*;

fn request(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.append(
            http::HeaderName::from_static(name),
            HeaderValue::from_static(value),
        );
    }
    map
}

const TAG: u128 = 0x0123_4567_89ab_cdef_0123_4567_89ab_cdef;

#[test]
fn only_200_to_get_and_head() {
    assert!(eligible(&Method::GET, StatusCode::OK));
    assert!(eligible(&Method::HEAD, StatusCode::OK));
    assert!(!eligible(&Method::POST, StatusCode::OK));
    assert!(!eligible(&Method::GET, StatusCode::NOT_FOUND));
    assert!(!eligible(&Method::GET, StatusCode::PARTIAL_CONTENT));
}

#[test]
fn tags_are_weak_unless_the_bytes_are_encoded() {
    assert_eq!(
        tag_from_hash(TAG, false),
        "W/\"0123456789abcdef0123456789abcdef\""
    );
    assert_eq!(
        tag_from_hash(TAG, true),
        "\"0123456789abcdef0123456789abcdef\""
    );
}

#[test]
fn preconditions_use_the_shared_rules() {
    let weak = tag_from_hash(TAG, false);
    let strong = tag_from_hash(TAG, true);
    let inm_weak = request(&[("if-none-match", "W/\"0123456789abcdef0123456789abcdef\"")]);
    let inm_strong = request(&[("if-none-match", "\"0123456789abcdef0123456789abcdef\"")]);
    // If-None-Match compares weakly: either form matches either tag.
    for tag in [&weak, &strong] {
        assert_eq!(decide(&inm_weak, tag), Decision::NotModified);
        assert_eq!(decide(&inm_strong, tag), Decision::NotModified);
        assert_eq!(
            decide(&request(&[("if-none-match", "*")]), tag),
            Decision::NotModified
        );
        assert_eq!(
            decide(
                &request(&[(
                    "if-none-match",
                    "\"other\", W/\"0123456789abcdef0123456789abcdef\""
                )]),
                tag
            ),
            Decision::NotModified
        );
        assert_eq!(
            decide(&request(&[("if-none-match", "\"other\"")]), tag),
            Decision::Send
        );
        assert_eq!(
            decide(&request(&[("if-none-match", "garbage")]), tag),
            Decision::Send
        );
        assert_eq!(decide(&HeaderMap::new(), tag), Decision::Send);
    }
    // If-Match compares strongly: a weak tag of ours never matches but `*`.
    let im = request(&[("if-match", "\"0123456789abcdef0123456789abcdef\"")]);
    assert_eq!(decide(&im, &strong), Decision::Send);
    assert_eq!(decide(&im, &weak), Decision::Failed);
    assert_eq!(
        decide(&request(&[("if-match", "*")]), &weak),
        Decision::Send
    );
    assert_eq!(
        decide(&request(&[("if-match", "\"nope\"")]), &strong),
        Decision::Failed
    );
    // If-Match is evaluated first.
    let both = request(&[("if-match", "\"nope\""), ("if-none-match", "*")]);
    assert_eq!(decide(&both, &strong), Decision::Failed);
}

#[test]
fn a_304_repeats_the_validator_and_cache_headers_only() {
    let response = request(&[
        ("cache-control", "no-cache"),
        ("content-type", "text/html"),
        ("content-length", "20480"),
        ("etag", "W/\"x\""),
        ("vary", "Cookie"),
        ("vary", "Accept-Encoding"),
        ("content-location", "/en/"),
        ("set-cookie", "never=copied"),
    ]);
    let h = not_modified_from(&response);
    assert_eq!(h[header::ETAG], "W/\"x\"");
    assert_eq!(h[header::CACHE_CONTROL], "no-cache");
    assert_eq!(h.get_all(header::VARY).iter().count(), 2);
    assert_eq!(h[header::CONTENT_LOCATION], "/en/");
    assert!(h.contains_key(header::DATE));
    for absent in [
        header::CONTENT_TYPE,
        header::CONTENT_LENGTH,
        header::SET_COOKIE,
    ] {
        assert!(!h.contains_key(&absent), "{absent}");
    }
}
