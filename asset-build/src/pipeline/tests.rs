use super::*;
use base64::Engine;
use sha2::{Digest, Sha256, Sha384};
use std::fs;

struct Setup {
    _dir: tempfile::TempDir,
    root: PathBuf,
    out: PathBuf,
}

fn setup(files: &[(&str, &[u8])]) -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("crate");
    for (name, bytes) in files {
        let path = root.join("static").join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }
    let out = dir.path().join("out");
    Setup {
        _dir: dir,
        root,
        out,
    }
}

fn pipeline(s: &Setup) -> Pipeline {
    // Whatever ASSET_BUILD_CACHE the shell has: these count compressions.
    Pipeline::new("static")
        .manifest_dir(&s.root)
        .out_dir(&s.out)
        .no_shared_cache()
}

/// `table.bin`, `table.1.bin`, ... as the generated code lists them.
fn table_parts(out: &Path) -> Vec<Vec<u8>> {
    let code = fs::read_to_string(out.join("asset-build/assets.rs")).unwrap();
    code.split("\"/asset-build/")
        .skip(1)
        .map(|rest| {
            fs::read(
                out.join("asset-build")
                    .join(&rest[..rest.find('"').unwrap()]),
            )
            .unwrap()
        })
        .collect()
}

#[test]
fn include_bytes_parts_hold_whole_blobs_of_at_most_a_mib() {
    // 3 files of 400 KB (stored as they are): two fit in a part, the third
    // starts another; a 1.5 MB file has a part of its own.
    let big = |n: u8, len: usize| {
        (0..len)
            .map(|i| (i as u8).wrapping_mul(n))
            .collect::<Vec<u8>>()
    };
    let (a, b, c, d) = (
        big(3, 400_000),
        big(5, 400_000),
        big(7, 400_000),
        big(11, 1_500_000),
    );
    let s = setup(&[("a.png", &a), ("b.png", &b), ("c.png", &c), ("d.png", &d)]);
    pipeline(&s)
        .embed(crate::Embed::IncludeBytes)
        .build()
        .unwrap();
    let parts = table_parts(&s.out);
    let sizes: Vec<usize> = parts[1..].iter().map(Vec::len).collect();
    assert_eq!(sizes, [800_000, 400_000, 1_500_000], "{sizes:?}");
    let parts: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
    let table = asset_manifest::table::Table::parse_parts(&parts).unwrap();
    for (i, bytes) in [&a, &b, &c, &d].into_iter().enumerate() {
        assert_eq!(
            table.variant(table.asset(i).variants.start).bytes,
            &bytes[..]
        );
    }
    // Fewer files: the parts beyond the new count are removed.
    fs::remove_file(s.root.join("static/d.png")).unwrap();
    fs::remove_file(s.root.join("static/c.png")).unwrap();
    pipeline(&s)
        .embed(crate::Embed::IncludeBytes)
        .build()
        .unwrap();
    assert_eq!(table_parts(&s.out).len(), 2);
    assert!(!s.out.join("asset-build/table.2.bin").exists());
}

fn css() -> Vec<u8> {
    (0..500)
        .map(|i| format!(".c{i} {{ margin: {i}px; }}\n"))
        .collect::<String>()
        .into_bytes()
}

#[test]
fn second_run_compresses_nothing_and_output_is_identical() {
    let s = setup(&[
        ("a.css", &css()),
        ("b.js", b"let x = 1;\n".repeat(200).as_slice()),
    ]);
    let first = pipeline(&s).build().unwrap();
    let codecs = crate::compress::Codec::ALL.len();
    assert_eq!(first.compressions, 2 * codecs);
    assert_eq!(first.cache_hits, 0);
    let code = fs::read(&first.code_path).unwrap();
    let manifest = fs::read(&first.manifest_path).unwrap();

    let second = pipeline(&s).build().unwrap();
    assert_eq!(second.compressions, 0);
    assert_eq!(second.cache_hits, 2 * codecs);
    assert_eq!(fs::read(&second.code_path).unwrap(), code);
    assert_eq!(fs::read(&second.manifest_path).unwrap(), manifest);

    // Editing one file compresses only that file again.
    fs::write(
        s.root.join("static/a.css"),
        [css(), b"/* edit */\n".to_vec()].concat(),
    )
    .unwrap();
    let third = pipeline(&s).build().unwrap();
    assert_eq!((third.compressions, third.cache_hits), (codecs, codecs));
}

