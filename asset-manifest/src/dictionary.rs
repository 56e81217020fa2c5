//! Compression Dictionary Transport (RFC 9842): what the build and the
//! runtime agree on.
//!
//! A hashed response offers itself as a dictionary for later versions of
//! the same logical path ([`use_as_dictionary`]); a browser that kept it
//! sends its SHA-256 in `Available-Dictionary` ([`parse_available`]) and
//! lists `dcb` or `dcz` in `Accept-Encoding`; the build stored, for that
//! dictionary, a delta whose bytes start with a header naming it
//! ([`dcb_header`], [`dcz_header`]).

use base64::Engine as _;

use crate::{Encoding, fingerprint, naming};

/// The first bytes of a `dcb` body, before the dictionary's SHA-256
/// (RFC 9842 §4).
pub const DCB_MAGIC: [u8; 4] = [0xFF, 0x44, 0x43, 0x42];

/// The first bytes of a `dcz` body, before the dictionary's SHA-256: a
/// zstd skippable frame of 32 bytes (RFC 9842 §5).
pub const DCZ_MAGIC: [u8; 8] = [0x5E, 0x2A, 0x4D, 0x18, 0x20, 0x00, 0x00, 0x00];

/// The largest brotli window a `dcb` stream may use: 16 MiB (RFC 9842 §4).
pub const DCB_MAX_WINDOW_LOG: u32 = 24;

/// The largest zstd window a `dcz` frame may use for a dictionary of
/// `dictionary_len` bytes: max(8 MiB, 1.25 x the dictionary), the most
/// that RFC 9842 §5 requires a client to accept (Chromium refuses more).
pub fn dcz_max_window(dictionary_len: u64) -> u64 {
    (8 << 20).max(dictionary_len.saturating_add(dictionary_len / 4))
}

/// `FF 44 43 42` and the dictionary's SHA-256: the start of a `dcb` body.
pub fn dcb_header(dictionary_sha256: &[u8; 32]) -> [u8; 36] {
    let mut out = [0; 36];
    out[..4].copy_from_slice(&DCB_MAGIC);
    out[4..].copy_from_slice(dictionary_sha256);
    out
}

/// `5E 2A 4D 18 20 00 00 00` and the dictionary's SHA-256: the start of
/// a `dcz` body.
pub fn dcz_header(dictionary_sha256: &[u8; 32]) -> [u8; 40] {
    let mut out = [0; 40];
    out[..8].copy_from_slice(&DCZ_MAGIC);
    out[8..].copy_from_slice(dictionary_sha256);
    out
}

/// The `Available-Dictionary` value for a dictionary: a structured-field
/// byte sequence, `:<base64 of the SHA-256>:` (RFC 9842 §2.2).
pub fn available_dictionary(dictionary_sha256: &[u8; 32]) -> String {
    format!(
        ":{}:",
        base64::engine::general_purpose::STANDARD.encode(dictionary_sha256)
    )
}

/// Reads an `Available-Dictionary` value: one structured-field byte
/// sequence (RFC 8941 §3.3.5) of exactly 32 bytes, with optional spaces
/// around it and no parameters. Anything else is `None`, and the request
/// is answered as if the header were absent.
///
/// ```
/// use asset_manifest::dictionary::{available_dictionary, parse_available};
///
/// let hash = [7; 32];
/// assert_eq!(parse_available(available_dictionary(&hash).as_bytes()), Some(hash));
/// assert_eq!(parse_available(b":AAAA:"), None);
/// ```
pub fn parse_available(value: &[u8]) -> Option<[u8; 32]> {
    let value = value.trim_ascii();
    let inner = value.strip_prefix(b":")?.strip_suffix(b":")?;
    // 32 bytes are 44 base64 characters, the last one `=`.
    if inner.len() != 44 {
        return None;
    }
    let mut out = [0; 32];
    let n = base64::engine::general_purpose::STANDARD
        .decode_slice(inner, &mut out)
        .ok()?;
    (n == 32).then_some(out)
}

