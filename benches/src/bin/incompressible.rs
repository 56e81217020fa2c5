//! A large incompressible file through the build: a 200 MB file of random
//! bytes (what media with an unknown extension looks like to a codec), cold
//! and warm, timing the pipeline as a build script runs it.
//!
//! ```sh
//! cargo build --release --bin incompressible && target/release/incompressible [megabytes]
//! ```

use std::time::Instant;

fn main() {
    let megabytes: usize = std::env::args().nth(1).map_or(200, |a| a.parse().unwrap());
    let dir = std::env::temp_dir().join("asset-bench-incompressible");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("static")).unwrap();
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let bytes: Vec<u8> = (0..megabytes * 1024 * 1024)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    std::fs::write(dir.join("static/movie.bin"), bytes).unwrap();
    let out = dir.join("out");
    for run in ["cold", "warm"] {
        let start = Instant::now();
        let report = asset_build::Pipeline::new("static")
            .manifest_dir(&dir)
            .out_dir(&out)
            .try_run()
            .unwrap();
        println!(
            "{run}: {:.2} s, {} compressions run, {} compressed variants kept",
            start.elapsed().as_secs_f64(),
            report.compressions,
            report.assets[0].compressed.len()
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
