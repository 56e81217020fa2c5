//! Every request-header parser of the HTTP core on arbitrary bytes: none
//! panics, and each result keeps its promises.

#![no_main]

use arbitrary::Arbitrary;
use asset_runtime::Encoding;
use asset_runtime::fuzz_hooks as hooks;
use http::HeaderValue;
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    values: Vec<&'a [u8]>,
    len: u64,
    etag: &'a str,
    stored: Vec<u8>,
    path: &'a str,
}

const CODINGS: [Encoding; 3] = [Encoding::Brotli, Encoding::Zstd, Encoding::Gzip];

fuzz_target!(|input: Input<'_>| {
    let values: Vec<HeaderValue> = input
        .values
        .iter()
        .filter_map(|v| HeaderValue::from_bytes(v).ok())
        .collect();

    // Negotiation returns an index of a stored variant.
    let mut stored = vec![Encoding::Identity];
    stored.extend(
        input
            .stored
            .iter()
            .take(3)
            .map(|b| CODINGS[usize::from(*b) % 3]),
    );
    let index = hooks::negotiate(&values, &stored);
    assert!(index < stored.len());

    // Entity tags: a strong match is also a weak one; If-Range is stricter.
    let etag = format!("\"{}\"", input.etag);
    let strong = hooks::strong_match(&values, &etag);
    let weak = hooks::none_match(&values, &etag);
    assert!(
        !strong || weak,
        "strong match without weak match: {values:?}"
    );
    for value in &values {
        if hooks::if_range(value, &etag) {
            assert!(hooks::strong_match(std::slice::from_ref(value), &etag));
        }

        // A range lies inside the representation.
        match hooks::range(value, input.len) {
            Some(Some((start, end))) => assert!(start <= end && end < input.len),
            Some(None) | None => {}
        }
    }

    // A dictionary hash is read only from its one canonical spelling, and
    // a dictionary coding only from an element that names it.
    for value in &values {
        if let Some(hash) = hooks::available_dictionary(value) {
            let canonical = asset_manifest::dictionary::available_dictionary(&hash);
            assert_eq!(value.as_bytes().trim_ascii(), canonical.as_bytes());
        }
    }
    for coding in [Encoding::Dcb, Encoding::Dcz] {
        let q = hooks::listed_q(&values, coding);
        assert!(q <= 1000);
        if q > 0 {
            assert!(values.iter().any(|v| v
                .as_bytes()
                .to_ascii_lowercase()
                .windows(3)
                .any(|w| w == coding.token().as_bytes())));
        }
    }

    // A hashed name splits into a logical path that names it again.
    if let Some((logical, hash)) = asset_manifest::naming::split_hashed(input.path) {
        assert_eq!(hash.len(), 16);
        assert_eq!(
            asset_manifest::naming::hashed_path(&logical, hash),
            input.path
        );
    }
});
