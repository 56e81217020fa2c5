//! Release manifests: what one published release needs in a bucket.
//!
//! Publishing a release uploads its hashed objects under a prefix, then,
//! last, `manifests/<release id>.json` under the same prefix. A release is
//! complete exactly when its manifest exists; pruning keeps every object
//! that a recent manifest names. Keys are relative to the prefix, with `/`
//! separators, exactly as they follow the URL prefix in asset URLs.
//!
//! ```
//! use asset_manifest::release;
//!
//! let key = release::manifest_key("0123456789abcdef0123456789abcdef");
//! assert_eq!(key, "manifests/0123456789abcdef0123456789abcdef.json");
//! assert_eq!(release::release_of(&key), Some("0123456789abcdef0123456789abcdef"));
//! assert!(release::is_asset_key("css/app.3f2a1b9c4d5e6f70.css.br"));
//! assert!(!release::is_asset_key("css/app.css"));
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::manifest::{ManifestError, ObjectMeta};
use crate::{Encoding, naming};

/// The folder, under the publish prefix, that holds release manifests.
pub const MANIFESTS_DIR: &str = "manifests";

/// The release manifest format's version; a reader refuses others.
pub const VERSION: u32 = 1;

/// Length of a release id: 32 lowercase hex digits (128 bits).
pub const RELEASE_ID_LEN: usize = 32;

/// One release's manifest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Release {
    /// [`VERSION`].
    pub version: u32,
    /// The release id: 32 hex digits.
    pub release: String,
    /// When the publisher wrote this manifest, in milliseconds since the
    /// Unix epoch (the publisher's clock).
    pub published_at_ms: u64,
    /// The URL prefix the app was built with (informational).
    pub url_prefix: String,
    /// Every key the release needs, relative to the publish prefix, with
    /// the metadata it was uploaded with.
    pub objects: BTreeMap<String, ObjectMeta>,
}

impl Release {
    /// The JSON text, pretty-printed with a final newline.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("a release always serialises");
        text.push('\n');
        text
    }

    /// Reads a release manifest, refusing another [`VERSION`].
    pub fn from_json(text: &[u8]) -> Result<Release, ManifestError> {
        let release: Release =
            serde_json::from_slice(text).map_err(|err| ManifestError::new(err.to_string()))?;
        if release.version != VERSION {
            return Err(ManifestError::new(format!(
                "release manifest version {} is not supported (expected {VERSION})",
                release.version
            )));
        }
        Ok(release)
    }
}

/// The key of a release's manifest: `manifests/<release id>.json`.
pub fn manifest_key(release_id: &str) -> String {
    format!("{MANIFESTS_DIR}/{release_id}.json")
}

/// The release id if `key` is a release manifest's key.
pub fn release_of(key: &str) -> Option<&str> {
    let id = key
        .strip_prefix(MANIFESTS_DIR)?
        .strip_prefix('/')?
        .strip_suffix(".json")?;
    is_release_id(id).then_some(id)
}

/// The folder, under [`MANIFESTS_DIR`], of the records of publishes under
/// way: `manifests/publishing/<release id>-<token>.json`, each a
/// [`Release`] naming what that publish needs. A publish writes its
/// record before it lists the prefix and removes it after its manifest;
/// pruning keeps every object a record names.
pub const PUBLISHING_DIR: &str = "manifests/publishing";

/// The folder, under [`MANIFESTS_DIR`], of the locks of prunes under way:
/// `manifests/pruning/<token>.json`. A prune that deletes writes its lock
/// before it lists the prefix; a publish that finds a lock older than its
/// own record waits for it to go before it trusts its listing.
pub const PRUNING_DIR: &str = "manifests/pruning";

/// The key of a publish's record: `manifests/publishing/<release
/// id>-<token>.json`, `token` (16 hex digits) telling apart two publishes
/// of one release. No such key has the form of an asset's.
pub fn publishing_key(release_id: &str, token: &str) -> String {
    format!("{PUBLISHING_DIR}/{release_id}-{token}.json")
}

/// The release id if `key` is a publish's record
/// ([`publishing_key`]).
pub fn publishing_of(key: &str) -> Option<&str> {
    let rest = key
        .strip_prefix(PUBLISHING_DIR)?
        .strip_prefix('/')?
        .strip_suffix(".json")?;
    let (id, token) = rest.split_once('-')?;
    (is_release_id(id) && is_token(token)).then_some(id)
}

/// The key of a prune's lock: `manifests/pruning/<token>.json`.
pub fn pruning_key(token: &str) -> String {
    format!("{PRUNING_DIR}/{token}.json")
}

/// Whether `key` is a prune's lock ([`pruning_key`]).
pub fn is_pruning_key(key: &str) -> bool {
    key.strip_prefix(PRUNING_DIR)
        .and_then(|k| k.strip_prefix('/'))
        .and_then(|k| k.strip_suffix(".json"))
        .is_some_and(is_token)
}

