//! [`Assets`]: the table of one crate, and lookup in it.
//!
//! A table is either embedded (the bytes compiled in: an index with a
//! perfect hash from request path to [`Asset`], read at the first lookup,
//! see [`asset_manifest::table`]) or, in development mode, a
//! [`DevTable`](crate::dev) that reads the files from disk. Each kind has
//! its own type; [`Assets`] holds one and adds the URL prefix.

use std::sync::OnceLock;

use crate::dev::DevTable;
use crate::{Asset, Variant};

/// What a request path names.
#[derive(Clone, Copy, Debug)]
pub enum Lookup {
    /// The fingerprinted path: its bytes never change.
    Hashed(&'static Asset),
    /// The logical path: its bytes change from release to release.
    Logical(&'static Asset),
}

impl Lookup {
    /// The asset, whichever path named it.
    pub fn asset(self) -> &'static Asset {
        match self {
            Lookup::Hashed(a) | Lookup::Logical(a) => a,
        }
    }
}

/// The embedded assets of one crate. Define it with
/// [`include_assets!`](crate::include_assets).
#[derive(Debug)]
pub struct Assets {
    table: Table,
    url_prefix: &'static str,
    prefix_override: OnceLock<PrefixOverride>,
    release: OnceLock<u128>,
}

#[derive(Debug)]
enum Table {
    Embedded(Packed),
    Dev(&'static DevTable),
}

/// A table compiled into the binary, as bytes
/// ([`asset_manifest::table`]), read at the first lookup.
struct Packed {
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
    fn get(&self) -> &Embedded {
        self.decoded.get_or_init(|| Embedded::decode(self.parts))
    }
}

/// A table read from its bytes: the records, and the perfect hash from
/// request path to record.
#[derive(Debug)]
struct Embedded {
    /// Ordered by logical path.
    assets: &'static [Asset],
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

    fn lookup(&self, path: &str) -> Option<Lookup> {
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

    fn get(&self, logical_path: &str) -> Option<&'static Asset> {
        let asset = self.lookup(logical_path)?.asset();
        (asset.logical_path() == logical_path).then_some(asset)
    }

    fn index_of(&self, logical_path: &str) -> Option<usize> {
        self.assets
            .binary_search_by(|a| a.logical_path().cmp(logical_path))
            .ok()
    }
}

/// URLs rebuilt once, at startup, under another prefix.
#[derive(Debug)]
struct PrefixOverride {
    prefix: &'static str,
    /// Aligned with the embedded list.
    urls: Vec<&'static str>,
    /// `Use-As-Dictionary` values under the new prefix's path, aligned
    /// with the embedded list; `None` when the path is the build's (the
    /// patterns name no origin, so only the path matters).
    dictionaries: Option<Vec<Option<&'static str>>>,
}

/// Why [`Assets::set_url_prefix`] refused a prefix.
#[derive(Clone, PartialEq, Eq)]
pub enum UrlPrefixError {
    /// Not `/...`, `http://...` or `https://...`, or it holds a space, a
    /// quote, `<`, `>`, `?`, `#`, `\\` or a control character.
    Invalid(String),
    /// A prefix was already set; it can be set once, at startup.
    AlreadySet(String),
}

impl std::fmt::Display for UrlPrefixError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            UrlPrefixError::Invalid(p) => write!(
                f,
                "invalid asset URL prefix `{p}`: it must start with `/`, `http://` or `https://` and contain no spaces, quotes, `<`, `>`, `?`, `#` or backslashes"
            ),
            UrlPrefixError::AlreadySet(p) => {
                write!(
                    f,
                    "the asset URL prefix was already set to `{p}`; it can be set once, at startup"
                )
            }
        }
    }
}

/// The same sentence as `Display`, so that `.unwrap()` says what is wrong.
impl std::fmt::Debug for UrlPrefixError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for UrlPrefixError {}

