//! The embedded table as bytes: what `asset-build` writes and
//! `asset-runtime` reads.
//!
//! The generated code links one object holding the whole table (an index,
//! then every stored variant's bytes end to end), or includes it in parts:
//! the index, then the data cut between variants ([`Table::parse_parts`]).
//! rustc sees a few byte strings however many assets there are, so its
//! time and memory do not grow with the number of files; the runtime reads
//! the index once, at the first lookup.
//!
//! The index, all integers little-endian:
//!
//! ```text
//! header    magic "ASSETTB\x02", index length (u64: where the data starts),
//!           assets, variants, map entries, map displacements (u32 each),
//!           the map's hash key (u64), the URL prefix (a string)
//! disps     (u32, u32) per displacement: the perfect hash (phf)
//! entries   u32 per request path, in phf order: asset << 1 | immutable
//! assets    7 strings (logical path, hashed path, URL, logical URL,
//!           content type, integrity, `Use-As-Dictionary` or empty),
//!           first variant, variant count (u32)
//! variants  encoding (u32), ETag, Content-Length, dictionary (strings:
//!           the SHA-256 in hex for `dcb` and `dcz`, else empty), offset
//!           and length in the data (u64); an asset's variants list its
//!           ordinary codings first, then its deltas
//! strings   UTF-8, end to end; a string is (offset, length) in u32
//! ```
//!
//! A map entry's key is not stored: it is the asset's hashed path when the
//! entry is immutable, its logical path otherwise.
//!
//! ```
//! use asset_manifest::table::{Table, TableWriter, AssetRecord};
//! use asset_manifest::Encoding;
//!
//! let mut writer = TableWriter::new("/static/");
//! let bytes = writer.data(b"body{}");
//! writer.push(AssetRecord {
//!     logical_path: "app.css".into(),
//!     hashed_path: "app.0123456789abcdef.css".into(),
//!     url: "/static/app.0123456789abcdef.css".into(),
//!     logical_url: "/static/app.css".into(),
//!     content_type: "text/css".into(),
//!     integrity: "sha384-...".into(),
//!     use_as_dictionary: None,
//!     variants: vec![(Encoding::Identity, "\"0123\"".into(), bytes)],
//!     deltas: vec![],
//! });
//! let packed = writer.finish().unwrap();
//! let table = Table::parse(&packed).unwrap();
//! assert_eq!(table.lookup("app.css"), Some((0, false)));
//! assert_eq!(table.lookup("app.0123456789abcdef.css"), Some((0, true)));
//! assert_eq!(table.variant(0).bytes, b"body{}");
//! ```

// This file holds what both sides share: the magic, the record sizes and
// the encoding codes. `write.rs` writes a table, `read.rs` reads one.
mod read;
mod write;

use crate::Encoding;

pub use read::{AssetView, FormatError, Table, VariantView, slot};
pub use write::{AssetRecord, TableError, TableWriter};

/// The first bytes of a table; the last one is the format's version.
pub const MAGIC: [u8; 8] = *b"ASSETTB\x02";

const HEADER: usize = 8 + 8 + 4 * 4 + 8 + 8;
const ASSET: usize = 7 * 8 + 4 + 4;
const VARIANT: usize = 4 + 8 + 8 + 8 + 8 + 8;

/// Where a variant's bytes are in the data: offset and length.
pub type DataRange = (u64, u64);

/// A variant's encoding as the index stores it.
fn encoding_code(encoding: Encoding) -> u8 {
    match encoding {
        Encoding::Identity => 0,
        Encoding::Brotli => 1,
        Encoding::Zstd => 2,
        Encoding::Gzip => 3,
        Encoding::Dcb => 4,
        Encoding::Dcz => 5,
    }
}

/// The inverse of [`encoding_code`]; `None` for a code of another format.
fn encoding_of(code: u32) -> Option<Encoding> {
    Some(match code {
        0 => Encoding::Identity,
        1 => Encoding::Brotli,
        2 => Encoding::Zstd,
        3 => Encoding::Gzip,
        4 => Encoding::Dcb,
        5 => Encoding::Dcz,
        _ => return None,
    })
}

#[cfg(test)]
mod tests;
