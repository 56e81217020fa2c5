//! A table compiled into the binary: its bytes ([`asset_manifest::table`]),
//! read into records at the first lookup, and the perfect hash from
//! request path to record.

use std::sync::OnceLock;

use super::Lookup;
use crate::{Asset, Variant};

/// A table compiled into the binary, as bytes
/// ([`asset_manifest::table`]), read at the first lookup.
pub(super) struct Packed {
    parts: &'static [&'static [u8]],
    decoded: OnceLock<Embedded>,
}

impl std::fmt::Debug for Packed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Packed")
            .field("decoded", &self.decoded.get().map(|e| e.assets.len()))
            .finish()
    }
}

impl Packed {
    pub(super) const fn new(parts: &'static [&'static [u8]]) -> Packed {
        Packed {
            parts,
            decoded: OnceLock::new(),
        }
    }

    pub(super) fn get(&self) -> &Embedded {
        self.decoded.get_or_init(|| Embedded::decode(self.parts))
    }
}

/// A table read from its bytes: the records, and the perfect hash from
/// request path to record.
#[derive(Debug)]
pub(super) struct Embedded {
    /// Ordered by logical path.
    pub(super) assets: &'static [Asset],
    key: u64,
    disps: Box<[(u32, u32)]>,
    /// In the hash's order: the request path, and `asset << 1 | immutable`.
    entries: Box<[(&'static str, u32)]>,
}

impl Embedded {
    fn decode(parts: &'static [&'static [u8]]) -> Embedded {
        // The build wrote these bytes for this format (`__packed_v2`), so
        // an error here is a bug, never an input to handle.
        let table = asset_manifest::table::Table::parse_parts(parts)
            .unwrap_or_else(|e| panic!("the embedded asset table is damaged: {e}"));
        let variants: &'static [Variant] = (0..table.variant_count())
            .map(|i| {
                let v = table.variant(i);
                Variant::__new(v.encoding, v.etag, v.bytes, v.content_length)
                    .__with_dictionary(v.dictionary)
            })
            .collect::<Vec<_>>()
            .leak();
        let assets = (0..table.len())
            .map(|i| {
                let a = table.asset(i);
                // The ordinary codings come first, then the deltas.
                let all = &variants[a.variants];
                let ordinary = all.iter().take_while(|v| !v.encoding().is_delta()).count();
                Asset::__new(
                    a.logical_path,
                    a.hashed_path,
                    a.url,
                    a.logical_url,
                    a.content_type,
                    a.integrity,
                    &all[..ordinary],
                )
                .__with_dictionaries(
                    Some(a.use_as_dictionary).filter(|v| !v.is_empty()),
                    &all[ordinary..],
                )
            })
            .collect::<Vec<_>>()
            .leak();
        let (key, disps, entries) = table.map();
        // Each entry keeps its key beside it, so that a lookup reads the
        // entry and the key's bytes, not the asset's record first.
        let entries = entries
            .into_iter()
            .map(|e| {
                let a: &Asset = &assets[(e >> 1) as usize];
                let key = if e & 1 == 1 {
                    a.hashed_path()
                } else {
                    a.logical_path()
                };
                (key, e)
            })
            .collect();
        Embedded {
            assets,
            key,
            disps: disps.into(),
            entries,
        }
    }

    pub(super) fn lookup(&self, path: &str) -> Option<Lookup> {
        let slot = asset_manifest::table::slot(self.key, &self.disps, self.entries.len(), path)?;
        let (key, entry) = self.entries[slot];
        if key != path {
            return None;
        }
        let asset = &self.assets[(entry >> 1) as usize];
        Some(if entry & 1 == 1 {
            Lookup::Hashed(asset)
        } else {
            Lookup::Logical(asset)
        })
    }

    pub(super) fn get(&self, logical_path: &str) -> Option<&'static Asset> {
        let asset = self.lookup(logical_path)?.asset();
        (asset.logical_path() == logical_path).then_some(asset)
    }

    pub(super) fn index_of(&self, logical_path: &str) -> Option<usize> {
        self.assets
            .binary_search_by(|a| a.logical_path().cmp(logical_path))
            .ok()
    }
}
