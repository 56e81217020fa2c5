use std::sync::Arc;

use super::*;

/// Two releases of a stylesheet: the second changes a few rules.
fn releases() -> (Vec<u8>, Vec<u8>) {
    let old: String = (0..3000)
        .map(|i| {
            format!(
                ".rule-{i} {{ color: #{:06x}; margin: {}px; }}\n",
                i * 37,
                i % 17
            )
        })
        .collect();
    let new = old
        .replace(".rule-1500 {", ".rule-1500-new {")
        .replace("margin: 3px", "margin: 4px");
    (old.into_bytes(), new.into_bytes())
}

fn sha(bytes: &[u8]) -> [u8; 32] {
    *asset_manifest::Fingerprint::of(bytes).digest()
}

/// The brotli crate family's decoder with a custom dictionary. (The
/// tests crate decodes every delta of its table with Google's decoder,
/// which Chromium uses; `tests/tests/deltas.rs`.)
fn brotli_decode(stream: &[u8], dictionary: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    brotli_decompressor::BrotliDecompressCustomDict(
        &mut &stream[..],
        &mut out,
        &mut [0; 4096],
        &mut [0; 4096],
        dictionary.to_vec(),
    )
    .ok()?;
    Some(out)
}

#[test]
fn dcb_is_the_header_then_a_stream_that_needs_the_dictionary() {
    let (old, new) = releases();
    let dcb = DeltaCodec::Dcb.compress(&new, &old, &sha(&old));
    assert_eq!(dcb[..4], asset_manifest::dictionary::DCB_MAGIC);
    assert_eq!(dcb[4..36], sha(&old));
    assert_eq!(brotli_decode(&dcb[36..], &old).unwrap(), new);
    // Without the dictionary the stream is not the file.
    assert_ne!(brotli_decode(&dcb[36..], b"other").as_ref(), Some(&new));
    // A delta is far smaller than brotli alone, and deterministic.
    let br = crate::compress::Codec::Brotli.compress(&new);
    assert!(
        dcb.len() * 20 < br.len(),
        "dcb {} br {}",
        dcb.len(),
        br.len()
    );
    assert_eq!(dcb, DeltaCodec::Dcb.compress(&new, &old, &sha(&old)));
}

#[cfg(feature = "zstd")]
#[test]
fn dcz_is_a_skippable_frame_then_a_frame_the_zstd_tool_reads_with_the_prefix() {
    let (old, new) = releases();
    let dcz = DeltaCodec::Dcz.compress(&new, &old, &sha(&old));
    assert_eq!(dcz[..8], asset_manifest::dictionary::DCZ_MAGIC);
    assert_eq!(dcz[8..40], sha(&old));
    // The zstd command-line tool skips the skippable frame and takes the
    // old file as the raw-content prefix.
    let dir = tempfile::tempdir().unwrap();
    let (old_path, dcz_path, out) = (
        dir.path().join("old"),
        dir.path().join("new.dcz"),
        dir.path().join("new"),
    );
    std::fs::write(&old_path, &old).unwrap();
    std::fs::write(&dcz_path, &dcz).unwrap();
    let status = std::process::Command::new("zstd")
        .args(["-q", "-d", "--patch-from"])
        .arg(&old_path)
        .arg(&dcz_path)
        .arg("-o")
        .arg(&out)
        .status()
        .expect("the zstd tool (tests/setup.sh installs it)");
    assert!(status.success());
    assert_eq!(std::fs::read(&out).unwrap(), new);
    // The window stays within what a browser accepts for this dictionary.
    let limit = dcz_window_log_limit(old.len() as u64);
    let mut decoder = zstd::stream::raw::Decoder::with_ref_prefix(&old).unwrap();
    decoder
        .set_parameter(zstd::stream::raw::DParameter::WindowLogMax(limit))
        .unwrap();
    let mut decoded = vec![0; new.len() + 1];
    let mut output = zstd::stream::raw::OutBuffer::around(&mut decoded[..]);
    let mut input = zstd::stream::raw::InBuffer::around(&dcz[40..]);
    zstd::stream::raw::Operation::run(&mut decoder, &mut input, &mut output).unwrap();
    let n = output.pos();
    assert_eq!(&decoded[..n], &new[..]);
}