/// The request destination a dictionary is restricted to, for
/// `match-dest` (the Fetch standard's `destination`): `script` for
/// JavaScript, `style` for stylesheets; `None` (any destination) for
/// other types, which pages load in several ways (`fetch`, `<img>`,
/// WebAssembly streaming).
pub fn destination(logical_path: &str) -> Option<&'static str> {
    let ext = logical_path.rsplit_once('.').map_or("", |(_, e)| e);
    if ext.eq_ignore_ascii_case("js") || ext.eq_ignore_ascii_case("mjs") {
        Some("script")
    } else if ext.eq_ignore_ascii_case("css") {
        Some("style")
    } else {
        None
    }
}

/// The `Use-As-Dictionary` value of a hashed asset served under `prefix`
/// (RFC 9842 §2.1): a `match` URL pattern that covers the same logical
/// path under any hash, with a `match-dest` where one fits. `None` for a
/// path without a hash slot of its own shape (a file that keeps its name).
///
/// The pattern is a path on the response's own origin (the browser only
/// takes same-origin patterns): the prefix's path part, then the
/// percent-encoded logical path with `*` in place of the hash. URLPattern's
/// special characters in file names are escaped with `\`, and the value
/// is a structured-field string, so `\` is written `\\`.
///
/// ```
/// use asset_manifest::dictionary::use_as_dictionary;
///
/// assert_eq!(
///     use_as_dictionary("/static/", "js/app.0123456789abcdef.js").unwrap(),
///     r#"match="/static/js/app.*.js", match-dest=("script")"#
/// );
/// assert_eq!(
///     use_as_dictionary("https://cdn.example.com/v2/", "data/a(1).0123456789abcdef.json").unwrap(),
///     r#"match="/v2/data/a\\(1\\).*.json""#
/// );
/// ```
pub fn use_as_dictionary(prefix: &str, hashed_path: &str) -> Option<String> {
    let (logical, _) = naming::split_hashed(hashed_path)?;
    let (stem, extension) = naming::hash_slot(&logical);
    let mut pattern = String::from(prefix_path(prefix));
    escape_pattern(&crate::prefix::url("", stem), &mut pattern);
    pattern.push_str(".*");
    escape_pattern(&crate::prefix::url("", extension), &mut pattern);
    let mut value = String::from("match=\"");
    for c in pattern.chars() {
        if c == '\\' || c == '"' {
            value.push('\\');
        }
        value.push(c);
    }
    value.push('"');
    if let Some(dest) = destination(&logical) {
        value.push_str(", match-dest=(\"");
        value.push_str(dest);
        value.push_str("\")");
    }
    Some(value)
}

/// The key (export file, bucket object) of a delta: the hashed path,
/// the dictionary's SHA-256 in lowercase hex, and the coding's extension:
/// `css/app.<hash>.css.<64 hex>.dcb`. An edge that serves an export finds
/// it from the request path, `Available-Dictionary` (base64 to hex) and
/// `Accept-Encoding`.
///
/// ```
/// use asset_manifest::Encoding;
/// use asset_manifest::dictionary::{delta_key, split_delta_key};
///
/// let key = delta_key("app.0123456789abcdef.js", Encoding::Dcb, &[0xab; 32]);
/// assert_eq!(key, format!("app.0123456789abcdef.js.{}.dcb", "ab".repeat(32)));
/// assert_eq!(
///     split_delta_key(&key),
///     Some(("app.0123456789abcdef.js", Encoding::Dcb, [0xab; 32]))
/// );
/// ```
pub fn delta_key(hashed_path: &str, encoding: Encoding, dictionary_sha256: &[u8; 32]) -> String {
    format!(
        "{hashed_path}.{}.{}",
        fingerprint::hex(dictionary_sha256),
        encoding.file_extension().unwrap_or_default()
    )
}

