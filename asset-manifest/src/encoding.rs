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
    /// Dictionary-compressed brotli (RFC 9842 §4): a delta against an
    /// earlier version of the same asset, which the client names in
    /// `Available-Dictionary`.
    Dcb,
    /// Dictionary-compressed zstd (RFC 9842 §5), likewise.
    Dcz,
}

impl Encoding {
    /// Every coding that needs no dictionary, in order of preference when
    /// a client accepts several with the same q-value: br, zstd, gzip,
    /// identity.
    pub const PREFERENCE: [Encoding; 4] = [
        Encoding::Brotli,
        Encoding::Zstd,
        Encoding::Gzip,
        Encoding::Identity,
    ];

    /// The dictionary codings, in order of preference at equal size.
    pub const DELTAS: [Encoding; 2] = [Encoding::Dcb, Encoding::Dcz];

    /// Whether this coding needs a dictionary (`dcb`, `dcz`).
    pub const fn is_delta(self) -> bool {
        matches!(self, Encoding::Dcb | Encoding::Dcz)
    }

    /// The token used in `Accept-Encoding` and `Content-Encoding`, and as
    /// the key of a size in the manifest.
    pub const fn token(self) -> &'static str {
        match self {
            Encoding::Identity => "identity",
            Encoding::Brotli => "br",
            Encoding::Zstd => "zstd",
            Encoding::Gzip => "gzip",
            Encoding::Dcb => "dcb",
            Encoding::Dcz => "dcz",
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
            Encoding::Dcb => "-dcb",
            Encoding::Dcz => "-dcz",
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
            Encoding::Dcb => Some("dcb"),
            Encoding::Dcz => Some("dcz"),
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
            Encoding::Dcb => "Dcb",
            Encoding::Dcz => "Dcz",
        }
    }

    /// Rank in [`Encoding::PREFERENCE`], then [`Encoding::DELTAS`]: lower
    /// is preferred.
    pub const fn rank(self) -> u8 {
        match self {
            Encoding::Brotli => 0,
            Encoding::Zstd => 1,
            Encoding::Gzip => 2,
            Encoding::Identity => 3,
            Encoding::Dcb => 4,
            Encoding::Dcz => 5,
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
        let suffixes: std::collections::BTreeSet<_> = Encoding::PREFERENCE
            .into_iter()
            .chain(Encoding::DELTAS)
            .map(Encoding::etag_suffix)
            .collect();
        assert_eq!(suffixes.len(), 6);
        assert!(Encoding::DELTAS.iter().all(|e| e.is_delta()));
        assert!(!Encoding::PREFERENCE.iter().any(|e| e.is_delta()));
        assert_eq!(Encoding::Identity.file_extension(), None);
        assert_eq!(Encoding::Zstd.file_extension(), Some("zst"));
    }
}
