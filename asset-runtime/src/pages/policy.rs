//! [`CachePolicy`]: what a page or API response may be cached as, and the
//! guards every response through the validator gets.

use http::header::{self, HeaderMap, HeaderName, HeaderValue};

/// How a page or API response may be cached. Each preset names the headers
/// it sends; the validator layer adds an `ETag`.
///
/// | preset | `Cache-Control` | `Vary` | for |
/// |---|---|---|---|
/// | [`revalidate`](CachePolicy::revalidate) | `no-cache` | | a page every client revalidates on every use (304 when unchanged) |
/// | [`per_user`](CachePolicy::per_user) | `private, no-cache` | `Cookie` | a page that differs per signed-in user |
/// | [`private_max_age(n)`](CachePolicy::private_max_age) | `private, max-age=n` | `Cookie` | short-lived API data for one user |
/// | [`shared(s, swr)`](CachePolicy::shared) | `public, max-age=0, s-maxage=s, stale-while-revalidate=swr` | | a page a CDN may hold `s` seconds; browsers revalidate |
///
/// None is `immutable` and none gives browsers a long `max-age`: a kept
/// page would keep naming last release's asset URLs.
///
/// ```
/// use asset_runtime::pages::CachePolicy;
/// use http::header::ORIGIN;
///
/// let api = CachePolicy::private_max_age(120).vary(ORIGIN);
/// assert_eq!(api.cache_control(), "private, max-age=120");
/// ```
#[derive(Clone, Debug)]
pub struct CachePolicy {
    cache_control: HeaderValue,
    vary: Vec<HeaderName>,
}

impl Default for CachePolicy {
    fn default() -> Self {
        CachePolicy::revalidate()
    }
}

impl CachePolicy {
    /// `Cache-Control: no-cache`: any cache may store the page but must
    /// revalidate it before every use, which the validator turns into a
    /// bodyless 304 when nothing changed. The default.
    pub fn revalidate() -> Self {
        CachePolicy {
            cache_control: HeaderValue::from_static("no-cache"),
            vary: Vec::new(),
        }
    }

    /// `Cache-Control: private, no-cache` and `Vary: Cookie`: only the
    /// browser may store it, keyed by the session cookie, and it
    /// revalidates every use.
    pub fn per_user() -> Self {
        CachePolicy {
            cache_control: HeaderValue::from_static("private, no-cache"),
            vary: vec![header::COOKIE],
        }
    }

    /// `Cache-Control: private, max-age=N` and `Vary: Cookie`: the browser
    /// may reuse it for `N` seconds without asking; shared caches never
    /// store it.
    pub fn private_max_age(seconds: u32) -> Self {
        CachePolicy {
            cache_control: digits(format!("private, max-age={seconds}")),
            vary: vec![header::COOKIE],
        }
    }

    /// `Cache-Control: public, max-age=0, s-maxage=S,
    /// stale-while-revalidate=W`: a CDN may keep it `S` seconds and serve
    /// it stale `W` seconds more while it refetches (RFC 9111 §5.2.2.10,
    /// RFC 5861); browsers revalidate every use. After a deploy, the CDN
    /// shows the new page within `S + W` seconds; pages stay consistent
    /// meanwhile because the old release's asset URLs stay served.
    pub fn shared(s_maxage: u32, stale_while_revalidate: u32) -> Self {
        CachePolicy {
            cache_control: digits(format!(
                "public, max-age=0, s-maxage={s_maxage}, stale-while-revalidate={stale_while_revalidate}"
            )),
            vary: Vec::new(),
        }
    }

    /// Adds a request header the response depends on (`Origin` for CORS,
    /// `Accept-Language`, ...) to `Vary`.
    pub fn vary(mut self, name: HeaderName) -> Self {
        if !self.vary.contains(&name) {
            self.vary.push(name);
        }
        self
    }

    /// The `Cache-Control` value it sends.
    pub fn cache_control(&self) -> &HeaderValue {
        &self.cache_control
    }

    /// The `Vary` names it adds.
    pub fn vary_names(&self) -> &[HeaderName] {
        &self.vary
    }

