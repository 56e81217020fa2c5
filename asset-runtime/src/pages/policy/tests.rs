use super::*;

fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.append(
            HeaderName::from_static(name),
            HeaderValue::from_static(value),
        );
    }
    map
}

fn vary(map: &HeaderMap) -> Vec<&str> {
    map.get_all(header::VARY)
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect()
}

#[test]
fn presets_send_what_they_say() {
    assert_eq!(CachePolicy::revalidate().cache_control(), "no-cache");
    assert!(CachePolicy::revalidate().vary_names().is_empty());
    assert_eq!(CachePolicy::per_user().cache_control(), "private, no-cache");
    assert_eq!(CachePolicy::per_user().vary_names(), [header::COOKIE]);
    assert_eq!(
        CachePolicy::private_max_age(120).cache_control(),
        "private, max-age=120"
    );
    assert_eq!(
        CachePolicy::shared(60, 300).cache_control(),
        "public, max-age=0, s-maxage=60, stale-while-revalidate=300"
    );
    let with_origin = CachePolicy::per_user()
        .vary(header::ORIGIN)
        .vary(header::ORIGIN);
    assert_eq!(with_origin.vary_names(), [header::COOKIE, header::ORIGIN]);
}

#[test]
fn the_handler_s_cache_control_wins_unless_a_guard_says_otherwise() {
    let mut h = headers(&[("cache-control", "private, max-age=5")]);
    assert!(!CachePolicy::shared(60, 300).apply(&mut h));
    assert_eq!(h[header::CACHE_CONTROL], "private, max-age=5");

    let mut h = headers(&[("content-type", "text/plain")]);
    CachePolicy::shared(60, 300).apply(&mut h);
    assert_eq!(
        h[header::CACHE_CONTROL],
        "public, max-age=0, s-maxage=60, stale-while-revalidate=300"
    );
}

#[test]
fn html_never_keeps_the_immutable_policy_of_assets() {
    let mut h = headers(&[
        ("content-type", "text/html; charset=utf-8"),
        ("cache-control", "public, max-age=31536000, Immutable"),
    ]);
    CachePolicy::revalidate().apply(&mut h);
    assert_eq!(h[header::CACHE_CONTROL], "no-cache");
    // Other types may be immutable (an app serving hashed files itself).
    let mut h = headers(&[
        ("content-type", "application/json"),
        ("cache-control", "public, max-age=31536000, immutable"),
    ]);
    CachePolicy::revalidate().apply(&mut h);
    assert_eq!(
        h[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
}

#[test]
fn set_cookie_is_never_shared_and_never_fresh() {
    for policy in [
        CachePolicy::shared(60, 300),
        CachePolicy::private_max_age(60),
        CachePolicy::revalidate(),
    ] {
        let mut h = headers(&[
            ("set-cookie", "session=abc; HttpOnly"),
            ("expires", "Thu, 01 Jan 2099 00:00:00 GMT"),
        ]);
        assert!(policy.apply(&mut h));
        assert_eq!(h[header::CACHE_CONTROL], "no-store");
        assert!(!h.contains_key(header::EXPIRES));
    }
    // A handler's public or fresh caching is overridden too.
    for chosen in [
        "public, s-maxage=600",
        "private, max-age=60",
        "private",
        "no-cache",
    ] {
        let mut h = headers(&[("set-cookie", "a=b"), ("cache-control", chosen)]);
        CachePolicy::revalidate().apply(&mut h);
        assert_eq!(h[header::CACHE_CONTROL], "no-store", "{chosen}");
    }
    // A handler's own private directive without freshness is its choice.
    let mut h = headers(&[
        ("set-cookie", "a=b"),
        ("cache-control", "private, no-cache"),
    ]);
    CachePolicy::shared(60, 300).apply(&mut h);
    assert_eq!(h[header::CACHE_CONTROL], "private, no-cache");
    // no-store is stricter already: kept.
    let mut h = headers(&[("set-cookie", "a=b"), ("cache-control", "no-store")]);
    CachePolicy::revalidate().apply(&mut h);
    assert_eq!(h[header::CACHE_CONTROL], "no-store");
}

#[test]
fn vary_merges_and_never_overwrites() {
    let mut h = headers(&[("vary", "Accept-Encoding")]);
    CachePolicy::per_user().vary(header::ORIGIN).apply(&mut h);
    assert_eq!(vary(&h), ["Accept-Encoding, cookie, origin"]);

    // Names already there, in any case, are not repeated; several values
    // become one.
    let mut h = headers(&[("vary", "cookie"), ("vary", "Accept-Encoding, COOKIE")]);
    CachePolicy::per_user().apply(&mut h);
    assert_eq!(vary(&h), ["cookie, Accept-Encoding"]);

    // `*` already varies on everything.
    let mut h = headers(&[("vary", "*")]);
    CachePolicy::per_user().apply(&mut h);
    assert_eq!(vary(&h), ["*"]);

    // Nothing to add: left exactly as it was.
    let mut h = headers(&[("vary", "Accept-Encoding")]);
    CachePolicy::revalidate().apply(&mut h);
    assert_eq!(vary(&h), ["Accept-Encoding"]);
}

#[test]
fn no_store_is_a_directive_in_any_case_and_any_header_line() {
    assert!(says_no_store(&headers(&[(
        "cache-control",
        "private, No-Store"
    )])));
    assert!(says_no_store(&headers(&[
        ("cache-control", "private"),
        ("cache-control", "no-store")
    ])));
    assert!(!says_no_store(&headers(&[("cache-control", "no-cache")])));
    assert!(!says_no_store(&HeaderMap::new()));
}
