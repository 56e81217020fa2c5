//! References in JavaScript.
//!
//! - [`source_mapping_url`]: the `//# sourceMappingURL=...` (or
//!   `/*# ... */`, or the older `//@` form) at the end of the file. Only the
//!   end counts, as in ECMA-426: the comment is searched for from the last
//!   line upwards, over blank lines and other line comments, and the search
//!   stops at the first line of code. The same text inside a string
//!   earlier in the file (bundlers carry such strings) is not a reference.
//! - [`imports`] (only with `Pipeline::rewrite_js_imports(true)`): the
//!   string specifiers of `import ... from "x"`, `export ... from "x"`,
//!   `import "x"` (at the top level of the module) and `import("x")` (a
//!   lone string argument, anywhere). A small lexer skips comments,
//!   strings, template literals (with `${}` nesting) and regular-expression
//!   literals; like every JavaScript tokenizer without a parser, it tells a
//!   regular expression from a division by the token before the `/`.
//!   Only relative specifiers (`./`, `../`) are references; the caller
//!   leaves the others alone.

use super::{Kind, Reference, Syntax, source_map_comment};

/// The source-map comment at the end of a script, if there is one.
pub fn source_mapping_url(src: &[u8]) -> Option<Reference> {
    let mut end = src.len();
    loop {
        while end > 0 && src[end - 1].is_ascii_whitespace() {
            end -= 1;
        }
        if end == 0 {
            return None;
        }
        let line_start = src[..end]
            .iter()
            .rposition(|&b| b == b'\n' || b == b'\r')
            .map_or(0, |i| i + 1);
        let mut start = line_start;
        while start < end && src[start].is_ascii_whitespace() {
            start += 1;
        }
        let line = &src[start..end];
        let body = if let Some(body) = line.strip_prefix(b"//") {
            Some((start + 2, body))
        } else if line.starts_with(b"/*") && line.ends_with(b"*/") && line.len() >= 4 {
            Some((start + 2, &line[2..line.len() - 2]))
        } else {
            None
        };
        let (body_start, body) = body?;
        if let Some(range) = source_map_comment(body) {
            let span = body_start + range.start..body_start + range.end;
            return Some(Reference {
                url: String::from_utf8_lossy(&src[span.clone()]).into_owned(),
                span,
                syntax: Syntax::Comment,
                kind: Kind::SourceMappingUrl,
            });
        }
        if !line.starts_with(b"//") {
            return None;
        }
        end = line_start;
    }
}

/// A significant token, as far as the lexer needs to remember it.
#[derive(Clone, Debug, PartialEq)]
enum Token {
    /// An identifier or keyword.
    Word(Vec<u8>),
    /// A punctuator (one byte is enough here).
    Punct(u8),
    /// A string literal: span inside the quotes, unescaped value, quote.
    Str(usize, usize, String, u8),
    /// Any other value: number, regular expression, template literal.
    Value,
}

/// Every string specifier of a static or dynamic import, in order. The
/// caller keeps only the relative ones.
pub fn imports(src: &[u8]) -> Vec<Reference> {
    let mut lexer = Lexer {
        s: src,
        i: 0,
        depth: 0,
        templates: Vec::new(),
        recent: Vec::new(),
        refs: Vec::new(),
        pending: None,
    };
    lexer.run();
    lexer.refs
}

struct Lexer<'a> {
    s: &'a [u8],
    i: usize,
    /// Nesting of `(`, `[`, `{`.
    depth: usize,
    /// For each open `${` of a template literal, the depth inside it.
    templates: Vec<usize>,
    /// The last three significant tokens, oldest first.
    recent: Vec<Token>,
    refs: Vec<Reference>,
    /// `import("x"`: becomes a reference if `)` or `,` follows.
    pending: Option<Reference>,
}

