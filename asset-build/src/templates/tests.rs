use super::*;

#[test]
fn every_helper_form_is_found() {
    let text = r#"<link href="{{ "css/app.css"|asset_runtime::askama::asset_url }}"
integrity="{{ 'css/app.css' | asset_integrity }}">
{{ asset_url("js/app.js") }} {{ asset_crossorigin('img/logo.svg') }}
{{ asset_url(path="fonts/a.woff2") }} {{ asset_integrity( path = "fonts/b.woff2" ) }}
(asset_runtime::maud::stylesheet("css/print.css")?) (maud::script("js/x.js")?)
"#;
    let expected: Vec<(usize, String)> = [
        (1, "css/app.css"),
        (2, "css/app.css"),
        (3, "img/logo.svg"),
        (3, "js/app.js"),
        (4, "fonts/a.woff2"),
        (4, "fonts/b.woff2"),
        (5, "css/print.css"),
        (5, "js/x.js"),
    ]
    .map(|(l, p)| (l, p.to_owned()))
    .to_vec();
    assert_eq!(used_paths(text), expected);
}

#[test]
fn variables_and_lookalikes_are_skipped() {
    let text = r#"{{ asset_url(name) }} {{ my_asset_url("x.css") }} {{ asset_urls("y.css") }}
{{ path|asset_url }} {{ "a"|other }} stylesheet "not a call"
"#;
    assert!(used_paths(text).is_empty(), "{:?}", used_paths(text));
}

#[test]
fn unknown_paths_name_the_file_the_line_and_the_closest_asset() {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("templates");
    std::fs::create_dir_all(templates.join("partials")).unwrap();
    std::fs::write(
        templates.join("index.html"),
        "<p>\n{{ \"css/ap.css\"|asset_url }}\n{{ asset_url(\"css/app.css\") }}\n",
    )
    .unwrap();
    std::fs::write(
        templates.join("partials/foot.html"),
        "{{ asset_url(\"completely/else.txt\") }}",
    )
    .unwrap();
    let known = ["css/app.css", "js/app.js"];
    let (watched, unknown) =
        check(std::slice::from_ref(&templates), known.iter().copied()).unwrap();
    assert!(watched.contains(&templates.join("index.html")));
    assert!(watched.contains(&templates.join("partials")));
    assert_eq!(unknown.len(), 2, "{unknown:?}");
    assert_eq!(
        unknown[0].to_string(),
        format!(
            "{} line 2: unknown asset `css/ap.css`: no such file in the asset folders; did you mean `css/app.css`?",
            templates.join("index.html").display()
        )
    );
    assert_eq!(unknown[1].line, 1);
    assert_eq!(unknown[1].suggestion, None);
}
