//! A build script that compresses at a speed only an unoptimised brotli
//! has says so, with the exact profile lines to add: a user's crate with
//! no profile lines, built through cargo.

use asset_tests::fixture::{Fixture, workspace};

#[test]
fn an_unoptimised_build_script_prints_the_profile_lines() {
    let root = workspace();
    let manifest = format!(
        r#"[package]
name = "fixture-unoptimised"
version = "0.1.0"
edition = "2024"
publish = false

[dependencies]
asset-runtime = {{ path = "{root}/asset-runtime" }}

[build-dependencies]
asset-build = {{ path = "{root}/asset-build" }}

[workspace]
"#,
        root = root.display()
    );
    // About 2.5 MB of stylesheet, new on every run, so that it is
    // compressed (not found in a cache) each time.
    let run = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let css: String = std::iter::once(format!("/* run {run} */\n"))
        .chain((0..50_000u32).map(|i| {
            format!(
                ".c{i} {{ margin: {}px; color: #{:06x}; }}\n",
                i % 97,
                i.wrapping_mul(2_654_435_761) & 0xff_ffff
            )
        }))
        .collect();
    let files = vec![
        ("Cargo.toml".to_owned(), manifest),
        (
            "build.rs".to_owned(),
            "fn main() {\n    asset_build::Pipeline::new(\"static\").run();\n}\n".to_owned(),
        ),
        (
            "src/main.rs".to_owned(),
            "asset_runtime::include_assets!();\n\nfn main() {\n    println!(\"{}\", ASSETS.len());\n}\n"
                .to_owned(),
        ),
        ("static/big.css".to_owned(), css),
    ];
    let fixture = Fixture::from_files("unoptimised", &files);
    let (_, output) = fixture
        .build_with_env_output(&[("ASSET_BUILD_CACHE", "off")])
        .unwrap_or_else(|f| panic!("{}", f.stderr));
    assert!(
        output.contains("the build script runs unoptimised"),
        "no warning:\n{output}"
    );
    for line in [
        "[profile.dev.package.asset-build] opt-level = 3",
        "[profile.release.package.brotli] opt-level = 3",
        "[profile.release.package.libdeflate-sys] opt-level = 3",
    ] {
        assert!(output.contains(line), "{line} missing:\n{output}");
    }
}
