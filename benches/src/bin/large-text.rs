//! Brotli settings for very large compressible files: each file given is
//! compressed with the pipeline's setting (quality 11, window sized to the
//! input) and with faster ones, on one thread; time and size, against the
//! command-line `brotli -q 11` on the same bytes.
//!
//! ```sh
//! cargo build --release --bin large-text && target/release/large-text FILE...
//! ```

use std::process::Command;
use std::time::Instant;

fn window_bits(len: usize) -> i32 {
    let mut bits = 10;
    while bits < 24 && (1usize << bits) - 16 < len {
        bits += 1;
    }
    bits
}

fn brotli(input: &[u8], quality: i32, lgwin: i32, large_window: bool) -> Vec<u8> {
    let params = brotli::enc::BrotliEncoderParams {
        quality,
        lgwin,
        large_window,
        size_hint: input.len(),
        ..Default::default()
    };
    let mut out = Vec::with_capacity(input.len() / 3 + 64);
    let mut reader = input;
    brotli::BrotliCompress(&mut reader, &mut out, &params).unwrap();
    out
}

fn main() {
    println!("| file | bytes | setting | seconds | compressed bytes | / q11 |");
    println!("|---|---|---|---|---|---|");
    for path in std::env::args().skip(1) {
        let input = std::fs::read(&path).unwrap();
        let bits = window_bits(input.len());
        let name = std::path::Path::new(&path)
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let mut reference = 0usize;
        for (label, quality, lgwin) in [
            ("q11 (the pipeline)", 11, bits),
            ("q10", 10, bits),
            ("q9, window 2^24", 9, 24),
            ("q5, window 2^24", 5, 24),
        ] {
            let start = Instant::now();
            let out = brotli(&input, quality, lgwin, false);
            let secs = start.elapsed().as_secs_f64();
            if reference == 0 {
                reference = out.len();
            }
            println!(
                "| {name} | {} | {label} | {secs:.2} | {} | {:.4} |",
                input.len(),
                out.len(),
                out.len() as f64 / reference as f64
            );
        }
        let start = Instant::now();
        let cli = Command::new("brotli")
            .args(["-q", "11", "-c", &path])
            .output()
            .expect("brotli is installed (apt-get install brotli)");
        let secs = start.elapsed().as_secs_f64();
        println!(
            "| {name} | {} | `brotli -q 11` | {secs:.2} | {} | {:.4} |",
            input.len(),
            cli.stdout.len(),
            cli.stdout.len() as f64 / reference as f64
        );
        let start = Instant::now();
        let gzip = Command::new("gzip")
            .args(["-9", "-n", "-c", &path])
            .output()
            .unwrap();
        let secs = start.elapsed().as_secs_f64();
        println!(
            "| {name} | {} | `gzip -9` | {secs:.2} | {} | {:.4} |",
            input.len(),
            gzip.stdout.len(),
            gzip.stdout.len() as f64 / reference as f64
        );
    }
}
