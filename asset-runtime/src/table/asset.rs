//! The records of the generated table: one [`Asset`] per file, one
//! [`Variant`] per stored encoding. Their fields are private, read through
//! methods, so that the table's layout can change without breaking apps.

use crate::Encoding;

/// One stored encoding of an asset.
#[derive(Debug)]
pub struct Variant {
    encoding: Encoding,
    etag: &'static str,
    bytes: &'static [u8],
    content_length: &'static str,
    dictionary: Option<[u8; 32]>,
}

impl Variant {
    #[doc(hidden)]
    pub const fn __new(
        encoding: Encoding,
        etag: &'static str,
        bytes: &'static [u8],
        content_length: &'static str,
    ) -> Self {
        Variant {
            encoding,
            etag,
            bytes,
            content_length,
            dictionary: None,
        }
    }

    #[doc(hidden)]
    pub const fn __with_dictionary(mut self, dictionary: Option<[u8; 32]>) -> Self {
        self.dictionary = dictionary;
        self
    }

    /// The content coding of [`bytes`](Variant::bytes).
    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// The strong ETag of these bytes, quotes included: `"<hash>"`,
    /// `"<hash>-br"`, `"<hash>-gz"`, `"<hash>-zst"`.
    pub fn etag(&self) -> &'static str {
        self.etag
    }

    /// The bytes sent on the wire.
    pub fn bytes(&self) -> &'static [u8] {
        self.bytes
    }

    /// `bytes().len()` in decimal, ready for `Content-Length`.
    pub fn content_length(&self) -> &'static str {
        self.content_length
    }

    /// For a delta ([`Encoding::Dcb`], [`Encoding::Dcz`]), the SHA-256 of
    /// the earlier version it was compressed against: the dictionary a
    /// client names in `Available-Dictionary`.
    pub fn dictionary(&self) -> Option<&[u8; 32]> {
        self.dictionary.as_ref()
    }
}

/// One file of the asset folders, as embedded.
#[derive(Debug)]
pub struct Asset {
    logical_path: &'static str,
    hashed_path: &'static str,
    url: &'static str,
    logical_url: &'static str,
    content_type: &'static str,
    integrity: &'static str,
    variants: &'static [Variant],
    use_as_dictionary: Option<&'static str>,
    deltas: &'static [Variant],
}

impl Asset {
    #[doc(hidden)]
    pub const fn __new(
        logical_path: &'static str,
        hashed_path: &'static str,
        url: &'static str,
        logical_url: &'static str,
        content_type: &'static str,
        integrity: &'static str,
        variants: &'static [Variant],
    ) -> Self {
        Asset {
            logical_path,
            hashed_path,
            url,
            logical_url,
            content_type,
            integrity,
            variants,
            use_as_dictionary: None,
            deltas: &[],
        }
    }

    #[doc(hidden)]
    pub const fn __with_dictionaries(
        mut self,
        use_as_dictionary: Option<&'static str>,
        deltas: &'static [Variant],
    ) -> Self {
        self.use_as_dictionary = use_as_dictionary;
        self.deltas = deltas;
        self
    }

    /// The path inside the asset folders, with `/` separators:
    /// `css/app.css`.
    pub fn logical_path(&self) -> &'static str {
        self.logical_path
    }

    /// The fingerprinted path: `css/app.3f2a1b9c4d5e6f70.css`.
    pub fn hashed_path(&self) -> &'static str {
        self.hashed_path
    }

    /// The URL of the hashed path under the build-time URL prefix,
    /// percent-encoded: `/static/css/app.3f2a1b9c4d5e6f70.css`.
    /// [`Assets::url`](crate::Assets::url) follows a prefix set at startup.
    pub fn url(&self) -> &'static str {
        self.url
    }

    /// The URL of the logical path under the build-time URL prefix,
    /// percent-encoded.
    pub fn logical_url(&self) -> &'static str {
        self.logical_url
    }

    /// The `Content-Type` header value, with `charset=utf-8` on text types.
    pub fn content_type(&self) -> &'static str {
        self.content_type
    }

    /// Subresource Integrity of the identity bytes: `sha384-<base64>`.
    pub fn integrity(&self) -> &'static str {
        self.integrity
    }

    /// The stored variants; the first holds the bytes as stored: in
    /// [`Encoding::Identity`], except for a file stored already encoded
    /// (`.svgz`: [`Encoding::Gzip`], its only variant).
    pub fn variants(&self) -> &'static [Variant] {
        self.variants
    }

    /// The variant of the bytes as stored (see [`Asset::variants`]).
    pub fn identity(&self) -> &'static Variant {
        &self.variants[0]
    }

    /// The bytes as stored (the first variant's).
    pub fn bytes(&self) -> &'static [u8] {
        self.variants[0].bytes
    }

    /// The variant stored in `encoding`, if one was kept.
    pub fn variant(&self, encoding: Encoding) -> Option<&'static Variant> {
        self.variants.iter().find(|v| v.encoding == encoding)
    }

    /// The `Use-As-Dictionary` value of its hashed URL (RFC 9842 §2.1), as
    /// built under the build-time prefix: `match="/static/js/app.*.js",
    /// match-dest=("script")`. `None` when it offers itself as no
    /// dictionary (not a text type, a name kept as it is, or turned off
    /// in the build).
    pub fn use_as_dictionary(&self) -> Option<&'static str> {
        self.use_as_dictionary
    }

    /// Deltas of these bytes against earlier versions of the same logical
    /// path ([`Encoding::Dcb`], [`Encoding::Dcz`]), each naming its
    /// dictionary ([`Variant::dictionary`]).
    pub fn deltas(&self) -> &'static [Variant] {
        self.deltas
    }

    /// The logical path percent-encoded as in URLs, without the prefix:
    /// `img/my%20logo.png`.
    pub(crate) fn encoded_logical_path(&self, build_prefix: &str) -> &'static str {
        self.logical_url
            .strip_prefix(build_prefix)
            .unwrap_or(self.logical_path)
    }
}
