//! Which URLs name assets, what they resolve to, and how a reference to a
//! hashed name is written.
//!
//! Rules, in order:
//!
//! 1. Left alone (not a reference to an asset): an empty URL, a fragment
//!    only (`#id`), a query only (`?v=1`), a URL with a scheme (`data:`,
//!    `http:`, `https:`, `blob:`, ...), a scheme-relative URL (`//host/x`).
//! 2. The path (before the first `?` or `#`) is percent-decoded, then
//!    resolved: a relative path against the referring file's folder
//!    (`.` and `..` segments applied, empty segments dropped); a path
//!    that starts with `/` only when it starts with the URL prefix's path
//!    (`/static/` for both `/static/` and `https://cdn.example.com/static/`),
//!    and then from the asset root. Any other `/...` path is outside the
//!    asset folders (the application's own routes) and is left alone.
//! 3. A path that climbs above the asset root, or names a folder, cannot be
//!    an asset: it is a missing reference.
//! 4. The `?query` and `#fragment` suffix is kept exactly as written.
//!
//! The rewritten reference is always relative to the referring file
//! (`../fonts/icons.<hash>.woff2?#iefix`). Assets keep their relative layout
//! under every prefix, so a relative URL resolves the same way whether the
//! stylesheet is served from `/static/`, `/assets/v2/` or a CDN origin, and
//! the bytes (so the hashes) do not depend on the prefix.

use std::borrow::Cow;

use percent_encoding::{AsciiSet, percent_decode_str, utf8_percent_encode};

/// A URL that may name an asset: its path and the suffix to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalUrl<'a> {
    /// Up to the first `?` or `#`, still percent-encoded.
    pub path: &'a str,
    /// From the first `?` or `#` on (may be empty).
    pub suffix: &'a str,
}

/// Splits a URL that may name an asset; `None` for URLs that are left
/// alone (rule 1).
pub fn local(url: &str) -> Option<LocalUrl<'_>> {
    let url = url.trim_matches(|c: char| c.is_ascii_whitespace() || c.is_ascii_control());
    if url.is_empty() || url.starts_with(['#', '?']) || url.starts_with("//") {
        return None;
    }
    if has_scheme(url) {
        return None;
    }
    let end = url.find(['?', '#']).unwrap_or(url.len());
    Some(LocalUrl {
        path: &url[..end],
        suffix: &url[end..],
    })
}

/// `scheme:` per RFC 3986: a letter, then letters, digits, `+`, `-`, `.`.
fn has_scheme(url: &str) -> bool {
    let Some(colon) = url.find(':') else {
        return false;
    };
    let scheme = &url[..colon];
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// The outcome of resolving a local path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// The logical path it names (which may or may not exist).
    Path(String),
    /// An absolute path outside the URL prefix: not ours, left alone.
    Outside,
    /// It climbs above the asset root.
    AboveRoot,
    /// It names a folder (ends with `/`), or is not valid UTF-8 once
    /// decoded: no asset can have that path.
    NotAFile(String),
}

/// The path part of a normalised URL prefix: `/static/` for `/static/` and
/// for `https://cdn.example.com/static/`.
pub fn prefix_path(prefix: &str) -> &str {
    match prefix.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => prefix,
    }
}

/// Resolves the path of a local URL found in `referrer` (a logical path).
pub fn resolve(referrer: &str, path: &str, prefix_path: &str) -> Resolved {
    let decoded: Cow<'_, str> = match percent_decode_str(path).decode_utf8() {
        Ok(d) => d,
        Err(_) => return Resolved::NotAFile(path.to_owned()),
    };
    let (mut parts, rest): (Vec<&str>, &str) = if decoded.starts_with('/') {
        match decoded.strip_prefix(prefix_path) {
            Some(rest) => (Vec::new(), rest),
            None => return Resolved::Outside,
        }
    } else {
        let dir: Vec<&str> = referrer.split('/').collect();
        (dir[..dir.len() - 1].to_vec(), &decoded)
    };
    let segments: Vec<&str> = rest.split('/').collect();
    for segment in &segments {
        match *segment {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Resolved::AboveRoot;
                }
            }
            s => parts.push(s),
        }
    }
    let joined = parts.join("/");
    let names_folder = parts.is_empty() || matches!(segments.last(), Some(&("" | "." | "..")));
    if names_folder {
        Resolved::NotAFile(joined)
    } else {
        Resolved::Path(joined)
    }
}

/// Characters percent-encoded in a written reference: everything that is
/// not plainly a path character in every syntax a reference appears in
/// (CSS with or without quotes, JS and JSON strings, comments), and `:` so
/// that a first segment never reads as a scheme.
const SEGMENT: &AsciiSet = &asset_manifest::prefix::PATH
    .add(b'(')
    .add(b')')
    .add(b'*')
    .add(b':')
    .add(b'/');

/// The relative URL from the folder of `referrer` to `target` (both
/// logical paths), percent-encoded, split around the point where the
/// target's hash goes. `extension` is the target's extension as split off
/// by `naming::hash_slot` (`.woff2`, or empty), or `None` when the target
/// keeps its name. `dot_slash` asks for `./` before a path in the same
/// folder (ES module specifiers need it).
///
/// Returns `(before, after)`: the URL is `before + "." + hash + after`, or
/// just `before` when the name is kept.
pub fn relative(
    referrer: &str,
    target: &str,
    extension: Option<&str>,
    dot_slash: bool,
) -> (String, String) {
    let from: Vec<&str> = referrer.split('/').collect();
    let from_dirs = &from[..from.len() - 1];
    let to: Vec<&str> = target.split('/').collect();
    let (file, to_dirs) = to.split_last().expect("split yields one part at least");
    let common = from_dirs
        .iter()
        .zip(to_dirs)
        .take_while(|(a, b)| a == b)
        .count();
    let mut before = "../".repeat(from_dirs.len() - common);
    if before.is_empty() && dot_slash {
        before.push_str("./");
    }
    for dir in &to_dirs[common..] {
        before.extend(utf8_percent_encode(dir, SEGMENT));
        before.push('/');
    }
    match extension {
        Some(extension) => {
            let stem = &file[..file.len() - extension.len()];
            before.extend(utf8_percent_encode(stem, SEGMENT));
            (before, utf8_percent_encode(extension, SEGMENT).to_string())
        }
        None => {
            before.extend(utf8_percent_encode(file, SEGMENT));
            (before, String::new())
        }
    }
}

#[cfg(test)]
mod tests;
