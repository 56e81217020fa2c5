//! Publish and prune against object_store's in-memory store and a local
//! folder. `tests/tests/publish.rs` runs the same commands against a real
//! S3 server.

use std::sync::Arc;
use std::time::Duration;

use asset_manifest::table::{AssetRecord, TableWriter};
use asset_manifest::{Encoding, Fingerprint, naming, release};
use object_store::memory::InMemory;
use object_store::path::Path;
use object_store::{Attribute, ObjectStoreExt, PutPayload};

use super::store::Target;
use super::*;
use crate::Asset;

/// A table of `(logical path, contents)`, each with a fake `br` sibling
/// (its bytes prefixed with `br:`), as `include_assets!` would define it.
pub(super) fn table(files: &[(&str, &str)]) -> &'static Assets {
    let mut writer = TableWriter::new("/static/");
    for (logical, contents) in files {
        let print = Fingerprint::of(contents.as_bytes());
        let hashed = naming::hashed_path(logical, print.name_hash());
        let identity = writer.data(contents.as_bytes());
        let br = writer.data(format!("br:{contents}").as_bytes());
        writer.push(AssetRecord {
            logical_path: logical.to_string(),
            url: format!("/static/{hashed}"),
            logical_url: format!("/static/{logical}"),
            hashed_path: hashed,
            content_type: "text/css; charset=utf-8".into(),
            integrity: "sha384-x".into(),
            use_as_dictionary: None,
            variants: vec![
                (Encoding::Identity, "\"i\"".into(), identity),
                (Encoding::Brotli, "\"i-br\"".into(), br),
            ],
            deltas: Vec::new(),
        });
    }
    let bytes: &'static [u8] = writer.finish().unwrap().leak();
    Box::leak(Box::new(Assets::__packed_v2(
        Box::leak(Box::new([bytes])),
        "/static/",
    )))
}

/// The asset at `logical`.
pub(super) fn find(assets: &Assets, logical: &str) -> &'static Asset {
    assets
        .get(logical)
        .unwrap_or_else(|| panic!("no {logical}"))
}

fn bucket(store: &Arc<InMemory>) -> Target {
    Target::with_store(store.clone(), "static", false)
}

async fn publish(assets: &Assets, store: &Arc<InMemory>) -> PublishReport {
    assets
        .publish("memory://")
        .progress(false)
        .run_on(bucket(store))
        .await
        .unwrap()
}

async fn prune(store: &Arc<InMemory>, keep: usize, delete: bool) -> PruneReport {
    super::prune("memory://")
        .keep(keep)
        .grace(Duration::ZERO)
        .delete(delete)
        .run_on(bucket(store))
        .await
        .unwrap()
}

/// Where `key` is in the bucket of [`bucket`].
fn at(key: &str) -> Path {
    Path::parse(format!("static/{key}")).unwrap()
}

/// The object at `key`.
async fn get(store: &Arc<InMemory>, key: &str) -> object_store::GetResult {
    store.get(&at(key)).await.unwrap()
}

/// One attribute of a stored object, if set.
fn attr(got: &object_store::GetResult, attribute: Attribute) -> Option<&str> {
    got.attributes.get(&attribute).map(|v| v.as_ref())
}

async fn keys(store: &Arc<InMemory>) -> Vec<String> {
    let mut keys: Vec<String> = bucket(store).list().await.unwrap().into_keys().collect();
    keys.sort();
    keys
}

