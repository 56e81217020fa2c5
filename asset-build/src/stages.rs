//! Stages 2 to 4, in order: read and scan, resolve and name (`graph`),
//! fingerprint, precompress; then the check that no two files claim one
//! URL path.
//!
//! Every file is read, unless the memo of the last run says it has not
//! changed and needs no rewriting (`memo`); CSS, JavaScript and source maps are scanned for
//! references; the graph stage resolves them, names every file and writes
//! the rewritten bytes; only then are the served bytes fingerprinted (ETag,
//! SRI, blob name) and compressed. Nothing is hashed or compressed before
//! its final bytes are known.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::PathBuf;

use asset_manifest::{Fingerprint, prefix};

use crate::delta::{self, StoredDelta};
use crate::discover::{Found, Source};
use crate::glob::GlobSet;
use crate::graph::{self, Node};
use crate::memo::{self, Memo, Stored};
use crate::precompress::{self, StoredVariant};
use crate::rewrite::{self, Reference, ScanOptions};
use crate::store::BlobStore;
use crate::{Error, content_type, hash, parallel};

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
    /// Which files offer dictionaries, and the earlier versions to make
    /// deltas against.
    pub dictionaries: Dictionaries,
}

/// The delta settings (RFC 9842).
#[derive(Debug, Default)]
pub struct Dictionaries {
    /// Whether any file offers itself as a dictionary.
    pub on: bool,
    /// Only the files these match, when there are any.
    pub only: Option<GlobSet>,
    /// Earlier versions by logical path, in order of preference.
    pub earlier: Vec<(String, delta::Dictionary)>,
    /// How many earlier versions of each file.
    pub depth: usize,
}

impl Dictionaries {
    /// Whether `logical` offers itself as a dictionary: a text type, and
    /// one the settings name.
    pub fn offers(&self, logical: &str) -> bool {
        self.on
            && content_type::offers_dictionary(logical)
            && self.only.as_ref().is_none_or(|g| g.is_match(logical))
    }
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
    /// The `Use-As-Dictionary` value of its hashed responses.
    pub use_as_dictionary: Option<String>,
    /// Kept deltas against earlier versions.
    pub deltas: Vec<StoredDelta>,
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
    /// The memo entries of this run's files, by path on disk.
    pub remembered: Vec<(PathBuf, memo::Entry)>,
    /// How many files the memo spared reading.
    pub unread: usize,
    /// Missing references allowed by a pattern, one line each.
    pub warnings: Vec<String>,
}

/// Runs the stages on what `found` lists; `memo` says which files need
/// not be read again.
pub fn run(
    found: &Found,
    store: &BlobStore,
    settings: &Settings,
    memo: &Memo,
) -> Result<Built, Error> {
    let sources: Vec<_> = found.sources.values().collect();
    // The scanner settings are part of what a memo entry was read under.
    let scan_key = format!("{:?}", settings.scan);
    let mut read = parallel::map(&sources, |source| {
        read(source, store, settings.scan, &scan_key, memo)
    })?;
    let unread = read.iter().filter(|r| r.unread).count();
    let remembered = sources
        .iter()
        .zip(&mut read)
        .filter_map(|(source, r)| Some((source.path.clone(), r.entry.take()?)))
        .collect();

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
            use_as_dictionary: None,
            deltas: Vec::new(),
            print: s.print,
            size: s.size,
            references: named.rewrite_counts[i],
        });
    }
    check_unique_paths(&sources, &assets)?;
    let mut warnings: Vec<String> = named.warnings;
    let deltas = add_deltas(&mut assets, store, settings, &mut warnings)?;
    blobs.extend(deltas.blobs);
    Ok(Built {
        assets,
        blobs,
        remembered,
        unread,
        cache_hits: compressed.cache_hits + deltas.cache_hits,
        shared_hits: compressed.shared_hits,
        compressions: compressed.compressions + deltas.compressions,
        warnings,
    })
}

/// Offers each text asset with a hashed name as a dictionary, and stores
/// its deltas against the earlier versions of its logical path.
fn add_deltas(
    assets: &mut [BuiltAsset],
    store: &BlobStore,
    settings: &Settings,
    warnings: &mut Vec<String>,
) -> Result<delta::Deltas, Error> {
    let d = &settings.dictionaries;
    for a in assets.iter_mut() {
        if a.hashed != a.logical && a.size > 0 && d.offers(&a.logical) {
            a.use_as_dictionary =
                asset_manifest::dictionary::use_as_dictionary(&settings.prefix, &a.hashed);
        }
    }
    let current = assets
        .iter()
        .filter(|a| a.use_as_dictionary.is_some())
        .map(|a| (a.logical.clone(), *a.print.digest()))
        .collect();
    let mut by_path = delta::candidates(&current, d.earlier.iter().cloned(), d.depth);
    let mut targets = Vec::new();
    let mut requests = Vec::new();
    for (i, a) in assets.iter().enumerate() {
        let Some(dictionaries) = by_path.remove(&a.logical) else {
            continue;
        };
        let br_len = a
            .variants
            .iter()
            .find(|v| v.codec == crate::compress::Codec::Brotli)
            .map_or(a.size, |v| v.size);
        targets.push(i);
        requests.push(delta::Request {
            sha: a.print.hex(),
            len: a.size,
            br_len,
            dictionaries,
        });
    }
    let mut deltas = delta::deltas(store, &requests)?;
    for (i, codec, dictionary_len) in &deltas.too_large {
        let a = &assets[targets[*i]];
        warnings.push(format!(
            "no {} delta for `{}`: the file ({} bytes) and its earlier version ({dictionary_len} bytes) pass the coding's window",
            codec.encoding().token(),
            a.logical,
            a.size
        ));
    }
    for (i, kept) in targets.into_iter().zip(std::mem::take(&mut deltas.kept)) {
        assets[i].deltas = kept;
    }
    Ok(deltas)
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
    /// What the next run may skip reading by (files without references).
    entry: Option<memo::Entry>,
    /// Taken from the memo, not read.
    unread: bool,
}

fn read(
    source: &Source,
    store: &BlobStore,
    scan: ScanOptions,
    scan_key: &str,
    memo: &Memo,
) -> Result<ReadFile, Error> {
    if let Some((stored, entry)) = memo.lookup(source, scan_key, store) {
        return Ok(ReadFile {
            digest: *stored.print.digest(),
            bytes: Vec::new(),
            refs: Vec::new(),
            stored: Some(stored),
            entry: Some(entry),
            unread: true,
        });
    }
    let before = Memo::before_reading(&source.path);
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
            entry: Memo::entry(source, scan_key, before, &stored),
            stored: Some(stored),
            unread: false,
        });
    }
    Ok(ReadFile {
        digest: hash::sha256(&bytes),
        bytes,
        refs,
        stored: None,
        entry: None,
        unread: false,
    })
}

/// Fingerprints the served bytes (ETag, SRI, blob name), decides their
/// `Content-Type` (the charset from the bytes), and stores them.
fn store_bytes(bytes: &[u8], store: &BlobStore, logical: &str) -> Result<Stored, Error> {
    let print = hash::fingerprint(bytes);
    store.put(print.hex(), bytes)?;
    Ok(Stored {
        content_type: content_type::content_type(logical, bytes),
        integrity: hash::integrity(bytes),
        print,
        size: bytes.len() as u64,
    })
}
