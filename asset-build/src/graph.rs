//! The reference graph: resolve every reference and name every file by what
//! it serves; the references are then rewritten to those names
//! ([`rewrite::apply`]).
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
//! 3. **Final bytes** ([`rewrite::apply`]). Each reference is replaced by
//!    the relative URL of the target's hashed name (the first 16 hex
//!    digits of its name hash).
//!    The served bytes are a function of the placeholder content and the
//!    names of the targets, which the name hash covers.
//!
//! The ETag, SRI and compression cache key come from the final bytes (in
//! `stages.rs`), so they always describe what is served.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::hash::Sha256;

use crate::Error;
use crate::error::MissingReference;
use crate::glob::GlobSet;
use crate::rewrite::url::{self, Resolved};
use crate::rewrite::{self, Kind, Lines, Reference, Replacement};
use asset_manifest::{Fingerprint, naming};

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
pub struct Named {
    /// The served path of each node: hashed, or the logical path kept.
    pub served_paths: Vec<String>,
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
pub fn name(
    nodes: &[Node<'_>],
    prefix_path: &str,
    allow_missing: &GlobSet,
) -> Result<Named, Error> {
    let mut resolver = Resolver::new(nodes, prefix_path, allow_missing);
    let edges: Vec<Vec<Edge>> = nodes.iter().map(|node| resolver.resolve(node)).collect();
    if !resolver.missing.is_empty() {
        return Err(Error::MissingReferences(resolver.missing));
    }

    let placeholder: Vec<[u8; 32]> = nodes
        .iter()
        .zip(&edges)
        .map(|(node, edges)| placeholder_hash(node, edges, nodes))
        .collect();
    let short: Vec<String> = name_hashes(&edges, &placeholder)
        .into_iter()
        .map(|h| Fingerprint::from_digest(h).name_hash().to_owned())
        .collect();
    let served_paths = nodes
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
            (!edges.is_empty()).then(|| {
                let replacements = edges.iter().map(|edge| Replacement {
                    span: edge.span.clone(),
                    before: &edge.before,
                    hash: (!nodes[edge.target].keep_name).then_some(short[edge.target].as_str()),
                    after: &edge.after,
                });
                rewrite::apply(node.bytes, replacements)
            })
        })
        .collect();
    Ok(Named {
        served_paths,
        rewritten,
        rewrite_counts: edges.iter().map(Vec::len).collect(),
        warnings: resolver.warnings,
    })
}

/// Development mode: the references that name no asset (errors of a
/// release build) and the warnings for those an `allow_missing` glob
/// allows, without naming anything. `nodes` need no digest.
pub fn missing_references(
    nodes: &[Node<'_>],
    prefix_path: &str,
    allow_missing: &GlobSet,
) -> (Vec<MissingReference>, Vec<String>) {
    let mut resolver = Resolver::new(nodes, prefix_path, allow_missing);
    for node in nodes {
        resolver.resolve(node);
    }
    (resolver.missing, resolver.warnings)
}

/// Step 0: each reference resolved against the table, or collected as
/// missing (an error) or allowed (a warning).
struct Resolver<'n, 'a> {
    nodes: &'n [Node<'a>],
    /// Logical path -> node.
    index: HashMap<&'a str, usize>,
    prefix_path: &'n str,
    allow_missing: &'n GlobSet,
    missing: Vec<MissingReference>,
    warnings: Vec<String>,
}

impl<'n, 'a> Resolver<'n, 'a> {
    fn new(nodes: &'n [Node<'a>], prefix_path: &'n str, allow_missing: &'n GlobSet) -> Self {
        Resolver {
            nodes,
            index: nodes
                .iter()
                .enumerate()
                .map(|(i, n)| (n.logical, i))
                .collect(),
            prefix_path,
            allow_missing,
            missing: Vec::new(),
            warnings: Vec::new(),
        }
    }

    fn resolve(&mut self, node: &Node<'_>) -> Vec<Edge> {
        let mut lines = Lines::new(node.bytes);
        let mut edges = Vec::new();
        for r in node.refs {
            if r.kind == Kind::EsImport && !(r.url.starts_with("./") || r.url.starts_with("../")) {
                continue;
            }
            let Some(local) = url::local(&r.url) else {
                continue;
            };
            let target = match url::resolve(node.logical, local.path, self.prefix_path) {
                Resolved::Outside => continue,
                Resolved::Path(p) => match self.index.get(p.as_str()) {
                    Some(&target) => {
                        let dot_slash = local.path.starts_with("./") || r.kind == Kind::EsImport;
                        let target_node = &self.nodes[target];
                        let extension = (!target_node.keep_name)
                            .then(|| naming::hash_slot(target_node.logical).1);
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
            if let Some(glob) = self.allow_missing.first_match(subject) {
                self.warnings.push(format!(
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
            self.missing.push(MissingReference {
                file: node.path.to_path_buf(),
                line,
                reference: r.url.clone(),
                target,
                expected,
            });
        }
        edges
    }
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
    hasher.finalize()
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
            hasher.finalize()
        })
        .collect()
}

#[cfg(test)]
mod tests;
