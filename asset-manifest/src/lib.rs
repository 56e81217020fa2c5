//! The contract between `asset-build`, `asset-macros` and `asset-runtime`.
//!
//! The build script writes what the runtime reads; everything both sides
//! must agree on is defined here, once:
//!
//! | module | the rule |
//! |---|---|
//! | [`naming`] | a hashed name: 16 hex digits of the SHA-256 before the last extension, and the inverse split |
//! | [`prefix`] | which URL prefixes are valid, their normal form, and how a path is percent-encoded under one |
//! | [`Encoding`] | the content codings, their tokens, ETag suffixes and file extensions |
//! | [`layout`] | where under `OUT_DIR` the build writes the table, the manifest and the blobs |
//! | [`fingerprint`] | SHA-256 and SHA-384 of served bytes: the name hash, the ETag and the SRI value |
//! | [`manifest`] | the `manifest.json` format, written by the build and by exports, read by `asset!` and deploy tools |
//! | [`release`] | a published release's manifest (`manifests/<release id>.json`) and which bucket keys are assets |
//! | [`table`] | the embedded table's bytes: an index (a perfect hash from request path to asset) and the variants' bytes |
//! | [`suggest`] | did-you-mean for an unknown logical path |
//! | [`text`] | the `charset` of text bytes, and bytes stored already encoded (`.svgz`) |
//! | [`IMMUTABLE`] | the `Cache-Control` of a hashed URL |
//!
//! ```
//! use asset_manifest::{naming, Fingerprint};
//!
//! let print = Fingerprint::of(b"body { color: red }");
//! let hashed = naming::hashed_path("css/app.css", print.name_hash());
//! assert_eq!(naming::split_hashed(&hashed), Some(("css/app.css".to_owned(), print.name_hash())));
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod dictionary;
mod encoding;
pub mod fingerprint;
pub mod layout;
pub mod manifest;
pub mod naming;
pub mod prefix;
pub mod release;
pub mod suggest;
pub mod table;
pub mod text;

pub use encoding::Encoding;
pub use fingerprint::Fingerprint;
pub use manifest::Manifest;

/// The `Cache-Control` of a hashed (fingerprinted) URL: its bytes never
/// change, so every cache may keep it for a year without revalidating
/// (RFC 9111 §5.2.2.1, RFC 8246 `immutable`). Also the metadata of every
/// exported or published object.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
