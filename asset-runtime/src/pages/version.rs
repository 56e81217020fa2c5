//! [`Version`]: answer 304 before rendering, from a cheap version key.

use http::header::{self, HeaderMap, HeaderValue};
use http::{Method, Response, StatusCode};

use crate::Body;
use crate::pages::{Decision, decide, not_modified_from};

/// A page's validator made from what the page depends on, known before
/// rendering it: a row's `updated_at`, a user id, a feed's last entry. The
/// Rails `stale?` and Django `@condition` idea: when the client already
/// has this version, answer 304 without rendering at all.
///
/// The tag is weak (the same version may render to other bytes after a
/// change of compression) and mixes in the installed asset table's release
/// fingerprint ([`Assets::release_id`](crate::Assets::release_id)), so a
/// release with new asset URLs never answers 304 for a page that names the
/// old ones. If templates can change without any asset changing, put a
/// release id of your own into the key as well (a git commit, the
/// crate version).
///
/// ```
/// use asset_runtime::pages::Version;
/// use http::{HeaderMap, Method, StatusCode, header};
///
/// fn page(method: &Method, request: &HeaderMap, id: u64, updated_at: &str)
///     -> http::Response<asset_runtime::Body>
/// {
///     let version = Version::new(&format!("post:{id}:{updated_at}"));
///     if let Some(answer) = version.precondition(method, request) {
///         return answer; // 304 (or 412): nothing rendered
///     }
///     let html = format!("<h1>Post {id}</h1>"); // the expensive part
///     let mut response = http::Response::new(asset_runtime::Body::from(html));
///     version.tag(response.headers_mut());
///     response
/// }
///
/// let first = page(&Method::GET, &HeaderMap::new(), 7, "2026-11-24T10:00:00Z");
/// let etag = first.headers()[header::ETAG].clone();
/// let mut again = HeaderMap::new();
/// again.insert(header::IF_NONE_MATCH, etag);
/// let second = page(&Method::GET, &again, 7, "2026-11-24T10:00:00Z");
/// assert_eq!(second.status(), StatusCode::NOT_MODIFIED);
/// ```
#[derive(Clone, Debug)]
pub struct Version {
    etag: HeaderValue,
}

impl Version {
    /// The version of whatever `key` names, in this release.
    pub fn new(key: &str) -> Self {
        let release = crate::installed().map_or(0, |assets| assets.release_id());
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        hasher.update(&release.to_le_bytes());
        hasher.update(key.as_bytes());
        let etag = HeaderValue::try_from(format!("W/\"v{:032x}\"", hasher.digest128()))
            .expect("hex digits and quotes are a valid value");
        Version { etag }
    }

    /// The weak `ETag` of this version.
    pub fn etag(&self) -> &HeaderValue {
        &self.etag
    }

    /// Sets this version's `ETag` on the rendered response (the validator
    /// layer then keeps it instead of hashing the body).
    pub fn tag(&self, headers: &mut HeaderMap) {
        headers.insert(header::ETAG, self.etag.clone());
    }

    /// The answer to send without rendering, if the request's
    /// preconditions decide it: 304 with the `ETag` and `Date` (the
    /// validator layer adds `Cache-Control` and `Vary`) when `If-None-Match`
    /// names this version, 412 when `If-Match` does not. `None` for methods
    /// other than GET and HEAD, and when the page must be rendered.
    pub fn precondition(&self, method: &Method, request: &HeaderMap) -> Option<Response<Body>> {
        if method != Method::GET && method != Method::HEAD {
            return None;
        }
        match decide(request, &self.etag) {
            Decision::Send => None,
            Decision::NotModified => {
                let mut tagged = HeaderMap::new();
                self.tag(&mut tagged);
                let mut response = Response::new(Body::empty());
                *response.status_mut() = StatusCode::NOT_MODIFIED;
                *response.headers_mut() = not_modified_from(&tagged);
                Some(response)
            }
            Decision::Failed => Some(crate::http::serve::precondition_failed()),
        }
    }
}
