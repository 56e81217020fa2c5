//! Deploys that overlap, against SeaweedFS and Azurite with their
//! signature checks on: two releases published at once, one release
//! published twice at once, and a prune running during a publish, in both
//! orders. Every interleaving is forced, not hoped for: each command talks
//! to the store through its own proxy (`tests/src/proxy.rs`), which holds
//! the request at which the other command must go first.
//!
//! Needs SeaweedFS and Azurite: `bash tests/setup.sh`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Child, Output, Stdio};
use std::time::{Duration, Instant};

use asset_manifest::release::{self, Release};
use asset_tests::fixture::{run_ok, workspace};
use asset_tests::proxy::{Exchange, Proxy};
use asset_tests::releases::{demo_releases, exported};
use asset_tests::stores::{Kind, StoreServer};

const PREFIX: &str = "static";

/// A PUT of an asset (not of a manifest, record or lock).
fn object_put(line: &str) -> bool {
    line.starts_with("PUT ") && !line.contains("/manifests/")
}

/// The listing of the whole prefix (not of `manifests/`).
fn whole_listing(line: &str) -> bool {
    line.starts_with("GET ") && line.contains("prefix=static%2F HTTP/")
}

/// A delete: S3 and Azure delete in batches, with a POST.
fn delete(line: &str) -> bool {
    line.starts_with("POST ") || line.starts_with("DELETE ")
}

/// The key (relative to the prefix) a request line names, if any.
fn key_of(line: &str) -> Option<String> {
    let path = line.split(' ').nth(1)?;
    let (_, key) = path.split_once("/static/")?;
    Some(
        percent_encoding::percent_decode_str(key)
            .decode_utf8()
            .ok()?
            .into_owned(),
    )
}

/// What each release exports (its objects' bytes), by release.
fn truth(binaries: &[PathBuf], name: &str) -> Vec<BTreeMap<String, Vec<u8>>> {
    let work = workspace().join("target").join(name);
    binaries
        .iter()
        .enumerate()
        .map(|(i, b)| exported(b, &work.join(format!("export-{i}"))))
        .collect()
}

