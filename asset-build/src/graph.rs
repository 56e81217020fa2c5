//! The reference graph: resolve every reference, name every file by what
//! it serves, and write the rewritten bytes.
//!
//! A file's served bytes contain the hashed names of the files it
//! references, whose names depend on what *they* reference, and so on,
//! possibly in a cycle (a script and its source map name each other). The
//! names are computed without any fixed-point iteration, the way Rollup
//! names chunks:
//!
//! 1. **Placeholder hash.** For each file, SHA-256 over its bytes with
//!    every local reference replaced by a placeholder that names the target
//!    by logical path (and the exact text around the target's hash). It
//!    depends on the file alone. A file without local references: plainly
//!    the SHA-256 of its bytes.
//! 2. **Name hash.** For a file without local references, its placeholder
//!    hash (so the SHA-256 of the bytes it serves). Otherwise SHA-256 over
//!    its own placeholder hash and the sorted, deduplicated placeholder
//!    hashes of every other file it reaches, directly or not. A change to
//!    any reachable file changes that set, so the name changes; cycles
//!    need no special case, as reachability is a set.
//! 3. **Final bytes.** Each reference is replaced by the relative URL of
//!    the target's hashed name (the first 16 hex digits of its name hash).
//!    The served bytes are a function of the placeholder content and the
//!    names of the targets, which the name hash covers.
//!
//! The ETag, SRI and compression cache key come from the final bytes (in
//! `process.rs`), so they always describe what is served.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::Error;
use crate::error::MissingReference;
use crate::glob::GlobSet;
use crate::naming;
use crate::rewrite::url::{self, Resolved};
use crate::rewrite::{self, Kind, Lines, Reference};

/// One asset, as the graph stage sees it.
#[derive(Debug)]
pub struct Node<'a> {
    /// `css/app.css`.
    pub logical: &'a str,
    /// On disk, for messages.
    pub path: &'a Path,
    /// SHA-256 of the bytes as read.
    pub digest: [u8; 32],
    /// The bytes as read, for files that have references.
    pub bytes: &'a [u8],
    /// The references found in `bytes`, in order.
    pub refs: &'a [Reference],
    /// Whether the file keeps its name (already digested by a bundler).
    pub keep_name: bool,
}

/// What the graph stage decided.
#[derive(Debug)]
pub struct Linked {
    /// The served path of each node: hashed, or the logical path kept.
    pub hashed: Vec<String>,
    /// The rewritten bytes of each node with rewritten references; `None`
    /// when the bytes are served as read.
    pub rewritten: Vec<Option<Vec<u8>>>,
    /// How many references of each node were rewritten.
    pub rewrite_counts: Vec<usize>,
    /// One line per missing reference allowed by a pattern.
    pub warnings: Vec<String>,
}

/// A reference that resolved to another asset.
#[derive(Debug)]
struct Edge {
    span: Range<usize>,
    target: usize,
    /// The URL up to the target's hash (`../fonts/icons`), or all of it
    /// when the target keeps its name.
    before: String,
    /// The URL after the hash (`.woff2?#iefix`), escaped for the syntax.
    after: String,
}

/// Runs the three steps over all assets; `nodes` are in logical-path order.
pub fn link(
    nodes: &[Node<'_>],
    prefix_path: &str,
    allow_missing: &GlobSet,
) -> Result<Linked, Error> {
    let index: HashMap<&str, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.logical, i))
        .collect();
    let mut missing = Vec::new();
    let mut warnings = Vec::new();
    let edges: Vec<Vec<Edge>> = nodes
        .iter()
        .map(|node| {
            resolve_node(
                node,
                nodes,
                &index,
                prefix_path,
                allow_missing,
                &mut missing,
                &mut warnings,
            )
        })
        .collect();
    if !missing.is_empty() {
        return Err(Error::MissingReferences(missing));
    }

    let placeholder: Vec<[u8; 32]> = nodes
        .iter()
        .zip(&edges)
        .map(|(node, edges)| placeholder_hash(node, edges, nodes))
        .collect();
    let name_hash = name_hashes(&edges, &placeholder);
    let short: Vec<String> = name_hash
        .iter()
        .map(|h| hex::encode(&h[..naming::NAME_HASH_LEN / 2]))
        .collect();
    let hashed = nodes
        .iter()
        .zip(&short)
        .map(|(node, hash)| {
            if node.keep_name {
                node.logical.to_owned()
            } else {
                naming::hashed_path(node.logical, hash)
            }
        })
        .collect();
    let rewritten = nodes
        .iter()
        .zip(&edges)
        .map(|(node, edges)| {
            (!edges.is_empty()).then(|| final_bytes(node.bytes, edges, nodes, &short))
        })
        .collect();
    Ok(Linked {
        hashed,
        rewritten,
        rewrite_counts: edges.iter().map(Vec::len).collect(),
        warnings,
    })
}

