//! Delta updates (RFC 9842) on real releases: for each pair of releases
//! (an old and a new folder of the same package), the old release is built
//! with the pipeline and exported (`manifest.json` and the served bytes
//! under their hashed names, as `export-assets` writes them); the new one
//! is then built against that export, cold (fresh output folder, no shared
//! cache), with deltas and without (`.dictionaries(false)`), `--reps`
//! times each in alternating order. Reported per pair:
//!
//! - what a returning visitor downloads for the text files that changed:
//!   brotli (or identity where brotli was not kept), and what the server
//!   sends with `dcb`, with `dcz` (the kept delta, else brotli) and with
//!   both (the smaller);
//! - the build time deltas cost (median with minus median without),
//!   against brotli alone on the same changed files, and each delta codec
//!   alone, all on one thread;
//! - the table's growth: kept delta bytes against the whole table;
//! - every delta computed, kept or not, by its size against brotli, to
//!   show what the 90% keep margin (`KEEP_PERCENT`) leaves out.
//!
//! ```sh
//! bash benches/deltas.sh [reps]    # fetches the releases, then:
//! NUM_JOBS=1 target/release/delta-bench --reps 3 --work DIR \
//!     "NAME OLD -> NEW" OLD_FOLDER NEW_FOLDER [...]
//! ```
//!
//! The pipeline prints its `cargo::` lines on stdout, as in a build
//! script; `deltas.sh` filters them out. Set `NUM_JOBS=1` for a pipeline on
//! one thread, comparable with the codec times (measured on one thread).
//! Prints a Markdown report.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use asset_build::{Embed, Pipeline, Report};
use asset_manifest::{Fingerprint, Manifest};

/// `KEEP_PERCENT` in asset-build/src/delta.rs.
const KEEP_PERCENT: u64 = 90;

fn main() {
    let mut args = std::env::args().skip(1);
    let mut reps = 3;
    let mut work = std::env::temp_dir().join("asset-bench-deltas");
    let mut rest = Vec::new();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--reps" => reps = args.next().unwrap().parse().unwrap(),
            "--work" => work = PathBuf::from(args.next().unwrap()),
            _ => rest.push(arg),
        }
    }
    assert!(
        !rest.is_empty() && rest.len() % 3 == 0,
        "usage: delta-bench [--reps N] [--work DIR] NAME OLD_FOLDER NEW_FOLDER ..."
    );
    fs::create_dir_all(&work).unwrap();
    let work = fs::canonicalize(work).unwrap();
    let threads = std::env::var("NUM_JOBS").unwrap_or_else(|_| "all cores".to_owned());
    let mut results = Vec::new();
    for triple in rest.chunks(3) {
        eprintln!("== {}", triple[0]);
        results.push(bench_pair(
            &triple[0],
            &fs::canonicalize(&triple[1]).unwrap(),
            &fs::canonicalize(&triple[2]).unwrap(),
            &work.join(triple[0].split_whitespace().next().unwrap()),
            reps,
        ));
    }
    report(&results, reps, &threads);
}

/// A pipeline as the benchmark runs it: absolute folders, its own output
/// folder, no cache but the one in that folder, no release history, the
/// table through `include_bytes!` (no linker involved), and asset-build's
/// `zstd` feature (in benches/Cargo.toml).
fn pipeline(folder: &Path, out: &Path) -> Pipeline {
    Pipeline::new(".")
        .manifest_dir(folder)
        .out_dir(out)
        .no_shared_cache()
        .release_history(false)
        .embed(Embed::IncludeBytes)
}

/// A cold run: the output folder removed first.
fn cold_run(p: Pipeline, out: &Path) -> (Report, Duration) {
    let _ = fs::remove_dir_all(out);
    let start = Instant::now();
    let report = p.try_run().unwrap();
    (report, start.elapsed())
}

/// The identity bytes of each asset of a build, by logical path, read
/// through the build's blob store (wherever it keeps them).
fn served_files(output: &Path) -> (Manifest, BTreeMap<String, Vec<u8>>) {
    let manifest =
        Manifest::from_json(&fs::read_to_string(output.join("manifest.json")).unwrap()).unwrap();
    let store = asset_build::BlobStore::read_only(output).unwrap();
    let blobs: Vec<String> = store
        .names()
        .into_iter()
        .filter(|n| !n.contains('.'))
        .collect();
    let files = manifest
        .assets
        .iter()
        .map(|(logical, asset)| {
            let etag = asset.etag.as_deref().unwrap().trim_matches('"');
            let blob = blobs
                .iter()
                .find(|b| b.starts_with(etag))
                .expect("the identity blob");
            (logical.clone(), store.read(blob).unwrap())
        })
        .collect();
    (manifest, files)
}

