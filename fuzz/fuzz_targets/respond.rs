//! The whole respond path: an arbitrary method, path and headers against a
//! small generated table. Nothing panics, and every answer is one of the
//! answers the serving rules allow, with a body that matches its headers.

#![no_main]

use arbitrary::Arbitrary;
use asset_runtime::{ServeOptions, UnknownHash};
use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use libfuzzer_sys::fuzz_target;

asset_runtime::include_assets!();

const NAMES: [HeaderName; 8] = [
    header::ACCEPT_ENCODING,
    header::RANGE,
    header::IF_RANGE,
    header::IF_MATCH,
    header::IF_NONE_MATCH,
    header::IF_MODIFIED_SINCE,
    header::IF_UNMODIFIED_SINCE,
    header::ACCEPT,
];

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    method: u8,
    raw_method: &'a [u8],
    /// Index into the table's paths, or arbitrary.
    path_pick: u8,
    path: &'a str,
    headers: Vec<(u8, &'a [u8])>,
    serve_current: bool,
    serve_logical: bool,
}

fuzz_target!(|input: Input<'_>| {
    let method = match input.method % 4 {
        0 => Method::GET,
        1 => Method::HEAD,
        2 => Method::POST,
        _ => Method::from_bytes(input.raw_method).unwrap_or(Method::GET),
    };
    let assets: Vec<_> = ASSETS.iter().collect();
    let path = match usize::from(input.path_pick) {
        i if i < assets.len() => format!("/{}", assets[i].hashed_path()),
        i if i < 2 * assets.len() => format!("/{}", assets[i - assets.len()].logical_path()),
        i if i < 3 * assets.len() => {
            // The same name with another hash, as during a rolling deploy.
            let asset = assets[i - 2 * assets.len()];
            let mut hash: String = input
                .path
                .chars()
                .filter(|c| matches!(c, '0'..='9' | 'a'..='f'))
                .take(16)
                .collect();
            while hash.len() < 16 {
                hash.push('0');
            }
            let (stem, ext) = asset_manifest::naming::hash_slot(asset.logical_path());
            format!("/{stem}.{hash}{ext}")
        }
        _ => input.path.to_owned(),
    };
    let mut headers = HeaderMap::new();
    for (name, value) in &input.headers {
        if let Ok(value) = HeaderValue::from_bytes(value) {
            headers.append(NAMES[usize::from(*name) % NAMES.len()].clone(), value);
        }
    }
    let options = ServeOptions::default()
        .serve_logical_paths(input.serve_logical)
        .unknown_hash(if input.serve_current {
            UnknownHash::ServeCurrent
        } else {
            UnknownHash::NotFound
        });

    let response = asset_runtime::serve(&ASSETS, &options, &method, &path, &headers)
        .unwrap_or_else(asset_runtime::not_found);
    let status = response.status();
    let h = response.headers();
    let body = response.body().as_bytes();
    let get = method == Method::GET;
    match status {
        StatusCode::OK | StatusCode::PARTIAL_CONTENT => {
            assert!(get || method == Method::HEAD);
            let length: usize = h[header::CONTENT_LENGTH].to_str().unwrap().parse().unwrap();
            if get {
                assert_eq!(length, body.len());
            } else {
                assert!(body.is_empty());
            }
            // The body is stored bytes, or a slice of the identity bytes.
            let asset = ASSETS
                .iter()
                .find(|a| a.variants().iter().any(|v| v.etag() == h[header::ETAG]))
                .expect("the ETag is one of the table's");
            if status == StatusCode::OK && get {
                assert!(asset.variants().iter().any(|v| v.bytes() == body));
            } else if get {
                let range = h[header::CONTENT_RANGE].to_str().unwrap();
                let (span, total) = range
                    .strip_prefix("bytes ")
                    .unwrap()
                    .split_once('/')
                    .unwrap();
                let (start, end) = span.split_once('-').unwrap();
                let (start, end): (usize, usize) = (start.parse().unwrap(), end.parse().unwrap());
                assert_eq!(total.parse::<usize>().unwrap(), asset.bytes().len());
                assert_eq!(&asset.bytes()[start..=end], body);
            }
        }
        StatusCode::NOT_MODIFIED => {
            assert!(body.is_empty());
            assert!(h.contains_key(header::ETAG));
        }
        StatusCode::RANGE_NOT_SATISFIABLE => {
            assert!(get && body.is_empty());
            assert!(
                h[header::CONTENT_RANGE]
                    .to_str()
                    .unwrap()
                    .starts_with("bytes */")
            );
        }
        StatusCode::NOT_FOUND
        | StatusCode::METHOD_NOT_ALLOWED
        | StatusCode::PRECONDITION_FAILED => {}
        other => panic!("unexpected status {other}"),
    }
});
