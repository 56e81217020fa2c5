use std::collections::BTreeSet;
use std::fs;

use asset_manifest::manifest::{Manifest, ManifestAsset, ObjectMeta};
use asset_manifest::release::Release;

use super::*;

fn wanted(paths: &[&str]) -> BTreeSet<String> {
    paths.iter().map(|p| (*p).to_owned()).collect()
}

fn export(dir: &Path, files: &[(&str, &str, &[u8])]) {
    let mut manifest = Manifest::new("/static/");
    for (logical, hashed, bytes) in files {
        manifest.assets.insert(
            (*logical).to_owned(),
            ManifestAsset {
                hashed_path: Some((*hashed).to_owned()),
                url: format!("/static/{hashed}"),
                content_type: "text/css".into(),
                ..ManifestAsset::default()
            },
        );
        let path = dir.join(hashed);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }
    fs::write(dir.join("manifest.json"), manifest.to_json()).unwrap();
}

#[test]
fn an_export_gives_its_hashed_files_by_logical_path() {
    let dir = tempfile::tempdir().unwrap();
    export(
        dir.path(),
        &[
            ("css/app.css", "css/app.0123456789abcdef.css", b"old"),
            ("js/x.js", "js/x.0123456789abcdef.js", b"x"),
        ],
    );
    let mut warnings = Vec::new();
    let versions = read_folder(dir.path(), &wanted(&["css/app.css"]), 3, &mut warnings);
    assert_eq!(
        versions,
        [Version {
            logical: "css/app.css".into(),
            path: dir.path().join("css/app.0123456789abcdef.css"),
        }]
    );
    assert!(warnings.is_empty(), "{warnings:?}");
    let loaded = load(versions, 1 << 20, &mut warnings);
    assert_eq!(
        loaded[0].1.sha,
        *asset_manifest::Fingerprint::of(b"old").digest()
    );
}

#[test]
fn bad_folders_are_warnings_that_name_them() {
    let root = tempfile::tempdir().unwrap();
    let want = wanted(&["css/app.css"]);
    let check = |dir: &Path, expect: &str| {
        let mut warnings = Vec::new();
        assert!(read_folder(dir, &want, 3, &mut warnings).is_empty());
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains(expect), "{warnings:?}");
        assert!(
            warnings[0].contains(&dir.display().to_string()),
            "{warnings:?}"
        );
    };
    check(&root.path().join("missing"), "is not a folder");
    let empty = root.path().join("empty");
    fs::create_dir(&empty).unwrap();
    check(&empty, "is not a release");
    let other = root.path().join("other");
    fs::create_dir(&other).unwrap();
    export(&other, &[("main.css", "main.0123456789abcdef.css", b"x")]);
    check(&other, "shares no file");
    let broken = root.path().join("broken");
    fs::create_dir(&broken).unwrap();
    fs::write(broken.join("manifest.json"), "{").unwrap();
    check(&broken, "cannot be read");

    // Partial: the files it lacks are named, the rest are used.
    let partial = root.path().join("partial");
    fs::create_dir(&partial).unwrap();
    export(
        &partial,
        &[("css/app.css", "css/app.0123456789abcdef.css", b"x")],
    );
    fs::remove_file(partial.join("css/app.0123456789abcdef.css")).unwrap();
    let mut warnings = Vec::new();
    assert!(read_folder(&partial, &want, 3, &mut warnings).is_empty());
    assert!(warnings[0].contains("lacks 1 file"), "{warnings:?}");
    assert!(
        warnings[0].contains("app.0123456789abcdef.css"),
        "{warnings:?}"
    );
}

#[test]
fn a_bucket_copy_gives_the_newest_releases_first() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("manifests")).unwrap();
    let meta = |encoding: Option<&str>| ObjectMeta {
        content_type: "text/css".into(),
        cache_control: asset_manifest::IMMUTABLE.into(),
        content_encoding: encoding.map(str::to_owned),
        etag: "\"x\"".into(),
        size: 1,
    };
    for (n, hash) in [
        (1u64, "1111111111111111"),
        (2, "2222222222222222"),
        (3, "3333333333333333"),
    ] {
        let key = format!("css/my%20app.{hash}.css");
        fs::create_dir_all(dir.path().join("css")).unwrap();
        fs::write(dir.path().join(&key), format!("v{n}")).unwrap();
        let release = Release {
            version: asset_manifest::release::VERSION,
            release: format!("{n:032x}"),
            published_at_ms: n,
            url_prefix: "/static/".into(),
            objects: [
                (key.clone(), meta(None)),
                (format!("{key}.br"), meta(Some("br"))),
            ]
            .into_iter()
            .collect(),
        };
        fs::write(
            dir.path().join(format!("manifests/{n:032x}.json")),
            release.to_json(),
        )
        .unwrap();
    }
    let mut warnings = Vec::new();
    let versions = read_folder(dir.path(), &wanted(&["css/my app.css"]), 2, &mut warnings);
    assert!(warnings.is_empty(), "{warnings:?}");
    let files: Vec<_> = versions
        .iter()
        .map(|v| fs::read_to_string(&v.path).unwrap())
        .collect();
    assert_eq!(files, ["v3", "v2"]);
}

#[test]
fn the_history_keeps_the_newest_releases_and_their_bytes_only() {
    let cache = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let history = History::new(cache.path(), &[PathBuf::from("/app/static")]);
    let store = crate::store::BlobStore::open(files.path(), None).unwrap();
    let release = |text: &str| {
        let print = asset_manifest::Fingerprint::of(text.as_bytes());
        store.put(print.hex(), text.as_bytes()).unwrap();
        vec![("app.css".to_owned(), *print.digest())]
    };
    let read = |h: &History| -> Vec<String> {
        h.versions()
            .iter()
            .map(|v| fs::read_to_string(&v.path).unwrap())
            .collect()
    };
    history.record(&release("one"), &store, 2);
    history.record(&release("two"), &store, 2);
    // The same release again adds nothing.
    history.record(&release("two"), &store, 2);
    assert_eq!(read(&history), ["two", "one"]);
    history.record(&release("three"), &store, 2);
    assert_eq!(read(&history), ["three", "two"]);
    let blobs = fs::read_dir(history.dir.join("blobs")).unwrap().count();
    assert_eq!(blobs, 2, "the bytes of dropped releases are removed");
    // Another app's history is its own.
    let other = History::new(cache.path(), &[PathBuf::from("/other/static")]);
    assert!(other.versions().is_empty());
}
