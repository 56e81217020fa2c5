//! Export of the embedded assets to a folder, for upload to object storage
//! or a CDN.
//!
//! [`Assets::export`] writes:
//!
//! | file | object metadata for the bucket |
//! |---|---|
//! | `<hashed path>` (`css/app.3f2a1b9c4d5e6f70.css`) | `Content-Type` of the asset, `Cache-Control: public, max-age=31536000, immutable` |
//! | `<hashed path>.br`, `.gz`, `.zst` (where stored) | the same, plus `Content-Encoding: br`, `gzip` or `zstd` |
//! | `manifest.json` | what each logical path maps to, and the metadata above for every file under `objects` |
//!
//! The bytes are exactly those the server sends. Logical (unhashed) paths
//! are not exported: their contents change between releases, so they stay
//! with the app, which serves them with `Cache-Control: no-cache`. Object
//! stores do not negotiate `Accept-Encoding`; upload the identity files as
//! the objects the URLs name, and the precompressed siblings for servers
//! that pick them themselves (nginx `gzip_static`, a CDN's origin rules).

use std::fmt::{self, Write as _};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::{Assets, Encoding};

/// The `Cache-Control` every exported object should carry.
pub const EXPORT_CACHE_CONTROL: &str = "public, max-age=31536000, immutable";

/// What [`Assets::export`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportReport {
    /// Every file written, relative to the folder, `manifest.json` last.
    pub files: Vec<String>,
    /// Their total size in bytes.
    pub bytes: u64,
}

/// Why an export failed.
#[derive(Debug)]
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
    /// ```ignore
    /// asset_runtime::include_assets!();
    /// let report = ASSETS.export("dist/static")?;
    /// println!("{} files, {} bytes", report.files.len(), report.bytes);
    /// ```
    pub fn export(&self, dir: impl AsRef<Path>) -> Result<ExportReport, ExportError> {
        let dir = dir.as_ref();
        let mut report = ExportReport {
            files: Vec::new(),
            bytes: 0,
        };
        let mut objects = String::new();
        let mut assets = String::new();
        for asset in self {
            let mut sizes = String::new();
            for variant in asset.variants {
                let file = match variant.encoding.file_extension() {
                    None => asset.hashed_path.to_owned(),
                    Some(ext) => format!("{}.{ext}", asset.hashed_path),
                };
                write_file(dir, &file, variant.bytes)?;
                report.bytes += variant.bytes.len() as u64;
                let encoding = match variant.encoding {
                    Encoding::Identity => "null".to_owned(),
                    other => json(other.token()),
                };
                let _ = write!(
                    objects,
                    "{}    {}: {{ \"content_type\": {}, \"cache_control\": {}, \"content_encoding\": {}, \"etag\": {}, \"size\": {} }}",
                    if objects.is_empty() { "" } else { ",\n" },
                    json(&file),
                    json(asset.content_type),
                    json(EXPORT_CACHE_CONTROL),
                    encoding,
                    json(variant.etag),
                    variant.bytes.len()
                );
                let _ = write!(
                    sizes,
                    "{}{}: {}",
                    if sizes.is_empty() { "" } else { ", " },
                    json(variant.encoding.token()),
                    variant.bytes.len()
                );
                report.files.push(file);
            }
            let _ = write!(
                assets,
                "{}    {}: {{ \"hashed_path\": {}, \"url\": {}, \"integrity\": {}, \"content_type\": {}, \"sizes\": {{ {sizes} }} }}",
                if assets.is_empty() { "" } else { ",\n" },
                json(asset.logical_path),
                json(asset.hashed_path),
                json(self.url(asset.logical_path).unwrap_or(asset.url)),
                json(asset.integrity),
                json(asset.content_type),
            );
        }
        let manifest = format!(
            "{{\n  \"version\": 1,\n  \"url_prefix\": {},\n  \"assets\": {{\n{assets}\n  }},\n  \"objects\": {{\n{objects}\n  }}\n}}\n",
            json(self.url_prefix())
        );
        write_file(dir, "manifest.json", manifest.as_bytes())?;
        report.bytes += manifest.len() as u64;
        report.files.push("manifest.json".to_owned());
        Ok(report)
    }
}

/// Writes `relative` (a `/`-separated path from the table) under `dir`.
fn write_file(dir: &Path, relative: &str, bytes: &[u8]) -> Result<(), ExportError> {
    let mut path = dir.to_path_buf();
    for part in relative.split('/') {
        // Table paths come from a folder walk; refuse anything that could
        // leave `dir` all the same.
        if part.is_empty() || part == "." || part == ".." || part.contains('\\') {
            return Err(ExportError {
                path: dir.join(relative),
                source: io::Error::new(
                    io::ErrorKind::InvalidInput,
                    "path leaves the export folder",
                ),
            });
        }
        path.push(part);
    }
    let parent = path.parent().unwrap_or(dir);
    fs::create_dir_all(parent).map_err(|source| ExportError {
        path: parent.to_path_buf(),
        source,
    })?;
    fs::write(&path, bytes).map_err(|source| ExportError { path, source })
}

/// A JSON string literal.
fn json(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::json;

    #[test]
    fn json_strings_are_escaped() {
        assert_eq!(json("css/app.css"), "\"css/app.css\"");
        assert_eq!(json("a\"b\\c\nd\u{1}"), "\"a\\\"b\\\\c\\nd\\u0001\"");
        assert_eq!(json("Ünï"), "\"Ünï\"");
    }
}
