use super::*;

#[test]
fn source_map_comments() {
    let body = b"# sourceMappingURL=app.js.map";
    assert_eq!(
        source_map_comment(body).map(|r| &body[r]),
        Some(&b"app.js.map"[..])
    );
    let body = b"@ sourceMappingURL=a.map  ";
    assert_eq!(
        source_map_comment(body).map(|r| &body[r]),
        Some(&b"a.map"[..])
    );
    for bad in [
        &b"# sourceMappingURL="[..],
        b"#sourceMappingURL=a.map",
        b" # sourceMappingURL=a.map",
        b"# sourceMappingURL=a.map trailing",
        b"# sourcemappingurl=a.map",
        b"sourceMappingURL=a.map",
    ] {
        assert_eq!(
            source_map_comment(bad),
            None,
            "{:?}",
            String::from_utf8_lossy(bad)
        );
    }
}

#[test]
fn escaping_reads_back_in_each_syntax() {
    assert_eq!(escape(Syntax::CssUnquoted, "a.png?#iefix"), "a.png?#iefix");
    assert_eq!(escape(Syntax::CssUnquoted, "a(1) b"), "a\\28 1\\29 \\20 b");
    assert_eq!(escape(Syntax::CssString(b'"'), "a\"b'c"), "a\\22 b'c");
    assert_eq!(escape(Syntax::CssString(b'\''), "a\"b'c"), "a\"b\\27 c");
    assert_eq!(escape(Syntax::JsString(b'\''), "a'b\\"), "a\\'b\\\\");
    assert_eq!(escape(Syntax::JsonString, "a\"b\n"), "a\\\"b\\u000a");
    assert_eq!(escape(Syntax::Comment, "a b*/"), "a%20b%2A/");
}

#[test]
fn line_numbers() {
    let text = b"a\nb\n\nc";
    let mut lines = Lines::new(text);
    assert_eq!(lines.line_of(0), 1);
    assert_eq!(lines.line_of(2), 2);
    assert_eq!(lines.line_of(5), 4);
    assert_eq!(lines.line_of(1), 1);
    assert_eq!(lines.line_of(100), 4);
}

#[test]
fn dispatch_by_extension() {
    assert!(is_scanned("a/b.CSS") && is_scanned("x.mjs") && is_scanned("x.js.map"));
    assert!(!is_scanned("x.html") && !is_scanned("x.woff2") && !is_scanned("css"));
    let js = b"import './b.js';\n//# sourceMappingURL=a.js.map\n";
    assert_eq!(scan("a.js", js, ScanOptions::default()).len(), 1);
    let refs = scan("a.js", js, ScanOptions { js_imports: true });
    assert_eq!(
        refs.iter().map(|r| r.url.as_str()).collect::<Vec<_>>(),
        ["./b.js", "a.js.map"]
    );
    assert!(scan("a.txt", b"url(x.png)", ScanOptions::default()).is_empty());
}
