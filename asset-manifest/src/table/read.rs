//! Reading a table: [`Table::parse`] checks every offset, string and
//! index once, so that the accessors cannot fail afterwards.

use std::ops::Range;

use super::{ASSET, HEADER, MAGIC, VARIANT, encoding_of};
use crate::{Encoding, fingerprint};

/// Why bytes are not a table. The build writes tables and the runtime
/// reads them from the same build, so this means a bug, or an
/// `asset-build` and an `asset-runtime` of different formats.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormatError(pub(super) &'static str);

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
