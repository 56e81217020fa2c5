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
mod tests {
    use super::*;
    use std::fs;

    fn tree(files: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for f in files {
            let p = dir.path().join(f);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(&p, f.as_bytes()).unwrap();
        }
        dir
    }

    fn logicals(found: &Found) -> Vec<&str> {
        found.sources.keys().map(String::as_str).collect()
    }

    #[test]
    fn walks_recursively_with_slash_paths_and_skips_junk() {
        let dir = tree(&[
            "css/app.css",
            "js/vendor/lib.js",
            "a.txt",
            ".DS_Store",
            ".hidden/x.css",
            "img/Thumbs.db",
            "img/logo.svg",
            "img/logo.svg~",
        ]);
        let found = walk(&[dir.path().to_path_buf()], false).unwrap();
        assert_eq!(
            logicals(&found),
            ["a.txt", "css/app.css", "img/logo.svg", "js/vendor/lib.js"]
        );
        assert_eq!(found.folders.len(), 5, "{:?}", found.folders);
    }

    #[test]
    fn hidden_files_on_request() {
        let dir = tree(&[".well-known/security.txt", ".DS_Store"]);
        let found = walk(&[dir.path().to_path_buf()], true).unwrap();
        assert_eq!(logicals(&found), [".DS_Store", ".well-known/security.txt"]);
    }

    #[test]
    fn several_folders_share_one_namespace() {
        let a = tree(&["css/app.css"]);
        let b = tree(&["js/app.js"]);
        let found = walk(&[a.path().to_path_buf(), b.path().to_path_buf()], false).unwrap();
        assert_eq!(logicals(&found), ["css/app.css", "js/app.js"]);

        let c = tree(&["css/app.css"]);
        let err = walk(&[a.path().to_path_buf(), c.path().to_path_buf()], false).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("`css/app.css`"), "{text}");
        assert!(
            text.contains(&a.path().join("css/app.css").display().to_string()),
            "{text}"
        );
        assert!(
            text.contains(&c.path().join("css/app.css").display().to_string()),
            "{text}"
        );
    }

    #[test]
    fn missing_folder_and_file_as_folder() {
        let dir = tree(&["file.txt"]);
        let missing = dir.path().join("nope");
        let err = walk(std::slice::from_ref(&missing), false).unwrap_err();
        assert!(matches!(err, Error::MissingFolder(ref p) if *p == missing));
        assert!(err.to_string().contains("nope"));
        let file = dir.path().join("file.txt");
        assert!(matches!(walk(&[file], false), Err(Error::NotAFolder(_))));
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_are_followed_and_loops_are_errors() {
        let dir = tree(&["real/a.css", "other/b.css"]);
        std::os::unix::fs::symlink(dir.path().join("other"), dir.path().join("real/linked"))
            .unwrap();
        let found = walk(&[dir.path().join("real")], false).unwrap();
        assert_eq!(logicals(&found), ["a.css", "linked/b.css"]);

        std::os::unix::fs::symlink(dir.path().join("real"), dir.path().join("real/loop")).unwrap();
        let err = walk(&[dir.path().join("real")], false).unwrap_err();
        assert!(matches!(err, Error::SymlinkLoop { .. }), "{err:?}");
        assert!(err.to_string().contains("loop"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn broken_symlink_is_unreadable() {
        let dir = tree(&["a.css"]);
        std::os::unix::fs::symlink(
            dir.path().join("missing.css"),
            dir.path().join("broken.css"),
        )
        .unwrap();
        let err = walk(&[dir.path().to_path_buf()], false).unwrap_err();
        assert!(matches!(err, Error::Unreadable { .. }), "{err:?}");
        assert!(err.to_string().contains("broken.css"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn non_utf8_names_are_errors() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tree(&["a.css"]);
        let name = std::ffi::OsStr::from_bytes(b"bad\xffname.css");
        fs::write(dir.path().join(name), b"x").unwrap();
        let err = walk(&[dir.path().to_path_buf()], false).unwrap_err();
        assert!(matches!(err, Error::NonUtf8Name(_)), "{err:?}");
    }
}
