//! The compile errors of `asset!`, pinned with trybuild.
//!
//! trybuild builds each file under `tests/ui` as a crate of its own, with no
//! build script; `OUT_DIR` points it at a manifest that this test writes,
//! as `asset_build::Pipeline` would.

#[test]
fn ui() {
    let out_dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("asset-macros-ui");
    let manifest_dir = out_dir.join("asset-build");
    std::fs::create_dir_all(&manifest_dir).unwrap();
    std::fs::write(
        manifest_dir.join("manifest.json"),
        r#"{
  "version": 1,
  "url_prefix": "/static/",
  "assets": {
    "css/app.css": { "url": "/static/css/app.0123456789abcdef.css" },
    "js/app.js": { "url": "/static/js/app.fedcba9876543210.js" }
  }
}
"#,
    )
    .unwrap();
    // SAFETY of intent: set before trybuild starts cargo; tests in this
    // binary run nothing else concurrently that reads OUT_DIR.
    unsafe { std::env::set_var("OUT_DIR", &out_dir) };
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/known.rs");
    t.compile_fail("tests/ui/unknown.rs");
}
