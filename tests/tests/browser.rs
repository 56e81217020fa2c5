//! The demo in headless Chromium, as a visitor meets it: the page renders
//! with its stylesheet, web font and script; integrity attributes hold; a
//! second visit takes every hashed asset from the browser's cache; a logical
//! URL revalidates with 304; a new release on the same address shows at
//! once under a new stylesheet URL.
//!
//! Needs Chromium, Node and the driver's npm packages: `bash tests/setup.sh`.

use asset_tests::browser;
use asset_tests::fixture::{Fixture, Running, workspace};

const COLOUR_1: &str = "rgb(47, 111, 237)";
const COLOUR_2: &str = "rgb(194, 24, 91)";

#[test]
fn demo_in_a_real_browser() {
    browser::script("drive.mjs");

    let release_1 = Fixture::demo("browser-release-1");
    let release_2 = Fixture::demo("browser-release-2");
    release_2.replace(
        "static/css/app.css",
        "--accent: #2f6fed;",
        "--accent: #c2185b;",
    );
    let binary_1 = release_1.build_ok();
    let binary_2 = release_2.build_ok();

    let server = Running::start(&binary_1);
    let addr = server.addr().to_owned();
    // Under target/, so that a test run leaves the checkout clean;
    // `UPDATE_SCREENSHOT=1` also refreshes the README's picture.
    let screenshot = workspace().join("target/browser/demo.png");
    std::fs::create_dir_all(screenshot.parent().unwrap()).unwrap();

    let base = server.base.clone();
    let mut server = Some(server);
    let events = browser::drive(
        "drive.mjs",
        &[
            base.as_ref(),
            COLOUR_1.as_ref(),
            COLOUR_2.as_ref(),
            screenshot.as_os_str(),
        ],
        |event| {
            (event["event"] == "switch").then(|| {
                // Deploy release 2 on the same address (same origin, same
                // browser cache), then give the go-ahead.
                drop(server.take());
                server = Some(Running::start_when_free(&binary_2, &addr));
                "go".to_owned()
            })
        },
    );

    let names: Vec<&str> = events.iter().filter_map(|e| e["event"].as_str()).collect();
    assert_eq!(
        names,
        [
            "first",
            "second",
            "reload",
            "logical",
            "switch",
            "new-release",
            "done"
        ]
    );
    let second = &events[1]["fromCache"];
    assert!(second.as_array().is_some_and(|a| !a.is_empty()), "{second}");
    // The page was revalidated with a 304 on the second visit and on a reload.
    for i in [1, 2] {
        let document = &events[i]["document"];
        assert!(
            document.as_array().is_some_and(|a| a.contains(&304.into())),
            "{document}"
        );
    }
    assert_ne!(events[0]["stylesheet"], events[5]["stylesheet"]);
    let png = std::fs::read(&screenshot).unwrap();
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 10_000,
        "a real screenshot"
    );
    if std::env::var_os("UPDATE_SCREENSHOT").is_some_and(|v| v == "1") {
        std::fs::copy(&screenshot, workspace().join("docs/demo.png")).unwrap();
    }
}
