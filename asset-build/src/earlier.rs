//! Earlier releases: the bytes that returning visitors hold, as build
//! input for deltas (`delta.rs`). The build script never touches the
//! network; it reads folders:
//!
//! - **Exports and bucket copies**, named by [`EARLIER_ENV`] (a list of
//!   folders, separated like `PATH`) or `Pipeline::earlier_release`: an
//!   `export-assets` folder (its `manifest.json` maps logical paths to
//!   hashed files), or a local copy of a published prefix (its
//!   `manifests/<release id>.json`, the newest first, list the hashed
//!   keys), such as `fetch-releases` writes.
//! - **This target directory's own release builds** ([`History`]): each
//!   release-profile build records the text assets it served beside the
//!   shared compression cache, `<cache>/releases/<app>/`, the newest few
//!   kept, so that repeated local release builds get deltas with no
//!   setting at all.
//!
//! A folder that is missing, holds no release, or lists files it lacks is
//! reported in a warning naming it; the build goes on without what it
//! could not read.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use asset_manifest::Manifest;
use asset_manifest::fingerprint::hex;
use asset_manifest::release::{MANIFESTS_DIR, Release};
use serde::{Deserialize, Serialize};

use crate::delta::Dictionary;
use crate::store::{BlobStore, write_atomic};

/// Folders of earlier releases, separated like `PATH`.
pub const EARLIER_ENV: &str = "ASSET_BUILD_EARLIER_RELEASES";

/// How many earlier versions of each file deltas are made against, by
/// default.
pub const DEFAULT_DEPTH: usize = 3;

/// One earlier version of a logical path: where its bytes are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    pub logical: String,
    pub path: PathBuf,
}

/// The versions an earlier-release folder holds of the `wanted` logical
/// paths, newest release first; `warnings` says what was wrong with it.
pub fn read_folder(
    dir: &Path,
    wanted: &BTreeSet<String>,
    depth: usize,
    warnings: &mut Vec<String>,
) -> Vec<Version> {
    let shown = dir.display();
    if !dir.is_dir() {
        warnings.push(format!(
            "earlier release `{shown}` is not a folder; building without its deltas"
        ));
        return Vec::new();
    }
    let listed = match (
        dir.join(asset_manifest::layout::MANIFEST_FILE).is_file(),
        dir.join(MANIFESTS_DIR).is_dir(),
    ) {
        (true, _) => export_listing(dir, warnings),
        (false, true) => bucket_listing(dir, depth, warnings),
        (false, false) => {
            warnings.push(format!(
                "earlier release `{shown}` is not a release: it has neither a `manifest.json` (an export) nor a `manifests/` folder (a copy of a published prefix); building without its deltas"
            ));
            return Vec::new();
        }
    };
    if listed.is_empty() {
        return Vec::new();
    }
    if !listed.iter().any(|v| wanted.contains(&v.logical)) {
        warnings.push(format!(
            "earlier release `{shown}` shares no file with this build (another app's?); building without its deltas"
        ));
        return Vec::new();
    }
    let (present, missing): (Vec<_>, Vec<_>) = listed
        .into_iter()
        .filter(|v| wanted.contains(&v.logical))
        .partition(|v| v.path.is_file());
    if let Some(first) = missing.first() {
        warnings.push(format!(
            "earlier release `{shown}` lacks {} file(s) its manifest lists, such as `{}`; building without their deltas",
            missing.len(),
            first.path.display()
        ));
    }
    present
}

/// An export: `manifest.json` maps each logical path to its hashed file.
fn export_listing(dir: &Path, warnings: &mut Vec<String>) -> Vec<Version> {
    let path = dir.join(asset_manifest::layout::MANIFEST_FILE);
    let manifest = fs::read_to_string(&path)
        .map_err(|e| e.to_string())
        .and_then(|text| Manifest::from_json(&text).map_err(|e| e.to_string()));
    let manifest = match manifest {
        Ok(m) if !m.dev => m,
        Ok(_) => {
            warnings.push(format!(
                "earlier release `{}` is a development-mode manifest, with no hashed files; building without its deltas",
                path.display()
            ));
            return Vec::new();
        }
        Err(err) => {
            warnings.push(format!(
                "earlier release `{}` cannot be read: {err}; building without its deltas",
                path.display()
            ));
            return Vec::new();
        }
    };
    manifest
        .assets
        .into_iter()
        .filter_map(|(logical, asset)| {
            let hashed = asset.hashed_path?;
            Some(Version {
                path: dir.join(&hashed),
                logical,
            })
        })
        .collect()
}

/// A copy of a published prefix: the newest `depth` release manifests,
/// each naming its hashed keys (percent-encoded as in URLs).
fn bucket_listing(dir: &Path, depth: usize, warnings: &mut Vec<String>) -> Vec<Version> {
    let manifests = dir.join(MANIFESTS_DIR);
    let mut releases = Vec::new();
    for entry in fs::read_dir(&manifests).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        match fs::read(&path)
            .map_err(|e| e.to_string())
            .and_then(|bytes| Release::from_json(&bytes).map_err(|e| e.to_string()))
        {
            Ok(release) => releases.push(release),
            Err(err) => warnings.push(format!(
                "earlier release manifest `{}` cannot be read: {err}; skipped",
                path.display()
            )),
        }
    }
    if releases.is_empty() {
        warnings.push(format!(
            "earlier release `{}` holds no readable release manifest; building without its deltas",
            manifests.display()
        ));
    }
    releases.sort_by(|a, b| {
        b.published_at_ms
            .cmp(&a.published_at_ms)
            .then(b.release.cmp(&a.release))
    });
    releases
        .into_iter()
        .take(depth)
        .flat_map(|release| release.objects.into_iter())
        .filter(|(_, meta)| meta.content_encoding.is_none())
        .filter_map(|(key, _)| {
            let (logical, _) = asset_manifest::naming::split_hashed(&key)?;
            let logical = percent_encoding::percent_decode_str(&logical)
                .decode_utf8()
                .ok()?
                .into_owned();
            Some(Version {
                path: dir.join(&key),
                logical,
            })
        })
        .collect()
}

