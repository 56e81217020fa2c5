//! The template helpers of every engine give the table's URL and integrity
//! under the same names, and fail on unknown paths with the path named.

use asset_tests::ASSETS;

fn install() -> (&'static str, &'static str) {
    ASSETS.install();
    (
        ASSETS.url("css/app.css").unwrap(),
        ASSETS.integrity("css/app.css").unwrap(),
    )
}

#[test]
fn minijinja_functions_and_filters() {
    let (url, integrity) = install();
    let mut env = minijinja::Environment::new();
    asset_runtime::minijinja::register(&mut env);
    env.add_template(
        "page.html",
        r#"<link href="{{ asset_url("css/app.css") }}" integrity="{{ "css/app.css"|asset_integrity }}" crossorigin="{{ asset_crossorigin("css/app.css") }}">{{ "css/app.css"|asset_url }} {{ asset_integrity("css/app.css") }}"#,
    )
    .unwrap();
    let html = env.get_template("page.html").unwrap().render(()).unwrap();
    assert_eq!(
        html,
        format!(r#"<link href="{url}" integrity="{integrity}" crossorigin="">{url} {integrity}"#)
    );
    env.add_template("bad.html", r#"{{ asset_url("css/nope.css") }}"#)
        .unwrap();
    let err = env
        .get_template("bad.html")
        .unwrap()
        .render(())
        .unwrap_err();
    assert!(err.to_string().contains("css/nope.css"), "{err}");
}

#[test]
fn tera_functions_and_filters() {
    let (url, integrity) = install();
    let mut tera = tera::Tera::default();
    asset_runtime::tera::register(&mut tera);
    tera.add_raw_template(
        "page.html",
        r#"<link href="{{ asset_url(path="css/app.css") }}" integrity="{{ "css/app.css" | asset_integrity }}" crossorigin="{{ "css/app.css" | asset_crossorigin }}">{{ "css/app.css" | asset_url }} {{ asset_integrity(path="css/app.css") }}"#,
    )
    .unwrap();
    let html = tera.render("page.html", &tera::Context::new()).unwrap();
    assert_eq!(
        html,
        format!(r#"<link href="{url}" integrity="{integrity}" crossorigin="">{url} {integrity}"#)
    );
    tera.add_raw_template("bad.html", r#"{{ asset_url(path="css/nope.css") }}"#)
        .unwrap();
    let err = tera.render("bad.html", &tera::Context::new()).unwrap_err();
    let chain = std::iter::successors(Some(&err as &dyn std::error::Error), |e| e.source())
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(": ");
    assert!(chain.contains("css/nope.css"), "{chain}");
}

#[test]
fn maud_helpers() {
    let (url, integrity) = install();
    let js = ASSETS.get("js/app.js").unwrap();
    let markup = maud::html! {
        (asset_runtime::maud::stylesheet("css/app.css").unwrap())
        (asset_runtime::maud::script("js/app.js").unwrap())
        a href=(asset_runtime::maud::asset_url("css/app.css").unwrap()) {}
    };
    assert_eq!(
        markup.into_string(),
        format!(
            r#"<link rel="stylesheet" href="{url}" integrity="{integrity}"><script src="{}" integrity="{}" defer></script><a href="{url}"></a>"#,
            js.url(),
            js.integrity()
        )
    );
    let err = asset_runtime::maud::stylesheet("css/nope.css").unwrap_err();
    assert!(err.to_string().contains("css/nope.css"), "{err}");
}

#[test]
fn askama_filters() {
    use askama::Template;
    #[derive(Template)]
    #[template(
        source = r#"<link href="{{ "css/app.css"|asset_runtime::askama::asset_url }}" integrity="{{ "css/app.css"|asset_runtime::askama::asset_integrity }}">"#,
        ext = "html"
    )]
    struct Page;
    let (url, integrity) = install();
    assert_eq!(
        Page.render().unwrap(),
        format!(r#"<link href="{url}" integrity="{integrity}">"#)
    );

    // A typo: the error askama returns says what is wrong and suggests
    // the fix in Debug (what `.unwrap()` prints) as well as in Display.
    #[derive(Template)]
    #[template(
        source = r#"<link href="{{ "css/ap.css"|asset_runtime::askama::asset_url }}">"#,
        ext = "html"
    )]
    struct Typo;
    let err = Typo.render().unwrap_err();
    for text in [format!("{err:?}"), err.to_string()] {
        assert!(
            text.contains("unknown asset `css/ap.css`")
                && text.contains("did you mean `css/app.css`?"),
            "{text}"
        );
    }
}

#[test]
fn live_reload_is_empty_for_an_embedded_table() {
    use askama::Template;
    #[derive(Template)]
    #[template(
        source = r#"<p>{{ asset_runtime::live_reload()|safe }}</p>"#,
        ext = "html"
    )]
    struct Layout;
    install();
    assert_eq!(Layout.render().unwrap(), "<p></p>");
    let mut env = minijinja::Environment::new();
    asset_runtime::minijinja::register(&mut env);
    assert_eq!(
        env.render_str("<p>{{ live_reload() }}</p>", ()).unwrap(),
        "<p></p>"
    );
    let mut tera = tera::Tera::default();
    asset_runtime::tera::register(&mut tera);
    tera.add_raw_template("layout.html", "<p>{{ live_reload() }}</p>")
        .unwrap();
    assert_eq!(
        tera.render("layout.html", &tera::Context::new()).unwrap(),
        "<p></p>"
    );
    assert_eq!(asset_runtime::maud::live_reload().into_string(), "");
}
