//! The build-script half of the asset pipeline.
//!
//! Call it from `build.rs`:
//!
//! ```no_run
//! // build.rs
//! fn main() {
//!     asset_build::Pipeline::new("static").url_prefix("/static/").run();
//! }
//! ```
//!
//! and include the result with `asset_runtime::include_assets!()`.
//!
//! [`Pipeline::run`] walks the asset folders, rewrites the references
//! between assets (CSS `url()`, `@import`, source-map comments, the `file`
//! of source maps; optionally ES module specifiers) to hashed names,
//! fingerprints every file (`css/app.css` -> `css/app.<16 hex>.css`, a
//! SHA-256 of what it serves and of everything it reaches through its
//! references), precompresses it with brotli (quality 11) and gzip
//! (libdeflate, level 12), keeping a variant only when it is at most 95% of the
//! original, writes each distinct content once into `OUT_DIR`, and
//! generates the table that `asset-runtime` serves, plus a `manifest.json`
//! for other tools. Compressed output is cached in `OUT_DIR`
//! by content hash and settings, so a rebuild compresses only what changed.
//!
//! It prints `cargo::rerun-if-changed` for every folder and file, so that
//! adding, editing or removing an asset rebuilds the crate. Bad input (a
//! missing folder, an unreadable file, a name that is not UTF-8, two files
//! with one URL, a symbolic-link loop, a reference to a file that is not an
//! asset) fails the build with a `cargo::error` that names the path.
//!
//! Brotli at quality 11 and libdeflate at level 12 are slow without
//! optimisation, and cargo builds a build script's dependencies without it
//! in release builds too. Add this to the workspace's `Cargo.toml`:
//!
//! ```toml
//! [profile.dev.package.brotli]
//! opt-level = 3
//! [profile.dev.package.libdeflate-sys]
//! opt-level = 3
//! [profile.release.package.brotli]
//! opt-level = 3
//! [profile.release.package.libdeflate-sys]
//! opt-level = 3
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]
// The examples show whole `build.rs` files, `fn main` included.
#![allow(clippy::needless_doctest_main)]

mod compress;
mod content_type;
mod dev;
mod discover;
mod emit;
mod error;
mod glob;
mod graph;
mod parallel;
mod pipeline;
mod precompress;
mod rewrite;
mod stages;
mod store;

pub use asset_manifest::layout::OUTPUT_DIR;
pub use asset_manifest::naming::hashed_path;
pub use error::{Error, MissingReference};
pub use pipeline::{AssetReport, DEFAULT_KEEP_NAMES, DEV_ENV, Pipeline, Report};