/// Writes what `export-assets` would for a build: each asset's served
/// bytes under its hashed path, and the manifest.
fn export(output: &Path, dir: &Path) {
    let _ = fs::remove_dir_all(dir);
    let (manifest, files) = served_files(output);
    for (logical, asset) in &manifest.assets {
        let target = dir.join(asset.hashed_path.as_deref().unwrap());
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::write(target, &files[logical]).unwrap();
    }
    fs::write(
        dir.join(asset_manifest::layout::MANIFEST_FILE),
        manifest.to_json(),
    )
    .unwrap();
}

/// The bytes of the table files (`table.bin` and its parts).
fn table_bytes(output: &Path) -> u64 {
    fs::read_dir(output)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| {
            let name = e.file_name().into_string().unwrap();
            name.starts_with("table") && name.ends_with(".bin")
        })
        .map(|e| e.metadata().unwrap().len())
        .sum()
}

/// One changed text file.
struct Changed {
    logical: String,
    size: u64,
    /// brotli's size, or the identity size where brotli was not kept.
    br: u64,
    dcb: Option<u64>,
    dcz: Option<u64>,
    /// Sizes computed here, kept or not.
    dcb_all: u64,
    dcz_all: u64,
}

struct PairResult {
    name: String,
    /// The text files' logical paths that kept their bytes, and those new
    /// in this release.
    unchanged: Vec<String>,
    added: Vec<String>,
    changed: Vec<Changed>,
    /// Cold pipeline runs on the new release, in seconds.
    with: Vec<f64>,
    without: Vec<f64>,
    /// One thread, all changed files, per repetition, in seconds.
    br_time: Vec<f64>,
    dcb_time: Vec<f64>,
    dcz_time: Vec<f64>,
    table_with: u64,
    table_without: u64,
    kept_delta_bytes: u64,
    kept_deltas: usize,
}