/// Words after which a `/` starts a regular expression.
const BEFORE_REGEX: &[&[u8]] = &[
    b"return",
    b"typeof",
    b"instanceof",
    b"in",
    b"of",
    b"new",
    b"delete",
    b"void",
    b"throw",
    b"case",
    b"do",
    b"else",
    b"yield",
    b"await",
];

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80 || b == b'\\'
}

impl Lexer<'_> {
    fn at(&self, offset: usize) -> Option<u8> {
        self.s.get(self.i + offset).copied()
    }

    fn emit(&mut self, token: Token) {
        if let Some(pending) = self.pending.take() {
            if matches!(token, Token::Punct(b')' | b',')) {
                self.refs.push(pending);
            }
        }
        if let Token::Str(start, end, ref value, quote) = token {
            let word = |t: Option<&Token>, w: &[u8]| matches!(t, Some(Token::Word(x)) if x == w);
            let n = self.recent.len();
            let last = self.recent.last();
            let before_last = n.checked_sub(2).and_then(|i| self.recent.get(i));
            let third = n.checked_sub(3).and_then(|i| self.recent.get(i));
            let not_member = |t: Option<&Token>| t != Some(&Token::Punct(b'.'));
            let reference = Reference {
                span: start..end,
                url: value.clone(),
                syntax: Syntax::JsString(quote),
                kind: Kind::EsImport,
            };
            let top_level = self.depth == 0 && self.templates.is_empty();
            if top_level
                && (word(last, b"from") || word(last, b"import"))
                && not_member(before_last)
            {
                self.refs.push(reference);
            } else if last == Some(&Token::Punct(b'('))
                && word(before_last, b"import")
                && not_member(third)
            {
                self.pending = Some(reference);
            }
        }
        if self.recent.len() == 3 {
            self.recent.remove(0);
        }
        self.recent.push(token);
    }

    fn regex_allowed(&self) -> bool {
        match self.recent.last() {
            None => true,
            Some(Token::Punct(b')' | b']' | b'}')) => false,
            Some(Token::Punct(_)) => true,
            Some(Token::Word(w)) => BEFORE_REGEX.contains(&w.as_slice()),
            Some(Token::Str(..) | Token::Value) => false,
        }
    }

    fn run(&mut self) {
        if self.s.starts_with(b"#!") {
            self.skip_line();
        }
        while let Some(b) = self.at(0) {
            match b {
                b if b.is_ascii_whitespace() => self.i += 1,
                b'/' if self.at(1) == Some(b'/') => self.skip_line(),
                b'/' if self.at(1) == Some(b'*') => {
                    self.i = match self.s[self.i + 2..].windows(2).position(|w| w == b"*/") {
                        Some(p) => self.i + 2 + p + 2,
                        None => self.s.len(),
                    };
                }
                b'/' if self.regex_allowed() => {
                    self.regex();
                    self.emit(Token::Value);
                }
                b'"' | b'\'' => {
                    let token = self.string(b);
                    self.emit(token);
                }
                b'`' => {
                    self.i += 1;
                    self.template();
                }
                b'(' | b'[' | b'{' => {
                    self.depth += 1;
                    self.i += 1;
                    self.emit(Token::Punct(b));
                }
                b'}' if self.templates.last() == Some(&self.depth) => {
                    // The end of a `${...}`: back inside the template.
                    self.templates.pop();
                    self.depth = self.depth.saturating_sub(1);
                    self.i += 1;
                    self.template();
                }
                b')' | b']' | b'}' => {
                    self.depth = self.depth.saturating_sub(1);
                    self.i += 1;
                    self.emit(Token::Punct(b));
                }
                b if b.is_ascii_digit() => {
                    while self.at(0).is_some_and(|b| is_ident_byte(b) || b == b'.') {
                        self.i += 1;
                    }
                    self.emit(Token::Value);
                }
                b if is_ident_byte(b) => {
                    let start = self.i;
                    while self.at(0).is_some_and(is_ident_byte) {
                        self.i += 1;
                    }
                    let word = self.s[start..self.i].to_vec();
                    self.emit(Token::Word(word));
                }
                b => {
                    self.i += 1;
                    self.emit(Token::Punct(b));
                }
            }
        }
    }

    fn skip_line(&mut self) {
        while self.at(0).is_some_and(|b| b != b'\n' && b != b'\r') {
            self.i += 1;
        }
    }

    /// A string literal; the token carries its span and unescaped value.
    fn string(&mut self, quote: u8) -> Token {
        self.i += 1;
        let start = self.i;
        let mut value = Vec::new();
        loop {
            match self.at(0) {
                // Unterminated (end of file or raw newline): not a specifier.
                None | Some(b'\n' | b'\r') => return Token::Value,
                Some(b) if b == quote => {
                    let end = self.i;
                    self.i += 1;
                    return Token::Str(
                        start,
                        end,
                        String::from_utf8_lossy(&value).into_owned(),
                        quote,
                    );
                }
                Some(b'\\') => {
                    self.i += 1;
                    self.escape(&mut value);
                }
                Some(b) => {
                    value.push(b);
                    self.i += 1;
                }
            }
        }
    }

    /// A string escape, the backslash consumed.
    fn escape(&mut self, out: &mut Vec<u8>) {
        let Some(b) = self.at(0) else { return };
        self.i += 1;
        let hex = |l: &mut Self, n: usize| -> Option<u32> {
            let digits = l.s.get(l.i..l.i + n)?;
            let text = std::str::from_utf8(digits).ok()?;
            let v = u32::from_str_radix(text, 16).ok()?;
            l.i += n;
            Some(v)
        };
        let c = match b {
            b'n' => Some('\n'),
            b't' => Some('\t'),
            b'r' => Some('\r'),
            b'b' => Some('\u{8}'),
            b'f' => Some('\u{c}'),
            b'v' => Some('\u{b}'),
            b'0' => Some('\0'),
            b'\r' => {
                if self.at(0) == Some(b'\n') {
                    self.i += 1;
                }
                None
            }
            b'\n' => None,
            b'x' => hex(self, 2).and_then(char::from_u32),
            b'u' if self.at(0) == Some(b'{') => {
                let close = self.s[self.i..].iter().position(|&b| b == b'}');
                close.and_then(|p| {
                    let text = std::str::from_utf8(&self.s[self.i + 1..self.i + p]).ok()?;
                    let v = u32::from_str_radix(text, 16).ok()?;
                    self.i += p + 1;
                    char::from_u32(v)
                })
            }
            b'u' => hex(self, 4).and_then(char::from_u32),
            other => {
                out.push(other);
                None
            }
        };
        if let Some(c) = c {
            let mut buf = [0; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        }
    }

    /// A template literal from after its opening backquote (or after the
    /// `}` of a substitution) up to its end or its next `${`.
    fn template(&mut self) {
        loop {
            match self.at(0) {
                None => return,
                Some(b'`') => {
                    self.i += 1;
                    self.emit(Token::Value);
                    return;
                }
                Some(b'\\') => self.i += 2,
                Some(b'$') if self.at(1) == Some(b'{') => {
                    self.i += 2;
                    self.depth += 1;
                    self.templates.push(self.depth);
                    self.emit(Token::Punct(b'{'));
                    return;
                }
                Some(_) => self.i += 1,
            }
        }
    }

    /// A regular-expression literal, from its `/`.
    fn regex(&mut self) {
        self.i += 1;
        let mut class = false;
        loop {
            match self.at(0) {
                None | Some(b'\n' | b'\r') => return,
                Some(b'\\') => self.i += 2,
                Some(b'[') => {
                    class = true;
                    self.i += 1;
                }
                Some(b']') => {
                    class = false;
                    self.i += 1;
                }
                Some(b'/') if !class => {
                    self.i += 1;
                    while self.at(0).is_some_and(is_ident_byte) {
                        self.i += 1;
                    }
                    return;
                }
                Some(_) => self.i += 1,
            }
        }
    }
}

#[cfg(test)]
mod tests;
