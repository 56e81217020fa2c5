//! `Content-Type` values and which types are worth compressing.

/// The media type of a logical path, by its extension, without
/// parameters. JavaScript is `text/javascript` (RFC 9239).
pub fn essence(logical: &str) -> &'static str {
    let ext = extension(logical);
    match ext.as_str() {
        "js" | "mjs" | "cjs" => "text/javascript",
        "css" => "text/css",
        "html" | "htm" => "text/html",
        "txt" => "text/plain",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        // `.svgz` is an SVG stored gzip-compressed: served with
        // `Content-Encoding: gzip` (asset_manifest::text::stored_encoding).
        "svg" | "svgz" => "image/svg+xml",
        "xml" => "application/xml",
        "wasm" => "application/wasm",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "ico" => "image/x-icon",
        "avif" => "image/avif",
        "webp" => "image/webp",
        "md" => "text/markdown",
        _ => mime_guess::from_ext(&ext)
            .first_raw()
            .unwrap_or("application/octet-stream"),
    }
}

/// The `Content-Type` of a file served with `bytes`: its media type, with
/// `charset` for text only where the bytes allow it
/// ([`asset_manifest::text::charset`]). Bytes stored encoded (`.svgz`) are
/// not text to be decoded: no charset.
pub fn content_type(logical: &str, bytes: &[u8]) -> String {
    let essence = essence(logical);
    if asset_manifest::text::stored_encoding(logical) != asset_manifest::Encoding::Identity {
        return essence.to_owned();
    }
    asset_manifest::text::content_type(essence, bytes)
}

/// Whether a file's hashed responses offer themselves as compression
/// dictionaries for its later versions (RFC 9842): text that changes a
/// little from release to release (scripts, stylesheets, JSON, source
/// maps, SVG, HTML, XML, plain text) and WebAssembly; not fonts, images or
/// anything stored compressed.
pub fn offers_dictionary(logical: &str) -> bool {
    if is_precompressed(logical) {
        return false;
    }
    let essence = essence(logical);
    essence.starts_with("text/")
        || essence.ends_with("+json")
        || essence.ends_with("+xml")
        || matches!(
            essence,
            "application/json"
                | "application/xml"
                | "application/wasm"
                | "application/javascript"
                | "image/svg+xml"
        )
}

/// Whether the file is already compressed, so that brotli or gzip would
/// waste build time for nothing.
pub fn is_precompressed(logical: &str) -> bool {
    matches!(
        extension(logical).as_str(),
        "png"
            | "jpg"
            | "jpeg"
            | "gif"
            | "webp"
            | "avif"
            | "heic"
            | "heif"
            | "jxl"
            | "woff"
            | "woff2"
            | "zip"
            | "gz"
            | "svgz"
            | "tgz"
            | "br"
            | "zst"
            | "bz2"
            | "xz"
            | "7z"
            | "rar"
            | "mp4"
            | "m4v"
            | "webm"
            | "mkv"
            | "mov"
            | "mp3"
            | "m4a"
            | "aac"
            | "ogg"
            | "oga"
            | "opus"
            | "flac"
    )
}

fn extension(logical: &str) -> String {
    let file = logical.rsplit('/').next().unwrap_or(logical);
    match file.rfind('.') {
        Some(dot) if dot > 0 => file[dot + 1..].to_ascii_lowercase(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_types_carry_a_charset_when_their_bytes_are_utf8() {
        let ct = |p| content_type(p, b"ascii");
        assert_eq!(ct("js/app.js"), "text/javascript; charset=utf-8");
        assert_eq!(ct("js/app.MJS"), "text/javascript; charset=utf-8");
        assert_eq!(ct("css/app.css"), "text/css; charset=utf-8");
        assert_eq!(ct("js/app.js.map"), "application/json; charset=utf-8");
        assert_eq!(ct("img/logo.svg"), "image/svg+xml; charset=utf-8");
        assert_eq!(ct("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("data/latin1.txt", b"caf\xe9"), "text/plain");
    }

    #[test]
    fn svgz_is_svg_without_charset_and_never_recompressed() {
        assert_eq!(
            content_type("img/logo.svgz", b"\x1f\x8b\x08"),
            "image/svg+xml"
        );
        assert!(is_precompressed("img/logo.svgz"));
    }

    #[test]
    fn binary_types() {
        let ct = |p| content_type(p, b"\x00\x01");
        assert_eq!(ct("fonts/a.woff2"), "font/woff2");
        assert_eq!(ct("img/a.png"), "image/png");
        assert_eq!(ct("img/a.JPG"), "image/jpeg");
        assert_eq!(ct("LICENSE"), "application/octet-stream");
        assert_eq!(ct("x.unknownext"), "application/octet-stream");
        assert_eq!(ct("app.wasm"), "application/wasm");
    }

    #[test]
    fn compressed_types_are_skipped() {
        for p in [
            "a.png", "b.JPEG", "c.woff2", "d.gz", "e.webp", "f.mp4", "g.avif",
        ] {
            assert!(is_precompressed(p), "{p}");
        }
        for p in [
            "a.css", "b.js", "c.svg", "d.ttf", "e.json", "LICENSE", "f.wasm",
        ] {
            assert!(!is_precompressed(p), "{p}");
        }
    }
}
