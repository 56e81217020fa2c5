//! Reference rewriting on real third-party packages, downloaded from the npm
//! registry with `npm pack` (pinned versions, cached under
//! `target/npm-cache`), built into a user's crate (`tests/fixtures/packages`)
//! and served over loopback:
//!
//! | package | what it exercises |
//! |---|---|
//! | `bootstrap` 5.3.3 `dist/` | `/*# sourceMappingURL */` and `//# sourceMappingURL` with `.map` files (cycles through `file`), SVG `data:` URIs |
//! | `font-awesome` 4.7.0 `css/`, `fonts/` | `@font-face` `src` lists in single quotes, `?v=4.7.0`, `?#iefix&v=4.7.0`, `#fontawesomeregular`, a source map |
//! | `katex` 0.16.11 `dist/` | 120 unquoted font `url()`s in two stylesheets, ES modules importing `../katex.mjs` (with `rewrite_js_imports`) |
//! | `leaflet` 1.9.4 `dist/` | unquoted image `url()`s, `url(#default#VML)`, a map whose `file` names no file |
//!
//! The served files are checked with a scanner of their own, simpler than
//! the pipeline's tokenizer, so that the two check each other.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use asset_tests::fixture::{Fixture, Running, copy_dir, workspace};
use asset_tests::{client, get_text};
use reqwest::Url;
use sha2::{Digest, Sha256};

/// A package, pinned, and the folders of it that are served, as
/// `(folder in the package, folder under the package's own name)`.
struct Package {
    name: &'static str,
    version: &'static str,
    take: &'static [(&'static str, &'static str)],
}

const PACKAGES: &[Package] = &[
    Package {
        name: "bootstrap",
        version: "5.3.3",
        take: &[("dist", "")],
    },
    Package {
        name: "font-awesome",
        version: "4.7.0",
        take: &[("css", "css"), ("fonts", "fonts")],
    },
    Package {
        name: "katex",
        version: "0.16.11",
        take: &[("dist", "")],
    },
    Package {
        name: "leaflet",
        version: "1.9.4",
        take: &[("dist", "")],
    },
];

