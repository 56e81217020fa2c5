//! References in CSS, found by a tokenizer that follows CSS Syntax Level 3
//! (§4, "Tokenization") wherever it matters for telling a reference from
//! other text: comments, strings (with escapes and line continuations),
//! names, `url(` tokens (unquoted, with their "bad url" rules), functions,
//! at-keywords, numbers and dimensions.
//!
//! References:
//!
//! - `url(x)`, `url( "x" )`, `url('x')`, in any property, in `@font-face`
//!   `src` lists with `format()`, and in `@import url(x)`;
//! - `@import "x"` (the first token after the at-keyword);
//! - strings directly inside `image-set()` / `-webkit-image-set()`;
//! - `/*# sourceMappingURL=x */`.
//!
//! It works on bytes: a file that is not valid UTF-8 is tokenized all the
//! same, and only the references need to be text. Unterminated strings,
//! comments and `url(` at the end of the file, bad strings (a raw newline)
//! and bad urls (a quote, `(` or inner whitespace in an unquoted url) are
//! not references: they are left as written, as browsers ignore them.

use super::{Kind, Reference, Syntax, source_map_comment};

/// Every reference in a stylesheet, in order.
pub fn scan(src: &[u8]) -> Vec<Reference> {
    let mut lexer = Lexer {
        s: src,
        i: 0,
        refs: Vec::new(),
    };
    lexer.run();
    lexer.refs
}

/// What an open parenthesis belongs to, to know which strings are URLs.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Paren {
    /// `url(` followed by a string.
    Url,
    /// `image-set(` or `-webkit-image-set(`.
    ImageSet,
    Other,
}

struct Lexer<'a> {
    s: &'a [u8],
    i: usize,
    refs: Vec<Reference>,
}

fn is_newline(b: u8) -> bool {
    matches!(b, b'\n' | b'\r' | 0x0c)
}

fn is_whitespace(b: u8) -> bool {
    is_newline(b) || b == b' ' || b == b'\t'
}

fn is_name_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

fn is_name(b: u8) -> bool {
    is_name_start(b) || b.is_ascii_digit() || b == b'-'
}

fn is_nonprintable(b: u8) -> bool {
    matches!(b, 0x00..=0x08 | 0x0b | 0x0e..=0x1f | 0x7f)
}

