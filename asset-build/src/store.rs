//! The blob store: every stored byte string of an output folder, by name.
//!
//! `<sha256>` names identity bytes and `<sha256>.<codec tag>` compressed
//! bytes, where the tag names every setting that shapes the output
//! ([`Codec::cache_tag`](crate::compress::Codec::cache_tag)). A compression
//! that was not worth keeping leaves an empty `<...>.skip` marker. Names
//! are content addresses, so a blob is written once and never changed.
//!
//! A blob is kept in one of two places:
//! - **loose**, as a file `OUT_DIR/asset-build/blobs/<name>`, written
//!   through a temporary file and a rename, so a crash never leaves half a
//!   blob;
//! - **packed**, inside the table: once a build has written the table's
//!   files (the linked table's libraries, or the `include_bytes!` parts),
//!   each blob in them is found at its place in one of them (`packed.json`
//!   says where), and its loose file goes. The bytes are then on disk
//!   once, not once in the store and again in the table. Those files are
//!   named by their content and never rewritten, so a place stays right
//!   for as long as the file is there; one that is gone (removed by hand)
//!   only makes its blobs missing, which the next build reads or
//!   compresses again.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::{self, File};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use asset_manifest::layout::BLOB_DIR;
use serde::{Deserialize, Serialize};

use crate::Error;
use crate::shared_cache::SharedCache;

/// The index of packed blobs, in the output folder.
const PACKED_FILE: &str = "packed.json";

/// Where a packed blob is: a file of the output folder, and its place.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Packed {
    /// The file's name in the output folder.
    pub file: String,
    /// The first byte's offset in it.
    pub at: u64,
    /// The blob's length.
    pub len: u64,
}

/// The blobs of one output folder.
#[derive(Debug)]
pub struct BlobStore {
    output: PathBuf,
    dir: PathBuf,
    shared: Option<SharedCache>,
    packed: BTreeMap<String, Packed>,
}

impl BlobStore {
    /// Opens (creates) the blob store of the output folder `output`
    /// (`OUT_DIR/asset-build`); compressions are also looked up in and
    /// written to `shared`.
    pub(crate) fn open(output: &Path, shared: Option<SharedCache>) -> Result<BlobStore, Error> {
        let dir = output.join(BLOB_DIR);
        fs::create_dir_all(&dir).map_err(|source| Error::Write {
            path: dir.clone(),
            source,
        })?;
        // A missing or damaged index only makes packed blobs missing.
        let packed = fs::read(output.join(PACKED_FILE))
            .ok()
            .and_then(|text| serde_json::from_slice(&text).ok())
            .unwrap_or_default();
        Ok(BlobStore {
            output: output.to_path_buf(),
            dir,
            shared,
            packed,
        })
    }

    /// Opens the blob store of a finished build's output folder, to read
    /// what it stored: for tools that inspect a build (the benchmarks, the
    /// tests), whichever place each blob is in.
    ///
    /// ```no_run
    /// // In a build script, after `Pipeline::run`:
    /// let out_dir = std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR");
    /// let output = std::path::Path::new(&out_dir).join(asset_build::OUTPUT_DIR);
    /// let store = asset_build::BlobStore::read_only(&output)?;
    /// for name in store.names() {
    ///     println!("{name}: {} bytes", store.read(&name)?.len());
    /// }
    /// # Ok::<(), asset_build::Error>(())
    /// ```
    pub fn read_only(output: &Path) -> Result<BlobStore, Error> {
        let dir = output.join(BLOB_DIR);
        if !dir.is_dir() {
            return Err(Error::Unreadable {
                path: dir,
                source: io::Error::new(io::ErrorKind::NotFound, "not an asset-build output folder"),
            });
        }
        BlobStore::open(output, None)
    }

    /// The compression cache shared across profiles, if any.
    pub(crate) fn shared(&self) -> Option<&SharedCache> {
        self.shared.as_ref()
    }

    /// The path of a loose blob: where [`put`](Self::put) writes it, and
    /// what errors about it name.
    pub(crate) fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// The names of every blob there is, loose or packed, sorted.
    pub fn names(&self) -> Vec<String> {
        let mut names: BTreeSet<String> = fs::read_dir(&self.dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|n| !n.contains(".tmp"))
            .collect();
        names.extend(
            self.packed
                .iter()
                .filter(|(_, p)| self.holds(p))
                .map(|(n, _)| n.clone()),
        );
        names.into_iter().collect()
    }

    /// Whether the file a packed blob is in is there, long enough.
    fn holds(&self, packed: &Packed) -> bool {
        fs::metadata(self.output.join(&packed.file))
            .is_ok_and(|m| m.len() >= packed.at + packed.len)
    }

    /// The size of a stored blob, if it is there.
    pub(crate) fn size(&self, name: &str) -> Option<u64> {
        if let Ok(meta) = fs::metadata(self.path(name)) {
            return Some(meta.len());
        }
        let packed = self.packed.get(name)?;
        self.holds(packed).then_some(packed.len)
    }