impl Assets {
    /// The table `asset-build` generates: `parts` are a table in format 1
    /// of [`asset_manifest::table`] (the index, then the data), read at
    /// the first lookup.
    #[doc(hidden)]
    pub const fn __packed_v2(parts: &'static [&'static [u8]], url_prefix: &'static str) -> Self {
        Assets {
            table: Table::Embedded(Packed {
                parts,
                decoded: OnceLock::new(),
            }),
            url_prefix,
            prefix_override: OnceLock::new(),
            release: OnceLock::new(),
        }
    }

    #[doc(hidden)]
    pub const fn __new_dev(dev: &'static DevTable, url_prefix: &'static str) -> Self {
        Assets {
            table: Table::Dev(dev),
            url_prefix,
            prefix_override: OnceLock::new(),
            release: OnceLock::new(),
        }
    }

    /// Whether this table was built in development mode (`ASSET_DEV=1`):
    /// files are read from disk when they change and served with
    /// `Cache-Control: no-cache`. See [`dev`](crate::dev).
    pub fn is_dev(&self) -> bool {
        matches!(self.table, Table::Dev(_))
    }

    /// Serves URLs under another prefix from now on, without a rebuild:
    /// typically a CDN origin read from the environment at startup.
    ///
    /// [`Assets::url`], [`Assets::url_prefix`] and the template helpers
    /// follow it; `asset!` and [`Asset::url`] keep the build-time prefix
    /// (they are compile-time constants). It can be set once; the URLs are
    /// built then, so lookups stay allocation-free.
    ///
    /// ```no_run
    /// # asset_runtime::__example_assets!();
    /// # fn main() -> Result<(), asset_runtime::UrlPrefixError> {
    /// if let Ok(cdn) = std::env::var("ASSET_URL_PREFIX") {
    ///     ASSETS.set_url_prefix(&cdn)?; // "https://cdn.example.com/static/"
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn set_url_prefix(&'static self, prefix: &str) -> Result<(), UrlPrefixError> {
        let prefix = asset_manifest::prefix::normalize(prefix)
            .ok_or_else(|| UrlPrefixError::Invalid(prefix.to_owned()))?;
        let mut fresh = false;
        let current = self.prefix_override.get_or_init(|| {
            fresh = true;
            let prefix: &'static str = Box::leak(prefix.clone().into_boxed_str());
            let list = match &self.table {
                Table::Embedded(packed) => packed.get().assets,
                // Development-mode assets are built under the current prefix.
                Table::Dev(_) => &[],
            };
            let urls = list
                .iter()
                .map(|a| {
                    let path = a
                        .url()
                        .strip_prefix(self.url_prefix)
                        .unwrap_or(a.hashed_path());
                    &*Box::leak(format!("{prefix}{path}").into_boxed_str())
                })
                .collect();
            let same_path = asset_manifest::dictionary::prefix_path(prefix)
                == asset_manifest::dictionary::prefix_path(self.url_prefix);
            let dictionaries = (!same_path).then(|| {
                list.iter()
                    .map(|a| {
                        a.use_as_dictionary()?;
                        let value =
                            asset_manifest::dictionary::use_as_dictionary(prefix, a.hashed_path())?;
                        Some(&*Box::leak(value.into_boxed_str()))
                    })
                    .collect()
            });
            PrefixOverride {
                prefix,
                urls,
                dictionaries,
            }
        });
        if fresh || current.prefix == prefix {
            Ok(())
        } else {
            Err(UrlPrefixError::AlreadySet(current.prefix.to_owned()))
        }
    }

    /// Finds what a request path names. `path` is relative to the URL
    /// prefix, without a leading `/`, and already percent-decoded:
    /// `css/app.3f2a1b9c4d5e6f70.css` or `css/app.css`.
    pub fn lookup(&self, path: &str) -> Option<Lookup> {
        match &self.table {
            Table::Embedded(packed) => packed.get().lookup(path),
            Table::Dev(dev) => dev.lookup(path, self.url_prefix(), self.url_prefix),
        }
    }

    /// The asset at a logical path such as `css/app.css`.
    pub fn get(&self, logical_path: &str) -> Option<&'static Asset> {
        match &self.table {
            Table::Embedded(packed) => packed.get().get(logical_path),
            Table::Dev(dev) => dev.get(logical_path, self.url_prefix(), self.url_prefix),
        }
    }

    /// The hashed URL of a logical path: `url("css/app.css")` is
    /// `Some("/static/css/app.3f2a1b9c4d5e6f70.css")`.
    pub fn url(&self, logical_path: &str) -> Option<&'static str> {
        match (&self.table, self.prefix_override.get()) {
            (Table::Embedded(packed), Some(o)) => {
                packed.get().index_of(logical_path).map(|i| o.urls[i])
            }
            _ => self.get(logical_path).map(Asset::url),
        }
    }

    /// The `Use-As-Dictionary` value of an asset's hashed responses under
    /// the current prefix ([`Asset::use_as_dictionary`] follows the
    /// build-time one).
    pub(crate) fn use_as_dictionary(&self, asset: &'static Asset) -> Option<&'static str> {
        let offered = asset.use_as_dictionary()?;
        match (&self.table, self.prefix_override.get()) {
            (
                Table::Embedded(packed),
                Some(PrefixOverride {
                    dictionaries: Some(list),
                    ..
                }),
            ) => packed
                .get()
                .index_of(asset.logical_path())
                .and_then(|i| list[i]),
            _ => Some(offered),
        }
    }

    /// Whether the URLs point at another origin (an `http://` or `https://`
    /// prefix, such as a CDN), so that `<link>` and `<script>` tags with an
    /// `integrity` attribute need `crossorigin="anonymous"` and the
    /// responses need `Access-Control-Allow-Origin`.
    pub fn is_cross_origin(&self) -> bool {
        asset_manifest::prefix::is_cross_origin(self.url_prefix())
    }

    /// The Subresource Integrity value (`sha384-...`) of a logical path.
    pub fn integrity(&self, logical_path: &str) -> Option<&'static str> {
        self.get(logical_path).map(Asset::integrity)
    }

    /// Every asset, ordered by logical path. (In development mode, the
    /// current contents of every file that can still be read.)
    pub fn iter(&self) -> Iter {
        self.into_iter()
    }

    /// How many assets there are.
    pub fn len(&self) -> usize {
        match &self.table {
            Table::Embedded(packed) => packed.get().assets.len(),
            Table::Dev(dev) => dev.len(),
        }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The URL prefix of [`Assets::url`]: the one set with
    /// [`Assets::set_url_prefix`], else the build-time one, such as
    /// `/static/`.
    pub fn url_prefix(&self) -> &'static str {
        self.prefix_override
            .get()
            .map_or(self.url_prefix, |o| o.prefix)
    }

    /// A fingerprint of this release's assets: 128 bits of XXH3 over every
    /// hashed path, so it changes whenever any asset's bytes (and so its
    /// URL) change. [`pages::Version`](crate::pages::Version) mixes it into
    /// page validators, so that no page of a previous release is answered
    /// with 304. In development mode it follows the files' current
    /// contents.
    pub fn release_id(&self) -> u128 {
        let compute = || {
            let mut hasher = xxhash_rust::xxh3::Xxh3::new();
            for asset in self {
                hasher.update(asset.hashed_path().as_bytes());
                hasher.update(b"\0");
            }
            hasher.digest128()
        };
        match self.table {
            Table::Embedded(_) => *self.release.get_or_init(compute),
            Table::Dev(_) => compute(),
        }
    }

    /// The URL prefix the table was built with.
    pub fn build_url_prefix(&self) -> &'static str {
        self.url_prefix
    }
}

impl IntoIterator for &Assets {
    type Item = &'static Asset;
    type IntoIter = Iter;

    fn into_iter(self) -> Iter {
        Iter(match &self.table {
            Table::Embedded(packed) => IterInner::Embedded(packed.get().assets.iter()),
            Table::Dev(dev) => {
                IterInner::Dev(dev.all(self.url_prefix(), self.url_prefix).into_iter())
            }
        })
    }
}

/// The assets of a table, ordered by logical path.
#[derive(Debug)]
pub struct Iter(IterInner);

#[derive(Debug)]
enum IterInner {
    Embedded(std::slice::Iter<'static, Asset>),
    Dev(std::vec::IntoIter<&'static Asset>),
}

impl Iterator for Iter {
    type Item = &'static Asset;

    fn next(&mut self) -> Option<&'static Asset> {
        match &mut self.0 {
            IterInner::Embedded(it) => it.next(),
            IterInner::Dev(it) => it.next(),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match &self.0 {
            IterInner::Embedded(it) => it.size_hint(),
            IterInner::Dev(it) => it.size_hint(),
        }
    }
}

impl ExactSizeIterator for Iter {}
