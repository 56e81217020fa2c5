//! Glob patterns over logical paths, for the settings that name files:
//! [`Pipeline::keep_names`](crate::Pipeline::keep_names) and
//! [`Pipeline::allow_missing`](crate::Pipeline::allow_missing).
//!
//! | syntax | matches |
//! |---|---|
//! | `*` | any run of characters except `/` |
//! | `**` | any run of characters, `/` included; `**/` also matches nothing |
//! | `?` | one character except `/` |
//! | `[abc]`, `[a-z]`, `[!a-z]` | one character of (or not of) the set |
//! | `{a,b}` | either alternative (may nest) |
//! | `\x` | the character `x` itself |
//!
//! A pattern without `/` is matched against the file name only, in any
//! folder (`*.digested.*`); a pattern with `/` against the whole logical
//! path (`vendor/**/*.eot`; a leading `/` is ignored).
//!
//! Small on purpose: a few dozen patterns against a few thousand paths at
//! build time need no regex engine in every user's build.

use crate::Error;

/// One compiled pattern.
#[derive(Debug, Clone)]
pub struct Glob {
    source: String,
    /// The brace-expanded alternatives.
    alternatives: Vec<Vec<Token>>,
    /// Whether the pattern names whole paths rather than file names.
    whole_path: bool,
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Char(char),
    /// `?`
    One,
    /// `*`
    Star,
    /// `**` not followed by `/`.
    DeepStar,
    /// `**/`: nothing, or anything that ends with `/`.
    DeepDirs,
    Class {
        negated: bool,
        ranges: Vec<(char, char)>,
    },
}

impl Glob {
    /// Compiles `pattern`, or explains why it is malformed.
    pub fn new(pattern: &str) -> Result<Glob, Error> {
        let invalid = |reason: &str| Error::InvalidPattern {
            pattern: pattern.to_owned(),
            reason: reason.to_owned(),
        };
        let body = pattern.strip_prefix('/').unwrap_or(pattern);
        if body.is_empty() {
            return Err(invalid("it is empty"));
        }
        let alternatives = expand_braces(body).map_err(invalid)?;
        let alternatives = alternatives
            .iter()
            .map(|alt| parse(alt))
            .collect::<Result<Vec<_>, _>>()
            .map_err(invalid)?;
        Ok(Glob {
            source: pattern.to_owned(),
            alternatives,
            whole_path: body.contains('/'),
        })
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// Whether `path` (a `/`-separated logical path) matches.
    pub fn is_match(&self, path: &str) -> bool {
        let path = path.strip_prefix('/').unwrap_or(path);
        let subject = if self.whole_path {
            path
        } else {
            path.rsplit('/').next().unwrap_or(path)
        };
        let chars: Vec<char> = subject.chars().collect();
        self.alternatives.iter().any(|alt| matches(alt, &chars))
    }
}

/// A list of patterns; matches when any of them does.
#[derive(Debug, Clone, Default)]
pub struct GlobSet {
    globs: Vec<Glob>,
}

impl GlobSet {
    /// Compiles every pattern.
    pub fn new<S: AsRef<str>>(patterns: &[S]) -> Result<GlobSet, Error> {
        let globs = patterns
            .iter()
            .map(|p| Glob::new(p.as_ref()))
            .collect::<Result<_, _>>()?;
        Ok(GlobSet { globs })
    }

    /// The first pattern that matches `path`.
    pub fn first_match(&self, path: &str) -> Option<&Glob> {
        self.globs.iter().find(|g| g.is_match(path))
    }