#[allow(clippy::too_many_arguments)]
fn resolve_node(
    node: &Node<'_>,
    nodes: &[Node<'_>],
    index: &HashMap<&str, usize>,
    prefix_path: &str,
    allow_missing: &GlobSet,
    missing: &mut Vec<MissingReference>,
    warnings: &mut Vec<String>,
) -> Vec<Edge> {
    let mut lines = Lines::new(node.bytes);
    let mut edges = Vec::new();
    for r in node.refs {
        if r.kind == Kind::EsImport && !(r.url.starts_with("./") || r.url.starts_with("../")) {
            continue;
        }
        let Some(local) = url::local(&r.url) else {
            continue;
        };
        let target = match url::resolve(node.logical, local.path, prefix_path) {
            Resolved::Outside => continue,
            Resolved::Path(p) => match index.get(p.as_str()) {
                Some(&target) => {
                    let dot_slash = local.path.starts_with("./") || r.kind == Kind::EsImport;
                    let target_node = &nodes[target];
                    let extension =
                        (!target_node.keep_name).then(|| naming::hash_slot(target_node.logical).1);
                    let (before, after) =
                        url::relative(node.logical, target_node.logical, extension, dot_slash);
                    edges.push(Edge {
                        span: r.span.clone(),
                        target,
                        before: rewrite::escape(r.syntax, &before),
                        after: rewrite::escape(r.syntax, &format!("{after}{}", local.suffix)),
                    });
                    continue;
                }
                None => Some(p),
            },
            Resolved::NotAFile(p) => Some(p),
            Resolved::AboveRoot => None,
        };
        // Missing. A source map's `file` is only a label: no error.
        if r.kind == Kind::SourceMapFile {
            continue;
        }
        let line = lines.line_of(r.span.start);
        let subject = target.as_deref().unwrap_or(local.path);
        if let Some(glob) = allow_missing.first_match(subject) {
            warnings.push(format!(
                "{} line {line}: `{}` refers to `{subject}`, which is not an asset; left as written (allowed by `{}`)",
                node.path.display(),
                r.url,
                glob.as_str()
            ));
            continue;
        }
        let expected = target
            .as_deref()
            .and_then(|t| asset_root(node).map(|root| root.join(t)));
        missing.push(MissingReference {
            file: node.path.to_path_buf(),
            line,
            reference: r.url.clone(),
            target,
            expected,
        });
    }
    edges
}

/// The asset folder a node was found in: its path without the logical
/// path's components.
fn asset_root(node: &Node<'_>) -> Option<PathBuf> {
    let depth = node.logical.split('/').count();
    node.path.ancestors().nth(depth).map(Path::to_path_buf)
}

/// Hashes `bytes` framed by a tag and a length, so that no two sequences
/// of pieces hash alike.
fn frame(hasher: &mut Sha256, tag: u8, bytes: &[u8]) {
    hasher.update([tag]);
    hasher.update((bytes.len() as u64).to_le_bytes());
    hasher.update(bytes);
}

/// Step 1.
fn placeholder_hash(node: &Node<'_>, edges: &[Edge], nodes: &[Node<'_>]) -> [u8; 32] {
    if edges.is_empty() {
        return node.digest;
    }
    let mut hasher = Sha256::new();
    hasher.update(b"asset-build placeholder v1\0");
    let mut pos = 0;
    for edge in edges {
        frame(&mut hasher, 0, &node.bytes[pos..edge.span.start]);
        let target = &nodes[edge.target];
        frame(
            &mut hasher,
            if target.keep_name { 2 } else { 1 },
            target.logical.as_bytes(),
        );
        frame(&mut hasher, 3, edge.before.as_bytes());
        frame(&mut hasher, 4, edge.after.as_bytes());
        pos = edge.span.end;
    }
    frame(&mut hasher, 0, &node.bytes[pos..]);
    hasher.finalize().into()
}

/// Step 2: one depth-first walk per file with references.
fn name_hashes(edges: &[Vec<Edge>], placeholder: &[[u8; 32]]) -> Vec<[u8; 32]> {
    let mut seen = vec![false; edges.len()];
    let mut touched = Vec::new();
    let mut stack = Vec::new();
    (0..edges.len())
        .map(|i| {
            if edges[i].is_empty() {
                return placeholder[i];
            }
            stack.extend(edges[i].iter().map(|e| e.target));
            while let Some(j) = stack.pop() {
                if !seen[j] {
                    seen[j] = true;
                    touched.push(j);
                    stack.extend(edges[j].iter().map(|e| e.target));
                }
            }
            let mut reached: Vec<[u8; 32]> = touched
                .iter()
                .filter(|&&j| j != i)
                .map(|&j| placeholder[j])
                .collect();
            for j in touched.drain(..) {
                seen[j] = false;
            }
            reached.sort_unstable();
            reached.dedup();
            let mut hasher = Sha256::new();
            hasher.update(b"asset-build closure v1\0");
            hasher.update(placeholder[i]);
            for h in &reached {
                hasher.update(h);
            }
            hasher.finalize().into()
        })
        .collect()
}

/// Step 3.
fn final_bytes(bytes: &[u8], edges: &[Edge], nodes: &[Node<'_>], short: &[String]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + edges.len() * 17);
    let mut pos = 0;
    for edge in edges {
        out.extend_from_slice(&bytes[pos..edge.span.start]);
        out.extend_from_slice(edge.before.as_bytes());
        if !nodes[edge.target].keep_name {
            out.push(b'.');
            out.extend_from_slice(short[edge.target].as_bytes());
        }
        out.extend_from_slice(edge.after.as_bytes());
        pos = edge.span.end;
    }
    out.extend_from_slice(&bytes[pos..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rewrite::ScanOptions;

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
                    digest: Sha256::digest(bytes).into(),
                    bytes,
                    refs,
                    keep_name: self.keep.is_match(logical),
                })
                .collect();
            let linked = link(&nodes, "/static/", &self.allow)?;
            let served = self
                .files
                .iter()
                .enumerate()
                .map(|(i, (p, b))| {
                    let bytes = linked.rewritten[i].clone().unwrap_or_else(|| b.clone());
                    (
                        p.clone(),
                        (linked.hashed[i].clone(), String::from_utf8(bytes).unwrap()),
                    )
                })
                .collect();
            Ok((served, linked.warnings))
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
                &hex::encode(Sha256::digest(b"font"))[..16]
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
}
