//! Delta updates in the real browser (RFC 9842): headless Chromium loads
//! release 1 of the demo, release 2 (a changed stylesheet and script,
//! built with release 1's export as its earlier release) takes its place
//! on the same address, and a reload fetches the new files as deltas
//! against the copies the browser kept: `dcb` in one profile, `dcz` in
//! another (the server sends only that coding). The page must work, and
//! the test reports the bytes transferred against a plain brotli transfer.
//!
//! Needs Chromium, Node and the driver's npm packages: `bash tests/setup.sh`.

use std::path::Path;
use std::process::{Command, Stdio};

use asset_tests::browser;
use asset_tests::fixture::{Fixture, Running, workspace};

const COLOUR_1: &str = "rgb(47, 111, 237)";
const COLOUR_2: &str = "rgb(194, 24, 91)";

/// A copy of the demo whose build makes zstd deltas too, and whose server
/// sends only the dictionary coding named by `DELTAS`.
fn demo(name: &str) -> Fixture {
    let fixture = Fixture::demo(name);
    fixture.replace(
        "Cargo.toml",
        "/asset-build\" }",
        "/asset-build\", features = [\"zstd\"] }",
    );
    fixture.replace(
        "src/main.rs",
        ".cors(ASSETS.is_cross_origin());",
        ".cors(ASSETS.is_cross_origin()).delta_encodings(match std::env::var(\"DELTAS\").as_deref() {
            Ok(\"dcb\") => vec![asset_runtime::Encoding::Dcb],
            Ok(\"dcz\") => vec![asset_runtime::Encoding::Dcz],
            _ => vec![asset_runtime::Encoding::Dcb, asset_runtime::Encoding::Dcz],
        });",
    );
    fixture
}

#[test]
fn a_returning_visitor_gets_dcb_and_dcz_deltas_and_the_page_works() {
    browser::script("deltas.mjs");

    let release_1 = demo("deltas-release-1");
    let binary_1 = release_1.build_ok();
    let export = workspace().join("target/fixture-work/deltas-release-1-export");
    let _ = std::fs::remove_dir_all(&export);
    let status = Command::new(&binary_1)
        .arg("export-assets")
        .arg(&export)
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());

    let release_2 = demo("deltas-release-2");
    release_2.replace(
        "static/css/app.css",
        "--accent: #2f6fed;",
        "--accent: #c2185b;",
    );
    release_2.replace(
        "static/js/app.js",
        "document.documentElement.dataset.js=\"ok\"",
        "document.documentElement.dataset.js=\"ok\",document.documentElement.dataset.release=\"2\"",
    );
    let binary_2 = release_2
        .build_with_env(&[("ASSET_BUILD_EARLIER_RELEASES", export.to_str().unwrap())])
        .unwrap_or_else(|f| panic!("release 2 did not build:\n{}", f.stderr));

    for coding in ["dcb", "dcz"] {
        let assets = reload_after_deploy(&binary_1, &binary_2, coding);
        let mut delta_total = 0;
        let mut br_total = 0;
        for a in &assets {
            let url = a["url"].as_str().unwrap();
            assert_eq!(a["status"], 200, "{url}");
            assert_eq!(a["contentEncoding"], coding, "{coding}: {url}: {a}");
            let accept = a["acceptEncoding"].as_str().unwrap_or_default();
            assert!(accept.contains(coding), "{url}: Chromium listed {accept}");
            // The dictionary the browser named is release 1's file.
            let named = a["availableDictionary"].as_str().unwrap_or_default();
            assert_eq!(named, release_1_dictionary(&export, url), "{url}");
            assert_eq!(a["vary"], "accept-encoding, available-dictionary", "{url}");
            let delta = a["contentLength"].as_u64().unwrap();
            let br = brotli_length(&binary_2, url);
            eprintln!("{coding}: {url}: {delta} bytes, brotli {br} bytes");
            delta_total += delta;
            br_total += br;
        }
        println!(
            "{coding}: the new stylesheet and script took {delta_total} bytes of body, {:.1}% of brotli's {br_total}",
            delta_total as f64 * 100.0 / br_total as f64
        );
        assert!(
            delta_total * 2 < br_total,
            "{coding}: {delta_total} vs br {br_total}"
        );
    }
}

/// Runs the driver in a fresh profile: release 1, then release 2 sending
/// only `coding`, then the stylesheet and script of the reload.
fn reload_after_deploy(binary_1: &Path, binary_2: &Path, coding: &str) -> Vec<serde_json::Value> {
    let server = Running::start(binary_1);
    let addr = server.addr().to_owned();
    let base = server.base.clone();
    let mut server = Some(server);
    let events = browser::drive(
        "deltas.mjs",
        &[base.as_ref(), COLOUR_1.as_ref(), COLOUR_2.as_ref()],
        |event| {
            (event["event"] == "switch").then(|| {
                drop(server.take());
                server = Some(Running::start_when_free_with_env(
                    binary_2,
                    &addr,
                    &[("DELTAS", coding)],
                ));
                "go".to_owned()
            })
        },
    );
    let last = events.last().expect("the driver reported");
    assert_eq!(last["event"], "reloaded", "{events:#?}");
    let assets = last["assets"].as_array().unwrap().clone();
    assert!(assets.len() >= 2, "a stylesheet and a script: {assets:?}");
    assets
}

/// `Available-Dictionary` for release 1's copy of the file that `url`
/// (release 2's) is a later version of.
fn release_1_dictionary(export: &Path, url: &str) -> String {
    let path = url.split("/static/").nth(1).unwrap();
    let (logical, _) = asset_manifest::naming::split_hashed(path).unwrap();
    asset_tests::available_dictionary(&asset_tests::exported(export, &logical).1)
}

/// The body length of `url` from release 2 for a client that accepts
/// brotli and has no dictionary.
fn brotli_length(binary: &Path, url: &str) -> u64 {
    let server = Running::start(binary);
    let path = &url[url.find("/static/").unwrap()..];
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let response = asset_tests::client()
            .get(format!("{}{path}", server.base))
            .header("accept-encoding", "br")
            .send()
            .await
            .unwrap();
        assert_eq!(response.headers()["content-encoding"], "br");
        response.bytes().await.unwrap().len() as u64
    })
}
