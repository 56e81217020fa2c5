use super::*;

#[test]
fn urls_left_alone() {
    for url in [
        "",
        "  ",
        "#icon",
        "?v=1",
        "data:image/png;base64,AAAA",
        "DATA:font/woff2;base64,AAAA",
        "http://example.com/a.png",
        "https://example.com/a.png",
        "//cdn.example.com/a.png",
        "blob:abc",
        "about:blank",
        "chrome-extension://x/y.png",
        "mailto:a@b",
    ] {
        assert_eq!(local(url), None, "{url}");
    }
}

#[test]
fn suffixes_are_split_off() {
    assert_eq!(
        local("../fonts/a.eot?#iefix"),
        Some(LocalUrl {
            path: "../fonts/a.eot",
            suffix: "?#iefix"
        })
    );
    assert_eq!(
        local("a.svg#frag?not-a-query"),
        Some(LocalUrl {
            path: "a.svg",
            suffix: "#frag?not-a-query"
        })
    );
    assert_eq!(local(" a.png ").unwrap().path, "a.png");
    // A colon after the first slash is not a scheme.
    assert_eq!(local("img/a:b.png").unwrap().path, "img/a:b.png");
    assert_eq!(local("./a:b.png").unwrap().path, "./a:b.png");
}

#[test]
fn resolution_against_the_referring_folder() {
    let r = |path| resolve("css/vendor/app.css", path, "/static/");
    assert_eq!(r("a.png"), Resolved::Path("css/vendor/a.png".into()));
    assert_eq!(r("./a.png"), Resolved::Path("css/vendor/a.png".into()));
    assert_eq!(
        r("../../fonts/a.woff2"),
        Resolved::Path("fonts/a.woff2".into())
    );
    assert_eq!(r("../x/../y/./a.png"), Resolved::Path("css/y/a.png".into()));
    assert_eq!(
        r("my%20font.woff2"),
        Resolved::Path("css/vendor/my font.woff2".into())
    );
    assert_eq!(r("%C3%BC.png"), Resolved::Path("css/vendor/ü.png".into()));
    assert_eq!(r("../../../a.png"), Resolved::AboveRoot);
    assert_eq!(r("img/"), Resolved::NotAFile("css/vendor/img".into()));
    assert_eq!(r(".."), Resolved::NotAFile("css".into()));
    assert_eq!(r("%FF.png"), Resolved::NotAFile("%FF.png".into()));
    assert_eq!(
        resolve("app.css", "a.png", "/"),
        Resolved::Path("a.png".into())
    );
}

#[test]
fn absolute_paths_resolve_only_under_the_prefix() {
    let r = |path, prefix| resolve("css/app.css", path, prefix);
    assert_eq!(
        r("/static/img/a.png", "/static/"),
        Resolved::Path("img/a.png".into())
    );
    assert_eq!(r("/img/a.png", "/static/"), Resolved::Outside);
    assert_eq!(r("/staticx/a.png", "/static/"), Resolved::Outside);
    assert_eq!(r("/img/a.png", "/"), Resolved::Path("img/a.png".into()));
    assert_eq!(r("/static/../a.png", "/static/"), Resolved::AboveRoot);
    assert_eq!(prefix_path("/static/"), "/static/");
    assert_eq!(prefix_path("https://cdn.example.com/static/"), "/static/");
    assert_eq!(prefix_path("https://cdn.example.com/"), "/");
}

#[test]
fn relative_references() {
    let slot = |p| Some(asset_manifest::naming::hash_slot(p).1);
    let rel = |from, to: &'static str| relative(from, to, slot(to), false);
    assert_eq!(
        rel("css/app.css", "fonts/a.woff2"),
        ("../fonts/a".into(), ".woff2".into())
    );
    assert_eq!(
        rel("css/app.css", "css/img/a.png"),
        ("img/a".into(), ".png".into())
    );
    assert_eq!(rel("app.css", "a.png"), ("a".into(), ".png".into()));
    assert_eq!(
        rel("a/b/c.css", "a/x/LICENSE"),
        ("../x/LICENSE".into(), String::new())
    );
    assert_eq!(
        rel("css/app.css", "img/my logo (1):x.png"),
        ("../img/my%20logo%20%281%29%3Ax".into(), ".png".into())
    );
    assert_eq!(
        relative("js/a.js", "js/b.js", slot("js/b.js"), true),
        ("./b".into(), ".js".into())
    );
    assert_eq!(
        relative("js/a.js", "js/b-1.digested.js", None, false),
        ("b-1.digested.js".into(), String::new())
    );
}
