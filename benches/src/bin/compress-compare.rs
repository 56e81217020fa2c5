//! Compares the variants asset-build stored with the command-line tools on
//! the same bytes: `brotli -q 11` (Debian's `brotli`) and `gzip -9 -n`
//! (GNU gzip), for every asset that has a compressed variant.
//!
//! ```sh
//! target/release/compress-compare <OUT_DIR>/asset-build [--zopfli]
//! ```
//!
//! With `--zopfli`, also what the `zopfli` feature would store (zopfli with
//! 15 iterations, or libdeflate's output when smaller), and the time each
//! gzip compressor takes on one thread. Prints a Markdown table.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().expect("the asset-build output folder");
    let zopfli = args.next().as_deref() == Some("--zopfli");
    let dir = Path::new(&dir);
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    // The store reads each blob wherever the build keeps it (loose, or in
    // the linked table's libraries).
    let store = asset_build::BlobStore::read_only(dir).unwrap();
    let blobs: Vec<String> = store
        .names()
        .into_iter()
        .filter(|n| !n.contains('.'))
        .collect();

    let mut total = Totals::default();
    let mut worst_br: (f64, String) = (0.0, String::new());
    let mut larger_gzip = 0;
    let mut worst_gzip: (u64, String) = (0, String::new());
    let mut br_over_1pct = 0;
    let mut seen = std::collections::BTreeSet::new();
    for (logical, asset) in manifest["assets"].as_object().unwrap() {
        let sizes = &asset["sizes"];
        let (Some(br), Some(gz)) = (sizes["br"].as_u64(), sizes["gzip"].as_u64()) else {
            continue;
        };
        let etag = asset["etag"].as_str().unwrap().trim_matches('"');
        let blob = blobs
            .iter()
            .find(|b| b.starts_with(etag))
            .expect("the identity blob");
        // Identical contents are stored and compressed once.
        if !seen.insert(blob.clone()) {
            continue;
        }
        let bytes = store.read(blob).unwrap();
        let cli_br = cli("brotli", &["-q", "11", "-c"], &bytes);
        let cli_gz = cli("gzip", &["-9", "-n", "-c"], &bytes);
        total.files += 1;
        total.identity += bytes.len() as u64;
        total.br += br;
        total.cli_br += cli_br;
        total.gzip += gz;
        total.cli_gzip += cli_gz;
        let ratio = br as f64 / cli_br as f64;
        if ratio > 1.01 {
            br_over_1pct += 1;
        }
        if ratio > worst_br.0 {
            worst_br = (
                ratio,
                format!("{logical} ({} bytes: {br} vs {cli_br})", bytes.len()),
            );
        }
        if gz > cli_gz {
            larger_gzip += 1;
            total.larger_gzip_excess += gz - cli_gz;
            if gz - cli_gz > worst_gzip.0 {
                worst_gzip = (
                    gz - cli_gz,
                    format!("{logical} ({} bytes: {gz} vs {cli_gz})", bytes.len()),
                );
            }
        }
        if zopfli {
            let start = Instant::now();
            let ld = libdeflate(&bytes);
            total.libdeflate_time += start.elapsed();
            let start = Instant::now();
            let z = zopfli_gzip(&bytes);
            total.zopfli_time += start.elapsed();
            total.zopfli += z.min(ld);
            let start = Instant::now();
            cli("gzip", &["-9", "-n", "-c"], &bytes);
            total.cli_gzip_time += start.elapsed();
        }
    }
    let t = &total;
    println!(
        "{} distinct contents with both variants, {} bytes\n",
        t.files, t.identity
    );
    println!("| codec | stored (asset-build) | command line | ratio |");
    println!("|---|---|---|---|");
    println!(
        "| brotli | {} | {} (`brotli -q 11`) | {:.4} |",
        t.br,
        t.cli_br,
        t.br as f64 / t.cli_br as f64
    );
    println!(
        "| gzip | {} | {} (`gzip -9 -n`) | {:.4} |",
        t.gzip,
        t.cli_gzip,
        t.gzip as f64 / t.cli_gzip as f64
    );
    if zopfli {
        println!(
            "| gzip, `zopfli` feature | {} | {} (`gzip -9 -n`) | {:.4} |",
            t.zopfli,
            t.cli_gzip,
            t.zopfli as f64 / t.cli_gzip as f64
        );
        println!(
            "\nOne thread: libdeflate 12 {:.1} s, zopfli 15 iterations {:.1} s, `gzip -9` {:.1} s (with process start).",
            t.libdeflate_time.as_secs_f64(),
            t.zopfli_time.as_secs_f64(),
            t.cli_gzip_time.as_secs_f64()
        );
    }
    println!(
        "\nFiles whose brotli is over 1% larger than the command's: {br_over_1pct}; the worst: {:.3}x, {}.",
        worst_br.0, worst_br.1
    );
    println!(
        "Files whose gzip is larger than `gzip -9`'s: {larger_gzip}, by {} bytes in all; the most: {} bytes, {}.",
        t.larger_gzip_excess, worst_gzip.0, worst_gzip.1
    );
}

#[derive(Default)]
struct Totals {
    files: u64,
    identity: u64,
    br: u64,
    cli_br: u64,
    gzip: u64,
    cli_gzip: u64,
    zopfli: u64,
    larger_gzip_excess: u64,
    libdeflate_time: Duration,
    zopfli_time: Duration,
    cli_gzip_time: Duration,
}

/// The size of what `program args` writes for `input`.
fn cli(program: &str, args: &[&str], input: &[u8]) -> u64 {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{program}: {e}"));
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input).unwrap());
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap();
    assert!(output.status.success());
    output.stdout.len() as u64
}

/// asset-build's gzip without the `zopfli` feature.
fn libdeflate(input: &[u8]) -> u64 {
    let mut c = libdeflater::Compressor::new(libdeflater::CompressionLvl::new(12).unwrap());
    let mut out = vec![0; c.gzip_compress_bound(input.len())];
    c.gzip_compress(input, &mut out).unwrap() as u64
}

fn zopfli_gzip(input: &[u8]) -> u64 {
    let mut out = Vec::new();
    zopfli::compress(
        zopfli::Options::default(),
        zopfli::Format::Gzip,
        input,
        &mut out,
    )
    .unwrap();
    out.len() as u64
}
