//! Pruning: delete the objects that no recent release names.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, SystemTime};

use asset_manifest::release::{self, Release};
use futures_util::{StreamExt, TryStreamExt};

use super::error::{ErrorKind, PublishError};
use super::guard::{self, PruneLock};
use super::store::{Listed, Target};
use super::{DEFAULT_CONCURRENCY, DEFAULT_RETRIES};

/// How long an unnamed object is kept unless [`Prune::grace`] says
/// otherwise: a day.
pub const DEFAULT_GRACE: Duration = Duration::from_secs(24 * 60 * 60);

/// A prune of the store `url` names; see [`prune`].
#[must_use = "a prune does nothing until `.run().await`"]
pub struct Prune {
    url: String,
    keep: usize,
    grace: Duration,
    delete: bool,
    concurrency: usize,
    retries: usize,
}

/// One release found in the store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReleaseInfo {
    /// Its id.
    pub release: String,
    /// When its manifest was last written, by the store's clock.
    pub last_modified: SystemTime,
    /// Whether the prune keeps it.
    pub kept: bool,
}

/// What a prune deleted, or in a dry run would delete.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PruneReport {
    /// Every release, newest first.
    pub releases: Vec<ReleaseInfo>,
    /// The asset objects no kept release names, older than the grace
    /// period: `(key, size)`, sorted by key.
    pub objects: Vec<(String, u64)>,
    /// Their total size in bytes.
    pub bytes: u64,
    /// The manifests of the releases not kept, deleted after the objects,
    /// and the records of publishes abandoned more than
    /// [`RECORD_STALE`](super::RECORD_STALE) ago.
    pub manifests: Vec<String>,
    /// The releases being published now (their records are under
    /// `manifests/publishing/`): every object they name is kept.
    pub publishing: Vec<String>,
    /// Asset objects no kept release names, but younger than the grace
    /// period: kept (a publish may be under way).
    pub young: usize,
    /// Keys under the prefix that are neither assets nor release
    /// manifests: never touched.
    pub foreign: Vec<String>,
    /// Nothing was deleted: a dry run.
    pub dry_run: bool,
}

/// A prune of the store `url` names, a dry run unless
/// [`Prune::delete`] is set.
///
/// A release is kept when it is among the newest `keep` (by when its
/// manifest was written) or was published within the grace period. An
/// object is deleted only when it is an asset key (a hashed path, or one
/// with a `.br`, `.gz` or `.zst` extension), no kept release names it, and
/// it is older than the grace period; then the manifests of the releases
/// not kept go. Nothing is deleted if any manifest cannot be read, or if
/// there is none.
///
/// A prune may run while releases are published: what a publish under way
/// names is kept (its record), and a publish waits for a prune that may
/// not have seen it (its lock); see [`Publish::prune_wait`](super::Publish::prune_wait).
/// A dry run writes nothing, not even its lock.
///
/// ```no_run
/// # async fn cleanup() -> Result<(), asset_runtime::publish::PublishError> {
/// use std::time::Duration;
///
/// let report = asset_runtime::publish::prune("s3://my-bucket/static/")
///     .keep(3)
///     .grace(Duration::from_secs(3600))
///     .delete(true)
///     .run()
///     .await?;
/// println!("deleted {} objects ({} bytes)", report.objects.len(), report.bytes);
/// # Ok(())
/// # }
/// ```
pub fn prune(url: impl Into<String>) -> Prune {
    Prune {
        url: url.into(),
        keep: 3,
        grace: DEFAULT_GRACE,
        delete: false,
        concurrency: DEFAULT_CONCURRENCY,
        retries: DEFAULT_RETRIES,
    }
}

impl Prune {
    /// How many of the newest releases to keep (default 3). Zero is
    /// refused by [`Prune::run`]: the live release must stay.
    pub fn keep(mut self, releases: usize) -> Self {
        self.keep = releases;
        self
    }

    /// Keep whatever is younger than this (default one day).
    pub fn grace(mut self, grace: Duration) -> Self {
        self.grace = grace;
        self
    }

    /// Delete for real; otherwise only report what would go.
    pub fn delete(mut self, delete: bool) -> Self {
        self.delete = delete;
        self
    }

    /// How many manifest reads run at once (at least 1).
    pub fn concurrency(mut self, requests: usize) -> Self {
        self.concurrency = requests.max(1);
        self
    }

    /// How many times a failed request is retried.
    pub fn retries(mut self, retries: usize) -> Self {
        self.retries = retries;
        self
    }