/// Every earlier version of the `wanted` logical paths, loaded: from
/// `folders` in order, then from the target directory's `history`; and
/// the paths that the build must watch for them (the folders' manifests
/// that exist: cargo reruns a build script for ever when a watched path
/// is missing). What cannot be used goes to `warnings`.
pub fn gather(
    folders: &[PathBuf],
    wanted: &BTreeSet<String>,
    depth: usize,
    history: Option<&History>,
    max_len: u64,
    warnings: &mut Vec<String>,
) -> (Vec<(String, Dictionary)>, Vec<PathBuf>) {
    let mut versions = Vec::new();
    let mut watched = Vec::new();
    for dir in folders {
        watched.push(dir.join(asset_manifest::layout::MANIFEST_FILE));
        watched.push(dir.join(MANIFESTS_DIR));
        versions.extend(read_folder(dir, wanted, depth, warnings));
    }
    if let Some(history) = history {
        versions.extend(history.versions());
    }
    watched.retain(|p| p.exists());
    (load(versions, max_len, warnings), watched)
}

/// Reads and hashes each version's bytes, skipping any that cannot be
/// read (with a warning) and any over `max_len` bytes (reported apart).
pub fn load(
    versions: Vec<Version>,
    max_len: u64,
    warnings: &mut Vec<String>,
) -> Vec<(String, Dictionary)> {
    let mut out = Vec::new();
    for v in versions {
        match fs::metadata(&v.path) {
            Ok(m) if m.len() > max_len => {
                warnings.push(format!(
                    "earlier version `{}` ({} bytes) is too large to be a dictionary (at most {max_len}); no delta against it",
                    v.path.display(),
                    m.len()
                ));
                continue;
            }
            Err(err) => {
                warnings.push(format!("earlier version `{}`: {err}", v.path.display()));
                continue;
            }
            Ok(_) => {}
        }
        match fs::read(&v.path) {
            Ok(bytes) => {
                let sha = crate::hash::sha256(&bytes);
                out.push((
                    v.logical,
                    Dictionary {
                        sha,
                        bytes: Arc::new(bytes),
                    },
                ));
            }
            Err(err) => warnings.push(format!("earlier version `{}`: {err}", v.path.display())),
        }
    }
    out
}

/// The releases a target directory built, for one app: `index.json`
/// (newest first: each release's logical paths and the SHA-256 of their
/// bytes) and `blobs/<sha256>`.
#[derive(Debug)]
pub struct History {
    dir: PathBuf,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Index {
    releases: Vec<Recorded>,
}

#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
struct Recorded {
    assets: BTreeMap<String, String>,
}

impl History {
    /// The history of the app whose asset folders are `roots`, under a
    /// cache folder.
    pub fn new(cache_root: &Path, roots: &[PathBuf]) -> History {
        let mut key = xxhash_rust::xxh3::Xxh3::new();
        for root in roots {
            key.update(root.as_os_str().as_encoded_bytes());
            key.update(b"\0");
        }
        History {
            dir: cache_root
                .join("releases")
                .join(format!("{:016x}", key.digest())),
        }
    }

    fn index(&self) -> Index {
        fs::read(self.dir.join("index.json"))
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default()
    }

    /// The recorded versions, newest release first.
    pub fn versions(&self) -> Vec<Version> {
        self.index()
            .releases
            .into_iter()
            .flat_map(|r| r.assets.into_iter())
            .map(|(logical, sha)| Version {
                path: self.dir.join("blobs").join(sha),
                logical,
            })
            .collect()
    }

    /// Records this build's text assets (logical path and SHA-256, the
    /// bytes in `store`) as the newest release, keeps the newest `keep`, and
    /// removes the bytes no kept release names. Failures only cost the
    /// next build its deltas, so they are not errors.
    pub fn record(&self, assets: &[(String, [u8; 32])], store: &BlobStore, keep: usize) {
        let mut index = self.index();
        let current = Recorded {
            assets: assets
                .iter()
                .map(|(logical, sha)| (logical.clone(), hex(sha)))
                .collect(),
        };
        if index.releases.first() == Some(&current) || current.assets.is_empty() {
            return;
        }
        let blobs = self.dir.join("blobs");
        if fs::create_dir_all(&blobs).is_err() {
            return;
        }
        for (_, sha) in assets {
            let target = blobs.join(hex(sha));
            if !target.is_file() {
                let _ = store.copy_to(&hex(sha), &target);
            }
        }
        index.releases.insert(0, current);
        index.releases.truncate(keep.max(1));
        let used: BTreeSet<&String> = index
            .releases
            .iter()
            .flat_map(|r| r.assets.values())
            .collect();
        for entry in fs::read_dir(&blobs).into_iter().flatten().flatten() {
            if entry
                .file_name()
                .to_str()
                .is_none_or(|n| !used.contains(&n.to_owned()))
            {
                let _ = fs::remove_file(entry.path());
            }
        }
        let text = serde_json::to_vec_pretty(&index).expect("an index always serialises");
        let _ = write_atomic(&self.dir.join("index.json"), &text);
    }
}

#[cfg(test)]
mod tests;
