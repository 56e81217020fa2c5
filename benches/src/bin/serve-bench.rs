//! The serving benchmark: every server of `asset_benches::SERVERS` in turn
//! on 127.0.0.1, each loaded by `wrk` with the same request. Each round runs
//! every server right next to a run of the ceiling (ceiling first in even
//! rounds, second in odd ones; the servers' order rotates), and each ratio
//! is that of the pair, so that the load of other processes, which drifts
//! over minutes, mostly cancels out.
//!
//! ```sh
//! cargo build --release --bins      # in benches/
//! target/release/serve-bench [rounds] [seconds] [connections]
//! ```
//!
//! The server runs on CPU 0 with one worker thread and `wrk` (one thread) on
//! CPU 1, through `taskset`. Every run is bounded: `wrk -d`, then the server
//! is killed. Prints a Markdown report.
//!
//! `serve-bench delta [rounds] [seconds] [connections]`: the delta case.
//! One server (`ours-delta`: the layer form over a table whose stylesheet
//! has a `dcb` delta against its earlier release) is asked for the same
//! hashed URL with `Accept-Encoding: br` and with `Accept-Encoding: br,
//! dcb` plus the `Available-Dictionary` of the earlier release, in
//! alternating runs (brotli first in even rounds); each run's requests/s,
//! and the server's CPU time (utime + stime from `/proc`) per request.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use asset_benches::{DELTA_DICTIONARY, SERVERS};

const ACCEPT_ENCODING: &str = "br, gzip";
const PORT: u16 = 38_080;

struct Probe {
    status: String,
    coding: String,
    header_bytes: usize,
    body_bytes: usize,
}

struct Run {
    requests: f64,
    rps: f64,
    p50_us: f64,
    p99_us: f64,
    bytes_per_response: f64,
}

fn main() {
    let mut args = std::env::args().skip(1).peekable();
    let delta = args.next_if(|a| a == "delta").is_some();
    let rounds: usize = args.next().map_or(3, |a| a.parse().unwrap());
    let seconds: u64 = args.next().map_or(10, |a| a.parse().unwrap());
    let connections: usize = args.next().map_or(32, |a| a.parse().unwrap());
    let exe = std::env::current_exe().unwrap();
    let server_bin: PathBuf = exe.with_file_name("bench-server");
    assert!(server_bin.exists(), "build the bench-server binary first");
    if delta {
        return delta_case(&server_bin, rounds, seconds, connections);
    }

    let mut probes: Vec<Option<Probe>> = SERVERS.iter().map(|_| None).collect();
    // Per server: (its run, the paired ceiling run).
    let mut runs: Vec<Vec<(Run, Run)>> = SERVERS.iter().map(|_| Vec::new()).collect();
    let others = SERVERS.len() - 1;
    for round in 0..rounds {
        for k in 0..others {
            let i = 1 + (k + round) % others;
            let ceiling_first = round % 2 == 0;
            let order = if ceiling_first { [0, i] } else { [i, 0] };
            let mut pair: Vec<Run> = Vec::new();
            for j in order {
                let (run, probe) = measure(&server_bin, SERVERS[j], seconds, connections);
                eprintln!(
                    "round {} {:>24}: {:>9.0} req/s  p50 {:>7.0} us  p99 {:>7.0} us  {:.0} B/response",
                    round + 1,
                    SERVERS[j],
                    run.rps,
                    run.p50_us,
                    run.p99_us,
                    run.bytes_per_response
                );
                probes[j] = Some(probe);
                pair.push(run);
            }
            let (first, second) = (pair.remove(0), pair.remove(0));
            let (server, ceiling) = if ceiling_first {
                (second, first)
            } else {
                (first, second)
            };
            runs[i].push((server, ceiling));
        }
    }
    report(&probes, &runs, rounds, seconds, connections);
}

/// Starts a server, checks its answer, warms it up, measures it, stops it.
fn measure(server_bin: &PathBuf, name: &str, seconds: u64, connections: usize) -> (Run, Probe) {
    let (mut child, path) = start(server_bin, name);
    let headers = [format!("Accept-Encoding: {ACCEPT_ENCODING}")];
    let probe = probe(&path, &headers);
    assert_eq!(probe.status, "200", "{name}: status {}", probe.status);
    wrk(&path, 2, connections, &headers);
    let run = wrk(&path, seconds, connections, &headers);
    child.kill().unwrap();
    child.wait().unwrap();
    (run, probe)
}

