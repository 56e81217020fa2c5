//! The compile errors of `asset!`, pinned with trybuild.
//!
//! trybuild builds each file under `tests/ui` as a crate of its own, with no
//! build script; `OUT_DIR` points it at a manifest that this test writes,
//! as `asset_build::Pipeline` would.

#[test]
fn ui() {
    let out_dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("asset-macros-ui");
    std::fs::create_dir_all(out_dir.join(asset_manifest::layout::OUTPUT_DIR)).unwrap();
    let mut manifest = asset_manifest::Manifest::new("/static/");
    for (logical, url, content_type) in [
        (
            "css/app.css",
            "/static/css/app.0123456789abcdef.css",
            "text/css; charset=utf-8",
        ),
        (
            "js/app.js",
            "/static/js/app.fedcba9876543210.js",
            "text/javascript; charset=utf-8",
        ),
    ] {
        manifest.assets.insert(
            logical.to_owned(),
            asset_manifest::manifest::ManifestAsset {
                url: url.to_owned(),
                content_type: content_type.to_owned(),
                ..Default::default()
            },
        );
    }
    std::fs::write(
        out_dir.join(asset_manifest::layout::MANIFEST_PATH),
        manifest.to_json(),
    )
    .unwrap();
    // SAFETY of intent: set before trybuild starts cargo; tests in this
    // binary run nothing else concurrently that reads OUT_DIR.
    unsafe { std::env::set_var("OUT_DIR", &out_dir) };
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/known.rs");
    t.compile_fail("tests/ui/unknown.rs");
}
