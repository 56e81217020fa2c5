use super::*;

#[test]
fn urls_are_percent_encoded() {
    assert_eq!(url("/static/", "css/app.css"), "/static/css/app.css");
    assert_eq!(
        url("/static/", "img/my logo#1?.png"),
        "/static/img/my%20logo%231%3F.png"
    );
    assert_eq!(
        url("/", "fonts/Ünïcode.woff2"),
        "/fonts/%C3%9Cn%C3%AFcode.woff2"
    );
    assert_eq!(url("/s/", "100%.txt"), "/s/100%25.txt");
}

#[test]
fn prefixes() {
    assert_eq!(normalize("/static").as_deref(), Some("/static/"));
    assert_eq!(normalize("/static/").as_deref(), Some("/static/"));
    assert_eq!(normalize("/").as_deref(), Some("/"));
    assert_eq!(
        normalize("https://cdn.example.com/assets").as_deref(),
        Some("https://cdn.example.com/assets/")
    );
    for bad in [
        "",
        "static/",
        "//cdn.example.com/",
        "/sta tic/",
        "/a\"b/",
        "/a?b/",
        "ftp://x/",
        "/a\\b/",
    ] {
        assert_eq!(normalize(bad), None, "{bad}");
    }
}

#[test]
fn cross_origin() {
    assert!(is_cross_origin("https://cdn.example.com/"));
    assert!(is_cross_origin("http://localhost:9000/b/"));
    assert!(!is_cross_origin("/static/"));
}
