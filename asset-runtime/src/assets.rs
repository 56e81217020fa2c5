//! The table that `asset-build` generates: assets, their variants, lookup.

use std::sync::OnceLock;

use crate::Encoding;
use crate::dev::DevTable;

/// One stored encoding of an asset.
#[derive(Debug)]
pub struct Variant {
    /// The content coding of `bytes`.
    pub encoding: Encoding,
    /// The strong ETag of these bytes, quotes included: `"<hash>"`,
    /// `"<hash>-br"`, `"<hash>-gz"`, `"<hash>-zst"`.
    pub etag: &'static str,
    /// The bytes sent on the wire.
    pub bytes: &'static [u8],
    /// `bytes.len()` in decimal, ready for `Content-Length`.
    pub content_length: &'static str,
}

/// One file of the asset folders, as embedded.
#[derive(Debug)]
pub struct Asset {
    /// The path inside the asset folders, with `/` separators:
    /// `css/app.css`.
    pub logical_path: &'static str,
    /// The fingerprinted path: `css/app.3f2a1b9c4d5e6f70.css`.
    pub hashed_path: &'static str,
    /// The URL of the hashed path under the URL prefix, percent-encoded:
    /// `/static/css/app.3f2a1b9c4d5e6f70.css`.
    pub url: &'static str,
    /// The URL of the logical path under the URL prefix, percent-encoded.
    pub logical_url: &'static str,
    /// The `Content-Type` header value, with `charset=utf-8` on text types.
    pub content_type: &'static str,
    /// Subresource Integrity of the identity bytes: `sha384-<base64>`.
    pub integrity: &'static str,
    /// The stored variants; the first is always [`Encoding::Identity`].
    pub variants: &'static [Variant],
}

impl Asset {
    /// The bytes as they are (the identity variant).
    pub fn bytes(&self) -> &'static [u8] {
        self.variants[0].bytes
    }

    /// The variant stored in `encoding`, if one was kept.
    pub fn variant(&self, encoding: Encoding) -> Option<&'static Variant> {
        self.variants.iter().find(|v| v.encoding == encoding)
    }
}

/// A map entry: which asset a request path names, and whether that path is
/// the fingerprinted (immutable) one.
#[doc(hidden)]
#[derive(Debug)]
pub struct Entry {
    pub asset: &'static Asset,
    pub immutable: bool,
}

/// What a request path names.
#[derive(Clone, Copy, Debug)]
pub enum Lookup {
    /// The fingerprinted path: its bytes never change.
    Hashed(&'static Asset),
    /// The logical path: its bytes change from release to release.
    Logical(&'static Asset),
}

impl Lookup {
    /// The asset, whichever path named it.
    pub fn asset(self) -> &'static Asset {
        match self {
            Lookup::Hashed(a) | Lookup::Logical(a) => a,
        }
    }
}

/// The embedded assets of one crate. Define it with
/// [`include_assets!`](crate::include_assets).
#[derive(Debug)]
pub struct Assets {
    map: &'static phf::Map<&'static str, Entry>,
    list: &'static [&'static Asset],
    url_prefix: &'static str,
    prefix_override: OnceLock<PrefixOverride>,
    /// Set in development mode: files read from disk (`dev.rs`).
    dev: Option<&'static DevTable>,
}

/// URLs rebuilt once, at startup, under another prefix.
#[derive(Debug)]
struct PrefixOverride {
    prefix: &'static str,
    /// Aligned with `Assets::list`.
    urls: Vec<&'static str>,
}

/// Why [`Assets::set_url_prefix`] refused a prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlPrefixError {
    /// Not `/...`, `http://...` or `https://...`, or it holds a space, a
    /// quote, `<`, `>`, `?`, `#`, `\\` or a control character.
    Invalid(String),
    /// A prefix was already set; it can be set once, at startup.
    AlreadySet(String),
}

