//! Writing a table: [`TableWriter`] orders the assets, builds the
//! perfect hash and lays out the index before the data.

use std::collections::HashSet;

use super::{ASSET, DataRange, HEADER, MAGIC, encoding_code};
use crate::{Encoding, fingerprint};

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
