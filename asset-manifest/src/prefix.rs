//! URL prefixes: which are valid, their normal form, and how a path is
//! written under one.
//!
//! A prefix starts with `/` (the app serves the assets itself),
//! `http://` or `https://` (a CDN or bucket origin), never `//`, holds
//! only visible ASCII without quotes, `<`, `>`, `?`, `#`, `\` or a
//! backtick (it goes into HTML attributes and URLs as it is), and ends
//! with `/` (added when missing).

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

/// Checks and normalises a URL prefix; `None` if it cannot be used.
///
/// ```
/// use asset_manifest::prefix::normalize;
///
/// assert_eq!(normalize("/static").as_deref(), Some("/static/"));
/// assert_eq!(normalize("https://cdn.example.com/a/").as_deref(), Some("https://cdn.example.com/a/"));
/// assert_eq!(normalize("static/"), None);
/// ```
pub fn normalize(prefix: &str) -> Option<String> {
    let ok_start =
        prefix.starts_with('/') || prefix.starts_with("http://") || prefix.starts_with("https://");
    let ok_chars = prefix
        .bytes()
        .all(|b| b.is_ascii_graphic() && !b"\"'<>?#\\`".contains(&b));
    if !ok_start || !ok_chars || prefix.starts_with("//") {
        return None;
    }
    Some(if prefix.ends_with('/') {
        prefix.to_owned()
    } else {
        format!("{prefix}/")
    })
}

/// Whether a (normalised) prefix names another origin, so that tags with
/// `integrity` need `crossorigin` and responses need CORS.
pub fn is_cross_origin(prefix: &str) -> bool {
    prefix.starts_with("http://") || prefix.starts_with("https://")
}

/// Characters escaped in a URL path: controls, space, and those with a
/// meaning in URLs or HTML attributes. `/` is kept.
pub const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'\'')
    .add(b'\\')
    .add(b'^')
    .add(b'|')
    .add(b'[')
    .add(b']');

/// `prefix` + the percent-encoded `path`: the URL of an asset.
///
/// ```
/// assert_eq!(
///     asset_manifest::prefix::url("/static/", "img/my logo.png"),
///     "/static/img/my%20logo.png"
/// );
/// ```
pub fn url(prefix: &str, path: &str) -> String {
    format!("{prefix}{}", utf8_percent_encode(path, PATH))
}

#[cfg(test)]
mod tests;
