//! What a page says about its assets: a `Link` header that preloads the
//! critical ones (which CDNs turn into 103 Early Hints), and an import map
//! from logical module URLs to hashed ones.

use std::fmt::Write as _;

use http::HeaderValue;

use crate::{Asset, Assets, UnknownAsset};

impl Assets {
    /// A `Link` header value that preloads `paths` (logical paths) under
    /// their hashed URLs, each with the `as=` its type needs (`style`,
    /// `script`, `font`, `image`, else `fetch`). Stylesheets, scripts, fonts
    /// and fetches carry `crossorigin`: the mode of a tag with `integrity`
    /// and `crossorigin="anonymous"` (as the template helpers' examples
    /// write them) and of every font load, so that the browser reuses the
    /// preloaded response instead of fetching again; images carry it when
    /// the URLs are on another origin. Send it on the page (CDNs such as
    /// Cloudflare and Fastly turn it into a 103 Early Hints response).
    ///
    /// ```
    /// # asset_runtime::__example_assets!();
    /// let link = ASSETS.preload(["css/app.css", "js/app.js"]).unwrap();
    /// assert_eq!(
    ///     link,
    ///     "</static/css/app.257138f5fc764079.css>; rel=preload; as=style; crossorigin, \
    ///      </static/js/app.fdfb021ce04e79dd.js>; rel=preload; as=script; crossorigin"
    /// );
    /// ```
    pub fn preload<'a>(
        &self,
        paths: impl IntoIterator<Item = &'a str>,
    ) -> Result<HeaderValue, UnknownAsset> {
        let mut value = String::new();
        for path in paths {
            let asset = self
                .get(path)
                .ok_or_else(|| UnknownAsset::in_table(self, path))?;
            let url = self.url(path).unwrap_or(asset.url());
            let kind = preload_as(asset);
            if !value.is_empty() {
                value.push_str(", ");
            }
            let _ = write!(value, "<{url}>; rel=preload; as={kind}");
            if kind != "image" || self.is_cross_origin() {
                value.push_str("; crossorigin");
            }
        }
        // URLs are percent-encoded and the prefix visible ASCII.
        Ok(HeaderValue::try_from(value).expect("percent-encoded URLs are a valid header value"))
    }

    /// An import map (`{"imports": {...}, "integrity": {...}}`) from the
    /// logical URL of every JavaScript module (`.js`, `.mjs`) to its hashed
    /// URL, with its integrity value: modules can `import "./util.js"` (or
    /// `/static/js/util.js`) and load the hashed file, without the build
    /// rewriting imports. The JSON escapes `<`, so it can go into a
    /// `<script type="importmap">` as it is ([`Assets::import_map_tag`]).
    ///
    /// ```
    /// # asset_runtime::__example_assets!();
    /// let map = ASSETS.import_map();
    /// assert!(map.contains(r#""/static/js/app.js": "/static/js/app.fdfb021ce04e79dd.js""#));
    /// ```
    pub fn import_map(&self) -> String {
        let prefix = self.url_prefix();
        let mut imports = String::new();
        let mut integrity = String::new();
        for asset in self {
            let path = asset.logical_path();
            if !(path.ends_with(".js") || path.ends_with(".mjs")) {
                continue;
            }
            let hashed = self.url(path).unwrap_or(asset.url());
            let logical = format!(
                "{prefix}{}",
                asset.encoded_logical_path(self.build_url_prefix())
            );
            let sep = if imports.is_empty() { "" } else { ",\n" };
            let _ = write!(imports, "{sep}    {}: {}", json(&logical), json(hashed));
            let _ = write!(
                integrity,
                "{sep}    {}: {}",
                json(hashed),
                json(asset.integrity())
            );
        }
        format!(
            "{{\n  \"imports\": {{\n{imports}\n  }},\n  \"integrity\": {{\n{integrity}\n  }}\n}}"
        )
    }

    /// [`Assets::import_map`] inside `<script type="importmap">`, ready for
    /// a template (mark it safe: it is HTML).
    pub fn import_map_tag(&self) -> String {
        format!(
            "<script type=\"importmap\">\n{}</script>",
            self.import_map()
        )
    }
}

fn preload_as(asset: &Asset) -> &'static str {
    let ct = asset.content_type();
    if ct.starts_with("text/css") {
        "style"
    } else if ct.starts_with("text/javascript") || ct.starts_with("application/javascript") {
        "script"
    } else if ct.starts_with("font/") || ct.starts_with("application/font") {
        "font"
    } else if ct.starts_with("image/") {
        "image"
    } else {
        "fetch"
    }
}

/// A JSON string that is also safe inside a `<script>` element: `<`, `>`
/// and `&` are escaped as `\u003c`, `\u003e`, `\u0026`.
fn json(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '<' | '>' | '&' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::json;

    #[test]
    fn json_is_script_safe() {
        assert_eq!(
            json("a</script>\"\\\n"),
            "\"a\\u003c/script\\u003e\\\"\\\\\\u000a\""
        );
    }
}
