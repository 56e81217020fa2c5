use std::collections::BTreeMap;

use proptest::prelude::*;

use super::*;

fn record(
    logical: &str,
    hashed: &str,
    variants: Vec<(Encoding, String, DataRange)>,
) -> AssetRecord {
    AssetRecord {
        logical_path: logical.to_owned(),
        hashed_path: hashed.to_owned(),
        url: format!("/static/{hashed}"),
        logical_url: format!("/static/{logical}"),
        content_type: "text/plain".to_owned(),
        integrity: format!("sha384-{logical}"),
        use_as_dictionary: Some(format!("match=\"/static/{logical}.*\"")),
        variants,
        deltas: Vec::new(),
    }
}

type Files = BTreeMap<String, (Vec<u8>, Option<Vec<u8>>)>;

/// A table of `files` (logical path, identity bytes, br bytes if any),
/// each hashed path the logical one and `.h`.
fn build(files: &Files) -> Vec<u8> {
    let mut w = TableWriter::new("/static/");
    // Pushed in reverse: the writer orders by logical path.
    for (logical, (identity, br)) in files.iter().rev() {
        let mut variants = vec![(
            Encoding::Identity,
            format!("\"{logical}\""),
            w.data(identity),
        )];
        let mut deltas = Vec::new();
        if let Some(br) = br {
            variants.push((Encoding::Brotli, format!("\"{logical}-br\""), w.data(br)));
            // A delta too, against a dictionary named by the br bytes' length.
            let dictionary = [br.len() as u8; 32];
            deltas.push((
                Encoding::Dcz,
                dictionary,
                format!("\"{logical}-dcz\""),
                w.data(br),
            ));
        }
        let mut record = record(logical, &format!("{logical}.h"), variants);
        record.deltas = deltas;
        w.push(record);
    }
    w.finish().unwrap()
}

fn files() -> impl Strategy<Value = Files> {
    prop::collection::btree_map(
        "[a-zé/]{1,12}",
        (
            prop::collection::vec(any::<u8>(), 0..40),
            prop::option::of(prop::collection::vec(any::<u8>(), 0..10)),
        ),
        0..40,
    )
}

proptest! {
    #[test]
    fn every_path_finds_its_asset_and_its_bytes(files in files(), other in "[a-z/.]{0,14}") {
        let bytes = build(&files);
        let table = Table::parse(&bytes).unwrap();
        prop_assert_eq!(table.len(), files.len());
        prop_assert_eq!(table.prefix(), "/static/");
        for (i, (logical, (identity, br))) in files.iter().enumerate() {
            let a = table.asset(i);
            prop_assert_eq!(a.logical_path, logical.as_str());
            prop_assert_eq!(a.hashed_path, format!("{logical}.h"));
            prop_assert_eq!(a.url, format!("/static/{logical}.h"));
            prop_assert_eq!(a.logical_url, format!("/static/{logical}"));
            prop_assert_eq!(a.integrity, format!("sha384-{logical}"));
            prop_assert_eq!(table.lookup(logical), Some((i, false)));
            prop_assert_eq!(table.lookup(&format!("{logical}.h")), Some((i, true)));
            let variants: Vec<_> = a.variants.map(|v| table.variant(v)).collect();
            prop_assert_eq!(variants[0].encoding, Encoding::Identity);
            prop_assert_eq!(variants[0].bytes, identity.as_slice());
            prop_assert_eq!(variants[0].content_length, identity.len().to_string());
            prop_assert_eq!(variants[0].etag, format!("\"{logical}\""));
            prop_assert_eq!(a.use_as_dictionary, format!("match=\"/static/{logical}.*\""));
            prop_assert_eq!(variants[0].dictionary, None);
            prop_assert_eq!(variants.len(), 1 + 2 * usize::from(br.is_some()));
            if let Some(br) = br {
                prop_assert_eq!(variants[1].encoding, Encoding::Brotli);
                prop_assert_eq!(variants[1].bytes, br.as_slice());
                prop_assert_eq!(variants[2].encoding, Encoding::Dcz);
                prop_assert_eq!(variants[2].dictionary, Some([br.len() as u8; 32]));
                prop_assert_eq!(variants[2].etag, format!("\"{logical}-dcz\""));
            }
        }
        let known = files.contains_key(&other)
            || other.strip_suffix(".h").is_some_and(|l| files.contains_key(l));
        prop_assert_eq!(table.lookup(&other).is_some(), known);
    }

    /// Whatever the bytes, parsing returns an error or a table whose every
    /// accessor works: no panic, no read out of bounds.
    #[test]
    fn damaged_tables_are_refused_or_readable(
        files in files(),
        cut in any::<prop::sample::Index>(),
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..4),
        path in "[a-z/.]{0,14}",
    ) {
        let mut bytes = build(&files);
        for (at, value) in flips {
            let at = at.index(bytes.len());
            bytes[at] = value;
        }
        let len = cut.index(bytes.len() + 1);
        let bytes = if len % 2 == 0 { &bytes[..] } else { &bytes[..len] };
        if let Ok(table) = Table::parse(bytes) {
            for i in 0..table.len() {
                for v in table.asset(i).variants {
                    let _ = table.variant(v);
                }
            }
            let _ = table.lookup(&path);
        }
    }
}

