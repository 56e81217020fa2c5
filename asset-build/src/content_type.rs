//! `Content-Type` values and which types are worth compressing.

/// The `Content-Type` of a logical path, with `charset=utf-8` on text types.
/// JavaScript is `text/javascript` (RFC 9239).
pub fn content_type(logical: &str) -> String {
    let ext = extension(logical);
    let essence: &str = match ext.as_str() {
        "js" | "mjs" | "cjs" => "text/javascript",
        "css" => "text/css",
        "html" | "htm" => "text/html",
        "txt" => "text/plain",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "svg" => "image/svg+xml",
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
    };
    if is_text(essence) {
        format!("{essence}; charset=utf-8")
    } else {
        essence.to_owned()
    }
}

fn is_text(essence: &str) -> bool {
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
    fn text_types_carry_a_charset() {
        assert_eq!(content_type("js/app.js"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("js/app.MJS"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("css/app.css"), "text/css; charset=utf-8");
        assert_eq!(
            content_type("js/app.js.map"),
            "application/json; charset=utf-8"
        );
        assert_eq!(content_type("img/logo.svg"), "image/svg+xml; charset=utf-8");
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
    }

    #[test]
    fn binary_types() {
        assert_eq!(content_type("fonts/a.woff2"), "font/woff2");
        assert_eq!(content_type("img/a.png"), "image/png");
        assert_eq!(content_type("img/a.JPG"), "image/jpeg");
        assert_eq!(content_type("LICENSE"), "application/octet-stream");
        assert_eq!(content_type("x.unknownext"), "application/octet-stream");
        assert_eq!(content_type("app.wasm"), "application/wasm");
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
