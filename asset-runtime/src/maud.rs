//! maud helpers (feature `maud`): `asset_url`, `asset_integrity`, and
//! complete `<link>` and `<script>` tags with Subresource Integrity.
//!
//! ```
//! use maud::html;
//!
//! fn head() -> Result<maud::Markup, asset_runtime::UnknownAsset> {
//!     Ok(html! {
//!         (asset_runtime::maud::stylesheet("css/app.css")?)
//!         (asset_runtime::maud::script("js/app.js")?)
//!         link rel="icon" href=(asset_runtime::maud::asset_url("img/logo.svg")?);
//!     })
//! }
//! ```
//!
//! All of them look logical paths up in the table installed with
//! [`Assets::install`](crate::Assets::install) (which
//! [`Assets::service`](crate::Assets::service) also does). maud escapes
//! what it must and nothing more, so the values go in as they are.

use maud::{Markup, html};

use crate::{UnknownAsset, installed_asset};
pub use crate::{asset_integrity, asset_url};

/// `<link rel="stylesheet" href="..." integrity="..." crossorigin="anonymous">`
pub fn stylesheet(path: &str) -> Result<Markup, UnknownAsset> {
    let asset = installed_asset(path)?;
    Ok(html! {
        link rel="stylesheet" href=(asset.url) integrity=(asset.integrity) crossorigin="anonymous";
    })
}

/// `<script src="..." integrity="..." crossorigin="anonymous" defer></script>`
pub fn script(path: &str) -> Result<Markup, UnknownAsset> {
    let asset = installed_asset(path)?;
    Ok(html! {
        script src=(asset.url) integrity=(asset.integrity) crossorigin="anonymous" defer {}
    })
}
