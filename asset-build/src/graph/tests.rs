use super::*;
use crate::rewrite::ScanOptions;
use sha2::Digest;

/// logical path -> (served path, served bytes)
type Served = HashMap<String, (String, String)>;

/// A little asset tree in memory.
struct Tree {
    files: Vec<(String, Vec<u8>)>,
    keep: GlobSet,
    allow: GlobSet,
    js_imports: bool,
}

impl Tree {
    fn new(files: &[(&str, &str)]) -> Tree {
        let mut files: Vec<(String, Vec<u8>)> = files
            .iter()
            .map(|(p, b)| (p.to_string(), b.as_bytes().to_vec()))
            .collect();
        files.sort();
        Tree {
            files,
            keep: GlobSet::new(&["*.digested.*"]).unwrap(),
            allow: GlobSet::default(),
            js_imports: false,
        }
    }

    fn set(&mut self, path: &str, bytes: &str) {
        let slot = self.files.iter_mut().find(|(p, _)| p == path).unwrap();
        slot.1 = bytes.as_bytes().to_vec();
    }

    /// What each file is served as, and the warnings.
    fn link(&self) -> Result<(Served, Vec<String>), Error> {
        let refs: Vec<Vec<Reference>> = self
            .files
            .iter()
            .map(|(p, b)| {
                rewrite::scan(
                    p,
                    b,
                    ScanOptions {
                        js_imports: self.js_imports,
                    },
                )
            })
            .collect();
        let paths: Vec<PathBuf> = self
            .files
            .iter()
            .map(|(p, _)| Path::new("/site/static").join(p))
            .collect();
        let nodes: Vec<Node<'_>> = self
            .files
            .iter()
            .zip(&refs)
            .zip(&paths)
            .map(|(((logical, bytes), refs), path)| Node {
                logical,
                path,
                digest: sha2::Sha256::digest(bytes).into(),
                bytes,
                refs,
                keep_name: self.keep.is_match(logical),
            })
            .collect();
        let named = name(&nodes, "/static/", &self.allow)?;
        let served = self
            .files
            .iter()
            .enumerate()
            .map(|(i, (p, b))| {
                let bytes = named.rewritten[i].clone().unwrap_or_else(|| b.clone());
                (
                    p.clone(),
                    (
                        named.served_paths[i].clone(),
                        String::from_utf8(bytes).unwrap(),
                    ),
                )
            })
            .collect();
        Ok((served, named.warnings))
    }

    fn served(&self) -> Served {
        self.link().unwrap().0
    }
}

fn hashed(served: &Served, p: &str) -> String {
    served[p].0.clone()
}

fn file_of(path: &str) -> &str {
    path.rsplit('/').next().unwrap()
}

#[test]
fn css_references_become_relative_hashed_names() {
    let tree = Tree::new(&[
        (
            "css/app.css",
            "@font-face{src:url(../fonts/i.woff2?#iefix) format(\"woff2\")}\na{b:url('../img/a b.png')}\nc{d:url(data:image/png;base64,AA==)}\n/*# sourceMappingURL=app.css.map */",
        ),
        (
            "css/app.css.map",
            r#"{"version":3,"file":"app.css","sources":[],"mappings":""}"#,
        ),
        ("fonts/i.woff2", "font"),
        ("img/a b.png", "png"),
    ]);
    let served = tree.served();
    let (css_path, css) = &served["css/app.css"];
    let font = hashed(&served, "fonts/i.woff2");
    let img = hashed(&served, "img/a b.png");
    let map = hashed(&served, "css/app.css.map");
    assert_eq!(
        *css,
        format!(
            "@font-face{{src:url(../{font}?#iefix) format(\"woff2\")}}\na{{b:url('../{}')}}\nc{{d:url(data:image/png;base64,AA==)}}\n/*# sourceMappingURL={} */",
            img.replace(' ', "%20"),
            file_of(&map)
        )
    );
    let (_, map_bytes) = &served["css/app.css.map"];
    assert!(
        map_bytes.contains(&format!("\"file\":\"{}\"", file_of(css_path))),
        "{map_bytes}"
    );
    // A file without references is named by the SHA-256 of its bytes.
    assert_eq!(
        font,
        format!(
            "fonts/i.{}.woff2",
            &hex::encode(sha2::Sha256::digest(b"font"))[..16]
        )
    );
}

#[test]
fn a_change_reaches_every_file_that_reaches_it_and_no_other() {
    let mut tree = Tree::new(&[
        ("a.css", "@import 'b.css';"),
        ("b.css", "@import url(sub/c.css);"),
        ("sub/c.css", "x{y:url(../font.woff2)}"),
        ("font.woff2", "v1"),
        ("other.css", "x{y:url(img.png)}"),
        ("img.png", "png"),
    ]);
    let before = tree.served();
    tree.set("font.woff2", "v2");
    let after = tree.served();
    let changed: Vec<&str> = [
        "a.css",
        "b.css",
        "sub/c.css",
        "font.woff2",
        "other.css",
        "img.png",
    ]
    .into_iter()
    .filter(|p| before[*p].0 != after[*p].0)
    .collect();
    assert_eq!(changed, ["a.css", "b.css", "sub/c.css", "font.woff2"]);
    // And the served bytes name the new files all the way down.
    assert!(after["a.css"].1.contains(file_of(&after["b.css"].0)));
    assert!(after["b.css"].1.contains(&after["sub/c.css"].0));
    assert!(after["sub/c.css"].1.contains(&after["font.woff2"].0));
}