    /// Runs the prune.
    pub async fn run(self) -> Result<PruneReport, PublishError> {
        if self.keep == 0 {
            return Err(PublishError::new(
                ErrorKind::Manifest,
                &self.url,
                "--keep must be at least 1: the live release's objects must stay",
            ));
        }
        let target = Target::open(&self.url, self.retries)?;
        self.run_on(target).await
    }

    /// [`Prune::run`] on a store already open.
    pub(super) async fn run_on(self, target: Target) -> Result<PruneReport, PublishError> {
        // The lock first, so that a publish that lists after it waits
        // for this prune (see `guard`).
        let mut lock = match self.delete {
            true => Some(PruneLock::take(&target).await?),
            false => None,
        };
        let result = self.plan_and_delete(&target, lock.as_mut()).await;
        if let Some(lock) = lock {
            let released = lock.release(&target).await;
            if result.is_ok() {
                released?;
            }
        }
        result
    }

    async fn plan_and_delete(
        &self,
        target: &Target,
        mut lock: Option<&mut PruneLock>,
    ) -> Result<PruneReport, PublishError> {
        let listed = target.list().await?;

        let manifest_keys: Vec<(&String, &Listed)> = listed
            .iter()
            .filter(|(key, _)| release::release_of(key).is_some())
            .collect();
        if manifest_keys.is_empty() {
            return Err(PublishError::new(
                ErrorKind::Manifest,
                &target.url,
                format!(
                    "no release manifests under `{}/`, so nothing is known to be in use; \
                     nothing was deleted (publish first)",
                    release::MANIFESTS_DIR
                ),
            ));
        }
        let releases = releases_newest_first(
            target,
            manifest_keys,
            self.concurrency,
            "; nothing was deleted",
        )
        .await?;
        // The store's clock: the lock's time in the listing.
        let store_now = match &lock {
            Some(lock) => guard::store_now(&listed, &lock.key),
            None => SystemTime::now(),
        };
        let (publishing, stale_records) =
            publishing_now(target, &listed, store_now, self.concurrency).await?;

        let now = SystemTime::now();
        let young = |time: SystemTime| {
            now.duration_since(time)
                .map_or(true, |age| age < self.grace)
        };
        let mut report = PruneReport {
            releases: Vec::new(),
            objects: Vec::new(),
            bytes: 0,
            manifests: Vec::new(),
            publishing: Vec::new(),
            young: 0,
            foreign: Vec::new(),
            dry_run: !self.delete,
        };
        let mut named = BTreeSet::new();
        for (i, (release, last_modified)) in releases.iter().enumerate() {
            let kept = i < self.keep || young(*last_modified);
            if kept {
                named.extend(release.objects.keys().map(String::as_str));
            } else {
                report
                    .manifests
                    .push(release::manifest_key(&release.release));
            }
            report.releases.push(ReleaseInfo {
                release: release.release.clone(),
                last_modified: *last_modified,
                kept,
            });
        }
        for release in &publishing {
            named.extend(release.objects.keys().map(String::as_str));
            report.publishing.push(release.release.clone());
        }
        for (key, object) in &listed {
            if release::release_of(key).is_some()
                || release::publishing_of(key).is_some()
                || release::is_pruning_key(key)
            {
                continue;
            }
            if !release::is_asset_key(key) {
                report.foreign.push(key.clone());
            } else if !named.contains(key.as_str()) {
                if young(object.last_modified) {
                    report.young += 1;
                } else {
                    report.objects.push((key.clone(), object.size));
                    report.bytes += object.size;
                }
            }
        }
        report.manifests.sort();
        report.manifests.extend(stale_records);

        if self.delete {
            // Objects first: if this stops midway, the old manifests still
            // list what is left, and the next prune finishes the job.
            let objects: Vec<&str> = report.objects.iter().map(|(k, _)| k.as_str()).collect();
            for chunk in objects.chunks(DELETE_CHUNK) {
                if let Some(lock) = lock.as_deref_mut() {
                    lock.keep_alive(target).await?;
                }
                delete(target, chunk.iter().copied()).await?;
            }
            delete(target, report.manifests.iter().map(String::as_str)).await?;
        }
        Ok(report)
    }
}

/// Keys deleted between two looks at the prune's lock.
const DELETE_CHUNK: usize = 1000;

