//! Stage 4: each distinct content compressed once per codec, with the
//! results cached in the [`BlobStore`] by content hash and settings, so a
//! rebuild compresses only new contents.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

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
    /// Bytes given to brotli in this run, and the time it took (summed
    /// over threads), to tell an unoptimised build script
    /// ([`slow_brotli_warning`]).
    pub brotli_bytes: u64,
    pub brotli_nanos: u64,
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
    let (brotli_bytes, brotli_nanos) = (AtomicU64::new(0), AtomicU64::new(0));
    let timing = Timing {
        bytes: &brotli_bytes,
        nanos: &brotli_nanos,
    };
    let results = parallel::map(&jobs, |(sha, codec)| {
        compress_cached(store, sha, *codec, &timing)
    })?;
    let mut out = Precompressed {
        brotli_bytes: brotli_bytes.into_inner(),
        brotli_nanos: brotli_nanos.into_inner(),
        ..Precompressed::default()
    };
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

/// Below this much brotli input in one run, no speed is judged.
const JUDGE_FROM_BYTES: u64 = 1024 * 1024;
/// Below this much brotli time (summed over threads), nothing is worth a
/// warning.
const JUDGE_FROM_SECS: f64 = 3.0;
/// Brotli at quality 11 compressed Bootstrap's `dist/` at about 0.95 MB/s
/// per thread with asset-build, brotli and libdeflate-sys optimised, 0.4
/// MB/s with brotli and libdeflate-sys alone (brotli's generic code is
/// compiled in asset-build), 0.2 MB/s with neither (BENCHMARKS.md, "Build
/// profiles"). Under this rate, the build script is taken to be
/// unoptimised.
const SLOW_MB_PER_S: f64 = 0.5;
/// The rate with the lines the warning gives, for its estimate.
const OPTIMISED_MB_PER_S: f64 = 0.95;

/// The lines the warning asks for: the fastest cold build measured.
pub const PROFILE_LINES: [&str; 6] = [
    "[profile.dev.package.asset-build] opt-level = 3",
    "[profile.dev.package.brotli] opt-level = 3",
    "[profile.dev.package.libdeflate-sys] opt-level = 3",
    "[profile.release.package.asset-build] opt-level = 3",
    "[profile.release.package.brotli] opt-level = 3",
    "[profile.release.package.libdeflate-sys] opt-level = 3",
];

/// The `cargo::warning`s for a build script whose brotli ran slowly enough
/// to be unoptimised: what was measured, then the lines that fix it (each
/// `[section] key = value` goes on two lines of `Cargo.toml`).
pub fn slow_brotli_warning(bytes: u64, nanos: u64) -> Vec<String> {
    let secs = nanos as f64 / 1e9;
    let mb = bytes as f64 / 1e6;
    if bytes < JUDGE_FROM_BYTES || secs < JUDGE_FROM_SECS || mb / secs >= SLOW_MB_PER_S {
        return Vec::new();
    }
    let saved = secs - mb / OPTIMISED_MB_PER_S;
    let mut lines = vec![format!(
        "brotli compressed {mb:.1} MB at {rate:.2} MB/s ({secs:.1} s of CPU): the build script \
         runs unoptimised. These lines in the workspace's Cargo.toml make it about \
         {factor:.1}x faster (about {saved:.0} s of CPU less for this build; each `[section]` \
         then `opt-level = 3` on its own line):",
        rate = mb / secs,
        factor = OPTIMISED_MB_PER_S / (mb / secs),
    )];
    lines.extend(PROFILE_LINES.iter().map(|line| format!("  {line}")));
    lines
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

/// Where brotli's work is counted.
struct Timing<'a> {
    bytes: &'a AtomicU64,
    nanos: &'a AtomicU64,
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
fn compress_cached(
    store: &BlobStore,
    sha: &str,
    codec: Codec,
    timing: &Timing,
) -> Result<CacheResult, Error> {
    let name = format!("{sha}.{}", codec.cache_tag());
    cached(store, &name, || {
        let identity = store.read(sha)?;
        // A large input that a fast sample shows to be incompressible is
        // not given to brotli at quality 11 (minutes for a few hundred
        // megabytes).
        if !compress::looks_compressible(&identity) {
            return Ok(None);
        }
        let start = Instant::now();
        let compressed = codec.compress(&identity);
        if codec == Codec::Brotli {
            let nanos = start.elapsed().as_nanos().min(u128::from(u64::MAX)) as u64;
            timing
                .bytes
                .fetch_add(identity.len() as u64, Ordering::Relaxed);
            timing.nanos.fetch_add(nanos, Ordering::Relaxed);
        }
        Ok(compress::worth_keeping(identity.len(), compressed.len()).then_some(compressed))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_slow_brotli_on_sizeable_work_is_reported() {
        let mb = 1_000_000;
        let s = 1_000_000_000;
        // 8 MB in 40 s: 0.2 MB/s, unoptimised.
        let warning = slow_brotli_warning(8 * mb, 40 * s);
        assert!(warning[0].contains("8.0 MB at 0.20 MB/s"), "{warning:?}");
        assert!(warning[0].contains("4.7x faster"), "{warning:?}");
        assert_eq!(warning.len(), 1 + PROFILE_LINES.len());
        assert!(
            warning
                .iter()
                .any(|l| l.contains("[profile.release.package.asset-build]"))
        );
        // Optimised speed, too little work, or too little time: nothing.
        assert!(slow_brotli_warning(8 * mb, 9 * s).is_empty());
        assert!(slow_brotli_warning(mb / 2, 40 * s).is_empty());
        assert!(slow_brotli_warning(8 * mb, 2 * s).is_empty());
    }
}
