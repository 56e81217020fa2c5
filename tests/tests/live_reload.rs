//! Live reload in development mode: the demo built with `ASSET_DEV=1` is
//! open in headless Chromium; its stylesheet is edited on disk; the open
//! page shows the new colour by itself, without the test navigating.
//!
//! Needs Chromium, Node and the driver's npm packages: `bash tests/setup.sh`.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use asset_tests::fixture::{Fixture, Running, workspace};

const BEFORE: &str = "rgb(47, 111, 237)";
const AFTER: &str = "rgb(194, 24, 91)";

#[test]
fn an_edited_stylesheet_reaches_an_open_page() {
    let driver = workspace().join("tests/browser");
    assert!(
        driver.join("node_modules/playwright-core").is_dir()
            && Path::new("/usr/bin/chromium").exists(),
        "the browser tests need Chromium and the driver's npm packages: run `bash tests/setup.sh`"
    );
    let fixture = Fixture::demo("live-reload");
    let binary = fixture
        .build_with_env(&[("ASSET_DEV", "1")])
        .unwrap_or_else(|f| panic!("{}", f.stderr));
    let server = Running::start(&binary);

    let mut node = Command::new("node")
        .arg(driver.join("live-reload.mjs"))
        .arg(&server.base)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("node runs");
    let mut stdin = node.stdin.take();
    let mut events = Vec::new();
    for line in BufReader::new(node.stdout.take().unwrap()).lines() {
        let event: serde_json::Value = serde_json::from_str(&line.unwrap()).unwrap();
        if event["event"] == "loaded" {
            assert_eq!(event["colour"], BEFORE, "{event}");
            // The edit, on disk; no rebuild, no request from the test.
            fixture.replace(
                "static/css/app.css",
                "--accent: #2f6fed;",
                "--accent: #c2185b;",
            );
            writeln!(stdin.take().unwrap(), "edited").unwrap();
        }
        events.push(event);
    }
    assert!(node.wait().unwrap().success(), "{events:#?}");
    let after = events.last().unwrap();
    assert_eq!(after["event"], "after", "{events:#?}");
    assert_eq!(
        after["colour"], AFTER,
        "the open page shows the edit: {events:#?}"
    );
    // Only the page's own reload navigated; the test did not.
    assert_eq!(after["navigations"], 2, "{events:#?}");
    println!("the page showed the edit {} ms after it", after["ms"]);
    drop(server);
}
