//! The handshake that lets publishes and prunes run at once.
//!
//! A publish skips the objects it finds already in the store, and a prune
//! deletes the objects no release names: run together, a prune could
//! delete an object that a publish under way found, skipped, and is about
//! to name in its manifest. Each therefore writes a marker first and lists
//! second:
//!
//! - a publish writes its record (`manifests/publishing/<release>-<token>.json`,
//!   the release it is publishing, naming every object) before it lists the
//!   prefix, and removes it after its manifest;
//! - a prune that deletes writes its lock (`manifests/pruning/<token>.json`)
//!   before it lists, and removes it when done.
//!
//! The stores are strongly consistent (a listing shows every write that
//! completed before it began: S3, GCS and Azure Blob all are), so at least
//! one of the two sees the other. If the prune's listing missed the record,
//! the record was written after that listing began, and so after the lock:
//! the publish's listing, later still, shows the lock. The prune keeps every
//! object a record names; the publish that sees a lock waits until it is
//! gone and lists again, so it never counts on an object that prune may
//! delete.
//!
//! A marker whose owner died stays behind: a lock older than
//! [`LOCK_STALE`] (a prune rewrites its own every [`LOCK_REFRESH`]) no
//! longer holds publishes back, and a record older than [`RECORD_STALE`]
//! no longer keeps objects; prunes delete both.

use std::collections::BTreeMap;
use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, Instant, SystemTime};

use asset_manifest::release::{self, Release};
use object_store::{Attribute, Attributes, ObjectStoreExt, PutMode, PutOptions};

use super::error::{ErrorKind, PublishError};
use super::store::{Listed, Target};

/// A publish's record older than this is an abandoned publish's.
pub const RECORD_STALE: Duration = Duration::from_secs(24 * 60 * 60);
/// A prune's lock older than this is a dead prune's.
pub const LOCK_STALE: Duration = Duration::from_secs(60 * 60);
/// How often a prune rewrites its lock while it deletes.
pub const LOCK_REFRESH: Duration = Duration::from_secs(10 * 60);
/// How often a waiting publish looks for the locks again.
const POLL: Duration = Duration::from_millis(500);

/// 16 hex digits, different for every marker this process or any other
/// writes.
pub(super) fn token() -> String {
    static COUNT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    // RandomState's keys are random per process; the count and the time
    // tell apart two tokens of one process.
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
    hasher.write_u128(
        SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    hasher.write_u32(std::process::id());
    format!("{:016x}", hasher.finish())
}

/// How old `listed` is at `now` (store clocks; zero if in the future).
fn age(now: SystemTime, listed: &Listed) -> Duration {
    now.duration_since(listed.last_modified).unwrap_or_default()
}

/// A publish's record, written before it lists.
pub(super) struct Record {
    pub key: String,
}

impl Record {
    /// Writes the record of `release`.
    pub async fn write(target: &Target, release: &Release) -> Result<Record, PublishError> {
        let key = release::publishing_key(&release.release, &token());
        put_marker(target, &key, release.to_json(), PutMode::Overwrite).await?;
        Ok(Record { key })
    }

    /// Removes the record.
    pub async fn remove(self, target: &Target) -> Result<(), PublishError> {
        remove_marker(target, &self.key, "").await
    }
}

/// The live prune locks in `listed` at `now` (the store's clock): key and
/// age.
pub(super) fn live_locks(
    listed: &BTreeMap<String, Listed>,
    now: SystemTime,
) -> Vec<(String, Duration)> {
    listed
        .iter()
        .filter(|(key, _)| release::is_pruning_key(key))
        .map(|(key, l)| (key.clone(), age(now, l)))
        .filter(|(_, age)| *age < LOCK_STALE)
        .collect()
}

/// The store's clock at a listing that holds the marker `key`: the
/// marker's own time, else this machine's clock.
pub(super) fn store_now(listed: &BTreeMap<String, Listed>, key: &str) -> SystemTime {
    listed
        .get(key)
        .map_or_else(SystemTime::now, |l| l.last_modified)
}

/// Waits until no live prune lock is left (looking every half second),
/// at most `budget`; `now` is the store's clock at the listing that found
/// `locks`. Returns how long it waited.
pub(super) async fn wait_for_prunes(
    target: &Target,
    mut locks: Vec<(String, Duration)>,
    now: SystemTime,
    budget: Duration,
    say: impl Fn(&str),
) -> Result<Duration, PublishError> {
    let began = Instant::now();
    let mut said = false;
    while let Some((key, age)) = locks.first().cloned() {
        if !said {
            say(&format!(
                "waiting for a prune to finish before trusting the listing (its lock `{key}` was written {} s ago)",
                age.as_secs()
            ));
            said = true;
        }
        if began.elapsed() >= budget {
            return Err(PublishError::new(
                ErrorKind::Store,
                &target.url,
                format!(
                    "a prune still holds `{key}` after {} s of waiting (written {} s before): \
                     nothing of this release's manifest was written; if no prune is running, \
                     delete that key and publish again",
                    began.elapsed().as_secs(),
                    age.as_secs()
                ),
            ));
        }
        tokio::time::sleep(POLL).await;
        let listed = target.list_under(release::PRUNING_DIR).await?;
        locks = live_locks(&listed, now + began.elapsed());
    }
    Ok(began.elapsed())
}

/// A prune's lock, written before it lists and removed when it is done.
pub(super) struct PruneLock {
    pub key: String,
    written: Instant,
}

impl PruneLock {
    /// Writes a new lock.
    pub async fn take(target: &Target) -> Result<PruneLock, PublishError> {
        let key = release::pruning_key(&token());
        put_marker(target, &key, "{}\n".into(), PutMode::Create).await?;
        Ok(PruneLock {
            key,
            written: Instant::now(),
        })
    }

    /// Rewrites the lock if [`LOCK_REFRESH`] has passed since it was
    /// written, so that no publish takes it for a dead prune's.
    pub async fn keep_alive(&mut self, target: &Target) -> Result<(), PublishError> {
        if self.written.elapsed() >= LOCK_REFRESH {
            put_marker(target, &self.key, "{}\n".into(), PutMode::Overwrite).await?;
            self.written = Instant::now();
        }
        Ok(())
    }

    /// Removes the lock. If it cannot, the error says what that costs.
    pub async fn release(self, target: &Target) -> Result<(), PublishError> {
        let consequence = format!(
            " (publishes wait for it, at most their --prune-wait, until it is deleted or {} minutes old)",
            LOCK_STALE.as_secs() / 60
        );
        remove_marker(target, &self.key, &consequence).await
    }
}

async fn put_marker(
    target: &Target,
    key: &str,
    body: String,
    mode: PutMode,
) -> Result<(), PublishError> {
    let mut attributes = Attributes::new();
    if !target.local {
        attributes.insert(
            Attribute::ContentType,
            "application/json; charset=utf-8".into(),
        );
        attributes.insert(Attribute::CacheControl, "no-store".into());
    }
    let options = PutOptions {
        mode,
        attributes,
        ..PutOptions::default()
    };
    target
        .store
        .put_opts(&target.path(key)?, body.into(), options)
        .await
        .map(drop)
        .map_err(|err| PublishError::store(&target.url, format!("cannot write `{key}`"), err))
}

/// Deletes the marker at `key`; `consequence` follows the error's "cannot
/// remove".
async fn remove_marker(target: &Target, key: &str, consequence: &str) -> Result<(), PublishError> {
    match target.store.delete(&target.path(key)?).await {
        Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
        Err(err) => Err(PublishError::store(
            &target.url,
            format!("cannot remove `{key}`{consequence}"),
            err,
        )),
    }
}