#[tokio::test]
async fn a_publish_uploads_each_hashed_object_once_with_its_metadata_then_the_manifest() {
    let assets = table(&[("css/app.css", "a{}"), ("js/app.js", "x()")]);
    let store = Arc::new(InMemory::new());
    let first = publish(assets, &store).await;
    let css = find(assets, "css/app.css").hashed_path();
    let js = find(assets, "js/app.js").hashed_path();
    assert_eq!(first.uploaded, vec![css.to_owned(), js.to_owned()]);
    assert_eq!(first.uploaded_bytes, 6);
    assert_eq!(first.manifest, ManifestWrite::Written);
    let manifest_key = release::manifest_key(&assets.release_name());
    assert_eq!(keys(&store).await, vec![css, js, &manifest_key]);

    let got = get(&store, css).await;
    assert_eq!(
        attr(&got, Attribute::ContentType),
        Some("text/css; charset=utf-8")
    );
    assert_eq!(
        attr(&got, Attribute::CacheControl),
        Some("public, max-age=31536000, immutable")
    );
    assert_eq!(attr(&got, Attribute::ContentEncoding), None);
    assert_eq!(got.bytes().await.unwrap().as_ref(), b"a{}");

    let manifest = get(&store, &manifest_key).await.bytes().await.unwrap();
    let manifest = release::Release::from_json(&manifest).unwrap();
    assert_eq!(manifest.release, assets.release_name());
    assert_eq!(
        manifest.objects.keys().collect::<Vec<_>>(),
        vec![css, js],
        "the manifest names every key of the release"
    );

    let second = publish(assets, &store).await;
    assert!(second.uploaded.is_empty(), "{second:?}");
    assert_eq!((second.present, second.present_bytes), (2, 6));
    assert_eq!(second.manifest, ManifestWrite::Present);
}

#[tokio::test]
async fn precompressed_siblings_carry_their_content_encoding() {
    let assets = table(&[("css/app.css", "a{}")]);
    let store = Arc::new(InMemory::new());
    let report = assets
        .publish("memory://")
        .precompressed(true)
        .progress(false)
        .run_on(bucket(&store))
        .await
        .unwrap();
    let css = find(assets, "css/app.css").hashed_path();
    assert_eq!(report.uploaded, vec![css.to_owned(), format!("{css}.br")]);
    let got = get(&store, &format!("{css}.br")).await;
    assert_eq!(attr(&got, Attribute::ContentEncoding), Some("br"));
    assert_eq!(
        attr(&got, Attribute::ContentType),
        Some("text/css; charset=utf-8")
    );
}

#[tokio::test]
async fn other_bytes_under_a_hashed_key_are_an_error_and_nothing_is_uploaded() {
    let assets = table(&[("css/app.css", "a{}"), ("js/app.js", "x()")]);
    let store = Arc::new(InMemory::new());
    let css = find(assets, "css/app.css").hashed_path();
    store
        .put(&at(css), PutPayload::from_static(b"something else"))
        .await
        .unwrap();
    let err = assets
        .publish("memory://")
        .progress(false)
        .run_on(bucket(&store))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    let message = err.to_string();
    assert!(
        message.contains(css) && message.contains("14 bytes") && message.contains("3 in this"),
        "{message}"
    );
    assert_eq!(keys(&store).await, vec![css], "nothing else was written");
}

#[tokio::test]
async fn a_rerun_after_an_interruption_uploads_only_what_is_missing() {
    let assets = table(&[("a.css", "1"), ("b.css", "2"), ("c.css", "3")]);
    let store = Arc::new(InMemory::new());
    publish(assets, &store).await;
    // What a publish stopped midway leaves: some objects, no manifest.
    let b = find(assets, "b.css").hashed_path();
    let manifest = release::manifest_key(&assets.release_name());
    for key in [b, manifest.as_str()] {
        store.delete(&at(key)).await.unwrap();
    }
    let rerun = publish(assets, &store).await;
    assert_eq!(rerun.uploaded, vec![b.to_owned()]);
    assert_eq!(rerun.present, 2);
    assert_eq!(rerun.manifest, ManifestWrite::Written);
}

