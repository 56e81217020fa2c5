//! The table that `asset-build` generates: assets, their variants, lookup.

use crate::Encoding;

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
}

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
        }
    }

    /// Finds what a request path names. `path` is relative to the URL
    /// prefix, without a leading `/`, and already percent-decoded:
    /// `css/app.3f2a1b9c4d5e6f70.css` or `css/app.css`.
    pub fn lookup(&self, path: &str) -> Option<Lookup> {
        let entry = self.map.get(path)?;
        Some(if entry.immutable {
            Lookup::Hashed(entry.asset)
        } else {
            Lookup::Logical(entry.asset)
        })
    }

    /// The asset at a logical path such as `css/app.css`.
    pub fn get(&self, logical_path: &str) -> Option<&'static Asset> {
        let entry = self.map.get(logical_path)?;
        (entry.asset.logical_path == logical_path).then_some(entry.asset)
    }

    /// The hashed URL of a logical path: `url("css/app.css")` is
    /// `Some("/static/css/app.3f2a1b9c4d5e6f70.css")`.
    pub fn url(&self, logical_path: &str) -> Option<&'static str> {
        self.get(logical_path).map(|a| a.url)
    }

    /// The Subresource Integrity value (`sha384-...`) of a logical path.
    pub fn integrity(&self, logical_path: &str) -> Option<&'static str> {
        self.get(logical_path).map(|a| a.integrity)
    }

    /// Every asset, ordered by logical path.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &'static Asset> + 'static {
        self.list.iter().copied()
    }

    /// How many assets there are.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The URL prefix the URLs were built with, such as `/static/`.
    pub fn url_prefix(&self) -> &'static str {
        self.url_prefix
    }
}

impl IntoIterator for &Assets {
    type Item = &'static Asset;
    type IntoIter = std::iter::Copied<std::slice::Iter<'static, &'static Asset>>;

    fn into_iter(self) -> Self::IntoIter {
        self.list.iter().copied()
    }
}
