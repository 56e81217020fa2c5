//! askama 0.16 filters: `asset_url`, `asset_integrity` and `asset_crossorigin`.
//!
//! They look logical paths up in the table installed with
//! [`Assets::install`](crate::Assets::install) (which
//! [`Assets::service`](crate::Assets::service) also does). Call them by
//! path, with no import:
//!
//! ```jinja
//! <link rel="stylesheet"
//!       href="{{ "css/app.css"|asset_runtime::askama::asset_url }}"
//!       integrity="{{ "css/app.css"|asset_runtime::askama::asset_integrity }}">
//! ```
//!
//! An unknown path fails the render with an error that names it.

// The filter_fn attribute generates undocumented items.
#![allow(missing_docs)]

use std::fmt::Display;

fn to_askama(err: crate::UnknownAsset) -> askama::Error {
    askama::Error::Custom(Box::new(err))
}

/// The hashed URL of a logical path: `/static/css/app.3f2a1b9c4d5e6f70.css`.
#[askama::filter_fn]
pub fn asset_url(path: impl Display, _env: &dyn askama::Values) -> askama::Result<&'static str> {
    crate::asset_url(&path.to_string()).map_err(to_askama)
}

/// The Subresource Integrity value of a logical path: `sha384-...`.
#[askama::filter_fn]
pub fn asset_integrity(
    path: impl Display,
    _env: &dyn askama::Values,
) -> askama::Result<&'static str> {
    crate::asset_integrity(&path.to_string()).map_err(to_askama)
}

/// The `crossorigin` value for a logical path's tag: `anonymous` when the
/// URLs point at another origin (a CDN prefix), else empty.
#[askama::filter_fn]
pub fn asset_crossorigin(
    path: impl Display,
    _env: &dyn askama::Values,
) -> askama::Result<&'static str> {
    crate::asset_crossorigin(&path.to_string()).map_err(to_askama)
}
