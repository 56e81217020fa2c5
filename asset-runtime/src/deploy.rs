//! Helpers around a deploy: exporting the files for a CDN or a bucket,
//! preload hints and import maps for pages, and answering another
//! release's hash during a rolling deploy.

pub mod export;
mod hints;
pub(crate) mod rolling;
