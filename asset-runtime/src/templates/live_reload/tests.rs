use http::{HeaderMap, Method, StatusCode};

use super::*;
use crate::dev::{DevFile, DevTable};
use crate::{ServeOptions, serve};

fn leak(text: String) -> &'static str {
    Box::leak(text.into_boxed_str())
}

/// A development-mode table over one stylesheet in a fresh folder.
fn dev_table(name: &str) -> (&'static Assets, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!(
        "asset-runtime-live-reload-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("app.css");
    std::fs::write(&file, "h1 { color: red; }\n").unwrap();
    let real = std::fs::canonicalize(&file).unwrap();
    let files: &'static [DevFile] = Box::leak(Box::new([DevFile {
        logical_path: "app.css",
        path: leak(file.to_str().unwrap().to_owned()),
        content_type: "text/css",
        logical_url: "/static/app.css",
        real_path: leak(real.to_str().unwrap().to_owned()),
    }]));
    let roots: &'static [&'static str] =
        Box::leak(Box::new([leak(dir.to_str().unwrap().to_owned())]));
    let table: &'static DevTable = Box::leak(Box::new(DevTable::new(files, roots)));
    (
        Box::leak(Box::new(Assets::__new_dev(table, "/static/"))),
        dir,
    )
}

fn version(assets: &Assets) -> String {
    let response = serve(
        assets,
        &ServeOptions::default(),
        &Method::GET,
        "/__asset_dev/version",
        &HeaderMap::new(),
    )
    .expect("a development-mode table answers the version path");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["cache-control"], "no-store");
    String::from_utf8(response.into_body().as_bytes().to_vec()).unwrap()
}

#[test]
fn the_version_follows_the_files_on_disk() {
    let (assets, dir) = dev_table("version");
    let first = version(assets);
    assert_eq!(first.len(), 32, "{first}");
    assert_eq!(version(assets), first, "nothing changed");
    std::fs::write(dir.join("app.css"), "h1 { color: blue; }\n").unwrap();
    assert_ne!(version(assets), first, "an edit changes the version");
    // The same bytes again: the same version (a save without a change
    // reloads nothing).
    std::fs::write(dir.join("app.css"), "h1 { color: red; }\n").unwrap();
    assert_eq!(version(assets), first);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn an_embedded_table_has_no_version_path_and_no_script() {
    crate::__example_assets!();
    let answer = serve(
        &ASSETS,
        &ServeOptions::default(),
        &Method::GET,
        "/__asset_dev/version",
        &HeaderMap::new(),
    );
    assert!(answer.is_none());
    // No development-mode table is installed in these tests.
    assert_eq!(live_reload(), "");
}

#[test]
fn the_script_polls_the_version_and_reloads() {
    let script = script("/static/__asset_dev/version");
    assert!(script.starts_with("<script>") && script.ends_with("</script>"));
    assert!(script.contains("\"/static/__asset_dev/version\""));
    assert!(script.contains("location.reload()"));
}
