//! Generates what the benchmarks serve and look up, with asset-build itself:
//!
//! - `site/` as a user embeds it (`OUT_DIR/asset-build`), for our server;
//! - `OUT_DIR/precompressed/`: the same stylesheet with `.br` and `.gz`
//!   siblings holding the very bytes our table serves, for the peers that
//!   serve precompressed files (tower-http's `ServeDir` from disk,
//!   rust-embed + axum-embed embedded);
//! - memory-serve's own embedding of `site/`;
//! - `site/` again with a delta (`OUT_DIR/delta-site.rs`), built against
//!   an earlier release of the stylesheet (`site-earlier/`: Font Awesome
//!   7.3.0's, where `site/` has 7.3.1's), exported as `export-assets`
//!   writes it, for the delta case of the serving benchmark; the
//!   `Available-Dictionary` naming that release is `DELTA_DICTIONARY`;
//! - three tables of 5, 500 and 5,000 assets (10, 1,000 and 10,000 map
//!   entries: each asset has a hashed and a logical path) for the lookup
//!   benchmark, in `OUT_DIR/lookup-<entries>.rs`.

use std::fs;
use std::path::{Path, PathBuf};

/// The stylesheet every server sends.
const ASSET: &str = "css/v4-shims.min.css";

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap());

    let report = asset_build::Pipeline::new("site")
        .url_prefix("/static/")
        .run();
    precompressed(&out, &report);

    memory_serve::load_directory("site");

    delta_site(&out);

    for assets in [5, 500, 5_000] {
        lookup_table(&out, assets);
    }
}

/// `OUT_DIR/precompressed/css/v4-shims.min.css{,.br,.gz}`, the compressed
/// files copied from our blobs, so that every server that sends br or gzip
/// sends the same bytes.
fn precompressed(out: &Path, report: &asset_build::Report) {
    let asset = report
        .assets
        .iter()
        .find(|a| a.logical_path == ASSET)
        .expect("the site has the benchmark's stylesheet");
    let dir = out.join("precompressed").join("css");
    fs::create_dir_all(&dir).unwrap();
    let source = fs::read(Path::new("site").join(ASSET)).unwrap();
    let name = dir.join("v4-shims.min.css");
    fs::write(&name, &source).unwrap();
    let blobs = asset_build::BlobStore::read_only(&out.join("asset-build")).unwrap();
    for (coding, extension) in [("br", "br"), ("gzip", "gz")] {
        let size = asset
            .compressed
            .iter()
            .find(|(c, _)| *c == coding)
            .map(|(_, size)| *size)
            .expect("the stylesheet compresses");
        // The one compressed blob of that size whose name carries the
        // codec: the site holds this one file.
        let tag = if coding == "br" { ".br-" } else { ".gz-" };
        let bytes = blobs
            .names()
            .iter()
            .filter(|name| name.contains(tag))
            .map(|name| blobs.read(name).unwrap())
            .find(|bytes| bytes.len() as u64 == size)
            .expect("the compressed blob");
        fs::write(dir.join(format!("v4-shims.min.css.{extension}")), bytes).unwrap();
    }
}

/// `site/` built against an exported earlier release (`site-earlier/`),
/// so that the stylesheet has a `dcb` delta: `OUT_DIR/delta-site.rs`.
fn delta_site(out: &Path) {
    let earlier = out.join("delta-earlier");
    asset_build::Pipeline::new("site-earlier")
        .out_dir(&earlier)
        .release_history(false)
        .embed(asset_build::Embed::IncludeBytes)
        .run();
    // What `export-assets` writes: the served bytes under their hashed
    // paths, and the manifest.
    let built = earlier.join("asset-build");
    let text = fs::read_to_string(built.join("manifest.json")).unwrap();
    let manifest = asset_manifest::Manifest::from_json(&text).unwrap();
    let export = out.join("delta-export");
    let blobs = asset_build::BlobStore::read_only(&built).unwrap();
    for asset in manifest.assets.values() {
        let etag = asset.etag.as_deref().unwrap().trim_matches('"');
        let name = blobs
            .names()
            .into_iter()
            .find(|name| name.starts_with(etag) && !name.contains('.'))
            .expect("the identity blob");
        let target = export.join(asset.hashed_path.as_deref().unwrap());
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::write(target, blobs.read(&name).unwrap()).unwrap();
    }
    fs::write(export.join("manifest.json"), text).unwrap();

    let dir = out.join("delta-site");
    let report = asset_build::Pipeline::new("site")
        .out_dir(&dir)
        .release_history(false)
        .earlier_release(&export)
        .run();
    let (_, dictionary, _) = report
        .assets
        .iter()
        .find(|a| a.logical_path == ASSET)
        .and_then(|a| a.deltas.iter().find(|(coding, _, _)| *coding == "dcb"))
        .expect("the stylesheet has a dcb delta");
    let mut sha = [0u8; 32];
    for (i, byte) in sha.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&dictionary[2 * i..2 * i + 2], 16).unwrap();
    }
    println!(
        "cargo::rustc-env=DELTA_DICTIONARY={}",
        asset_manifest::dictionary::available_dictionary(&sha)
    );
    let code = fs::read_to_string(dir.join("asset-build").join("assets.rs")).unwrap();
    let code = code.replace("\"/asset-build/table.", "\"/delta-site/asset-build/table.");
    fs::write(out.join("delta-site.rs"), code).unwrap();
}

/// A table of `assets` assets named like an icon set's files, written to
/// `OUT_DIR/lookup-<2 * assets>.rs`.
fn lookup_table(out: &Path, assets: usize) {
    let entries = 2 * assets;
    let src = out.join(format!("lookup-src-{entries}"));
    for i in 0..assets {
        let path = src
            .join(format!("icons/set-{}", i % 7))
            .join(format!("icon-{i:05}.png"));
        // Written once, so that the files keep their times and cargo does
        // not rerun this script for them.
        if !path.exists() {
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            // Distinct contents, so distinct hashes; `.png` is not
            // compressed, which keeps this quick.
            fs::write(&path, format!("{i}")).unwrap();
        }
    }
    let dir = out.join(format!("lookup-{entries}"));
    asset_build::Pipeline::new(&src).out_dir(&dir).run();
    // A linked table is found through the search path `run` printed; an
    // included one is named under `OUT_DIR/asset-build`, and this one
    // lives under `OUT_DIR/lookup-<n>/asset-build`.
    let code = fs::read_to_string(dir.join("asset-build").join("assets.rs")).unwrap();
    let code = code.replace(
        "\"/asset-build/table.",
        &format!("\"/lookup-{entries}/asset-build/table."),
    );
    fs::write(out.join(format!("lookup-{entries}.rs")), code).unwrap();
}
