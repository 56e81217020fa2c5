//! The browser scripts of `tests/browser/` (playwright-core driving
//! Debian's Chromium), run from the tests: each prints one JSON event a
//! line and may wait on its standard input for a go-ahead.

use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::fixture::workspace;

/// Chromium: `$CHROMIUM`, or Debian's.
pub fn chromium() -> String {
    std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned())
}

/// The path of a script in `tests/browser/`; panics with the way out when
/// Chromium or the driver's npm packages are missing.
pub fn script(name: &str) -> PathBuf {
    let dir = workspace().join("tests/browser");
    assert!(
        dir.join("node_modules/playwright-core").is_dir() && Path::new(&chromium()).exists(),
        "the browser tests need Chromium and the driver's npm packages: run `bash tests/setup.sh`"
    );
    dir.join(name)
}

/// Runs `node <script> <args>` to its end and returns the events it
/// printed. Each event goes to `on_event` first, which may answer with a
/// line for the script's standard input (its go-ahead); the input closes
/// after the first answer. Panics, with the events, if the script fails.
pub fn drive(
    script_name: &str,
    args: &[&OsStr],
    mut on_event: impl FnMut(&serde_json::Value) -> Option<String>,
) -> Vec<serde_json::Value> {
    let mut node = Command::new("node")
        .arg(script(script_name))
        .args(args)
        .env("CHROMIUM", chromium())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("node runs");
    let stdout = BufReader::new(node.stdout.take().unwrap());
    let mut stdin = node.stdin.take();
    let mut events = Vec::new();
    for line in stdout.lines() {
        let line = line.unwrap();
        let event: serde_json::Value =
            serde_json::from_str(&line).unwrap_or_else(|_| panic!("{script_name} said {line:?}"));
        if let Some(answer) = on_event(&event) {
            if let Some(mut input) = stdin.take() {
                writeln!(input, "{answer}").unwrap();
            }
        }
        events.push(event);
    }
    let status = node.wait().unwrap();
    assert!(
        status.success(),
        "{script_name}: the browser checks failed (see stderr); events: {events:#?}"
    );
    events
}