fn bench_pair(name: &str, old: &Path, new: &Path, work: &Path, reps: usize) -> PairResult {
    // The old release, built and exported.
    let old_out = work.join("old");
    cold_run(pipeline(old, &old_out), &old_out);
    let earlier = work.join("export");
    export(&old_out.join(asset_build::OUTPUT_DIR), &earlier);

    // The new release, cold, with deltas and without, alternating.
    let (on_out, off_out) = (work.join("new-deltas"), work.join("new-plain"));
    let (mut with, mut without) = (Vec::new(), Vec::new());
    let mut on_report = None;
    for rep in 0..reps {
        let order = if rep % 2 == 0 {
            [true, false]
        } else {
            [false, true]
        };
        for deltas in order {
            if deltas {
                let (r, t) = cold_run(pipeline(new, &on_out).earlier_release(&earlier), &on_out);
                eprintln!("  rep {}: with deltas    {:.2} s", rep + 1, t.as_secs_f64());
                with.push(t.as_secs_f64());
                on_report = Some(r);
            } else {
                let (_, t) = cold_run(pipeline(new, &off_out).dictionaries(false), &off_out);
                eprintln!("  rep {}: without deltas {:.2} s", rep + 1, t.as_secs_f64());
                without.push(t.as_secs_f64());
            }
        }
    }
    let report = on_report.unwrap();
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    let on_output = on_out.join(asset_build::OUTPUT_DIR);
    let (_, new_files) = served_files(&on_output);
    let old_manifest = Manifest::from_json(
        &fs::read_to_string(earlier.join(asset_manifest::layout::MANIFEST_FILE)).unwrap(),
    )
    .unwrap();

    // The text files: those that offer themselves as dictionaries.
    let mut changed = Vec::new();
    let (mut unchanged, mut added) = (Vec::new(), Vec::new());
    let mut inputs = Vec::new();
    for asset in &report.assets {
        if asset.use_as_dictionary.is_none() {
            continue;
        }
        let Some(old_asset) = old_manifest.assets.get(&asset.logical_path) else {
            added.push(asset.logical_path.clone());
            continue;
        };
        let old_hashed = old_asset.hashed_path.as_deref().unwrap();
        if old_hashed == asset.hashed_path {
            unchanged.push(asset.logical_path.clone());
            continue;
        }
        let coded = |coding: &str| {
            asset
                .deltas
                .iter()
                .find(|(c, _, _)| *c == coding)
                .map(|(_, _, size)| *size)
        };
        let input = new_files[&asset.logical_path].clone();
        let dictionary = fs::read(earlier.join(old_hashed)).unwrap();
        changed.push(Changed {
            logical: asset.logical_path.clone(),
            size: asset.size,
            br: asset
                .compressed
                .iter()
                .find(|(c, _)| *c == "br")
                .map_or(asset.size, |(_, size)| *size),
            dcb: coded("dcb"),
            dcz: coded("dcz"),
            dcb_all: 0,
            dcz_all: 0,
        });
        inputs.push((input, dictionary));
    }

    // The codecs alone on the changed files, on this thread.
    let (mut br_time, mut dcb_time, mut dcz_time) = (Vec::new(), Vec::new(), Vec::new());
    for rep in 0..reps {
        let (mut tb, mut tdcb, mut tdcz) = (Duration::ZERO, Duration::ZERO, Duration::ZERO);
        for (c, (input, dictionary)) in changed.iter_mut().zip(&inputs) {
            let sha = *Fingerprint::of(dictionary).digest();
            let start = Instant::now();
            let br = brotli(input).len() as u64;
            tb += start.elapsed();
            let start = Instant::now();
            let dcb = dcb(input, dictionary, &sha).len() as u64;
            tdcb += start.elapsed();
            let start = Instant::now();
            let dcz = dcz(input, dictionary, &sha).len() as u64;
            tdcz += start.elapsed();
            if rep == 0 {
                // The same settings as the pipeline: the same bytes.
                if c.br < c.size {
                    assert_eq!(br, c.br, "{}: brotli", c.logical);
                }
                for (kept, made, coding) in [(c.dcb, dcb, "dcb"), (c.dcz, dcz, "dcz")] {
                    let keep = made * 100 <= c.br * KEEP_PERCENT;
                    assert_eq!(kept.is_some(), keep, "{}: {coding} kept", c.logical);
                    if let Some(kept) = kept {
                        assert_eq!(kept, made, "{}: {coding}", c.logical);
                    }
                }
                c.dcb_all = dcb;
                c.dcz_all = dcz;
            }
        }
        eprintln!(
            "  codecs alone, rep {}: br {:.2} s, dcb {:.2} s, dcz {:.2} s",
            rep + 1,
            tb.as_secs_f64(),
            tdcb.as_secs_f64(),
            tdcz.as_secs_f64()
        );
        br_time.push(tb.as_secs_f64());
        dcb_time.push(tdcb.as_secs_f64());
        dcz_time.push(tdcz.as_secs_f64());
    }

    let kept: Vec<u64> = report
        .assets
        .iter()
        .flat_map(|a| a.deltas.iter().map(|(_, _, size)| *size))
        .collect();
    PairResult {
        name: name.to_owned(),
        unchanged,
        added,
        changed,
        with,
        without,
        br_time,
        dcb_time,
        dcz_time,
        table_with: table_bytes(&on_output),
        table_without: table_bytes(&off_out.join(asset_build::OUTPUT_DIR)),
        kept_delta_bytes: kept.iter().sum(),
        kept_deltas: kept.len(),
    }
}

/// asset-build's brotli: quality 11, the window sized to the input.
fn brotli(input: &[u8]) -> Vec<u8> {
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: window_bits(input.len()),
        size_hint: input.len(),
        ..Default::default()
    };
    let mut out = Vec::with_capacity(input.len() / 3 + 64);
    let mut reader = input;
    brotli::BrotliCompress(&mut reader, &mut out, &params).unwrap();
    out
}

fn window_bits(len: usize) -> i32 {
    let mut bits = 10;
    while bits < 24 && (1usize << bits) - 16 < len {
        bits += 1;
    }
    bits
}

