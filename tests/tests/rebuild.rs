//! A user's crate built through cargo: editing, adding and removing an
//! asset changes what a rebuild serves; templates and `asset!` follow.

use asset_tests::client;
use asset_tests::fixture::{Fixture, Running};
use reqwest::StatusCode;

async fn get(base: &str, path: &str) -> (StatusCode, String) {
    let r = client().get(format!("{base}{path}")).send().await.unwrap();
    (r.status(), r.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread")]
async fn edit_add_and_remove_change_what_a_rebuild_serves() {
    let fixture = Fixture::new("site", "rebuild");

    // Release 1.
    let server = Running::start(&fixture.build_ok());
    let (status, css_url_1) = get(&server.base, "/url/css/app.css").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        css_url_1.starts_with("/static/css/app.") && css_url_1.ends_with(".css"),
        "{css_url_1}"
    );
    assert_eq!(
        get(&server.base, "/macro").await.1,
        css_url_1,
        "asset! and the filter agree"
    );
    let (_, page) = get(&server.base, "/").await;
    assert!(page.contains(&format!("href=\"{css_url_1}\"")), "{page}");
    assert!(page.contains("integrity=\"sha384-"), "{page}");
    assert_eq!(
        get(&server.base, &css_url_1).await,
        (StatusCode::OK, "body { color: #123456; }\n".into())
    );
    let (status, missing) = get(&server.base, "/url/css/missing.css").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        missing.contains("css/missing.css"),
        "the render error names the path: {missing}"
    );
    assert_eq!(
        get(&server.base, "/static/img/new.svg").await.0,
        StatusCode::NOT_FOUND
    );
    drop(server);

    // Release 2: one stylesheet edited, one image added, one script removed.
    fixture.write("assets/css/app.css", "body { color: #654321; }\n");
    fixture.write(
        "assets/img/new.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n",
    );
    let (_, js_url_1) = {
        let server = Running::start(&fixture.build_ok());
        // (built above with the edits; the script is still there)
        get(&server.base, "/url/js/app.js").await
    };
    fixture.remove("assets/js/app.js");
    let server = Running::start(&fixture.build_ok());

    let (_, css_url_2) = get(&server.base, "/url/css/app.css").await;
    assert_ne!(css_url_2, css_url_1, "an edited file gets a new URL");
    assert_eq!(
        get(&server.base, "/macro").await.1,
        css_url_2,
        "asset! follows the edit"
    );
    assert_eq!(
        get(&server.base, &css_url_2).await,
        (StatusCode::OK, "body { color: #654321; }\n".into())
    );
    assert_eq!(
        get(&server.base, &css_url_1).await.0,
        StatusCode::NOT_FOUND,
        "the old URL is gone"
    );
    assert_eq!(
        get(&server.base, "/static/css/app.css").await.1,
        "body { color: #654321; }\n",
        "the logical path serves the new bytes"
    );
    assert!(get(&server.base, "/").await.1.contains(&css_url_2));

    let (status, svg_url) = get(&server.base, "/url/img/new.svg").await;
    assert_eq!(status, StatusCode::OK, "an added file is served");
    assert_eq!(get(&server.base, &svg_url).await.0, StatusCode::OK);

    assert_eq!(
        get(&server.base, "/url/js/app.js").await.0,
        StatusCode::NOT_FOUND,
        "a removed file is gone"
    );
    assert_eq!(get(&server.base, &js_url_1).await.0, StatusCode::NOT_FOUND);
    assert_eq!(
        get(&server.base, "/static/js/app.js").await.0,
        StatusCode::NOT_FOUND
    );
}