proptest! {
    /// A table cut into parts at variant boundaries reads the same; a cut
    /// through a variant is refused.
    #[test]
    fn parts_cut_between_variants_read_as_one(files in files(), cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..5)) {
        let bytes = build(&files);
        let whole = Table::parse(&bytes).unwrap();
        let index_len = u64::from_le_bytes(bytes[8..16].try_into().unwrap()) as usize;
        // Where each variant with bytes lies in the whole (an empty one
        // has no place).
        let ranges: Vec<(usize, usize)> = (0..whole.variant_count())
            .filter(|&v| !whole.variant(v).bytes.is_empty())
            .map(|v| {
                let b = whole.variant(v).bytes;
                let at = b.as_ptr() as usize - bytes.as_ptr() as usize;
                (at, at + b.len())
            })
            .collect();
        let ends: Vec<usize> = ranges.iter().map(|r| r.1).collect();
        let mut points: Vec<usize> = cuts.iter().filter(|_| !ends.is_empty()).map(|i| ends[i.index(ends.len())]).collect();
        points.push(index_len);
        points.push(bytes.len());
        points.sort_unstable();
        points.dedup();
        let mut parts = vec![&bytes[..index_len]];
        for w in points.windows(2) {
            parts.push(&bytes[w[0]..w[1]]);
        }
        let table = Table::parse_parts(&parts).unwrap();
        for v in 0..whole.variant_count() {
            prop_assert_eq!(table.variant(v), whole.variant(v));
        }
        for i in 0..whole.len() {
            prop_assert_eq!(table.asset(i), whole.asset(i));
        }
        if let Some(&(start, _)) = ranges.iter().find(|r| r.1 - r.0 >= 2) {
            let cut = start + 1;
            let parts = [&bytes[..cut], &bytes[cut..]];
            prop_assert!(Table::parse_parts(&parts).is_err());
        }
    }
}

#[test]
fn an_empty_table_finds_nothing() {
    let bytes = TableWriter::new("/").finish().unwrap();
    let table = Table::parse(&bytes).unwrap();
    assert!(table.is_empty());
    assert_eq!(table.lookup(""), None);
    assert_eq!(table.lookup("a.css"), None);
}

#[test]
fn a_kept_name_is_one_immutable_path() {
    let mut w = TableWriter::new("/static/");
    let range = w.data(b"x");
    let name = "app.0123456789abcdef.js";
    w.push(record(
        name,
        name,
        vec![(Encoding::Identity, "\"e\"".into(), range)],
    ));
    let bytes = w.finish().unwrap();
    let table = Table::parse(&bytes).unwrap();
    assert_eq!(table.lookup(name), Some((0, true)));
    assert_eq!(table.map().2.len(), 1);
}

#[test]
fn two_assets_on_one_path_are_refused() {
    let mut w = TableWriter::new("/static/");
    w.push(record("a.css", "x.css", vec![]));
    w.push(record("x.css", "y.css", vec![]));
    assert_eq!(w.finish(), Err(TableError::DuplicatePath("x.css".into())));
}

#[test]
fn other_bytes_are_refused_with_a_reason() {
    assert_eq!(
        Table::parse(b"not a table").unwrap_err().to_string(),
        "not an asset table of format 2: the magic bytes are missing"
    );
    let mut bytes = TableWriter::new("/").finish().unwrap();
    bytes[8] = 0xff;
    assert!(
        Table::parse(&bytes)
            .unwrap_err()
            .to_string()
            .contains("index length")
    );
}

#[test]
fn deltas_and_ordinary_codings_stay_in_their_lists() {
    let mut w = TableWriter::new("/");
    let range = w.data(b"x");
    let mut a = record("a", "a.h", vec![(Encoding::Dcb, "\"a\"".into(), range)]);
    w.push(a.clone());
    assert_eq!(
        w.finish().unwrap_err(),
        TableError::MisplacedCoding("a.h".into())
    );
    let mut w = TableWriter::new("/");
    a.variants = vec![(Encoding::Identity, "\"a\"".into(), range)];
    a.deltas = vec![(Encoding::Brotli, [0; 32], "\"b\"".into(), range)];
    w.push(a);
    assert!(matches!(w.finish(), Err(TableError::MisplacedCoding(_))));
}

#[test]
fn a_delta_without_a_dictionary_hash_is_refused() {
    let mut w = TableWriter::new("/");
    let range = w.data(b"xy");
    let mut a = record(
        "a",
        "a.h",
        vec![(Encoding::Identity, "\"a\"".into(), range)],
    );
    a.deltas = vec![(Encoding::Dcb, [0xab; 32], "\"a-dcb\"".into(), range)];
    w.push(a);
    let mut bytes = w.finish().unwrap();
    assert_eq!(
        Table::parse(&bytes).unwrap().variant(1).dictionary,
        Some([0xab; 32])
    );
    // The hash's hex, made uppercase: not the format's.
    let at = bytes.windows(4).position(|w| w == b"abab").unwrap();
    bytes[at..at + 2].copy_from_slice(b"AB");
    assert_eq!(
        Table::parse(&bytes).unwrap_err(),
        FormatError("a dictionary hash does not fit its coding")
    );
}
