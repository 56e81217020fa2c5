//! Delta updates through a deploy, as users run them (RFC 9842):
//!
//! - CI on a fresh machine: release 1 is published to a bucket (a local
//!   folder here), `fetch-releases` downloads it into a folder, release 2
//!   is built with `ASSET_BUILD_EARLIER_RELEASES` naming that folder, and
//!   serves, exports and publishes deltas against release 1;
//! - local release builds: each build of a target directory records its
//!   text assets, and the next one makes deltas against them with no
//!   setting;
//! - bad input: an earlier-release folder that does not exist is a warning
//!   naming it, and the build goes on.

use std::process::Command;

use asset_tests::fixture::{Fixture, Running, files_under, run_ok, workspace};
use asset_tests::{available_dictionary, client, decode_delta, exported, get_text};
use sha2::Digest;

/// GET `path` with a dictionary and both dictionary codings listed: the
/// coding and the body.
async fn get_delta(base: &str, path: &str, dictionary: &[u8]) -> (Option<String>, Vec<u8>) {
    let r = client()
        .get(format!("{base}{path}"))
        .header("accept-encoding", "gzip, br, dcb")
        .header("available-dictionary", available_dictionary(dictionary))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{path}");
    let coding = r
        .headers()
        .get("content-encoding")
        .map(|v| v.to_str().unwrap().to_owned());
    (coding, r.bytes().await.unwrap().to_vec())
}

