//! The demo's stylesheet and script reach their font, images and source map
//! by hashed, immutable URLs: run the demo, follow every reference.

mod common;

use common::Demo;

/// Resolves a relative reference against the folder of `base` (a path).
fn resolve(base: &str, reference: &str) -> String {
    let mut parts: Vec<&str> = base.split('/').collect();
    parts.pop();
    for segment in reference.split('/') {
        match segment {
            ".." => {
                parts.pop();
            }
            "." => {}
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// The attribute value after `attribute="` that contains `needle`.
fn attribute<'a>(html: &'a str, attribute: &str, needle: &str) -> &'a str {
    html.split(&format!("{attribute}=\""))
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap())
        .find(|value| value.contains(needle))
        .unwrap_or_else(|| panic!("no {attribute} with {needle}"))
}

#[test]
fn stylesheet_and_script_reach_everything_by_hashed_urls() {
    let demo = Demo::start();
    let (status, _, page) = demo.get("/");
    assert_eq!(status, 200);
    let page = String::from_utf8(page).unwrap();
    let css_path = attribute(&page, "href", "/static/css/app.");
    let js_path = attribute(&page, "src", "/static/js/app.");

    let css = String::from_utf8(demo.immutable(css_path)).unwrap();
    let urls: Vec<&str> = css
        .split("url(")
        .skip(1)
        .map(|rest| rest.split(')').next().unwrap().trim_matches(['"', '\'']))
        .collect();
    assert_eq!(urls.len(), 3, "{urls:?}");
    for (url, stem, extension) in [
        (urls[0], "../fonts/inter-latin-400.", ".woff2"),
        (urls[1], "../img/grain.", ".png"),
        (urls[2], "../img/logo.", ".svg"),
    ] {
        let hash = url
            .strip_prefix(stem)
            .and_then(|rest| rest.strip_suffix(extension))
            .unwrap_or_else(|| panic!("{url} is {stem}<hash>{extension}"));
        assert!(hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()));
        let body = demo.immutable(&resolve(css_path, url));
        assert!(!body.is_empty(), "{url}");
    }

    let js = String::from_utf8(demo.immutable(js_path)).unwrap();
    let map_ref = js
        .trim_end()
        .rsplit_once("//# sourceMappingURL=")
        .unwrap()
        .1;
    assert!(map_ref.starts_with("app.js.") && map_ref.ends_with(".map"));
    let map = String::from_utf8(demo.immutable(&resolve(js_path, map_ref))).unwrap();
    let js_file = js_path.rsplit('/').next().unwrap();
    assert!(
        map.contains(&format!("\"file\":\"{js_file}\"")),
        "the map names the hashed script"
    );
}
