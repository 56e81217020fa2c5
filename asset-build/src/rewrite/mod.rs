//! References between assets: found by scanning (stage 2), rewritten to
//! hashed names once every name is known (stage 3, [`apply`]).
//!
//! Each scanner reads one kind of file and returns the [`Reference`]s in it,
//! in byte order, each with the byte range of the URL as written and the
//! URL after the file's own escapes are undone:
//!
//! | file | references | module |
//! |---|---|---|
//! | `.css` | `url(...)`, `@import "..."`, strings in `image-set(...)`, `/*# sourceMappingURL=... */` | [`css`] |
//! | `.js`, `.mjs`, `.cjs` | the trailing `//# sourceMappingURL=...`; optionally `import`/`export ... from "./x.js"`, `import "./x.js"`, `import("./x.js")` | [`js`] |
//! | `.map` | the `file` field of a source map | [`source_map`] |
//!
//! Which URLs are local and what they resolve to is decided in [`url`];
//! the graph stage (`graph.rs`) resolves them and names every file, and
//! [`apply`] writes the references with those names, escaped for their
//! syntax ([`escape`]). Scanners never fail: malformed input yields fewer
//! references, never an error or a panic.

pub mod css;
pub mod js;
pub mod source_map;
pub mod url;

use std::ops::Range;

/// One reference found in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The bytes of the URL as written: inside the quotes or parentheses,
    /// without surrounding whitespace.
    pub span: Range<usize>,
    /// The URL with the file's escapes undone.
    pub url: String,
    /// How a replacement must be written at `span`.
    pub syntax: Syntax,
    /// What kind of reference it is.
    pub kind: Kind,
}

/// The syntax around a reference, which decides how a replacement is
/// escaped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// A CSS `url(...)` without quotes.
    CssUnquoted,
    /// A CSS string in these quotes.
    CssString(u8),
    /// A JavaScript string literal in these quotes.
    JsString(u8),
    /// A JSON string.
    JsonString,
    /// The URL of a `sourceMappingURL` comment: it ends at whitespace.
    Comment,
}

/// What kind of reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// CSS `url(...)`, also inside `@import`, `@font-face` `src` and
    /// `image-set()`.
    CssUrl,
    /// CSS `@import "..."`.
    CssImport,
    /// A string inside CSS `image-set()`.
    CssImageSet,
    /// `sourceMappingURL` in a CSS or JavaScript comment.
    SourceMappingUrl,
    /// The `file` field of a source map. It only names the generated file
    /// and nothing loads it, so a `file` that names no asset is left as it
    /// is, without an error.
    SourceMapFile,
    /// An ES module specifier (`import`/`export ... from`, `import()`).
    /// Only relative specifiers (`./`, `../`) are references; bare ones
    /// (`lodash`) name packages.
    EsImport,
}

/// Which scanners run on which files.
#[derive(Debug, Clone, Copy, Default)]
pub struct ScanOptions {
    /// Also find ES module specifiers in JavaScript.
    pub js_imports: bool,
}

/// Whether a file is read for references at all; every other file is
/// passed through as opaque bytes.
pub fn is_scanned(logical: &str) -> bool {
    matches!(
        extension(logical).as_str(),
        "css" | "js" | "mjs" | "cjs" | "map"
    )
}

/// The references in a file, in byte order.
pub fn scan(logical: &str, bytes: &[u8], options: ScanOptions) -> Vec<Reference> {
    let mut refs = match extension(logical).as_str() {
        "css" => css::scan(bytes),
        "js" | "mjs" | "cjs" => {
            let mut refs = if options.js_imports {
                js::imports(bytes)
            } else {
                Vec::new()
            };
            refs.extend(js::source_mapping_url(bytes));
            refs
        }
        "map" => source_map::file(bytes).into_iter().collect(),
        _ => Vec::new(),
    };
    refs.sort_by_key(|r| r.span.start);
    refs
}

fn extension(logical: &str) -> String {
    let file = logical.rsplit('/').next().unwrap_or(logical);
    match file.rfind('.') {
        Some(dot) if dot > 0 => file[dot + 1..].to_ascii_lowercase(),
        _ => String::new(),
    }
}

