//! Bad input fails the user's `cargo build` with a message that names the
//! path, and never with a panic.

use asset_tests::fixture::Fixture;

fn assert_fails(fixture: &Fixture, needles: &[&str]) {
    let failure = fixture.build().expect_err("the build fails");
    let stderr = failure.stderr;
    assert!(stderr.contains("asset-build: "), "{stderr}");
    for needle in needles {
        assert!(stderr.contains(needle), "missing {needle:?} in:\n{stderr}");
    }
    assert!(!stderr.contains("panicked"), "no panic:\n{stderr}");
    assert!(
        !stderr.contains("RUST_BACKTRACE"),
        "no backtrace hint:\n{stderr}"
    );
}

#[test]
fn missing_folder() {
    let fixture = Fixture::new("site", "err-missing");
    std::fs::remove_dir_all(fixture.path("assets")).unwrap();
    assert_fails(
        &fixture,
        &[
            "asset folder",
            &fixture.path("assets").display().to_string(),
            "does not exist",
        ],
    );
}

#[test]
fn two_files_with_one_url() {
    let fixture = Fixture::new("site", "err-duplicate");
    fixture.write("extra/css/app.css", "body {}\n");
    assert_fails(
        &fixture,
        &[
            "`css/app.css`",
            &fixture.path("assets/css/app.css").display().to_string(),
            &fixture.path("extra/css/app.css").display().to_string(),
        ],
    );
}

#[cfg(unix)]
#[test]
fn symlink_loop() {
    let fixture = Fixture::new("site", "err-loop");
    std::os::unix::fs::symlink(fixture.path("assets"), fixture.path("assets/css/loop")).unwrap();
    assert_fails(
        &fixture,
        &[
            "symbolic link loop",
            &fixture.path("assets/css/loop").display().to_string(),
        ],
    );
}

#[cfg(unix)]
#[test]
fn non_utf8_name() {
    use std::os::unix::ffi::OsStrExt;
    let fixture = Fixture::new("site", "err-utf8");
    let name = std::ffi::OsStr::from_bytes(b"bad\xffname.css");
    std::fs::write(fixture.path("assets/css").join(name), "x").unwrap();
    assert_fails(&fixture, &["not valid UTF-8", "bad"]);
}

#[cfg(unix)]
#[test]
fn unreadable_file() {
    // A dangling symbolic link cannot be read, even by root.
    let fixture = Fixture::new("site", "err-unreadable");
    std::os::unix::fs::symlink(
        fixture.path("nowhere.css"),
        fixture.path("assets/css/dangling.css"),
    )
    .unwrap();
    assert_fails(
        &fixture,
        &[
            "cannot read",
            &fixture
                .path("assets/css/dangling.css")
                .display()
                .to_string(),
        ],
    );
}

#[test]
fn a_missing_build_script_is_named_before_rustc_s_out_dir_message() {
    let fixture = Fixture::new("site", "err-no-build-script");
    fixture.remove("build.rs");
    let stderr = fixture.build().expect_err("the build fails").stderr;
    assert!(
        stderr.contains("include_assets!: this crate has no build script")
            && stderr.contains("asset_build::Pipeline::new"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("use std::env::var(\"OUT_DIR\")"),
        "rustc's misleading hint:\n{stderr}"
    );
}

#[test]
fn a_build_script_that_does_not_run_the_pipeline_is_named() {
    let fixture = Fixture::new("site", "err-no-pipeline");
    fixture.write("build.rs", "fn main() {}\n");
    let stderr = fixture.build().expect_err("the build fails").stderr;
    assert!(
        stderr.contains("does not run `asset_build::Pipeline`"),
        "{stderr}"
    );
}

#[test]
fn a_template_typo_fails_the_build_with_the_line_and_a_did_you_mean() {
    // The demo checks its templates in build.rs.
    let fixture = Fixture::demo("err-template-typo");
    fixture.replace(
        "templates/index.html",
        "\"js/app.js\"|asset_runtime::askama::asset_url",
        "\"js/ap.js\"|asset_runtime::askama::asset_url",
    );
    let line = std::fs::read_to_string(fixture.path("templates/index.html"))
        .unwrap()
        .lines()
        .position(|l| l.contains("js/ap.js"))
        .unwrap()
        + 1;
    assert_fails(
        &fixture,
        &[
            &format!(
                "{} line {line}: unknown asset `js/ap.js`",
                fixture.path("templates/index.html").display()
            ),
            "did you mean `js/app.js`?",
        ],
    );
}
