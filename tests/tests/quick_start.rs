//! The README's Quick start, pasted into a new crate as a user would:
//! every block of the section becomes the file its first line names, the
//! crate is built against this workspace (its crates.io versions turned
//! into paths to the workspace's crates) and run, and its page is
//! requested. If the README drifts from what compiles, this fails.

use asset_tests::client;
use asset_tests::fixture::{Fixture, Running, workspace};

/// The fenced blocks of the README's Quick start, as (file, contents):
/// the file named by each block's first line (a comment).
fn quick_start_files() -> Vec<(String, String)> {
    let readme = std::fs::read_to_string(workspace().join("README.md")).unwrap();
    let start = readme
        .find("\n## Quick start\n")
        .expect("a Quick start section");
    let section = &readme[start + 1..];
    let section = &section[..section[3..].find("\n## ").map_or(section.len(), |i| i + 3)];
    let mut files = Vec::new();
    let mut rest = section;
    while let Some(open) = rest.find("\n```") {
        let after = &rest[open + 4..];
        let body_start = after.find('\n').unwrap() + 1;
        let close = after[body_start..].find("\n```").expect("a closed block");
        let body = &after[body_start..body_start + close + 1];
        let first = body.lines().next().unwrap();
        let name = first
            .trim_start_matches(['#', '/', '*', '<', '!', '-', ' '])
            .trim_end_matches(['*', '/', '-', '>', ' '])
            .to_owned();
        assert!(
            name.contains('.') && !name.contains(' '),
            "the block starting {first:?} does not name its file"
        );
        files.push((name, body.to_owned()));
        rest = &after[body_start + close + 4..];
    }
    files
}

#[test]
fn the_readme_quick_start_builds_and_serves() {
    let mut files = quick_start_files();
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "Cargo.toml",
            "build.rs",
            "src/main.rs",
            "templates/index.html",
            "static/css/app.css"
        ]
    );
    let root = workspace();
    let root = root.to_str().unwrap();
    for (name, contents) in &mut files {
        match name.as_str() {
            // The published versions, built from this checkout instead.
            "Cargo.toml" => {
                let replaced = contents
                    .replace("name = \"my-site\"", "name = \"fixture-quick-start\"")
                    .replace(
                        "asset-runtime = { version = \"0.1\",",
                        &format!("asset-runtime = {{ path = \"{root}/asset-runtime\","),
                    )
                    .replace(
                        "asset-build = \"0.1\"",
                        &format!("asset-build = {{ path = \"{root}/asset-build\" }}"),
                    );
                assert!(
                    replaced.contains("fixture-quick-start") && replaced.matches(root).count() == 2
                );
                *contents = format!("{replaced}\n[workspace]\n");
            }
            // A free port instead of 3000, which may be taken.
            "src/main.rs" => {
                assert!(contents.contains("127.0.0.1:3000"));
                *contents = contents.replace("127.0.0.1:3000", "127.0.0.1:0");
            }
            _ => {}
        }
    }
    let fixture = Fixture::from_files("quick-start", &files);
    let binary = fixture.build_ok();
    let server = Running::start(&binary);

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let page = client()
            .get(format!("{}/", server.base))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 200);
        let page = page.text().await.unwrap();
        let href = page
            .split("href=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap()
            .to_owned();
        assert!(
            href.starts_with("/static/css/app.")
                && href.ends_with(".css")
                && href.len() == "/static/css/app.".len() + 16 + 4,
            "a hashed stylesheet URL: {href}"
        );
        assert!(page.contains("integrity=\"sha384-"), "{page}");
        let css = client()
            .get(format!("{}{href}", server.base))
            .send()
            .await
            .unwrap();
        assert_eq!(css.status(), 200);
        assert_eq!(
            css.headers()["cache-control"],
            "public, max-age=31536000, immutable"
        );
        assert!(css.text().await.unwrap().contains("rebeccapurple"));
    });
}
