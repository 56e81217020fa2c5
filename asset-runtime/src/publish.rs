//! Publishing the hashed assets to object storage behind a CDN, and
//! pruning what no recent release needs (feature `publish`).
//!
//! One command at deploy time, before the new release takes traffic:
//!
//! ```text
//! AWS_ACCESS_KEY_ID=… AWS_SECRET_ACCESS_KEY=… my-app publish-assets s3://bucket/static/
//! my-app prune-assets s3://bucket/static/ --keep 3            # lists what would go
//! my-app prune-assets s3://bucket/static/ --keep 3 --delete   # deletes it
//! ```
//!
//! [`run_command`] gives an app both commands in one line of `main`; the
//! same work is [`Assets::publish`] and [`prune`] in code.
//!
//! # What a publish does
//!
//! 1. Lists `manifests/`: if the release's manifest is there (and is the
//!    newest), the release is complete and there is nothing to upload (see
//!    [`Publish::verify`]).
//! 2. Writes its record, `manifests/publishing/<release id>-<token>.json`,
//!    naming every object of the release, then lists the prefix once. If a
//!    prune is under way (its lock, `manifests/pruning/<token>.json`, is in
//!    the listing), it waits for that prune to finish and lists again (see
//!    [`Publish::prune_wait`] and [Running at once](#running-at-once)).
//! 3. Refuses, before uploading anything, if a key of the release holds an
//!    object of another size: a hashed key names its bytes, so nothing is
//!    ever overwritten.
//! 4. Uploads every missing object, many at once, each written only if
//!    absent (`If-None-Match: *` on S3), with `Content-Type`,
//!    `Cache-Control: public, max-age=31536000, immutable` and, for the
//!    precompressed siblings ([`Publish::precompressed`]),
//!    `Content-Encoding`. Objects already present are skipped: a publish
//!    that was interrupted is finished by running it again, uploading
//!    nothing twice.
//! 5. Writes `manifests/<release id>.json` **last**, naming every key the
//!    release needs ([`asset_manifest::release`]): a release exists only
//!    once all its objects do. Then it removes its record, and any that an
//!    interrupted publish of the same release left.
//!
//! # Running at once
//!
//! Deploys may overlap: two releases published at once to one prefix both
//! complete, each object written once (every write is create-only, and a
//! key found written by the other publish with the right size counts as
//! present); the same release published twice at once completes once. A
//! prune ([`prune`]) may run during a publish and never deletes an object
//! the publishing release names, whatever the order of their requests:
//! each writes its marker (the publish's record, the prune's lock) before
//! it lists, so at least one sees the other. The prune keeps what records
//! name; a publish that sees a lock waits for it and lists again, so it
//! never counts on an object that prune may still delete. The markers of
//! processes that died stop counting after [`LOCK_STALE`] (locks) and
//! [`RECORD_STALE`] (records), and prunes delete them.
//!
//! Logical (unhashed) paths are never uploaded. Their bytes change from
//! one release to the next under the same URL, and that is how CDN edges
//! end up serving last release's file: the app serves them itself, with
//! `Cache-Control: no-cache`.
//!
//! # Stores and credentials
//!
//! | URL | store | credentials and settings from |
//! |---|---|---|
//! | `s3://bucket/prefix/` | S3, and S3-compatible stores (R2, MinIO, …) | `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `AWS_REGION`, `AWS_ENDPOINT_URL` (`AWS_ALLOW_HTTP=true` for a plain-http endpoint) |
//! | `https://<account>.r2.cloudflarestorage.com/bucket/prefix/` | R2 | the same |
//! | `gs://bucket/prefix/` | Google Cloud Storage | `GOOGLE_SERVICE_ACCOUNT`, `GOOGLE_APPLICATION_CREDENTIALS` |
//! | `az://container/prefix/` | Azure Blob Storage | `AZURE_STORAGE_ACCOUNT_NAME`, `AZURE_STORAGE_ACCOUNT_KEY` |
//! | `file:///srv/static/`, `dist/static` | a local folder | none; it keeps no metadata, so the server in front sets the headers |
//!
//! The settings are those of the [`object_store`] crate's builders (`from_env`).