fn spawn(store: &StoreServer, binary: &Path, via: &Proxy, args: &[&str]) -> Child {
    store
        .command_via(binary, &via.endpoint, args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn finish(child: Child) -> Output {
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The object PUTs that wrote (2xx) and that found the key taken (412,
/// or 409 on Azure), by key, over some proxies' logs.
fn puts(logs: &[Vec<Exchange>]) -> (BTreeMap<String, usize>, BTreeMap<String, usize>) {
    let mut written = BTreeMap::new();
    let mut taken = BTreeMap::new();
    for exchange in logs.iter().flatten() {
        if !object_put(&exchange.request) {
            continue;
        }
        let key = key_of(&exchange.request).unwrap();
        match exchange.status {
            Some(200..=299) => *written.entry(key).or_default() += 1,
            Some(409 | 412) => *taken.entry(key).or_default() += 1,
            other => panic!("{}: {other:?}", exchange.request),
        }
    }
    (written, taken)
}

/// Asserts that every object `truth` holds is in the store with its bytes.
async fn all_there(store: &StoreServer, truth: &BTreeMap<String, Vec<u8>>) {
    let listed = store.objects(PREFIX).await;
    for (key, bytes) in truth {
        assert_eq!(
            listed.get(key).map(|(size, _)| *size),
            Some(bytes.len() as u64),
            "{key} is missing or of another size"
        );
        assert_eq!(
            &store.read(&format!("{PREFIX}/{key}")).await,
            bytes,
            "{key}"
        );
    }
}

async fn manifest_of(store: &StoreServer, binary: &Path) -> Option<Release> {
    let listed = store.objects(PREFIX).await;
    let id = release_id(binary);
    let key = release::manifest_key(&id);
    listed.contains_key(&key).then_some(())?;
    Some(Release::from_json(&store.read(&format!("{PREFIX}/{key}")).await).unwrap())
}

/// A binary's release id, from a publish to a scratch folder.
fn release_id(binary: &Path) -> String {
    let dir = workspace().join(format!(
        "target/publish-concurrency/id-{}-{}",
        std::process::id(),
        binary.file_name().unwrap().to_str().unwrap()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    let mut command = std::process::Command::new(binary);
    command.args(["publish-assets", dir.to_str().unwrap()]);
    let out = run_ok(&mut command);
    out.split("published release ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .unwrap()
        .to_owned()
}

/// Publishes `binaries` at once, each through its own proxy, holding every
/// object upload until both have listed the prefix; their standard output
/// and their proxies.
fn both_past_their_listing(store: &StoreServer, binaries: [&Path; 2]) -> ([String; 2], [Proxy; 2]) {
    let url = store.url("static/");
    let proxies = [Proxy::start(&store.endpoint), Proxy::start(&store.endpoint)];
    for proxy in &proxies {
        proxy.hold(object_put);
    }
    let args = ["publish-assets", &url, "--precompressed"];
    let children = [0, 1].map(|i| spawn(store, binaries[i], &proxies[i], &args));
    for proxy in &proxies {
        proxy.wait_held(1);
    }
    for proxy in &proxies {
        proxy.release();
    }
    (children.map(|child| stdout(&finish(child))), proxies)
}

/// Two different releases published at once to one prefix, both past
/// their listing before either uploads: both complete, each object is
/// written once (the other's create of a shared key finds it taken), and
/// both manifests are there.
async fn two_releases_at_once(kind: Kind) {
    let binaries = demo_releases();
    let truth = truth(&binaries, &format!("publish-concurrency/{kind:?}-two"));
    let store = StoreServer::start(kind);
    let (outs, proxies) = both_past_their_listing(&store, [&binaries[1], &binaries[2]]);
    for out in &outs {
        assert!(out.contains("written"), "{out}");
    }

    let (written, taken) = puts(&[proxies[0].exchanges(), proxies[1].exchanges()]);
    let shared: BTreeSet<&String> = truth[1]
        .keys()
        .filter(|k| truth[2].contains_key(*k))
        .collect();
    assert!(shared.len() >= 5, "{shared:?}");
    let every: BTreeSet<&String> = truth[1].keys().chain(truth[2].keys()).collect();
    assert_eq!(written.keys().collect::<BTreeSet<_>>(), every);
    assert!(
        written.values().all(|n| *n == 1),
        "an object was written twice: {written:?}"
    );
    // Both tried every shared key; one found it taken.
    assert_eq!(taken.keys().collect::<BTreeSet<_>>(), shared, "{taken:?}");
    for release in [1, 2] {
        all_there(&store, &truth[release]).await;
        let manifest = manifest_of(&store, &binaries[release]).await.unwrap();
        assert_eq!(
            manifest.objects.keys().collect::<Vec<_>>(),
            truth[release].keys().collect::<Vec<_>>()
        );
    }
    assert_no_markers(&store).await;
}

/// One release published twice at once: it completes once: every object
/// written once, one manifest written and the other publish finding it
/// there.
async fn one_release_twice_at_once(kind: Kind) {
    let binaries = demo_releases();
    let truth = truth(&binaries, &format!("publish-concurrency/{kind:?}-twice"));
    let store = StoreServer::start(kind);
    let (outs, proxies) = both_past_their_listing(&store, [&binaries[0], &binaries[0]]);
    let written_manifests = outs.iter().filter(|o| o.ends_with("written\n")).count();
    assert_eq!(written_manifests, 1, "{outs:#?}");
    assert!(
        outs.iter().any(|o| o.ends_with("already there\n")),
        "{outs:#?}"
    );
    let (written, taken) = puts(&[proxies[0].exchanges(), proxies[1].exchanges()]);
    assert_eq!(
        written.keys().collect::<Vec<_>>(),
        truth[0].keys().collect::<Vec<_>>()
    );
    assert!(written.values().all(|n| *n == 1), "{written:?}");
    assert_eq!(
        taken.keys().collect::<Vec<_>>(),
        truth[0].keys().collect::<Vec<_>>()
    );
    all_there(&store, &truth[0]).await;
    assert!(manifest_of(&store, &binaries[0]).await.is_some());
    assert_no_markers(&store).await;
}

/// No publish record nor prune lock is left.
async fn assert_no_markers(store: &StoreServer) {
    let listed = store.objects(PREFIX).await;
    let markers: Vec<&String> = listed
        .keys()
        .filter(|k| release::publishing_of(k).is_some() || release::is_pruning_key(k))
        .collect();
    assert!(markers.is_empty(), "{markers:?}");
}

/// Publishes the three releases, oldest first, and returns what each
/// exports and the keys only release 1 names.
async fn three_published(
    store: &StoreServer,
    binaries: &[PathBuf],
    name: &str,
) -> (Vec<BTreeMap<String, Vec<u8>>>, BTreeSet<String>) {
    let truth = truth(binaries, name);
    let url = store.url("static/");
    for binary in binaries {
        run_ok(&mut store.command(binary, &["publish-assets", &url, "--precompressed"]));
        // A second apart: manifests' times order the releases (S3 keeps
        // whole seconds).
        tokio::time::sleep(Duration::from_millis(1100)).await;
    }
    let only_1: BTreeSet<String> = truth[0]
        .keys()
        .filter(|k| !truth[2].contains_key(*k))
        .cloned()
        .collect();
    assert!(only_1.len() >= 3, "{only_1:?}");
    (truth, only_1)
}

fn prune_args(url: &str) -> [&str; 7] {
    [
        "prune-assets",
        url,
        "--keep",
        "1",
        "--grace",
        "0",
        "--delete",
    ]
}

/// A rollback to release 1 (which only its manifest and release 1 name
/// some objects of) while `prune --keep 1 --grace 0` runs; the publish has
/// written its record and is held before it lists. The prune sees the
/// record and keeps every object release 1 names; the publish then finds
/// them all and completes.
async fn a_prune_after_the_record_keeps_what_it_names(kind: Kind) {
    let binaries = demo_releases();
    let store = StoreServer::start(kind);
    let name = format!("publish-concurrency/{kind:?}-record-first");
    let (truth, only_1) = three_published(&store, &binaries, &name).await;
    let url = store.url("static/");

    let publisher = Proxy::start(&store.endpoint);
    publisher.hold(whole_listing);
    let rollback = spawn(
        &store,
        &binaries[0],
        &publisher,
        &["publish-assets", &url, "--precompressed"],
    );
    let seen = publisher.wait_held(1);
    assert!(
        seen.iter()
            .any(|e| e.request.starts_with("PUT ") && e.request.contains("/manifests/publishing/")),
        "the record is written before the listing: {seen:#?}"
    );

    let prune = run_ok(&mut store.command(&binaries[2], &prune_args(&url)));
    let id = release_id(&binaries[0]);
    assert!(
        prune.contains(&format!("release {id}: being published now")),
        "{prune}"
    );
    let listed = store.objects(PREFIX).await;
    for key in &only_1 {
        assert!(
            listed.contains_key(key),
            "the prune deleted {key}:\n{prune}"
        );
    }

    publisher.release();
    let out = stdout(&finish(rollback));
    assert!(out.contains("uploaded 0 objects"), "{out}");
    all_there(&store, &truth[0]).await;
    assert!(manifest_of(&store, &binaries[0]).await.is_some());
    assert_no_markers(&store).await;
}

/// The other order: the prune has written its lock and listed (no record
/// yet), and is held before it deletes the objects only release 1 names.
/// The rollback to release 1 writes its record, lists, finds the lock and
/// waits; the prune then deletes; the publish lists again, uploads what
/// went, and only then writes its manifest.
async fn a_publish_waits_for_a_prune_that_listed_first(kind: Kind) {
    let binaries = demo_releases();
    let store = StoreServer::start(kind);
    let name = format!("publish-concurrency/{kind:?}-prune-first");
    let (truth, only_1) = three_published(&store, &binaries, &name).await;
    let url = store.url("static/");

    let pruner = Proxy::start(&store.endpoint);
    pruner.hold(delete);
    let mut prune = store.command_via(&binaries[2], &pruner.endpoint, &prune_args(&url));
    let prune = prune.stdout(Stdio::piped()).spawn().unwrap();
    pruner.wait_held(1);

    let publisher = Proxy::start(&store.endpoint);
    let rollback = spawn(
        &store,
        &binaries[0],
        &publisher,
        &["publish-assets", &url, "--precompressed"],
    );
    // It waits: it keeps looking at the locks, and writes no object.
    let deadline = Instant::now() + Duration::from_secs(60);
    while publisher
        .requests()
        .iter()
        .filter(|r| r.contains("prefix=static%2Fmanifests%2Fpruning"))
        .count()
        < 2
    {
        assert!(
            Instant::now() < deadline,
            "the publish does not wait: {:#?}",
            publisher.requests()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        !publisher.requests().iter().any(|r| object_put(r)),
        "{:#?}",
        publisher.requests()
    );

    pruner.release();
    let pruned = stdout(&finish(prune));
    for key in &only_1 {
        assert!(pruned.contains(&format!("deleted {key} ")), "{pruned}");
    }
    let out = finish(rollback);
    let (said, printed) = (String::from_utf8_lossy(&out.stderr), stdout(&out));
    assert!(said.contains("waiting for a prune to finish"), "{said}");
    assert!(
        printed.contains("s for a prune under way to finish"),
        "{printed}"
    );
    // After the wait: the whole listing again, then the objects the prune
    // deleted, then the manifest.
    let requests = publisher.requests();
    let last_listing = requests.iter().rposition(|r| whole_listing(r)).unwrap();
    let first_put = requests.iter().position(|r| object_put(r)).unwrap();
    assert!(last_listing < first_put, "{requests:#?}");
    let uploaded: BTreeSet<String> = requests
        .iter()
        .filter(|r| object_put(r))
        .filter_map(|r| key_of(r))
        .collect();
    assert!(only_1.iter().all(|k| uploaded.contains(k)), "{requests:#?}");
    all_there(&store, &truth[0]).await;
    assert!(manifest_of(&store, &binaries[0]).await.is_some());
    assert_no_markers(&store).await;
}

/// What the grace period is for: objects of a publish under way that no
/// record names (as an older publisher, which writes none, leaves them) are
/// kept while younger than the grace period, and only then.
async fn unnamed_young_objects_wait_out_the_grace_period(kind: Kind) {
    use object_store::ObjectStoreExt;
    let binaries = demo_releases();
    let truth = truth(&binaries, &format!("publish-concurrency/{kind:?}-grace"));
    let store = StoreServer::start(kind);
    let url = store.url("static/");
    for binary in &binaries[..2] {
        run_ok(&mut store.command(binary, &["publish-assets", &url, "--precompressed"]));
        tokio::time::sleep(Duration::from_millis(1100)).await;
    }
    // Release 3, held before its manifest, its record removed.
    let publisher = Proxy::start(&store.endpoint);
    publisher.hold(|line| {
        line.starts_with("PUT ") && line.contains("/manifests/") && !line.contains("/publishing/")
    });
    let third = spawn(
        &store,
        &binaries[2],
        &publisher,
        &["publish-assets", &url, "--precompressed"],
    );
    publisher.wait_held(1);
    let listed = store.objects(PREFIX).await;
    for key in listed
        .keys()
        .filter(|k| release::publishing_of(k).is_some())
    {
        let path = object_store::path::Path::from(format!("{PREFIX}/{key}"));
        store.store().delete(&path).await.unwrap();
    }
    let new: Vec<&String> = truth[2]
        .keys()
        .filter(|k| !truth[0].contains_key(*k) && !truth[1].contains_key(*k))
        .collect();
    assert!(new.len() >= 3, "{new:?}");

    let dry = run_ok(&mut store.command(
        &binaries[1],
        &["prune-assets", &url, "--keep", "1", "--grace", "0"],
    ));
    for key in &new {
        assert!(dry.contains(&format!("would delete {key} ")), "{dry}");
    }
    let kept = run_ok(&mut store.command(
        &binaries[1],
        &[
            "prune-assets",
            &url,
            "--keep",
            "1",
            "--grace",
            "1h",
            "--delete",
        ],
    ));
    assert!(
        kept.contains(&format!("kept {} unnamed objects younger", new.len())),
        "{kept}"
    );
    publisher.release();
    finish(third);
    all_there(&store, &truth[2]).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn seaweedfs_two_releases_at_once() {
    two_releases_at_once(Kind::SeaweedFs).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn azurite_two_releases_at_once() {
    two_releases_at_once(Kind::Azurite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn seaweedfs_one_release_twice_at_once() {
    one_release_twice_at_once(Kind::SeaweedFs).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn azurite_one_release_twice_at_once() {
    one_release_twice_at_once(Kind::Azurite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn seaweedfs_a_prune_after_the_record_keeps_what_it_names() {
    a_prune_after_the_record_keeps_what_it_names(Kind::SeaweedFs).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn azurite_a_prune_after_the_record_keeps_what_it_names() {
    a_prune_after_the_record_keeps_what_it_names(Kind::Azurite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn seaweedfs_a_publish_waits_for_a_prune_that_listed_first() {
    a_publish_waits_for_a_prune_that_listed_first(Kind::SeaweedFs).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn azurite_a_publish_waits_for_a_prune_that_listed_first() {
    a_publish_waits_for_a_prune_that_listed_first(Kind::Azurite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn seaweedfs_unnamed_young_objects_wait_out_the_grace_period() {
    unnamed_young_objects_wait_out_the_grace_period(Kind::SeaweedFs).await;
}
