//! Stages 2 to 4, in order: read and scan, resolve and name (`graph`),
//! fingerprint, precompress; then the check that no two files claim one
//! URL path.
//!
//! Every file is read; CSS, JavaScript and source maps are scanned for
//! references; the graph stage resolves them, names every file and writes
//! the rewritten bytes; only then are the served bytes fingerprinted (ETag,
//! SRI, blob name) and compressed. Nothing is hashed or compressed before
//! its final bytes are known.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::PathBuf;

use asset_manifest::{Fingerprint, fingerprint, prefix};

use crate::discover::{Found, Source};
use crate::glob::GlobSet;
use crate::graph::{self, Node};
use crate::precompress::{self, StoredVariant};
use crate::rewrite::{self, Reference, ScanOptions};
use crate::store::BlobStore;
use crate::{Error, content_type, parallel};

/// The settings the stages need.
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
pub struct BuiltAsset {
    pub logical: String,
    pub hashed: String,
    pub url: String,
    pub logical_url: String,
    pub content_type: String,
    /// The coding of the stored bytes: gzip for `.svgz`, else identity.
    pub stored_encoding: asset_manifest::Encoding,
    pub integrity: String,
    /// The fingerprint of the stored bytes (the served bytes).
    pub print: Fingerprint,
    pub size: u64,
    /// Kept compressed variants, in preference order (br, zstd, gzip).
    pub variants: Vec<StoredVariant>,
    /// How many references to other assets were rewritten in it.
    pub references: usize,
}

/// Every asset, and what the build used and did.
#[derive(Debug)]
pub struct Built {
    pub assets: Vec<BuiltAsset>,
    /// Every blob file name in use (identity, compressed and markers).
    pub blobs: BTreeSet<String>,
    pub cache_hits: usize,
    pub shared_hits: usize,
    pub compressions: usize,
    /// Missing references allowed by a pattern, one line each.
    pub warnings: Vec<String>,
}

/// The served bytes' fingerprint and type, once stored.
struct Stored {
    print: Fingerprint,
    integrity: String,
    size: u64,
    content_type: String,
}

pub fn run(found: &Found, store: &BlobStore, settings: &Settings) -> Result<Built, Error> {
    let sources: Vec<_> = found.sources.values().collect();
    let read = parallel::map(&sources, |source| read(source, store, settings.scan))?;

    let nodes: Vec<Node<'_>> = sources
        .iter()
        .zip(&read)
        .map(|(source, r)| Node {
            logical: &source.logical,
            path: &source.path,
            digest: r.digest,
            bytes: &r.bytes,
            refs: &r.refs,
            keep_name: settings.keep_names.is_match(&source.logical),
        })
        .collect();
    let prefix_path = rewrite::url::prefix_path(&settings.prefix);
    let named = graph::name(&nodes, prefix_path, &settings.allow_missing)?;

    // Fingerprint the served bytes of the files that were held back.
    let pending: Vec<usize> = (0..read.len())
        .filter(|&i| read[i].stored.is_none())
        .collect();
    let late = parallel::map(&pending, |&i| {
        let bytes = named.rewritten[i].as_deref().unwrap_or(&read[i].bytes);
        store_bytes(bytes, store, &sources[i].logical)
    })?;
    let mut late = pending.into_iter().zip(late).collect::<BTreeMap<_, _>>();
    let stored: Vec<Stored> = read
        .into_iter()
        .enumerate()
        .map(|(i, r)| match r.stored {
            Some(stored) => stored,
            None => late
                .remove(&i)
                .expect("every held-back file was fingerprinted"),
        })
        .collect();

    // Each distinct content is compressed once per codec, whatever its name.
    let contents: BTreeSet<String> = sources
        .iter()
        .zip(&stored)
        .filter(|(source, s)| !content_type::is_precompressed(&source.logical) && s.size > 0)
        .map(|(_, s)| s.print.hex().to_owned())
        .collect();
    let compressed = precompress::precompress(store, &contents)?;

    let mut blobs = compressed.blobs.clone();
    let mut assets = Vec::with_capacity(sources.len());
    for (i, (source, s)) in sources.iter().zip(stored).enumerate() {
        let hashed = named.served_paths[i].clone();
        blobs.insert(s.print.hex().to_owned());
        assets.push(BuiltAsset {
            url: prefix::url(&settings.prefix, &hashed),
            logical_url: prefix::url(&settings.prefix, &source.logical),
            content_type: s.content_type,
            stored_encoding: asset_manifest::text::stored_encoding(&source.logical),
            logical: source.logical.clone(),
            hashed,
            integrity: s.integrity,
            variants: compressed.variants_of(s.print.hex()),
            print: s.print,
            size: s.size,
            references: named.rewrite_counts[i],
        });
    }
    check_unique_paths(&sources, &assets)?;
    Ok(Built {
        assets,
        blobs,
        cache_hits: compressed.cache_hits,
        shared_hits: compressed.shared_hits,
        compressions: compressed.compressions,
        warnings: named
            .warnings
            .into_iter()
            .chain(precompress::slow_brotli_warning(
                compressed.brotli_bytes,
                compressed.brotli_nanos,
            ))
            .collect(),
    })
}

/// No hashed name may equal another file's logical path (or another
/// hashed name): each URL path names one file.
fn check_unique_paths(sources: &[&Source], assets: &[BuiltAsset]) -> Result<(), Error> {
    let mut claimed: BTreeMap<&str, &PathBuf> = sources
        .iter()
        .map(|s| (s.logical.as_str(), &s.path))
        .collect();
    for (source, asset) in sources.iter().zip(assets) {
        // A kept name is its own logical path, already claimed.
        if asset.hashed != source.logical {
            if let Some(first) = claimed.insert(&asset.hashed, &source.path) {
                return Err(Error::DuplicatePath {
                    url_path: asset.hashed.clone(),
                    first: first.clone(),
                    second: source.path.clone(),
                });
            }
        }
    }
    Ok(())
}

/// A file as read: its digest, and for a file with references, its bytes
/// and references (fingerprinted once rewritten). Any other file is
/// fingerprinted and stored at once, and its bytes dropped.
struct ReadFile {
    digest: [u8; 32],
    bytes: Vec<u8>,
    refs: Vec<Reference>,
    stored: Option<Stored>,
}

fn read(source: &Source, store: &BlobStore, scan: ScanOptions) -> Result<ReadFile, Error> {
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
        let stored = store_bytes(&bytes, store, &source.logical)?;
        return Ok(ReadFile {
            digest: *stored.print.digest(),
            bytes: Vec::new(),
            refs,
            stored: Some(stored),
        });
    }
    Ok(ReadFile {
        digest: *Fingerprint::of(&bytes).digest(),
        bytes,
        refs,
        stored: None,
    })
}

/// Fingerprints the served bytes (ETag, SRI, blob name), decides their
/// `Content-Type` (the charset from the bytes), and stores them.
fn store_bytes(bytes: &[u8], store: &BlobStore, logical: &str) -> Result<Stored, Error> {
    let print = Fingerprint::of(bytes);
    store.put(print.hex(), bytes)?;
    Ok(Stored {
        content_type: content_type::content_type(logical, bytes),
        integrity: fingerprint::integrity(bytes),
        print,
        size: bytes.len() as u64,
    })
}
