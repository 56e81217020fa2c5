//! tera functions and filters: `asset_url`, `asset_integrity` and
//! `asset_crossorigin` (feature `tera`).
//!
//! ```
//! let mut tera = tera::Tera::default();
//! asset_runtime::tera::register(&mut tera);
//! tera.add_raw_template(
//!     "page.html",
//!     r#"<link rel="stylesheet" href="{{ asset_url(path="css/app.css") }}"
//!       integrity="{{ "css/app.css" | asset_integrity }}" crossorigin="anonymous">"#,
//! )
//! .unwrap();
//! ```
//!
//! tera functions take named arguments only: `asset_url(path="...")`. Both
//! look logical paths up in the table installed with
//! [`Assets::install`](crate::Assets::install) (which
//! [`Assets::service`](crate::Assets::service) also does); an unknown path
//! fails the render with an error that names it. The output is marked safe,
//! so HTML templates show it as it is instead of escaping every `/`; a value
//! with an HTML-special character (only possible through an `&` in a file
//! name or the URL prefix) is escaped here instead.

use std::collections::HashMap;

use tera::{Error, Filter, Function, Result, Tera, Value};

use crate::UnknownAsset;
use crate::table::installed::html_safe;

/// Adds the functions `asset_url(path=...)`, `asset_integrity(path=...)`
/// and `asset_crossorigin(path=...)`, and filters of the same names
/// (`path | asset_url`), and the function `live_reload()`.
pub fn register(tera: &mut Tera) {
    tera.register_function("asset_url", AssetUrl);
    tera.register_function("asset_integrity", AssetIntegrity);
    tera.register_function("asset_crossorigin", AssetCrossorigin);
    tera.register_filter("asset_url", AssetUrl);
    tera.register_filter("asset_integrity", AssetIntegrity);
    tera.register_filter("asset_crossorigin", AssetCrossorigin);
    tera.register_function("live_reload", LiveReload);
}

/// `live_reload()`: the development-mode live-reload script, or nothing
/// ([`crate::live_reload`]).
#[derive(Clone, Copy, Debug)]
pub struct LiveReload;

impl Function for LiveReload {
    fn call(&self, _args: &HashMap<String, Value>) -> Result<Value> {
        Ok(Value::String(crate::live_reload().to_owned()))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

/// `asset_url`: the hashed URL of a logical path.
#[derive(Clone, Copy, Debug)]
pub struct AssetUrl;

/// `asset_integrity`: the Subresource Integrity value of a logical path.
#[derive(Clone, Copy, Debug)]
pub struct AssetIntegrity;

/// `asset_crossorigin`: `anonymous` when the URLs point at another origin
/// (a CDN prefix), else empty.
#[derive(Clone, Copy, Debug)]
pub struct AssetCrossorigin;

fn lookup(
    name: &str,
    path: Option<&Value>,
    find: fn(&str) -> std::result::Result<&'static str, UnknownAsset>,
) -> Result<Value> {
    let path = path
        .and_then(Value::as_str)
        .ok_or_else(|| Error::msg(format!("`{name}` needs a path as a string")))?;
    let text = find(path).map_err(|err| Error::msg(err.to_string()))?;
    Ok(Value::String(if html_safe(text) {
        text.to_owned()
    } else {
        escape_html(text)
    }))
}

fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            c => out.push(c),
        }
    }
    out
}

impl Function for AssetUrl {
    fn call(&self, args: &HashMap<String, Value>) -> Result<Value> {
        lookup("asset_url", args.get("path"), crate::asset_url)
    }

    fn is_safe(&self) -> bool {
        true
    }
}

impl Filter for AssetUrl {
    fn filter(&self, value: &Value, _args: &HashMap<String, Value>) -> Result<Value> {
        lookup("asset_url", Some(value), crate::asset_url)
    }

    fn is_safe(&self) -> bool {
        true
    }
}

impl Function for AssetIntegrity {
    fn call(&self, args: &HashMap<String, Value>) -> Result<Value> {
        lookup("asset_integrity", args.get("path"), crate::asset_integrity)
    }

    fn is_safe(&self) -> bool {
        true
    }
}

impl Filter for AssetIntegrity {
    fn filter(&self, value: &Value, _args: &HashMap<String, Value>) -> Result<Value> {
        lookup("asset_integrity", Some(value), crate::asset_integrity)
    }

    fn is_safe(&self) -> bool {
        true
    }
}

impl Function for AssetCrossorigin {
    fn call(&self, args: &HashMap<String, Value>) -> Result<Value> {
        lookup(
            "asset_crossorigin",
            args.get("path"),
            crate::asset_crossorigin,
        )
    }

    fn is_safe(&self) -> bool {
        true
    }
}

impl Filter for AssetCrossorigin {
    fn filter(&self, value: &Value, _args: &HashMap<String, Value>) -> Result<Value> {
        lookup("asset_crossorigin", Some(value), crate::asset_crossorigin)
    }

    fn is_safe(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_what_html_needs() {
        assert_eq!(
            super::escape_html(r#"/a&b<"'>.css"#),
            "/a&amp;b&lt;&quot;&#x27;&gt;.css"
        );
    }
}