#[test]
fn a_second_output_folder_takes_every_compression_from_the_shared_cache() {
    let s = setup(&[
        ("a.css", &css()),
        ("b.js", b"let x = 1;\n".repeat(200).as_slice()),
        ("noise.bin", &crate::compress::pseudo_random(4096)),
    ]);
    let shared = s._dir.path().join("shared");
    let codecs = crate::compress::Codec::ALL.len();
    let debug = pipeline(&s).shared_cache(&shared).build().unwrap();
    assert_eq!(
        (debug.compressions, debug.shared_cache_hits),
        (3 * codecs, 0)
    );

    // Another profile: its own OUT_DIR, the same shared cache.
    let release_out = s._dir.path().join("release-out");
    let release = pipeline(&s)
        .out_dir(&release_out)
        .shared_cache(&shared)
        .build()
        .unwrap();
    assert_eq!(release.compressions, 0);
    assert_eq!(
        release.shared_cache_hits,
        3 * codecs,
        "kept variants and skips alike"
    );
    let blobs = |out: &Path| blobs_of(&out.join("asset-build"));
    assert_eq!(
        blobs(&release_out),
        blobs(&s.out),
        "the same bytes, blob for blob"
    );
    assert_eq!(
        fs::read_to_string(&release.manifest_path).unwrap(),
        fs::read_to_string(&debug.manifest_path).unwrap()
    );

    // A damaged entry is compressed again, never used.
    for shard in fs::read_dir(shared.join("v1")).unwrap() {
        for entry in fs::read_dir(shard.unwrap().path()).unwrap() {
            let path = entry.unwrap().path();
            let mut bytes = fs::read(&path).unwrap();
            if let Some(last) = bytes.last_mut() {
                *last ^= 0xff;
                fs::write(&path, bytes).unwrap();
            }
        }
    }
    let third_out = s._dir.path().join("third-out");
    let third = pipeline(&s)
        .out_dir(&third_out)
        .shared_cache(&shared)
        .build()
        .unwrap();
    assert_eq!(third.compressions, 3 * codecs, "every entry was damaged");
    assert_eq!(blobs(&third_out), blobs(&s.out));
}

#[test]
fn identical_contents_share_one_blob_and_unused_blobs_are_removed() {
    let s = setup(&[("a.css", &css()), ("copy/a.css", &css())]);
    let report = pipeline(&s).build().unwrap();
    assert_eq!(report.assets.len(), 2);
    let codecs = crate::compress::Codec::ALL.len();
    assert_eq!(
        report.compressions, codecs,
        "one compression per codec for two identical files"
    );
    // Both assets point at the same bytes, written once in the table.
    let parts = table_parts(&s.out);
    let parts: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
    let table = asset_manifest::table::Table::parse_parts(&parts).unwrap();
    let (a, b) = (table.asset(0), table.asset(1));
    assert_eq!(a.variants.len(), 1 + codecs);
    for (va, vb) in a.variants.zip(b.variants) {
        assert!(std::ptr::eq(
            table.variant(va).bytes,
            table.variant(vb).bytes
        ));
    }
    let stored: usize = (0..1 + codecs).map(|v| table.variant(v).bytes.len()).sum();
    let data: usize = parts[1..].iter().map(|p| p.len()).sum();
    assert_eq!(data, stored, "each blob once");
    let blobs = || blobs_of(&s.out.join("asset-build")).len();
    assert_eq!(blobs(), 1 + codecs);

    fs::remove_file(s.root.join("static/copy/a.css")).unwrap();
    fs::write(s.root.join("static/a.css"), b"tiny").unwrap();
    let report = pipeline(&s).build().unwrap();
    assert_eq!(report.assets.len(), 1);
    // tiny: identity plus one `.skip` marker per codec; the old blobs
    // are gone.
    assert_eq!(blobs(), 1 + codecs);
    assert!(report.assets[0].compressed.is_empty());
}

#[test]
fn output_does_not_depend_on_where_the_crate_is() {
    let files: &[(&str, &[u8])] = &[("css/a.css", &css()), ("img/x.png", b"\x89PNG fake")];
    let (a, b) = (setup(files), setup(files));
    let ra = pipeline(&a).build().unwrap();
    let rb = pipeline(&b).build().unwrap();
    assert_eq!(
        fs::read(&ra.code_path).unwrap(),
        fs::read(&rb.code_path).unwrap()
    );
    assert_eq!(
        fs::read(&ra.manifest_path).unwrap(),
        fs::read(&rb.manifest_path).unwrap()
    );
    let code = fs::read_to_string(&ra.code_path).unwrap();
    assert!(
        !code.contains(a.root.to_str().unwrap()),
        "no absolute paths in generated code"
    );
}