    /// Where a packed blob is, unless it is loose too (or only).
    pub(crate) fn packed(&self, name: &str) -> Option<&Packed> {
        self.packed.get(name)
    }

    /// A reader of a blob's bytes, and the path errors name.
    fn open_blob(&self, name: &str) -> Result<(io::Take<File>, PathBuf), Error> {
        let loose = self.path(name);
        match File::open(&loose) {
            Ok(file) => {
                let len = file.metadata().map(|m| m.len()).unwrap_or(u64::MAX);
                Ok((file.take(len), loose))
            }
            Err(source) => {
                let Some(packed) = self.packed.get(name) else {
                    return Err(Error::Unreadable {
                        path: loose,
                        source,
                    });
                };
                let path = self.output.join(&packed.file);
                let unreadable = |source| Error::Unreadable {
                    path: path.clone(),
                    source,
                };
                let mut file = File::open(&path).map_err(unreadable)?;
                file.seek(SeekFrom::Start(packed.at)).map_err(unreadable)?;
                Ok((file.take(packed.len), path))
            }
        }
    }

    /// Reads a blob.
    pub fn read(&self, name: &str) -> Result<Vec<u8>, Error> {
        let (mut reader, path) = self.open_blob(name)?;
        let mut bytes =
            Vec::with_capacity(usize::try_from(reader.limit()).unwrap_or(0).min(1 << 30));
        reader
            .read_to_end(&mut bytes)
            .map_err(|source| Error::Unreadable { path, source })?;
        Ok(bytes)
    }

    /// Copies the blob `name`, of `len` bytes, into `out`, which writes
    /// `dest`.
    pub(crate) fn copy_into(
        &self,
        name: &str,
        len: u64,
        out: &mut impl Write,
        dest: &Path,
    ) -> Result<u64, Error> {
        let (mut reader, path) = self.open_blob(name)?;
        let copied = io::copy(&mut reader, out).map_err(|source| Error::Write {
            path: dest.to_path_buf(),
            source,
        })?;
        if copied != len {
            return Err(Error::Unreadable {
                path,
                source: io::Error::other(format!(
                    "the blob {name} is {copied} bytes, not {len}: it changed while the table was written"
                )),
            });
        }
        Ok(copied)
    }

    /// Puts a copy of the blob at `target`: a hard link to a loose blob
    /// where the file system allows it, else a copy of its bytes.
    pub(crate) fn copy_to(&self, name: &str, target: &Path) -> Result<(), Error> {
        if fs::hard_link(self.path(name), target).is_ok() {
            return Ok(());
        }
        write_atomic(target, &self.read(name)?)
    }

    /// Stores `bytes` under `name` unless a blob of that name is there.
    pub(crate) fn put(&self, name: &str, bytes: &[u8]) -> Result<(), Error> {
        if self.size(name).is_some() {
            return Ok(());
        }
        write_atomic(&self.path(name), bytes)
    }

    /// Settles the store after the table was written: the blobs in
    /// `packed` are from now on found there (their loose files go), every
    /// blob not in `used` goes, and the index says so before any file is
    /// removed. A used blob that was packed and is not any more (its file
    /// about to go) is loose again first. Failing to remove a file is
    /// harmless and ignored; failing to write the index keeps every used
    /// blob loose.
    pub(crate) fn settle(&mut self, used: &BTreeSet<String>, packed: BTreeMap<String, Packed>) {
        let packed: BTreeMap<String, Packed> = packed
            .into_iter()
            .filter(|(name, _)| used.contains(name))
            .collect();
        // Blobs that leave the table's files (the other embedding chosen,
        // or a file whose places are unknown) are loose again before those
        // files go.
        for name in self.packed.keys() {
            if used.contains(name) && !packed.contains_key(name) && !self.path(name).is_file() {
                if let Ok(bytes) = self.read(name) {
                    let _ = write_atomic(&self.path(name), &bytes);
                }
            }
        }
        let index = self.output.join(PACKED_FILE);
        let text = serde_json::to_vec(&packed).expect("an index always serialises");
        let saved = write_if_changed(&index, &text).is_ok();
        self.packed = if saved { packed } else { BTreeMap::new() };
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let keep = name
                .to_str()
                .is_some_and(|n| used.contains(n) && !self.packed.contains_key(n));
            if !keep {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A folder that is not an output folder is an error naming its blob
    /// folder, not an empty store.
    #[test]
    fn read_only_refuses_a_folder_without_blobs() {
        let dir = tempfile::tempdir().unwrap();
        let err = BlobStore::read_only(dir.path()).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains(&dir.path().join(BLOB_DIR).display().to_string()),
            "{text}"
        );
        assert!(text.contains("not an asset-build output folder"), "{text}");
        assert!(!dir.path().join(BLOB_DIR).exists(), "nothing created");
    }
}
