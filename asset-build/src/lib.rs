//! The build-script half of the asset pipeline.
//!
//! # Quick start
//!
//! The README's Quick start (a test builds and serves exactly those
//! blocks): two dependencies, one line in `build.rs`, one line to include
//! the table.
//!
//! ```toml
//! # Cargo.toml
//! [dependencies]
//! asset-runtime = { version = "0.1", features = ["axum", "askama"] }
//! askama = "0.16"
//! axum = "0.8"
//! tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
//!
//! [build-dependencies]
//! asset-build = "0.1"
//! ```
//!
//! ```no_run
//! // build.rs
//! fn main() {
//!     asset_build::Pipeline::new("static").url_prefix("/static/").run();
//! }
//! ```
//!
//! ```text
//! // src/main.rs (compiled in asset-runtime's docs)
//! use askama::Template;
//! use axum::{Router, response::Html, routing::get};
//!
//! asset_runtime::include_assets!(); // static ASSETS: asset_runtime::Assets
//!
//! #[derive(Template)]
//! #[template(path = "index.html")]
//! struct Index;
//!
//! async fn index() -> Html<String> {
//!     Html(Index.render().expect("the page renders"))
//! }
//!
//! #[tokio::main]
//! async fn main() {
//!     let app = Router::new()
//!         .route("/", get(index))
//!         .nest_service("/static", ASSETS.service());
//!     let css: &'static str = asset_runtime::asset!("css/app.css"); // checked at compile time
//!     let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await.unwrap();
//!     println!("serving on http://{}/ (stylesheet {css})", listener.local_addr().unwrap());
//!     axum::serve(listener, app).await.unwrap();
//! }
//! ```
//!
//! ```jinja
//! <!-- templates/index.html -->
//! <!doctype html>
//! <link rel="stylesheet"
//!       href="{{ "css/app.css"|asset_runtime::askama::asset_url }}"
//!       integrity="{{ "css/app.css"|asset_runtime::askama::asset_integrity }}"
//!       crossorigin="anonymous">
//! <h1>Hello</h1>
//! ```
//!
//! # What it does
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
//! No profile lines are needed. Cargo builds a build script and its
//! dependencies unoptimised, in release builds too, and brotli at quality
//! 11 is then three to seven times slower; so asset-build compresses with
//! Google's C encoder (brotli 1.2.0, shipped in this crate), which its own
//! build script compiles at `-O2` whatever the profile, and hashes with
//! `ring`'s assembly. On Bootstrap's `dist/` (44 files, 8.7 MB), a cold
//! debug build with no profile lines took 48.6 to 51.7 s, against 54.8 to
//! 61.9 s with the lines this crate used to recommend, and its build
//! script 1.02x to 1.08x the time (README, "Build speed").
//!
//! Compressions are also cached for every profile and crate of the target
//! directory (see [`Pipeline::shared_cache`]): after `cargo build`, the
//! first `cargo build --release` ran the same build script in 0.56 s
//! instead of 11.5 s.
//!
//! # Delta updates
//!
//! Text assets offer themselves to browsers as compression dictionaries
//! (RFC 9842), and the build stores, for each one that changed since an
//! earlier release, a `dcb` delta (and with the `zstd` feature a `dcz`
//! one) against the earlier version, which `asset-runtime` sends to a
//! browser that holds it. The earlier releases come from this target
//! directory's own release builds ([`Pipeline::release_history`]), from
//! export or bucket-copy folders ([`Pipeline::earlier_release`],
//! `ASSET_BUILD_EARLIER_RELEASES`), and in CI from `fetch-releases`; the
//! build script never touches the network, and a folder it cannot use is a
//! warning naming it. [`Pipeline::dictionaries`] and
//! [`Pipeline::dictionary_files`] turn it off or narrow it.
//!
//! The table is one byte string (an index with a perfect hash, then each
//! distinct content once), and the generated code one expression naming
//! it, so rustc's time does not grow with the number of files: 20,000
//! files compile in 0.14 s. On Linux, macOS and Windows (and most other
//! native targets) the build writes the bytes as a static library that
//! only the linker reads, so rustc's memory does not grow with their size
//! either; elsewhere (wasm, say) they come in through `include_bytes!`
//! (see [`Pipeline::embed`]).

// Unsafe code only where the crate calls Google's brotli encoder
// (`compress/google.rs`, which allows it).
#![deny(unsafe_code)]
#![warn(missing_docs)]
// The examples show whole `build.rs` files, `fn main` included.
#![allow(clippy::needless_doctest_main)]

mod compress;
mod content_type;
mod delta;
mod dev;
mod discover;
mod earlier;
mod emit;
mod error;
mod glob;
mod graph;
mod hash;
mod link;
mod memo;
mod parallel;
mod pipeline;
mod precompress;
mod rewrite;
mod shared_cache;
mod stages;
mod store;
mod templates;

pub use asset_manifest::layout::OUTPUT_DIR;
pub use asset_manifest::naming::hashed_path;
pub use error::{Error, MissingReference};
pub use link::{EMBED_ENV, Embed};
pub use pipeline::{AssetReport, DEFAULT_KEEP_NAMES, DEV_ENV, Pipeline, Report};
pub use store::BlobStore;
pub use templates::UnknownTemplateAsset;
