//! Development mode: assets read from disk on every change, no rebuild.
//!
//! With `ASSET_DEV=1` in the environment of `cargo build` (or
//! `Pipeline::dev(true)`), `asset-build` compresses nothing and generates a
//! table that lists each file's path on disk instead of embedding it. This
//! module serves that table: each request reads the file's current
//! contents (re-read only when its size or modification time changed),
//! hashes them, and answers with `Cache-Control: no-cache`, so an edited
//! stylesheet shows on the next reload. [`Assets::url`](crate::Assets::url)
//! and the template helpers give hashed URLs of the current contents;
//! `asset!` gives the logical URL (it is fixed at compile time).
//!
//! Only the files listed at build time can be served (adding or removing
//! one reruns the build script at the next `cargo run`), so `..`,
//! percent-encoded dots, backslashes, NUL and absolute paths match no table
//! entry. The build records each file's real path (links resolved), and a
//! file is served only while its path still resolves there: a file that a
//! symbolic link led outside the folders at build time (a symlinked
//! `node_modules`) is served, as a release build embeds it, and a listed
//! path swapped for a link to anything else after the build is refused.
//! Memory for changed contents is not reclaimed: development mode is for
//! the edit loop, not for production.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;
use std::time::SystemTime;

use asset_manifest::{Fingerprint, fingerprint, naming};

use crate::{Asset, Encoding, Lookup, Variant};

/// A file of the asset folders, as listed by a development-mode table.
#[doc(hidden)]
#[derive(Debug)]
pub struct DevFile {
    pub logical_path: &'static str,
    pub path: &'static str,
    /// The media type, without parameters (the charset follows the bytes).
    pub content_type: &'static str,
    /// The logical URL under the build-time prefix, percent-encoded.
    pub logical_url: &'static str,
    /// Where the file really was when the build listed it (links resolved).
    pub real_path: &'static str,
}

/// The development-mode table: files sorted by logical path, and the
/// current contents read so far.
#[doc(hidden)]
#[derive(Debug)]
pub struct DevTable {
    files: &'static [DevFile],
    cache: Mutex<BTreeMap<&'static str, Cached>>,
}

/// A file's contents as last read, and the size and modification time
/// they were read at.
#[derive(Debug, Clone, Copy)]
struct Cached {
    stamp: (u64, Option<SystemTime>),
    asset: &'static Asset,
}

impl DevTable {
    /// `roots` (the asset folders, as the generated code lists them) are
    /// not needed: each file's own real path decides.
    #[doc(hidden)]
    pub const fn new(files: &'static [DevFile], roots: &'static [&'static str]) -> Self {
        let _ = roots;
        DevTable {
            files,
            cache: Mutex::new(BTreeMap::new()),
        }
    }

    fn file(&self, logical: &str) -> Option<&'static DevFile> {
        let files: &'static [DevFile] = self.files;
        files
            .binary_search_by(|f| f.logical_path.cmp(logical))
            .ok()
            .map(|i| &files[i])
    }

    /// A logical or hashed path. Any hash names the current contents.
    pub(crate) fn lookup(&self, path: &str, prefix: &str, build_prefix: &str) -> Option<Lookup> {
        if let Some(file) = self.file(path) {
            return self.load(file, prefix, build_prefix).map(Lookup::Logical);
        }
        let (logical, _hash) = naming::split_hashed(path)?;
        let file = self.file(&logical)?;
        self.load(file, prefix, build_prefix).map(Lookup::Hashed)
    }

    pub(crate) fn get(
        &self,
        logical: &str,
        prefix: &str,
        build_prefix: &str,
    ) -> Option<&'static Asset> {
        self.load(self.file(logical)?, prefix, build_prefix)
    }

    pub(crate) fn all(&self, prefix: &str, build_prefix: &str) -> Vec<&'static Asset> {
        self.files
            .iter()
            .filter_map(|f| self.load(f, prefix, build_prefix))
            .collect()
    }

    pub(crate) fn len(&self) -> usize {
        self.files.len()
    }

    /// The file's current contents as an asset, or `None` if it is gone,
    /// unreadable, or no longer resolves to the real path the build listed.
    fn load(
        &self,
        file: &'static DevFile,
        prefix: &str,
        build_prefix: &str,
    ) -> Option<&'static Asset> {
        // The file the build listed, wherever its links led then (as a
        // release build embeds it); never a path swapped for a link to
        // anything else after the build.
        let real = std::fs::canonicalize(file.path).ok()?;
        if real != Path::new(file.real_path) {
            return None;
        }
        let meta = std::fs::metadata(&real).ok()?;
        if !meta.is_file() {
            return None;
        }
        let stamp = (meta.len(), meta.modified().ok());
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(hit) = cache.get(file.logical_path) {
            if hit.stamp == stamp && hit.asset.url().starts_with(prefix) {
                return Some(hit.asset);
            }
        }
        let bytes = std::fs::read(&real).ok()?;
        let asset = leak_asset(file, bytes, prefix, build_prefix);
        cache.insert(file.logical_path, Cached { stamp, asset });
        Some(asset)
    }
}

fn leak(text: String) -> &'static str {
    Box::leak(text.into_boxed_str())
}

fn leak_asset(
    file: &'static DevFile,
    bytes: Vec<u8>,
    prefix: &str,
    build_prefix: &str,
) -> &'static Asset {
    let print = Fingerprint::of(&bytes);
    let integrity = fingerprint::integrity(&bytes);
    let encoded_logical = file
        .logical_url
        .strip_prefix(build_prefix)
        .unwrap_or(file.logical_path);
    let hash = print.name_hash();
    let hashed_path = naming::hashed_path(file.logical_path, hash);
    let url = format!("{prefix}{}", naming::hashed_path(encoded_logical, hash));
    // The same rules as a release build: the coding of the stored bytes
    // (gzip for `.svgz`) and the charset their bytes allow.
    let stored = asset_manifest::text::stored_encoding(file.logical_path);
    let content_type = if stored == Encoding::Identity {
        asset_manifest::text::content_type(file.content_type, &bytes)
    } else {
        file.content_type.to_owned()
    };
    let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
    let variants = Box::leak(Box::new([Variant::__new(
        stored,
        leak(print.etag(stored)),
        bytes,
        leak(bytes.len().to_string()),
    )]));
    Box::leak(Box::new(Asset::__new(
        file.logical_path,
        leak(hashed_path),
        leak(url),
        file.logical_url,
        leak(content_type),
        leak(integrity),
        variants,
    )))
}
