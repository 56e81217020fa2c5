//! Live reload in development mode: the demo built with `ASSET_DEV=1` is
//! open in headless Chromium; its stylesheet is edited on disk; the open
//! page shows the new colour by itself, without the test navigating.
//!
//! Needs Chromium, Node and the driver's npm packages: `bash tests/setup.sh`.

use asset_tests::browser;
use asset_tests::fixture::{Fixture, Running};

const BEFORE: &str = "rgb(47, 111, 237)";
const AFTER: &str = "rgb(194, 24, 91)";

#[test]
fn an_edited_stylesheet_reaches_an_open_page() {
    browser::script("live-reload.mjs");
    let fixture = Fixture::demo("live-reload");
    let binary = fixture
        .build_with_env(&[("ASSET_DEV", "1")])
        .unwrap_or_else(|f| panic!("{}", f.stderr));
    let server = Running::start(&binary);

    let events = browser::drive("live-reload.mjs", &[server.base.as_ref()], |event| {
        (event["event"] == "loaded").then(|| {
            assert_eq!(event["colour"], BEFORE, "{event}");
            // The edit, on disk; no rebuild, no request from the test.
            fixture.replace(
                "static/css/app.css",
                "--accent: #2f6fed;",
                "--accent: #c2185b;",
            );
            "edited".to_owned()
        })
    });
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
