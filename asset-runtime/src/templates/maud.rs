//! maud helpers (feature `maud`): `asset_url`, `asset_integrity`,
//! `asset_crossorigin`, and complete `<link>` and `<script>` tags with
//! Subresource Integrity.
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
//! [`Assets::service`](crate::Assets::service) also does), and follow a URL
//! prefix set at startup with
//! [`Assets::set_url_prefix`](crate::Assets::set_url_prefix). maud escapes
//! what it must and nothing more, so the values go in as they are.

use maud::{Markup, html};

use crate::UnknownAsset;
pub use crate::{asset_crossorigin, asset_integrity, asset_url};

/// The URL, the integrity, and the `crossorigin` value (none on the same
/// origin) of a logical path.
type Parts = (&'static str, &'static str, Option<&'static str>);

fn parts(path: &str) -> Result<Parts, UnknownAsset> {
    let crossorigin = Some(asset_crossorigin(path)?).filter(|v| !v.is_empty());
    Ok((asset_url(path)?, asset_integrity(path)?, crossorigin))
}

/// `<link rel="stylesheet" href="..." integrity="...">`, with
/// `crossorigin="anonymous"` when the URLs point at another origin.
pub fn stylesheet(path: &str) -> Result<Markup, UnknownAsset> {
    let (url, integrity, crossorigin) = parts(path)?;
    Ok(html! {
        link rel="stylesheet" href=(url) integrity=(integrity) crossorigin=[crossorigin];
    })
}

/// The development-mode live-reload script, or nothing
/// ([`crate::live_reload`]): `(asset_runtime::maud::live_reload())`.
pub fn live_reload() -> Markup {
    maud::PreEscaped(crate::live_reload().to_owned())
}

/// `<script src="..." integrity="..." defer></script>`, with
/// `crossorigin="anonymous"` when the URLs point at another origin.
pub fn script(path: &str) -> Result<Markup, UnknownAsset> {
    let (url, integrity, crossorigin) = parts(path)?;
    Ok(html! {
        script src=(url) integrity=(integrity) crossorigin=[crossorigin] defer {}
    })
}