/// asset-build's `dcb`: the header, then brotli quality 11 with the old
/// bytes as a raw dictionary, the window sized to hold both.
fn dcb(input: &[u8], dictionary: &[u8], sha: &[u8; 32]) -> Vec<u8> {
    let mut out = asset_manifest::dictionary::dcb_header(sha).to_vec();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: window_bits(input.len() + dictionary.len()),
        size_hint: input.len(),
        ..Default::default()
    };
    let mut reader = input;
    let (mut in_buf, mut out_buf) = (vec![0; 64 * 1024], vec![0; 64 * 1024]);
    brotli::enc::BrotliCompressCustomIoCustomDict(
        &mut brotli::IoReaderWrapper(&mut reader),
        &mut brotli::IoWriterWrapper(&mut out),
        &mut in_buf,
        &mut out_buf,
        &params,
        brotli::enc::StandardAlloc::default(),
        &mut |_: &mut _, _: &mut _, _, _: &mut _| {},
        dictionary,
        std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "unexpected end of input"),
    )
    .unwrap();
    out
}

/// asset-build's `dcz`: the header, then zstd level 19 with the old bytes
/// as a raw-content prefix, the window just large enough for both.
fn dcz(input: &[u8], dictionary: &[u8], sha: &[u8; 32]) -> Vec<u8> {
    use std::io::Write;
    use zstd::stream::raw::CParameter;
    let mut out = asset_manifest::dictionary::dcz_header(sha).to_vec();
    let limit =
        63 - asset_manifest::dictionary::dcz_max_window(dictionary.len() as u64).leading_zeros();
    let total = (input.len() + dictionary.len()).max(1) as u64;
    let window_log = (64 - (total - 1).leading_zeros()).clamp(10, limit);
    let mut encoder = zstd::stream::write::Encoder::with_ref_prefix(&mut out, 19, dictionary)
        .expect("level 19 is valid");
    for parameter in [
        CParameter::WindowLog(window_log),
        CParameter::ChecksumFlag(false),
        CParameter::ContentSizeFlag(true),
    ] {
        encoder.set_parameter(parameter).unwrap();
    }
    encoder
        .set_pledged_src_size(Some(input.len() as u64))
        .unwrap();
    encoder.write_all(input).unwrap();
    encoder.finish().unwrap();
    out
}

fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn saved(part: u64, whole: u64) -> String {
    format!("{:.1}%", 100.0 * (1.0 - part as f64 / whole as f64))
}

