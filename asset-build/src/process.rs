//! Stages 3 and 4: fingerprint and precompress, with a cache in `OUT_DIR`.
//!
//! Blobs are content-addressed: `blobs/<sha256>` holds identity bytes and
//! `blobs/<sha256>.<codec tag>` the compressed bytes, where the tag names
//! every setting that shapes the output. A compression that was not worth
//! keeping leaves an empty `<...>.skip` marker. A rebuild finds both and
//! compresses only new contents; identical files share one blob.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use base64::Engine;
use sha2::{Digest, Sha256, Sha384};

use crate::compress::{self, Codec};
use crate::discover::Found;
use crate::{Error, content_type, naming, parallel};

/// One asset, ready to emit.
#[derive(Debug)]
pub struct ProcessedAsset {
    pub logical: String,
    pub hashed: String,
    pub url: String,
    pub logical_url: String,
    pub content_type: String,
    pub integrity: String,
    /// Full SHA-256 of the identity bytes, hex.
    pub sha256: String,
    pub size: u64,
    /// Kept compressed variants, in preference order (br, gzip).
    pub variants: Vec<StoredVariant>,
}

impl ProcessedAsset {
    /// The opaque part of the ETag: 128 bits of the content hash.
    pub fn etag_base(&self) -> &str {
        &self.sha256[..32]
    }
}

/// A compressed variant stored as a blob.
#[derive(Debug, Clone)]
pub struct StoredVariant {
    pub codec: Codec,
    pub blob: String,
    pub size: u64,
}

#[derive(Debug)]
pub struct Processed {
    pub assets: Vec<ProcessedAsset>,
    /// Every blob file name in use (identity, compressed and markers).
    pub blobs: BTreeSet<String>,
    pub cache_hits: usize,
    pub compressions: usize,
}

struct Fingerprint {
    sha256: String,
    integrity: String,
    size: u64,
}

pub fn blob_dir(output: &Path) -> PathBuf {
    output.join("blobs")
}

pub fn process(found: &Found, output: &Path, prefix: &str) -> Result<Processed, Error> {
    let blobs = blob_dir(output);
    fs::create_dir_all(&blobs).map_err(|source| Error::Write {
        path: blobs.clone(),
        source,
    })?;

    let sources: Vec<_> = found.sources.values().collect();
    let prints = parallel::map(&sources, |source| fingerprint(&source.path, &blobs))?;

    // Each distinct content is compressed once per codec, whatever its name.
    let mut jobs: BTreeSet<(String, Codec)> = BTreeSet::new();
    for (source, print) in sources.iter().zip(&prints) {
        if !content_type::is_precompressed(&source.logical) && print.size > 0 {
            for codec in Codec::ALL {
                jobs.insert((print.sha256.clone(), codec));
            }
        }
    }
    let jobs: Vec<(String, Codec)> = jobs.into_iter().collect();
    let outcomes = parallel::map(&jobs, |(sha, codec)| compress_cached(&blobs, sha, *codec))?;
    let mut cache_hits = 0;
    let mut compressions = 0;
    let mut used: BTreeSet<String> = BTreeSet::new();
    let mut kept: BTreeMap<(String, Codec), StoredVariant> = BTreeMap::new();
    for ((sha, codec), outcome) in jobs.iter().zip(outcomes) {
        if outcome.cached {
            cache_hits += 1;
        } else {
            compressions += 1;
        }
        used.insert(outcome.file.clone());
        if let Some(size) = outcome.kept_size {
            kept.insert(
                (sha.clone(), *codec),
                StoredVariant {
                    codec: *codec,
                    blob: outcome.file,
                    size,
                },
            );
        }
    }

    let mut assets = Vec::with_capacity(sources.len());
    // URL path -> file that claims it, to catch a hashed name that equals
    // another file's logical path.
    let mut claimed: BTreeMap<String, PathBuf> = sources
        .iter()
        .map(|s| (s.logical.clone(), s.path.clone()))
        .collect();
    for (source, print) in sources.iter().zip(prints) {
        let hashed = naming::hashed_path(&source.logical, &print.sha256[..naming::NAME_HASH_LEN]);
        if let Some(first) = claimed.insert(hashed.clone(), source.path.clone()) {
            return Err(Error::DuplicatePath {
                url_path: hashed,
                first,
                second: source.path.clone(),
            });
        }
        used.insert(print.sha256.clone());
        let variants = Codec::ALL
            .iter()
            .filter_map(|codec| kept.get(&(print.sha256.clone(), *codec)).cloned())
            .collect();
        assets.push(ProcessedAsset {
            url: naming::url(prefix, &hashed),
            logical_url: naming::url(prefix, &source.logical),
            content_type: content_type::content_type(&source.logical),
            logical: source.logical.clone(),
            hashed,
            integrity: print.integrity,
            sha256: print.sha256,
            size: print.size,
            variants,
        });
    }
    Ok(Processed {
        assets,
        blobs: used,
        cache_hits,
        compressions,
    })
}

fn fingerprint(path: &Path, blobs: &Path) -> Result<Fingerprint, Error> {
    let bytes = fs::read(path).map_err(|source| Error::Unreadable {
        path: path.to_path_buf(),
        source,
    })?;
    let sha256 = hex::encode(Sha256::digest(&bytes));
    let integrity = format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(Sha384::digest(&bytes))
    );
    write_blob(&blobs.join(&sha256), &bytes)?;
    Ok(Fingerprint {
        sha256,
        integrity,
        size: bytes.len() as u64,
    })
}

struct Outcome {
    cached: bool,
    file: String,
    kept_size: Option<u64>,
}

fn compress_cached(blobs: &Path, sha: &str, codec: Codec) -> Result<Outcome, Error> {
    let name = format!("{sha}.{}", codec.cache_tag());
    let skip = format!("{name}.skip");
    if let Ok(meta) = fs::metadata(blobs.join(&name)) {
        return Ok(Outcome {
            cached: true,
            file: name,
            kept_size: Some(meta.len()),
        });
    }
    if blobs.join(&skip).is_file() {
        return Ok(Outcome {
            cached: true,
            file: skip,
            kept_size: None,
        });
    }
    let identity_path = blobs.join(sha);
    let identity = fs::read(&identity_path).map_err(|source| Error::Unreadable {
        path: identity_path.clone(),
        source,
    })?;
    let compressed = codec.compress(&identity);
    if compress::worth_keeping(identity.len(), compressed.len()) {
        write_blob(&blobs.join(&name), &compressed)?;
        Ok(Outcome {
            cached: false,
            file: name,
            kept_size: Some(compressed.len() as u64),
        })
    } else {
        write_blob(&blobs.join(&skip), b"")?;
        Ok(Outcome {
            cached: false,
            file: skip,
            kept_size: None,
        })
    }
}

/// Writes a content-addressed file unless it is already there; the write
/// goes through a temporary file so a crash never leaves half a blob.
fn write_blob(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    if path.is_file() {
        return Ok(());
    }
    write_atomic(path, bytes)
}

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
