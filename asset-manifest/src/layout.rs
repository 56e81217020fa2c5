//! Where the build writes its output, under `OUT_DIR`:
//!
//! ```text
//! $OUT_DIR/asset-build/assets.rs       the code, included by `include_assets!`
//! $OUT_DIR/asset-build/table.bin       the table's index (see `table`), and
//! $OUT_DIR/asset-build/table.<16 hex>.bin   its data in parts, when it is included;
//! $OUT_DIR/asset-build/lib<symbol>.a   or all of it, when it is linked
//! $OUT_DIR/asset-build/manifest.json   read by `asset!` and other tools
//! $OUT_DIR/asset-build/packed.json     where each stored blob is in those files
//! $OUT_DIR/asset-build/blobs/<sha256>  identity bytes not (or not yet) in them
//! $OUT_DIR/asset-build/blobs/<sha256>.<codec tag>   compressed bytes, likewise
//! ```
//!
//! The paths are also macros, which expand to string literals, so that
//! `include!(concat!(env!("OUT_DIR"), "/", code_path!()))` can name them.

/// `asset-build`: the folder under `OUT_DIR`, as a literal.
#[macro_export]
macro_rules! output_dir {
    () => {
        "asset-build"
    };
}

/// `asset-build/assets.rs`: the generated table, relative to `OUT_DIR`, as
/// a literal.
#[macro_export]
macro_rules! code_path {
    () => {
        "asset-build/assets.rs"
    };
}

/// `asset-build/manifest.json`: the manifest, relative to `OUT_DIR`, as a
/// literal.
#[macro_export]
macro_rules! manifest_path {
    () => {
        "asset-build/manifest.json"
    };
}

/// The folder under `OUT_DIR` that holds everything the build writes.
pub const OUTPUT_DIR: &str = output_dir!();
/// The generated table's file name, in [`OUTPUT_DIR`].
pub const CODE_FILE: &str = "assets.rs";
/// The embedded table's file name ([`crate::table`]), in [`OUTPUT_DIR`].
pub const TABLE_FILE: &str = "table.bin";
/// The manifest's file name, in [`OUTPUT_DIR`] and in an export.
pub const MANIFEST_FILE: &str = "manifest.json";
/// The blob folder's name, in [`OUTPUT_DIR`].
pub const BLOB_DIR: &str = "blobs";

/// The generated table, relative to `OUT_DIR`.
pub const CODE_PATH: &str = code_path!();
/// The manifest, relative to `OUT_DIR`.
pub const MANIFEST_PATH: &str = manifest_path!();

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_literals_are_the_parts_joined() {
        assert_eq!(CODE_PATH, format!("{OUTPUT_DIR}/{CODE_FILE}"));
        assert_eq!(MANIFEST_PATH, format!("{OUTPUT_DIR}/{MANIFEST_FILE}"));
        // The form `include_assets!` uses.
        assert!(concat!("/out/", code_path!()).ends_with("/asset-build/assets.rs"));
    }
}