#[tokio::test]
async fn prune_keeps_the_newest_releases_and_removes_what_only_older_ones_named() {
    let store = Arc::new(InMemory::new());
    let r1 = table(&[("app.css", "v1"), ("logo.svg", "<svg/>"), ("old.js", "1")]);
    let r2 = table(&[("app.css", "v2"), ("logo.svg", "<svg/>")]);
    let r3 = table(&[("app.css", "v3"), ("logo.svg", "<svg/>")]);
    for release in [r1, r2, r3] {
        publish(release, &store).await;
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    // Not ours: never touched.
    store
        .put(&Path::parse("static/robots.txt").unwrap(), "x".into())
        .await
        .unwrap();
    let before = keys(&store).await;

    let dry = prune(&store, 2, false).await;
    let only_r1 = vec![
        (find(r1, "app.css").hashed_path().to_owned(), 2),
        (find(r1, "old.js").hashed_path().to_owned(), 1),
    ];
    assert_eq!(dry.objects, only_r1);
    assert_eq!(
        dry.manifests,
        vec![release::manifest_key(&r1.release_name())]
    );
    assert_eq!(dry.foreign, vec!["robots.txt".to_owned()]);
    assert!(dry.dry_run);
    assert_eq!(
        dry.releases
            .iter()
            .map(|r| (r.release.clone(), r.kept))
            .collect::<Vec<_>>(),
        vec![
            (r3.release_name(), true),
            (r2.release_name(), true),
            (r1.release_name(), false)
        ]
    );
    assert_eq!(keys(&store).await, before, "a dry run deletes nothing");

    let done = prune(&store, 2, true).await;
    assert_eq!(done.objects, only_r1);
    let mut expected: Vec<String> = before
        .into_iter()
        .filter(|k| {
            !only_r1.iter().any(|(o, _)| o == k) && *k != release::manifest_key(&r1.release_name())
        })
        .collect();
    expected.sort();
    assert_eq!(keys(&store).await, expected);
    // Every object a kept release names is still there.
    for kept in [r2, r3] {
        for asset in kept {
            assert!(expected.contains(&asset.hashed_path().to_owned()));
        }
    }
}

#[tokio::test]
async fn a_release_published_again_counts_as_the_newest() {
    let store = Arc::new(InMemory::new());
    let r1 = table(&[("app.css", "v1")]);
    let r2 = table(&[("app.css", "v2")]);
    publish(r1, &store).await;
    tokio::time::sleep(Duration::from_millis(5)).await;
    publish(r2, &store).await;
    tokio::time::sleep(Duration::from_millis(5)).await;
    // Rolled back to r1.
    let rollback = publish(r1, &store).await;
    assert!(rollback.uploaded.is_empty());
    assert_eq!(rollback.manifest, ManifestWrite::Refreshed);
    let report = prune(&store, 1, true).await;
    assert_eq!(
        report.objects,
        vec![(find(r2, "app.css").hashed_path().to_owned(), 2)]
    );
    assert!(
        keys(&store)
            .await
            .contains(&find(r1, "app.css").hashed_path().to_owned())
    );
}

#[tokio::test]
async fn prune_deletes_nothing_without_readable_manifests() {
    let store = Arc::new(InMemory::new());
    let r1 = table(&[("app.css", "v1")]);
    let run = |keep| {
        super::prune("memory://")
            .keep(keep)
            .grace(Duration::ZERO)
            .delete(true)
            .run_on(bucket(&store))
    };
    // An object but no manifest.
    store
        .put(&at(find(r1, "app.css").hashed_path()), "v1".into())
        .await
        .unwrap();
    let err = run(1).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Manifest);
    assert!(err.to_string().contains("no release manifests"), "{err}");

    publish(r1, &store).await;
    let broken = release::manifest_key(&"f".repeat(32));
    store.put(&at(&broken), "{not json".into()).await.unwrap();
    let before = keys(&store).await;
    let err = run(1).await.unwrap_err();
    assert!(
        err.to_string().contains(&broken) && err.to_string().contains("nothing was deleted"),
        "{err}"
    );
    // Refused before any store is opened.
    let err = super::prune("memory://").keep(0).run().await.unwrap_err();
    assert!(err.to_string().contains("at least 1"), "{err}");
    assert_eq!(keys(&store).await, before);
}