impl std::fmt::Display for UrlPrefixError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            UrlPrefixError::Invalid(p) => write!(
                f,
                "invalid asset URL prefix `{p}`: it must start with `/`, `http://` or `https://` and contain no spaces, quotes, `<`, `>`, `?`, `#` or backslashes"
            ),
            UrlPrefixError::AlreadySet(p) => {
                write!(
                    f,
                    "the asset URL prefix was already set to `{p}`; it can be set once, at startup"
                )
            }
        }
    }
}

impl std::error::Error for UrlPrefixError {}

impl Assets {
    #[doc(hidden)]
    pub const fn __new(
        map: &'static phf::Map<&'static str, Entry>,
        list: &'static [&'static Asset],
        url_prefix: &'static str,
    ) -> Self {
        Assets {
            map,
            list,
            url_prefix,
            prefix_override: OnceLock::new(),
            dev: None,
        }
    }

    #[doc(hidden)]
    pub const fn __new_dev(
        map: &'static phf::Map<&'static str, Entry>,
        dev: &'static DevTable,
        url_prefix: &'static str,
    ) -> Self {
        Assets {
            map,
            list: &[],
            url_prefix,
            prefix_override: OnceLock::new(),
            dev: Some(dev),
        }
    }

    /// Whether this table was built in development mode (`ASSET_DEV=1`):
    /// files are read from disk when they change and served with
    /// `Cache-Control: no-cache`. See [`dev`](crate::dev).
    pub fn is_dev(&self) -> bool {
        self.dev.is_some()
    }

    /// Serves URLs under another prefix from now on, without a rebuild:
    /// typically a CDN origin read from the environment at startup.
    ///
    /// [`Assets::url`], [`Assets::url_prefix`] and the template helpers
    /// follow it; `asset!` and [`Asset::url`] keep the build-time prefix
    /// (they are compile-time constants). It can be set once; the URLs are
    /// built then, so lookups stay allocation-free.
    ///
    /// ```ignore
    /// asset_runtime::include_assets!();
    /// if let Ok(cdn) = std::env::var("ASSET_URL_PREFIX") {
    ///     ASSETS.set_url_prefix(&cdn)?; // "https://cdn.example.com/static/"
    /// }
    /// ```
    pub fn set_url_prefix(&'static self, prefix: &str) -> Result<(), UrlPrefixError> {
        let prefix =
            normalize_prefix(prefix).ok_or_else(|| UrlPrefixError::Invalid(prefix.to_owned()))?;
        let mut fresh = false;
        let current = self.prefix_override.get_or_init(|| {
            fresh = true;
            let prefix: &'static str = Box::leak(prefix.clone().into_boxed_str());
            let urls = self
                .list
                .iter()
                .map(|a| {
                    let path = a.url.strip_prefix(self.url_prefix).unwrap_or(a.hashed_path);
                    &*Box::leak(format!("{prefix}{path}").into_boxed_str())
                })
                .collect();
            PrefixOverride { prefix, urls }
        });
        if fresh || current.prefix == prefix {
            Ok(())
        } else {
            Err(UrlPrefixError::AlreadySet(current.prefix.to_owned()))
        }
    }

    /// Finds what a request path names. `path` is relative to the URL
    /// prefix, without a leading `/`, and already percent-decoded:
    /// `css/app.3f2a1b9c4d5e6f70.css` or `css/app.css`.
    pub fn lookup(&self, path: &str) -> Option<Lookup> {
        if let Some(dev) = self.dev {
            let (asset, hashed) = dev.lookup(path, self.url_prefix(), self.url_prefix)?;
            return Some(if hashed {
                Lookup::Hashed(asset)
            } else {
                Lookup::Logical(asset)
            });
        }
        let entry = self.map.get(path)?;
        Some(if entry.immutable {
            Lookup::Hashed(entry.asset)
        } else {
            Lookup::Logical(entry.asset)
        })
    }

    /// The asset at a logical path such as `css/app.css`.
    pub fn get(&self, logical_path: &str) -> Option<&'static Asset> {
        if let Some(dev) = self.dev {
            return dev.get(logical_path, self.url_prefix(), self.url_prefix);
        }
        let entry = self.map.get(logical_path)?;
        (entry.asset.logical_path == logical_path).then_some(entry.asset)
    }

    /// The hashed URL of a logical path: `url("css/app.css")` is
    /// `Some("/static/css/app.3f2a1b9c4d5e6f70.css")`.
    pub fn url(&self, logical_path: &str) -> Option<&'static str> {
        let asset = self.get(logical_path)?;
        match self.prefix_override.get() {
            // Development-mode assets are built under the current prefix.
            _ if self.dev.is_some() => Some(asset.url),
            None => Some(asset.url),
            Some(o) => {
                let index = self
                    .list
                    .binary_search_by(|a| a.logical_path.cmp(logical_path))
                    .ok()?;
                Some(o.urls[index])
            }
        }
    }

    /// Whether the URLs point at another origin (an `http://` or `https://`
    /// prefix, such as a CDN), so that `<link>` and `<script>` tags with an
    /// `integrity` attribute need `crossorigin="anonymous"` and the
    /// responses need `Access-Control-Allow-Origin`.
    pub fn is_cross_origin(&self) -> bool {
        let prefix = self.url_prefix();
        prefix.starts_with("http://") || prefix.starts_with("https://")
    }

    /// The Subresource Integrity value (`sha384-...`) of a logical path.
    pub fn integrity(&self, logical_path: &str) -> Option<&'static str> {
        self.get(logical_path).map(|a| a.integrity)
    }

    /// Every asset, ordered by logical path. (In development mode, the
    /// current contents of every file that can still be read.)
    pub fn iter(&self) -> Iter {
        self.into_iter()
    }

    /// How many assets there are.
    pub fn len(&self) -> usize {
        self.dev.map_or(self.list.len(), DevTable::len)
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The URL prefix of [`Assets::url`]: the one set with
    /// [`Assets::set_url_prefix`], else the build-time one, such as
    /// `/static/`.
    pub fn url_prefix(&self) -> &'static str {
        self.prefix_override
            .get()
            .map_or(self.url_prefix, |o| o.prefix)
    }

    /// The URL prefix the table was built with.
    pub fn build_url_prefix(&self) -> &'static str {
        self.url_prefix
    }
}

