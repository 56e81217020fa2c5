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

use std::collections::HashSet;
use std::ops::Range;

use crate::{Encoding, fingerprint};

/// The first bytes of a table; the last one is the format's version.
pub const MAGIC: [u8; 8] = *b"ASSETTB\x02";

const HEADER: usize = 8 + 8 + 4 * 4 + 8 + 8;
const ASSET: usize = 7 * 8 + 4 + 4;
const VARIANT: usize = 4 + 8 + 8 + 8 + 8 + 8;

/// Where a variant's bytes are in the data: offset and length.
pub type DataRange = (u64, u64);

/// One asset, as the build describes it to [`TableWriter::push`].
#[derive(Clone, Debug)]
pub struct AssetRecord {
    /// `css/app.css`.
    pub logical_path: String,
    /// `css/app.3f2a1b9c4d5e6f70.css`.
    pub hashed_path: String,
    /// The hashed path's URL under the prefix.
    pub url: String,
    /// The logical path's URL under the prefix.
    pub logical_url: String,
    /// The `Content-Type` value.
    pub content_type: String,
    /// `sha384-...`.
    pub integrity: String,
    /// The `Use-As-Dictionary` value its hashed responses carry, if any.
    pub use_as_dictionary: Option<String>,
    /// The stored bytes first, then each compressed variant: its coding,
    /// its ETag (quotes included) and where its bytes are in the data.
    pub variants: Vec<(Encoding, String, DataRange)>,
    /// Deltas against earlier versions ([`Encoding::Dcb`],
    /// [`Encoding::Dcz`]): the coding, the dictionary's SHA-256, the ETag
    /// and where the bytes (header included) are in the data.
    pub deltas: Vec<(Encoding, [u8; 32], String, DataRange)>,
}

/// Why a table could not be written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TableError {
    /// Two assets answer the same request path.
    DuplicatePath(String),
    /// The index would pass 4 GiB of strings or 2^31 assets.
    TooLarge,
    /// A delta in an ordinary coding, or an ordinary variant in a
    /// dictionary coding, for the request path named.
    MisplacedCoding(String),
}

impl std::fmt::Display for TableError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TableError::DuplicatePath(p) => {
                write!(f, "two assets answer the request path `{p}`")
            }
            TableError::TooLarge => f.write_str("the asset table's index passes 4 GiB"),
            TableError::MisplacedCoding(p) => {
                write!(f, "`{p}` has a delta in an ordinary coding or the reverse")
            }
        }
    }
}

impl std::error::Error for TableError {}

/// Builds a table's bytes: the index, then the bytes given to
/// [`TableWriter::data`]. The build script writes its data itself, after
/// the index, and passes offsets into it instead.
#[derive(Debug, Default)]
pub struct TableWriter {
    prefix: String,
    assets: Vec<AssetRecord>,
    data: Vec<u8>,
}

impl TableWriter {
    /// A table whose URLs are under `prefix`.
    pub fn new(prefix: &str) -> TableWriter {
        TableWriter {
            prefix: prefix.to_owned(),
            ..TableWriter::default()
        }
    }

    /// Appends bytes to the table's own data, and says where they are.
    pub fn data(&mut self, bytes: &[u8]) -> DataRange {
        let offset = self.data.len() as u64;
        self.data.extend_from_slice(bytes);
        (offset, bytes.len() as u64)
    }

    /// Adds an asset. The order does not matter: the table is ordered by
    /// logical path.
    pub fn push(&mut self, asset: AssetRecord) {
        self.assets.push(asset);
    }

