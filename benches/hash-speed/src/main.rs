//! MB/s of each hash the build runs over whole files, on 256 MiB, in the
//! profile this crate is built with; the best of three.

use std::time::Instant;

use sha2::Digest;

fn best(data: &[u8], hash: impl Fn(&[u8]) -> u8) -> f64 {
    let mut best = f64::MAX;
    let mut sink = 0u8;
    for _ in 0..3 {
        let start = Instant::now();
        sink ^= hash(data);
        best = best.min(start.elapsed().as_secs_f64());
    }
    std::hint::black_box(sink);
    data.len() as f64 / 1e6 / best
}

fn main() {
    let data: Vec<u8> = (0..256u32 << 20)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let rows: [(&str, &dyn Fn(&[u8]) -> u8); 5] = [
        ("SHA-256, sha2 0.10", &|d| sha2::Sha256::digest(d)[0]),
        ("SHA-384, sha2 0.10", &|d| sha2::Sha384::digest(d)[0]),
        ("SHA-256, ring 0.17", &|d| ring::digest::digest(&ring::digest::SHA256, d).as_ref()[0]),
        ("SHA-384, ring 0.17", &|d| ring::digest::digest(&ring::digest::SHA384, d).as_ref()[0]),
        ("XXH3-128, xxhash-rust 0.8", &|d| xxhash_rust::xxh3::xxh3_128(d) as u8),
    ];
    for (name, hash) in rows {
        println!("| {name} | {:.0} |", best(&data, hash));
    }
}
