//! The `file` field of a source map (ECMA-426): the name of the generated
//! file the map belongs to, relative to the map. When the generated file is
//! served under a hashed name, `file` names the hashed file.
//!
//! Only a top-level JSON object is read; anything else (not JSON, an
//! array, no `file`, a `file` that is not a string) has no reference and
//! is served as it is. The rest of the map, `sources` included, is left
//! byte for byte: `sources` name the original files, resolved against the
//! map's own URL, which keeps its folder.

use super::{Kind, Reference, Syntax};

/// The `file` reference of a source map, if it has one.
pub fn file(src: &[u8]) -> Option<Reference> {
    // Only well-formed JSON; then a shallow walk over the top-level object
    // finds where the `file` string is.
    serde_json::from_slice::<serde::de::IgnoredAny>(src).ok()?;
    let mut json = Json { s: src, i: 0 };
    json.skip_whitespace();
    json.eat(b'{')?;
    let mut found = None;
    loop {
        json.skip_whitespace();
        if json.eat(b'}').is_some() {
            return found;
        }
        let (_, key) = json.string()?;
        json.skip_whitespace();
        json.eat(b':')?;
        json.skip_whitespace();
        if key == "file" && json.peek() == Some(b'"') {
            let (span, value) = json.string()?;
            found = Some(Reference {
                span,
                url: value,
                syntax: Syntax::JsonString,
                kind: Kind::SourceMapFile,
            });
        } else {
            if key == "file" {
                // `file` is not a string: no reference, even if an earlier
                // duplicate key was one.
                found = None;
            }
            json.skip_value()?;
        }
        json.skip_whitespace();
        if json.eat(b',').is_none() {
            json.skip_whitespace();
            json.eat(b'}')?;
            return found;
        }
    }
}

struct Json<'a> {
    s: &'a [u8],
    i: usize,
}

impl Json<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn eat(&mut self, b: u8) -> Option<()> {
        (self.peek() == Some(b)).then(|| self.i += 1)
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    /// A string: the span inside its quotes and its decoded value.
    fn string(&mut self) -> Option<(std::ops::Range<usize>, String)> {
        let open = self.i;
        self.eat(b'"')?;
        loop {
            match self.peek()? {
                b'"' => break,
                b'\\' => self.i += 2,
                _ => self.i += 1,
            }
        }
        self.i += 1;
        let raw = self.s.get(open..self.i)?;
        let value = serde_json::from_slice(raw).ok()?;
        Some((open + 1..self.i - 1, value))
    }

    /// Any value; the document is known to be well-formed.
    fn skip_value(&mut self) -> Option<()> {
        let mut depth = 0usize;
        loop {
            match self.peek()? {
                b'"' => {
                    self.string()?;
                }
                b'{' | b'[' => {
                    depth += 1;
                    self.i += 1;
                }
                b'}' | b']' if depth > 0 => {
                    depth -= 1;
                    self.i += 1;
                }
                b',' | b'}' | b']' if depth == 0 => return Some(()),
                _ => self.i += 1,
            }
            if depth == 0 && matches!(self.peek(), Some(b',' | b'}' | b']') | None) {
                return Some(());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_file_field() {
        let map = br#"{"version":3,"file":"app.js","sources":["app.ts"],"mappings":""}"#;
        let r = file(map).unwrap();
        assert_eq!(&map[r.span], b"app.js");
        assert_eq!(r.url, "app.js");
        assert_eq!(r.kind, Kind::SourceMapFile);

        let map =
            b"{\n\t\"version\": 3,\n\t\"file\" : \"a\\/b \\u0041.css\",\n\t\"sources\": []\n}\n";
        let r = file(map).unwrap();
        assert_eq!(&map[r.span], br"a\/b \u0041.css");
        assert_eq!(r.url, "a/b A.css");
    }

    #[test]
    fn only_a_top_level_string_field() {
        for map in [
            &br#"{"version":3,"sources":["x.js"]}"#[..],
            br#"{"version":3,"file":null}"#,
            br#"{"version":3,"file":["a.js"]}"#,
            br#"{"sections":[{"map":{"file":"inner.js"}}]}"#,
            br#"["file","a.js"]"#,
            b"not json",
            b"{\"file\":\"a.js\"",
            b"\xff\xfe",
            b"",
        ] {
            assert_eq!(file(map), None, "{}", String::from_utf8_lossy(map));
        }
    }
}
