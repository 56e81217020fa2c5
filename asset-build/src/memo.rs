//! What the last run learned about each file that needs no rewriting (its
//! fingerprint, integrity, size and type), keyed by what the file system
//! says cheaply, so that an unchanged file is not read again: a 200 MB
//! video costs a `stat`, not a read and two hashes, on every build.
//!
//! A file counts as unchanged when its size, modification time (to the
//! nanosecond where the system keeps it), change time, inode and device
//! are all as recorded, and its stored bytes are still in the blob store.
//! Renaming another file over it changes the inode; `touch -d` back to
//! the old time changes the change time; a symbolic link is followed, so
//! retargeting it changes what is compared.
//!
//! What the comparison cannot see is a rewrite of the same size within
//! one tick of the file system's clock (a second on some systems, two on
//! FAT) after it was read. So, as git does with its index ("racy git"), an
//! entry whose file was modified less than [`RACY`] before the run that
//! read it is not trusted: the next run reads and hashes that file again,
//! and only then records it for good. Where the system has no inode or
//! change time (Windows), size and modification time are compared.
//!
//! The memo lives in `OUT_DIR/asset-build/files.json`, one per output
//! folder; a memo that is missing, damaged or of another version is
//! ignored.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use asset_manifest::fingerprint::{self, Fingerprint};
use serde::{Deserialize, Serialize};

use crate::discover::Source;
use crate::store::BlobStore;

/// The memo's file name in the output folder.
pub const FILE: &str = "files.json";

/// A file modified less than this before it was read is read again next
/// time, whatever its metadata says.
pub const RACY: Duration = Duration::from_secs(2);

const VERSION: u32 = 1;

/// What the file system says of a file, cheaply.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stat {
    len: u64,
    /// Nanoseconds since the epoch (negative before it).
    modified: i128,
    changed: i128,
    inode: u64,
    device: u64,
}

impl Stat {
    /// The file at `path`, symbolic links followed.
    pub fn of(path: &Path) -> Option<Stat> {
        let meta = fs::metadata(path).ok()?;
        let modified = nanos(meta.modified().ok()?);
        #[cfg(unix)]
        let (changed, inode, device) = {
            use std::os::unix::fs::MetadataExt;
            (
                i128::from(meta.ctime()) * 1_000_000_000 + i128::from(meta.ctime_nsec()),
                meta.ino(),
                meta.dev(),
            )
        };
        #[cfg(not(unix))]
        let (changed, inode, device) = (0, 0, 0);
        Some(Stat {
            len: meta.len(),
            modified,
            changed,
            inode,
            device,
        })
    }
}

fn nanos(time: SystemTime) -> i128 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(after) => after.as_nanos() as i128,
        Err(before) => -(before.duration().as_nanos() as i128),
    }
}

/// What a run learned about one file.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Entry {
    logical: String,
    /// The scanner settings it was read under.
    scan: String,
    stat: Stat,
    /// When the run began reading it.
    read_at: i128,
    digest: String,
    integrity: String,
    size: u64,
    content_type: String,
}

/// The served bytes' fingerprint and type, once stored.
pub struct Stored {
    pub print: Fingerprint,
    pub integrity: String,
    pub size: u64,
    pub content_type: String,
}

#[derive(Default, Serialize, Deserialize)]
struct Saved {
    version: u32,
    /// By path on disk.
    entries: BTreeMap<String, Entry>,
}

/// [`Saved`] as written, borrowing the entries.
#[derive(Serialize)]
struct SavedRef<'a> {
    version: u32,
    entries: BTreeMap<String, &'a Entry>,
}

/// The memo of the last run, read at the start of this one.
#[derive(Default)]
pub struct Memo {
    entries: BTreeMap<String, Entry>,
}

fn key(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

impl Memo {
    /// The memo in `output`, or an empty one.
    pub fn load(output: &Path) -> Memo {
        let saved = fs::read(output.join(FILE))
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Saved>(&bytes).ok())
            .filter(|saved| saved.version == VERSION)
            .unwrap_or_default();
        Memo {
            entries: saved.entries,
        }
    }

    /// What is known of `source` if it has not changed since, and its
    /// entry to keep.
    pub fn lookup(
        &self,
        source: &Source,
        scan: &str,
        store: &BlobStore,
    ) -> Option<(Stored, Entry)> {
        let entry = self.entries.get(&key(&source.path))?;
        if entry.logical != source.logical || entry.scan != scan {
            return None;
        }
        if entry.stat.modified + RACY.as_nanos() as i128 > entry.read_at {
            return None;
        }
        if Stat::of(&source.path)? != entry.stat {
            return None;
        }
        let digest = fingerprint::parse_hex(&entry.digest)?;
        if store.size(&entry.digest) != Some(entry.size) {
            return None;
        }
        let known = Stored {
            print: Fingerprint::from_digest(digest),
            integrity: entry.integrity.clone(),
            size: entry.size,
            content_type: entry.content_type.clone(),
        };
        Some((known, entry.clone()))
    }

    /// Notes `path`'s metadata and the time before it is read.
    pub fn before_reading(path: &Path) -> (SystemTime, Option<Stat>) {
        (SystemTime::now(), Stat::of(path))
    }

    /// The entry for `source`, read from `started` on with `before` as
    /// its metadata, unless the file changed while it was read.
    pub fn entry(
        source: &Source,
        scan: &str,
        (started, before): (SystemTime, Option<Stat>),
        known: &Stored,
    ) -> Option<Entry> {
        let stat = before?;
        if Stat::of(&source.path)? != stat {
            return None;
        }
        Some(Entry {
            logical: source.logical.clone(),
            scan: scan.to_owned(),
            stat,
            read_at: nanos(started),
            digest: known.print.hex().to_owned(),
            integrity: known.integrity.clone(),
            size: known.size,
            content_type: known.content_type.clone(),
        })
    }

    /// Writes the memo of this run: `entries` by file.
    pub fn save(
        output: &Path,
        entries: &[(std::path::PathBuf, Entry)],
    ) -> Result<(), crate::Error> {
        let saved = SavedRef {
            version: VERSION,
            entries: entries.iter().map(|(p, e)| (key(p), e)).collect(),
        };
        let bytes = serde_json::to_vec(&saved).expect("the memo serializes");
        crate::store::write_if_changed(&output.join(FILE), &bytes)
    }
}