#[test]
fn cycles_are_named_without_iteration() {
    let mut tree = Tree::new(&[
        ("js/app.js", "run()\n//# sourceMappingURL=app.js.map\n"),
        (
            "js/app.js.map",
            r#"{"version":3,"file":"app.js","mappings":"AAAA"}"#,
        ),
        ("a.css", "x{y:url(b.css)} z{w:url(font.woff2)}"),
        ("b.css", "x{y:url(a.css)}"),
        ("self.css", "x{y:url(self.css#frag)}"),
        ("font.woff2", "v1"),
    ]);
    let before = tree.served();
    // The script and its map name each other's final names.
    let (js, js_bytes) = &before["js/app.js"];
    let (map, map_bytes) = &before["js/app.js.map"];
    assert!(js_bytes.ends_with(&format!("sourceMappingURL={}\n", file_of(map))));
    assert!(map_bytes.contains(&format!("\"file\":\"{}\"", file_of(js))));
    // A file that names itself carries its own hashed name.
    let (own, own_bytes) = &before["self.css"];
    assert_eq!(*own_bytes, format!("x{{y:url({own}#frag)}}"));
    // Both sides of a cycle change when something either reaches does.
    tree.set("font.woff2", "v2");
    let after = tree.served();
    assert_ne!(before["a.css"].0, after["a.css"].0);
    assert_ne!(before["b.css"].0, after["b.css"].0);
    assert_eq!(before["js/app.js"].0, after["js/app.js"].0);
    assert_eq!(before["self.css"].0, after["self.css"].0);
    // A change on one side of a cycle renames both sides.
    tree.set(
        "js/app.js.map",
        r#"{"version":3,"file":"app.js","mappings":"AAAB"}"#,
    );
    let again = tree.served();
    assert_ne!(after["js/app.js"].0, again["js/app.js"].0);
    assert_ne!(after["js/app.js.map"].0, again["js/app.js.map"].0);
}

#[test]
fn names_are_stable_and_depend_on_content_not_order() {
    let files = [
        ("a.css", "x{y:url(b.png)}"),
        ("b.png", "png"),
        ("c.css", "x{y:url(b.png)}"),
    ];
    let one = Tree::new(&files).served();
    let mut reversed = files;
    reversed.reverse();
    assert_eq!(one, Tree::new(&reversed).served());
    // Identical bytes in the same folder give the same hash.
    assert_eq!(
        one["a.css"].0.trim_start_matches("a."),
        one["c.css"].0.trim_start_matches("c.")
    );
}

#[test]
fn renaming_a_target_renames_the_referrer() {
    let a = Tree::new(&[("a.css", "x{y:url(b.png)}"), ("b.png", "png")]).served();
    let b = Tree::new(&[("a.css", "x{y:url(c.png)}"), ("c.png", "png")]).served();
    assert_ne!(a["a.css"].0, b["a.css"].0);
}

#[test]
fn kept_names_stay_and_are_referenced_as_they_are() {
    let tree = Tree::new(&[
        (
            "js/app-3f2a1b.digested.js",
            "x()\n//# sourceMappingURL=app-3f2a1b.digested.js.map",
        ),
        (
            "js/app-3f2a1b.digested.js.map",
            r#"{"file":"app-3f2a1b.digested.js"}"#,
        ),
        ("css/a.css", "x{y:url(../js/app-3f2a1b.digested.js)}"),
    ]);
    let served = tree.served();
    assert_eq!(
        hashed(&served, "js/app-3f2a1b.digested.js"),
        "js/app-3f2a1b.digested.js"
    );
    assert_eq!(
        served["js/app-3f2a1b.digested.js"].1,
        "x()\n//# sourceMappingURL=app-3f2a1b.digested.js.map"
    );
    assert_eq!(
        served["css/a.css"].1,
        "x{y:url(../js/app-3f2a1b.digested.js)}"
    );
    assert_ne!(hashed(&served, "css/a.css"), "css/a.css");
}

#[test]
fn absolute_and_external_urls() {
    let tree = Tree::new(&[
        (
            "css/app.css",
            "a{b:url(/static/img/x.png)} c{d:url(/other/y.png)} e{f:url(https://cdn.example/z.png)} g{h:url(//host/z.png)} i{j:url(#f)} k{l:url(about:blank)}",
        ),
        ("img/x.png", "png"),
    ]);
    let served = tree.served();
    let x = hashed(&served, "img/x.png");
    assert_eq!(
        served["css/app.css"].1,
        format!(
            "a{{b:url(../{x})}} c{{d:url(/other/y.png)}} e{{f:url(https://cdn.example/z.png)}} g{{h:url(//host/z.png)}} i{{j:url(#f)}} k{{l:url(about:blank)}}"
        )
    );
}