    /// Whether any pattern matches `path`.
    pub fn is_match(&self, path: &str) -> bool {
        self.first_match(path).is_some()
    }
}

/// `a{b,c{d,e}}f` -> `abf`, `acdf`, `acef`.
fn expand_braces(pattern: &str) -> Result<Vec<String>, &'static str> {
    let chars: Vec<char> = pattern.chars().collect();
    // Find the first top-level `{` that is not escaped, and its `}`.
    let mut i = 0;
    let mut open = None;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 1,
            '{' => {
                open = Some(i);
                break;
            }
            '}' => return Err("it has a `}` without a `{`"),
            _ => {}
        }
        i += 1;
    }
    let Some(open) = open else {
        return Ok(vec![pattern.to_owned()]);
    };
    let mut depth = 0;
    let mut parts = Vec::new();
    let mut start = open + 1;
    let mut close = None;
    let mut j = open;
    while j < chars.len() {
        match chars[j] {
            '\\' => j += 1,
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    parts.push(&chars[start..j]);
                    close = Some(j);
                    break;
                }
            }
            ',' if depth == 1 => {
                parts.push(&chars[start..j]);
                start = j + 1;
            }
            _ => {}
        }
        j += 1;
    }
    let Some(close) = close else {
        return Err("it has a `{` without a `}`");
    };
    let head: String = chars[..open].iter().collect();
    let tail: String = chars[close + 1..].iter().collect();
    let mut out = Vec::new();
    for part in parts {
        let part: String = part.iter().collect();
        out.extend(expand_braces(&format!("{head}{part}{tail}"))?);
    }
    Ok(out)
}

fn parse(pattern: &str) -> Result<Vec<Token>, &'static str> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' => {
                let c = *chars.get(i + 1).ok_or("it ends with `\\`")?;
                tokens.push(Token::Char(c));
                i += 2;
            }
            '?' => {
                tokens.push(Token::One);
                i += 1;
            }
            '*' if chars.get(i + 1) == Some(&'*') => {
                if chars.get(i + 2) == Some(&'/') {
                    tokens.push(Token::DeepDirs);
                    i += 3;
                } else {
                    tokens.push(Token::DeepStar);
                    i += 2;
                }
            }
            '*' => {
                tokens.push(Token::Star);
                i += 1;
            }
            '[' => {
                let mut j = i + 1;
                let negated = matches!(chars.get(j), Some('!' | '^'));
                if negated {
                    j += 1;
                }
                let mut ranges = Vec::new();
                let mut first = true;
                loop {
                    let c = *chars.get(j).ok_or("it has a `[` without a `]`")?;
                    if c == ']' && !first {
                        break;
                    }
                    first = false;
                    let c = if c == '\\' {
                        j += 1;
                        *chars.get(j).ok_or("it ends with `\\`")?
                    } else {
                        c
                    };
                    if chars.get(j + 1) == Some(&'-') && chars.get(j + 2).is_some_and(|&e| e != ']')
                    {
                        let end = chars[j + 2];
                        if end < c {
                            return Err("it has a character range that runs backwards");
                        }
                        ranges.push((c, end));
                        j += 3;
                    } else {
                        ranges.push((c, c));
                        j += 1;
                    }
                }
                tokens.push(Token::Class { negated, ranges });
                i = j + 1;
            }
            c => {
                tokens.push(Token::Char(c));
                i += 1;
            }
        }
    }
    Ok(tokens)
}

fn matches(tokens: &[Token], s: &[char]) -> bool {
    let Some((token, rest)) = tokens.split_first() else {
        return s.is_empty();
    };
    match token {
        Token::Char(c) => s.first() == Some(c) && matches(rest, &s[1..]),
        Token::One => s.first().is_some_and(|&c| c != '/') && matches(rest, &s[1..]),
        Token::Class { negated, ranges } => {
            s.first().is_some_and(|&c| {
                c != '/' && ranges.iter().any(|&(a, b)| a <= c && c <= b) != *negated
            }) && matches(rest, &s[1..])
        }
        Token::Star => {
            let run = s.iter().take_while(|&&c| c != '/').count();
            (0..=run).any(|n| matches(rest, &s[n..]))
        }
        Token::DeepStar => (0..=s.len()).any(|n| matches(rest, &s[n..])),
        Token::DeepDirs => {
            matches(rest, s)
                || s.iter()
                    .enumerate()
                    .any(|(i, &c)| c == '/' && matches(rest, &s[i + 1..]))
        }
    }
}

#[cfg(test)]
mod tests;