fn is_release_id(id: &str) -> bool {
    id.len() == RELEASE_ID_LEN && is_lower_hex(id)
}

/// A token: 16 lowercase hex digits.
fn is_token(token: &str) -> bool {
    token.len() == 16 && is_lower_hex(token)
}

fn is_lower_hex(text: &str) -> bool {
    text.bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Whether `key` is one that publishing writes for an asset: a hashed
/// path, or a hashed path with a precompressed sibling's extension
/// (`.br`, `.gz`, `.zst`), or a delta's key
/// ([`dictionary::delta_key`](crate::dictionary::delta_key)). Pruning
/// deletes nothing else.
pub fn is_asset_key(key: &str) -> bool {
    if naming::split_hashed(key).is_some() || crate::dictionary::split_delta_key(key).is_some() {
        return true;
    }
    Encoding::PREFERENCE.iter().any(|encoding| {
        encoding.file_extension().is_some_and(|ext| {
            key.strip_suffix(ext)
                .and_then(|k| k.strip_suffix('.'))
                .is_some_and(|k| naming::split_hashed(k).is_some())
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_keys_round_trip_and_nothing_else_is_one() {
        let id = "00112233445566778899aabbccddeeff";
        assert_eq!(release_of(&manifest_key(id)), Some(id));
        for key in [
            "manifests/00112233445566778899AABBCCDDEEFF.json",
            "manifests/0011.json",
            "manifests/00112233445566778899aabbccddeeff.json.br",
            "other/00112233445566778899aabbccddeeff.json",
            "manifests/x/00112233445566778899aabbccddeeff.json",
        ] {
            assert_eq!(release_of(key), None, "{key}");
        }
    }

    #[test]
    fn publishing_records_and_pruning_locks_are_told_apart() {
        let id = "00112233445566778899aabbccddeeff";
        let record = publishing_key(id, "0123456789abcdef");
        assert_eq!(
            record,
            "manifests/publishing/00112233445566778899aabbccddeeff-0123456789abcdef.json"
        );
        assert_eq!(publishing_of(&record), Some(id));
        assert_eq!(release_of(&record), None);
        assert!(!is_asset_key(&record));
        let lock = pruning_key("0123456789abcdef");
        assert_eq!(lock, "manifests/pruning/0123456789abcdef.json");
        assert!(is_pruning_key(&lock));
        assert!(!is_asset_key(&lock));
        assert_eq!(publishing_of(&lock), None);
        assert_eq!(release_of(&lock), None);
        for key in [
            "manifests/publishing/00112233445566778899aabbccddeeff.json",
            "manifests/publishing/00112233445566778899aabbccddeeff-0123.json",
            "manifests/publishing/00112233445566778899aabbccddeeff.0123456789abcdef.json",
            "manifests/publishing/0011-0123456789abcdef.json",
            "manifests/00112233445566778899aabbccddeeff-0123456789abcdef.json",
        ] {
            assert_eq!(publishing_of(key), None, "{key}");
        }
        for key in [
            "manifests/pruning/0123456789ABCDEF.json",
            "manifests/pruning/x/0123456789abcdef.json",
            "manifests/0123456789abcdef.json",
        ] {
            assert!(!is_pruning_key(key), "{key}");
        }
    }

    #[test]
    fn asset_keys_are_hashed_paths_and_their_siblings() {
        for key in [
            "app.0123456789abcdef.js",
            "css/app.0123456789abcdef.css.br",
            "css/app.0123456789abcdef.css.gz",
            "css/app.0123456789abcdef.css.zst",
            &crate::dictionary::delta_key("css/app.0123456789abcdef.css", Encoding::Dcz, &[1; 32]),
        ] {
            assert!(is_asset_key(key), "{key}");
        }
        for key in [
            "css/app.css",
            "robots.txt",
            "css/app.0123456789abcdef.css.xz",
            "manifests/00112233445566778899aabbccddeeff.json",
            "css/app.css.0101010101010101010101010101010101010101010101010101010101010101.dcb",
            "css/app.0123456789abcdef.css.0101.dcb",
        ] {
            assert!(!is_asset_key(key), "{key}");
        }
    }

    #[test]
    fn round_trips_and_refuses_other_versions() {
        let release = Release {
            version: VERSION,
            release: "00112233445566778899aabbccddeeff".into(),
            published_at_ms: 1,
            url_prefix: "/static/".into(),
            objects: BTreeMap::new(),
        };
        assert_eq!(
            Release::from_json(release.to_json().as_bytes()).unwrap(),
            release
        );
        let other = release
            .to_json()
            .replace("\"version\": 1", "\"version\": 9");
        let err = Release::from_json(other.as_bytes()).unwrap_err();
        assert!(err.to_string().contains("version 9"), "{err}");
    }
}