fn start(server_bin: &PathBuf, name: &str) -> (Child, String) {
    let mut child = Command::new("taskset")
        .args(["-c", "0"])
        .arg(server_bin)
        .args([name, &PORT.to_string(), "1"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("taskset and bench-server");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let path = line
        .strip_prefix("ready ")
        .unwrap_or_else(|| panic!("{name} did not start: {line:?}"))
        .trim()
        .to_owned();
    (child, path)
}

/// One request, as `wrk` sends it, read whole: what the server answers.
fn probe(path: &str, headers: &[String]) -> Probe {
    let mut stream = TcpStream::connect(("127.0.0.1", PORT)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut request = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{PORT}\r\n");
    for header in headers {
        request += &format!("{header}\r\n");
    }
    request += "Connection: close\r\n\r\n";
    stream.write_all(request.as_bytes()).unwrap();
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).unwrap();
    let end = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a header block")
        + 4;
    let head = String::from_utf8_lossy(&bytes[..end]).into_owned();
    let status = head.split(' ').nth(1).unwrap_or("").to_owned();
    let coding = head
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("content-encoding")
                .then(|| value.trim().to_owned())
        })
        .unwrap_or_else(|| "identity".to_owned());
    Probe {
        status,
        coding,
        header_bytes: end,
        body_bytes: bytes.len() - end,
    }
}

fn wrk(path: &str, seconds: u64, connections: usize, headers: &[String]) -> Run {
    let mut command = Command::new("taskset");
    command
        .args(["-c", "1", "wrk", "-t1", "--latency"])
        .arg(format!("-c{connections}"))
        .arg(format!("-d{seconds}s"));
    for header in headers {
        command.args(["-H", header]);
    }
    let output = command
        .arg(format!("http://127.0.0.1:{PORT}{path}"))
        .output()
        .expect("taskset and wrk");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "wrk failed: {text}");
    assert!(
        !text.contains("Non-2xx") && !text.contains("Socket errors"),
        "errors under load: {text}"
    );
    let field = |prefix: &str| -> &str {
        text.lines()
            .find_map(|l| l.trim_start().strip_prefix(prefix))
            .unwrap_or_else(|| panic!("no `{prefix}` in {text}"))
            .trim()
    };
    let rps: f64 = field("Requests/sec:").parse().unwrap();
    let p50_us = micros(field("50%"));
    let p99_us = micros(field("99%"));
    // "123456 requests in 10.00s, 456.78MB read"
    let summary = text.lines().find(|l| l.contains(" requests in ")).unwrap();
    let requests: f64 = summary.split_whitespace().next().unwrap().parse().unwrap();
    let read = summary
        .rsplit(", ")
        .next()
        .unwrap()
        .trim_end_matches(" read");
    Run {
        requests,
        rps,
        p50_us,
        p99_us,
        bytes_per_response: size(read) / requests,
    }
}

fn micros(text: &str) -> f64 {
    let split = text.find(|c: char| c.is_ascii_alphabetic()).unwrap();
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().unwrap();
    number
        * match unit {
            "us" => 1.0,
            "ms" => 1_000.0,
            "s" => 1_000_000.0,
            other => panic!("unit {other}"),
        }
}

