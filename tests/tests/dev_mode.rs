//! Development mode (`ASSET_DEV=1`): a user's crate built once serves the
//! current contents of its asset files, under hashed URLs of those
//! contents, with `Cache-Control: no-cache`; it serves the files a release
//! build would embed (links followed) and nothing else, and warns about
//! the references a release build fails on.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use asset_tests::client;
use asset_tests::fixture::{Fixture, Running};

async fn get(base: &str, path: &str) -> (u16, String, String) {
    let r = client().get(format!("{base}{path}")).send().await.unwrap();
    let status = r.status().as_u16();
    let cache = r
        .headers()
        .get("cache-control")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, cache, r.text().await.unwrap())
}

/// Sends a request line exactly as written (HTTP clients normalise dot
/// segments and escapes) and returns the status and the body.
fn raw(addr: &str, target: &[u8]) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut request = b"GET ".to_vec();
    request.extend_from_slice(target);
    request.extend_from_slice(b" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    stream.write_all(&request).unwrap();
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, text)
}

#[tokio::test(flavor = "multi_thread")]
async fn edits_show_without_a_rebuild_and_nothing_outside_is_served() {
    let fixture = Fixture::new("site", "dev-mode");
    fixture.write("secret.txt", "TOP-SECRET outside the asset folder\n");
    std::os::unix::fs::symlink(
        fixture.path("assets/css/app.css"),
        fixture.path("assets/css/alias.css"),
    )
    .unwrap();
    fixture.write("vendor/linked.css", "p { margin: 0; }\n");
    std::os::unix::fs::symlink(
        fixture.path("vendor/linked.css"),
        fixture.path("assets/css/linked.css"),
    )
    .unwrap();
    // A reference a release build fails on: a warning here, not a failure.
    fixture.write(
        "assets/css/broken.css",
        "p {\n  background: url(../img/gone.png);\n}\n",
    );
    let (binary, stderr) = fixture
        .build_with_env_output(&[("ASSET_DEV", "1")])
        .unwrap_or_else(|f| panic!("{}", f.stderr));
    let warning = stderr
        .lines()
        .find(|line| line.contains("broken.css"))
        .unwrap_or_else(|| panic!("no warning about broken.css:\n{stderr}"));
    let expected = fixture.path("assets/img/gone.png");
    assert!(
        warning.starts_with("warning:")
            && warning.contains(&fixture.path("assets/css/broken.css").display().to_string())
            && warning.contains("line 2")
            && warning.contains(&expected.display().to_string())
            && warning.contains("a release build fails on this"),
        "{warning}"
    );
    let server = Running::start(&binary);
    let base = server.base.clone();

    // asset! is fixed at compile time: the logical URL.
    assert_eq!(get(&base, "/macro").await.2, "/static/css/app.css");

    let (_, _, url_1) = get(&base, "/url/css/app.css").await;
    assert!(
        url_1.starts_with("/static/css/app.") && url_1.len() == "/static/css/app..css".len() + 16,
        "{url_1}"
    );
    let (status, cache, body) = get(&base, &url_1).await;
    assert_eq!(
        (status, cache.as_str(), body.as_str()),
        (200, "no-cache", "body { color: #123456; }\n")
    );

    // Edit on disk; no rebuild.
    fixture.write("assets/css/app.css", "body { color: #abcdef; }\n");
    let (_, _, url_2) = get(&base, "/url/css/app.css").await;
    assert_ne!(url_2, url_1, "the hashed URL follows the current contents");
    let (status, cache, body) = get(&base, &url_2).await;
    assert_eq!(
        (status, cache.as_str(), body.as_str()),
        (200, "no-cache", "body { color: #abcdef; }\n")
    );
    assert_eq!(
        get(&base, "/static/css/app.css").await.2,
        "body { color: #abcdef; }\n"
    );
    let page = get(&base, "/").await.2;
    assert!(page.contains(&url_2), "{page}");
    // A link inside the folder is served.
    assert_eq!(
        get(&base, "/static/css/alias.css").await.2,
        "body { color: #abcdef; }\n"
    );
    // A link that led outside the folder when the build listed it is
    // served, as a release build embeds it (a symlinked node_modules).
    assert_eq!(
        get(&base, "/static/css/linked.css").await.2,
        "p { margin: 0; }\n"
    );
    // A listed path swapped for a link to anything else after the build is
    // not: outside the folder, inside it, or in place of a plain file.
    let swap = |listed: &str, to: &str| {
        std::fs::remove_file(fixture.path(listed)).unwrap();
        std::os::unix::fs::symlink(fixture.path(to), fixture.path(listed)).unwrap();
    };
    swap("assets/css/alias.css", "secret.txt");
    swap("assets/css/linked.css", "assets/css/app.css");
    swap("assets/css/broken.css", "assets/css/app.css");

    // Nothing outside the asset folders, however the path is written.
    let addr = server.addr().to_owned();
    let attempts: [&[u8]; 14] = [
        b"/static/css/alias.css",
        b"/static/css/linked.css",
        b"/static/css/broken.css",
        b"/static/../secret.txt",
        b"/static/../Cargo.toml",
        b"/static/%2e%2e/secret.txt",
        b"/static/%2E%2E/%2E%2E/Cargo.toml",
        b"/static/css/..%2f..%2fsecret.txt",
        b"/static/css%5c..%5c..%5csecret.txt",
        b"/static/css\\..\\..\\secret.txt",
        b"/static/css/app.css%00",
        b"/static/css/app.css%00.txt",
        b"/static//etc/passwd",
        b"/static/%2fetc%2fpasswd",
    ];
    for target in attempts {
        let (status, text) = raw(&addr, target);
        let shown = String::from_utf8_lossy(target);
        assert!((400..500).contains(&status), "{shown}: {status}\n{text}");
        assert!(
            !text.contains("TOP-SECRET") && !text.contains("[package]") && !text.contains("root:"),
            "{shown}:\n{text}"
        );
    }
}