fn report(results: &[PairResult], reps: usize, threads: &str) {
    println!(
        "Pipeline threads: NUM_JOBS={threads}; {reps} cold runs of the new release with deltas and {reps} without, alternating; codecs alone on one thread, {reps} times.\n"
    );
    for (title, maps) in [
        (
            "What a returning visitor downloads for the changed text files",
            true,
        ),
        (
            "The same without source maps (`.map`: a browser fetches them only with its developer tools open)",
            false,
        ),
    ] {
        println!("### {title}\n");
        println!(
            "| release | text files: changed / unchanged / added | bytes (identity) | br | dcb (else br) | dcz (else br) | dcb or dcz, the smaller | saved vs br: dcb / dcz / smaller |"
        );
        println!("|---|---|---|---|---|---|---|---|");
        for r in results {
            let is_map = |logical: &str| logical.ends_with(".map");
            let changed: Vec<&Changed> = r
                .changed
                .iter()
                .filter(|c| maps || !is_map(&c.logical))
                .collect();
            let identity: u64 = changed.iter().map(|c| c.size).sum();
            let br: u64 = changed.iter().map(|c| c.br).sum();
            let dcb: u64 = changed.iter().map(|c| c.dcb.unwrap_or(c.br)).sum();
            let dcz: u64 = changed.iter().map(|c| c.dcz.unwrap_or(c.br)).sum();
            let best: u64 = changed
                .iter()
                .map(|c| {
                    c.br.min(c.dcb.unwrap_or(u64::MAX))
                        .min(c.dcz.unwrap_or(u64::MAX))
                })
                .sum();
            println!(
                "| {} | {} / {} / {} | {identity} | {br} | {dcb} | {dcz} | {best} | {} / {} / **{}** |",
                r.name,
                changed.len(),
                r.unchanged.iter().filter(|l| maps || !is_map(l)).count(),
                r.added.iter().filter(|l| maps || !is_map(l)).count(),
                saved(dcb, br),
                saved(dcz, br),
                saved(best, br),
            );
        }
        println!();
    }
    println!("### Build time\n");
    println!(
        "| release | pipeline without deltas (median) | with deltas (median) | deltas' cost (difference) | brotli alone on the changed files (median) | cost / brotli | dcb alone | dcz alone | (dcb + dcz) / brotli |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    for r in results {
        let (with, without) = (median(&r.with), median(&r.without));
        let (br, dcb, dcz) = (median(&r.br_time), median(&r.dcb_time), median(&r.dcz_time));
        println!(
            "| {} | {without:.2} s | {with:.2} s | {:.2} s | {br:.2} s | **{:.2}x** | {dcb:.2} s | {dcz:.2} s | {:.2}x |",
            r.name,
            with - without,
            (with - without) / br,
            (dcb + dcz) / br,
        );
    }
    println!("\nEach run, in seconds (with / without deltas):\n");
    for r in results {
        let runs: Vec<String> = r
            .with
            .iter()
            .zip(&r.without)
            .map(|(a, b)| format!("{a:.2} / {b:.2}"))
            .collect();
        println!("- {}: {}", r.name, runs.join("; "));
    }

    println!("\n### Table growth\n");
    println!(
        "| release | kept deltas | their bytes | table without deltas | table with deltas | growth | kept delta bytes / table with deltas |"
    );
    println!("|---|---|---|---|---|---|---|");
    for r in results {
        println!(
            "| {} | {} | {} | {} | {} | {} | {:.2}% |",
            r.name,
            r.kept_deltas,
            r.kept_delta_bytes,
            r.table_without,
            r.table_with,
            r.table_with as i64 - r.table_without as i64,
            100.0 * r.kept_delta_bytes as f64 / r.table_with as f64,
        );
    }

    println!("\n### Every delta computed, by its size against brotli (the keep margin)\n");
    println!(
        "| release | deltas computed | ≤ 10% of br | 10% to 50% | 50% to 90% | 90% to 100% (kept only without the margin) | over 100% | largest kept / br | the 90–100% ones: bytes; would save per visitor |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    for r in results {
        let all: Vec<(u64, u64)> = r
            .changed
            .iter()
            .flat_map(|c| [(c.dcb_all, c.br), (c.dcz_all, c.br)])
            .collect();
        // Percent of brotli, rounded up, so that a bucket's upper bound is
        // inclusive as `KEEP_PERCENT` is.
        let within = |low: u64, high: u64| {
            all.iter()
                .filter(|(d, br)| d * 100 > br * low && d * 100 <= br * high)
                .count()
        };
        let margin: Vec<&(u64, u64)> = all
            .iter()
            .filter(|(d, br)| d * 100 > br * KEEP_PERCENT && d <= br)
            .collect();
        let largest_kept = all
            .iter()
            .filter(|(d, br)| d * 100 <= br * KEEP_PERCENT)
            .map(|(d, br)| *d as f64 / *br as f64)
            .fold(0.0, f64::max);
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {largest_kept:.3} | {}; {} |",
            r.name,
            all.len(),
            within(0, 10),
            within(10, 50),
            within(50, KEEP_PERCENT),
            margin.len(),
            all.iter().filter(|(d, br)| d > br).count(),
            margin.iter().map(|(d, _)| d).sum::<u64>(),
            margin.iter().map(|(d, br)| br - d).sum::<u64>(),
        );
    }
    println!("\n### Per file\n");
    println!("| release | file | bytes | br | dcb | dcz | dcb / br | dcz / br |");
    println!("|---|---|---|---|---|---|---|---|");
    for r in results {
        for c in &r.changed {
            let mark = |made: u64, kept: Option<u64>| {
                if kept.is_some() {
                    format!("{made}")
                } else {
                    format!("({made}, not kept)")
                }
            };
            println!(
                "| {} | {} | {} | {} | {} | {} | {:.3} | {:.3} |",
                r.name,
                c.logical,
                c.size,
                c.br,
                mark(c.dcb_all, c.dcb),
                mark(c.dcz_all, c.dcz),
                c.dcb_all as f64 / c.br as f64,
                c.dcz_all as f64 / c.br as f64,
            );
        }
    }
}