    /// The index followed by the data given to [`TableWriter::data`].
    pub fn finish(mut self) -> Result<Vec<u8>, TableError> {
        self.assets
            .sort_by(|a, b| a.logical_path.cmp(&b.logical_path));
        let mut keys: Vec<(&str, u32)> = Vec::new();
        let mut seen = HashSet::new();
        for (i, a) in self.assets.iter().enumerate() {
            let i = u32::try_from(i)
                .ok()
                .filter(|i| *i < 1 << 31)
                .ok_or(TableError::TooLarge)?;
            keys.push((&a.hashed_path, i << 1 | 1));
            // A file that keeps its (already digested) name has one path,
            // and it is immutable.
            if a.logical_path != a.hashed_path {
                keys.push((&a.logical_path, i << 1));
            }
        }
        for (key, _) in &keys {
            if !seen.insert(*key) {
                return Err(TableError::DuplicatePath((*key).to_owned()));
            }
        }
        let (phf_key, disps, entries) = if keys.is_empty() {
            (0, Vec::new(), Vec::new())
        } else {
            let names: Vec<&str> = keys.iter().map(|(k, _)| *k).collect();
            let state = phf_generator::generate_hash(&names);
            let entries: Vec<u32> = state.map.iter().map(|&i| keys[i].1).collect();
            (state.key, state.disps, entries)
        };

        let mut strings = Strings::default();
        let prefix = strings.add(&self.prefix)?;
        let mut assets = Vec::with_capacity(self.assets.len() * ASSET);
        let mut variants = Vec::new();
        let mut variant_count = 0u32;
        for a in &self.assets {
            if a.variants.iter().any(|v| v.0.is_delta()) || a.deltas.iter().any(|d| !d.0.is_delta())
            {
                return Err(TableError::MisplacedCoding(a.hashed_path.clone()));
            }
            for s in [
                &a.logical_path,
                &a.hashed_path,
                &a.url,
                &a.logical_url,
                &a.content_type,
                &a.integrity,
                a.use_as_dictionary.as_deref().unwrap_or_default(),
            ] {
                assets.extend_from_slice(&strings.add(s)?);
            }
            let n = u32::try_from(a.variants.len() + a.deltas.len())
                .map_err(|_| TableError::TooLarge)?;
            assets.extend_from_slice(&variant_count.to_le_bytes());
            assets.extend_from_slice(&n.to_le_bytes());
            variant_count = variant_count.checked_add(n).ok_or(TableError::TooLarge)?;
            let ordinary = a.variants.iter().map(|(e, t, r)| (e, None, t, r));
            let deltas = a.deltas.iter().map(|(e, d, t, r)| (e, Some(d), t, r));
            for (encoding, dictionary, etag, (offset, len)) in ordinary.chain(deltas) {
                let dictionary = dictionary.map(fingerprint::hex).unwrap_or_default();
                variants.extend_from_slice(&u32::from(encoding_code(*encoding)).to_le_bytes());
                variants.extend_from_slice(&strings.add(etag)?);
                variants.extend_from_slice(&strings.add(&len.to_string())?);
                variants.extend_from_slice(&strings.add(&dictionary)?);
                variants.extend_from_slice(&offset.to_le_bytes());
                variants.extend_from_slice(&len.to_le_bytes());
            }
        }

        let index_len = HEADER
            + disps.len() * 8
            + entries.len() * 4
            + assets.len()
            + variants.len()
            + strings.bytes.len();
        let mut out = Vec::with_capacity(index_len + self.data.len());
        out.extend_from_slice(&MAGIC);
        out.extend_from_slice(&(index_len as u64).to_le_bytes());
        for n in [
            self.assets.len(),
            variant_count as usize,
            entries.len(),
            disps.len(),
        ] {
            out.extend_from_slice(&(n as u32).to_le_bytes());
        }
        out.extend_from_slice(&phf_key.to_le_bytes());
        out.extend_from_slice(&prefix);
        for (d1, d2) in &disps {
            out.extend_from_slice(&d1.to_le_bytes());
            out.extend_from_slice(&d2.to_le_bytes());
        }
        for e in &entries {
            out.extend_from_slice(&e.to_le_bytes());
        }
        out.extend_from_slice(&assets);
        out.extend_from_slice(&variants);
        out.extend_from_slice(&strings.bytes);
        debug_assert_eq!(out.len(), index_len);
        out.extend_from_slice(&self.data);
        Ok(out)
    }
}