fn size(text: &str) -> f64 {
    let split = text.find(|c: char| c.is_ascii_alphabetic()).unwrap();
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

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

fn report(
    probes: &[Option<Probe>],
    runs: &[Vec<(Run, Run)>],
    rounds: usize,
    seconds: u64,
    connections: usize,
) {
    println!(
        "{rounds} rounds; each server's run paired with a ceiling run next to it; per run: 2 s warm-up, then `wrk -t1 -c{connections} -d{seconds}s --latency -H 'Accept-Encoding: {ACCEPT_ENCODING}'`; server on CPU 0 (1 worker thread), wrk on CPU 1.\n"
    );
    println!(
        "| server | answers | header + body bytes | req/s (median) | req/s per round | paired ratio to ceiling (median; per round) | p99 (median) | paired p99 ratio (median) |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    let all_ceiling: Vec<&Run> = runs.iter().flatten().map(|(_, c)| c).collect();
    for (i, name) in SERVERS.iter().enumerate() {
        let probe = probes[i].as_ref().unwrap();
        let head = format!(
            "| {name} | {} {} | {} + {} |",
            probe.status, probe.coding, probe.header_bytes, probe.body_bytes
        );
        if i == 0 {
            let rps = median(all_ceiling.iter().map(|r| r.rps).collect());
            let p99 = median(all_ceiling.iter().map(|r| r.p99_us).collect());
            println!(
                "{head} {rps:.0} | {} runs, {:.0} to {:.0} | 1 | {p99:.0} µs | 1 |",
                all_ceiling.len(),
                all_ceiling
                    .iter()
                    .map(|r| r.rps)
                    .fold(f64::INFINITY, f64::min),
                all_ceiling.iter().map(|r| r.rps).fold(0.0, f64::max),
            );
            continue;
        }
        let rps = median(runs[i].iter().map(|(r, _)| r.rps).collect());
        let per_round: Vec<String> = runs[i]
            .iter()
            .map(|(r, _)| format!("{:.0}", r.rps))
            .collect();
        let ratios: Vec<f64> = runs[i].iter().map(|(r, c)| r.rps / c.rps).collect();
        let per_round_ratio: Vec<String> = ratios.iter().map(|r| format!("{r:.3}")).collect();
        let p99 = median(runs[i].iter().map(|(r, _)| r.p99_us).collect());
        let p99_ratio = median(runs[i].iter().map(|(r, c)| r.p99_us / c.p99_us).collect());
        println!(
            "{head} {rps:.0} | {} | **{:.3}** ({}) | {p99:.0} µs | {p99_ratio:.2} |",
            per_round.join(", "),
            median(ratios),
            per_round_ratio.join(", "),
        );
    }
}

/// The delta case: one `ours-delta` server, the same URL asked for as br
/// and as dcb in alternating runs. Prints a Markdown report.
fn delta_case(server_bin: &PathBuf, rounds: usize, seconds: u64, connections: usize) {
    let (mut child, path) = start(server_bin, "ours-delta");
    let pid = child.id();
    let cases: [(&str, Vec<String>); 2] = [
        ("br", vec!["Accept-Encoding: br".to_owned()]),
        (
            "dcb",
            vec![
                "Accept-Encoding: br, dcb".to_owned(),
                format!("Available-Dictionary: {DELTA_DICTIONARY}"),
            ],
        ),
    ];
    let mut probes = Vec::new();
    for (coding, headers) in &cases {
        let probe = probe(&path, headers);
        assert_eq!(
            (probe.status.as_str(), probe.coding.as_str()),
            ("200", *coding),
            "the {coding} request"
        );
        probes.push(probe);
        wrk(&path, 2, connections, headers);
    }
    let ticks: f64 = String::from_utf8(
        Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap()
    .trim()
    .parse()
    .unwrap();
    // Per round, per case: (run, server CPU seconds).
    let mut runs: Vec<[(Run, f64); 2]> = Vec::new();
    for round in 0..rounds {
        let order = if round % 2 == 0 { [0, 1] } else { [1, 0] };
        let mut pair: [Option<(Run, f64)>; 2] = [None, None];
        for i in order {
            let before = cpu_ticks(pid);
            let run = wrk(&path, seconds, connections, &cases[i].1);
            let cpu = (cpu_ticks(pid) - before) as f64 / ticks;
            eprintln!(
                "round {} {:>3}: {:>9.0} req/s  {:.2} us CPU/request  {:.0} B/response",
                round + 1,
                cases[i].0,
                run.rps,
                cpu / run.requests * 1e6,
                run.bytes_per_response
            );
            pair[i] = Some((run, cpu));
        }
        let [br, dcb] = pair;
        runs.push([br.unwrap(), dcb.unwrap()]);
    }
    child.kill().unwrap();
    child.wait().unwrap();

    println!(
        "{rounds} rounds on one `ours-delta` server (CPU 0, 1 worker thread); per run `wrk -t1 -c{connections} -d{seconds}s` on CPU 1, after a 2 s warm-up per case; brotli first in odd rounds, the delta first in even ones. Server CPU: utime + stime of its process over the run.\n"
    );
    println!("| request | answers | header + body bytes |");
    println!("|---|---|---|");
    for ((_, headers), probe) in cases.iter().zip(&probes) {
        println!(
            "| `{}` | {} {} | {} + {} |",
            headers.join("`, `"),
            probe.status,
            probe.coding,
            probe.header_bytes,
            probe.body_bytes
        );
    }
    println!();
    println!(
        "| round | br req/s | dcb req/s | req/s, dcb / br | br CPU µs/request | dcb CPU µs/request | CPU per request, dcb / br |"
    );
    println!("|---|---|---|---|---|---|---|");
    let per_request = |(run, cpu): &(Run, f64)| cpu / run.requests * 1e6;
    let (mut rps_ratios, mut cpu_ratios) = (Vec::new(), Vec::new());
    for (round, [br, dcb]) in runs.iter().enumerate() {
        let rps_ratio = dcb.0.rps / br.0.rps;
        let cpu_ratio = per_request(dcb) / per_request(br);
        rps_ratios.push(rps_ratio);
        cpu_ratios.push(cpu_ratio);
        println!(
            "| {} | {:.0} | {:.0} | {rps_ratio:.3} | {:.2} | {:.2} | {cpu_ratio:.3} |",
            round + 1,
            br.0.rps,
            dcb.0.rps,
            per_request(br),
            per_request(dcb),
        );
    }
    println!(
        "| median | {:.0} | {:.0} | **{:.3}** | {:.2} | {:.2} | **{:.3}** |",
        median(runs.iter().map(|[br, _]| br.0.rps).collect()),
        median(runs.iter().map(|[_, dcb]| dcb.0.rps).collect()),
        median(rps_ratios),
        median(runs.iter().map(|[br, _]| per_request(br)).collect()),
        median(runs.iter().map(|[_, dcb]| per_request(dcb)).collect()),
        median(cpu_ratios),
    );
}

/// A process's CPU time so far (utime + stime), in clock ticks.
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // After the command name, in parentheses: state is the first field,
    // utime the 12th and stime the 13th.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .unwrap()
        .1
        .split_whitespace()
        .collect();
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}
