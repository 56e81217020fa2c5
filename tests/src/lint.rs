//! A caching linter for responses, with the checks REDbot-style HTTP
//! linters make about caching: freshness that is explicit, not heuristic;
//! 304s that repeat the validator and cache headers; no shared caching or
//! freshness with `Set-Cookie`; no `immutable` HTML; well-formed
//! `Cache-Control`, `ETag` and `Vary`. Each problem is one line.

use http::StatusCode;
use http::header::{self, HeaderMap};

/// What is wrong with a response to a GET or HEAD, if anything. `ok` is
/// the 200 a 304 stands for, when there is one.
pub fn problems(
    status: StatusCode,
    headers: &HeaderMap,
    body_len: usize,
    ok: Option<&HeaderMap>,
) -> Vec<String> {
    let mut out = Vec::new();
    let text = |name: header::HeaderName| -> Vec<String> {
        headers
            .get_all(&name)
            .iter()
            .map(|v| v.to_str().unwrap_or("<not text>").to_owned())
            .collect()
    };
    let cache_control = text(header::CACHE_CONTROL).join(", ");
    let directives: Vec<(String, Option<String>)> = cache_control
        .split(',')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(|d| match d.split_once('=') {
            Some((n, v)) => (
                n.trim().to_ascii_lowercase(),
                Some(v.trim().trim_matches('"').to_owned()),
            ),
            None => (d.to_ascii_lowercase(), None),
        })
        .collect();
    let has = |name: &str| directives.iter().any(|(n, _)| n == name);
    let value = |name: &str| {
        directives
            .iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, v)| v.clone())
    };
    const KNOWN: [&str; 12] = [
        "max-age",
        "s-maxage",
        "no-cache",
        "no-store",
        "private",
        "public",
        "must-revalidate",
        "proxy-revalidate",
        "no-transform",
        "immutable",
        "stale-while-revalidate",
        "stale-if-error",
    ];
    for (name, arg) in &directives {
        if !KNOWN.contains(&name.as_str()) {
            out.push(format!("unknown Cache-Control directive `{name}`"));
        }
        if matches!(
            name.as_str(),
            "max-age" | "s-maxage" | "stale-while-revalidate" | "stale-if-error"
        ) && arg.as_deref().is_none_or(|a| a.parse::<u64>().is_err())
        {
            out.push(format!("Cache-Control `{name}` needs a number of seconds"));
        }
    }
    if has("public") && has("private") {
        out.push("Cache-Control is both public and private".into());
    }
    if has("no-store") && (has("max-age") || has("s-maxage")) {
        out.push("Cache-Control no-store with a freshness lifetime".into());
    }
    for etag in text(header::ETAG) {
        let opaque = etag.strip_prefix("W/").unwrap_or(&etag);
        let ok = opaque.len() >= 2
            && opaque.starts_with('"')
            && opaque.ends_with('"')
            && opaque[1..opaque.len() - 1]
                .bytes()
                .all(|b| b == 0x21 || (0x23..=0x7e).contains(&b));
        if !ok {
            out.push(format!("malformed ETag `{etag}`"));
        }
    }
    for vary in text(header::VARY) {
        let names: Vec<String> = vary
            .split(',')
            .map(|n| n.trim().to_ascii_lowercase())
            .collect();
        if names.iter().any(String::is_empty) {
            out.push(format!("empty name in Vary `{vary}`"));
        }
        let mut unique = names.clone();
        unique.sort();
        unique.dedup();
        if unique.len() != names.len() {
            out.push(format!("repeated name in Vary `{vary}`"));
        }
    }
    if headers.contains_key(header::SET_COOKIE) {
        if !(has("private") || has("no-store")) {
            out.push(format!(
                "Set-Cookie on a response shared caches may store (`{cache_control}`)"
            ));
        }
        if has("public") || has("s-maxage") {
            out.push("Set-Cookie with public or s-maxage".into());
        }
        if value("max-age").is_some_and(|v| v != "0") || headers.contains_key(header::EXPIRES) {
            out.push("Set-Cookie with a freshness lifetime".into());
        }
    }
    let html = text(header::CONTENT_TYPE)
        .iter()
        .any(|ct| ct.to_ascii_lowercase().starts_with("text/html"));
    if html && has("immutable") {
        out.push("HTML marked immutable".into());
    }
    if html
        && !has("private")
        && value("max-age")
            .and_then(|v| v.parse::<u64>().ok())
            .is_some_and(|s| s > 60)
    {
        out.push("HTML with a long browser max-age".into());
    }
    match status {
        StatusCode::OK => {
            if cache_control.is_empty() && !headers.contains_key(header::EXPIRES) {
                out.push(
                    "no Cache-Control or Expires: caches would use heuristic freshness".into(),
                );
            }
            if !headers.contains_key(header::DATE) {
                out.push("no Date".into());
            }
        }
        StatusCode::NOT_MODIFIED => {
            if body_len != 0 {
                out.push("304 with a body".into());
            }
            for name in [header::ETAG, header::CACHE_CONTROL, header::DATE] {
                if !headers.contains_key(&name) {
                    out.push(format!("304 without {name}"));
                }
            }
            if let Some(ok) = ok {
                for name in [header::ETAG, header::CACHE_CONTROL, header::VARY] {
                    let want: Vec<_> = ok.get_all(&name).iter().collect();
                    let got: Vec<_> = headers.get_all(&name).iter().collect();
                    if want != got {
                        out.push(format!(
                            "304 {name} {got:?} differs from the 200's {want:?}"
                        ));
                    }
                }
            }
        }
        _ => {}
    }
    out
}

