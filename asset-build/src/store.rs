//! The blob store: `OUT_DIR/asset-build/blobs`, one file per content.
//!
//! `<sha256>` holds identity bytes and `<sha256>.<codec tag>` compressed
//! bytes, where the tag names every setting that shapes the output
//! ([`Codec::cache_tag`](crate::compress::Codec::cache_tag)). A compression
//! that was not worth keeping leaves an empty `<...>.skip` marker. Names
//! are content addresses, so a blob is written once and never changed, and
//! every write goes through a temporary file and a rename: a crash never
//! leaves half a blob.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use asset_manifest::layout::BLOB_DIR;

use crate::Error;
use crate::shared_cache::SharedCache;

/// The blob folder of one output directory.
#[derive(Debug)]
pub struct BlobStore {
    dir: PathBuf,
    shared: Option<SharedCache>,
}

impl BlobStore {
    /// Opens (creates) the blob folder under `output`; compressions are
    /// also looked up in and written to `shared`.
    pub fn open(output: &Path, shared: Option<SharedCache>) -> Result<BlobStore, Error> {
        let dir = output.join(BLOB_DIR);
        fs::create_dir_all(&dir).map_err(|source| Error::Write {
            path: dir.clone(),
            source,
        })?;
        Ok(BlobStore { dir, shared })
    }

    /// The compression cache shared across profiles, if any.
    pub fn shared(&self) -> Option<&SharedCache> {
        self.shared.as_ref()
    }

    /// The path of a blob.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// The size of a stored blob, if it is there.
    pub fn size(&self, name: &str) -> Option<u64> {
        fs::metadata(self.path(name)).ok().map(|m| m.len())
    }

    /// Reads a blob.
    pub fn read(&self, name: &str) -> Result<Vec<u8>, Error> {
        let path = self.path(name);
        fs::read(&path).map_err(|source| Error::Unreadable { path, source })
    }

    /// Stores `bytes` under `name` unless a blob of that name is there.
    pub fn put(&self, name: &str, bytes: &[u8]) -> Result<(), Error> {
        let path = self.path(name);
        if path.is_file() {
            return Ok(());
        }
        write_atomic(&path, bytes)
    }

    /// Removes every blob not in `used`, so the folder does not grow with
    /// every edit. Failing to remove one is harmless and ignored.
    pub fn retain(&self, used: &BTreeSet<String>) {
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            if name.to_str().is_none_or(|n| !used.contains(n)) {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}

/// Writes a file through a temporary file beside it and a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let unique = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!(".tmp{}-{unique}", std::process::id()));
    let tmp = PathBuf::from(tmp);
    fs::write(&tmp, bytes)
        .and_then(|()| fs::rename(&tmp, path))
        .map_err(|source| Error::Write {
            path: path.to_path_buf(),
            source,
        })
}

/// Writes only when the bytes differ, so that an unchanged file keeps its
/// modification time (and cargo does not recompile what includes it).
pub fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    if fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(());
    }
    write_atomic(path, bytes)
}