mod command;
mod error;
mod fetch;
#[cfg(test)]
mod gcs_tests;
mod guard;
mod prune;
mod retry_after;
mod store;
#[cfg(test)]
mod tests;
mod upload;

use asset_manifest::release;
use futures_util::{StreamExt, TryStreamExt};

use crate::Assets;
use crate::export::Object;

pub use command::{USAGE, run_command};
pub use error::{ErrorKind, PublishError};
pub use fetch::{FetchReport, fetch_releases};
pub use guard::{LOCK_REFRESH, LOCK_STALE, RECORD_STALE};
pub use prune::{Prune, PruneReport, ReleaseInfo, prune};
pub use retry_after::MAX_RETRY_AFTER;
use store::Target;
use upload::{Uploaded, upload, write_manifest};

/// Uploads at once unless [`Publish::concurrency`] says otherwise.
pub const DEFAULT_CONCURRENCY: usize = 16;
/// Retries of a failed request (on a server error, a dropped connection
/// or a timeout) unless [`Publish::retries`] says otherwise.
pub const DEFAULT_RETRIES: usize = 5;
/// How long a publish waits for prunes under way unless
/// [`Publish::prune_wait`] says otherwise.
pub const DEFAULT_PRUNE_WAIT: std::time::Duration = std::time::Duration::from_secs(10 * 60);

/// A publish of the table to a store; see the [module docs](self).
#[must_use = "a publish does nothing until `.run().await`"]
pub struct Publish<'a> {
    assets: &'a Assets,
    url: String,
    precompressed: bool,
    concurrency: usize,
    retries: usize,
    progress: bool,
    verify: bool,
    prune_wait: std::time::Duration,
}

/// What a publish did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublishReport {
    /// The release id: 32 hex digits, [`Assets::release_id`].
    pub release: String,
    /// The key of its manifest, relative to the prefix.
    pub manifest_key: String,
    /// Keys uploaded by this run, sorted.
    pub uploaded: Vec<String>,
    /// Their total size in bytes.
    pub uploaded_bytes: u64,
    /// Objects of the release that were there already.
    pub present: usize,
    /// Their total size in bytes.
    pub present_bytes: u64,
    /// What happened to the manifest.
    pub manifest: ManifestWrite,
    /// How long it waited for prunes under way (see [`Publish::prune_wait`]).
    pub waited: std::time::Duration,
}

/// What a publish did with the release manifest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ManifestWrite {
    /// Written: the release is now complete.
    Written,
    /// It was there, behind a newer release's: written again, so that
    /// this release (rolled back to) counts as the newest when pruning.
    Refreshed,
    /// It was there and the newest: nothing written.
    Present,
}

impl Assets {
    /// A publish of every hashed file to the store `url` names (see the
    /// [module docs](crate::publish) for the URLs and the environment).
    ///
    /// ```no_run
    /// # asset_runtime::__example_assets!();
    /// # async fn deploy() -> Result<(), asset_runtime::publish::PublishError> {
    /// let report = ASSETS
    ///     .publish("s3://my-bucket/static/")
    ///     .precompressed(true)
    ///     .run()
    ///     .await?;
    /// println!(
    ///     "release {}: {} uploaded, {} already there",
    ///     report.release,
    ///     report.uploaded.len(),
    ///     report.present
    /// );
    /// # Ok(())
    /// # }
    /// ```
    pub fn publish(&self, url: impl Into<String>) -> Publish<'_> {
        Publish {
            assets: self,
            url: url.into(),
            precompressed: false,
            concurrency: DEFAULT_CONCURRENCY,
            retries: DEFAULT_RETRIES,
            progress: true,
            verify: false,
            prune_wait: DEFAULT_PRUNE_WAIT,
        }
    }

    /// [`Assets::release_id`] as 32 hex digits: the name of the release's
    /// manifest in a bucket.
    pub fn release_name(&self) -> String {
        format!("{:032x}", self.release_id())
    }
}

