//! Precompression: brotli quality 11, gzip by libdeflate at level 12 (with
//! the `zopfli` feature, the smaller of that and zopfli's), and, with the
//! `zstd` feature, zstd level 19 with a window of at most 8 MiB; all
//! deterministic.
//!
//! Why libdeflate for gzip: on real stylesheets, scripts, source maps and
//! SVGs, `gzip -9` (GNU gzip) was 0.5% smaller in total than flate2's
//! miniz_oxide at level 9 (and than its zlib-rs backend), and smaller for
//! almost half of the files; libdeflate at level 12 is 4.5% smaller than
//! `gzip -9` in total on the benchmark corpus (a few small files come out
//! 1 to 4 bytes larger), at a small fraction of brotli 11's time.
//! BENCHMARKS.md has the figures.

/// A variant is kept only when it is at most this share of the identity size.
pub const KEEP_RATIO_PERCENT: usize = 95;

/// The codings the pipeline produces, with the settings that make up the
/// cache key of their output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Codec {
    /// brotli, quality 11, window sized to the input (at most 2^24).
    Brotli,
    /// zstd, level 19, window at most 2^23 = 8 MiB (RFC 9659: the most a
    /// browser must accept for `Content-Encoding: zstd`), no checksum.
    #[cfg(feature = "zstd")]
    Zstd,
    /// gzip: libdeflate level 12 (with the `zopfli` feature, the smaller of
    /// that and zopfli with 15 iterations), no file name, mtime 0.
    Gzip,
}

impl Codec {
    /// Every codec, in order of preference.
    #[cfg(not(feature = "zstd"))]
    pub const ALL: [Codec; 2] = [Codec::Brotli, Codec::Gzip];
    /// Every codec, in order of preference.
    #[cfg(feature = "zstd")]
    pub const ALL: [Codec; 3] = [Codec::Brotli, Codec::Zstd, Codec::Gzip];

    /// Identifies the codec and every setting that changes its output; part
    /// of the cache file name, so that a change of settings never reuses old
    /// output.
    pub fn cache_tag(self) -> &'static str {
        match self {
            Codec::Brotli => "br-q11-v1",
            #[cfg(feature = "zstd")]
            Codec::Zstd => "zst-19-w23-v1",
            #[cfg(not(feature = "zopfli"))]
            Codec::Gzip => "gz-ld12-v1",
            #[cfg(feature = "zopfli")]
            Codec::Gzip => "gz-ld12-zopfli15-v1",
        }
    }

    /// The `asset_runtime::Encoding` variant name.
    pub fn runtime_name(self) -> &'static str {
        match self {
            Codec::Brotli => "Brotli",
            #[cfg(feature = "zstd")]
            Codec::Zstd => "Zstd",
            Codec::Gzip => "Gzip",
        }
    }

    /// The name used in the manifest.
    pub fn token(self) -> &'static str {
        match self {
            Codec::Brotli => "br",
            #[cfg(feature = "zstd")]
            Codec::Zstd => "zstd",
            Codec::Gzip => "gzip",
        }
    }

    pub fn compress(self, input: &[u8]) -> Vec<u8> {
        match self {
            Codec::Brotli => brotli(input),
            #[cfg(feature = "zstd")]
            Codec::Zstd => zstd(input),
            Codec::Gzip => gzip(input),
        }
    }
}

/// Whether a compressed size is worth storing next to the identity bytes.
pub fn worth_keeping(identity_len: usize, compressed_len: usize) -> bool {
    compressed_len * 100 <= identity_len * KEEP_RATIO_PERCENT
}

fn brotli(input: &[u8]) -> Vec<u8> {
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: window_bits(input.len()),
        size_hint: input.len(),
        ..Default::default()
    };
    let mut out = Vec::with_capacity(input.len() / 3 + 64);
    let mut reader = input;
    brotli::BrotliCompress(&mut reader, &mut out, &params)
        .expect("compressing in memory cannot fail");
    out
}

/// The smallest brotli window (10..=24 bits) that holds the whole input.
fn window_bits(len: usize) -> i32 {
    let mut bits = 10;
    while bits < 24 && (1usize << bits) - 16 < len {
        bits += 1;
    }
    bits
}

/// The largest zstd window, as a power of two: 8 MiB (RFC 9659 §3).
#[cfg(feature = "zstd")]
pub const ZSTD_WINDOW_LOG: u32 = 23;

#[cfg(feature = "zstd")]
fn zstd(input: &[u8]) -> Vec<u8> {
    use zstd::stream::raw::CParameter;
    let mut compressor = zstd::bulk::Compressor::new(19).expect("level 19 is valid");
    for parameter in [
        CParameter::WindowLog(ZSTD_WINDOW_LOG),
        CParameter::ChecksumFlag(false),
        CParameter::ContentSizeFlag(true),
    ] {
        compressor
            .set_parameter(parameter)
            .expect("the zstd parameters are valid");
    }
    compressor
        .compress(input)
        .expect("compressing in memory cannot fail")
}

fn gzip(input: &[u8]) -> Vec<u8> {
    let libdeflate = libdeflate_gzip(input);
    #[cfg(feature = "zopfli")]
    {
        let zopfli = zopfli_gzip(input);
        if zopfli.len() < libdeflate.len() {
            return zopfli;
        }
    }
    libdeflate
}

/// libdeflate's gzip at its highest level. Its header has no file name,
/// mtime 0 and OS "unknown": the same bytes on every machine.
fn libdeflate_gzip(input: &[u8]) -> Vec<u8> {
    let level = libdeflater::CompressionLvl::new(12).expect("12 is libdeflate's highest level");
    let mut compressor = libdeflater::Compressor::new(level);
    let mut out = vec![0; compressor.gzip_compress_bound(input.len())];
    let len = compressor
        .gzip_compress(input, &mut out)
        .expect("the output buffer has the bound's size");
    out.truncate(len);
    out
}