#[test]
fn missing_references_name_both_files_and_the_line() {
    let tree = Tree::new(&[
        (
            "css/app.css",
            "a{}\n\nb{c:url(../fonts/gone.woff2)}\nd{e:url(../../../up.png)}\n",
        ),
        ("css/app.css.map", r#"{"file":"not-here.css"}"#),
    ]);
    let Err(Error::MissingReferences(missing)) = tree.link() else {
        panic!("missing references are errors");
    };
    assert_eq!(missing.len(), 2, "{missing:?}");
    assert_eq!(missing[0].file, Path::new("/site/static/css/app.css"));
    assert_eq!(missing[0].line, 3);
    assert_eq!(missing[0].target.as_deref(), Some("fonts/gone.woff2"));
    assert_eq!(
        missing[0].expected.as_deref(),
        Some(Path::new("/site/static/fonts/gone.woff2"))
    );
    assert_eq!((missing[1].line, missing[1].target.as_deref()), (4, None));
    let text = Error::MissingReferences(missing).to_string();
    assert!(text.contains("/site/static/css/app.css line 3: `../fonts/gone.woff2` refers to /site/static/fonts/gone.woff2, which does not exist"), "{text}");
    assert!(
        text.contains("line 4: `../../../up.png` leads out of the asset folder"),
        "{text}"
    );
    assert!(
        text.contains(".allow_missing(\"fonts/gone.woff2\")"),
        "{text}"
    );
}

#[test]
fn allowed_missing_references_warn_and_stay() {
    let mut tree = Tree::new(&[(
        "css/app.css",
        "a{b:url(../fonts/x.eot?#iefix)}\nc{d:url(../fonts/x.woff)}",
    )]);
    tree.allow = GlobSet::new(&["*.eot"]).unwrap();
    assert!(matches!(tree.link(), Err(Error::MissingReferences(m)) if m.len() == 1));
    tree.allow = GlobSet::new(&["*.eot", "fonts/**"]).unwrap();
    let (served, warnings) = tree.link().unwrap();
    assert_eq!(
        served["css/app.css"].1,
        "a{b:url(../fonts/x.eot?#iefix)}\nc{d:url(../fonts/x.woff)}"
    );
    assert_eq!(warnings.len(), 2);
    assert!(
        warnings[0].contains("app.css line 1: `../fonts/x.eot?#iefix` refers to `fonts/x.eot`"),
        "{}",
        warnings[0]
    );
    assert!(
        warnings[0].contains("allowed by `*.eot`"),
        "{}",
        warnings[0]
    );
    assert!(
        warnings[1].contains("line 2") && warnings[1].contains("`fonts/**`"),
        "{}",
        warnings[1]
    );
}

#[test]
fn es_module_specifiers_on_request() {
    let mut tree = Tree::new(&[
        (
            "js/main.js",
            "import a from './lib/a.js';\nimport b from 'bare';\nconst c = import(\"../shared/c.js\");\n",
        ),
        ("js/lib/a.js", "export default 1;"),
        ("shared/c.js", "export default 2;"),
    ]);
    let source = "import a from './lib/a.js';\nimport b from 'bare';\nconst c = import(\"../shared/c.js\");\n";
    assert_eq!(tree.served()["js/main.js"].1, source, "off by default");
    tree.js_imports = true;
    let served = tree.served();
    assert_eq!(
        served["js/main.js"].1,
        format!(
            "import a from './lib/{}';\nimport b from 'bare';\nconst c = import(\"../{}\");\n",
            file_of(&served["js/lib/a.js"].0),
            served["shared/c.js"].0
        )
    );
    // Same folder: `./` stays, or bare specifier semantics would apply.
    let mut tree = Tree::new(&[
        ("m.js", "import '../m2.js'; import './m2.js';"),
        ("m2.js", ""),
    ]);
    tree.js_imports = true;
    assert!(
        matches!(tree.link(), Err(Error::MissingReferences(m)) if m.len() == 1 && m[0].target.is_none())
    );
    let mut tree = Tree::new(&[("d/m.js", "import '../d/m2.js';"), ("d/m2.js", "")]);
    tree.js_imports = true;
    let served = tree.served();
    assert!(
        served["d/m.js"].1.starts_with("import './m2."),
        "{}",
        served["d/m.js"].1
    );
}

#[test]
fn escapes_in_the_source_are_rewritten_cleanly() {
    let tree = Tree::new(&[
        (
            "a.css",
            r#"x{y:url(my\ img.png?a\29 b)} z{w:url("my img.png?q\"")}"#,
        ),
        ("my img.png", "png"),
    ]);
    let served = tree.served();
    let img = hashed(&served, "my img.png").replace(' ', "%20");
    assert_eq!(
        served["a.css"].1,
        format!(r#"x{{y:url({img}?a\29 b)}} z{{w:url("{img}?q\22 ")}}"#)
    );
}
