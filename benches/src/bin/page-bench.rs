//! The page-caching benchmark: `page-server` in its three forms, each
//! loaded by `wrk` on loopback, in adjacent pairs whose order alternates
//! from round to round, so that the drift of the machine's load mostly
//! cancels out of each ratio.
//!
//! - overhead: `plain` against `layer`, plain GETs (every answer a 200
//!   with the 20 KB page);
//! - before rendering: `layer` (full render, 200) against `version` with
//!   `If-None-Match` set to the page's version (every answer a 304 sent
//!   before rendering).
//!
//! ```sh
//! cargo build --release --bins      # in benches/
//! target/release/page-bench [rounds] [seconds] [connections]
//! ```
//!
//! The server runs on CPU 0 with one worker thread and `wrk` (one thread)
//! on CPU 1, through `taskset`. Every run is bounded: `wrk -d`, then the
//! server is killed. Prints a Markdown report.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const PORT: u16 = 38_090;

fn main() {
    let mut args = std::env::args().skip(1);
    let rounds: usize = args.next().map_or(5, |a| a.parse().unwrap());
    let seconds: u64 = args.next().map_or(10, |a| a.parse().unwrap());
    let connections: usize = args.next().map_or(32, |a| a.parse().unwrap());
    let server: PathBuf = std::env::current_exe()
        .unwrap()
        .with_file_name("page-server");
    assert!(server.exists(), "build the page-server binary first");

    // (mode, sends If-None-Match)
    let pairs = [
        ("overhead", ("plain", false), ("layer", false)),
        ("before rendering", ("layer", false), ("version", true)),
    ];
    let mut results: Vec<Vec<(f64, f64)>> = vec![Vec::new(); pairs.len()];
    for round in 0..rounds {
        for (k, (name, base, other)) in pairs.iter().enumerate() {
            let order = if round % 2 == 0 {
                [*base, *other]
            } else {
                [*other, *base]
            };
            let mut got = Vec::new();
            for (mode, conditional) in order {
                let rps = measure(&server, mode, conditional, seconds, connections);
                eprintln!("round {} {name:>16} {mode:>8}: {rps:>9.0} req/s", round + 1);
                got.push(rps);
            }
            let (b, o) = if round % 2 == 0 {
                (got[0], got[1])
            } else {
                (got[1], got[0])
            };
            results[k].push((b, o));
        }
    }
    println!(
        "{rounds} rounds x {seconds} s, {connections} connections, server on CPU 0 (one worker), wrk on CPU 1\n"
    );
    for (k, (name, base, other)) in pairs.iter().enumerate() {
        println!("### {name}: `{}` against `{}`\n", other.0, base.0);
        println!(
            "| round | `{}` req/s | `{}` req/s | ratio |",
            base.0, other.0
        );
        println!("|---|---|---|---|");
        let mut ratios = Vec::new();
        for (i, (b, o)) in results[k].iter().enumerate() {
            ratios.push(o / b);
            println!("| {} | {b:.0} | {o:.0} | {:.3} |", i + 1, o / b);
        }
        ratios.sort_by(f64::total_cmp);
        let median = ratios[ratios.len() / 2];
        println!(
            "\nmedian ratio {median:.3} (min {:.3}, max {:.3})\n",
            ratios[0],
            ratios[ratios.len() - 1]
        );
    }
}

fn measure(server: &Path, mode: &str, conditional: bool, seconds: u64, connections: usize) -> f64 {
    let (mut child, etag) = start(server, mode);
    let headers: Vec<String> = if conditional {
        vec![format!("If-None-Match: {etag}")]
    } else {
        Vec::new()
    };
    let status = probe(&headers);
    let expected = if conditional { "304" } else { "200" };
    assert_eq!(status, expected, "{mode}: status {status}");
    wrk(&headers, 2, connections, conditional);
    let rps = wrk(&headers, seconds, connections, conditional);
    child.kill().unwrap();
    child.wait().unwrap();
    rps
}

fn start(server: &Path, mode: &str) -> (Child, String) {
    let mut child = Command::new("taskset")
        .args(["-c", "0"])
        .arg(server)
        .args([mode, &PORT.to_string()])
        .stdout(Stdio::piped())
        .spawn()
        .expect("taskset and page-server");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let etag = line
        .strip_prefix("ready ")
        .unwrap_or_else(|| panic!("{mode} did not start: {line:?}"))
        .trim()
        .to_owned();
    (child, etag)
}

/// One request, read whole: the status code.
fn probe(headers: &[String]) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", PORT)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let extra: String = headers.iter().map(|h| format!("{h}\r\n")).collect();
    write!(
        stream,
        "GET / HTTP/1.1\r\nHost: 127.0.0.1:{PORT}\r\n{extra}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).unwrap();
    String::from_utf8_lossy(&bytes)
        .split(' ')
        .nth(1)
        .unwrap_or("")
        .to_owned()
}

fn wrk(headers: &[String], seconds: u64, connections: usize, not_modified: bool) -> f64 {
    let mut command = Command::new("taskset");
    command
        .args(["-c", "1", "wrk", "-t1"])
        .arg(format!("-c{connections}"))
        .arg(format!("-d{seconds}s"));
    for h in headers {
        command.args(["-H", h]);
    }
    let output = command
        .arg(format!("http://127.0.0.1:{PORT}/"))
        .output()
        .expect("taskset and wrk");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "wrk failed: {text}");
    assert!(!text.contains("Socket errors"), "errors under load: {text}");
    // wrk counts only statuses over 399 as errors: tell a 304 from a 200
    // by the bytes each answer took.
    assert!(!text.contains("Non-2xx"), "errors under load: {text}");
    let summary = text.lines().find(|l| l.contains(" requests in ")).unwrap();
    let requests: f64 = summary.split_whitespace().next().unwrap().parse().unwrap();
    let read = summary
        .rsplit(", ")
        .next()
        .unwrap()
        .trim_end_matches(" read");
    let per_response = bytes(read) / requests;
    if not_modified {
        assert!(
            per_response < 1_000.0,
            "every answer a bodyless 304: {text}"
        );
    } else {
        assert!(
            per_response > 20_000.0,
            "every answer the 20 KB page: {text}"
        );
    }
    text.lines()
        .find_map(|l| l.trim_start().strip_prefix("Requests/sec:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

/// `28.30MB` -> bytes.
fn bytes(text: &str) -> f64 {
    let split = text
        .find(|c: char| c.is_ascii_alphabetic())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().unwrap();
    number
        * match unit {
            "B" => 1.0,
            "KB" => 1024.0,
            "MB" => 1024.0 * 1024.0,
            "GB" => 1024.0 * 1024.0 * 1024.0,
            other => panic!("unit {other}"),
        }
}