impl IntoIterator for &Assets {
    type Item = &'static Asset;
    type IntoIter = Iter;

    fn into_iter(self) -> Iter {
        Iter(match self.dev {
            Some(dev) => IterInner::Dev(dev.all(self.url_prefix(), self.url_prefix).into_iter()),
            None => IterInner::Embedded(self.list.iter()),
        })
    }
}

/// The assets of a table, ordered by logical path.
#[derive(Debug)]
pub struct Iter(IterInner);

#[derive(Debug)]
enum IterInner {
    Embedded(std::slice::Iter<'static, &'static Asset>),
    Dev(std::vec::IntoIter<&'static Asset>),
}

impl Iterator for Iter {
    type Item = &'static Asset;

    fn next(&mut self) -> Option<&'static Asset> {
        match &mut self.0 {
            IterInner::Embedded(it) => it.next().copied(),
            IterInner::Dev(it) => it.next(),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match &self.0 {
            IterInner::Embedded(it) => it.size_hint(),
            IterInner::Dev(it) => it.size_hint(),
        }
    }
}

impl ExactSizeIterator for Iter {}

/// Checks and normalises a URL prefix the way `asset-build` does: it starts
/// with `/`, `http://` or `https://` (not `//`), holds only visible ASCII
/// without quotes, `<`, `>`, `?`, `#`, `\\` or a backtick, and ends with `/`.
fn normalize_prefix(prefix: &str) -> Option<String> {
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
    use super::normalize_prefix;

    #[test]
    fn prefixes_follow_the_build_rules() {
        assert_eq!(normalize_prefix("/assets").as_deref(), Some("/assets/"));
        assert_eq!(
            normalize_prefix("https://cdn.example.com/static").as_deref(),
            Some("https://cdn.example.com/static/")
        );
        for bad in [
            "",
            "static/",
            "//cdn.example.com/",
            "/a b/",
            "/a\"b/",
            "/a?b/",
            "ftp://x/",
            "/a\\b/",
        ] {
            assert_eq!(normalize_prefix(bad), None, "{bad}");
        }
    }
}
