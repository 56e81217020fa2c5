//! The compression cache shared by every profile and crate of a target
//! directory: `<target>/asset-build-cache/v1/`, or the folder named by
//! `ASSET_BUILD_CACHE` (`off` turns it off), so that `cargo build
//! --release` after `cargo build`, `cargo test`, `cargo clippy`, or a
//! second crate embedding the same assets, compresses nothing again. A CI
//! job can keep that folder between runs.
//!
//! Entries are named like the blob store's (`<sha256>.<codec tag>`, and
//! `.skip` markers), so a name says which content and settings gave it.
//! Each holds a header with the XXH3-128 of its payload, checked on every
//! read: a damaged or truncated entry is removed and compressed again,
//! never served. Writes go through a temporary file and a rename, so
//! concurrent builds never see half an entry. Each hit refreshes the
//! entry's modification time, and after a build the least recently used
//! entries go once the folder holds more than its bound
//! (`ASSET_BUILD_CACHE_SIZE_MB`, default 2048).

use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::store::write_atomic;

/// Names the shared cache's folder; `off` turns it off.
pub const CACHE_ENV: &str = "ASSET_BUILD_CACHE";
/// The shared cache's bound in MiB (default [`DEFAULT_SIZE_MB`]).
pub const CACHE_SIZE_ENV: &str = "ASSET_BUILD_CACHE_SIZE_MB";
/// The default bound: 2 GiB.
pub const DEFAULT_SIZE_MB: u64 = 2048;

/// The first line of every entry, then 32 hex digits of the payload's
/// XXH3-128 and a newline.
const MAGIC: &[u8] = b"asset-build cache 1\n";
const HEADER_LEN: usize = MAGIC.len() + 33;

/// The shared compression cache.
#[derive(Debug, Clone)]
pub struct SharedCache {
    dir: PathBuf,
    max_bytes: u64,
}

/// `ASSET_BUILD_CACHE_SIZE_MB` (default [`DEFAULT_SIZE_MB`]) in bytes.
fn max_bytes() -> u64 {
    std::env::var(CACHE_SIZE_ENV)
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(DEFAULT_SIZE_MB)
        .saturating_mul(1024 * 1024)
}

impl SharedCache {
    /// A cache in `dir` (created when first written), bounded by
    /// `max_bytes`.
    pub fn new(dir: impl Into<PathBuf>, max_bytes: u64) -> SharedCache {
        SharedCache {
            dir: dir.into().join("v1"),
            max_bytes,
        }
    }

    /// The cache a build script writing to `out_dir` uses: the folder
    /// `ASSET_BUILD_CACHE` names, or `asset-build-cache` in the target
    /// directory when `out_dir` is cargo's
    /// (`<target>/<profile>/build/<package>-<hash>/out`); none otherwise.
    pub fn locate(out_dir: &Path) -> Option<SharedCache> {
        let max_bytes = max_bytes();
        match std::env::var_os(CACHE_ENV) {
            Some(v) if v == "off" => None,
            Some(v) if !v.is_empty() => Some(SharedCache::new(PathBuf::from(v), max_bytes)),
            _ => target_dir(out_dir)
                .map(|t| SharedCache::new(t.join("asset-build-cache"), max_bytes)),
        }
    }

    /// The folder the cache was opened in (its entries are in `v1/`
    /// below it; the release history in `releases/`).
    pub fn root(&self) -> &Path {
        self.dir.parent().unwrap_or(&self.dir)
    }

    /// A cache in `dir`, bounded by `ASSET_BUILD_CACHE_SIZE_MB` as
    /// [`SharedCache::locate`]'s is.
    pub fn in_dir(dir: impl Into<PathBuf>) -> SharedCache {
        SharedCache::new(dir, max_bytes())
    }

    fn path(&self, name: &str) -> PathBuf {
        let shard = name.get(..2).unwrap_or("__");
        self.dir.join(shard).join(name)
    }

    /// The payload of an entry whose checksum holds; a damaged entry is
    /// removed.
    pub fn get(&self, name: &str) -> Option<Vec<u8>> {
        let path = self.path(name);
        let bytes = fs::read(&path).ok()?;
        match verified(&bytes) {
            Some(payload) => {
                // Recently used: the last to go when the cache is trimmed.
                if let Ok(file) = fs::OpenOptions::new().write(true).open(&path) {
                    let _ = file.set_modified(SystemTime::now());
                }
                Some(payload.to_vec())
            }
            None => {
                let _ = fs::remove_file(&path);
                None
            }
        }
    }

    /// Stores an entry. Failing to write is harmless (the build goes on
    /// without caching it), so errors are ignored.
    pub fn put(&self, name: &str, payload: &[u8]) {
        let path = self.path(name);
        if path.is_file() {
            return;
        }
        let Some(parent) = path.parent() else { return };
        if fs::create_dir_all(parent).is_err() {
            return;
        }
        let mut bytes = Vec::with_capacity(HEADER_LEN + payload.len());
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(checksum(payload).as_bytes());
        bytes.push(b'\n');
        bytes.extend_from_slice(payload);
        let _ = write_atomic(&path, &bytes);
    }

