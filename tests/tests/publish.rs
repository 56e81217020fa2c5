//! Publishing to object storage, as a deploy runs it: three releases of
//! the demo (each a changed stylesheet or script), `publish-assets` and
//! `prune-assets` run as commands of each release's binary, against real
//! stores started here on loopback with their signature checks on
//! (SeaweedFS's S3 API, Azurite's Blob API) and against a local folder.
//!
//! Needs SeaweedFS and Azurite: `bash tests/setup.sh`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use asset_manifest::release::{self, Release};
use asset_tests::fixture::{Running, run_ok, workspace};
use asset_tests::proxy::Proxy;
use asset_tests::releases::{demo_releases, exported, tree};
use asset_tests::stores::{Kind, StoreServer};
use asset_tests::{client, get_text};

/// The number in "uploaded N objects".
fn uploaded(stdout: &str) -> usize {
    let rest = stdout
        .split("uploaded ")
        .nth(1)
        .unwrap_or_else(|| panic!("{stdout}"));
    rest.split(' ').next().unwrap().parse().unwrap()
}

/// Every URL under `prefix` in a page.
fn urls_under(page: &str, prefix: &str) -> BTreeSet<String> {
    page.match_indices(prefix)
        .map(|(i, _)| {
            let rest = &page[i..];
            let end = rest.find(['"', '<', ' ', '\'']).unwrap_or(rest.len());
            rest[..end].to_owned()
        })
        .collect()
}

/// The release manifests in a listing.
fn manifests(keys: impl IntoIterator<Item = String>) -> Vec<String> {
    keys.into_iter()
        .filter(|k| release::release_of(k).is_some())
        .collect()
}

/// What `prune-assets --keep 2` after release 3 must delete: the keys only
/// release 1 used, and its manifest.
fn only_release_1<'a>(
    truth: &'a [BTreeMap<String, Vec<u8>>],
    manifest_keys: &'a [String],
) -> BTreeSet<&'a String> {
    truth[0]
        .keys()
        .filter(|k| !truth[1].contains_key(*k) && !truth[2].contains_key(*k))
        .chain(manifest_keys)
        .collect()
}

/// Fetches every URL, asserting 200 and the bytes the release serves.
async fn all_load(urls: &BTreeSet<String>, truth: &BTreeMap<String, Vec<u8>>, base: &str) {
    let client = client();
    for url in urls {
        let response = client.get(url).send().await.unwrap();
        assert_eq!(response.status(), 200, "{url}");
        let key = url.strip_prefix(base).unwrap();
        let key = percent_decode(key);
        let body = response.bytes().await.unwrap();
        assert_eq!(body.as_ref(), truth[&key].as_slice(), "{url}");
    }
}

fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8()
        .unwrap()
        .into_owned()
}

/// The three releases and what each exports, under `work`.
fn releases_and_truth(work: &str) -> (Vec<PathBuf>, Vec<BTreeMap<String, Vec<u8>>>) {
    let binaries = demo_releases();
    let work = workspace().join("target").join(work);
    let truth: Vec<BTreeMap<String, Vec<u8>>> = binaries
        .iter()
        .enumerate()
        .map(|(i, b)| exported(b, &work.join(format!("export-{i}"))))
        .collect();
    assert_ne!(
        truth[0].keys().collect::<Vec<_>>(),
        truth[1].keys().collect::<Vec<_>>()
    );
    (binaries, truth)
}