#[test]
fn windows_bound_what_is_made() {
    assert!(DeltaCodec::Dcb.fits(1 << 20, 1 << 20));
    assert!(DeltaCodec::Dcb.fits((16 << 20) - 16 - 100, 100));
    assert!(!DeltaCodec::Dcb.fits((16 << 20) - 16 - 100, 101));
    #[cfg(feature = "zstd")]
    {
        // max(8 MiB, 1.25 x the dictionary), as a power of two.
        assert!(DeltaCodec::Dcz.fits(4 << 20, 4 << 20));
        assert!(!DeltaCodec::Dcz.fits((4 << 20) + 1, 4 << 20));
        assert_eq!(dcz_window_log_limit(1 << 20), 23);
        assert_eq!(dcz_window_log_limit(14 << 20), 24);
    }
}

fn dictionary(bytes: &[u8]) -> Dictionary {
    Dictionary {
        sha: sha(bytes),
        bytes: Arc::new(bytes.to_vec()),
    }
}

#[test]
fn candidates_skip_the_current_bytes_repeats_and_unknown_paths() {
    let current = BTreeMap::from([("a.css".to_owned(), sha(b"now"))]);
    let earlier = [
        ("a.css", b"now".as_slice()),
        ("a.css", b"v2"),
        ("gone.css", b"v1"),
        ("a.css", b"v2"),
        ("a.css", b"v1"),
        ("a.css", b"v0"),
    ]
    .map(|(l, b)| (l.to_owned(), dictionary(b)));
    let by_path = candidates(&current, earlier, 2);
    let list: Vec<_> = by_path["a.css"].iter().map(|d| d.sha).collect();
    assert_eq!(list, [sha(b"v2"), sha(b"v1")]);
    assert_eq!(by_path.len(), 1);
}

#[test]
fn deltas_are_cached_and_kept_only_when_they_beat_brotli() {
    let (old, new) = releases();
    let dir = tempfile::tempdir().unwrap();
    let store = BlobStore::open(dir.path(), None).unwrap();
    let print = asset_manifest::Fingerprint::of(&new);
    store.put(print.hex(), &new).unwrap();
    let br_len = crate::compress::Codec::Brotli.compress(&new).len() as u64;
    let unrelated: Vec<u8> = crate::compress::pseudo_random(4000);
    let request = || Request {
        sha: print.hex(),
        len: new.len() as u64,
        br_len,
        dictionaries: vec![dictionary(&old), dictionary(&unrelated)],
    };
    let first = deltas(&store, &[request()]).unwrap();
    let codecs = DeltaCodec::ALL.len();
    assert_eq!((first.compressions, first.cache_hits), (2 * codecs, 0));
    // Against the old version: kept; against unrelated bytes: not.
    assert_eq!(first.kept[0].len(), codecs);
    assert!(first.kept[0].iter().all(|d| d.dictionary == sha(&old)));
    let second = deltas(&store, &[request()]).unwrap();
    assert_eq!((second.compressions, second.cache_hits), (0, 2 * codecs));
    assert_eq!(
        second.kept[0].iter().map(|d| &d.blob).collect::<Vec<_>>(),
        first.kept[0].iter().map(|d| &d.blob).collect::<Vec<_>>()
    );
    let dcb = store.read(&first.kept[0][0].blob).unwrap();
    assert_eq!(brotli_decode(&dcb[36..], &old).unwrap(), new);
}

#[test]
fn a_pair_past_the_window_is_reported_not_compressed() {
    let dir = tempfile::tempdir().unwrap();
    let store = BlobStore::open(dir.path(), None).unwrap();
    let big = vec![b'a'; 9 << 20];
    let request = Request {
        sha: "0",
        len: 9 << 20,
        br_len: 100,
        dictionaries: vec![dictionary(&big)],
    };
    let out = deltas(&store, &[request]).unwrap();
    assert_eq!(out.compressions, 0);
    assert!(
        out.too_large
            .iter()
            .any(|(i, c, _)| *i == 0 && *c == DeltaCodec::Dcb)
    );
}
