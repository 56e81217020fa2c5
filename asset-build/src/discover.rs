//! Stage 1: find the files of the asset folders.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::Error;

/// A file found in an asset folder.
#[derive(Debug, Clone)]
pub struct Source {
    /// The path inside its folder, `/`-separated: `css/app.css`.
    pub logical: String,
    /// Where the file is on disk.
    pub path: PathBuf,
}

/// What a walk found: the files, and every folder and file to watch for
/// changes.
#[derive(Debug, Default)]
pub struct Found {
    /// By logical path.
    pub sources: BTreeMap<String, Source>,
    /// Folders to watch, so that added and removed files rebuild.
    pub folders: Vec<PathBuf>,
}

impl Found {
    /// Every folder and file the crate must be rebuilt for.
    pub fn watched(&self) -> Vec<PathBuf> {
        let mut watched = self.folders.clone();
        watched.extend(self.sources.values().map(|s| s.path.clone()));
        watched
    }
}

/// Names skipped unless hidden files are included: OS and editor junk.
const JUNK: &[&str] = &["Thumbs.db", "ehthumbs.db", "desktop.ini", "Desktop.ini"];

fn is_skipped(name: &str, include_hidden: bool) -> bool {
    !include_hidden && (name.starts_with('.') || JUNK.contains(&name) || name.ends_with('~'))
}

/// Walks each folder, following symbolic links. Logical paths of all folders
/// share one namespace: the same path in two folders is an error.
pub fn walk(roots: &[PathBuf], include_hidden: bool) -> Result<Found, Error> {
    let mut found = Found::default();
    for root in roots {
        let meta = std::fs::metadata(root).map_err(|source| {
            if source.kind() == std::io::ErrorKind::NotFound {
                Error::MissingFolder(root.clone())
            } else {
                Error::Unreadable {
                    path: root.clone(),
                    source,
                }
            }
        })?;
        if !meta.is_dir() {
            return Err(Error::NotAFolder(root.clone()));
        }
        walk_one(root, include_hidden, &mut found)?;
    }
    Ok(found)
}

fn walk_one(root: &Path, include_hidden: bool, found: &mut Found) -> Result<(), Error> {
    let walker = walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0
                || !e
                    .file_name()
                    .to_str()
                    .is_some_and(|n| is_skipped(n, include_hidden))
        });
    for entry in walker {
        let entry = entry.map_err(|err| walk_error(root, err))?;
        let path = entry.path();
        let name_ok = entry.depth() == 0 || entry.file_name().to_str().is_some();
        if !name_ok {
            return Err(Error::NonUtf8Name(path.to_path_buf()));
        }
        let kind = entry.file_type();
        if kind.is_dir() {
            found.folders.push(path.to_path_buf());
            continue;
        }
        if !kind.is_file() {
            return Err(Error::NotAFile(path.to_path_buf()));
        }
        let logical = logical_path(root, path)?;
        let source = Source {
            logical: logical.clone(),
            path: path.to_path_buf(),
        };
        if let Some(first) = found.sources.insert(logical.clone(), source) {
            return Err(Error::DuplicatePath {
                url_path: logical,
                first: first.path,
                second: path.to_path_buf(),
            });
        }
    }
    Ok(())
}

fn logical_path(root: &Path, path: &Path) -> Result<String, Error> {
    let relative = path
        .strip_prefix(root)
        .expect("walkdir yields paths under its root");
    let mut parts = Vec::new();
    for component in relative.components() {
        let part = component
            .as_os_str()
            .to_str()
            .ok_or_else(|| Error::NonUtf8Name(path.to_path_buf()))?;
        parts.push(part);
    }
    Ok(parts.join("/"))
}

fn walk_error(root: &Path, err: walkdir::Error) -> Error {
    let path = err.path().unwrap_or(root).to_path_buf();
    if let Some(ancestor) = err.loop_ancestor() {
        return Error::SymlinkLoop {
            path,
            ancestor: ancestor.to_path_buf(),
        };
    }
    let source = err
        .into_io_error()
        .unwrap_or_else(|| std::io::Error::other("cannot walk this folder"));
    Error::Unreadable { path, source }
}

#[cfg(test)]
mod tests;
