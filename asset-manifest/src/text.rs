//! What a file's bytes say about how it is served: the `charset` of a
//! text type, and the coding of bytes that are stored already encoded
//! (`.svgz`). The build decides from the final bytes; development mode
//! decides again from the bytes on disk, by the same rules.

use crate::Encoding;

/// Whether a media type (without parameters) is text, so that its
/// `Content-Type` may carry a `charset`.
pub fn is_text(essence: &str) -> bool {
    essence.starts_with("text/")
        || matches!(
            essence,
            "application/json"
                | "application/manifest+json"
                | "application/ld+json"
                | "application/xml"
                | "image/svg+xml"
                | "application/javascript"
        )
}

/// The `charset` parameter for text `bytes`, or `None` to send none:
///
/// - a byte-order mark decides (`utf-8`, `utf-16be`, `utf-16le`): it wins
///   over everything else in a browser anyway;
/// - a stylesheet that declares another encoding with `@charset "...";`
///   gets none, so that its declaration rules (a `charset` parameter
///   would override it, CSS Syntax §3.2);
/// - bytes that are valid UTF-8 (ASCII included) get `utf-8`;
/// - anything else gets none, rather than a wrong one.
pub fn charset(essence: &str, bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Some("utf-8");
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        return Some("utf-16be");
    }
    if bytes.starts_with(&[0xFF, 0xFE]) {
        return Some("utf-16le");
    }
    if essence == "text/css" {
        if let Some(label) = css_charset(bytes) {
            if !label.eq_ignore_ascii_case("utf-8") {
                return None;
            }
        }
    }
    std::str::from_utf8(bytes).is_ok().then_some("utf-8")
}

/// The label of a stylesheet's `@charset "...";` rule: exactly those bytes
/// at the start of the file (CSS Syntax §3.2).
fn css_charset(bytes: &[u8]) -> Option<&str> {
    let rest = bytes.strip_prefix(b"@charset \"")?;
    let end = rest.iter().position(|&b| b == b'"')?;
    if rest.get(end + 1) != Some(&b';') {
        return None;
    }
    std::str::from_utf8(&rest[..end]).ok()
}

/// The `Content-Type` of `bytes` of media type `essence`: with the
/// [`charset`] parameter for text, as it is otherwise.
pub fn content_type(essence: &str, bytes: &[u8]) -> String {
    match is_text(essence).then(|| charset(essence, bytes)).flatten() {
        Some(charset) => format!("{essence}; charset={charset}"),
        None => essence.to_owned(),
    }
}

/// The coding that a file's stored bytes are already in, by its name:
/// gzip for `.svgz` (an SVG stored gzip-compressed, which browsers read
/// only with `Content-Encoding: gzip`), identity for everything else.
pub fn stored_encoding(logical: &str) -> Encoding {
    let name = logical.rsplit('/').next().unwrap_or(logical);
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && ext.eq_ignore_ascii_case("svgz") => Encoding::Gzip,
        _ => Encoding::Identity,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_text_says_so_and_other_bytes_say_nothing() {
        assert_eq!(content_type("text/css", b"a{}"), "text/css; charset=utf-8");
        assert_eq!(
            content_type("text/plain", "é".as_bytes()),
            "text/plain; charset=utf-8"
        );
        assert_eq!(content_type("text/plain", b"caf\xe9"), "text/plain");
        assert_eq!(content_type("image/png", b"\x89PNG"), "image/png");
        assert_eq!(
            content_type("image/svg+xml", b"<svg/>"),
            "image/svg+xml; charset=utf-8"
        );
    }

    #[test]
    fn byte_order_marks_decide() {
        assert_eq!(charset("text/plain", b"\xEF\xBB\xBFhi"), Some("utf-8"));
        assert_eq!(charset("text/plain", b"\xFE\xFF\x00h"), Some("utf-16be"));
        assert_eq!(charset("text/css", b"\xFF\xFEh\x00"), Some("utf-16le"));
    }

    #[test]
    fn a_stylesheet_s_own_charset_rules() {
        let latin1 = b"@charset \"ISO-8859-1\";\np::before { content: \"caf\xe9\" }";
        assert_eq!(content_type("text/css", latin1), "text/css");
        // Declared, but in ASCII only: still its own declaration.
        assert_eq!(
            content_type("text/css", b"@charset \"windows-1252\"; a{}"),
            "text/css"
        );
        assert_eq!(
            content_type("text/css", b"@charset \"UTF-8\"; a{}"),
            "text/css; charset=utf-8"
        );
        // Not at the very start, or not the exact syntax: not a declaration.
        assert_eq!(
            content_type("text/css", b" @charset \"x\"; a{}"),
            "text/css; charset=utf-8"
        );
        // Only stylesheets have @charset.
        assert_eq!(
            content_type("text/plain", b"@charset \"latin1\";"),
            "text/plain; charset=utf-8"
        );
    }

    #[test]
    fn svgz_is_stored_gzip() {
        assert_eq!(stored_encoding("img/logo.svgz"), Encoding::Gzip);
        assert_eq!(stored_encoding("img/LOGO.SVGZ"), Encoding::Gzip);
        assert_eq!(stored_encoding("img/logo.svg"), Encoding::Identity);
        assert_eq!(stored_encoding("img/.svgz"), Encoding::Identity);
        assert_eq!(stored_encoding("svgz"), Encoding::Identity);
    }
}
