//! How the table reaches the binary (`asset_build::Embed`): linked as a
//! static library the build writes (the default on Linux, macOS and
//! Windows), or through `include_bytes!`. Real fixture crates built by
//! cargo, served over TCP or run. (The Mach-O and COFF libraries are
//! linked by their own linkers in asset-build's `link` tests.)

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use asset_tests::fixture::{Fixture, Running, target_dir};
use asset_tests::{client, get_text};

/// Every file under `<target>/debug/build/<package>-*/out/asset-build`
/// of the build script's newest run, by name.
fn output_files(package: &str) -> Vec<String> {
    let build = target_dir().join("debug").join("build");
    let newest: PathBuf = std::fs::read_dir(&build)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_str()
                .unwrap()
                .starts_with(&format!("{package}-"))
                && p.join("out/asset-build/manifest.json").is_file()
        })
        .max_by_key(|p| {
            std::fs::metadata(p.join("out/asset-build/assets.rs"))
                .unwrap()
                .modified()
                .unwrap()
        })
        .expect("the build script ran");
    let mut names: Vec<String> = std::fs::read_dir(newest.join("out/asset-build"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

/// Every hashed URL of the server in br, gzip and identity: the status,
/// the headers that describe the body, and the body.
async fn responses(binary: &Path) -> BTreeMap<String, String> {
    let server = Running::start(binary);
    let list = get_text(&format!("{}/list", server.base)).await;
    let mut out = BTreeMap::new();
    for line in list.lines() {
        let (_, url) = line.split_once(' ').unwrap();
        for coding in ["br", "gzip", "identity"] {
            let r = client()
                .get(format!("{}{url}", server.base))
                .header("accept-encoding", coding)
                .send()
                .await
                .unwrap();
            let mut text = format!("{}", r.status());
            for name in ["content-encoding", "content-type", "content-length", "etag"] {
                text += &format!(" {:?}", r.headers().get(name));
            }
            let body = r.bytes().await.unwrap();
            text += &format!(" {body:?}");
            out.insert(format!("{url} {coding}"), text);
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn linked_and_included_tables_serve_the_same_bytes() {
    let fixture = Fixture::new("packages", "embed-modes");
    fixture.write("assets/css/app.css", "body { color: red }\n".repeat(200));
    fixture.write("assets/js/app.js", "console.log('hi');\n".repeat(100));
    fixture.write(
        "assets/img/noise.bin",
        (0..1_200_000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect::<Vec<u8>>(),
    );
    fixture.write("assets/empty.txt", "");

    let linked = fixture.build_ok();
    let files = output_files(fixture.package());
    assert!(
        files
            .iter()
            .any(|f| f.starts_with("libasset_table_") && f.ends_with(".a")),
        "{files:?}"
    );
    assert!(!files.contains(&"table.bin".to_owned()), "{files:?}");
    let from_linked = responses(&linked).await;
    assert_eq!(from_linked.len(), 4 * 3);
    assert!(from_linked.values().all(|r| r.starts_with("200 OK")));

    let included = fixture
        .build_with_env(&[("ASSET_BUILD_EMBED", "include_bytes")])
        .unwrap_or_else(|f| panic!("{}", f.stderr));
    let files = output_files(fixture.package());
    // The index, then the data in parts of at most 1 MiB, each named by
    // the blobs in it: the 1.2 MB file in one of its own.
    assert!(files.contains(&"table.bin".to_owned()), "{files:?}");
    let parts = files
        .iter()
        .filter(|f| f.starts_with("table.") && f.ends_with(".bin") && *f != "table.bin")
        .count();
    assert!(parts >= 2, "{files:?}");
    assert!(
        !files.iter().any(|f| f.starts_with("libasset_table_")),
        "the library of the linked build is removed: {files:?}"
    );
    assert_eq!(responses(&included).await, from_linked);
}

/// A crate `fixture-<name>` whose binary prints, for each asset of its
/// own table and of a library crate's (an UI kit, say), the logical path,
/// the length and an FNV-1a hash of the bytes, and the text of the
/// stylesheets.
fn app_and_library(name: &str) -> Fixture {
    let root = asset_tests::fixture::workspace();
    let root = root.to_str().unwrap();
    let manifest = |name: &str, deps: &str| {
        format!(
            "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\nasset-runtime = {{ path = \"{root}/asset-runtime\" }}\n{deps}\n\
             [build-dependencies]\nasset-build = {{ path = \"{root}/asset-build\" }}\n"
        )
    };
    let build_rs = "fn main() { asset_build::Pipeline::new(\"assets\").run(); }\n";
    let files: Vec<(String, String)> = vec![
        (
            "Cargo.toml".into(),
            manifest(&format!("fixture-{name}"), "ui-kit = { path = \"ui\" }\n") + "\n[workspace]\n",
        ),
        ("build.rs".into(), build_rs.into()),
        ("assets/app.css".into(), "main { margin: 0 }\n".into()),
        (
            "src/main.rs".into(),
            "asset_runtime::include_assets!();\n\
             fn fnv(bytes: &[u8]) -> u64 {\n\
                 bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))\n\
             }\n\
             fn main() {\n\
                 for table in [&ASSETS, &ui_kit::UI] {\n\
                     for a in table {\n\
                         let text = if a.logical_path().ends_with(\".css\") { String::from_utf8_lossy(a.bytes()).trim().to_owned() } else { String::new() };\n\
                         println!(\"{} {} {:016x} {}\", a.logical_path(), a.bytes().len(), fnv(a.bytes()), text);\n\
                     }\n\
                 }\n\
             }\n"
            .into(),
        ),
        ("ui/Cargo.toml".into(), manifest("ui-kit", "")),
        ("ui/build.rs".into(), build_rs.into()),
        ("ui/assets/ui.css".into(), "button { border: 0 }\n".into()),
        (
            "ui/src/lib.rs".into(),
            "asset_runtime::include_assets!(pub static UI);\n".into(),
        ),
    ];
    Fixture::from_files(name, &files)
}

/// What [`app_and_library`]'s binary prints for `bytes`.
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

fn run(binary: &Path) -> String {
    let output = Command::new(binary).output().unwrap();
    assert!(output.status.success(), "{}", binary.display());
    String::from_utf8(output.stdout).unwrap()
}

/// A library crate with its own assets and an app with its own, in one
/// binary: two tables, two libraries, no clash; and the library's table
/// reaches the app through its rlib.
#[test]
fn a_library_s_table_and_the_app_s_table_link_into_one_binary() {
    let fixture = app_and_library("embed-two");
    let binary = fixture.build_ok();
    assert_eq!(
        run(&binary),
        format!(
            "app.css 19 {:016x} main {{ margin: 0 }}\nui.css 21 {:016x} button {{ border: 0 }}\n",
            fnv(b"main { margin: 0 }\n"),
            fnv(b"button { border: 0 }\n")
        )
    );
}

/// The linked table under every link setup a user may choose, on this
/// target: the default linker, lld, fat LTO, one codegen unit with
/// `panic = "abort"`, and a static glibc. Each binary holds exactly the
/// bytes of both tables, the app's in three libraries (the index, the
/// stylesheet, and the large file in one of its own).
#[test]
fn the_table_links_under_every_link_setup() {
    let fixture = app_and_library("embed-setups");
    // Over 4 MiB: a library of its own, between the others.
    let noise: Vec<u8> = (0..5_000_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    fixture.write("assets/noise.bin", &noise);
    let expected = format!(
        "app.css 19 {:016x} main {{ margin: 0 }}\nnoise.bin 5000000 {:016x} \nui.css 21 {:016x} button {{ border: 0 }}\n",
        fnv(b"main { margin: 0 }\n"),
        fnv(&noise),
        fnv(b"button { border: 0 }\n")
    );
    let check = |setup: &str, binary: PathBuf| {
        assert_eq!(run(&binary), expected, "{setup}");
        binary
    };
    check("the default linker", fixture.build_ok());
    let ok = |r: Result<PathBuf, asset_tests::fixture::BuildFailure>| {
        r.unwrap_or_else(|f| panic!("{}", f.stderr))
    };
    let lld_binary = check(
        "lld",
        ok(fixture.rustc_with(&["-C", "link-arg=-fuse-ld=lld"], &[])),
    );
    let readelf = |args: &[&str], binary: &Path| {
        let output = Command::new("readelf")
            .args(args)
            .arg(binary)
            .output()
            .unwrap();
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let comment = readelf(&["--string-dump=.comment"], &lld_binary);
    assert!(comment.contains("LLD"), "linked by lld: {comment}");
    let static_binary = check(
        "a static glibc",
        ok(fixture.rustc_with(&["-C", "target-feature=+crt-static"], &[])),
    );
    let headers = readelf(&["--program-headers", "--wide"], &static_binary);
    assert!(!headers.contains("INTERP"), "statically linked: {headers}");
    check(
        "fat LTO",
        ok(fixture.build_with_env(&[("CARGO_PROFILE_DEV_LTO", "fat")])),
    );
    check(
        "one codegen unit, panic = abort",
        ok(fixture.build_with_env(&[
            ("CARGO_PROFILE_DEV_CODEGEN_UNITS", "1"),
            ("CARGO_PROFILE_DEV_PANIC", "abort"),
        ])),
    );
}