#[test]
fn a_hashed_name_that_equals_another_file_is_an_error() {
    let s = setup(&[("a.css", b"body{}")]);
    let hashed = pipeline(&s).build().unwrap().assets[0].hashed_path.clone();
    fs::write(s.root.join("static").join(&hashed), b"other").unwrap();
    let err = pipeline(&s).build().unwrap_err();
    let text = err.to_string();
    assert!(text.contains(&format!("`{hashed}`")), "{text}");
    assert!(text.contains("a.css"), "{text}");
}

#[test]
fn report_names_variants_and_urls() {
    let s = setup(&[("css/site.css", &css()), ("img/p.png", &[0u8; 4000])]);
    let report = pipeline(&s)
        .url_prefix("https://cdn.example.com/assets")
        .build()
        .unwrap();
    let css = &report.assets[0];
    assert_eq!(css.logical_path, "css/site.css");
    assert_eq!(
        css.url,
        format!("https://cdn.example.com/assets/{}", css.hashed_path)
    );
    assert_eq!(css.content_type, "text/css; charset=utf-8");
    assert_eq!(
        css.compressed.iter().map(|c| c.0).collect::<Vec<_>>(),
        crate::compress::Codec::ALL.map(|c| c.encoding().token())
    );
    assert!(css.integrity.starts_with("sha384-") && css.integrity.len() == 7 + 64);
    // Already-compressed types are stored once, however compressible.
    assert!(report.assets[1].compressed.is_empty());
    let watched: Vec<_> = report
        .watched
        .iter()
        .map(|p| p.strip_prefix(&s.root).unwrap().to_owned())
        .collect();
    for expected in [
        "static",
        "static/css",
        "static/img",
        "static/css/site.css",
        "static/img/p.png",
    ] {
        assert!(
            watched.contains(&PathBuf::from(expected)),
            "{expected} in {watched:?}"
        );
    }
}

#[test]
fn served_bytes_are_rewritten_and_described_by_etag_and_sri() {
    let s = setup(&[
        ("css/app.css", b"a{background:url(../img/p.png)}"),
        ("img/p.png", b"\x89PNG v1"),
    ]);
    let report = pipeline(&s)
        .url_prefix("https://cdn.example.com/s/")
        .build()
        .unwrap();
    let (css, png) = (&report.assets[0], &report.assets[1]);
    assert_eq!(css.references, 1);
    let served = format!("a{{background:url(../{})}}", png.hashed_path);
    let sha384 = Sha384::digest(served.as_bytes());
    let sri = format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(sha384)
    );
    assert_eq!(css.integrity, sri);
    assert_eq!(css.size, served.len() as u64);
    let sha256 = hex::encode(Sha256::digest(served.as_bytes()));
    assert_eq!(
        blobs_of(&s.out.join("asset-build"))[&sha256],
        served.as_bytes(),
        "the identity blob holds the served bytes"
    );
    let manifest = fs::read_to_string(&report.manifest_path).unwrap();
    assert!(
        manifest.contains(&format!("\"etag\": \"\\\"{}\\\"\"", &sha256[..32])),
        "{manifest}"
    );

    // A new image renames the stylesheet too; the bytes follow.
    fs::write(s.root.join("static/img/p.png"), b"\x89PNG v2").unwrap();
    let again = pipeline(&s).build().unwrap();
    assert_ne!(again.assets[1].hashed_path, png.hashed_path);
    assert_ne!(again.assets[0].hashed_path, css.hashed_path);
    assert_ne!(again.assets[0].integrity, css.integrity);
}

