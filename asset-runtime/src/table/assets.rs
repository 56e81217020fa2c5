//! [`Assets`]: the table of one crate, and lookup in it.
//!
//! A table is either embedded (the bytes compiled in: an index with a
//! perfect hash from request path to [`Asset`], read at the first lookup,
//! see [`asset_manifest::table`]) or, in development mode, a
//! [`DevTable`](crate::dev) that reads the files from disk. Each kind has
//! its own type; [`Assets`] holds one and adds the URL prefix.

mod embedded;
mod prefix;

use std::sync::OnceLock;

use crate::Asset;
use crate::dev::DevTable;
use embedded::Packed;
use prefix::PrefixOverride;

pub use prefix::UrlPrefixError;

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

impl Assets {
    /// The table `asset-build` generates: `parts` are a table in format 1
    /// of [`asset_manifest::table`] (the index, then the data), read at
    /// the first lookup.
    #[doc(hidden)]
    pub const fn __packed_v2(parts: &'static [&'static [u8]], url_prefix: &'static str) -> Self {
        Assets {
            table: Table::Embedded(Packed::new(parts)),
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
            let list = match &self.table {
                Table::Embedded(packed) => packed.get().assets,
                // Development-mode assets are built under the current prefix.
                Table::Dev(_) => &[],
            };
            PrefixOverride::new(&prefix, list, self.url_prefix)
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
