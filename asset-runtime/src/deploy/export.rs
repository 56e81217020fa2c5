//! Export of the embedded assets to a folder, for upload to object storage
//! or a CDN.
//!
//! [`Assets::export`] writes:
//!
//! | file | object metadata for the bucket |
//! |---|---|
//! | `<hashed path>` (`css/app.3f2a1b9c4d5e6f70.css`) | `Content-Type` of the asset, `Cache-Control: public, max-age=31536000, immutable` |
//! | `<hashed path>.br`, `.gz`, `.zst` (where stored) | the same, plus `Content-Encoding: br`, `gzip` or `zstd` |
//! | `<hashed path>.<dictionary SHA-256 in hex>.dcb`, `.dcz` (deltas, where stored) | the same, plus `Content-Encoding: dcb` or `dcz`; the edge adds `Vary: Accept-Encoding, Available-Dictionary` |
//! | `manifest.json` | what each logical path maps to, and the metadata above for every file under `objects` |
//!
//! The bytes are exactly those the server sends. Logical (unhashed) paths
//! are not exported: their contents change between releases, so they stay
//! with the app, which serves them with `Cache-Control: no-cache`. Object
//! stores do not negotiate `Accept-Encoding`; upload the identity files as
//! the objects the URLs name, and the precompressed siblings for servers
//! that pick them themselves (nginx `gzip_static`, a CDN's origin rules).
//! A delta is for a client whose `Available-Dictionary` names its
//! dictionary and whose `Accept-Encoding` lists its coding: the README's
//! "Delta updates" section has the edge rules that pick one
//! ([`asset_manifest::dictionary::delta_key`] is the layout).

use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use asset_manifest::manifest::{Manifest, ManifestAsset, ObjectMeta};
use asset_manifest::{Encoding, layout::MANIFEST_FILE};

use crate::Assets;

/// The `Cache-Control` every exported object should carry:
/// [`asset_manifest::IMMUTABLE`].
pub const EXPORT_CACHE_CONTROL: &str = asset_manifest::IMMUTABLE;

/// What [`Assets::export`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportReport {
    /// Every file written, relative to the folder, `manifest.json` last.
    pub files: Vec<String>,
    /// Their total size in bytes.
    pub bytes: u64,
}

/// Why an export failed.
pub struct ExportError {
    /// The file or folder that could not be written.
    pub path: PathBuf,
    /// What the OS said.
    pub source: io::Error,
}

impl fmt::Display for ExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot export assets to {}: {}",
            self.path.display(),
            self.source
        )
    }
}

/// The same sentence as `Display`, so that `.unwrap()` says what is wrong.
impl std::fmt::Debug for ExportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for ExportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

impl Assets {
    /// Writes every hashed file, its precompressed siblings and
    /// `manifest.json` under `dir` (created if needed). See the
    /// [module docs](crate::export) for the layout and the object metadata.
    ///
    /// ```no_run
    /// # asset_runtime::__example_assets!();
    /// # fn main() -> Result<(), asset_runtime::export::ExportError> {
    /// let report = ASSETS.export("dist/static")?;
    /// println!("{} files, {} bytes", report.files.len(), report.bytes);
    /// # Ok(())
    /// # }
    /// ```
    pub fn export(&self, dir: impl AsRef<Path>) -> Result<ExportReport, ExportError> {
        let dir = dir.as_ref();
        let mut report = ExportReport {
            files: Vec::new(),
            bytes: 0,
        };
        let manifest = self.export_manifest();
        for object in self.objects() {
            write_file(dir, &object.key, object.bytes)?;
            report.bytes += object.bytes.len() as u64;
            report.files.push(object.key);
        }
        let text = manifest.to_json();
        write_file(dir, MANIFEST_FILE, text.as_bytes())?;
        report.bytes += text.len() as u64;
        report.files.push(MANIFEST_FILE.to_owned());
        Ok(report)
    }

