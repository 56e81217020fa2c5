//! Build errors. Every one names the file or folder at fault.

use std::fmt;
use std::io;
use std::path::PathBuf;

/// Why the pipeline could not finish.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// An asset folder does not exist.
    MissingFolder(PathBuf),
    /// An asset folder is a file.
    NotAFolder(PathBuf),
    /// A file or folder could not be read.
    Unreadable {
        /// The path that failed.
        path: PathBuf,
        /// What the OS said.
        source: io::Error,
    },
    /// A file or folder name is not valid UTF-8, so it cannot be a URL.
    NonUtf8Name(PathBuf),
    /// A symbolic link leads back to one of its own ancestors.
    SymlinkLoop {
        /// The link.
        path: PathBuf,
        /// The ancestor it points at.
        ancestor: PathBuf,
    },
    /// Something that is neither a file nor a folder (a socket, a FIFO, ...).
    NotAFile(PathBuf),
    /// Two files map to the same URL path.
    DuplicatePath {
        /// The URL path (logical or hashed) they share.
        url_path: String,
        /// The first file.
        first: PathBuf,
        /// The second file.
        second: PathBuf,
    },
    /// The URL prefix cannot be used.
    InvalidUrlPrefix(String),
    /// A setting the build script needs was missing (`OUT_DIR`, ...).
    MissingEnv(&'static str),
    /// Writing the output failed.
    Write {
        /// The path that failed.
        path: PathBuf,
        /// What the OS said.
        source: io::Error,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::MissingFolder(p) => write!(f, "asset folder {} does not exist", p.display()),
            Error::NotAFolder(p) => write!(f, "asset folder {} is not a folder", p.display()),
            Error::Unreadable { path, source } => {
                write!(f, "cannot read {}: {source}", path.display())
            }
            Error::NonUtf8Name(p) => write!(
                f,
                "{} has a name that is not valid UTF-8 and cannot be served as a URL; rename it",
                p.display()
            ),
            Error::SymlinkLoop { path, ancestor } => write!(
                f,
                "symbolic link loop: {} points back to its ancestor {}",
                path.display(),
                ancestor.display()
            ),
            Error::NotAFile(p) => {
                write!(f, "{} is neither a regular file nor a folder", p.display())
            }
            Error::DuplicatePath {
                url_path,
                first,
                second,
            } => write!(
                f,
                "two files map to the URL path `{url_path}`: {} and {}",
                first.display(),
                second.display()
            ),
            Error::InvalidUrlPrefix(p) => write!(
                f,
                "invalid URL prefix `{p}`: it must start with `/`, `http://` or `https://` and contain no spaces, quotes, `?` or `#`"
            ),
            Error::MissingEnv(var) => write!(
                f,
                "environment variable {var} is not set; run the pipeline from a build script (build.rs)"
            ),
            Error::Write { path, source } => {
                write!(f, "cannot write {}: {source}", path.display())
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Unreadable { source, .. } | Error::Write { source, .. } => Some(source),
            _ => None,
        }
    }
}