#[test]
fn kept_names_are_one_immutable_path() {
    let s = setup(&[
        (
            "js/app-3f2a1b.digested.js",
            b"run()\n//# sourceMappingURL=app-3f2a1b.digested.js.map\n",
        ),
        (
            "js/app-3f2a1b.digested.js.map",
            br#"{"version":3,"file":"app-3f2a1b.digested.js"}"#,
        ),
        ("js/chunk-77.js", b"x()"),
    ]);
    let report = pipeline(&s).keep_names("js/chunk-*.js").build().unwrap();
    let names: Vec<_> = report
        .assets
        .iter()
        .map(|a| a.hashed_path.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "js/app-3f2a1b.digested.js",
            "js/app-3f2a1b.digested.js.map",
            "js/chunk-77.js"
        ]
    );
    let parts = table_parts(&s.out);
    let parts: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
    let table = asset_manifest::table::Table::parse_parts(&parts).unwrap();
    assert_eq!(table.map().2.len(), 3, "one path per asset");
    for (i, name) in names.iter().enumerate() {
        assert_eq!(table.lookup(name), Some((i, true)));
    }
}

#[test]
fn missing_references_fail_unless_allowed() {
    let s = setup(&[("css/a.css", b"a{}\nb{src:url(../fonts/x.eot?#iefix)}")]);
    let err = pipeline(&s).build().unwrap_err();
    let text = err.to_string();
    assert!(
        matches!(err, Error::MissingReferences(ref m) if m.len() == 1),
        "{err:?}"
    );
    let css = s.root.join("static/css/a.css");
    let font = s.root.join("static/fonts/x.eot");
    assert!(
        text.contains(&format!("{} line 2", css.display())),
        "{text}"
    );
    assert!(text.contains(&font.display().to_string()), "{text}");

    let report = pipeline(&s).allow_missing("fonts/*.eot").build().unwrap();
    assert_eq!(report.warnings.len(), 1);
    assert!(
        report.warnings[0].contains("fonts/x.eot"),
        "{:?}",
        report.warnings
    );
    assert_eq!(report.assets[0].references, 0);

    let err = pipeline(&s).allow_missing("fonts/{x").build().unwrap_err();
    assert!(err.to_string().contains("`fonts/{x`"), "{err}");
}

#[test]
fn dev_mode_reads_nothing_and_lists_paths() {
    let s = setup(&[("css/a.css", &css()), ("img/x.png", b"\x89PNG fake")]);
    let report = pipeline(&s).dev(true).build().unwrap();
    assert_eq!(report.compressions, 0);
    assert!(
        !s.out.join("asset-build/blobs").exists(),
        "no blobs in dev mode"
    );
    let code = fs::read_to_string(&report.code_path).unwrap();
    assert!(code.contains("__new_dev"), "{code}");
    assert!(
        code.contains(&format!(
            "{:?}",
            s.root.join("static/css/a.css").to_str().unwrap()
        )),
        "{code}"
    );
    assert!(!code.contains("include_bytes!"), "{code}");
    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&report.manifest_path).unwrap()).unwrap();
    assert_eq!(manifest["dev"], true);
    assert_eq!(manifest["assets"]["css/a.css"]["url"], "/static/css/a.css");
    assert_eq!(manifest["assets"]["img/x.png"]["content_type"], "image/png");
}

#[test]
fn dev_mode_warns_where_a_release_build_fails() {
    let s = setup(&[
        (
            "css/a.css",
            b"body {\n  background: url(../img/gone.png);\n}\n",
        ),
        ("css/b.css", b"@font-face { src: url(../fonts/x.eot) }"),
        ("img/x.png", b"\x89PNG fake"),
        // A script naming a map that is not there.
        (
            "js/app.js",
            b"let x = 1;\n//# sourceMappingURL=app.js.map\n",
        ),
        // A map's `file` is a label: no error in release, no warning here.
        (
            "js/ok.js.map",
            br#"{"version":3,"file":"gone.js","mappings":""}"#,
        ),
    ]);
    let release = pipeline(&s).build();
    let Err(Error::MissingReferences(missing)) = release else {
        panic!("{release:?}")
    };
    assert_eq!(missing.len(), 3, "{missing:?}");

    // The same references, in the release error's words, as warnings.
    let report = pipeline(&s).dev(true).build().unwrap();
    let expected: Vec<String> = missing
        .iter()
        .map(|m| format!("{m} (a release build fails on this)"))
        .collect();
    assert_eq!(report.warnings, expected);
    let first = &report.warnings[0];
    assert!(
        first.contains(&s.root.join("static/css/a.css").display().to_string())
            && first.contains("line 2")
            && first.contains(&s.root.join("static/img/gone.png").display().to_string()),
        "{first}"
    );
    assert!(
        report.warnings[2].contains("js/app.js line 2")
            && report.warnings[2].contains("app.js.map"),
        "{:?}",
        report.warnings
    );
    // allow_missing silences it as in release.
    let report = pipeline(&s)
        .dev(true)
        .allow_missing("*.eot")
        .build()
        .unwrap();
    assert_eq!(report.warnings.len(), 3);
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.contains("allowed by `*.eot`"))
    );
}

