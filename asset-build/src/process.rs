//! Stages 2 to 4: read and rewrite (through `rewrite` and `graph`),
//! fingerprint, and precompress, with a cache in `OUT_DIR`.
//!
//! Order: every file is read; CSS, JavaScript and source maps are scanned
//! for references; the graph stage resolves them, names every file and
//! writes the rewritten bytes; only then are the served bytes fingerprinted
//! (ETag, SRI, blob name) and compressed. Nothing is hashed or compressed
//! before its final bytes are known.
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
use crate::discover::{Found, Source};
use crate::glob::GlobSet;
use crate::graph::{self, Node};
use crate::rewrite::{self, Reference, ScanOptions};
use crate::{Error, content_type, naming, parallel};

/// The settings the processing stages need.
#[derive(Debug)]
pub struct Settings {
    /// The normalised URL prefix.
    pub prefix: String,
    /// Which references to look for.
    pub scan: ScanOptions,
    /// Files that keep their names.
    pub keep_names: GlobSet,
    /// Missing references that only warn.
    pub allow_missing: GlobSet,
}

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
    /// How many references to other assets were rewritten in it.
    pub references: usize,
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
    /// Missing references allowed by a pattern, one line each.
    pub warnings: Vec<String>,
}

struct Fingerprint {
    digest: [u8; 32],
    sha256: String,
    integrity: String,
    size: u64,
}

pub fn blob_dir(output: &Path) -> PathBuf {
    output.join("blobs")
}

pub fn process(found: &Found, output: &Path, settings: &Settings) -> Result<Processed, Error> {
    let blobs = blob_dir(output);
    fs::create_dir_all(&blobs).map_err(|source| Error::Write {
        path: blobs.clone(),
        source,
    })?;

    let sources: Vec<_> = found.sources.values().collect();
    let loaded = parallel::map(&sources, |source| load(source, &blobs, settings.scan))?;

    let nodes: Vec<Node<'_>> = sources
        .iter()
        .zip(&loaded)
        .map(|(source, l)| Node {
            logical: &source.logical,
            path: &source.path,
            digest: l.digest,
            bytes: &l.bytes,
            refs: &l.refs,
            keep_name: settings.keep_names.is_match(&source.logical),
        })
        .collect();
    let prefix_path = rewrite::url::prefix_path(&settings.prefix);
    let linked = graph::link(&nodes, prefix_path, &settings.allow_missing)?;

    // Fingerprint the served bytes of the files that were held back.
    let pending: Vec<usize> = (0..loaded.len())
        .filter(|&i| loaded[i].print.is_none())
        .collect();
    let late = parallel::map(&pending, |&i| {
        let bytes = linked.rewritten[i].as_deref().unwrap_or(&loaded[i].bytes);
        fingerprint(bytes, &blobs)
    })?;
    let mut late = pending.into_iter().zip(late).collect::<BTreeMap<_, _>>();
    let prints: Vec<Fingerprint> = loaded
        .into_iter()
        .enumerate()
        .map(|(i, l)| match l.print {
            Some(print) => print,
            None => late
                .remove(&i)
                .expect("every held-back file was fingerprinted"),
        })
        .collect();

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
    for (i, (source, print)) in sources.iter().zip(prints).enumerate() {
        let hashed = linked.hashed[i].clone();
        // A kept name is its own logical path, already claimed.
        if hashed != source.logical {
            if let Some(first) = claimed.insert(hashed.clone(), source.path.clone()) {
                return Err(Error::DuplicatePath {
                    url_path: hashed,
                    first,
                    second: source.path.clone(),
                });
            }
        }
        used.insert(print.sha256.clone());
        let variants = Codec::ALL
            .iter()
            .filter_map(|codec| kept.get(&(print.sha256.clone(), *codec)).cloned())
            .collect();
        assets.push(ProcessedAsset {
            url: naming::url(&settings.prefix, &hashed),
            logical_url: naming::url(&settings.prefix, &source.logical),
            content_type: content_type::content_type(&source.logical),
            logical: source.logical.clone(),
            hashed,
            integrity: print.integrity,
            sha256: print.sha256,
            size: print.size,
            variants,
            references: linked.rewrite_counts[i],
        });
    }
    Ok(Processed {
        assets,
        blobs: used,
        cache_hits,
        compressions,
        warnings: linked.warnings,
    })
}

/// A file as read: its digest, and for a file with references, its bytes
/// and references (fingerprinted once rewritten). Any other file is
/// fingerprinted and stored at once, and its bytes dropped.
struct Loaded {
    digest: [u8; 32],
    bytes: Vec<u8>,
    refs: Vec<Reference>,
    print: Option<Fingerprint>,
}

fn load(source: &Source, blobs: &Path, scan: ScanOptions) -> Result<Loaded, Error> {
    let bytes = fs::read(&source.path).map_err(|err| Error::Unreadable {
        path: source.path.clone(),
        source: err,
    })?;
    let refs = if rewrite::is_scanned(&source.logical) {
        rewrite::scan(&source.logical, &bytes, scan)
    } else {
        Vec::new()
    };
    if refs.is_empty() {
        let print = fingerprint(&bytes, blobs)?;
        return Ok(Loaded {
            digest: print.digest,
            bytes: Vec::new(),
            refs,
            print: Some(print),
        });
    }
    Ok(Loaded {
        digest: Sha256::digest(&bytes).into(),
        bytes,
        refs,
        print: None,
    })
}

/// Hashes the served bytes (ETag, SRI, blob name) and stores them.
fn fingerprint(bytes: &[u8], blobs: &Path) -> Result<Fingerprint, Error> {
    let digest: [u8; 32] = Sha256::digest(bytes).into();
    let sha256 = hex::encode(digest);
    let integrity = format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(Sha384::digest(bytes))
    );
    write_blob(&blobs.join(&sha256), bytes)?;
    Ok(Fingerprint {
        digest,
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
