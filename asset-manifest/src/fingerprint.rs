//! Fingerprints of served bytes: one SHA-256 gives the name hash, the ETag
//! and the blob name; SHA-384 gives the Subresource Integrity value.

use std::fmt::Write as _;

use base64::Engine;
use sha2::{Digest, Sha256, Sha384};

use crate::Encoding;
use crate::naming::HASH_LEN;

/// How many hex digits of the SHA-256 make the opaque part of an ETag
/// (128 bits).
pub const ETAG_LEN: usize = 32;

/// The SHA-256 of some bytes, in the forms the table uses.
#[derive(Clone, PartialEq, Eq)]
pub struct Fingerprint {
    digest: [u8; 32],
    hex: String,
}

impl std::fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Fingerprint({})", self.hex)
    }
}

impl Fingerprint {
    /// Hashes `bytes`.
    pub fn of(bytes: &[u8]) -> Fingerprint {
        Fingerprint::from_digest(Sha256::digest(bytes).into())
    }

    /// A SHA-256 computed elsewhere.
    pub fn from_digest(digest: [u8; 32]) -> Fingerprint {
        Fingerprint {
            hex: hex(&digest),
            digest,
        }
    }

    /// The 32 bytes.
    pub fn digest(&self) -> &[u8; 32] {
        &self.digest
    }

    /// All 64 hex digits: the blob's file name.
    pub fn hex(&self) -> &str {
        &self.hex
    }

    /// The [`HASH_LEN`] hex digits that go into a file name.
    pub fn name_hash(&self) -> &str {
        &self.hex[..HASH_LEN]
    }

    /// The strong ETag of the variant in `encoding`, quotes included:
    /// `"<32 hex>"`, `"<32 hex>-br"`, `"<32 hex>-gz"`, `"<32 hex>-zst"`.
    /// Every variant's tag is made from the identity bytes' fingerprint
    /// and differs by encoding (RFC 9110 §8.8.3.3).
    pub fn etag(&self, encoding: Encoding) -> String {
        format!("\"{}{}\"", &self.hex[..ETAG_LEN], encoding.etag_suffix())
    }

    /// The strong ETag of a delta against the dictionary with SHA-256
    /// `dictionary`: the coding's tag and 16 hex digits of the
    /// dictionary, `"<32 hex>-dcb-<16 hex>"`, since one coding has a
    /// representation per dictionary.
    pub fn delta_etag(&self, encoding: Encoding, dictionary: &[u8; 32]) -> String {
        format!(
            "\"{}{}-{}\"",
            &self.hex[..ETAG_LEN],
            encoding.etag_suffix(),
            &hex(dictionary)[..16]
        )
    }
}

/// A SHA-256 in lowercase hex: 64 digits.
pub fn hex(digest: &[u8; 32]) -> String {
    let mut text = String::with_capacity(64);
    for byte in digest {
        let _ = write!(text, "{byte:02x}");
    }
    text
}

/// The inverse of [`hex`]: 64 lowercase hex digits, else `None`.
pub fn parse_hex(text: &str) -> Option<[u8; 32]> {
    let digit = |b: u8| match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        _ => None,
    };
    let text = text.as_bytes();
    if text.len() != 64 {
        return None;
    }
    let mut out = [0; 32];
    for (i, pair) in text.chunks_exact(2).enumerate() {
        out[i] = digit(pair[0])? << 4 | digit(pair[1])?;
    }
    Some(out)
}

/// The Subresource Integrity value of `bytes`: `sha384-<base64>`.
pub fn integrity(bytes: &[u8]) -> String {
    integrity_of(&Sha384::digest(bytes).into())
}

/// The Subresource Integrity value of a SHA-384 computed elsewhere.
pub fn integrity_of(sha384: &[u8; 48]) -> String {
    format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(sha384)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_and_parses_only_its_own_form() {
        let digest: [u8; 32] = std::array::from_fn(|i| (i as u8).wrapping_mul(9));
        assert_eq!(parse_hex(&hex(&digest)), Some(digest));
        assert_eq!(hex(&digest), Fingerprint::from_digest(digest).hex());
        for bad in [
            "",
            "ab",
            &hex(&digest).to_uppercase(),
            &"g".repeat(64),
            &"a".repeat(66),
        ] {
            assert_eq!(parse_hex(bad), None, "{bad}");
        }
    }

    #[test]
    fn known_values() {
        let print = Fingerprint::of(b"");
        assert_eq!(
            print.hex(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(print.name_hash(), "e3b0c44298fc1c14");
        assert_eq!(
            print.etag(Encoding::Identity),
            "\"e3b0c44298fc1c149afbf4c8996fb924\""
        );
        assert_eq!(
            print.etag(Encoding::Brotli),
            "\"e3b0c44298fc1c149afbf4c8996fb924-br\""
        );
        assert_eq!(
            integrity(b""),
            "sha384-OLBgp1GsljhM2TJ+sbHjaiH9txEUvgdDTAzHv2P24donTt6/529l+9Ua0vFImLlb"
        );
    }

    #[test]
    fn digest_and_hex_agree() {
        let print = Fingerprint::of(b"body{}");
        assert_eq!(Fingerprint::from_digest(*print.digest()), print);
    }
}