impl Publish<'_> {
    /// Also upload the precompressed siblings (`app.<hash>.css.br`, `.gz`,
    /// `.zst`) with their `Content-Encoding`, for a CDN or server that picks
    /// them itself. Off by default: a bucket behind a CDN that compresses
    /// at the edge needs only the identity objects.
    pub fn precompressed(mut self, yes: bool) -> Self {
        self.precompressed = yes;
        self
    }

    /// How many uploads run at once (at least 1; default
    /// [`DEFAULT_CONCURRENCY`]).
    pub fn concurrency(mut self, uploads: usize) -> Self {
        self.concurrency = uploads.max(1);
        self
    }

    /// How many times a failed request is retried, with exponential
    /// backoff from 100 ms up to 5 s (default [`DEFAULT_RETRIES`]), and
    /// after a `503` or `429` also as long as its `Retry-After` asks (at
    /// most [`MAX_RETRY_AFTER`]). Refused credentials and conflicts are not
    /// retried.
    pub fn retries(mut self, retries: usize) -> Self {
        self.retries = retries;
        self
    }

    /// List every object and upload whatever the release lacks even when
    /// its manifest is there (default off). Without it, a release whose
    /// manifest exists is complete (the manifest is written last, and
    /// pruning never deletes what a kept release names), so a rerun costs
    /// one listing of `manifests/`. Use it after deleting objects by hand.
    pub fn verify(mut self, yes: bool) -> Self {
        self.verify = yes;
        self
    }

    /// How long to wait, at most, for prunes under way before failing
    /// (default [`DEFAULT_PRUNE_WAIT`]). A publish lists the store after
    /// writing its record (`manifests/publishing/…`); if a prune's lock
    /// (`manifests/pruning/…`) is there, that prune may not have seen the
    /// record and may still delete objects the listing shows, so the
    /// publish waits for the lock to go and lists again. A lock older than
    /// [`LOCK_STALE`] is a dead prune's and is not waited for.
    pub fn prune_wait(mut self, wait: std::time::Duration) -> Self {
        self.prune_wait = wait;
        self
    }

    /// Show a progress bar on standard error (default on). It is drawn
    /// only when standard error is a terminal, so CI logs stay clean.
    pub fn progress(mut self, show: bool) -> Self {
        self.progress = show;
        self
    }

    /// Runs the publish; see the [module docs](crate::publish).
    pub async fn run(self) -> Result<PublishReport, PublishError> {
        if self.assets.is_dev() {
            return Err(PublishError::new(
                ErrorKind::DevTable,
                &self.url,
                "this is a development-mode table (ASSET_DEV): it holds no hashed files; \
                 publish from a build without ASSET_DEV",
            ));
        }
        let target = Target::open(&self.url, self.retries)?;
        self.run_on(target).await
    }

    /// [`Publish::run`] on a store already open.
    pub(super) async fn run_on(self, target: Target) -> Result<PublishReport, PublishError> {
        let wanted: Vec<Object> = self
            .assets
            .objects()
            .into_iter()
            .filter(|object| object.stored || self.precompressed)
            .collect();
        let release = self.assets.release_name();
        let manifest_key = release::manifest_key(&release);
        let mut report = PublishReport {
            release,
            manifest_key: manifest_key.clone(),
            uploaded: Vec::new(),
            uploaded_bytes: 0,
            present: 0,
            present_bytes: 0,
            manifest: ManifestWrite::Present,
            waited: std::time::Duration::ZERO,
        };

        // Published already: the manifest is there, so every object is.
        // (Behind a newer release's manifest, it is a rollback: published
        // again in full below, so that it counts as the newest.)
        let manifests = target.list_under(release::MANIFESTS_DIR).await?;
        if manifests.contains_key(&manifest_key)
            && !self.verify
            && upload::is_newest(&manifests, &manifest_key)
        {
            report.present = wanted.len();
            report.present_bytes = wanted.iter().map(|o| o.meta.size).sum();
            return Ok(report);
        }

        // The record first, so that a prune that lists after it keeps
        // everything this release names (see `guard`).
        let release = upload::release_of(self.assets, &report.release, &wanted);
        let record = guard::Record::write(&target, &release).await?;
        let result = self
            .upload_all(&target, &wanted, &record, &mut report)
            .await;
        let result = match result {
            Ok(earlier) => write_manifest(&target, &release, &manifests)
                .await
                .map(|written| (written, earlier)),
            Err(err) => Err(err),
        };
        // Removed whatever happened: a failed publish's new objects are
        // young, and prunes keep those for their grace period.
        let removed = record.remove(&target).await;
        let (written, earlier) = result?;
        removed?;
        report.manifest = written;
        // The records an interrupted publish of this release left: the
        // manifest now names what they named.
        for key in earlier {
            guard::Record { key }.remove(&target).await?;
        }
        Ok(report)
    }

    /// Lists the store (again after any prune under way is done), then
    /// uploads what is missing. Returns the keys of other records of this
    /// release that the listing found.
    async fn upload_all(
        &self,
        target: &Target,
        wanted: &[Object],
        record: &guard::Record,
        report: &mut PublishReport,
    ) -> Result<Vec<String>, PublishError> {
        let listed = loop {
            let listed = target.list().await?;
            let now = guard::store_now(&listed, &record.key);
            let locks = guard::live_locks(&listed, now);
            if locks.is_empty() {
                break listed;
            }
            let say = |line: &str| {
                if self.progress {
                    eprintln!("{line}");
                }
            };
            report.waited +=
                guard::wait_for_prunes(target, locks, now, self.prune_wait, say).await?;
        };
        let conflicts: Vec<String> = wanted
            .iter()
            .filter_map(|object| {
                let present = listed.get(&object.key)?;
                (present.size != object.meta.size).then(|| {
                    format!(
                        "`{}` is {} bytes in the store, {} in this release",
                        object.key, present.size, object.meta.size
                    )
                })
            })
            .collect();
        if !conflicts.is_empty() {
            return Err(PublishError::new(
                ErrorKind::Conflict,
                &target.url,
                format!(
                    "{} key(s) already hold other bytes: {}",
                    conflicts.len(),
                    conflicts.join("; ")
                ),
            ));
        }

        let (present, missing): (Vec<&Object>, Vec<&Object>) = wanted
            .iter()
            .partition(|object| listed.contains_key(&object.key));
        report.present = present.len();
        report.present_bytes = present.iter().map(|o| o.meta.size).sum();

        let bar = progress_bar(self.progress, &missing);
        let results: Vec<Uploaded> = futures_util::stream::iter(missing)
            .map(|object| {
                let bar = &bar;
                async move {
                    let uploaded = upload(target, object).await?;
                    if let Some(bar) = bar {
                        bar.inc(object.meta.size);
                    }
                    Ok::<_, PublishError>(uploaded)
                }
            })
            .buffer_unordered(self.concurrency)
            .try_collect()
            .await?;
        if let Some(bar) = bar {
            bar.finish_and_clear();
        }
        for uploaded in results {
            match uploaded {
                Uploaded::Written(key, size) => {
                    report.uploaded.push(key);
                    report.uploaded_bytes += size;
                }
                Uploaded::Raced(size) => {
                    report.present += 1;
                    report.present_bytes += size;
                }
            }
        }
        report.uploaded.sort();
        let earlier = listed
            .into_keys()
            .filter(|key| {
                *key != record.key && release::publishing_of(key) == Some(report.release.as_str())
            })
            .collect();
        Ok(earlier)
    }
}

/// A byte-counting progress bar, when asked for and standard error is a
/// terminal.
fn progress_bar(show: bool, missing: &[&Object]) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    if !show || missing.is_empty() || !std::io::stderr().is_terminal() {
        return None;
    }
    let total = missing.iter().map(|o| o.meta.size).sum();
    let bar = indicatif::ProgressBar::new(total);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "publishing {bar:30} {bytes}/{total_bytes} ({bytes_per_sec}, {eta})",
    ) {
        bar.set_style(style);
    }
    Some(bar)
}
