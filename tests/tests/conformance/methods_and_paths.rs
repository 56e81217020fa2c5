//! Methods (HEAD, 405) and paths (unknown, empty files, names that
//! need percent-encoding).

use super::*;

#[tokio::test]
async fn head_has_the_headers_of_get_and_no_body() {
    for s in servers() {
        for accept in ["identity", "br", "gzip", "zstd"] {
            let get = s
                .get(url("css/app.css"), &[("accept-encoding", accept)])
                .await;
            let head = s
                .send(
                    Method::HEAD,
                    url("css/app.css"),
                    &[("accept-encoding", accept)],
                )
                .await;
            assert_eq!(head.status(), StatusCode::OK);
            for name in [
                "content-type",
                "content-length",
                "etag",
                "cache-control",
                "vary",
                "content-encoding",
                "accept-ranges",
            ] {
                assert_eq!(h(&head, name), h(&get, name), "{name} for {accept}");
            }
            assert!(head.bytes().await.unwrap().is_empty());
        }
    }
}

#[tokio::test]
async fn unknown_paths_are_404() {
    for s in servers() {
        for path in [
            "/static/nope.css",
            "/static/",
            "/static/.DS_Store",
            "/static/%ff",
            "/static/css/app.css/",
            "/nope",
        ] {
            let r = s.get(path, &[("if-match", "\"nope\"")]).await;
            // Preconditions are not evaluated for a path that would be 404.
            assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
            let core = path.starts_with("/static/") && !s.adapter.hands_unknown_paths_to_the_app();
            if core {
                assert_eq!(h(&r, "x-content-type-options"), Some("nosniff"), "{path}");
                assert_eq!(h(&r, "content-type"), Some("text/plain; charset=utf-8"));
                assert_eq!(r.text().await.unwrap(), "404 Not Found\n");
            }
        }
        // The app's own routes still work next to the assets.
        let home = s.get("/", &[]).await;
        assert_eq!(home.status(), StatusCode::OK);
        assert_eq!(home.text().await.unwrap(), "home");
    }
}

#[tokio::test]
async fn other_methods_are_405_with_allow() {
    for s in servers() {
        for method in [
            Method::POST,
            Method::PUT,
            Method::DELETE,
            Method::PATCH,
            Method::OPTIONS,
        ] {
            let r = s.send(method.clone(), url("css/app.css"), &[]).await;
            assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED, "{method}");
            assert_eq!(h(&r, "allow"), Some("GET, HEAD"), "{method}");
        }
    }
}

#[tokio::test]
async fn empty_file_and_names_that_need_encoding() {
    for s in servers() {
        let r = s.get(url("data/empty.txt"), &[]).await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(h(&r, "content-length"), Some("0"));
        let r = s.get(url("data/empty.txt"), &[("range", "bytes=0-")]).await;
        assert_eq!(r.status(), StatusCode::RANGE_NOT_SATISFIABLE);
        assert_eq!(h(&r, "content-range"), Some("bytes */0"));

        let spaced = url("docs/read me.txt");
        assert!(spaced.starts_with("/static/docs/read%20me."), "{spaced}");
        let r = s.get(spaced, &[]).await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.bytes().await.unwrap(), source_bytes("docs/read me.txt"));
        let r = s.get("/static/docs/read%20me.txt", &[]).await;
        assert_eq!(r.status(), StatusCode::OK);
    }
}
