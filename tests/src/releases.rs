//! Three releases of the demo, built once per test run and shared by the
//! publish tests: release 2 changes the stylesheet, release 3 the script.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use crate::fixture::{Fixture, files_under, workspace};

/// The three binaries, oldest first. Built by the first test process of a
/// nextest run that asks (the others wait for it on a lock folder), and
/// once per process under `cargo test`.
pub fn demo_releases() -> Vec<PathBuf> {
    static BUILT: OnceLock<Vec<PathBuf>> = OnceLock::new();
    BUILT
        .get_or_init(|| {
            let dir = workspace().join("target/publish-releases");
            std::fs::create_dir_all(&dir).unwrap();
            let binaries: Vec<PathBuf> =
                (1..=3).map(|i| dir.join(format!("release-{i}"))).collect();
            let _lock = DirLock::take(&dir.join("lock"));
            let marker = dir.join("built-in-run");
            let run = std::env::var("NEXTEST_RUN_ID").ok();
            let done = run.is_some()
                && std::fs::read_to_string(&marker).ok() == run
                && binaries.iter().all(|b| b.exists());
            if !done {
                build(&binaries);
                std::fs::write(&marker, run.unwrap_or_default()).unwrap();
            }
            binaries
        })
        .clone()
}

fn build(binaries: &[PathBuf]) {
    let fixture = Fixture::demo("publish-releases");
    for (i, copy) in binaries.iter().enumerate() {
        match i + 1 {
            2 => fixture.replace(
                "static/css/app.css",
                "--accent: #2f6fed;",
                "--accent: #c2185b;",
            ),
            3 => fixture.replace("static/js/app.js", "document", "/* release 3 */ document"),
            _ => {}
        }
        let built = fixture.build_ok();
        let _ = std::fs::remove_file(copy);
        std::fs::copy(&built, copy).unwrap();
    }
}

/// What `export-assets` writes for a release, but its `manifest.json`: key
/// -> bytes.
pub fn exported(binary: &Path, dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let _ = std::fs::remove_dir_all(dir);
    let out = std::process::Command::new(binary)
        .arg("export-assets")
        .arg(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut files = tree(dir);
    files.remove("manifest.json");
    files
}

/// Every file under `dir`: its path relative to `dir` -> its bytes.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    files_under(dir)
        .into_iter()
        .map(|p| {
            let key = p.strip_prefix(dir).unwrap().to_str().unwrap().to_owned();
            (key, std::fs::read(&p).unwrap())
        })
        .collect()
}

/// A lock between test processes: a folder made atomically, holding the
/// owner's PID; taken over when that process is gone.
struct DirLock(PathBuf);

impl DirLock {
    fn take(path: &Path) -> DirLock {
        let deadline = Instant::now() + Duration::from_secs(30 * 60);
        loop {
            if std::fs::create_dir(path).is_ok() {
                std::fs::write(path.join("pid"), std::process::id().to_string()).unwrap();
                return DirLock(path.to_owned());
            }
            let owner = std::fs::read_to_string(path.join("pid")).unwrap_or_default();
            let alive = owner.is_empty() || Path::new(&format!("/proc/{owner}")).exists();
            if !alive {
                let _ = std::fs::remove_dir_all(path);
                continue;
            }
            assert!(
                Instant::now() < deadline,
                "{} is held by process {owner} for 30 minutes",
                path.display()
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

impl Drop for DirLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