#[test]
fn a_large_incompressible_file_is_stored_as_it_is_and_the_decision_cached() {
    let random = crate::compress::pseudo_random(3 * 1024 * 1024);
    let s = setup(&[("media/clip.bin", &random)]);
    let first = pipeline(&s).build().unwrap();
    assert!(first.assets[0].compressed.is_empty());
    let second = pipeline(&s).build().unwrap();
    assert_eq!(second.compressions, 0, "the skip is cached like any result");
    assert!(second.assets[0].compressed.is_empty());
}

#[test]
fn bad_prefix_and_missing_env() {
    let s = setup(&[("a.css", b"x")]);
    let err = pipeline(&s).url_prefix("static").build().unwrap_err();
    assert!(err.to_string().contains("`static`"), "{err}");
    let err = Pipeline::new("static").manifest_dir(&s.root).build();
    if std::env::var_os("OUT_DIR").is_none() {
        assert!(err.unwrap_err().to_string().contains("OUT_DIR"));
    }
}

/// An export of one earlier release: `manifest.json` and the hashed files.
fn earlier_export(dir: &Path, files: &[(&str, &[u8])]) {
    let mut manifest = asset_manifest::Manifest::new("/static/");
    for (logical, bytes) in files {
        let hashed = crate::hashed_path(logical, "0123456789abcdef");
        manifest.assets.insert(
            (*logical).to_owned(),
            asset_manifest::manifest::ManifestAsset {
                hashed_path: Some(hashed.clone()),
                url: format!("/static/{hashed}"),
                content_type: "text/plain".into(),
                ..Default::default()
            },
        );
        let path = dir.join(&hashed);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }
    fs::write(dir.join("manifest.json"), manifest.to_json()).unwrap();
}

#[test]
fn deltas_against_an_earlier_release_and_the_files_too_large_for_a_window() {
    let css_old: String = (0..400)
        .map(|i| format!(".r{i} {{ margin: {i}px; }}\n"))
        .collect();
    let css_new = css_old.replace(".r200 {", ".r200-new {");
    // 9 MB each: together past the 16 MiB a dcb window holds.
    let big_old = vec![b'a'; 9 << 20];
    let mut big_new = big_old.clone();
    big_new[0] = b'b';
    let s = setup(&[
        ("app.css", css_new.as_bytes()),
        ("big.txt", &big_new),
        (
            "same.txt",
            b"unchanged text, unchanged text, unchanged text\n",
        ),
        ("logo.png", b"\x89PNG not text"),
    ]);
    let earlier = s.root.join("earlier");
    earlier_export(
        &earlier,
        &[
            ("app.css", css_old.as_bytes()),
            ("big.txt", &big_old),
            (
                "same.txt",
                b"unchanged text, unchanged text, unchanged text\n",
            ),
            ("logo.png", b"\x89PNG older"),
        ],
    );
    let report = pipeline(&s).earlier_release("earlier").try_run().unwrap();
    let asset = |l: &str| report.assets.iter().find(|a| a.logical_path == l).unwrap();
    let css = asset("app.css");
    let old_sha = hex::encode(Sha256::digest(css_old.as_bytes()));
    assert_eq!(css.deltas.len(), crate::delta::DeltaCodec::ALL.len());
    assert!(
        css.deltas
            .iter()
            .all(|(_, dict, size)| *dict == old_sha && *size < 100)
    );
    assert_eq!(
        css.use_as_dictionary.as_deref(),
        Some(r#"match="/static/app.*.css", match-dest=("style")"#)
    );
    // Unchanged bytes need no delta; an image offers no dictionary.
    assert!(asset("same.txt").deltas.is_empty());
    assert!(asset("logo.png").deltas.is_empty() && asset("logo.png").use_as_dictionary.is_none());
    // Too large for the dcb window: no delta, and a warning that names it.
    assert!(
        asset("big.txt")
            .deltas
            .iter()
            .all(|(coding, ..)| *coding != "dcb")
    );
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.starts_with("no dcb delta for `big.txt`")),
        "{:?}",
        report.warnings
    );

    // Off: neither the offer nor the deltas.
    let off = setup(&[("app.css", css_new.as_bytes())]);
    earlier_export(
        &off.root.join("earlier"),
        &[("app.css", css_old.as_bytes())],
    );
    let report = pipeline(&off)
        .earlier_release("earlier")
        .dictionaries(false)
        .try_run()
        .unwrap();
    assert!(report.assets[0].deltas.is_empty() && report.assets[0].use_as_dictionary.is_none());
    // Narrowed to other files: none for this one.
    let report = pipeline(&off)
        .earlier_release("earlier")
        .dictionary_files("js/**")
        .try_run()
        .unwrap();
    assert!(report.assets[0].deltas.is_empty() && report.assets[0].use_as_dictionary.is_none());
}

