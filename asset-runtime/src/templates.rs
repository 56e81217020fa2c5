//! The template helpers: `asset_url` and `asset_integrity` for each
//! engine (each behind its feature), and the live-reload script of
//! development mode.

#[cfg(feature = "askama")]
pub mod askama;
pub(crate) mod live_reload;
#[cfg(feature = "maud")]
pub mod maud;
#[cfg(feature = "minijinja")]
pub mod minijinja;
#[cfg(feature = "tera")]
pub mod tera;
