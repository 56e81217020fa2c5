//! The table of one crate: [`Assets`](crate::Assets) and its records
//! ([`Asset`](crate::Asset), [`Variant`](crate::Variant)), the table the
//! template helpers use, development mode's table of files on disk, and
//! the example table of the documentation.

pub(crate) mod asset;
pub(crate) mod assets;
pub mod dev;
pub(crate) mod example;
pub(crate) mod installed;
