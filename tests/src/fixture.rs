//! Fixture crates: a user's crate copied from `tests/fixtures/<name>`,
//! built through cargo into one shared target directory (so dependencies
//! compile once for all fixtures), and run as a real server.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The target directory that every fixture build shares.
pub fn target_dir() -> PathBuf {
    workspace().join("target").join("fixtures")
}

/// A private copy of a fixture crate.
pub struct Fixture {
    dir: PathBuf,
    package: String,
}

/// A fixture build that failed, with what cargo printed.
#[derive(Debug)]
pub struct BuildFailure {
    pub stderr: String,
}

impl Fixture {
    /// Copies `tests/fixtures/<template>` to a fresh folder for the test
    /// `name`, as package `fixture-<name>`.
    pub fn new(template: &str, name: &str) -> Fixture {
        let source = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures")
            .join(template);
        let fixture = Fixture::copy_of(&source, name, &source.join("Cargo.toml.in"));
        std::fs::remove_file(fixture.dir.join("Cargo.toml.in")).unwrap();
        fixture
    }

    /// A copy of the demo app (`examples/demo`), built as a user's crate
    /// of its own.
    pub fn demo(name: &str) -> Fixture {
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo.Cargo.toml.in");
        Fixture::copy_of(&workspace().join("examples/demo"), name, &manifest)
    }

    /// A crate made of `files` (relative path, contents) for the test
    /// `name`, whose `Cargo.toml` is among them; its package is renamed
    /// `fixture-<name>` and it gets the workspace's `Cargo.lock`.
    pub fn from_files(name: &str, files: &[(String, String)]) -> Fixture {
        let dir = workspace().join("target").join("fixture-work").join(name);
        if dir.exists() {
            std::fs::remove_dir_all(&dir).unwrap();
        }
        let fixture = Fixture {
            dir,
            package: format!("fixture-{name}"),
        };
        for (path, contents) in files {
            fixture.write(path, contents);
        }
        std::fs::copy(workspace().join("Cargo.lock"), fixture.path("Cargo.lock")).unwrap();
        fixture
    }

    /// The package name, `fixture-<name>`.
    pub fn package(&self) -> &str {
        &self.package
    }