/// Sets a file's modification time (without following a symbolic link's
/// target: the file itself).
fn set_mtime(path: &Path, time: std::time::SystemTime) {
    fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(time)
        .unwrap();
}

fn sri(bytes: &[u8]) -> String {
    format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(Sha384::digest(bytes))
    )
}

/// Unchanged files are not read again; every way of changing one is seen,
/// and the served bytes, their SRI and their blob are the new ones.
#[test]
fn unchanged_files_are_not_reread_and_every_edit_is_seen() {
    let old = |c: u8| vec![c; 4096];
    let s = setup(&[
        ("same-size.bin", &old(b'a')),
        ("restored-mtime.bin", &old(b'b')),
        ("replaced.bin", &old(b'c')),
        ("plain.css", b"body { color: red }"),
        ("untouched.bin", &old(b'e')),
    ]);
    let static_dir = s.root.join("static");
    let other = s.root.join("other");
    fs::create_dir_all(&other).unwrap();
    fs::write(other.join("one.css"), b"a { margin: 1px }").unwrap();
    fs::write(other.join("two.css"), b"a { margin: 2px }").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(other.join("one.css"), static_dir.join("linked.css")).unwrap();
    // An hour ago: outside the window in which a rewrite could hide.
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for entry in fs::read_dir(&static_dir)
        .unwrap()
        .chain(fs::read_dir(&other).unwrap())
    {
        set_mtime(&entry.unwrap().path(), hour_ago);
    }

    let first = pipeline(&s).build().unwrap();
    assert_eq!(first.unread, 0);
    let second = pipeline(&s).build().unwrap();
    assert_eq!(
        second.unread,
        first.assets.len(),
        "nothing changed, nothing read"
    );
    assert_eq!(
        fs::read(&second.code_path).unwrap(),
        fs::read(&first.code_path).unwrap()
    );

    // The same size, the same bytes elsewhere.
    let new = |c: u8| vec![c; 4096];
    fs::write(static_dir.join("same-size.bin"), new(b'A')).unwrap();
    // The same size and the old modification time put back.
    fs::write(static_dir.join("restored-mtime.bin"), new(b'B')).unwrap();
    set_mtime(&static_dir.join("restored-mtime.bin"), hour_ago);
    // Replaced by a rename, same size, same modification time.
    fs::write(s.root.join("replacement"), new(b'C')).unwrap();
    set_mtime(&s.root.join("replacement"), hour_ago);
    fs::rename(s.root.join("replacement"), static_dir.join("replaced.bin")).unwrap();
    // The symbolic link retargeted to a file of the same size and time.
    #[cfg(unix)]
    {
        fs::remove_file(static_dir.join("linked.css")).unwrap();
        std::os::unix::fs::symlink(other.join("two.css"), static_dir.join("linked.css")).unwrap();
    }

    let third = pipeline(&s).build().unwrap();
    let expected: Vec<(&str, Vec<u8>)> = vec![
        #[cfg(unix)]
        ("linked.css", b"a { margin: 2px }".to_vec()),
        ("plain.css", b"body { color: red }".to_vec()),
        ("replaced.bin", new(b'C')),
        ("restored-mtime.bin", new(b'B')),
        ("same-size.bin", new(b'A')),
        ("untouched.bin", old(b'e')),
    ];
    assert_eq!(third.assets.len(), expected.len());
    for (asset, (logical, bytes)) in third.assets.iter().zip(&expected) {
        assert_eq!(asset.logical_path, *logical);
        assert_eq!(asset.integrity, sri(bytes), "{logical}");
        let blob = hex::encode(Sha256::digest(bytes));
        assert_eq!(
            blobs_of(&s.out.join("asset-build"))[&blob],
            *bytes,
            "{logical}"
        );
    }
    // The two files nobody touched were not read.
    assert_eq!(third.unread, 2);
}

