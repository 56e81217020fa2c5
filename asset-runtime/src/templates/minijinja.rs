//! minijinja functions and filters: `asset_url`, `asset_integrity` and
//! `asset_crossorigin` (feature `minijinja`).
//!
//! ```
//! let mut env = minijinja::Environment::new();
//! asset_runtime::minijinja::register(&mut env);
//! env.add_template(
//!     "page.html",
//!     r#"<link rel="stylesheet" href="{{ asset_url("css/app.css") }}"
//!       integrity="{{ "css/app.css"|asset_integrity }}" crossorigin="anonymous">"#,
//! )
//! .unwrap();
//! ```
//!
//! Both look logical paths up in the table installed with
//! [`Assets::install`](crate::Assets::install) (which
//! [`Assets::service`](crate::Assets::service) also does); an unknown path
//! fails the render with an error that names it. The values are marked safe
//! when they contain no HTML-special character (always, unless a file name or
//! the URL prefix has an `&`), so HTML templates show them as they are
//! instead of escaping every `/`.

use minijinja::{Environment, Error, ErrorKind, Value};

use crate::table::installed::html_safe;

/// Adds the functions `asset_url(path)`, `asset_integrity(path)` and
/// `asset_crossorigin(path)`, and filters of the same names
/// (`path|asset_url`), and the function `live_reload()`.
pub fn register(env: &mut Environment<'_>) {
    env.add_function("asset_url", asset_url);
    env.add_function("asset_integrity", asset_integrity);
    env.add_function("asset_crossorigin", asset_crossorigin);
    env.add_filter("asset_url", asset_url);
    env.add_filter("asset_integrity", asset_integrity);
    env.add_filter("asset_crossorigin", asset_crossorigin);
    env.add_function("live_reload", live_reload);
}

/// The development-mode live-reload script, or nothing
/// ([`crate::live_reload`]), as safe HTML.
pub fn live_reload() -> Value {
    Value::from_safe_string(crate::live_reload().to_owned())
}

/// The hashed URL of a logical path: `/static/css/app.3f2a1b9c4d5e6f70.css`.
pub fn asset_url(path: &str) -> Result<Value, Error> {
    crate::asset_url(path).map(value).map_err(error)
}

/// The Subresource Integrity value of a logical path: `sha384-...`.
pub fn asset_integrity(path: &str) -> Result<Value, Error> {
    crate::asset_integrity(path).map(value).map_err(error)
}

/// The `crossorigin` value for a logical path's tag: `anonymous` when the
/// URLs point at another origin (a CDN prefix), else empty.
pub fn asset_crossorigin(path: &str) -> Result<Value, Error> {
    crate::asset_crossorigin(path).map(value).map_err(error)
}

fn value(text: &'static str) -> Value {
    if html_safe(text) {
        Value::from_safe_string(text.to_owned())
    } else {
        Value::from(text)
    }
}

fn error(err: crate::UnknownAsset) -> Error {
    Error::new(ErrorKind::InvalidOperation, err.to_string())
}