/// The URL of a source-map comment body (what follows `//` or `/*`, without
/// the closing `*/`): `# sourceMappingURL=<url>` (or the older `@` form),
/// nothing but whitespace after the URL. Returns its range in `body`.
pub(crate) fn source_map_comment(body: &[u8]) -> Option<Range<usize>> {
    let rest = body
        .strip_prefix(b"#")
        .or_else(|| body.strip_prefix(b"@"))?;
    let spaces = rest.iter().take_while(|b| is_space(**b)).count();
    if spaces == 0 {
        return None;
    }
    let key = b"sourceMappingURL=";
    if !rest[spaces..].starts_with(key) {
        return None;
    }
    let start = body.len() - rest.len() + spaces + key.len();
    let len = body[start..].iter().take_while(|b| !is_space(**b)).count();
    let end = start + len;
    (len > 0 && body[end..].iter().all(|b| is_space(*b))).then_some(start..end)
}

/// One reference as it will be written: `before`, then `.` and the
/// target's hash unless the target keeps its name, then `after`.
#[derive(Debug)]
pub struct Replacement<'a> {
    /// The bytes of the URL as written in the file.
    pub span: Range<usize>,
    /// The relative URL up to the hash, escaped for the syntax.
    pub before: &'a str,
    /// The target's hash, or `None` for a kept name.
    pub hash: Option<&'a str>,
    /// The rest of the URL (extension, `?query`, `#fragment`), escaped.
    pub after: &'a str,
}

/// The bytes with each replacement written over its span; `replacements`
/// are in byte order and do not overlap.
pub fn apply<'a>(
    bytes: &[u8],
    replacements: impl ExactSizeIterator<Item = Replacement<'a>>,
) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + replacements.len() * 17);
    let mut pos = 0;
    for r in replacements {
        out.extend_from_slice(&bytes[pos..r.span.start]);
        out.extend_from_slice(r.before.as_bytes());
        if let Some(hash) = r.hash {
            out.push(b'.');
            out.extend_from_slice(hash.as_bytes());
        }
        out.extend_from_slice(r.after.as_bytes());
        pos = r.span.end;
    }
    out.extend_from_slice(&bytes[pos..]);
    out
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0c)
}

/// Writes `text` (a URL that is already percent-encoded where it matters)
/// so that it reads back as `text` in `syntax`.
pub fn escape(syntax: Syntax, text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let needs_escape = match syntax {
            Syntax::CssUnquoted => {
                matches!(c, '\\' | '"' | '\'' | '(' | ')')
                    || c.is_ascii_whitespace()
                    || is_nonprintable(c)
            }
            Syntax::CssString(q) => {
                c == '\\' || c == q as char || matches!(c, '\n' | '\r' | '\x0c')
            }
            Syntax::JsString(q) => {
                c == '\\' || c == q as char || matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}')
            }
            Syntax::JsonString => c == '\\' || c == '"' || c.is_control(),
            // A comment URL ends at whitespace, and `*/` would end a block
            // comment: percent-encode those.
            Syntax::Comment => c.is_whitespace() || c == '*',
        };
        if !needs_escape {
            out.push(c);
            continue;
        }
        match syntax {
            // A hex escape and a space that ends it: unambiguous whatever
            // follows.
            Syntax::CssUnquoted | Syntax::CssString(_) => {
                out.push_str(&format!("\\{:x} ", c as u32));
            }
            Syntax::JsString(_) | Syntax::JsonString => match c {
                '\\' | '"' | '\'' => {
                    out.push('\\');
                    out.push(c);
                }
                c => out.push_str(&format!("\\u{:04x}", c as u32)),
            },
            Syntax::Comment => {
                let mut buf = [0; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
        }
    }
    out
}

fn is_nonprintable(c: char) -> bool {
    matches!(c, '\0'..='\x08' | '\x0b' | '\x0e'..='\x1f' | '\x7f')
}

/// 1-based line numbers of byte offsets, for offsets given in ascending
/// order.
pub struct Lines<'a> {
    bytes: &'a [u8],
    offset: usize,
    line: usize,
}

impl<'a> Lines<'a> {
    /// Starts at the beginning of `bytes`.
    pub fn new(bytes: &'a [u8]) -> Self {
        Lines {
            bytes,
            offset: 0,
            line: 1,
        }
    }

    /// The line of `offset`; offsets must not decrease between calls.
    pub fn line_of(&mut self, offset: usize) -> usize {
        let offset = offset.min(self.bytes.len());
        if offset < self.offset {
            *self = Lines::new(self.bytes);
        }
        self.line += self.bytes[self.offset..offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.offset = offset;
        self.line
    }
}

#[cfg(test)]
mod tests;