#[derive(Default)]
struct Strings {
    bytes: Vec<u8>,
}

impl Strings {
    fn add(&mut self, s: &str) -> Result<[u8; 8], TableError> {
        let offset = u32::try_from(self.bytes.len()).map_err(|_| TableError::TooLarge)?;
        let len = u32::try_from(s.len()).map_err(|_| TableError::TooLarge)?;
        self.bytes.extend_from_slice(s.as_bytes());
        let mut out = [0; 8];
        out[..4].copy_from_slice(&offset.to_le_bytes());
        out[4..].copy_from_slice(&len.to_le_bytes());
        Ok(out)
    }
}

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

/// Why bytes are not a table. The build writes tables and the runtime
/// reads them from the same build, so this means a bug, or an
/// `asset-build` and an `asset-runtime` of different formats.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormatError(&'static str);

impl std::fmt::Display for FormatError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "not an asset table of format 2: {}", self.0)
    }
}

impl std::error::Error for FormatError {}

/// A table read from its bytes, every offset checked.
#[derive(Clone, Debug)]
pub struct Table<'a> {
    prefix: &'a str,
    phf_key: u64,
    disps: &'a [u8],
    entries: &'a [u8],
    assets: &'a [u8],
    variants: &'a [u8],
    strings: &'a str,
    data: Data<'a>,
}

/// The data, in one or more parts end to end (a variant's bytes never
/// straddle two), with where each part starts.
#[derive(Clone, Debug)]
struct Data<'a> {
    starts: Vec<u64>,
    parts: Vec<&'a [u8]>,
    len: u64,
}

impl<'a> Data<'a> {
    fn new(parts: impl IntoIterator<Item = &'a [u8]>) -> Data<'a> {
        let mut data = Data {
            starts: Vec::new(),
            parts: Vec::new(),
            len: 0,
        };
        for part in parts.into_iter().filter(|p| !p.is_empty()) {
            data.starts.push(data.len);
            data.parts.push(part);
            data.len += part.len() as u64;
        }
        data
    }

    /// The bytes at `offset`, `len` long, if they are within one part.
    fn get(&self, offset: u64, len: u64) -> Option<&'a [u8]> {
        if len == 0 {
            return (offset <= self.len).then_some(&[]);
        }
        let k = self
            .starts
            .partition_point(|&s| s <= offset)
            .checked_sub(1)?;
        let at = usize::try_from(offset - self.starts[k]).ok()?;
        let end = at.checked_add(usize::try_from(len).ok()?)?;
        self.parts[k].get(at..end)
    }
}

/// One asset of a [`Table`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssetView<'a> {
    /// `css/app.css`.
    pub logical_path: &'a str,
    /// `css/app.3f2a1b9c4d5e6f70.css`.
    pub hashed_path: &'a str,
    /// The hashed path's URL.
    pub url: &'a str,
    /// The logical path's URL.
    pub logical_url: &'a str,
    /// The `Content-Type` value.
    pub content_type: &'a str,
    /// `sha384-...`.
    pub integrity: &'a str,
    /// The `Use-As-Dictionary` value, empty when it offers none.
    pub use_as_dictionary: &'a str,
    /// Its variants' indexes ([`Table::variant`]): the ordinary codings,
    /// then the deltas.
    pub variants: Range<usize>,
}

/// One stored variant of a [`Table`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VariantView<'a> {
    /// Its content coding.
    pub encoding: Encoding,
    /// Its ETag, quotes included.
    pub etag: &'a str,
    /// Its length in decimal.
    pub content_length: &'a str,
    /// For a delta, the SHA-256 of its dictionary.
    pub dictionary: Option<[u8; 32]>,
    /// Its bytes.
    pub bytes: &'a [u8],
}

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes"))
}

fn u64_at(bytes: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(bytes[at..at + 8].try_into().expect("8 bytes"))
}

