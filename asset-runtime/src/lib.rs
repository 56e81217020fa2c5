//! Serve the assets that `asset-build` embedded into your binary.
//!
//! # Quick start
//!
//! A new crate, the README's Quick start (a test builds and serves exactly
//! those blocks):
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
//! ```no_run
//! # #[cfg(feature = "axum")]
//! # mod quick_start {
//! // src/main.rs
//! use askama::Template;
//! use axum::{Router, response::Html, routing::get};
//!
//! # asset_runtime::__example_assets!(); /*
//! asset_runtime::include_assets!(); // static ASSETS: asset_runtime::Assets
//! # */
//!
//! #[derive(Template)]
//! # /*
//! #[template(path = "index.html")]
//! # */ #[template(source = "<h1>Hello</h1>", ext = "html")]
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
//! # /*
//!     let css: &'static str = asset_runtime::asset!("css/app.css"); // checked at compile time
//! # */ let css = ASSETS.url("css/app.css").unwrap();
//!     let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await.unwrap();
//!     println!("serving on http://{}/ (stylesheet {css})", listener.local_addr().unwrap());
//!     axum::serve(listener, app).await.unwrap();
//! }
//! # }
//! # fn main() {}
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
//! `asset-build` runs in your `build.rs`; it fingerprints, precompresses and
//! writes every file of your asset folders into `OUT_DIR`, together with a
//! generated table. This crate defines the types of that table
//! ([`Assets`], [`Asset`]), looks paths up in it, and answers HTTP requests
//! for it with the right caching headers ([`AssetService`]).
//!
//! # Features
//!
//! None is on by default.
//!
//! | feature | what it adds |
//! |---|---|
//! | `tower` (alias `axum`) | [`AssetService`] is a `tower::Service` (axum 0.8 `Router::nest_service`); [`Fallback`] answers asset paths and hands the rest to the app |
//! | `hyper` | [`AssetService`] and [`Fallback`] are `hyper::service::Service`s (hyper 1 `serve_connection`) |
//! | `actix-web` | [`AssetService`] is an actix-web 4 service factory ([`actix`](mod@crate::actix)) |
//! | `zstd` | zstd variants (stored by `asset-build`'s `zstd` feature) are served; without it they are skipped |
//! | `askama` | `asset_url` / `asset_integrity` filters ([`askama`](mod@crate::askama)) |
//! | `minijinja` | `asset_url` / `asset_integrity` functions and filters ([`minijinja`](mod@crate::minijinja)) |
//! | `tera` | `asset_url` / `asset_integrity` functions and filters ([`tera`](mod@crate::tera)) |
//! | `maud` | `asset_url` / `asset_integrity` for `maud::html!` ([`maud`](mod@crate::maud)) |
//!
//! Every adapter answers through the same core, [`serve()`]: for the same
//! request, each gives the same status, headers and body.

#![forbid(unsafe_code)]
#![warn(missing_docs)]
// The build.rs example shows a whole file, `fn main` included.
#![allow(clippy::needless_doctest_main)]

// The folders follow the architecture: the table, the HTTP core, the
// framework adapters, the template helpers and the deploy helpers. Public
// modules keep their paths at the root through the `pub use`s below.
//
// The table comes first: rustdoc lists the `impl Assets` blocks in the
// order their modules are declared, and the table's own methods lead.
mod table;

mod adapters;
mod deploy;
mod http;
pub mod pages;
#[cfg(feature = "publish")]
pub mod publish;
mod templates;

#[cfg(fuzzing)]
#[doc(hidden)]
pub mod fuzz_hooks;

#[cfg(feature = "actix-web")]
pub use adapters::actix;
#[cfg(any(feature = "tower", feature = "hyper"))]
pub use adapters::fallback::{Fallback, FallbackBody, FallbackFuture};
pub use adapters::service::AssetService;
pub use asset_manifest::Encoding;
pub use deploy::export;
pub use http::body::Body;
pub use http::options::{ServeOptions, UnknownHash};
pub use http::serve::{AVAILABLE_DICTIONARY, REQUEST_HEADERS, USE_AS_DICTIONARY, not_found, serve};
pub use table::asset::{Asset, Variant};
pub use table::assets::{Assets, Iter, Lookup, UrlPrefixError};
pub use table::dev;
pub use table::installed::{
    UnknownAsset, asset_crossorigin, asset_integrity, asset_url, installed, installed_asset,
};
#[cfg(feature = "askama")]
pub use templates::askama;
pub use templates::live_reload::live_reload;
#[cfg(feature = "maud")]
pub use templates::maud;
#[cfg(feature = "minijinja")]
pub use templates::minijinja;
#[cfg(feature = "tera")]
pub use templates::tera;

/// The hashed URL of an asset, checked at compile time.
///
/// `asset!("css/app.css")` expands to a `&'static str` literal such as
/// `"/static/css/app.3f2a1b9c4d5e6f70.css"`. A path that is not in the asset
/// folders is a compile error that names it and suggests the closest one.
/// The crate that uses it must run `asset_build::Pipeline` in its `build.rs`.
pub use asset_macros::asset;

/// Defines the table that `asset-build` generated for this crate.
///
/// `include_assets!()` defines `static ASSETS: asset_runtime::Assets`;
/// `include_assets!(pub static NAME)` picks the visibility and the name.
///
/// ```text
/// // In a crate whose build.rs runs `asset_build::Pipeline`:
/// asset_runtime::include_assets!();
/// asset_runtime::include_assets!(pub(crate) static MY_ASSETS);
/// ```
#[macro_export]
macro_rules! include_assets {
    () => {
        $crate::include_assets!(static ASSETS);
    };
    ($vis:vis static $name:ident) => {
        $vis static $name: $crate::Assets =
            ::core::include!($crate::__private::table_path!());
    };
}

/// Items used by the code that `asset-build` generates. Not a public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::table::dev::{DevFile, DevTable};
    pub use crate::table::example::EXAMPLE_TABLE;
    pub use asset_macros::__table_path as table_path;
}