/// The releases being published now, from their records in `listed`, and
/// the keys of records older than [`guard::RECORD_STALE`] at `now` (the
/// store's clock), which keep nothing. A record gone before it could be
/// read belongs to a publish that has since finished (its manifest, which
/// this listing may not show, is read instead) or failed.
async fn publishing_now(
    target: &Target,
    listed: &BTreeMap<String, Listed>,
    now: SystemTime,
    concurrency: usize,
) -> Result<(Vec<Release>, Vec<String>), PublishError> {
    let mut live = Vec::new();
    let mut stale = Vec::new();
    for (key, record) in listed {
        let Some(id) = release::publishing_of(key) else {
            continue;
        };
        match now.duration_since(record.last_modified) {
            Ok(age) if age >= guard::RECORD_STALE => stale.push(key.clone()),
            _ => live.push((key.clone(), id.to_owned())),
        }
    }
    let read = futures_util::stream::iter(live)
        .map(|(key, id)| async move {
            let consequence = "; nothing was deleted";
            for key in [key, release::manifest_key(&id)] {
                match target.read_if_there(&key, consequence).await? {
                    Some(bytes) => {
                        return parse_release(target, &key, &id, &bytes, consequence).map(Some);
                    }
                    None => continue,
                }
            }
            Ok(None)
        })
        .buffer_unordered(concurrency)
        .try_collect::<Vec<Option<Release>>>()
        .await?;
    Ok((read.into_iter().flatten().collect(), stale))
}
/// Reads and parses the release manifests `manifest_keys` names, newest
/// first: by the store's clock, then the publisher's. Any failure stops
/// the caller; `consequence` ends each error's sentence.
pub(super) async fn releases_newest_first(
    target: &Target,
    manifest_keys: Vec<(&String, &Listed)>,
    concurrency: usize,
    consequence: &str,
) -> Result<Vec<(Release, SystemTime)>, PublishError> {
    let mut releases: Vec<(Release, SystemTime)> = futures_util::stream::iter(manifest_keys)
        .map(|(key, listed)| read_release(target, key, listed.last_modified, consequence))
        .buffer_unordered(concurrency)
        .try_collect()
        .await?;
    releases.sort_by(|(a, at), (b, bt)| {
        (bt, b.published_at_ms, &b.release).cmp(&(at, a.published_at_ms, &a.release))
    });
    Ok(releases)
}

/// Reads and parses one release manifest.
async fn read_release(
    target: &Target,
    key: &str,
    last_modified: SystemTime,
    consequence: &str,
) -> Result<(Release, SystemTime), PublishError> {
    let bytes = target
        .read(key, &format!("the release manifest `{key}`{consequence}"))
        .await?;
    let id = release::release_of(key).unwrap_or_default();
    Ok((
        parse_release(target, key, id, &bytes, consequence)?,
        last_modified,
    ))
}

/// Parses the manifest or publish record at `key`, which must name
/// release `id`.
fn parse_release(
    target: &Target,
    key: &str,
    id: &str,
    bytes: &[u8],
    consequence: &str,
) -> Result<Release, PublishError> {
    let release = Release::from_json(bytes).map_err(|err| {
        PublishError::new(
            ErrorKind::Manifest,
            &target.url,
            format!("the release manifest `{key}` is not valid ({err}){consequence}"),
        )
    })?;
    if release.release != id {
        return Err(PublishError::new(
            ErrorKind::Manifest,
            &target.url,
            format!(
                "the release manifest `{key}` names release {}{consequence}",
                release.release
            ),
        ));
    }
    Ok(release)
}

/// Deletes keys, in batches where the store can (S3: 1,000 a request).
async fn delete<'a>(
    target: &Target,
    keys: impl Iterator<Item = &'a str>,
) -> Result<(), PublishError> {
    let keys: Vec<&str> = keys.collect();
    let paths = keys
        .iter()
        .map(|key| target.path(key))
        .collect::<Result<Vec<_>, _>>()?;
    let Some(first) = keys.first() else {
        return Ok(());
    };
    let what = match keys.len() {
        1 => format!("cannot delete `{first}`"),
        n => format!("cannot delete `{first}` and {} other keys", n - 1),
    };
    let stream = futures_util::stream::iter(paths.into_iter().map(Ok)).boxed();
    // A key already gone (another prune deleted it) is not a failure.
    let mut results = target.store.delete_stream(stream);
    while let Some(result) = results.next().await {
        match result {
            Ok(_) | Err(object_store::Error::NotFound { .. }) => {}
            Err(err) => return Err(PublishError::store(&target.url, what, err)),
        }
    }
    Ok(())
}