#[tokio::test]
async fn unnamed_objects_younger_than_the_grace_period_stay() {
    let store = Arc::new(InMemory::new());
    let r1 = table(&[("app.css", "v1")]);
    let r2 = table(&[("app.css", "v2")]);
    publish(r1, &store).await;
    publish(r2, &store).await;
    let report = super::prune("memory://")
        .keep(1)
        .delete(true)
        .run_on(bucket(&store))
        .await
        .unwrap();
    // r1 was published within the grace period: kept whole.
    assert!(report.releases.iter().all(|r| r.kept));
    assert!(report.objects.is_empty() && report.manifests.is_empty());
    assert_eq!(report.young, 0);
}

#[tokio::test]
async fn a_local_folder_gets_the_same_keys_and_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let assets = table(&[("img/my logo~1%.svg", "<svg/>"), ("app.css", "a{}")]);
    let url = dir.path().join("static");
    let url = url.to_str().unwrap();
    let first = assets
        .publish(url)
        .progress(false)
        .precompressed(true)
        .run()
        .await
        .unwrap();
    assert_eq!(first.uploaded.len(), 4);
    for asset in assets {
        let path = dir.path().join("static").join(asset.hashed_path());
        assert_eq!(std::fs::read(&path).unwrap(), asset.bytes(), "{path:?}");
        let br = std::fs::read(format!("{}.br", path.display())).unwrap();
        assert_eq!(br, asset.variant(Encoding::Brotli).unwrap().bytes());
    }
    assert!(
        dir.path()
            .join("static")
            .join(release::manifest_key(&assets.release_name()))
            .is_file()
    );
    let second = assets
        .publish(format!("file://{url}"))
        .progress(false)
        .precompressed(true)
        .run()
        .await
        .unwrap();
    assert!(second.uploaded.is_empty(), "{second:?}");
    assert_eq!(second.manifest, ManifestWrite::Present);
}

#[tokio::test]
async fn urls_of_no_known_store_are_refused() {
    let assets = table(&[("app.css", "a{}")]);
    for url in ["ftp://host/x", "http://[::1", "memory://"] {
        let err = assets.publish(url).progress(false).run().await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Url, "{url}: {err}");
        assert!(err.to_string().starts_with(url), "{err}");
    }
}

#[tokio::test]
async fn a_published_release_costs_one_listing_unless_verified() {
    let assets = table(&[("a.css", "1"), ("b.css", "2")]);
    let store = Arc::new(InMemory::new());
    publish(assets, &store).await;
    // An object deleted by hand: the manifest still vouches for it.
    let b = find(assets, "b.css").hashed_path();
    store.delete(&at(b)).await.unwrap();
    let trusted = publish(assets, &store).await;
    assert!(trusted.uploaded.is_empty());
    assert_eq!(trusted.present, 2);
    let verified = assets
        .publish("memory://")
        .progress(false)
        .verify(true)
        .run_on(bucket(&store))
        .await
        .unwrap();
    assert_eq!(verified.uploaded, vec![b.to_owned()]);
    assert_eq!(verified.manifest, ManifestWrite::Present);
}

/// Writes `key` in the folder `dir` (a publish prefix), `age` old by its
/// modification time, which a local folder's listing reports.
fn backdated(dir: &std::path::Path, key: &str, bytes: &[u8], age: Duration) {
    let path = dir.join(key);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, bytes).unwrap();
    let file = std::fs::File::options().write(true).open(&path).unwrap();
    file.set_modified(std::time::SystemTime::now() - age)
        .unwrap();
}

