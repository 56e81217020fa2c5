//! Path lookup: the generated phf table (`Assets::lookup`, what every
//! request does) against a `std::collections::HashMap` and a sorted slice
//! with binary search, over the same keys, at 10, 1,000 and 10,000 entries.
//!
//! `cargo bench --bench lookup` in `benches/`; BENCHMARKS.md has the
//! figures.

use std::collections::HashMap;

use asset_benches::tables::{T10, T1000, T10000};
use asset_runtime::{Asset, Assets};
use divan::Bencher;

fn main() {
    divan::main();
}

fn table(entries: usize) -> &'static Assets {
    match entries {
        10 => &T10,
        1_000 => &T1000,
        10_000 => &T10000,
        _ => unreachable!(),
    }
}

/// Every key of the table (hashed and logical paths) with its asset, in a
/// fixed pseudo-random order, so that successive lookups touch unrelated
/// entries.
fn keys(entries: usize) -> Vec<(&'static str, &'static Asset)> {
    let table = table(entries);
    let mut keys: Vec<_> = table
        .iter()
        .flat_map(|a| [(a.hashed_path(), a), (a.logical_path(), a)])
        .collect();
    assert_eq!(keys.len(), entries);
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    for i in (1..keys.len()).rev() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        keys.swap(i, (x % (i as u64 + 1)) as usize);
    }
    keys
}

const SIZES: [usize; 3] = [10, 1_000, 10_000];

/// Cycles through the keys; divan times only the lookups.
fn run<F: Fn(&'static str) -> Option<&'static Asset> + Sync>(
    bencher: Bencher,
    entries: usize,
    lookup: F,
) {
    let keys = keys(entries);
    // Touch every entry once first, so that page faults on the table's
    // first use are not timed.
    for (key, _) in &keys {
        divan::black_box(lookup(key));
    }
    let mut next = 0;
    bencher
        .with_inputs(|| {
            next = (next + 1) % keys.len();
            keys[next]
        })
        .bench_local_values(|(key, asset)| {
            let found = lookup(divan::black_box(key));
            debug_assert!(found.is_some_and(|f| std::ptr::eq(f, asset)));
            found
        });
}

#[divan::bench(args = SIZES)]
fn phf(bencher: Bencher, entries: usize) {
    let table = table(entries);
    run(bencher, entries, |key| table.lookup(key).map(|l| l.asset()));
}

#[divan::bench(args = SIZES)]
fn hash_map(bencher: Bencher, entries: usize) {
    let map: HashMap<&'static str, &'static Asset> = keys(entries).into_iter().collect();
    run(bencher, entries, |key| map.get(key).copied());
}

#[divan::bench(args = SIZES)]
fn sorted_slice(bencher: Bencher, entries: usize) {
    let mut slice = keys(entries);
    slice.sort_unstable_by_key(|(k, _)| *k);
    run(bencher, entries, |key| {
        slice
            .binary_search_by(|(k, _)| k.cmp(&key))
            .ok()
            .map(|i| slice[i].1)
    });
}

/// The first lookup in a table of `entries / 2` assets: the index read
/// into records (once per process), then the lookup. A fresh table each
/// time; the records it leaks are what a server keeps for its lifetime.
#[divan::bench(args = SIZES, sample_count = 20, sample_size = 1)]
fn first_lookup(bencher: Bencher, entries: usize) {
    use asset_manifest::Encoding;
    use asset_manifest::table::{AssetRecord, TableWriter};
    let mut writer = TableWriter::new("/static/");
    for i in 0..entries / 2 {
        let logical = format!("icons/set-{}/icon-{i:05}.png", i % 7);
        let hashed = logical.replace(".png", ".0123456789abcdef.png");
        let bytes = writer.data(format!("{i}").as_bytes());
        writer.push(AssetRecord {
            url: format!("/static/{hashed}"),
            logical_url: format!("/static/{logical}"),
            logical_path: logical,
            hashed_path: hashed,
            content_type: "image/png".into(),
            integrity: "sha384-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
                .into(),
            use_as_dictionary: None,
            deltas: Vec::new(),
            variants: vec![(
                Encoding::Identity,
                "\"0123456789abcdef0123456789abcdef\"".into(),
                bytes,
            )],
        });
    }
    let bytes: &'static [u8] = writer.finish().unwrap().leak();
    let parts: &'static [&'static [u8]] = Box::leak(Box::new([bytes]));
    bencher
        .with_inputs(|| &*Box::leak(Box::new(Assets::__packed_v2(parts, "/static/"))))
        .bench_local_values(|assets: &'static Assets| {
            assets.lookup("icons/set-0/icon-00000.png").is_some()
        });
}
