use super::*;
use std::fs;

fn tree(files: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for f in files {
        let p = dir.path().join(f);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(&p, f.as_bytes()).unwrap();
    }
    dir
}

fn logicals(found: &Found) -> Vec<&str> {
    found.sources.keys().map(String::as_str).collect()
}

#[test]
fn walks_recursively_with_slash_paths_and_skips_junk() {
    let dir = tree(&[
        "css/app.css",
        "js/vendor/lib.js",
        "a.txt",
        ".DS_Store",
        ".hidden/x.css",
        "img/Thumbs.db",
        "img/logo.svg",
        "img/logo.svg~",
    ]);
    let found = walk(&[dir.path().to_path_buf()], false).unwrap();
    assert_eq!(
        logicals(&found),
        ["a.txt", "css/app.css", "img/logo.svg", "js/vendor/lib.js"]
    );
    assert_eq!(found.folders.len(), 5, "{:?}", found.folders);
}

#[test]
fn hidden_files_on_request() {
    let dir = tree(&[".well-known/security.txt", ".DS_Store"]);
    let found = walk(&[dir.path().to_path_buf()], true).unwrap();
    assert_eq!(logicals(&found), [".DS_Store", ".well-known/security.txt"]);
}

#[test]
fn several_folders_share_one_namespace() {
    let a = tree(&["css/app.css"]);
    let b = tree(&["js/app.js"]);
    let found = walk(&[a.path().to_path_buf(), b.path().to_path_buf()], false).unwrap();
    assert_eq!(logicals(&found), ["css/app.css", "js/app.js"]);

    let c = tree(&["css/app.css"]);
    let err = walk(&[a.path().to_path_buf(), c.path().to_path_buf()], false).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("`css/app.css`"), "{text}");
    assert!(
        text.contains(&a.path().join("css/app.css").display().to_string()),
        "{text}"
    );
    assert!(
        text.contains(&c.path().join("css/app.css").display().to_string()),
        "{text}"
    );
}

#[test]
fn missing_folder_and_file_as_folder() {
    let dir = tree(&["file.txt"]);
    let missing = dir.path().join("nope");
    let err = walk(std::slice::from_ref(&missing), false).unwrap_err();
    assert!(matches!(err, Error::MissingFolder(ref p) if *p == missing));
    assert!(err.to_string().contains("nope"));
    let file = dir.path().join("file.txt");
    assert!(matches!(walk(&[file], false), Err(Error::NotAFolder(_))));
}

#[cfg(unix)]
#[test]
fn symlinks_are_followed_and_loops_are_errors() {
    let dir = tree(&["real/a.css", "other/b.css"]);
    std::os::unix::fs::symlink(dir.path().join("other"), dir.path().join("real/linked")).unwrap();
    let found = walk(&[dir.path().join("real")], false).unwrap();
    assert_eq!(logicals(&found), ["a.css", "linked/b.css"]);

    std::os::unix::fs::symlink(dir.path().join("real"), dir.path().join("real/loop")).unwrap();
    let err = walk(&[dir.path().join("real")], false).unwrap_err();
    assert!(matches!(err, Error::SymlinkLoop { .. }), "{err:?}");
    assert!(err.to_string().contains("loop"), "{err}");
}

#[cfg(unix)]
#[test]
fn broken_symlink_is_unreadable() {
    let dir = tree(&["a.css"]);
    std::os::unix::fs::symlink(
        dir.path().join("missing.css"),
        dir.path().join("broken.css"),
    )
    .unwrap();
    let err = walk(&[dir.path().to_path_buf()], false).unwrap_err();
    assert!(matches!(err, Error::Unreadable { .. }), "{err:?}");
    assert!(err.to_string().contains("broken.css"), "{err}");
}

#[cfg(unix)]
#[test]
fn non_utf8_names_are_errors() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tree(&["a.css"]);
    let name = std::ffi::OsStr::from_bytes(b"bad\xffname.css");
    fs::write(dir.path().join(name), b"x").unwrap();
    let err = walk(&[dir.path().to_path_buf()], false).unwrap_err();
    assert!(matches!(err, Error::NonUtf8Name(_)), "{err:?}");
}