/// zopfli's gzip with its default 15 iterations; no file name, mtime 0.
#[cfg(feature = "zopfli")]
fn zopfli_gzip(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len() / 3 + 64);
    zopfli::compress(
        zopfli::Options::default(),
        zopfli::Format::Gzip,
        input,
        &mut out,
    )
    .expect("compressing in memory cannot fail");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn sample() -> Vec<u8> {
        (0..2000)
            .map(|i| format!(".rule-{i} {{ color: #{:06x}; }}\n", i * 37))
            .collect::<String>()
            .into_bytes()
    }

    #[test]
    fn brotli_round_trips_and_shrinks() {
        let input = sample();
        let out = Codec::Brotli.compress(&input);
        assert!(out.len() < input.len() / 3);
        let mut decoded = Vec::new();
        brotli_decompressor::Decompressor::new(&out[..], 4096)
            .read_to_end(&mut decoded)
            .unwrap();
        assert_eq!(decoded, input);
    }

    #[test]
    fn gzip_round_trips_and_is_deterministic() {
        let input = sample();
        let out = Codec::Gzip.compress(&input);
        assert_eq!(out, Codec::Gzip.compress(&input));
        // mtime bytes 4..8 are zero; no FNAME flag.
        assert_eq!(&out[4..8], &[0, 0, 0, 0]);
        assert_eq!(out[3] & 0x08, 0);
        let mut decoded = Vec::new();
        flate2::read::GzDecoder::new(&out[..])
            .read_to_end(&mut decoded)
            .unwrap();
        assert_eq!(decoded, input);
    }

    #[test]
    fn gzip_is_no_larger_than_flate2_level_9() {
        let input = sample();
        let mut level9 = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        std::io::Write::write_all(&mut level9, &input).unwrap();
        let level9 = level9.finish().unwrap();
        assert!(Codec::Gzip.compress(&input).len() <= level9.len());
    }

    #[cfg(feature = "zopfli")]
    #[test]
    fn zopfli_gzip_round_trips_and_is_no_larger_than_libdeflate() {
        let input = sample();
        let out = Codec::Gzip.compress(&input);
        assert_eq!(&out[4..8], &[0, 0, 0, 0]);
        assert!(out.len() <= libdeflate_gzip(&input).len());
        let mut decoded = Vec::new();
        flate2::read::GzDecoder::new(&out[..])
            .read_to_end(&mut decoded)
            .unwrap();
        assert_eq!(decoded, input);
    }

    #[cfg(feature = "zstd")]
    #[test]
    fn zstd_round_trips_within_an_8_mib_window() {
        let input = sample();
        let out = Codec::Zstd.compress(&input);
        assert!(out.len() < input.len() / 3);
        assert_eq!(out, Codec::Zstd.compress(&input), "deterministic");
        let mut decoder = zstd::stream::read::Decoder::new(&out[..]).unwrap();
        decoder.window_log_max(ZSTD_WINDOW_LOG).unwrap();
        let mut decoded = Vec::new();
        decoder.read_to_end(&mut decoded).unwrap();
        assert_eq!(decoded, input);
    }

    #[cfg(feature = "zstd")]
    #[test]
    fn zstd_window_stays_at_8_mib_for_large_inputs() {
        // More than 8 MiB, varied enough that a larger window would help.
        let input: Vec<u8> = (0..(9usize << 20) / 16)
            .flat_map(|i| format!("{:015x}\n", i.wrapping_mul(0x9e37_79b9)).into_bytes())
            .collect();
        let out = Codec::Zstd.compress(&input);
        // Frame header: magic, descriptor; without the single-segment flag
        // a window descriptor follows (RFC 8878 §3.1.1.1.2).
        assert_eq!(&out[..4], &[0x28, 0xb5, 0x2f, 0xfd]);
        let descriptor = out[4];
        assert_eq!(descriptor & 0x20, 0, "a window descriptor is present");
        let window = out[5];
        let log = 10 + u32::from(window >> 3);
        let size = (1u64 << log) + ((1u64 << log) / 8) * u64::from(window & 7);
        assert!(size <= 8 << 20, "window {size}");
        let mut decoder = zstd::stream::read::Decoder::new(&out[..]).unwrap();
        decoder.window_log_max(ZSTD_WINDOW_LOG).unwrap();
        let mut decoded = Vec::new();
        decoder.read_to_end(&mut decoded).unwrap();
        assert!(decoded == input);
    }

    #[test]
    fn keep_rule_is_95_percent() {
        assert!(worth_keeping(100, 95));
        assert!(!worth_keeping(100, 96));
        assert!(worth_keeping(1000, 950));
        assert!(!worth_keeping(1000, 951));
        assert!(!worth_keeping(0, 20));
    }

    #[test]
    fn incompressible_input_is_not_worth_keeping() {
        // A pseudo-random byte stream does not compress.
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let input: Vec<u8> = (0..4096)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect();
        for codec in Codec::ALL {
            assert!(
                !worth_keeping(input.len(), codec.compress(&input).len()),
                "{codec:?}"
            );
        }
    }

    #[test]
    fn window_fits_the_input() {
        assert_eq!(window_bits(0), 10);
        assert_eq!(window_bits(1000), 10);
        assert_eq!(window_bits(1009), 11);
        assert_eq!(window_bits(1 << 20), 21);
        assert_eq!(window_bits(100 << 20), 24);
    }
}