    /// Applies the policy and the guards to a response's headers: the
    /// policy's `Cache-Control` where the handler set none, `Vary` merged,
    /// `Set-Cookie` made `no-store` (unless the handler chose a directive
    /// that is private and without freshness, such as `private,
    /// no-cache`), HTML never `immutable`. Returns whether the response
    /// carries `Set-Cookie` (and so must get no validator and no 304).
    pub fn apply(&self, headers: &mut HeaderMap) -> bool {
        let html = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| {
                ct.trim_start()
                    .get(..9)
                    .is_some_and(|t| t.eq_ignore_ascii_case("text/html"))
            });
        let immutable_html = html
            && headers
                .get_all(header::CACHE_CONTROL)
                .iter()
                .any(|v| has_directive(v, "immutable"));
        let handler_chose = headers.contains_key(header::CACHE_CONTROL) && !immutable_html;
        if !handler_chose {
            headers.insert(header::CACHE_CONTROL, self.cache_control.clone());
        }
        merge_vary(headers, &self.vary);
        let cookie = headers.contains_key(header::SET_COOKIE);
        if cookie {
            // `no-store`, as OWASP advises for responses that set a
            // session: `no-cache` with no validator to revalidate against
            // says the same less clearly (REDbot flags it). A handler's own
            // private directive without freshness is kept.
            let kept =
                says_no_store(headers) || (handler_chose && private_and_never_fresh(headers));
            if !kept {
                headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            }
            headers.remove(header::EXPIRES);
        }
        cookie
    }
}

fn digits(text: String) -> HeaderValue {
    HeaderValue::try_from(text).expect("ASCII letters, digits and punctuation are a valid value")
}

/// Whether the response's `Cache-Control` says `no-store`: nothing may keep
/// it, so a validator would be of no use.
pub(crate) fn says_no_store(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::CACHE_CONTROL)
        .iter()
        .any(|v| has_directive(v, "no-store"))
}

/// Whether the `Cache-Control` keeps the response out of shared caches
/// and gives it no freshness: `private` and `no-cache`, and no `public`,
/// `s-maxage`, `max-age` or `immutable`.
fn private_and_never_fresh(headers: &HeaderMap) -> bool {
    let any = |directive| {
        headers
            .get_all(header::CACHE_CONTROL)
            .iter()
            .any(|v| has_directive(v, directive))
    };
    any("private")
        && any("no-cache")
        && !["public", "s-maxage", "max-age", "immutable"]
            .into_iter()
            .any(any)
}

/// Whether a `Cache-Control` value holds a directive (any case, with or
/// without an argument).
fn has_directive(value: &HeaderValue, directive: &str) -> bool {
    value.to_str().is_ok_and(|text| {
        text.split(',').any(|d| {
            let name = d.split('=').next().unwrap_or("").trim();
            name.eq_ignore_ascii_case(directive)
        })
    })
}

/// Adds `names` to the response's `Vary`, keeping every name already there
/// (from the handler or a compression layer) once, in one header value.
/// `Vary: *` stays as it is.
pub(crate) fn merge_vary(headers: &mut HeaderMap, names: &[HeaderName]) {
    let mut merged: Vec<String> = Vec::new();
    for value in headers.get_all(header::VARY) {
        for name in value.to_str().unwrap_or("").split(',') {
            let name = name.trim();
            if name == "*" {
                return;
            }
            if !name.is_empty() && !merged.iter().any(|m| m.eq_ignore_ascii_case(name)) {
                merged.push(name.to_owned());
            }
        }
    }
    let before = merged.len();
    for name in names {
        if !merged.iter().any(|m| m.eq_ignore_ascii_case(name.as_str())) {
            merged.push(name.as_str().to_owned());
        }
    }
    let several = headers.get_all(header::VARY).iter().count() > 1;
    if merged.len() == before && !several {
        return;
    }
    let value =
        HeaderValue::try_from(merged.join(", ")).expect("header names join to a valid value");
    headers.insert(header::VARY, value);
}

#[cfg(test)]
mod tests;