    /// The manifest an export writes: every logical path with its URL
    /// under the current prefix, and the object metadata of every file.
    pub fn export_manifest(&self) -> Manifest {
        let mut manifest = Manifest::new(self.url_prefix());
        for asset in self {
            manifest.assets.insert(
                asset.logical_path().to_owned(),
                ManifestAsset {
                    hashed_path: Some(asset.hashed_path().to_owned()),
                    url: self
                        .url(asset.logical_path())
                        .unwrap_or(asset.url())
                        .to_owned(),
                    integrity: Some(asset.integrity().to_owned()),
                    content_type: asset.content_type().to_owned(),
                    etag: Some(asset.identity().etag().to_owned()),
                    sizes: asset
                        .variants()
                        .iter()
                        .map(|v| (v.encoding().token().to_owned(), v.bytes().len() as u64))
                        .collect(),
                },
            );
        }
        manifest.objects = self
            .objects()
            .into_iter()
            .map(|object| (object.key, object.meta))
            .collect();
        manifest
    }

    /// Every file an export writes (and a publish uploads), but the
    /// manifest: each asset's stored bytes under its hashed path, then its
    /// precompressed siblings, then its deltas.
    pub(crate) fn objects(&self) -> Vec<Object> {
        let mut objects = Vec::new();
        for asset in self {
            for (i, variant) in asset.variants().iter().enumerate() {
                let content_encoding = (variant.encoding() != Encoding::Identity)
                    .then(|| variant.encoding().token().to_owned());
                objects.push(Object {
                    key: exported_name(asset.hashed_path(), variant.encoding(), i == 0),
                    meta: ObjectMeta {
                        content_type: asset.content_type().to_owned(),
                        cache_control: EXPORT_CACHE_CONTROL.to_owned(),
                        content_encoding,
                        etag: variant.etag().to_owned(),
                        size: variant.bytes().len() as u64,
                    },
                    bytes: variant.bytes(),
                    stored: i == 0,
                });
            }
            for delta in asset.deltas() {
                let dictionary = delta.dictionary().expect("a delta names its dictionary");
                objects.push(Object {
                    key: asset_manifest::dictionary::delta_key(
                        asset.hashed_path(),
                        delta.encoding(),
                        dictionary,
                    ),
                    meta: ObjectMeta {
                        content_type: asset.content_type().to_owned(),
                        cache_control: EXPORT_CACHE_CONTROL.to_owned(),
                        content_encoding: Some(delta.encoding().token().to_owned()),
                        etag: delta.etag().to_owned(),
                        size: delta.bytes().len() as u64,
                    },
                    bytes: delta.bytes(),
                    stored: false,
                });
            }
        }
        objects
    }
}

/// One exported file.
pub(crate) struct Object {
    /// Its path relative to the export folder (or publish prefix).
    pub key: String,
    /// The metadata its bucket object needs.
    pub meta: ObjectMeta,
    /// The bytes.
    pub bytes: &'static [u8],
    /// The asset's bytes as stored, under the hashed path itself (not a
    /// precompressed sibling).
    #[cfg_attr(not(feature = "publish"), allow(dead_code))]
    pub stored: bool,
}

/// The file an exported variant is written to: the hashed path for the
/// stored bytes (whatever their coding: a `.svgz` stays gzip at its own
/// name), with the encoding's extension for a precompressed sibling
/// (`app.<hash>.css.br`).
fn exported_name(hashed_path: &str, encoding: Encoding, stored: bool) -> String {
    match encoding.file_extension() {
        Some(ext) if !stored => format!("{hashed_path}.{ext}"),
        _ => hashed_path.to_owned(),
    }
}

/// `relative` (a `/`-separated path from the table or a release
/// manifest) under `dir`; `None` for one that could leave `dir` (an empty
/// part, `.`, `..` or a backslash). Table paths come from a folder walk,
/// but are refused all the same.
pub(crate) fn path_in(dir: &Path, relative: &str) -> Option<PathBuf> {
    let mut path = dir.to_path_buf();
    for part in relative.split('/') {
        if part.is_empty() || part == "." || part == ".." || part.contains('\\') {
            return None;
        }
        path.push(part);
    }
    Some(path)
}

/// Writes `relative` (a `/`-separated path from the table) under `dir`.
fn write_file(dir: &Path, relative: &str, bytes: &[u8]) -> Result<(), ExportError> {
    let path = path_in(dir, relative).ok_or_else(|| ExportError {
        path: dir.join(relative),
        source: io::Error::new(io::ErrorKind::InvalidInput, "path leaves the export folder"),
    })?;
    let parent = path.parent().unwrap_or(dir);
    fs::create_dir_all(parent).map_err(|source| ExportError {
        path: parent.to_path_buf(),
        source,
    })?;
    fs::write(&path, bytes).map_err(|source| ExportError { path, source })
}