/// A file rewritten right after the run that read it may keep its size and
/// times (within one tick of the file system's clock): it is read again
/// on the next run, however its metadata looks.
#[test]
fn a_file_modified_just_before_it_was_read_is_read_again() {
    let s = setup(&[("fresh.bin", b"12345678")]);
    let first = pipeline(&s).build().unwrap();
    let second = pipeline(&s).build().unwrap();
    assert_eq!(
        (first.unread, second.unread),
        (0, 0),
        "modified within the racy window"
    );
    set_mtime(
        &s.root.join("static/fresh.bin"),
        std::time::SystemTime::now() - std::time::Duration::from_secs(60),
    );
    pipeline(&s).build().unwrap();
    assert_eq!(pipeline(&s).build().unwrap().unread, 1);
}

/// A damaged memo, or one whose blob is gone, only costs a read.
#[test]
fn a_damaged_memo_or_a_missing_blob_means_reading_again() {
    let s = setup(&[("a.bin", b"abcdefgh")]);
    set_mtime(
        &s.root.join("static/a.bin"),
        std::time::SystemTime::now() - std::time::Duration::from_secs(60),
    );
    let first = pipeline(&s).build().unwrap();
    assert_eq!(pipeline(&s).build().unwrap().unread, 1);
    fs::write(
        s.out.join("asset-build").join(crate::memo::FILE),
        b"{ not json",
    )
    .unwrap();
    let again = pipeline(&s).build().unwrap();
    assert_eq!(again.unread, 0);
    assert_eq!(again.assets[0].integrity, first.assets[0].integrity);
    assert_eq!(pipeline(&s).build().unwrap().unread, 1);
    // The blob is in a part of the table; that part removed by hand.
    let blob = hex::encode(Sha256::digest(b"abcdefgh"));
    let output = s.out.join("asset-build");
    let store = crate::BlobStore::read_only(&output).unwrap();
    let part = &store.packed(&blob).expect("the blob is in the table").file;
    fs::remove_file(output.join(part)).unwrap();
    let restored = pipeline(&s).build().unwrap();
    assert_eq!(restored.unread, 0);
    assert_eq!(blobs_of(&output)[&blob], b"abcdefgh");
}

/// The libraries of a linked table (for x86-64 Linux): a large file's own
/// library is not written again when another file changes, and the parts
/// hold the index and every blob once, in order.
#[test]
fn a_large_file_keeps_its_library_when_another_file_changes() {
    let video: Vec<u8> = (0..5_000_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let s = setup(&[
        ("a.css", b"a { color: red }"),
        ("video.mp4", &video),
        ("z.txt", b"zzz"),
    ]);
    let libraries = |out: &Path| -> Vec<(String, std::time::SystemTime)> {
        let mut found: Vec<_> = table_libraries(&out.join("asset-build"))
            .into_iter()
            .map(|e| {
                (
                    e.file_name().into_string().unwrap(),
                    e.metadata().unwrap().modified().unwrap(),
                )
            })
            .collect();
        found.sort();
        found
    };
    crate::link::target::TEST_TARGET.with(|t| {
        *t.borrow_mut() = Some(crate::link::Target::parse_for_tests(
            "x86_64-unknown-linux-gnu",
        ));
    });
    let linked = || pipeline(&s).embed(crate::Embed::Link).build().unwrap();
    let first = linked();
    let before = libraries(&s.out);
    // The index, the run before the video, the video, the run after it.
    assert_eq!(before.len(), 4, "{before:?}");
    let code = fs::read_to_string(&first.code_path).unwrap();
    assert_eq!(code.matches("#[link(name").count(), 4, "{code}");
    assert!(code.contains("static PART_2: [u8; 5000000];"), "{code}");

    fs::write(s.root.join("static/a.css"), b"a { color: blue; }").unwrap();
    linked();
    let after = libraries(&s.out);
    assert_eq!(after.len(), 4, "{after:?}");
    let kept: Vec<_> = after.iter().filter(|lib| before.contains(lib)).collect();
    // The video's and the last run's (z.txt) libraries, untouched; the
    // index and the stylesheet's run are new, the old ones removed.
    assert_eq!(kept.len(), 2, "{before:?} {after:?}");
}

/// The linked table's libraries in an output folder.
fn table_libraries(output: &Path) -> Vec<fs::DirEntry> {
    fs::read_dir(output)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("libasset_table_")
        })
        .collect()
}

