//! The template check: every asset path that a template passes to a helper
//! (`asset_url`, `asset_integrity`, `asset_crossorigin`, and maud's
//! `stylesheet` / `script`) must name an asset, or the build fails with the
//! file, the line and a did-you-mean, as `asset!` does.
//!
//! It reads the template files as text and recognises the forms the
//! template helpers are used in, whatever the engine:
//!
//! | form | engines |
//! |---|---|
//! | `"css/app.css"\|asset_url`, `"css/app.css" \| asset_runtime::askama::asset_url` | askama, minijinja, tera filters |
//! | `asset_url("css/app.css")`, `asset_url('css/app.css')` | minijinja functions, maud, Rust code |
//! | `asset_url(path="css/app.css")` | tera functions |
//!
//! A helper called with anything but a string literal (a variable) cannot
//! be checked at build time and is skipped.

use std::path::{Path, PathBuf};

use crate::Error;

/// The helpers whose first argument is a logical path.
const HELPERS: [&str; 5] = [
    "asset_url",
    "asset_integrity",
    "asset_crossorigin",
    "stylesheet",
    "script",
];

/// A template names an asset that does not exist.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct UnknownTemplateAsset {
    /// The template file.
    pub file: PathBuf,
    /// Its line (1-based).
    pub line: usize,
    /// The logical path as written.
    pub path: String,
    /// The known logical path most like it, if any is close.
    pub suggestion: Option<String>,
}

impl std::fmt::Display for UnknownTemplateAsset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} line {}: unknown asset `{}`: no such file in the asset folders",
            self.file.display(),
            self.line,
            self.path
        )?;
        match &self.suggestion {
            Some(s) => write!(f, "; did you mean `{s}`?"),
            None => Ok(()),
        }
    }
}

/// Every asset path used in a template, with its 1-based line.
pub fn used_paths(text: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for helper in HELPERS {
        let mut from = 0;
        while let Some(at) = text[from..].find(helper).map(|i| i + from) {
            from = at + helper.len();
            let before_ok = text[..at]
                .chars()
                .next_back()
                .is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
            let after = &text[from..];
            let after_ok = after
                .chars()
                .next()
                .is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
            if !(before_ok && after_ok) {
                continue;
            }
            let path = call_argument(after).or_else(|| {
                // `stylesheet` and `script` are only maud helpers: never
                // filters.
                (helper.starts_with("asset_"))
                    .then(|| filter_subject(&text[..at]))
                    .flatten()
            });
            if let Some(path) = path {
                let line = text[..at].matches('\n').count() + 1;
                found.push((line, path));
            }
        }
    }
    found.sort();
    found
}

/// `("x")`, `('x')` or `(path="x")` after a helper's name.
fn call_argument(after: &str) -> Option<String> {
    let rest = after.trim_start().strip_prefix('(')?.trim_start();
    let rest = match rest.strip_prefix("path") {
        Some(named) => named.trim_start().strip_prefix('=')?.trim_start(),
        None => rest,
    };
    string_at_start(rest)
}

/// `"x" |` (and a path such as `asset_runtime::askama::`) before a filter.
fn filter_subject(before: &str) -> Option<String> {
    let mut rest = before;
    // Drop a qualifying path: `asset_runtime::askama::`.
    while let Some(stripped) = rest.strip_suffix("::") {
        rest = stripped.trim_end_matches(|c: char| c.is_alphanumeric() || c == '_');
    }
    let rest = rest.trim_end().strip_suffix('|')?.trim_end();
    let quote = rest.chars().next_back()?;
    if quote != '"' && quote != '\'' {
        return None;
    }
    let body = &rest[..rest.len() - 1];
    let open = body.rfind(quote)?;
    let literal = &body[open + 1..];
    (!literal.contains('\n')).then(|| literal.to_owned())
}

/// The string literal at the start of `text`, in double or single quotes.
fn string_at_start(text: &str) -> Option<String> {
    let quote = text.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let body = &text[1..];
    let end = body.find(quote)?;
    let literal = &body[..end];
    (!literal.contains('\n') && !literal.contains('\\')).then(|| literal.to_owned())
}

/// Checks every file under `folders` against the logical paths `known`;
/// returns the files read (to watch) and the unknown paths.
pub fn check<'a>(
    folders: &[PathBuf],
    known: impl Iterator<Item = &'a str> + Clone,
) -> Result<(Vec<PathBuf>, Vec<UnknownTemplateAsset>), Error> {
    let mut watched = Vec::new();
    let mut unknown = Vec::new();
    for folder in folders {
        if !folder.is_dir() {
            return Err(Error::MissingFolder(folder.clone()));
        }
        watched.push(folder.clone());
        for entry in walkdir::WalkDir::new(folder)
            .follow_links(true)
            .sort_by_file_name()
        {
            let entry = entry.map_err(|err| Error::Unreadable {
                path: err.path().map_or_else(|| folder.clone(), Path::to_path_buf),
                source: err.into(),
            })?;
            let path = entry.path().to_path_buf();
            if entry.file_type().is_dir() {
                watched.push(path);
                continue;
            }
            let bytes = std::fs::read(&path).map_err(|source| Error::Unreadable {
                path: path.clone(),
                source,
            })?;
            watched.push(path.clone());
            // Templates are text; anything else has no helper calls.
            let Ok(text) = std::str::from_utf8(&bytes) else {
                continue;
            };
            for (line, used) in used_paths(text) {
                if known.clone().any(|k| k == used) {
                    continue;
                }
                unknown.push(UnknownTemplateAsset {
                    file: path.clone(),
                    line,
                    suggestion: asset_manifest::suggest::closest(&used, known.clone())
                        .map(str::to_owned),
                    path: used,
                });
            }
        }
    }
    Ok((watched, unknown))
}

#[cfg(test)]
mod tests;
