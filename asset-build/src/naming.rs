//! Fingerprinted names and URL encoding.

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

/// How many hex digits of the SHA-256 go into a file name (64 bits).
pub const NAME_HASH_LEN: usize = 16;

/// Inserts the hash before the last extension of the file name:
/// `css/app.css` -> `css/app.<hash>.css`, `js/app.min.js` ->
/// `js/app.min.<hash>.js`, `LICENSE` -> `LICENSE.<hash>`. A leading dot is
/// part of the name, not an extension: `.htaccess` -> `.htaccess.<hash>`.
pub fn hashed_path(logical: &str, hash: &str) -> String {
    let (stem, extension) = hash_slot(logical);
    format!("{stem}.{hash}{extension}")
}

/// The parts of a logical path around its hash: `css/app.css` ->
/// (`css/app`, `.css`), `LICENSE` -> (`LICENSE`, ``). The hashed path is
/// `stem + "." + hash + extension`, which lets a reference to a file be
/// written before the file's hash is known.
pub fn hash_slot(logical: &str) -> (&str, &str) {
    let file_start = logical.rfind('/').map_or(0, |i| i + 1);
    match logical[file_start..].rfind('.') {
        Some(dot) if dot > 0 => logical.split_at(file_start + dot),
        _ => (logical, ""),
    }
}

/// Characters escaped in a URL path: controls, space, and those with a
/// meaning in URLs or HTML attributes. `/` is kept.
pub(crate) const PATH: &AsciiSet = &CONTROLS
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

/// `prefix` + the percent-encoded `path`.
pub fn url(prefix: &str, path: &str) -> String {
    format!("{prefix}{}", utf8_percent_encode(path, PATH))
}

/// Checks and normalises a URL prefix: it ends with `/`.
pub fn normalize_prefix(prefix: &str) -> Option<String> {
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

#[cfg(test)]
mod tests {
    use super::*;

    const H: &str = "0123456789abcdef";

    #[test]
    fn hash_goes_before_the_last_extension() {
        assert_eq!(
            hashed_path("css/app.css", H),
            "css/app.0123456789abcdef.css"
        );
        assert_eq!(hashed_path("app.css", H), "app.0123456789abcdef.css");
        assert_eq!(
            hashed_path("js/app.min.js", H),
            "js/app.min.0123456789abcdef.js"
        );
        assert_eq!(
            hashed_path("a/b.c/d.tar.gz", H),
            "a/b.c/d.tar.0123456789abcdef.gz"
        );
    }

    #[test]
    fn extensionless_and_dotfiles() {
        assert_eq!(hashed_path("LICENSE", H), "LICENSE.0123456789abcdef");
        assert_eq!(
            hashed_path("dir.d/README", H),
            "dir.d/README.0123456789abcdef"
        );
        assert_eq!(hashed_path(".htaccess", H), ".htaccess.0123456789abcdef");
        assert_eq!(
            hashed_path("x/.env.local", H),
            "x/.env.0123456789abcdef.local"
        );
        assert_eq!(hashed_path("trailing.", H), "trailing.0123456789abcdef.");
    }

    #[test]
    fn urls_are_percent_encoded() {
        assert_eq!(url("/static/", "css/app.css"), "/static/css/app.css");
        assert_eq!(
            url("/static/", "img/my logo#1?.png"),
            "/static/img/my%20logo%231%3F.png"
        );
        assert_eq!(
            url("/", "fonts/Ünïcode.woff2"),
            "/fonts/%C3%9Cn%C3%AFcode.woff2"
        );
        assert_eq!(url("/s/", "100%.txt"), "/s/100%25.txt");
    }

    #[test]
    fn prefixes() {
        assert_eq!(normalize_prefix("/static").as_deref(), Some("/static/"));
        assert_eq!(normalize_prefix("/static/").as_deref(), Some("/static/"));
        assert_eq!(normalize_prefix("/").as_deref(), Some("/"));
        assert_eq!(
            normalize_prefix("https://cdn.example.com/assets").as_deref(),
            Some("https://cdn.example.com/assets/")
        );
        for bad in [
            "",
            "static/",
            "//cdn.example.com/",
            "/sta tic/",
            "/a\"b/",
            "/a?b/",
            "ftp://x/",
        ] {
            assert_eq!(normalize_prefix(bad), None, "{bad}");
        }
    }
}
