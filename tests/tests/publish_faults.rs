//! Publishing and pruning when the store fails, against SeaweedFS and
//! Azurite with their signature checks on: the server killed in the middle
//! of a publish and started again, and, through a TCP proxy, dropped
//! connections and `503 Service Unavailable` with `Retry-After`, on uploads
//! and on deletes.
//!
//! The kill runs on SeaweedFS only: Azurite keeps its metadata in memory
//! and saves it every few seconds, so a killed Azurite forgets even the
//! container, which Azure itself never does.
//!
//! Needs SeaweedFS and Azurite: `bash tests/setup.sh`.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use asset_manifest::release;
use asset_tests::fixture::{run_ok, workspace};
use asset_tests::proxy::{Fault, Proxy};
use asset_tests::releases::{demo_releases, exported};
use asset_tests::stores::{Kind, StoreServer};

const PREFIX: &str = "static";

fn truth(binary: &std::path::Path, name: &str) -> BTreeMap<String, Vec<u8>> {
    exported(binary, &workspace().join("target").join(name))
}

fn text(out: &Output) -> String {
    format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// A PUT of an asset (not of a manifest, record or lock).
fn object_put(line: &str) -> bool {
    line.starts_with("PUT ") && !line.contains("/manifests/")
}

/// Every object under the prefix that is not a marker has exactly the
/// bytes of the release: nothing is half-written. Returns how many there
/// are.
async fn nothing_half_written(store: &StoreServer, truth: &BTreeMap<String, Vec<u8>>) -> usize {
    let listed = store.objects(PREFIX).await;
    let mut objects = 0;
    for (key, (size, _)) in &listed {
        if key.starts_with("manifests/") {
            continue;
        }
        let bytes = &truth[key];
        assert_eq!(*size, bytes.len() as u64, "{key}");
        assert_eq!(
            &store.read(&format!("{PREFIX}/{key}")).await,
            bytes,
            "{key}"
        );
        objects += 1;
    }
    objects
}

fn manifests(listed: &BTreeMap<String, (u64, std::time::SystemTime)>) -> Vec<String> {
    listed
        .keys()
        .filter(|k| release::release_of(k).is_some())
        .cloned()
        .collect()
}

/// The server killed (SIGKILL) while a publish uploads through a slow
/// proxy: the publish fails, naming an object; the server started again
/// holds only whole objects and no manifest; a rerun completes.
async fn server_killed_midway(kind: Kind) {
    let binary = demo_releases().remove(0);
    let truth = truth(&binary, &format!("publish-faults/{kind:?}-killed"));
    let mut store = StoreServer::start(kind);
    let url = store.url("static/");
    let slow = Proxy::start(&store.endpoint);
    slow.delay(Duration::from_millis(100));
    let publish = store
        .command_via(
            &binary,
            &slow.endpoint,
            &[
                "publish-assets",
                &url,
                "--precompressed",
                "--concurrency",
                "2",
                "--retries",
                "1",
            ],
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while slow.requests().iter().filter(|r| object_put(r)).count() < 4 {
        assert!(Instant::now() < deadline, "{:#?}", slow.requests());
        std::thread::sleep(Duration::from_millis(10));
    }
    store.kill();
    let failed = publish.wait_with_output().unwrap();
    assert_eq!(failed.status.code(), Some(1), "{}", text(&failed));
    let message = String::from_utf8_lossy(&failed.stderr);
    assert!(
        message.starts_with(&format!("publish-assets: {url}: cannot ")),
        "{message}"
    );

    store.launch();
    let listed = store.objects(PREFIX).await;
    assert!(manifests(&listed).is_empty(), "{listed:?}");
    let partial = nothing_half_written(&store, &truth).await;
    assert!(partial < truth.len(), "{partial} of {}", truth.len());

    let rerun = run_ok(&mut store.command(&binary, &["publish-assets", &url, "--precompressed"]));
    assert!(rerun.contains("written"), "{rerun}");
    assert_eq!(nothing_half_written(&store, &truth).await, truth.len());
    assert_eq!(manifests(&store.objects(PREFIX).await).len(), 1);
}

/// Dropped connections and 503s with `Retry-After` on uploads are retried,
/// with a pause between tries (after a 503, as long as `Retry-After`
/// asked), and the publish completes. A key that keeps
/// failing stops the publish after exactly `--retries` retries, with an
/// error naming the key and the store's last answer; no manifest is
/// written.
async fn flaky_uploads(kind: Kind) {
    let binary = demo_releases().remove(0);
    let truth = truth(&binary, &format!("publish-faults/{kind:?}-flaky"));
    let (css, js) = {
        let mut keys = truth.keys();
        let css = keys.find(|k| k.ends_with(".css")).unwrap().clone();
        let js = keys.find(|k| k.ends_with(".js")).unwrap().clone();
        (css, js)
    };
    let store = StoreServer::start(kind);
    let url = store.url("static/");

    let flaky = Proxy::start(&store.endpoint);
    flaky.delay(Duration::from_millis(20));
    flaky.fail(&format!("/static/{css} "), Fault::Drop, 2);
    flaky.fail(
        &format!("/static/{js} "),
        Fault::Unavailable { retry_after: 1 },
        2,
    );
    let out = run_ok(&mut store.command_via(
        &binary,
        &flaky.endpoint,
        &["publish-assets", &url, "--precompressed"],
    ));
    assert!(out.contains("written"), "{out}");
    assert_eq!(nothing_half_written(&store, &truth).await, truth.len());
    for (key, failures) in [(&css, None), (&js, Some(503))] {
        let tries: Vec<_> = flaky
            .exchanges()
            .into_iter()
            .filter(|e| {
                e.request.starts_with("PUT ") && e.request.contains(&format!("/static/{key} "))
            })
            .collect();
        assert_eq!(tries.len(), 3, "{key}: {tries:#?}");
        assert_eq!(tries[0].status, failures, "{key}");
        assert_eq!(tries[1].status, failures, "{key}");
        assert!(
            matches!(tries[2].status, Some(200..=299)),
            "{key}: {tries:#?}"
        );
        // A pause before each retry: object_store's backoff (from 100 ms,
        // jittered), and after a 503 the second its `Retry-After` asked.
        let pause = match failures {
            Some(503) => Duration::from_secs(1),
            _ => Duration::from_millis(20),
        };
        for pair in tries.windows(2) {
            assert!(
                pair[1].at - pair[0].at >= pause,
                "{key}: no pause of {pause:?} between tries: {tries:#?}"
            );
        }
    }

    // Always 503: exactly 1 + 2 tries, then a failure naming the key.
    let store = StoreServer::start(kind);
    let url = store.url("static/");
    let down = Proxy::start(&store.endpoint);
    down.fail(
        &format!("/static/{css} "),
        Fault::Unavailable { retry_after: 1 },
        usize::MAX,
    );
    let started = Instant::now();
    let out = store
        .command_via(
            &binary,
            &down.endpoint,
            &["publish-assets", &url, "--precompressed", "--retries", "2"],
        )
        .output()
        .unwrap();
    assert!(started.elapsed() < Duration::from_secs(30));
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let message = String::from_utf8_lossy(&out.stderr);
    assert!(
        message.contains(&format!("cannot upload `{css}`")) && message.contains("503"),
        "{message}"
    );
    let tries = down
        .requests()
        .into_iter()
        .filter(|r| r.starts_with("PUT ") && r.contains(&format!("/static/{css} ")))
        .count();
    assert_eq!(tries, 3);
    let listed = store.objects(PREFIX).await;
    assert!(manifests(&listed).is_empty(), "{listed:?}");
    assert!(
        !listed.keys().any(|k| release::publishing_of(k).is_some()),
        "the failed publish removed its record: {listed:?}"
    );
}

/// A prune whose deletes keep failing stops with an error naming a key
/// and the last answer, and leaves every release manifest as it was (the
/// objects go first, the manifests only after them).
async fn failing_prune_leaves_the_manifests(kind: Kind) {
    let binaries: Vec<PathBuf> = demo_releases();
    let store = StoreServer::start(kind);
    let url = store.url("static/");
    for binary in &binaries {
        run_ok(&mut store.command(binary, &["publish-assets", &url, "--precompressed"]));
        tokio::time::sleep(Duration::from_millis(1100)).await;
    }
    let before = store.objects(PREFIX).await;
    assert_eq!(manifests(&before).len(), 3);

    let down = Proxy::start(&store.endpoint);
    // The objects' delete and its retry fail; the lock's removal after it
    // goes through.
    down.fail("POST ", Fault::Unavailable { retry_after: 1 }, 2);
    down.fail("DELETE ", Fault::Unavailable { retry_after: 1 }, 2);
    let out = store
        .command_via(
            &binaries[2],
            &down.endpoint,
            &[
                "prune-assets",
                &url,
                "--keep",
                "1",
                "--grace",
                "0",
                "--delete",
                "--retries",
                "1",
            ],
        )
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let message = String::from_utf8_lossy(&out.stderr);
    assert!(
        message.contains("cannot delete `") && message.contains("503"),
        "{message}"
    );
    let after = store.objects(PREFIX).await;
    assert_eq!(manifests(&after), manifests(&before));
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        before.keys().collect::<Vec<_>>(),
        "nothing deleted, and no lock left"
    );

    // Once the store answers again, the same prune completes.
    let done = run_ok(&mut store.command(
        &binaries[2],
        &[
            "prune-assets",
            &url,
            "--keep",
            "1",
            "--grace",
            "0",
            "--delete",
        ],
    ));
    assert!(done.contains("and 2 release manifests"), "{done}");
}

#[tokio::test(flavor = "multi_thread")]
async fn seaweedfs_killed_midway() {
    server_killed_midway(Kind::SeaweedFs).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn seaweedfs_flaky_uploads() {
    flaky_uploads(Kind::SeaweedFs).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn azurite_flaky_uploads() {
    flaky_uploads(Kind::Azurite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn seaweedfs_failing_prune_leaves_the_manifests() {
    failing_prune_leaves_the_manifests(Kind::SeaweedFs).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn azurite_failing_prune_leaves_the_manifests() {
    failing_prune_leaves_the_manifests(Kind::Azurite).await;
}