#[tokio::test(flavor = "multi_thread")]
async fn three_releases_on_seaweedfs_signed() {
    let (binaries, truth) = releases_and_truth("publish-seaweedfs");
    scenario(&StoreServer::start(Kind::SeaweedFs), &binaries, &truth).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn three_releases_on_azurite_signed() {
    let (binaries, truth) = releases_and_truth("publish-azurite");
    scenario(&StoreServer::start(Kind::Azurite), &binaries, &truth).await;
}

#[test]
fn three_releases_in_a_local_folder() {
    let (binaries, truth) = releases_and_truth("publish-folder");
    let dir = workspace().join("target/publish-folder/folder");
    folder(&binaries, &truth, &dir);
}

async fn scenario(s3: &StoreServer, binaries: &[PathBuf], truth: &[BTreeMap<String, Vec<u8>>]) {
    let url = s3.url("static/");
    let total = truth[0].len();

    // Release 1, stopped midway: one upload at a time through a proxy
    // that slows every request, killed after its third PUT.
    let slow = Proxy::start(&s3.endpoint);
    slow.delay(Duration::from_millis(150));
    let mut publish = s3.command_via(
        &binaries[0],
        &slow.endpoint,
        &[
            "publish-assets",
            &url,
            "--precompressed",
            "--concurrency",
            "1",
        ],
    );
    let mut child = publish.spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while slow
        .requests()
        .iter()
        .filter(|r| r.starts_with("PUT "))
        .count()
        < 3
    {
        assert!(
            Instant::now() < deadline,
            "no uploads: {:?}",
            slow.requests()
        );
        assert!(
            child.try_wait().unwrap().is_none(),
            "the publish ended early"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    // The proxy may still hand the server a request it read before the kill
    // (it sleeps 150 ms per request): list until the bucket stops changing.
    let mut partial = s3.objects("static").await;
    loop {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let again = s3.objects("static").await;
        if again.len() == partial.len() {
            break;
        }
        partial = again;
    }
    // The killed publish leaves its record, which keeps its objects from
    // prunes (until the release's manifest names them, or a day).
    let records: Vec<String> = partial
        .keys()
        .filter(|k| release::publishing_of(k).is_some())
        .cloned()
        .collect();
    assert_eq!(records.len(), 1, "{partial:?}");
    partial.remove(&records[0]);
    assert!(
        !partial.is_empty() && partial.len() < total,
        "{} of {total} objects after the kill",
        partial.len()
    );
    assert!(
        manifests(partial.keys().cloned()).is_empty(),
        "no manifest before every object is there: {partial:?}"
    );

    // The rerun uploads the rest, nothing twice, and the manifest last.
    let recorder = Proxy::start(&s3.endpoint);
    let mut rerun = s3.command_via(
        &binaries[0],
        &recorder.endpoint,
        &["publish-assets", &url, "--precompressed"],
    );
    let stdout = run_ok(&mut rerun);
    assert_eq!(uploaded(&stdout), total - partial.len(), "{stdout}");
    let requests = recorder.requests();
    let puts: Vec<&String> = requests.iter().filter(|r| r.starts_with("PUT ")).collect();
    // Its record, the missing objects, the manifest; then the record goes.
    assert_eq!(puts.len(), total - partial.len() + 2, "{puts:#?}");
    for key in partial.keys() {
        assert!(
            !puts.iter().any(|p| p.contains(&format!("/static/{key} "))),
            "{key} was uploaded twice"
        );
    }
    let record = puts[0]
        .split(' ')
        .nth(1)
        .and_then(|path| path.split_once("/static/"))
        .map(|(_, key)| key.to_owned())
        .unwrap();
    assert!(release::publishing_of(&record).is_some(), "{puts:#?}");
    let manifest = puts.last().unwrap();
    assert!(
        manifest.contains("/static/manifests/") && !manifest.contains("/publishing/"),
        "the manifest is written last: {puts:#?}"
    );
    // Its record goes after the manifest, and so does the killed one's
    // (S3 and Azure delete in batches: a POST).
    let after_manifest = &requests[requests.iter().position(|r| r == *manifest).unwrap() + 1..];
    assert_eq!(after_manifest.len(), 2, "{requests:#?}");
    assert!(
        after_manifest
            .iter()
            .all(|r| r.starts_with("DELETE ") || r.starts_with("POST ")),
        "the records are removed after the manifest: {requests:#?}"
    );
    let left = s3.objects("static").await;
    assert!(
        !left.contains_key(&record) && !left.contains_key(&records[0]),
        "{left:?}"
    );

    // Every object, with its metadata, as the app itself would serve it.
    let objects = s3.objects("static").await;
    let manifest_keys = manifests(objects.keys().cloned());
    assert_eq!(manifest_keys.len(), 1);
    let release_1 = read_release(s3, &manifest_keys[0]).await;
    assert_eq!(
        release_1.objects.keys().collect::<BTreeSet<_>>(),
        truth[0].keys().collect::<BTreeSet<_>>(),
        "the manifest names every object of the release"
    );
    let http = client();
    for (key, bytes) in &truth[0] {
        let meta = &release_1.objects[key];
        let response = http
            .get(s3.public_url(&format!("static/{key}")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{key}");
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .map(|v| v.to_str().unwrap().to_owned())
        };
        assert_eq!(
            header("content-type").as_deref(),
            Some(meta.content_type.as_str()),
            "{key}"
        );
        assert_eq!(
            header("cache-control").as_deref(),
            Some("public, max-age=31536000, immutable"),
            "{key}"
        );
        assert_eq!(header("content-encoding"), meta.content_encoding, "{key}");
        assert_eq!(
            response.bytes().await.unwrap().as_ref(),
            bytes.as_slice(),
            "{key}"
        );
    }

    // A second publish uploads nothing: one listing of the manifests,
    // where it finds its own.
    let recorder = Proxy::start(&s3.endpoint);
    let mut again = s3.command_via(
        &binaries[0],
        &recorder.endpoint,
        &["publish-assets", &url, "--precompressed"],
    );
    let stdout = run_ok(&mut again);
    assert_eq!(uploaded(&stdout), 0, "{stdout}");
    let requests = recorder.requests();
    assert_eq!(requests.len(), 1, "{requests:#?}");
    assert!(
        requests[0].starts_with("GET ") && requests[0].contains("manifests"),
        "{requests:?}"
    );
    // With --verify it lists every key, and still uploads nothing (but
    // its record).
    let recorder = Proxy::start(&s3.endpoint);
    let mut verify = s3.command_via(
        &binaries[0],
        &recorder.endpoint,
        &["publish-assets", &url, "--precompressed", "--verify"],
    );
    assert_eq!(uploaded(&run_ok(&mut verify)), 0);
    assert!(
        !recorder
            .requests()
            .iter()
            .any(|r| r.starts_with("PUT ") && !r.contains("/static/manifests/publishing/")),
        "{:?}",
        recorder.requests()
    );

    // Release 1's page, served with the bucket as its asset origin.
    let base = s3.public_url("static/");
    let page_urls = |binary: &Path| {
        let binary = binary.to_owned();
        let base = base.clone();
        async move {
            let server = Running::start_with_env(&binary, &[("ASSET_URL_PREFIX", &base)]);
            let page = get_text(&format!("{}/", server.base)).await;
            let urls = urls_under(&page, &base);
            assert!(urls.len() >= 5, "{urls:?}\n{page}");
            urls
        }
    };
    let page_1 = page_urls(&binaries[0]).await;
    all_load(&page_1, &truth[0], &base).await;

    // Release 2 published: release 1's open pages still load everything.
    run_ok(&mut s3.command(&binaries[1], &["publish-assets", &url, "--precompressed"]));
    all_load(&page_1, &truth[0], &base).await;
    let page_2 = page_urls(&binaries[1]).await;
    all_load(&page_2, &truth[1], &base).await;

    // Release 3; prune keeping 2: a dry run changes nothing, then exactly
    // the objects only release 1 used go, with its manifest.
    run_ok(&mut s3.command(&binaries[2], &["publish-assets", &url, "--precompressed"]));
    let before = s3.objects("static").await;
    let dry = run_ok(&mut s3.command(
        &binaries[2],
        &["prune-assets", &url, "--keep", "2", "--grace", "0"],
    ));
    assert!(dry.contains("would delete"), "{dry}");
    assert_eq!(
        s3.objects("static").await.keys().collect::<Vec<_>>(),
        before.keys().collect::<Vec<_>>()
    );
    let done = run_ok(&mut s3.command(
        &binaries[2],
        &[
            "prune-assets",
            &url,
            "--keep",
            "2",
            "--grace",
            "0",
            "--delete",
        ],
    ));
    let after = s3.objects("static").await;
    let gone: BTreeSet<&String> = before.keys().filter(|k| !after.contains_key(*k)).collect();
    let only_release_1 = only_release_1(truth, &manifest_keys);
    assert!(only_release_1.len() >= 3, "{only_release_1:?}");
    assert_eq!(gone, only_release_1, "{done}");
    // Release 2's pages still load everything.
    all_load(&page_2, &truth[1], &base).await;
}

async fn read_release(s3: &StoreServer, key: &str) -> Release {
    Release::from_json(&s3.read(&format!("static/{key}")).await).unwrap()
}

fn folder(binaries: &[PathBuf], truth: &[BTreeMap<String, Vec<u8>>], dir: &Path) {
    let _ = std::fs::remove_dir_all(dir);
    let url = dir.to_str().unwrap();
    let publish = |i: usize| {
        let mut command = std::process::Command::new(&binaries[i]);
        command.args(["publish-assets", url, "--precompressed"]);
        run_ok(&mut command)
    };

    let stdout = publish(0);
    assert_eq!(uploaded(&stdout), truth[0].len(), "{stdout}");
    let written = tree(dir);
    let manifest_keys = manifests(written.keys().cloned());
    assert_eq!(manifest_keys.len(), 1, "{:?}", written.keys());
    for (key, bytes) in &truth[0] {
        assert_eq!(written.get(key), Some(bytes), "{key}");
    }

    // What a publish stopped midway leaves: some objects, no manifest.
    let removed: Vec<&String> = truth[0].keys().take(2).collect();
    for key in &removed {
        std::fs::remove_file(dir.join(key)).unwrap();
    }
    std::fs::remove_file(dir.join(&manifest_keys[0])).unwrap();
    let stdout = publish(0);
    assert_eq!(uploaded(&stdout), 2, "{stdout}");
    assert!(stdout.contains("written"), "{stdout}");
    assert_eq!(uploaded(&publish(0)), 0);

    publish(1);
    publish(2);
    let before = tree(dir);
    let mut prune = std::process::Command::new(&binaries[2]);
    prune.args([
        "prune-assets",
        url,
        "--keep",
        "2",
        "--grace",
        "0",
        "--delete",
    ]);
    let done = run_ok(&mut prune);
    let after = tree(dir);
    let gone: BTreeSet<&String> = before.keys().filter(|k| !after.contains_key(*k)).collect();
    assert_eq!(gone, only_release_1(truth, &manifest_keys), "{done}");
    for (key, bytes) in truth[1].iter().chain(&truth[2]) {
        assert_eq!(after.get(key), Some(bytes), "{key}");
    }
}
