//! Live reload in development mode: the page reloads itself when an asset
//! changes on disk.
//!
//! A development-mode table answers `<prefix>__asset_dev/version` with a
//! fingerprint of the files' current contents
//! ([`Assets::release_id`](crate::Assets::release_id)), and
//! [`live_reload`] is a small script that asks for it twice a second and
//! reloads the page when it changes (or when the server comes back after a
//! restart with other files). Polling a tiny response, rather than holding
//! a server-sent-events stream open, needs no timer, thread or streaming
//! body in the runtime, and goes through every adapter (axum, actix-web,
//! hyper) as an ordinary answer of the core.
//!
//! Only in debug builds of this crate (`debug_assertions`) and only for a
//! development-mode table: a release build compiles none of it, and
//! [`live_reload`] is then `""`.

#[cfg(debug_assertions)]
use http::header::{self, HeaderValue};
#[cfg(debug_assertions)]
use http::{Response, StatusCode};

#[cfg(debug_assertions)]
use crate::{Assets, Body};

/// The path, relative to the table, that answers the current version.
#[cfg(debug_assertions)]
pub(crate) const VERSION_PATH: &str = "__asset_dev/version";

/// The answer to [`VERSION_PATH`] for a development-mode table.
#[cfg(debug_assertions)]
pub(crate) fn version_response(assets: &Assets) -> Response<Body> {
    let mut response = Response::new(Body::from(format!("{:032x}", assets.release_id())));
    *response.status_mut() = StatusCode::OK;
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// The `<script>` that reloads the page when the installed table's assets
/// change on disk, for a development-mode table in a debug build; `""`
/// otherwise. Put it in the page's layout, unescaped:
///
/// ```text
/// askama:    {{ asset_runtime::live_reload()|safe }}
/// minijinja: {{ live_reload() }}   (registered by asset_runtime::minijinja::register)
/// tera:      {{ live_reload() }}   (registered by asset_runtime::tera::register)
/// maud:      (asset_runtime::maud::live_reload())
/// ```
pub fn live_reload() -> &'static str {
    #[cfg(debug_assertions)]
    {
        use std::sync::OnceLock;
        static SCRIPT: OnceLock<String> = OnceLock::new();
        if let Some(assets) = crate::installed().filter(|a| a.is_dev()) {
            return SCRIPT
                .get_or_init(|| script(&format!("{}{VERSION_PATH}", assets.url_prefix())));
        }
    }
    ""
}

/// The script for a version URL (a percent-encoded URL under the prefix,
/// so it needs no escaping in a JavaScript string).
#[cfg(debug_assertions)]
fn script(url: &str) -> String {
    format!(
        "<script>(() => {{ const url = \"{url}\"; let seen; \
         const poll = () => fetch(url, {{ cache: \"no-store\" }}) \
         .then((r) => (r.ok ? r.text() : null)) \
         .then((v) => {{ if (v !== null && seen !== undefined && v !== seen) {{ location.reload(); return; }} \
         if (v !== null) seen = v; setTimeout(poll, 500); }}) \
         .catch(() => setTimeout(poll, 1000)); poll(); }})();</script>"
    )
}

#[cfg(all(test, debug_assertions))]
mod tests;
