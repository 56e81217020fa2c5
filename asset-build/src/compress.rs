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

use asset_manifest::Encoding;

pub(crate) mod google;

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
            // v2: Google's encoder (brotli 1.2.0), where v1 was the brotli crate's.
            Codec::Brotli => "br-q11-v2",
            #[cfg(feature = "zstd")]
            Codec::Zstd => "zst-19-w23-v1",
            #[cfg(not(feature = "zopfli"))]
            Codec::Gzip => "gz-ld12-v1",
            #[cfg(feature = "zopfli")]
            Codec::Gzip => "gz-ld12-zopfli15-v1",
        }
    }

    /// The content coding of its output.
    pub fn encoding(self) -> Encoding {
        match self {
            Codec::Brotli => Encoding::Brotli,
            #[cfg(feature = "zstd")]
            Codec::Zstd => Encoding::Zstd,
            Codec::Gzip => Encoding::Gzip,
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

/// Inputs at least this large are sampled before they are compressed.
pub const SAMPLE_FROM: usize = 1024 * 1024;
/// Each of the three samples: the start, the middle and the end.
const SAMPLE_LEN: usize = 64 * 1024;
/// A sample that fast deflate cannot bring under this share of its size
/// (in percent) marks the input as not worth compressing.
const SAMPLE_KEEP_PERCENT: usize = 97;

/// Whether a large input is worth the slow codecs at all: three 64 KiB
/// samples (start, middle, end) compressed with libdeflate at level 1,
/// milliseconds even for hundreds of megabytes. Random bytes, media with an
/// unknown extension and other already-compressed data come out at 100% or
/// more and are skipped; anything that fast deflate shrinks by more than
/// 3% is compressed for real (the real codecs then do at least as well,
/// and the 95% rule decides). Inputs under [`SAMPLE_FROM`] are always
/// compressed.
pub fn looks_compressible(input: &[u8]) -> bool {
    if input.len() < SAMPLE_FROM {
        return true;
    }
    let middle = input.len() / 2 - SAMPLE_LEN / 2;
    let samples = [
        &input[..SAMPLE_LEN],
        &input[middle..middle + SAMPLE_LEN],
        &input[input.len() - SAMPLE_LEN..],
    ];
    let level = libdeflater::CompressionLvl::new(1).expect("1 is a libdeflate level");
    let mut compressor = libdeflater::Compressor::new(level);
    let mut out = vec![0; compressor.deflate_compress_bound(SAMPLE_LEN)];
    let compressed: usize = samples
        .iter()
        .map(|sample| {
            compressor
                .deflate_compress(sample, &mut out)
                .expect("the output buffer has the bound's size")
        })
        .sum();
    compressed * 100 <= 3 * SAMPLE_LEN * SAMPLE_KEEP_PERCENT
}

/// brotli at quality 11 by Google's encoder, compiled at `-O2` whatever
/// the profile ([`google`]).
fn brotli(input: &[u8]) -> Vec<u8> {
    google::compress(input, None, 11, window_bits(input.len()))
}

/// The smallest brotli window (10..=24 bits) that holds the whole input.
pub(crate) fn window_bits(len: usize) -> u32 {
    let mut bits = 10u32;
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

/// `len` pseudo-random bytes (xorshift), which no codec can shrink: the
/// incompressible input of the tests.
#[cfg(test)]
pub(crate) fn pseudo_random(len: usize) -> Vec<u8> {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

#[cfg(test)]
mod tests;
