//! Stage 4: each distinct content compressed once per codec, with the
//! results cached in the [`BlobStore`] by content hash and settings, so a
//! rebuild compresses only new contents.

use std::collections::{BTreeMap, BTreeSet};

use crate::Error;
use crate::compress::{self, Codec};
use crate::parallel;
use crate::store::BlobStore;

/// A compressed variant stored as a blob.
#[derive(Debug, Clone)]
pub struct StoredVariant {
    pub codec: Codec,
    pub blob: String,
    pub size: u64,
}

/// What precompressing a set of contents gave.
#[derive(Debug, Default)]
pub struct Precompressed {
    /// The kept variants, by content hash and codec.
    pub kept: BTreeMap<(String, Codec), StoredVariant>,
    /// Every blob the results use (kept variants and skip markers).
    pub blobs: BTreeSet<String>,
    pub cache_hits: usize,
    /// Of the cache hits, those from the shared cache.
    pub shared_hits: usize,
    pub compressions: usize,
}

impl Precompressed {
    /// The kept variants of one content, in codec order.
    pub fn variants_of(&self, sha256: &str) -> Vec<StoredVariant> {
        Codec::ALL
            .iter()
            .filter_map(|codec| self.kept.get(&(sha256.to_owned(), *codec)).cloned())
            .collect()
    }
}

/// Compresses every content in `contents` (identity blobs named by their
/// SHA-256) with every codec, on all cores.
pub fn precompress(store: &BlobStore, contents: &BTreeSet<String>) -> Result<Precompressed, Error> {
    let jobs: Vec<(&String, Codec)> = contents
        .iter()
        .flat_map(|sha| Codec::ALL.map(|codec| (sha, codec)))
        .collect();
    let results = parallel::map(&jobs, |(sha, codec)| compress_cached(store, sha, *codec))?;
    let mut out = Precompressed::default();
    for ((sha, codec), result) in jobs.into_iter().zip(results) {
        if result.cached {
            out.cache_hits += 1;
            out.shared_hits += usize::from(result.shared);
        } else {
            out.compressions += 1;
        }
        out.blobs.insert(result.file.clone());
        if let Some(size) = result.kept_size {
            out.kept.insert(
                (sha.clone(), codec),
                StoredVariant {
                    codec,
                    blob: result.file,
                    size,
                },
            );
        }
    }
    if let Some(shared) = store.shared() {
        shared.trim();
    }
    Ok(out)
}

/// One cached result: from the store, the shared cache, or computed.
pub(crate) struct CacheResult {
    pub cached: bool,
    /// Found in the shared cache.
    pub shared: bool,
    /// The blob: the compressed bytes, or the skip marker.
    pub file: String,
    /// The compressed size, when worth keeping.
    pub kept_size: Option<u64>,
}

/// The blob `name` from the store, else from the cache every profile
/// shares, else computed by `compute` (`None`: not worth keeping, which a
/// `.skip` marker remembers) and stored in both.
pub(crate) fn cached(
    store: &BlobStore,
    name: &str,
    compute: impl FnOnce() -> Result<Option<Vec<u8>>, Error>,
) -> Result<CacheResult, Error> {
    let skip = format!("{name}.skip");
    let result = |cached, shared, file: &str, kept_size| CacheResult {
        cached,
        shared,
        file: file.to_owned(),
        kept_size,
    };
    if let Some(size) = store.size(name) {
        return Ok(result(true, false, name, Some(size)));
    }
    if store.path(&skip).is_file() {
        return Ok(result(true, false, &skip, None));
    }
    // Another profile or crate of this target directory computed it.
    if let Some(shared) = store.shared() {
        if let Some(compressed) = shared.get(name) {
            store.put(name, &compressed)?;
            return Ok(result(true, true, name, Some(compressed.len() as u64)));
        }
        if shared.get(&skip).is_some() {
            store.put(&skip, b"")?;
            return Ok(result(true, true, &skip, None));
        }
    }
    let (file, payload) = match compute()? {
        Some(bytes) => (name, bytes),
        None => (skip.as_str(), Vec::new()),
    };
    store.put(file, &payload)?;
    if let Some(shared) = store.shared() {
        shared.put(file, &payload);
    }
    let kept_size = (file == name).then_some(payload.len() as u64);
    Ok(result(false, false, file, kept_size))
}

/// One content in one codec: from the store, or compressed and stored.
fn compress_cached(store: &BlobStore, sha: &str, codec: Codec) -> Result<CacheResult, Error> {
    let name = format!("{sha}.{}", codec.cache_tag());
    cached(store, &name, || {
        let identity = store.read(sha)?;
        // A large input that a fast sample shows to be incompressible is
        // not given to brotli at quality 11 (minutes for a few hundred
        // megabytes).
        if !compress::looks_compressible(&identity) {
            return Ok(None);
        }
        let compressed = codec.compress(&identity);
        Ok(compress::worth_keeping(identity.len(), compressed.len()).then_some(compressed))
    })
}
