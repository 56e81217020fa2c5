//! What a run of a [`Pipeline`](super::Pipeline) produced: a [`Report`],
//! with one [`AssetReport`] per asset.

use std::path::PathBuf;

/// What a run produced.
#[derive(Debug)]
pub struct Report {
    /// Every asset, ordered by logical path.
    pub assets: Vec<AssetReport>,
    /// The generated Rust file (included by `include_assets!`).
    pub code_path: PathBuf,
    /// The manifest (logical path -> hashed path, integrity, sizes).
    pub manifest_path: PathBuf,
    /// Where the table's static library is, when it is linked
    /// ([`Pipeline::embed`](super::Pipeline::embed)); [`Pipeline::run`](super::Pipeline::run) passes it to rustc.
    pub link_search: Option<PathBuf>,
    /// How many compressed variants came from the cache instead of being
    /// compressed again.
    pub cache_hits: usize,
    /// Of [`Report::cache_hits`], how many came from the cache shared
    /// across profiles (see [`Pipeline::shared_cache`](super::Pipeline::shared_cache)).
    pub shared_cache_hits: usize,
    /// How many compressions ran.
    pub compressions: usize,
    /// How many files were not read at all: unchanged since the last run
    /// by their size, times, inode and device, and needing no rewriting.
    pub unread: usize,
    /// Every folder and file the crate must be rebuilt for.
    pub watched: Vec<PathBuf>,
    /// Missing references allowed by [`Pipeline::allow_missing`](super::Pipeline::allow_missing), one line
    /// each; [`Pipeline::try_run`](super::Pipeline::try_run) prints them as `cargo::warning`.
    pub warnings: Vec<String>,
}

/// One asset of a [`Report`].
#[derive(Debug, Clone)]
pub struct AssetReport {
    /// `css/app.css`.
    pub logical_path: String,
    /// `css/app.3f2a1b9c4d5e6f70.css`.
    pub hashed_path: String,
    /// The full URL under the prefix.
    pub url: String,
    /// `sha384-...`.
    pub integrity: String,
    /// The `Content-Type`.
    pub content_type: String,
    /// Size of the identity bytes.
    pub size: u64,
    /// Sizes of the kept compressed variants, by coding name (`br`, `gzip`).
    pub compressed: Vec<(&'static str, u64)>,
    /// The `Use-As-Dictionary` value of its hashed URL, if it offers one.
    pub use_as_dictionary: Option<String>,
    /// The kept deltas: coding name (`dcb`, `dcz`), the dictionary's
    /// SHA-256 in hex, and the size.
    pub deltas: Vec<(&'static str, String, u64)>,
    /// How many references to other assets were rewritten in it.
    pub references: usize,
}
