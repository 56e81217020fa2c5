use super::*;

/// (text at the span, unescaped URL, kind) of every reference.
fn refs(css: &str) -> Vec<(String, String, Kind)> {
    scan(css.as_bytes())
        .into_iter()
        .map(|r| (css[r.span].to_owned(), r.url, r.kind))
        .collect()
}

fn urls(css: &str) -> Vec<String> {
    refs(css).into_iter().map(|r| r.1).collect()
}

#[test]
fn url_forms() {
    let css = r#"
            a { background: url(img/a.png); }
            b { background: url( img/b.png ); }
            c { background: url("img/c.png"); }
            d { background: url( 'img/d.png' ) no-repeat; }
            e { background: URL(img/e.png); }
            f { background: Url(  "img/f.png"  ); }
        "#;
    assert_eq!(
        refs(css),
        [
            ("img/a.png", "img/a.png", Kind::CssUrl),
            ("img/b.png", "img/b.png", Kind::CssUrl),
            ("img/c.png", "img/c.png", Kind::CssUrl),
            ("img/d.png", "img/d.png", Kind::CssUrl),
            ("img/e.png", "img/e.png", Kind::CssUrl),
            ("img/f.png", "img/f.png", Kind::CssUrl),
        ]
        .map(|(a, b, k)| (a.to_owned(), b.to_owned(), k))
    );
}

#[test]
fn font_face_src_lists_with_format_and_suffixes() {
    let css = r#"@font-face {
  font-family: 'FontAwesome';
  src: url('../fonts/fa.eot?v=4.7.0');
  src: url('../fonts/fa.eot?#iefix&v=4.7.0') format('embedded-opentype'),
       url(../fonts/fa.woff2?v=4.7.0) format("woff2"),
       url("../fonts/fa.svg?v=4.7.0#fontawesomeregular") format('svg');
}"#;
    assert_eq!(
        urls(css),
        [
            "../fonts/fa.eot?v=4.7.0",
            "../fonts/fa.eot?#iefix&v=4.7.0",
            "../fonts/fa.woff2?v=4.7.0",
            "../fonts/fa.svg?v=4.7.0#fontawesomeregular"
        ]
    );
}

#[test]
fn imports() {
    let css = "@import \"a.css\";\n@import 'b.css' screen;\n@IMPORT url(c.css) layer(x);\n\
                   @import url(\"d.css\") supports(display: grid);\n@import /* c */ \"e.css\";\n\
                   @charset \"utf-8\";\n@namespace svg \"http://www.w3.org/2000/svg\";\n";
    assert_eq!(
        refs(css)
            .into_iter()
            .map(|r| (r.1, r.2))
            .collect::<Vec<_>>(),
        [
            ("a.css".to_owned(), Kind::CssImport),
            ("b.css".to_owned(), Kind::CssImport),
            ("c.css".to_owned(), Kind::CssUrl),
            ("d.css".to_owned(), Kind::CssUrl),
            ("e.css".to_owned(), Kind::CssImport),
        ]
    );
}

#[test]
fn comments_and_strings_are_not_references() {
    let css = r#"
/* background: url(in-comment.png); @import "no.css"; */
a::before { content: "url(in-string.png)"; }
b::before { content: 'url(\'x.png\')'; }
c { background: url(real.png); }
"#;
    assert_eq!(urls(css), ["real.png"]);
}

#[test]
fn names_that_end_in_url_are_not_url() {
    let css =
        "a { x: myurl(a.png); y: -url(b.png); z: 10url(c.png); w: #url(d.png); v: --url(e.png); }";
    assert!(urls(css).is_empty(), "{:?}", urls(css));
    // `u\72l(` is `url(` spelt with an escape.
    assert_eq!(urls("a { b: u\\72l(x.png) }"), ["x.png"]);
}