impl Lexer<'_> {
    fn at(&self, offset: usize) -> Option<u8> {
        self.s.get(self.i + offset).copied()
    }

    /// §4.3.8: a backslash not followed by a newline (end of file counts
    /// as valid).
    fn valid_escape(&self, offset: usize) -> bool {
        self.at(offset) == Some(b'\\') && self.at(offset + 1).is_none_or(|b| !is_newline(b))
    }

    /// §4.3.9: whether an identifier starts here.
    fn starts_ident(&self, offset: usize) -> bool {
        match self.at(offset) {
            Some(b'-') => {
                self.at(offset + 1)
                    .is_some_and(|b| is_name_start(b) || b == b'-')
                    || self.valid_escape(offset + 1)
            }
            Some(b'\\') => self.valid_escape(offset),
            Some(b) => is_name_start(b),
            None => false,
        }
    }

    /// §4.3.10: whether a number starts here.
    fn starts_number(&self) -> bool {
        let digit = |o| self.at(o).is_some_and(|b: u8| b.is_ascii_digit());
        match self.at(0) {
            Some(b'+' | b'-') => digit(1) || (self.at(1) == Some(b'.') && digit(2)),
            Some(b'.') => digit(1),
            Some(b) => b.is_ascii_digit(),
            None => false,
        }
    }

    /// §4.3.7: consumes an escape, the backslash already consumed, and
    /// appends what it stands for.
    fn consume_escape(&mut self, out: &mut Vec<u8>) {
        let Some(first) = self.at(0) else {
            push_char(out, '\u{fffd}');
            return;
        };
        if first.is_ascii_hexdigit() {
            let mut value: u32 = 0;
            let mut n = 0;
            while n < 6 && self.at(0).is_some_and(|b| b.is_ascii_hexdigit()) {
                value = value * 16 + (self.s[self.i] as char).to_digit(16).unwrap_or(0);
                self.i += 1;
                n += 1;
            }
            if self.at(0) == Some(b'\r') && self.at(1) == Some(b'\n') {
                self.i += 2;
            } else if self.at(0).is_some_and(is_whitespace) {
                self.i += 1;
            }
            let c = match value {
                0 => '\u{fffd}',
                v => char::from_u32(v).unwrap_or('\u{fffd}'),
            };
            push_char(out, c);
        } else {
            out.push(first);
            self.i += 1;
        }
    }

    /// §4.3.12: consumes a name, undoing escapes.
    fn consume_name(&mut self) -> Vec<u8> {
        let mut name = Vec::new();
        loop {
            match self.at(0) {
                Some(b) if is_name(b) => {
                    name.push(b);
                    self.i += 1;
                }
                Some(b'\\') if self.valid_escape(0) => {
                    self.i += 1;
                    self.consume_escape(&mut name);
                }
                _ => return name,
            }
        }
    }

    fn skip_whitespace(&mut self) {
        while self.at(0).is_some_and(is_whitespace) {
            self.i += 1;
        }
    }

    fn push(&mut self, start: usize, end: usize, value: &[u8], syntax: Syntax, kind: Kind) {
        self.refs.push(Reference {
            span: start..end,
            url: String::from_utf8_lossy(value).into_owned(),
            syntax,
            kind,
        });
    }

    fn run(&mut self) {
        let mut parens: Vec<Paren> = Vec::new();
        // Set by `@import`: the next token (after whitespace and comments)
        // may be a string URL.
        let mut after_import = false;
        while let Some(b) = self.at(0) {
            if is_whitespace(b) {
                self.i += 1;
                continue;
            }
            if b == b'/' && self.at(1) == Some(b'*') {
                self.comment();
                continue;
            }
            let importing = std::mem::take(&mut after_import);
            match b {
                b'"' | b'\'' => {
                    let in_url = matches!(parens.last(), Some(Paren::Url | Paren::ImageSet));
                    let kind = match parens.last() {
                        _ if importing => Kind::CssImport,
                        Some(Paren::Url) => Kind::CssUrl,
                        _ => Kind::CssImageSet,
                    };
                    if let Some((start, end, value)) = self.string(b) {
                        if importing || in_url {
                            self.push(start, end, &value, Syntax::CssString(b), kind);
                        }
                    }
                }
                b'#' => {
                    self.i += 1;
                    if self.at(0).is_some_and(is_name) || self.valid_escape(0) {
                        self.consume_name();
                    }
                }
                b'@' => {
                    self.i += 1;
                    if self.starts_ident(0) {
                        let name = self.consume_name();
                        after_import = name.eq_ignore_ascii_case(b"import");
                    }
                }
                b'(' | b'[' => {
                    parens.push(Paren::Other);
                    self.i += 1;
                }
                b')' | b']' => {
                    parens.pop();
                    self.i += 1;
                }
                // A block ends whatever is left open inside it.
                b'{' | b'}' => {
                    parens.clear();
                    self.i += 1;
                }
                _ if self.starts_number() => self.number(),
                _ if self.starts_ident(0) => self.ident_like(&mut parens),
                _ => self.i += 1,
            }
        }
    }

    /// §4.3.2 comments; a source-map comment is a reference.
    fn comment(&mut self) {
        let body_start = self.i + 2;
        let rest = &self.s[body_start..];
        let Some(len) = rest.windows(2).position(|w| w == b"*/") else {
            // Unterminated: the comment runs to the end of the file.
            self.i = self.s.len();
            return;
        };
        self.i = body_start + len + 2;
        if let Some(range) = source_map_comment(&rest[..len]) {
            let (start, end) = (body_start + range.start, body_start + range.end);
            let value = self.s[start..end].to_vec();
            self.push(start, end, &value, Syntax::Comment, Kind::SourceMappingUrl);
        }
    }

    /// §4.3.5: a string token; `None` for a bad string (raw newline) or one
    /// that the end of the file cuts off. Returns the span inside the quotes
    /// and the unescaped value.
    fn string(&mut self, quote: u8) -> Option<(usize, usize, Vec<u8>)> {
        self.i += 1;
        let start = self.i;
        let mut value = Vec::new();
        loop {
            match self.at(0) {
                None => return None,
                Some(b) if b == quote => {
                    let end = self.i;
                    self.i += 1;
                    return Some((start, end, value));
                }
                Some(b) if is_newline(b) => return None,
                Some(b'\\') => {
                    self.i += 1;
                    match self.at(0) {
                        None => {}
                        Some(b'\r') if self.at(1) == Some(b'\n') => self.i += 2,
                        Some(b) if is_newline(b) => self.i += 1,
                        Some(_) => self.consume_escape(&mut value),
                    }
                }
                Some(b) => {
                    value.push(b);
                    self.i += 1;
                }
            }
        }
    }

    /// §4.3.3: a number, then a unit or `%`.
    fn number(&mut self) {
        if matches!(self.at(0), Some(b'+' | b'-')) {
            self.i += 1;
        }
        let digits = |l: &mut Self| {
            while l.at(0).is_some_and(|b| b.is_ascii_digit()) {
                l.i += 1;
            }
        };
        digits(self);
        if self.at(0) == Some(b'.') && self.at(1).is_some_and(|b| b.is_ascii_digit()) {
            self.i += 1;
            digits(self);
        }
        if matches!(self.at(0), Some(b'e' | b'E')) {
            let sign = usize::from(matches!(self.at(1), Some(b'+' | b'-')));
            if self.at(1 + sign).is_some_and(|b| b.is_ascii_digit()) {
                self.i += 1 + sign;
                digits(self);
            }
        }
        if self.starts_ident(0) {
            self.consume_name();
        } else if self.at(0) == Some(b'%') {
            self.i += 1;
        }
    }

    /// §4.3.4: an identifier, a function, or a `url(` token.
    fn ident_like(&mut self, parens: &mut Vec<Paren>) {
        let name = self.consume_name();
        if self.at(0) != Some(b'(') {
            return;
        }
        self.i += 1;
        if name.eq_ignore_ascii_case(b"url") {
            self.skip_whitespace();
            if matches!(self.at(0), Some(b'"' | b'\'')) {
                parens.push(Paren::Url);
            } else {
                self.url_token();
            }
        } else if name.eq_ignore_ascii_case(b"image-set")
            || name.eq_ignore_ascii_case(b"-webkit-image-set")
        {
            parens.push(Paren::ImageSet);
        } else {
            parens.push(Paren::Other);
        }
    }

    /// §4.3.6: an unquoted `url(` token, leading whitespace consumed.
    fn url_token(&mut self) {
        let start = self.i;
        let mut value = Vec::new();
        loop {
            match self.at(0) {
                None => return,
                Some(b')') => {
                    let end = self.i;
                    self.i += 1;
                    self.push(start, end, &value, Syntax::CssUnquoted, Kind::CssUrl);
                    return;
                }
                Some(b) if is_whitespace(b) => {
                    let end = self.i;
                    self.skip_whitespace();
                    match self.at(0) {
                        Some(b')') => {
                            self.i += 1;
                            self.push(start, end, &value, Syntax::CssUnquoted, Kind::CssUrl);
                        }
                        None => {}
                        Some(_) => self.bad_url(),
                    }
                    return;
                }
                Some(b'"' | b'\'' | b'(') => return self.bad_url(),
                Some(b) if is_nonprintable(b) => return self.bad_url(),
                Some(b'\\') => {
                    if !self.valid_escape(0) {
                        return self.bad_url();
                    }
                    self.i += 1;
                    self.consume_escape(&mut value);
                }
                Some(b) => {
                    value.push(b);
                    self.i += 1;
                }
            }
        }
    }

    /// §4.3.14: the rest of a bad url, up to its `)`.
    fn bad_url(&mut self) {
        while let Some(b) = self.at(0) {
            if b == b')' {
                self.i += 1;
                return;
            }
            if self.valid_escape(0) {
                self.i += 1;
                self.consume_escape(&mut Vec::new());
            } else {
                self.i += 1;
            }
        }
    }
}

fn push_char(out: &mut Vec<u8>, c: char) {
    let mut buf = [0; 4];
    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
}

#[cfg(test)]
mod tests;
