//! `fetch-releases`: the text assets of the newest published releases,
//! downloaded into a folder that a build names as its earlier releases
//! (`ASSET_BUILD_EARLIER_RELEASES`), so that CI on a fresh machine builds
//! deltas against what visitors hold. The build script itself never
//! touches the network.
//!
//! The folder is a copy of the published prefix, restricted: the newest
//! N release manifests (`manifests/<release id>.json`), and the objects
//! they name that a delta can use, the stored bytes (no precompressed
//! sibling, no delta) of each asset that this build's table offers as a
//! dictionary. A file already there with the listed size is not fetched
//! again.

use std::collections::BTreeSet;
use std::path::Path;

use asset_manifest::release;
use futures_util::{StreamExt, TryStreamExt};

use super::error::{ErrorKind, PublishError};
use super::store::Target;
use crate::Assets;

/// What [`fetch_releases`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchReport {
    /// The release ids, newest first.
    pub releases: Vec<String>,
    /// Objects downloaded.
    pub fetched: usize,
    /// Their bytes.
    pub fetched_bytes: u64,
    /// Objects already in the folder.
    pub present: usize,
}

/// Downloads the newest `releases` published releases under `url` into
/// `dir`: their manifests, and the stored bytes of the assets `assets`
/// offers as dictionaries (see the [module docs](self)).
///
/// ```no_run
/// # asset_runtime::__example_assets!();
/// # async fn run() -> Result<(), asset_runtime::publish::PublishError> {
/// let report =
///     asset_runtime::publish::fetch_releases(&ASSETS, "s3://bucket/static/", "earlier", 3).await?;
/// println!("{} releases, {} files", report.releases.len(), report.fetched + report.present);
/// # Ok(())
/// # }
/// ```
pub async fn fetch_releases(
    assets: &Assets,
    url: &str,
    dir: impl AsRef<Path>,
    releases: usize,
) -> Result<FetchReport, PublishError> {
    let target = Target::open(url, super::DEFAULT_RETRIES)?;
    fetch_on(assets, &target, dir.as_ref(), releases).await
}

/// [`fetch_releases`] on a store already open.
pub(super) async fn fetch_on(
    assets: &Assets,
    target: &Target,
    dir: &Path,
    releases: usize,
) -> Result<FetchReport, PublishError> {
    let listed = target.list_under(release::MANIFESTS_DIR).await?;
    let manifests = listed
        .iter()
        .filter(|(key, _)| release::release_of(key).is_some())
        .collect();
    let mut found = super::prune::releases_newest_first(
        target,
        manifests,
        super::DEFAULT_CONCURRENCY,
        "; nothing was downloaded",
    )
    .await?;
    found.truncate(releases);

    let offered: BTreeSet<&str> = assets
        .iter()
        .filter(|a| a.use_as_dictionary().is_some())
        .map(|a| a.logical_path())
        .collect();
    let mut report = FetchReport {
        releases: Vec::new(),
        fetched: 0,
        fetched_bytes: 0,
        present: 0,
    };
    let mut wanted = BTreeSet::new();
    for (release, _) in &found {
        // The publisher wrote it with the same `to_json`: the same bytes.
        let key = release::manifest_key(&release.release);
        write(dir, &key, release.to_json().as_bytes(), &target.url)?;
        report.releases.push(release.release.clone());
        for (key, meta) in &release.objects {
            let usable = meta.content_encoding.is_none()
                && asset_manifest::naming::split_hashed(key)
                    .is_some_and(|(logical, _)| offered.contains(logical.as_str()));
            if usable {
                wanted.insert((key.clone(), meta.size));
            }
        }
    }
    let missing: Vec<&String> = wanted
        .iter()
        .filter(|(key, size)| {
            let there = crate::export::path_in(dir, key)
                .and_then(|path| std::fs::metadata(path).ok())
                .is_some_and(|m| m.len() == *size);
            report.present += usize::from(there);
            !there
        })
        .map(|(key, _)| key)
        .collect();
    let fetched: Vec<u64> = futures_util::stream::iter(missing)
        .map(|key| async move {
            let bytes = target.read(key, &format!("`{key}`")).await?;
            write(dir, key, &bytes, &target.url)?;
            Ok::<_, PublishError>(bytes.len() as u64)
        })
        .buffer_unordered(super::DEFAULT_CONCURRENCY)
        .try_collect()
        .await?;
    report.fetched = fetched.len();
    report.fetched_bytes = fetched.iter().sum();
    Ok(report)
}

/// Writes `key` under `dir`; a key that could leave the folder (keys come
/// from a release manifest) is refused.
fn write(dir: &Path, key: &str, bytes: &[u8], url: &str) -> Result<(), PublishError> {
    let path = crate::export::path_in(dir, key).ok_or_else(|| {
        PublishError::new(
            ErrorKind::Manifest,
            url,
            format!("the key `{key}` would leave the folder; nothing of it was written"),
        )
    })?;
    let written = std::fs::create_dir_all(path.parent().unwrap_or(dir))
        .and_then(|()| std::fs::write(&path, bytes));
    written.map_err(|err| {
        PublishError::new(
            ErrorKind::Folder,
            url,
            format!("cannot write {}: {err}", path.display()),
        )
    })
}
