//! Build errors. Every one names the file or folder at fault.

use std::fmt;
use std::io;
use std::path::PathBuf;

/// Why the pipeline could not finish.
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
    /// Assets reference files that are not assets (all of them, in the
    /// order of the referring files).
    MissingReferences(Vec<MissingReference>),
    /// Templates name assets that do not exist
    /// ([`Pipeline::check_templates`](crate::Pipeline::check_templates)).
    UnknownTemplateAssets(Vec<crate::UnknownTemplateAsset>),
    /// The embedded table cannot be written: its index would pass 4 GiB,
    /// or `ASSET_BUILD_EMBED` (or [`Pipeline::embed`](crate::Pipeline::embed))
    /// asks for what the target cannot do.
    Table(String),
    /// A glob pattern given to a setting is malformed.
    InvalidPattern {
        /// The pattern as written.
        pattern: String,
        /// What is wrong with it.
        reason: String,
    },
}

/// A reference from one asset to a file that is not among the assets.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct MissingReference {
    /// The referring file, on disk.
    pub file: PathBuf,
    /// Its line (1-based) where the reference is.
    pub line: usize,
    /// The reference as written, unescaped (`../fonts/icons.woff2?#iefix`).
    pub reference: String,
    /// The logical path it resolves to (`fonts/icons.woff2`), or `None`
    /// when it climbs out of the asset folders.
    pub target: Option<String>,
    /// Where on disk the target was expected (in the referring file's asset
    /// folder), when it resolves to a path.
    pub expected: Option<PathBuf>,
}

impl fmt::Display for MissingReference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} line {}: `{}` ",
            self.file.display(),
            self.line,
            self.reference
        )?;
        match (&self.target, &self.expected) {
            (Some(_), Some(expected)) => {
                write!(f, "refers to {}, which does not exist", expected.display())
            }
            (Some(target), None) => write!(f, "refers to `{target}`, which is not an asset"),
            (None, _) => write!(f, "leads out of the asset folder"),
        }
    }
}

/// How many missing references an error lists before it summarises.
const MISSING_SHOWN: usize = 50;

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::MissingFolder(p) => write!(f, "asset folder {} does not exist", p.display()),
            Error::Table(reason) => write!(f, "cannot write the asset table: {reason}"),
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
            Error::MissingReferences(missing) => {
                let n = missing.len();
                let s = if n == 1 { "" } else { "s" };
                writeln!(f, "{n} reference{s} to missing files:")?;
                for m in missing.iter().take(MISSING_SHOWN) {
                    writeln!(f, "  {m}")?;
                }
                if n > MISSING_SHOWN {
                    writeln!(f, "  ... and {} more", n - MISSING_SHOWN)?;
                }
                let example = missing
                    .iter()
                    .find_map(|m| m.target.as_deref())
                    .unwrap_or("fonts/*.eot");
                write!(
                    f,
                    "add the files, fix the references, or allow them with `.allow_missing(\"{example}\")` (a glob) to warn instead"
                )
            }
            Error::UnknownTemplateAssets(unknown) => {
                let n = unknown.len();
                let s = if n == 1 { "" } else { "s" };
                writeln!(
                    f,
                    "{n} template helper{s} name{} no asset:",
                    if n == 1 { "s" } else { "" }
                )?;
                for u in unknown.iter().take(MISSING_SHOWN) {
                    writeln!(f, "  {u}")?;
                }
                if n > MISSING_SHOWN {
                    writeln!(f, "  ... and {} more", n - MISSING_SHOWN)?;
                }
                write!(
                    f,
                    "fix the paths in the templates (they are relative to the asset folder, with `/`), or add the files"
                )
            }
            Error::InvalidPattern { pattern, reason } => {
                write!(f, "invalid glob pattern `{pattern}`: {reason}")
            }
        }
    }
}

/// The same sentence as `Display`, so that `.unwrap()` says what is wrong.
impl std::fmt::Debug for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
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