    /// Copies `source` for the test `name`, as package `fixture-<name>`,
    /// with a manifest made from `manifest` (`@NAME@` and `@ROOT@`
    /// replaced), which takes the place of any `Cargo.toml` in `source`.
    fn copy_of(source: &Path, name: &str, manifest: &Path) -> Fixture {
        let dir = workspace().join("target").join("fixture-work").join(name);
        if dir.exists() {
            std::fs::remove_dir_all(&dir).unwrap();
        }
        copy_dir(source, &dir);
        let package = format!("fixture-{name}");
        let manifest = std::fs::read_to_string(manifest)
            .unwrap()
            .replace("@NAME@", &package)
            .replace("@ROOT@", workspace().to_str().unwrap());
        std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
        // Resolve to the versions the workspace already uses.
        std::fs::copy(workspace().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
        Fixture { dir, package }
    }

    /// A path inside the copy.
    pub fn path(&self, relative: &str) -> PathBuf {
        self.dir.join(relative)
    }

    /// Writes a file inside the copy, creating folders.
    pub fn write(&self, relative: &str, bytes: impl AsRef<[u8]>) {
        let path = self.path(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }

    /// Replaces `from` with `to` in a file inside the copy; panics if
    /// `from` is not there.
    pub fn replace(&self, relative: &str, from: &str, to: &str) {
        let text = std::fs::read_to_string(self.path(relative)).unwrap();
        assert!(text.contains(from), "{relative} has no {from:?}");
        self.write(relative, text.replace(from, to));
    }

    /// Removes a file inside the copy.
    pub fn remove(&self, relative: &str) {
        std::fs::remove_file(self.path(relative)).unwrap();
    }

    /// `cargo build`; the binary on success.
    pub fn build(&self) -> Result<PathBuf, BuildFailure> {
        self.build_with_env(&[])
    }

    /// `cargo build` with these environment variables set (and
    /// `ASSET_DEV` unset unless given, whatever the caller's shell has).
    pub fn build_with_env(&self, vars: &[(&str, &str)]) -> Result<PathBuf, BuildFailure> {
        self.cargo_build(vars, true, &[]).map(|(binary, _)| binary)
    }

    /// `cargo rustc` with `rustc_args` for the fixture's own crate only
    /// (its dependencies build as with [`Fixture::build`], so they are not
    /// rebuilt), and these environment variables set.
    pub fn rustc_with(
        &self,
        rustc_args: &[&str],
        vars: &[(&str, &str)],
    ) -> Result<PathBuf, BuildFailure> {
        self.cargo_build(vars, true, rustc_args)
            .map(|(binary, _)| binary)
    }

    /// [`Fixture::build_with_env`], not quiet, with what cargo printed on
    /// success too: its warnings, the build script's `cargo::warning`s
    /// among them (`--quiet` would hide those).
    pub fn build_with_env_output(
        &self,
        vars: &[(&str, &str)],
    ) -> Result<(PathBuf, String), BuildFailure> {
        self.cargo_build(vars, false, &[])
    }

    /// `cargo build`, or `cargo rustc -- <rustc_args>` when there are
    /// some.
    fn cargo_build(
        &self,
        vars: &[(&str, &str)],
        quiet: bool,
        rustc_args: &[&str],
    ) -> Result<(PathBuf, String), BuildFailure> {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut command = Command::new(cargo);
        // The test binary's own OUT_DIR (cargo sets it for tests of a crate
        // with a build script) must not leak into the user's build.
        command.env_remove("ASSET_DEV").env_remove("OUT_DIR");
        // Backtraces need no more; it keeps target/fixtures small.
        command.env("CARGO_PROFILE_DEV_DEBUG", "line-tables-only");
        for (name, value) in vars {
            command.env(name, value);
        }
        command.arg(if rustc_args.is_empty() {
            "build"
        } else {
            "rustc"
        });
        if quiet {
            command.arg("--quiet");
        }
        let output = command
            .arg("--manifest-path")
            .arg(self.path("Cargo.toml"))
            .arg("--target-dir")
            .arg(target_dir())
            .env_remove("CARGO_TARGET_DIR")
            .env_remove("RUSTC_WRAPPER")
            .args(if rustc_args.is_empty() {
                &[][..]
            } else {
                &["--"][..]
            })
            .args(rustc_args)
            .output()
            .expect("cargo runs");
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        if output.status.success() {
            Ok((target_dir().join("debug").join(&self.package), stderr))
        } else {
            Err(BuildFailure { stderr })
        }
    }

    /// Builds and panics with cargo's output on failure.
    pub fn build_ok(&self) -> PathBuf {
        self.build()
            .unwrap_or_else(|f| panic!("fixture build failed:\n{}", f.stderr))
    }
}

/// A running fixture server; killed when dropped.
pub struct Running {
    child: Child,
    /// `http://127.0.0.1:PORT`
    pub base: String,
}

impl Running {
    /// `127.0.0.1:PORT`
    pub fn addr(&self) -> &str {
        self.base.trim_start_matches("http://")
    }
}

impl Running {
    /// Starts the binary on a free loopback port and waits (at most 30 s)
    /// for it to say where it listens.
    pub fn start(binary: &Path) -> Running {
        Running::start_at(binary, "127.0.0.1:0")
    }

    /// Starts the binary on a free loopback port with these environment
    /// variables set.
    pub fn start_with_env(binary: &Path, vars: &[(&str, &str)]) -> Running {
        Running::spawn(binary, "127.0.0.1:0", vars)
    }

    /// Starts the binary on `addr`, where another server just stopped:
    /// waits (at most 5 s) for the address to be free first.
    pub fn start_when_free(binary: &Path, addr: &str) -> Running {
        Running::start_when_free_with_env(binary, addr, &[])
    }

    /// [`Running::start_when_free`] with these environment variables set.
    pub fn start_when_free_with_env(binary: &Path, addr: &str, vars: &[(&str, &str)]) -> Running {
        for _ in 0..50 {
            if std::net::TcpListener::bind(addr).is_ok() {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Running::spawn(binary, addr, vars)
    }

    /// Starts the binary listening on `addr` (its `ADDR`), and waits (at
    /// most 30 s) for the first line it prints, which names its URL.
    pub fn start_at(binary: &Path, addr: &str) -> Running {
        Running::spawn(binary, addr, &[])
    }

    fn spawn(binary: &Path, addr: &str, vars: &[(&str, &str)]) -> Running {
        let mut child = Command::new(binary)
            .env("ADDR", addr)
            .envs(vars.iter().copied())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("the server announces its address");
        let start = line
            .find("http://")
            .unwrap_or_else(|| panic!("no URL in the first line: {line:?}"));
        let base = line[start..]
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .trim_end_matches('/')
            .to_owned();
        Running { child, base }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs a command to completion and returns its stdout; panics with its
/// status, stdout and stderr if it fails.
pub fn run_ok(command: &mut Command) -> String {
    let out = command.output().unwrap();
    assert!(
        out.status.success(),
        "{command:?}: status {}\nstdout:\n{}\nstderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Every file under `dir`, however deep.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(files_under(&path));
        } else {
            files.push(path);
        }
    }
    files
}

/// Copies a folder tree (files and folders; links are copied as the files
/// they point at).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