fn split<'a>(rest: &mut &'a [u8], n: usize, what: &'static str) -> Result<&'a [u8], FormatError> {
    if rest.len() < n {
        return Err(FormatError(what));
    }
    let (head, tail) = rest.split_at(n);
    *rest = tail;
    Ok(head)
}

impl<'a> Table<'a> {
    /// Reads a table, checking every string, range and index in it, so
    /// that the accessors cannot fail afterwards.
    pub fn parse(bytes: &'a [u8]) -> Result<Table<'a>, FormatError> {
        Table::parse_parts(&[bytes])
    }

    /// Reads a table written in parts: the first holds the whole index
    /// (and possibly data after it), the others more data, so that the
    /// data is their concatenation. No variant may straddle two parts.
    pub fn parse_parts(parts: &[&'a [u8]]) -> Result<Table<'a>, FormatError> {
        let bytes: &'a [u8] = parts.first().copied().unwrap_or_default();
        if bytes.len() < HEADER || bytes[..8] != MAGIC {
            return Err(FormatError("the magic bytes are missing"));
        }
        let index_len = usize::try_from(u64_at(bytes, 8))
            .ok()
            .filter(|&n| n >= HEADER && n <= bytes.len())
            .ok_or(FormatError("the index length is out of range"))?;
        let count = |at| u32_at(bytes, at) as usize;
        let (n_assets, n_variants, n_entries, n_disps) =
            (count(16), count(20), count(24), count(28));
        let phf_key = u64_at(bytes, 32);
        let mut rest = &bytes[HEADER..index_len];
        let too_short = "the index is shorter than its counts";
        let disps = split(&mut rest, n_disps.saturating_mul(8), too_short)?;
        let entries = split(&mut rest, n_entries.saturating_mul(4), too_short)?;
        let assets = split(&mut rest, n_assets.saturating_mul(ASSET), too_short)?;
        let variants = split(&mut rest, n_variants.saturating_mul(VARIANT), too_short)?;
        let strings =
            std::str::from_utf8(rest).map_err(|_| FormatError("the strings are not UTF-8"))?;
        let mut table = Table {
            prefix: "",
            phf_key,
            disps,
            entries,
            assets,
            variants,
            strings,
            data: Data::new(
                std::iter::once(&bytes[index_len..]).chain(parts.iter().skip(1).copied()),
            ),
        };
        table.prefix = table.string(&bytes[40..48])?;
        if (n_entries == 0) != (n_disps == 0) {
            return Err(FormatError("a map without displacements"));
        }
        for e in 0..n_entries {
            if (u32_at(entries, e * 4) >> 1) as usize >= n_assets {
                return Err(FormatError("a map entry names no asset"));
            }
        }
        for i in 0..n_assets {
            let at = i * ASSET;
            for s in 0..7 {
                table.string(&assets[at + s * 8..at + s * 8 + 8])?;
            }
            let first = u32_at(assets, at + 56) as usize;
            let n = u32_at(assets, at + 60) as usize;
            if first.checked_add(n).is_none_or(|end| end > n_variants) {
                return Err(FormatError("an asset's variants are out of range"));
            }
        }
        for v in 0..n_variants {
            let at = v * VARIANT;
            let encoding =
                encoding_of(u32_at(variants, at)).ok_or(FormatError("an unknown encoding"))?;
            table.string(&variants[at + 4..at + 12])?;
            table.string(&variants[at + 12..at + 20])?;
            let dictionary = table.string(&variants[at + 20..at + 28])?;
            let well_formed = if encoding.is_delta() {
                fingerprint::parse_hex(dictionary).is_some()
            } else {
                dictionary.is_empty()
            };
            if !well_formed {
                return Err(FormatError("a dictionary hash does not fit its coding"));
            }
            let (offset, len) = (u64_at(variants, at + 28), u64_at(variants, at + 36));
            if table.data.get(offset, len).is_none() {
                return Err(FormatError("a variant's bytes are out of range"));
            }
        }
        Ok(table)
    }

    fn string(&self, at: &[u8]) -> Result<&'a str, FormatError> {
        let (offset, len) = (u32_at(at, 0) as usize, u32_at(at, 4) as usize);
        offset
            .checked_add(len)
            .and_then(|end| self.strings.get(offset..end))
            .ok_or(FormatError("a string is out of range"))
    }

    fn checked_string(&self, at: &[u8]) -> &'a str {
        self.string(at).expect("checked by Table::parse")
    }

    /// The URL prefix the table was built with.
    pub fn prefix(&self) -> &'a str {
        self.prefix
    }

