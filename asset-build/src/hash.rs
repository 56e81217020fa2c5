//! SHA-256 (names, ETags, blob names) and SHA-384 (SRI) of the bytes the
//! build reads, through `ring`, whose hashing is assembly: a build script
//! and its dependencies are compiled at opt-level 0 unless the user's
//! profile says otherwise, and there the `sha2` crate runs at 30 to
//! 45 MB/s (SHA-256) and 7 to 8 MB/s (SHA-384), `ring` at 900 and 450
//! MB/s (BENCHMARKS.md, "Hashing in the build script"). The values are
//! the same; asset-manifest keeps `sha2` for the runtime's side, where
//! every target, wasm included, must build.

use asset_manifest::Fingerprint;
use asset_manifest::fingerprint;
use ring::digest::{Context, SHA256, SHA384, digest};

/// The SHA-256 fingerprint of `bytes`.
pub fn fingerprint(bytes: &[u8]) -> Fingerprint {
    Fingerprint::from_digest(sha256(bytes))
}

pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    digest(&SHA256, bytes)
        .as_ref()
        .try_into()
        .expect("SHA-256 is 32 bytes")
}

/// The Subresource Integrity value of `bytes`: `sha384-<base64>`.
pub fn integrity(bytes: &[u8]) -> String {
    let sha384: [u8; 48] = digest(&SHA384, bytes)
        .as_ref()
        .try_into()
        .expect("SHA-384 is 48 bytes");
    fingerprint::integrity_of(&sha384)
}

/// SHA-256 over several pieces.
pub struct Sha256(Context);

impl Sha256 {
    pub fn new() -> Sha256 {
        Sha256(Context::new(&SHA256))
    }

    pub fn update(&mut self, bytes: impl AsRef<[u8]>) {
        self.0.update(bytes.as_ref());
    }

    pub fn finalize(self) -> [u8; 32] {
        self.0
            .finish()
            .as_ref()
            .try_into()
            .expect("SHA-256 is 32 bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::Digest;

    #[test]
    fn the_same_values_as_sha2() {
        for len in [
            0usize, 1, 55, 56, 63, 64, 65, 111, 112, 127, 128, 129, 1000, 100_003,
        ] {
            let bytes: Vec<u8> = (0..len as u32)
                .map(|i| (i.wrapping_mul(2_654_435_761) >> 7) as u8)
                .collect();
            assert_eq!(
                sha256(&bytes),
                <[u8; 32]>::from(sha2::Sha256::digest(&bytes)),
                "{len}"
            );
            assert_eq!(integrity(&bytes), fingerprint::integrity(&bytes), "{len}");
            assert_eq!(fingerprint(&bytes), Fingerprint::of(&bytes), "{len}");
            let mut pieces = Sha256::new();
            let mut reference = sha2::Sha256::new();
            for chunk in bytes.chunks(37) {
                pieces.update(chunk);
                reference.update(chunk);
            }
            assert_eq!(
                pieces.finalize(),
                <[u8; 32]>::from(reference.finalize()),
                "{len}"
            );
        }
    }
}
