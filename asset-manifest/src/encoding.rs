//! The content codings an asset can be stored in.

/// A content coding (RFC 9110 §8.4.1) of a stored variant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Encoding {
    /// The bytes as they are.
    Identity,
    /// Brotli (RFC 7932).
    Brotli,
    /// Zstandard (RFC 8878), with a window of at most 8 MiB (RFC 9659).
    Zstd,
    /// gzip (RFC 1952).
    Gzip,
}

impl Encoding {
    /// Every coding, in order of preference when a client accepts several
    /// with the same q-value: br, zstd, gzip, identity.
    pub const PREFERENCE: [Encoding; 4] = [
        Encoding::Brotli,
        Encoding::Zstd,
        Encoding::Gzip,
        Encoding::Identity,
    ];

    /// The token used in `Accept-Encoding` and `Content-Encoding`, and as
    /// the key of a size in the manifest.
    pub const fn token(self) -> &'static str {
        match self {
            Encoding::Identity => "identity",
            Encoding::Brotli => "br",
            Encoding::Zstd => "zstd",
            Encoding::Gzip => "gzip",
        }
    }

    /// The suffix that makes this variant's ETag differ from the others'
    /// (RFC 9110 §8.8.3.3): `"<hash>-br"`.
    pub const fn etag_suffix(self) -> &'static str {
        match self {
            Encoding::Identity => "",
            Encoding::Brotli => "-br",
            Encoding::Zstd => "-zst",
            Encoding::Gzip => "-gz",
        }
    }

    /// The file extension of a precompressed sibling in an export:
    /// `app.<hash>.css.br`.
    pub const fn file_extension(self) -> Option<&'static str> {
        match self {
            Encoding::Identity => None,
            Encoding::Brotli => Some("br"),
            Encoding::Zstd => Some("zst"),
            Encoding::Gzip => Some("gz"),
        }
    }

    /// The variant's name, as generated code spells it
    /// (`asset_runtime::Encoding::Brotli`).
    pub const fn ident(self) -> &'static str {
        match self {
            Encoding::Identity => "Identity",
            Encoding::Brotli => "Brotli",
            Encoding::Zstd => "Zstd",
            Encoding::Gzip => "Gzip",
        }
    }

    /// Rank in [`Encoding::PREFERENCE`]: lower is preferred.
    pub const fn rank(self) -> u8 {
        match self {
            Encoding::Brotli => 0,
            Encoding::Zstd => 1,
            Encoding::Gzip => 2,
            Encoding::Identity => 3,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Encoding;

    #[test]
    fn preference_and_rank_agree() {
        for (i, e) in Encoding::PREFERENCE.into_iter().enumerate() {
            assert_eq!(usize::from(e.rank()), i);
        }
    }

    #[test]
    fn etag_suffixes_and_extensions_are_distinct() {
        let suffixes: std::collections::BTreeSet<_> =
            Encoding::PREFERENCE.map(Encoding::etag_suffix).into();
        assert_eq!(suffixes.len(), 4);
        assert_eq!(Encoding::Identity.file_extension(), None);
        assert_eq!(Encoding::Zstd.file_extension(), Some("zst"));
    }
}