/// `npm pack <name>@<version>`, extracted; the package's folder. Safe to
/// call from several test processes at once: each extracts into a folder
/// of its own and renames it into place.
fn npm_package(name: &str, version: &str) -> PathBuf {
    let cache = workspace().join("target").join("npm-cache");
    let key = format!("{}-{version}", name.replace('/', "+"));
    let dir = cache.join(&key);
    let package = dir.join("package");
    if package.join("package.json").is_file() {
        return package;
    }
    let tmp = cache.join(format!(".tmp-{key}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).unwrap();
    let spec = format!("{name}@{version}");
    let out = Command::new("npm")
        .args(["pack", "--silent", &spec, "--pack-destination"])
        .arg(&tmp)
        .output()
        .expect("npm runs");
    assert!(
        out.status.success(),
        "npm pack {spec} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tarball = std::fs::read_dir(&tmp)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "tgz"))
        .expect("npm pack wrote a tarball");
    let status = Command::new("tar")
        .arg("-xzf")
        .arg(&tarball)
        .arg("-C")
        .arg(&tmp)
        .status()
        .expect("tar runs");
    assert!(status.success(), "tar -xzf {}", tarball.display());
    std::fs::remove_file(&tarball).unwrap();
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(tmp.join("package/package.json")).unwrap()).unwrap();
    assert_eq!(manifest["version"], version, "{spec}");
    if std::fs::rename(&tmp, &dir).is_err() {
        // Another process got there first.
        std::fs::remove_dir_all(&tmp).unwrap();
        assert!(package.join("package.json").is_file());
    }
    package
}

/// All packages side by side, one folder each: the asset folder of the
/// tests, assembled once.
fn site() -> PathBuf {
    let key: Vec<String> = PACKAGES
        .iter()
        .map(|p| format!("{}-{}", p.name, p.version))
        .collect();
    let root = workspace().join("target").join("npm-site");
    let dir = root.join(key.join("+"));
    if dir.is_dir() {
        return dir;
    }
    let tmp = root.join(format!(".tmp-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    for p in PACKAGES {
        let package = npm_package(p.name, p.version);
        for (from, to) in p.take {
            copy_dir(&package.join(from), &tmp.join(p.name).join(to));
        }
    }
    if std::fs::rename(&tmp, &dir).is_err() {
        std::fs::remove_dir_all(&tmp).unwrap();
    }
    dir
}

/// Every file under `dir`, by `/`-separated path.
fn files(dir: &Path) -> BTreeMap<String, PathBuf> {
    fn walk(dir: &Path, prefix: &str, out: &mut BTreeMap<String, PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name().into_string().unwrap();
            let logical = format!("{prefix}{name}");
            if entry.file_type().unwrap().is_dir() {
                walk(&entry.path(), &format!("{logical}/"), out);
            } else {
                out.insert(logical, entry.path());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, "", &mut out);
    out
}

/// A fixture crate serving the packages, with these pipeline settings.
fn fixture(name: &str, settings: &str) -> Fixture {
    let fixture = Fixture::new("packages", name);
    copy_dir(&site(), &fixture.path("assets"));
    fixture.write("settings.txt", settings);
    fixture
}

/// The running server and what it serves: logical path -> hashed URL.
async fn serve(fixture: &Fixture) -> (Running, BTreeMap<String, String>) {
    let server = Running::start(&fixture.build_ok());
    let list = get_text(&format!("{}/list", server.base)).await;
    let table = list
        .lines()
        .map(|l| {
            let (logical, url) = l.split_once(' ').unwrap();
            (logical.to_owned(), url.to_owned())
        })
        .collect();
    (server, table)
}

/// The references in a file, found the simple way: comments stripped
/// (source-map comments kept), then `url(`, `@import "`, the trailing
/// `//# sourceMappingURL=`, ES `import`/`export ... from` lines, a map's
/// `file`.
fn references(logical: &str, text: &str) -> Vec<String> {
    let extension = logical.rsplit('.').next().unwrap();
    match extension {
        "css" => css_references(text),
        "js" | "mjs" => js_references(text),
        "map" => serde_json::from_str::<serde_json::Value>(text).unwrap()["file"]
            .as_str()
            .map(|f| vec![f.to_owned()])
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

fn css_references(css: &str) -> Vec<String> {
    let mut refs = Vec::new();
    let mut code = String::new();
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        code.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after.find("*/").unwrap_or(after.len());
        if let Some(url) = after[..end].trim().strip_prefix("# sourceMappingURL=") {
            refs.push(url.trim().to_owned());
        }
        rest = after.get(end + 2..).unwrap_or("");
    }
    code.push_str(rest);
    let lower = code.to_ascii_lowercase();
    let mut i = 0;
    while let Some(found) = lower[i..].find("url(") {
        let start = i + found + 4;
        let inner = code[start..].trim_start();
        let skipped = code.len() - start - inner.len();
        let (url, used) = match inner.chars().next() {
            Some(q @ ('"' | '\'')) => {
                let end = inner[1..].find(q).unwrap();
                (&inner[1..1 + end], end + 2)
            }
            _ => {
                let end = inner.find(')').unwrap();
                (inner[..end].trim(), end)
            }
        };
        refs.push(url.to_owned());
        i = start + skipped + used;
    }
    let mut rest = code.as_str();
    while let Some(at) = rest.find("@import") {
        rest = rest[at + 7..].trim_start();
        if let Some(q @ ('"' | '\'')) = rest.chars().next() {
            let end = rest[1..].find(q).unwrap();
            refs.push(rest[1..1 + end].to_owned());
        }
    }
    refs
}

fn js_references(js: &str) -> Vec<String> {
    let mut refs: Vec<String> = js
        .lines()
        .filter(|l| l.starts_with("import ") || l.starts_with("export "))
        .filter_map(|l| {
            let (_, spec) = l.split_once(" from ")?;
            let q = spec.chars().next()?;
            Some(spec[1..].split(q).next()?.to_owned())
        })
        .filter(|spec| spec.starts_with("./") || spec.starts_with("../"))
        .collect();
    let last = js.trim_end().lines().last().unwrap_or("");
    if let Some(url) = last.strip_prefix("//# sourceMappingURL=") {
        refs.push(url.to_owned());
    }
    refs
}

/// Whether a reference may name a file of the package (not `data:`,
/// `https:`, `//host`, `#fragment`).
fn is_local(url: &str) -> bool {
    let first = url.split(['/', '?', '#']).next().unwrap();
    !(url.is_empty() || url.starts_with('#') || url.starts_with("//") || first.contains(':'))
}

/// The logical path a URL names, resolved against the URL of `from`.
fn logical_of(from: &Url, reference: &str) -> String {
    let url = from.join(reference).unwrap();
    let path = url.path().strip_prefix("/static/").unwrap();
    let mut bytes = Vec::new();
    let mut rest = path.as_bytes();
    while let Some((&b, tail)) = rest.split_first() {
        match (b, tail.get(..2).and_then(|h| std::str::from_utf8(h).ok())) {
            (b'%', Some(hex)) if u8::from_str_radix(hex, 16).is_ok() => {
                bytes.push(u8::from_str_radix(hex, 16).unwrap());
                rest = &tail[2..];
            }
            _ => {
                bytes.push(b);
                rest = tail;
            }
        }
    }
    String::from_utf8(bytes).unwrap()
}

/// Which package a logical path belongs to.
fn package_of(logical: &str) -> &str {
    logical.split('/').next().unwrap()
}

/// The same pipeline run into two output folders sharing one compression
/// cache: the second compresses nothing and stores, blob for blob, the
/// bytes the first compressed itself (what a second profile gets).
#[test]
fn the_shared_compression_cache_changes_no_served_byte() {
    let site = site();
    let work = workspace().join("target").join("npm-shared-cache");
    let _ = std::fs::remove_dir_all(&work);
    let build = |out: &str| {
        asset_build::Pipeline::new(&site)
            .rewrite_js_imports(true)
            .out_dir(work.join(out))
            .shared_cache(work.join("cache"))
            .try_run()
            .unwrap()
    };
    let cold = build("first");
    assert!(cold.compressions > 200, "{}", cold.compressions);
    assert_eq!(cold.shared_cache_hits, 0);
    let second = build("second");
    assert_eq!(second.compressions, 0);
    assert_eq!(second.shared_cache_hits, cold.compressions);
    // The code, the manifest, and the table's parts (the test runs the
    // pipeline outside cargo, so the table comes in through include_bytes!).
    let outputs = |out: &str| -> BTreeMap<String, PathBuf> {
        files(&work.join(out).join("asset-build"))
            .into_iter()
            // files.json is the memo of when each file was read, not output.
            .filter(|(name, _)| !name.starts_with("blobs/") && name != "files.json")
            .collect()
    };
    let (first, second) = (outputs("first"), outputs("second"));
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    assert!(first.contains_key("table.bin") && first.contains_key("assets.rs"));
    for (name, path) in &first {
        assert!(
            std::fs::read(path).unwrap() == std::fs::read(&second[name]).unwrap(),
            "{name} differs"
        );
    }
    // Every blob, wherever each build keeps it (in the table's parts, or
    // loose).
    let store = |out: &str| asset_build::BlobStore::read_only(&work.join(out).join("asset-build"));
    let (first, second) = (store("first").unwrap(), store("second").unwrap());
    assert_eq!(first.names(), second.names());
    assert!(first.names().len() > 200);
    for name in first.names() {
        assert!(
            first.read(&name).unwrap() == second.read(&name).unwrap(),
            "blob {name} differs"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_reference_in_every_served_file_names_a_hashed_asset() {
    let site = site();
    let sources = files(&site);
    let fixture = fixture("npm-serve", "rewrite_js_imports\n");
    let (server, table) = serve(&fixture).await;
    assert_eq!(
        table.keys().collect::<Vec<_>>(),
        sources.keys().collect::<Vec<_>>(),
        "every file is served"
    );
    let base = Url::parse(&server.base).unwrap();
    // Package -> (rewritten, left alone because external, data: URIs).
    let mut counts: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    let mut fetched: BTreeSet<String> = BTreeSet::new();
    for (logical, url) in &table {
        if !["css", "js", "mjs", "map"].contains(&logical.rsplit('.').next().unwrap()) {
            continue;
        }
        let served_url = base.join(url).unwrap();
        let response = client().get(served_url.clone()).send().await.unwrap();
        assert_eq!(response.status(), 200, "{url}");
        let served = response.text().await.unwrap();
        let source = std::fs::read_to_string(&sources[logical]).unwrap();
        let logical_url = base.join(&format!("/static/{logical}")).unwrap();

        let before = references(logical, &source);
        let after = references(logical, &served);
        assert_eq!(before.len(), after.len(), "{logical}: {after:?}");
        let count = counts.entry(package_of(logical)).or_default();
        for (old, new) in before.iter().zip(&after) {
            if !is_local(old) {
                // data:, https:, #fragment: byte for byte as in the source.
                assert_eq!(old, new, "{logical}");
                if old.starts_with("data:") {
                    count.2 += 1;
                } else {
                    count.1 += 1;
                }
                continue;
            }
            let target = logical_of(&logical_url, old);
            let Some(target_url) = table.get(&target) else {
                // Only a source map's `file` may name no file (leaflet's
                // says `dist/leaflet.js.map`): it is left as written.
                assert!(
                    logical.ends_with(".map"),
                    "{logical}: `{old}` names no asset"
                );
                assert_eq!(old, new, "{logical}");
                count.1 += 1;
                continue;
            };
            let resolved = served_url.join(new).unwrap();
            assert_eq!(resolved.path(), target_url, "{logical}: `{old}` -> `{new}`");
            assert_ne!(
                *target_url,
                format!("/static/{target}"),
                "{logical}: `{new}` is hashed"
            );
            // The query and fragment are kept exactly.
            let suffix = |u: &str| u.find(['?', '#']).map(|i| u[i..].to_owned());
            assert_eq!(suffix(old), suffix(new), "{logical}");
            count.0 += 1;
            if fetched.insert(resolved.path().to_owned()) {
                let r = client().get(resolved.clone()).send().await.unwrap();
                assert_eq!(r.status(), 200, "{resolved}");
                assert_eq!(
                    r.headers()["cache-control"],
                    "public, max-age=31536000, immutable",
                    "{resolved}"
                );
            }
        }
    }
    println!(
        "package: rewritten / left alone (external, fragment, unresolved map file) / data: URIs"
    );
    for (package, (rewritten, alone, data)) in &counts {
        println!("{package}: {rewritten} / {alone} / {data}");
    }
    // The versions are pinned, so the counts are exact:
    // - bootstrap: 16 stylesheets and 6 scripts name their maps, 11 maps
    //   name their file (the minified ones have no `file`); 92 SVG data:
    //   URIs stay as they are;
    // - font-awesome: 6 font URLs in each of two stylesheets, and the map;
    // - katex: 20 fonts x 3 formats in each of two stylesheets, and 4
    //   modules that import `../katex.mjs`;
    // - leaflet: 3 images, 3 scripts naming their maps, 2 maps naming
    //   their script; `url(#default#VML)` and the map whose `file` is
    //   `dist/leaflet.js.map` stay as they are.
    let expected = BTreeMap::from([
        ("bootstrap", (33, 0, 92)),
        ("font-awesome", (13, 0, 0)),
        ("katex", (124, 0, 0)),
        ("leaflet", (8, 2, 0)),
    ]);
    assert_eq!(counts, expected);

    // Every response the server gives for every hashed URL in each coding,
    // digested: status, the headers that describe the body, and the body;
    // identity and gzip in one digest, brotli in another. Every brotli body
    // also decodes to the identity body.
    let (mut plain, mut br) = (Sha256::new(), Sha256::new());
    for url in table.values() {
        let mut identity = None;
        for coding in ["identity", "gzip", "br"] {
            let r = client()
                .get(base.join(url).unwrap())
                .header("accept-encoding", coding)
                .send()
                .await
                .unwrap();
            let digest = if coding == "br" { &mut br } else { &mut plain };
            digest.update(format!("{url} {coding} {}\n", r.status()));
            let encoded = r.headers().get("content-encoding").cloned();
            for name in ["content-encoding", "content-type", "content-length", "etag"] {
                let value = r
                    .headers()
                    .get(name)
                    .map(|v| v.to_str().unwrap().to_owned());
                digest.update(format!("{name}: {value:?}\n"));
            }
            let body = r.bytes().await.unwrap();
            digest.update(&body);
            if coding == "identity" {
                identity = Some(body);
            } else if coding == "br" && encoded.is_some_and(|e| e == "br") {
                let mut decoded = Vec::new();
                brotli_decompressor::BrotliDecompress(&mut &body[..], &mut decoded).unwrap();
                assert!(
                    identity.as_deref() == Some(&decoded[..]),
                    "{url}: the brotli body decodes to the identity body"
                );
            }
        }
    }
    assert_eq!(
        [
            format!("{:x}", plain.finalize()),
            format!("{:x}", br.finalize())
        ],
        SERVED_DIGESTS,
        "the bytes served for the npm packages changed"
    );
}

/// See the end of `every_reference_in_every_served_file_names_a_hashed_asset`:
/// identity and gzip, then brotli. The first was recorded before the table
/// became bytes (`asset_manifest::table`), when every blob was its own
/// static, and has not changed since; the second when brotli moved from the
/// brotli crate to Google's encoder (brotli 1.2.0), which encodes the same
/// inputs into other (valid, slightly smaller) streams.
const SERVED_DIGESTS: [&str; 2] = [
    "dd59dfb62e918ffb93443a0b891641645d4a07fd313bb68d7d9c0d4af2606d34",
    "1b2dad05322d7aa366576fb1b4223be345250af5e7ec2070c5ec4a4e5fbab343",
];

#[tokio::test(flavor = "multi_thread")]
async fn changing_one_font_renames_exactly_the_files_that_reach_it() {
    let site = site();
    let sources = files(&site);
    let font = "font-awesome/fonts/fontawesome-webfont.woff2";

    // What reaches the font, by this test's own reading of the sources.
    let mut reached_by: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (logical, path) in &sources {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let base = Url::parse(&format!("http://x/static/{logical}")).unwrap();
        for r in references(logical, &text).iter().filter(|r| is_local(r)) {
            let target = logical_of(&base, r);
            if sources.contains_key(&target) {
                reached_by
                    .entry(target)
                    .or_default()
                    .insert(logical.clone());
            }
        }
    }
    let mut expected: BTreeSet<String> = BTreeSet::from([font.to_owned()]);
    let mut todo = vec![font.to_owned()];
    while let Some(t) = todo.pop() {
        for r in reached_by.get(&t).into_iter().flatten() {
            if expected.insert(r.clone()) {
                todo.push(r.clone());
            }
        }
    }
    assert!(expected.contains("font-awesome/css/font-awesome.css"));
    assert!(expected.contains("font-awesome/css/font-awesome.min.css"));
    assert!(
        expected.contains("font-awesome/css/font-awesome.css.map"),
        "the map names the stylesheet: {expected:?}"
    );

    let fixture = fixture("npm-font", "");
    let (server, before) = serve(&fixture).await;
    drop(server);
    let mut bytes = std::fs::read(&sources[font]).unwrap();
    bytes.extend_from_slice(b"\0");
    fixture.write(&format!("assets/{font}"), bytes);
    let (_server, after) = serve(&fixture).await;

    let changed: BTreeSet<String> = before
        .iter()
        .filter(|(logical, url)| after[*logical] != **url)
        .map(|(logical, _)| logical.clone())
        .collect();
    assert_eq!(changed, expected);
    // Of the 21 stylesheets, the 19 of the other packages keep their names.
    let stylesheets: Vec<&String> = before.keys().filter(|l| l.ends_with(".css")).collect();
    assert_eq!(stylesheets.len(), 21);
    assert_eq!(
        stylesheets
            .iter()
            .filter(|l| !changed.contains(**l))
            .count(),
        19
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_reference_fails_the_build_and_an_allowed_one_is_left_alone() {
    let fixture = Fixture::new("packages", "npm-missing");
    fixture.write(
        "assets/vendor/css/icons.css",
        "@font-face {\n  font-family: i;\n  src: url('../fonts/icons.eot?#iefix') format('embedded-opentype'),\n       url(../fonts/icons.woff2) format('woff2');\n}\n",
    );
    fixture.write("assets/vendor/fonts/icons.woff2", "woff2");
    let failure = fixture.build().expect_err("the build fails");
    let css = fixture.path("assets/vendor/css/icons.css");
    let eot = fixture.path("assets/vendor/fonts/icons.eot");
    for needle in [
        format!("{} line 3", css.display()),
        "`../fonts/icons.eot?#iefix`".to_owned(),
        eot.display().to_string(),
        ".allow_missing(".to_owned(),
    ] {
        assert!(
            failure.stderr.contains(&needle),
            "{needle} in:\n{}",
            failure.stderr
        );
    }
    assert!(!failure.stderr.contains("panicked"), "{}", failure.stderr);

    fixture.write("settings.txt", "allow_missing vendor/**/*.eot\n");
    let (server, table) = serve(&fixture).await;
    let css = client()
        .get(format!("{}{}", server.base, table["vendor/css/icons.css"]))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let woff2 = table["vendor/fonts/icons.woff2"]
        .rsplit('/')
        .next()
        .unwrap();
    assert!(
        css.contains("url('../fonts/icons.eot?#iefix')"),
        "left as written:\n{css}"
    );
    assert!(css.contains(&format!("url(../fonts/{woff2})")), "{css}");
}