#[tokio::test(flavor = "multi_thread")]
async fn ci_fetches_the_published_release_and_builds_deltas_against_it() {
    let work = workspace().join("target/fixture-work/deltas-ci-files");
    let _ = std::fs::remove_dir_all(&work);
    let (bucket, earlier, export) = (
        work.join("bucket"),
        work.join("earlier"),
        work.join("export"),
    );
    std::fs::create_dir_all(&bucket).unwrap();

    // Release 1, published.
    let fixture = Fixture::demo("deltas-ci");
    let release_1 = fixture.build_ok();
    let export_1 = work.join("export-1");
    run_ok(Command::new(&release_1).arg("export-assets").arg(&export_1));
    run_ok(
        Command::new(&release_1)
            .arg("publish-assets")
            .arg(&bucket)
            .arg("--no-progress"),
    );
    let (css_1_path, css_1) = exported(&export_1, "css/app.css");

    // Release 2 in CI: a first build, which fetches what is published...
    fixture.replace(
        "static/css/app.css",
        "--accent: #2f6fed;",
        "--accent: #c2185b;",
    );
    let first_build = fixture.build_ok();
    let said = run_ok(
        Command::new(&first_build)
            .arg("fetch-releases")
            .arg(&bucket)
            .arg(&earlier)
            .arg("--releases")
            .arg("2"),
    );
    assert!(said.starts_with("fetched 1 releases"), "{said}");
    // The manifest and the stored text files, nothing else.
    let manifests: Vec<_> = std::fs::read_dir(earlier.join("manifests"))
        .unwrap()
        .collect();
    assert_eq!(manifests.len(), 1);
    assert_eq!(std::fs::read(earlier.join(&css_1_path)).unwrap(), css_1);
    assert!(!earlier.join(format!("{css_1_path}.br")).exists());
    let files: Vec<String> = files_under(&earlier)
        .iter()
        .map(|f| f.to_str().unwrap().to_owned())
        .collect();
    for ext in [".png", ".woff2", ".br", ".gz"] {
        assert!(
            !files.iter().any(|f| f.ends_with(ext)),
            "no {ext} in what a build reads as dictionaries: {files:?}"
        );
    }
    assert!(files.iter().any(|f| f.ends_with(".svg")), "{files:?}");
    let again = run_ok(
        Command::new(&first_build)
            .arg("fetch-releases")
            .arg(&bucket)
            .arg(&earlier),
    );
    assert!(again.contains("downloaded 0 files"), "{again}");

    // ...then the build that makes the deltas.
    let vars = [("ASSET_BUILD_EARLIER_RELEASES", earlier.to_str().unwrap())];
    let release_2 = fixture
        .build_with_env(&vars)
        .unwrap_or_else(|f| panic!("{}", f.stderr));
    let server = Running::start(&release_2);
    let css_2_url = get_text(&format!("{}/", server.base))
        .await
        .split('"')
        .find(|s| s.starts_with("/static/css/app.") && s.ends_with(".css"))
        .unwrap()
        .to_owned();
    let (coding, body) = get_delta(&server.base, &css_2_url, &css_1).await;
    assert_eq!(coding.as_deref(), Some("dcb"));
    // The bytes the server sends as they are (the stylesheet with its
    // references rewritten).
    let css_2 = client()
        .get(format!("{}{css_2_url}", server.base))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert!(
        decode_delta("dcb", &body, &css_1) == css_2,
        "the delta decodes to the served bytes"
    );

    // Export and publish carry the delta, under the documented key.
    run_ok(Command::new(&release_2).arg("export-assets").arg(&export));
    let (css_2_path, _) = exported(&export, "css/app.css");
    let sha: [u8; 32] = sha2::Sha256::digest(&css_1).into();
    let key =
        asset_manifest::dictionary::delta_key(&css_2_path, asset_manifest::Encoding::Dcb, &sha);
    assert!(
        std::fs::read(export.join(&key)).unwrap() == body,
        "the exported delta is the served one"
    );
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(export.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["objects"][&key]["content_encoding"], "dcb");
    run_ok(
        Command::new(&release_2)
            .arg("publish-assets")
            .arg(&bucket)
            .arg("--precompressed")
            .arg("--no-progress"),
    );
    assert!(
        std::fs::read(bucket.join(&key)).unwrap() == body,
        "the published delta is the served one"
    );
    // Pruning the older release keeps the newer one's delta.
    let prune = run_ok(
        Command::new(&release_2)
            .arg("prune-assets")
            .arg(&bucket)
            .arg("--keep")
            .arg("1")
            .arg("--grace")
            .arg("0"),
    );
    assert!(prune.contains(&css_1_path), "{prune}");
    assert!(
        !prune.contains(&key),
        "release 2 is the newest: its delta stays\n{prune}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn release_builds_of_one_target_directory_get_deltas_against_each_other() {
    let fixture = Fixture::new("site", "deltas-history");
    // What `--release` does by default, in a debug build to keep the test
    // fast; and a cache folder of its own, so that earlier runs of this
    // test leave no history.
    fixture.write(
        "build.rs",
        "fn main() { asset_build::Pipeline::new(\"assets\").release_history(true).run(); }\n",
    );
    let cache = workspace().join("target/fixture-work/deltas-history-cache");
    let _ = std::fs::remove_dir_all(&cache);
    let vars = [("ASSET_BUILD_CACHE", cache.to_str().unwrap())];
    let stylesheet = |colour: &str| -> String {
        (0..300)
            .map(|i| format!(".c{i} {{ color: #{colour}; margin: {i}px; }}\n"))
            .collect()
    };
    let css_1 = stylesheet("123456");
    fixture.write("assets/css/app.css", &css_1);
    fixture.build_with_env(&vars).unwrap();
    let css_2 = css_1.replace(".c7 {", ".c7-new {");
    fixture.write("assets/css/app.css", &css_2);
    let binary = fixture.build_with_env(&vars).unwrap();

    let server = Running::start(&binary);
    let url = get_text(&format!("{}/url/css/app.css", server.base)).await;
    let (coding, body) = get_delta(&server.base, &url, css_1.as_bytes()).await;
    assert_eq!(coding.as_deref(), Some("dcb"));
    assert_eq!(
        decode_delta("dcb", &body, css_1.as_bytes()),
        css_2.as_bytes()
    );
    assert!(body.len() < 100, "a one-rule change: {} bytes", body.len());
}

#[test]
fn an_earlier_release_folder_that_is_missing_is_a_warning_not_a_failure() {
    let fixture = Fixture::new("site", "deltas-bad-folder");
    let missing = workspace().join("target/fixture-work/no-such-release");
    let (_, output) = fixture
        .build_with_env_output(&[("ASSET_BUILD_EARLIER_RELEASES", missing.to_str().unwrap())])
        .unwrap_or_else(|f| panic!("the build failed:\n{}", f.stderr));
    assert!(
        output.contains(&format!(
            "asset-build: earlier release `{}` is not a folder; building without its deltas",
            missing.display()
        )),
        "{output}"
    );
}