/// The inverse of [`delta_key`]: the hashed path, the coding and the
/// dictionary's SHA-256, or `None` for any other key.
pub fn split_delta_key(key: &str) -> Option<(&str, Encoding, [u8; 32])> {
    let (rest, ext) = key.rsplit_once('.')?;
    let encoding = Encoding::DELTAS
        .into_iter()
        .find(|e| e.file_extension() == Some(ext))?;
    let (hashed, hex) = rest.rsplit_once('.')?;
    let sha = fingerprint::parse_hex(hex)?;
    naming::split_hashed(hashed)?;
    Some((hashed, encoding, sha))
}

/// The path part of a URL prefix: `/static/` for `/static/` and for
/// `https://cdn.example.com/static/`.
pub fn prefix_path(prefix: &str) -> &str {
    match prefix
        .strip_prefix("https://")
        .or_else(|| prefix.strip_prefix("http://"))
    {
        Some(rest) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => prefix,
    }
}

/// Escapes URLPattern's special characters (`* : ( ) + ? { } \`) with a
/// backslash. The text is already percent-encoded, which leaves only
/// `* : ( ) +` of them, but all are handled.
fn escape_pattern(text: &str, out: &mut String) {
    for c in text.chars() {
        if matches!(c, '*' | ':' | '(' | ')' | '+' | '?' | '{' | '}' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn available_dictionary_is_strict() {
        let hash: [u8; 32] = std::array::from_fn(|i| i as u8 * 7);
        let value = available_dictionary(&hash);
        assert_eq!(parse_available(value.as_bytes()), Some(hash));
        assert_eq!(
            parse_available(format!("  {value} ").as_bytes()),
            Some(hash)
        );
        // Not a byte sequence, the wrong length, bad base64, parameters.
        for bad in [
            value.trim_matches(':').to_owned(),
            format!("\"{value}\""),
            ":AAAA:".to_owned(),
            format!("{value};id=1"),
            value.replace('A', "*"),
            format!(":{}:", "=".repeat(44)),
            String::new(),
            "::".to_owned(),
        ] {
            assert_eq!(parse_available(bad.as_bytes()), None, "{bad}");
        }
        // Two values (a list) are not one dictionary.
        assert_eq!(
            parse_available(format!("{value}, {value}").as_bytes()),
            None
        );
    }

    #[test]
    fn patterns_cover_the_logical_path_under_any_hash() {
        let h = "0123456789abcdef";
        let cases = [
            (
                "/",
                "app.css",
                r#"match="/app.*.css", match-dest=("style")"#,
            ),
            (
                "/static/",
                "js/app.min.mjs",
                r#"match="/static/js/app.min.*.mjs", match-dest=("script")"#,
            ),
            ("/s/", "LICENSE", r#"match="/s/LICENSE.*""#),
            (
                "/s/",
                "my file+x.json",
                r#"match="/s/my%20file\\+x.*.json""#,
            ),
            (
                "/s/",
                "a:b*(c).wasm",
                r#"match="/s/a\\:b\\*\\(c\\).*.wasm""#,
            ),
            ("http://127.0.0.1:3000/", "x.svg", r#"match="/x.*.svg""#),
            ("/s/", "é.txt", r#"match="/s/%C3%A9.*.txt""#),
        ];
        for (prefix, logical, want) in cases {
            let hashed = naming::hashed_path(logical, h);
            assert_eq!(use_as_dictionary(prefix, &hashed).unwrap(), want);
        }
        // A name without a hash of ours offers nothing.
        assert_eq!(use_as_dictionary("/", "app-4f2a.digested.js"), None);
    }

    #[test]
    fn headers_and_windows() {
        let hash = [9; 32];
        assert_eq!(dcb_header(&hash)[..4], DCB_MAGIC);
        assert_eq!(dcz_header(&hash)[8..], hash);
        assert_eq!(dcz_max_window(1 << 20), 8 << 20);
        assert_eq!(dcz_max_window(16 << 20), 20 << 20);
    }
}
