//! MB/s of each compressor the build runs, over the file named on the
//! command line, in the profile this crate is built with; the best of
//! three. brotli at quality 11 with the window sized to the input, as
//! asset-build compresses, by the Rust crate asset-build uses and by
//! Google's C library (whose C the cc crate compiles at the same
//! opt-level); gzip by libdeflate at level 12. Each output is checked to
//! decode to the input.

use std::time::Instant;

fn best(data: &[u8], compress: impl Fn(&[u8]) -> Vec<u8>) -> (f64, usize) {
    let mut best = f64::MAX;
    let mut size = 0;
    for _ in 0..3 {
        let start = Instant::now();
        size = compress(data).len();
        best = best.min(start.elapsed().as_secs_f64());
    }
    (data.len() as f64 / 1e6 / best, size)
}

fn window_bits(len: usize) -> i32 {
    let mut bits = 10;
    while bits < 24 && (1usize << bits) - 16 < len {
        bits += 1;
    }
    bits
}

fn brotli_rust(input: &[u8]) -> Vec<u8> {
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: window_bits(input.len()),
        size_hint: input.len(),
        ..Default::default()
    };
    let mut out = Vec::new();
    brotli::BrotliCompress(&mut &input[..], &mut out, &params).unwrap();
    out
}

fn brotli_c(input: &[u8]) -> Vec<u8> {
    use brotlic_sys::*;
    let mut out = vec![0u8; input.len() + 1024];
    let mut size = out.len();
    // SAFETY: the buffers are valid for the lengths given.
    let ok = unsafe {
        BrotliEncoderCompress(
            11,
            window_bits(input.len()),
            BrotliEncoderMode_BROTLI_MODE_GENERIC,
            input.len(),
            input.as_ptr(),
            &mut size,
            out.as_mut_ptr(),
        )
    };
    assert_eq!(ok, 1, "the C encoder failed");
    out.truncate(size);
    out
}

fn gzip(input: &[u8]) -> Vec<u8> {
    let mut c = libdeflater::Compressor::new(libdeflater::CompressionLvl::new(12).unwrap());
    let mut out = vec![0u8; c.gzip_compress_bound(input.len())];
    let n = c.gzip_compress(input, &mut out).unwrap();
    out.truncate(n);
    out
}

fn main() {
    let path = std::env::args().nth(1).expect("a file to compress");
    let data = std::fs::read(&path).unwrap();
    for compressed in [brotli_rust(&data), brotli_c(&data)] {
        let mut back = Vec::new();
        brotli::BrotliDecompress(&mut &compressed[..], &mut back).unwrap();
        assert!(back == data, "a brotli output decodes to the input");
    }
    let rows: [(&str, &dyn Fn(&[u8]) -> Vec<u8>); 3] = [
        ("brotli 11, the brotli crate (Rust)", &brotli_rust),
        ("brotli 11, Google's C library", &brotli_c),
        ("gzip, libdeflate 12 (C)", &gzip),
    ];
    for (name, compress) in rows {
        let (speed, size) = best(&data, compress);
        println!("| {name} | {speed:.2} | {size} |");
    }
}