#[tokio::test]
async fn a_publish_waits_for_a_live_prune_lock_at_most_its_budget_and_ignores_a_dead_one() {
    let dir = tempfile::tempdir().unwrap();
    let url = dir.path().to_str().unwrap().to_owned();
    let assets = table(&[("app.css", "a{}")]);
    let lock = release::pruning_key("0123456789abcdef");

    // A live lock: waited for, then a failure naming it; nothing of the
    // release's manifest written, no record left.
    backdated(dir.path(), &lock, b"{}", Duration::from_secs(60));
    let started = std::time::Instant::now();
    let err = assets
        .publish(&url)
        .progress(false)
        .prune_wait(Duration::from_millis(1200))
        .run()
        .await
        .unwrap_err();
    assert!(started.elapsed() >= Duration::from_millis(1200));
    let message = err.to_string();
    assert!(
        message.contains(&format!("a prune still holds `{lock}`")),
        "{message}"
    );
    assert!(message.contains("delete that key"), "{message}");
    let manifest = release::manifest_key(&assets.release_name());
    assert!(!dir.path().join(&manifest).exists());
    let records = dir.path().join(release::PUBLISHING_DIR);
    assert_eq!(std::fs::read_dir(&records).unwrap().count(), 0);

    // Older than LOCK_STALE: a dead prune's, not waited for.
    backdated(
        dir.path(),
        &lock,
        b"{}",
        LOCK_STALE + Duration::from_secs(60),
    );
    let report = assets.publish(&url).progress(false).run().await.unwrap();
    assert_eq!(report.waited, Duration::ZERO);
    assert_eq!(report.manifest, ManifestWrite::Written);

    // The lock goes while the publish waits: it lists again and finishes.
    let dir = tempfile::tempdir().unwrap();
    let url = dir.path().to_str().unwrap().to_owned();
    backdated(dir.path(), &lock, b"{}", Duration::from_secs(1));
    let path = dir.path().join(&lock);
    let remover = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(800)).await;
        std::fs::remove_file(path).unwrap();
    });
    let report = assets.publish(&url).progress(false).run().await.unwrap();
    remover.await.unwrap();
    assert!(report.waited >= Duration::from_millis(500), "{report:?}");
    assert_eq!(report.manifest, ManifestWrite::Written);
}

#[tokio::test]
async fn a_live_record_keeps_what_it_names_and_a_stale_one_is_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let url = dir.path().to_str().unwrap().to_owned();
    let old = table(&[("app.css", "v1")]);
    let new = table(&[("app.css", "v2")]);
    old.publish(&url).progress(false).run().await.unwrap();
    new.publish(&url).progress(false).run().await.unwrap();
    let v1 = find(old, "app.css").hashed_path();
    let manifest = |assets: &Assets| release::manifest_key(&assets.release_name());
    // Make the old release's manifest and object a week old, and the new
    // one's manifest younger, so the old release is the one dropped.
    let week = Duration::from_secs(7 * 24 * 3600);
    for key in [v1.to_owned(), manifest(old)] {
        let bytes = std::fs::read(dir.path().join(&key)).unwrap();
        backdated(dir.path(), &key, &bytes, week);
    }

    // A record of a publish under way that names v1 (a rollback), written
    // a minute ago: v1 stays.
    let record_of = |assets: &Assets, token: &str| {
        let record = std::fs::read(dir.path().join(manifest(assets))).unwrap();
        (
            release::publishing_key(&assets.release_name(), token),
            record,
        )
    };
    let (live, bytes) = record_of(old, "00000000000000aa");
    backdated(dir.path(), &live, &bytes, Duration::from_secs(60));
    let prune = |delete| {
        super::prune(&url)
            .keep(1)
            .grace(Duration::from_secs(3600))
            .delete(delete)
            .run()
    };
    let report = prune(true).await.unwrap();
    assert_eq!(report.publishing, vec![old.release_name()]);
    assert!(report.objects.is_empty(), "{report:?}");
    assert_eq!(report.manifests, vec![manifest(old)]);
    assert!(dir.path().join(v1).is_file());
    assert!(dir.path().join(&live).is_file(), "a live record stays");

    // The same record a day old: an abandoned publish's. It keeps nothing,
    // and goes after the objects.
    backdated(
        dir.path(),
        &live,
        &bytes,
        RECORD_STALE + Duration::from_secs(60),
    );
    let report = prune(true).await.unwrap();
    assert!(report.publishing.is_empty(), "{report:?}");
    assert_eq!(report.objects, vec![(v1.to_owned(), 2)]);
    assert_eq!(report.manifests, vec![live.clone()]);
    assert!(!dir.path().join(v1).exists());
    assert!(!dir.path().join(&live).exists());
    // A deleting prune leaves no lock behind.
    let locks = dir.path().join(release::PRUNING_DIR);
    assert_eq!(std::fs::read_dir(&locks).unwrap().count(), 0);
}