/// Every blob of an output folder, by name, wherever the build keeps it.
fn blobs_of(output: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let store = crate::BlobStore::read_only(output).unwrap();
    store
        .names()
        .into_iter()
        .map(|name| {
            let bytes = store.read(&name).unwrap();
            (name, bytes)
        })
        .collect()
}

/// The bytes of every file under `dir`, recursively.
fn bytes_under(dir: &Path) -> u64 {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .map(|e| {
            let meta = e.metadata().unwrap();
            if meta.is_dir() {
                bytes_under(&e.path())
            } else {
                meta.len()
            }
        })
        .sum()
}

/// A linked table is the store of the blobs it holds: the output folder
/// holds their bytes once, every blob still reads back the same, an edit
/// copies what it keeps from the old libraries, a library removed by hand
/// is rebuilt, and a switch to `include_bytes!` finds every blob.
#[test]
fn a_linked_table_holds_the_stored_bytes_once() {
    let video: Vec<u8> = (0..3_000_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let css = "a { color: red; margin: 0 auto; padding: 1em }\n".repeat(400);
    let s = setup(&[
        ("a.css", css.as_bytes()),
        ("video.mp4", &video),
        ("z.txt", b"zzz"),
    ]);
    crate::link::target::TEST_TARGET.with(|t| {
        *t.borrow_mut() = Some(crate::link::Target::parse_for_tests(
            "x86_64-unknown-linux-gnu",
        ));
    });
    let output = s.out.join("asset-build");
    // What each blob holds, from a build that keeps them all loose.
    let reference = tempfile::tempdir().unwrap();
    let expected = || {
        pipeline(&s)
            .out_dir(reference.path())
            .embed(crate::Embed::IncludeBytes)
            .build()
            .unwrap();
        blobs_of(&reference.path().join("asset-build"))
    };
    let first = expected();
    let stored: u64 = first.values().map(|b| b.len() as u64).sum();
    assert!(first.len() >= 5, "identity and compressed blobs: {first:?}");
    let check_once = |when: &str| {
        assert!(blobs_of(&output) == first, "{when}");
        let on_disk = bytes_under(&output);
        assert!(
            on_disk as f64 <= stored as f64 * 1.1,
            "{when}: {on_disk} bytes in the output folder for {stored} stored"
        );
        // Only empty markers are left loose.
        for entry in fs::read_dir(output.join("blobs")).unwrap() {
            assert_eq!(entry.unwrap().metadata().unwrap().len(), 0, "{when}");
        }
    };
    let linked = || pipeline(&s).embed(crate::Embed::Link).build().unwrap();
    linked();
    check_once("first build");
    linked();
    check_once("unchanged");

    // An edit: the new stylesheet's blobs are packed, the old ones gone,
    // the others copied out of the old library or kept in theirs.
    let edited = css.replace("red", "blue");
    fs::write(s.root.join("static/a.css"), &edited).unwrap();
    linked();
    let expected = expected();
    let check = |when: &str| assert!(blobs_of(&output) == expected, "{when}");
    check("after an edit");

    // A library removed by hand: its blobs are missing, so the next build
    // reads the files again and writes it anew.
    let video_library = table_libraries(&output)
        .into_iter()
        .max_by_key(|e| e.metadata().unwrap().len())
        .unwrap()
        .path();
    fs::remove_file(&video_library).unwrap();
    let rebuilt = linked();
    assert!(rebuilt.unread < 3, "the video is read again");
    assert!(video_library.is_file());
    check("after a library was removed");

    // To include_bytes!: the parts are copied out of the libraries, which
    // go, and hold the blobs in their turn, once.
    pipeline(&s)
        .embed(crate::Embed::IncludeBytes)
        .build()
        .unwrap();
    check("include_bytes! after linked");
    let stored: u64 = expected.values().map(|b| b.len() as u64).sum();
    let on_disk = bytes_under(&output);
    assert!(
        on_disk as f64 <= stored as f64 * 1.1,
        "include_bytes!: {on_disk} bytes in the output folder for {stored} stored"
    );
    assert_eq!(table_parts(&s.out), table_parts(reference.path()));
    assert!(table_libraries(&output).is_empty());
}
