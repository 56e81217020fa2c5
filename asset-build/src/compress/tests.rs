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

fn brotli_decoded(stream: &[u8]) -> Vec<u8> {
    let mut decoded = Vec::new();
    brotli_decompressor::Decompressor::new(stream, 4096)
        .read_to_end(&mut decoded)
        .unwrap();
    decoded
}

/// Google's encoder through its wrapper: empty input, input that does not
/// compress (the output outgrows the input), one larger than the window,
/// and the same bytes twice give the same stream.
#[test]
fn googles_encoder_round_trips_at_the_edges() {
    for input in [
        Vec::new(),
        b"a".to_vec(),
        pseudo_random(300_000),
        sample().repeat(40),
    ] {
        let lgwin = window_bits(input.len());
        let out = google::compress(&input, None, 11, lgwin);
        assert_eq!(brotli_decoded(&out), input, "{} bytes", input.len());
        assert_eq!(out, google::compress(&input, None, 11, lgwin));
    }
    // A window smaller than the input still round-trips.
    let input = sample().repeat(20);
    let out = google::compress(&input, None, 11, 10);
    assert_eq!(brotli_decoded(&out), input);
}

/// With a raw dictionary, the stream needs it: the brotli crate family's
/// decoder gives the input back with the dictionary and fails without it.
#[test]
fn googles_encoder_uses_a_raw_dictionary() {
    let old = sample();
    let mut new = old.clone();
    new.extend_from_slice(b".added { color: red; }\n");
    let lgwin = window_bits(old.len() + new.len());
    let delta = google::compress(&new, Some(&old), 11, lgwin);
    let plain = google::compress(&new, None, 11, lgwin);
    assert!(
        delta.len() * 10 < plain.len(),
        "{} against {}",
        delta.len(),
        plain.len()
    );
    let mut decoded = Vec::new();
    brotli_decompressor::BrotliDecompressCustomDict(
        &mut &delta[..],
        &mut decoded,
        &mut [0; 4096],
        &mut [0; 4096],
        old.clone(),
    )
    .unwrap();
    assert_eq!(decoded, new);
    let mut without = Vec::new();
    let alone = brotli_decompressor::BrotliDecompress(&mut &delta[..], &mut without);
    assert!(alone.is_err() || without != new);
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
    let input = pseudo_random(4096);
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

#[test]
fn large_incompressible_inputs_are_recognised_from_samples() {
    // xorshift: bytes no codec can shrink.
    let random = pseudo_random(4 * SAMPLE_FROM);
    assert!(!looks_compressible(&random));
    // Text, and text with a random header: compressed for real.
    let text: Vec<u8> = (0..4 * SAMPLE_FROM)
        .map(|i| b"lorem ipsum dolor "[i % 18])
        .collect();
    assert!(looks_compressible(&text));
    let mut mixed = random[..SAMPLE_FROM].to_vec();
    mixed.extend_from_slice(&text);
    assert!(
        looks_compressible(&mixed),
        "the middle and end samples compress"
    );
    // Small inputs are never sampled: the real codecs decide.
    assert!(looks_compressible(&random[..SAMPLE_FROM - 1]));
}