    /// How many assets there are.
    pub fn len(&self) -> usize {
        self.assets.len() / ASSET
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.assets.is_empty()
    }

    /// How many variants there are, over all assets.
    pub fn variant_count(&self) -> usize {
        self.variants.len() / VARIANT
    }

    /// The asset at `index`, in logical-path order. Panics past the end.
    pub fn asset(&self, index: usize) -> AssetView<'a> {
        let a = &self.assets[index * ASSET..(index + 1) * ASSET];
        let first = u32_at(a, 56) as usize;
        AssetView {
            logical_path: self.checked_string(&a[0..8]),
            hashed_path: self.checked_string(&a[8..16]),
            url: self.checked_string(&a[16..24]),
            logical_url: self.checked_string(&a[24..32]),
            content_type: self.checked_string(&a[32..40]),
            integrity: self.checked_string(&a[40..48]),
            use_as_dictionary: self.checked_string(&a[48..56]),
            variants: first..first + u32_at(a, 60) as usize,
        }
    }

    /// The variant at `index`. Panics past the end.
    pub fn variant(&self, index: usize) -> VariantView<'a> {
        let v = &self.variants[index * VARIANT..(index + 1) * VARIANT];
        let (offset, len) = (u64_at(v, 28), u64_at(v, 36));
        VariantView {
            encoding: encoding_of(u32_at(v, 0)).expect("checked by Table::parse"),
            etag: self.checked_string(&v[4..12]),
            content_length: self.checked_string(&v[12..20]),
            dictionary: fingerprint::parse_hex(self.checked_string(&v[20..28])),
            bytes: self.data.get(offset, len).expect("checked by Table::parse"),
        }
    }

    /// The perfect hash: its key, displacements and entries (each
    /// `asset << 1 | immutable`), for a reader that keeps them in its own
    /// form, as the runtime does (with [`slot`]).
    pub fn map(&self) -> (u64, Vec<(u32, u32)>, Vec<u32>) {
        let disps = self
            .disps
            .chunks_exact(8)
            .map(|d| (u32_at(d, 0), u32_at(d, 4)))
            .collect();
        let entries = self.entries.chunks_exact(4).map(|e| u32_at(e, 0)).collect();
        (self.phf_key, disps, entries)
    }

    /// The asset a request path names, and whether the path is its hashed
    /// (immutable) one. It decodes the map for each call: for tests and
    /// tools; a server keeps [`Table::map`]'s result instead.
    pub fn lookup(&self, path: &str) -> Option<(usize, bool)> {
        let (key, disps, entries) = self.map();
        let entry = entries[slot(key, &disps, entries.len(), path)?];
        let (asset, immutable) = ((entry >> 1) as usize, entry & 1 == 1);
        let a = self.asset(asset);
        let name = if immutable {
            a.hashed_path
        } else {
            a.logical_path
        };
        (name == path).then_some((asset, immutable))
    }
}

/// Where `path` would be among a perfect hash's `len` entries: the only
/// entry whose key can be `path` (compare it), or `None` for an empty map.
pub fn slot(key: u64, disps: &[(u32, u32)], len: usize, path: &str) -> Option<usize> {
    if disps.is_empty() || len == 0 {
        return None;
    }
    let hashes = phf_shared::hash(path, &key);
    Some(phf_shared::get_index(&hashes, disps, len) as usize)
}

#[cfg(test)]
mod tests;
