//! Compiles Google's brotli encoder (`brotli/`, brotli 1.2.0 as released)
//! at a fixed optimisation level. The crates that use asset-build run it in
//! their build scripts, which cargo compiles at opt-level 0 in every
//! profile, and a `-sys` crate's C follows the profile's level too; brotli
//! at quality 11 is then three to seven times slower. Compiled here at
//! `-O2`, it runs at full speed with no profile line in the user's
//! `Cargo.toml` (BENCHMARKS.md, "Brotli in the build script").

fn main() {
    const COMMON: [&str; 6] = [
        "constants",
        "context",
        "dictionary",
        "platform",
        "shared_dictionary",
        "transform",
    ];
    const ENC: [&str; 23] = [
        "backward_references",
        "backward_references_hq",
        "bit_cost",
        "block_splitter",
        "brotli_bit_stream",
        "cluster",
        "command",
        "compound_dictionary",
        "compress_fragment",
        "compress_fragment_two_pass",
        "dictionary_hash",
        "encode",
        "encoder_dict",
        "entropy_encode",
        "fast_log",
        "histogram",
        "literal_cost",
        "memory",
        "metablock",
        "static_dict",
        "static_dict_lut",
        "static_init",
        "utf8_util",
    ];
    let files = COMMON
        .iter()
        .map(|f| format!("brotli/c/common/{f}.c"))
        .chain(ENC.iter().map(|f| format!("brotli/c/enc/{f}.c")));
    cc::Build::new()
        .files(files)
        .include("brotli/c/include")
        // Whatever the profile: the point of compiling it here.
        .opt_level(2)
        .debug(false)
        .warnings(false)
        .compile("asset_build_brotli");
    println!("cargo::rerun-if-changed=brotli");
}
