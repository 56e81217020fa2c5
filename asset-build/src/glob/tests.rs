use super::*;

fn m(pattern: &str, path: &str) -> bool {
    Glob::new(pattern).unwrap().is_match(path)
}

#[test]
fn file_name_patterns_match_in_any_folder() {
    assert!(m("*.digested.*", "js/app-3f2a.digested.js"));
    assert!(m("*.digested.*", "app.digested.js"));
    assert!(!m("*.digested.*", "js/app.digested"));
    assert!(!m("*.digested.*", "digested.js"));
    assert!(m("*.eot", "fonts/deep/a.eot"));
    assert!(m("a?c.css", "x/abc.css"));
    assert!(!m("a?c.css", "x/ac.css"));
}

#[test]
fn path_patterns_match_the_whole_path() {
    assert!(m("fonts/*.eot", "fonts/a.eot"));
    assert!(!m("fonts/*.eot", "fonts/x/a.eot"));
    assert!(!m("fonts/*.eot", "vendor/fonts/a.eot"));
    assert!(m("/fonts/*.eot", "fonts/a.eot"));
    assert!(m("vendor/**/*.eot", "vendor/a.eot"));
    assert!(m("vendor/**/*.eot", "vendor/x/y/a.eot"));
    assert!(m("**/a.eot", "a.eot"));
    assert!(m("vendor/**", "vendor/x/y/a.eot"));
    assert!(!m("vendor/**", "other/a.eot"));
    assert!(m("a/**.map", "a/b/c.map"));
}

#[test]
fn classes_braces_and_escapes() {
    assert!(m("*.{eot,svg}", "f/a.svg"));
    assert!(m("*.{eot,svg}", "f/a.eot"));
    assert!(!m("*.{eot,svg}", "f/a.ttf"));
    assert!(m("{a,b{c,d}}.x", "bd.x"));
    assert!(m("[a-c]1.css", "b1.css"));
    assert!(!m("[!a-c]1.css", "b1.css"));
    assert!(m("[!a-c]1.css", "z1.css"));
    assert!(m("[]]x", "]x"));
    assert!(m("\\*.css", "*.css"));
    assert!(!m("\\*.css", "a.css"));
    assert!(m("héllo*", "héllo wörld"));
}

#[test]
fn malformed_patterns_are_errors_naming_the_pattern() {
    for (bad, why) in [
        ("", "empty"),
        ("a{b", "without a `}`"),
        ("a}b", "without a `{`"),
        ("[ab", "without a `]`"),
        ("ab\\", "ends with"),
        ("[z-a]", "backwards"),
    ] {
        let err = Glob::new(bad).unwrap_err().to_string();
        assert!(err.contains(&format!("`{bad}`")), "{err}");
        assert!(err.contains(why), "{err}");
    }
}

#[test]
fn sets_report_the_first_match() {
    let set = GlobSet::new(&["*.eot", "fonts/**"]).unwrap();
    assert_eq!(set.first_match("fonts/a.eot").unwrap().as_str(), "*.eot");
    assert_eq!(set.first_match("fonts/a.ttf").unwrap().as_str(), "fonts/**");
    assert!(!set.is_match("img/a.png"));
    assert!(!GlobSet::default().is_match("a"));
}