    /// Removes the least recently used entries until the cache holds at
    /// most 80% of its bound, if it holds more than the bound.
    pub fn trim(&self) {
        let mut entries = Vec::new();
        let mut total = 0u64;
        let Ok(shards) = fs::read_dir(&self.dir) else {
            return;
        };
        for shard in shards.flatten() {
            let Ok(files) = fs::read_dir(shard.path()) else {
                continue;
            };
            for file in files.flatten() {
                let Ok(meta) = file.metadata() else { continue };
                total += meta.len();
                let used = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
                entries.push((used, meta.len(), file.path()));
            }
        }
        if total <= self.max_bytes {
            return;
        }
        entries.sort();
        let goal = self.max_bytes / 10 * 8;
        for (_, len, path) in entries {
            if total <= goal {
                break;
            }
            if fs::remove_file(&path).is_ok() {
                total -= len;
            }
        }
    }
}

/// `<target>` from cargo's `<target>/<profile>/build/<package>-<hash>/out`.
fn target_dir(out_dir: &Path) -> Option<PathBuf> {
    let package = out_dir.parent()?;
    let build = package.parent()?;
    let profile = build.parent()?;
    let target = profile.parent()?;
    (out_dir.file_name()? == "out" && build.file_name()? == "build").then(|| target.to_path_buf())
}

fn checksum(payload: &[u8]) -> String {
    format!("{:032x}", xxhash_rust::xxh3::xxh3_128(payload))
}

/// The payload of an entry, if its header and checksum hold.
fn verified(bytes: &[u8]) -> Option<&[u8]> {
    let rest = bytes.strip_prefix(MAGIC)?;
    let (sum, payload) = (rest.get(..32)?, rest.get(33..)?);
    (rest.get(32) == Some(&b'\n') && sum == checksum(payload).as_bytes()).then_some(payload)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_round_trip_and_damaged_ones_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let cache = SharedCache::new(dir.path(), u64::MAX);
        assert_eq!(cache.get("ab12.br-q11"), None);
        cache.put("ab12.br-q11", b"compressed");
        cache.put("ab12.gz.skip", b"");
        assert_eq!(
            cache.get("ab12.br-q11").as_deref(),
            Some(&b"compressed"[..])
        );
        assert_eq!(cache.get("ab12.gz.skip").as_deref(), Some(&b""[..]));

        let path = cache.path("ab12.br-q11");
        let mut bytes = fs::read(&path).unwrap();
        *bytes.last_mut().unwrap() ^= 1;
        fs::write(&path, &bytes).unwrap();
        assert_eq!(
            cache.get("ab12.br-q11"),
            None,
            "a flipped bit is never served"
        );
        assert!(!path.exists(), "the damaged entry is gone");

        cache.put("ab12.br-q11", b"compressed");
        let bytes = fs::read(&path).unwrap();
        fs::write(&path, &bytes[..bytes.len() - 3]).unwrap();
        assert_eq!(cache.get("ab12.br-q11"), None, "nor a truncated one");
        fs::write(&path, b"junk").unwrap();
        assert_eq!(cache.get("ab12.br-q11"), None);
    }

    #[test]
    fn trimming_removes_the_least_recently_used_first() {
        let dir = tempfile::tempdir().unwrap();
        let entry = HEADER_LEN as u64 + 1000;
        let cache = SharedCache::new(dir.path(), entry * 3);
        let old = SystemTime::now() - std::time::Duration::from_secs(3600);
        for (i, name) in ["aa1", "bb2", "cc3", "dd4"].iter().enumerate() {
            cache.put(name, &[i as u8; 1000]);
            let file = fs::OpenOptions::new()
                .write(true)
                .open(cache.path(name))
                .unwrap();
            file.set_modified(old + std::time::Duration::from_secs(i as u64))
                .unwrap();
        }
        // Read the oldest: now the most recently used.
        assert!(cache.get("aa1").is_some());
        cache.trim();
        // Four entries over a bound of three: down to 80% of it, two.
        let left: Vec<&str> = ["aa1", "bb2", "cc3", "dd4"]
            .into_iter()
            .filter(|n| cache.path(n).exists())
            .collect();
        assert_eq!(left, ["aa1", "dd4"]);
    }

    #[test]
    fn the_default_folder_is_in_cargos_target_directory_only() {
        let out = Path::new("/work/app/target/release/build/app-0123abcd/out");
        assert_eq!(target_dir(out), Some(PathBuf::from("/work/app/target")));
        let cross = Path::new("/t/x86_64-unknown-linux-gnu/debug/build/app-1/out");
        assert_eq!(
            target_dir(cross),
            Some(PathBuf::from("/t/x86_64-unknown-linux-gnu"))
        );
        for other in [
            "/tmp/xyz/out",
            "/out",
            "/a/b/c/d/e",
            "/target/debug/build/out",
        ] {
            assert_eq!(target_dir(Path::new(other)), None, "{other}");
        }
    }
}
