//! The framework adapters: [`AssetService`](crate::AssetService) (the
//! mount path), and what makes it a tower, hyper or actix-web service;
//! [`Fallback`](crate::Fallback), assets first and then the app.

#[cfg(feature = "actix-web")]
pub mod actix;
#[cfg(any(feature = "tower", feature = "hyper"))]
pub(crate) mod fallback;
#[cfg(feature = "hyper")]
mod hyper;
pub(crate) mod service;
#[cfg(feature = "tower")]
mod tower;