#[test]
fn escapes_are_undone() {
    let css = r#"a { b: url(my\ file\28 1\29.png); c: url("q\"uote.png"); d: url('line\
continued.png'); e: url(\31 23.png); }"#;
    assert_eq!(
        refs(css),
        [
            (r"my\ file\28 1\29.png", "my file(1).png", Kind::CssUrl),
            (r#"q\"uote.png"#, "q\"uote.png", Kind::CssUrl),
            ("line\\\ncontinued.png", "linecontinued.png", Kind::CssUrl),
            (r"\31 23.png", "123.png", Kind::CssUrl),
        ]
        .map(|(a, b, k)| (a.to_owned(), b.to_owned(), k))
    );
}

#[test]
fn bad_urls_and_bad_strings_are_left_alone() {
    let css = "a { b: url(a b.png); c: url(a\"b.png); d: url(a(b).png); e: url(ok.png); }\n\
                   f { content: \"bad\nstring; }\ng { h: url(fine.png) }";
    assert_eq!(urls(css), ["ok.png", "fine.png"]);
    // A raw newline ends a string as a bad string; the quote after it
    // then opens another string, as in a browser.
    assert!(urls("a{b:url(\"bad\n.png\")} c{d:url(x.png)}").is_empty());
}

#[test]
fn truncated_input_never_panics() {
    for css in [
        "a { b: url(",
        "a { b: url(x.png",
        "a { b: url(\"x.png",
        "a { b: url(x.png  ",
        "/* unterminated comment url(x.png)",
        "@import",
        "@import \"",
        "a { b: url(x\\",
        "a { b: \\",
        "a { b: url(\\",
        "\"\\",
        "1e",
        "-",
        "+.",
        "#",
        "@",
        "url(\"a.png\"",
    ] {
        let found = urls(css);
        assert!(found.len() <= 1, "{css}: {found:?}");
    }
    // The cut-off quoted URL still is a complete string argument.
    assert_eq!(urls("url(\"a.png\""), ["a.png"]);
    assert!(urls("a { b: url(x.png").is_empty());
}

#[test]
fn invalid_utf8_outside_references_is_fine() {
    let mut css = b"a { content: \"\xff\xfe\"; } /* \xc3 */ b { background: url(x.png) }".to_vec();
    css.extend_from_slice(b"\n\xe2\x82");
    let found = scan(&css);
    assert_eq!(found.len(), 1);
    assert_eq!(&css[found[0].span.clone()], b"x.png");
}

#[test]
fn image_set_strings() {
    let css = r#"a { background-image: image-set("a.png" 1x, url(b.png) 2x, "c.avif" type("image/avif")); }
b { background-image: -webkit-image-set('d.png' 1x); }
c { content: "e.png"; font-family: "F"; }"#;
    assert_eq!(
        refs(css)
            .into_iter()
            .map(|r| (r.1, r.2))
            .collect::<Vec<_>>(),
        [
            ("a.png".to_owned(), Kind::CssImageSet),
            ("b.png".to_owned(), Kind::CssUrl),
            ("c.avif".to_owned(), Kind::CssImageSet),
            ("d.png".to_owned(), Kind::CssImageSet),
        ]
    );
}

#[test]
fn source_mapping_url_comments() {
    let css = "a{}\n/*# sourceMappingURL=app.css.map */\n";
    assert_eq!(
        refs(css),
        [(
            "app.css.map".to_owned(),
            "app.css.map".to_owned(),
            Kind::SourceMappingUrl
        )]
    );
    assert_eq!(urls("/*# sourceMappingURL=a.map*/"), ["a.map"]);
    assert_eq!(urls("/*@ sourceMappingURL=a.map */"), ["a.map"]);
    assert!(urls("/* sourceMappingURL=a.map */").is_empty());
    assert!(urls("a { content: \"/*# sourceMappingURL=a.map */\" }").is_empty());
}

#[test]
fn data_uris_and_externals_are_found_but_whole() {
    let css = r#"a { b: url("data:image/svg+xml,%3csvg xmlns='http://www.w3.org/2000/svg'%3e%3c/svg%3e"); c: url(data:image/png;base64,iVBORw0KGgo=); d: url(https://x.example/a.png) }"#;
    let found = refs(css);
    assert_eq!(found.len(), 3);
    assert!(found[0].0.starts_with("data:image/svg+xml,") && found[0].0.ends_with("%3e"));
    assert_eq!(found[1].0, "data:image/png;base64,iVBORw0KGgo=");
}

#[test]
fn spans_cover_exactly_the_url() {
    let css = "x{a:url( \"p.png\" );b:url(  q.png  );c:url('');d:url()}";
    let found = scan(css.as_bytes());
    let spans: Vec<&str> = found.iter().map(|r| &css[r.span.clone()]).collect();
    assert_eq!(spans, ["p.png", "q.png", "", ""]);
}