/// Panics, naming the URL, if the response has any problem.
pub fn assert_clean(
    url: &str,
    status: StatusCode,
    headers: &HeaderMap,
    body_len: usize,
    ok: Option<&HeaderMap>,
) {
    let found = problems(status, headers, body_len, ok);
    assert!(
        found.is_empty(),
        "{url} ({status}): {found:#?}\n{headers:#?}"
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn map(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut m = HeaderMap::new();
        for (n, v) in pairs {
            m.append(
                http::HeaderName::from_static(n),
                HeaderValue::from_static(v),
            );
        }
        m
    }

    #[test]
    fn flags_what_linters_flag() {
        let date = ("date", "Tue, 24 Nov 2026 10:00:00 GMT");
        assert!(
            problems(
                StatusCode::OK,
                &map(&[date, ("cache-control", "no-cache"), ("etag", "W/\"a\"")]),
                3,
                None
            )
            .is_empty()
        );
        assert!(
            !problems(StatusCode::OK, &map(&[date]), 3, None).is_empty(),
            "heuristic freshness"
        );
        assert!(
            !problems(
                StatusCode::OK,
                &map(&[
                    date,
                    ("cache-control", "public, max-age=60"),
                    ("set-cookie", "a=b")
                ]),
                3,
                None
            )
            .is_empty()
        );
        assert!(
            !problems(
                StatusCode::OK,
                &map(&[
                    date,
                    ("cache-control", "public, max-age=31536000, immutable"),
                    ("content-type", "text/html")
                ]),
                3,
                None
            )
            .is_empty()
        );
        assert!(
            !problems(
                StatusCode::OK,
                &map(&[date, ("cache-control", "max-age=abc")]),
                3,
                None
            )
            .is_empty()
        );
        assert!(
            !problems(
                StatusCode::OK,
                &map(&[date, ("cache-control", "no-cache"), ("etag", "abc")]),
                3,
                None
            )
            .is_empty()
        );
        assert!(
            !problems(
                StatusCode::OK,
                &map(&[
                    date,
                    ("cache-control", "no-cache"),
                    ("vary", "Cookie, cookie")
                ]),
                3,
                None
            )
            .is_empty()
        );
        let ok = map(&[
            date,
            ("cache-control", "no-cache"),
            ("etag", "W/\"a\""),
            ("vary", "Cookie"),
        ]);
        assert!(problems(StatusCode::NOT_MODIFIED, &ok, 0, Some(&ok)).is_empty());
        let dropped = map(&[date, ("etag", "W/\"a\"")]);
        assert!(!problems(StatusCode::NOT_MODIFIED, &dropped, 0, Some(&ok)).is_empty());
        assert!(!problems(StatusCode::NOT_MODIFIED, &ok, 5, Some(&ok)).is_empty());
    }
}
