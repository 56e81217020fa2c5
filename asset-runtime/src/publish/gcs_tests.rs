//! Publish and prune through object_store's Google Cloud Storage client,
//! opened from a `gs://` URL as `Publish::run` opens it, against a small
//! server in the test that speaks the part of the GCS XML API the client
//! uses and records every request.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use asset_manifest::release;
use http::{HeaderMap, Method, Request, Response, StatusCode};
use http_body::Body as _;
use hyper::body::Incoming;

use super::store::Target;
use super::tests::{find, table};
use super::*;

const URL: &str = "gs://bucket/static/";
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// One request as the server saw it, and the status it answered.
struct Seen {
    method: Method,
    /// The path, percent-decoded: `/bucket` or `/bucket/<object name>`.
    path: String,
    query: Vec<(String, String)>,
    headers: HeaderMap,
    status: StatusCode,
}

impl Seen {
    /// `METHOD /path?query STATUS`, for comparing whole sequences.
    fn line(&self) -> String {
        let query: Vec<String> = self.query.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let query = if query.is_empty() {
            String::new()
        } else {
            format!("?{}", query.join("&"))
        };
        let status = self.status.as_u16();
        format!("{} {}{query} {status}", self.method, self.path)
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|v| v.to_str().unwrap())
    }
}

struct Stored {
    bytes: Vec<u8>,
    /// `Content-Type`, `Cache-Control` and `Content-Encoding` as written.
    headers: HeaderMap,
    /// Its generation, which is also the second of 2020-01-01 it was
    /// written at: later writes are newer, and all are in the past.
    generation: u64,
}

#[derive(Default)]
struct State {
    objects: BTreeMap<String, Stored>,
    seen: Vec<Seen>,
    /// `(method or any, the end of the path or any, status, times)`:
    /// answered instead of the normal answer, the given number of times.
    faults: Vec<(Option<Method>, Option<String>, StatusCode, usize)>,
    /// The `Retry-After` of a faulty 503, in seconds (default 1).
    retry_after: Option<u64>,
    /// Objects another publisher writes just before our PUT of the name.
    raced: BTreeMap<String, Vec<u8>>,
    generation: u64,
}

/// The server: `gs://bucket/…` at `base`.
struct FakeGcs {
    base: String,
    state: Arc<Mutex<State>>,
}

impl FakeGcs {
    async fn start() -> FakeGcs {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(State::default()));
        let shared = state.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let state = shared.clone();
                let service = hyper::service::service_fn(move |r| serve(state.clone(), r));
                tokio::spawn(
                    hyper::server::conn::http1::Builder::new()
                        .serve_connection(hyper_util::rt::TokioIo::new(stream), service),
                );
            }
        });
        FakeGcs { base, state }
    }

    /// The store, opened as `Target::open` opens a `gs://` URL, with a
    /// service-account key that points the client here and turns OAuth off.
    fn target(&self) -> Target {
        self.target_retrying(2)
    }

    /// [`FakeGcs::target`], retrying a failed request `retries` times.
    fn target_retrying(&self, retries: usize) -> Target {
        let key = format!(
            r#"{{"private_key": "", "private_key_id": "", "client_email": "",
                "gcs_base_url": "{}", "disable_oauth": true}}"#,
            self.base
        );
        let settings = [
            ("google_service_account_key", key.as_str()),
            ("google_allow_http", "true"),
        ];
        Target::open_with(URL, retries, &settings).unwrap()
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap()
    }

    /// The requests since the last call.
    fn requests(&self) -> Vec<Seen> {
        std::mem::take(&mut self.state().seen)
    }

    fn fail(&self, method: Option<Method>, status: StatusCode, times: usize) {
        self.state().faults.push((method, None, status, times));
    }

    /// [`FakeGcs::fail`] for the requests whose path ends with `suffix`.
    fn fail_path(&self, method: Method, suffix: &str, status: StatusCode, times: usize) {
        let fault = (Some(method), Some(suffix.to_owned()), status, times);
        self.state().faults.push(fault);
    }

    /// Writes an object as someone else would.
    fn seed(&self, name: &str, bytes: &[u8]) {
        self.state()
            .insert(name.to_owned(), bytes.to_vec(), HeaderMap::new());
    }

    fn bytes(&self, name: &str) -> Option<Vec<u8>> {
        self.state().objects.get(name).map(|o| o.bytes.clone())
    }

    fn names(&self) -> Vec<String> {
        self.state().objects.keys().cloned().collect()
    }
}

async fn serve(
    state: Arc<Mutex<State>>,
    request: Request<Incoming>,
) -> Result<Response<String>, Infallible> {
    let (parts, mut body) = request.into_parts();
    let mut bytes = Vec::new();
    while let Some(frame) = std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await {
        if let Ok(data) = frame.unwrap().into_data() {
            bytes.extend_from_slice(&data);
        }
    }
    let path = percent_encoding::percent_decode_str(parts.uri.path())
        .decode_utf8()
        .unwrap()
        .into_owned();
    let query = url::form_urlencoded::parse(parts.uri.query().unwrap_or("").as_bytes())
        .into_owned()
        .collect();
    let mut seen = Seen {
        method: parts.method,
        path,
        query,
        headers: parts.headers,
        status: StatusCode::OK,
    };
    let mut state = state.lock().unwrap();
    let response = state.answer(&seen, bytes);
    seen.status = response.status();
    state.seen.push(seen);
    Ok(response)
}

fn reply(status: StatusCode, headers: Vec<(&str, String)>, body: String) -> Response<String> {
    let mut response = Response::builder().status(status);
    for (name, value) in headers {
        response = response.header(name, value);
    }
    response.body(body).unwrap()
}

impl State {
    fn insert(&mut self, name: String, bytes: Vec<u8>, headers: HeaderMap) -> u64 {
        self.generation += 1;
        let generation = self.generation;
        let stored = Stored {
            bytes,
            headers,
            generation,
        };
        self.objects.insert(name, stored);
        generation
    }

    /// What GCS answers `request` with.
    fn answer(&mut self, request: &Seen, body: Vec<u8>) -> Response<String> {
        let method = &request.method;
        let fault = self.faults.iter_mut().find(|(m, path, _, times)| {
            *times > 0
                && m.as_ref().is_none_or(|m| m == method)
                && path
                    .as_ref()
                    .is_none_or(|p| request.path.ends_with(p.as_str()))
        });
        if let Some((_, _, status, times)) = fault {
            *times -= 1;
            let headers = match *status {
                StatusCode::SERVICE_UNAVAILABLE => {
                    vec![("retry-after", self.retry_after.unwrap_or(1).to_string())]
                }
                _ => Vec::new(),
            };
            return reply(
                *status,
                headers,
                format!("<Error><Code>{status}</Code></Error>"),
            );
        }
        let not_found = || reply(StatusCode::NOT_FOUND, Vec::new(), "<Error/>".into());
        let name = match request.path.strip_prefix("/bucket") {
            Some("") => None,
            Some(rest) => rest.strip_prefix('/').map(str::to_owned),
            None => return not_found(),
        };
        match (method, name) {
            (&Method::GET, None) => self.list(request),
            (&Method::PUT, Some(name)) => self.put(request, name, body),
            (&Method::GET | &Method::HEAD, Some(name)) => {
                let Some(object) = self.objects.get(&name) else {
                    return not_found();
                };
                let mut headers = vec![
                    ("content-length", object.bytes.len().to_string()),
                    ("etag", format!("\"{}\"", object.generation)),
                    ("x-goog-generation", object.generation.to_string()),
                    ("last-modified", time(object.generation, true)),
                ];
                for (name, value) in &object.headers {
                    headers.push((name.as_str(), value.to_str().unwrap().to_owned()));
                }
                let body = match *method {
                    Method::HEAD => String::new(),
                    _ => String::from_utf8(object.bytes.clone()).unwrap(),
                };
                reply(StatusCode::OK, headers, body)
            }
            (&Method::DELETE, Some(name)) => match self.objects.remove(&name) {
                Some(_) => reply(StatusCode::NO_CONTENT, Vec::new(), String::new()),
                None => not_found(),
            },
            _ => reply(StatusCode::BAD_REQUEST, Vec::new(), "<Error/>".into()),
        }
    }

    /// `GET /bucket?list-type=2&prefix=…`: every object under the prefix, one
    /// page.
    fn list(&self, request: &Seen) -> Response<String> {
        let query: BTreeMap<_, _> = request.query.iter().cloned().collect();
        assert_eq!(query.get("list-type").map(String::as_str), Some("2"));
        let prefix = query.get("prefix").cloned().unwrap_or_default();
        let mut xml = String::from("<ListBucketResult><Name>bucket</Name>");
        for (name, object) in self.objects.range(prefix.clone()..) {
            if !name.starts_with(&prefix) {
                break;
            }
            xml += &format!(
                "<Contents><Key>{name}</Key><Size>{}</Size><LastModified>{}</LastModified>\
                 <ETag>\"{}\"</ETag></Contents>",
                object.bytes.len(),
                time(object.generation, false),
                object.generation,
            );
        }
        reply(StatusCode::OK, Vec::new(), xml + "</ListBucketResult>")
    }

    /// `PUT /bucket/<name>`, refused with 412 when it carries
    /// `x-goog-if-generation-match: 0` and the object exists.
    fn put(&mut self, request: &Seen, name: String, bytes: Vec<u8>) -> Response<String> {
        if let Some(theirs) = self.raced.remove(&name) {
            self.insert(name.clone(), theirs, HeaderMap::new());
        }
        if request.header("x-goog-if-generation-match") == Some("0")
            && self.objects.contains_key(&name)
        {
            let error = "<Error><Code>PreconditionFailed</Code></Error>";
            return reply(StatusCode::PRECONDITION_FAILED, Vec::new(), error.into());
        }
        let mut headers = HeaderMap::new();
        for header in ["content-type", "cache-control", "content-encoding"] {
            if let Some(value) = request.headers.get(header) {
                headers.insert(header, value.clone());
            }
        }
        let generation = self.insert(name, bytes, headers);
        let headers = vec![
            ("etag", format!("\"{generation}\"")),
            ("x-goog-generation", generation.to_string()),
        ];
        reply(StatusCode::OK, headers, String::new())
    }
}

/// The time of `generation`: that second of 2020-01-01, as an HTTP date or
/// as RFC 3339 (listings).
fn time(generation: u64, http: bool) -> String {
    let (h, m, s) = (generation / 3600, generation / 60 % 60, generation % 60);
    match http {
        true => format!("Wed, 01 Jan 2020 {h:02}:{m:02}:{s:02} GMT"),
        false => format!("2020-01-01T{h:02}:{m:02}:{s:02}.000Z"),
    }
}

async fn publish(assets: &Assets, gcs: &FakeGcs) -> Result<PublishReport, PublishError> {
    let publish = assets.publish(URL).precompressed(true).progress(false);
    publish.run_on(gcs.target()).await
}

/// The requests' lines, in order.
fn lines<'a>(requests: impl IntoIterator<Item = &'a Seen>) -> Vec<String> {
    requests.into_iter().map(Seen::line).collect()
}

/// Lines whose order is not the client's to keep, sorted.
fn sorted(lines: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut lines: Vec<String> = lines.into_iter().collect();
    lines.sort();
    lines
}

fn list_line(folder: &str) -> String {
    format!("GET /bucket?list-type=2&prefix=static/{folder} 200")
}

/// A publish lists `manifests/`, writes its record (`manifests/publishing/`),
/// lists the prefix, then sends one create-only PUT per object carrying its
/// `Content-Type`, the immutable `Cache-Control` and, for a precompressed
/// sibling, its `Content-Encoding`, then the release manifest, itself
/// create-only, and removes its record. A rerun lists `manifests/` and
/// writes nothing.
#[tokio::test]
async fn a_publish_creates_each_object_with_its_headers_then_the_manifest() {
    let gcs = FakeGcs::start().await;
    let assets = table(&[("app.css", "a{}")]);
    let report = publish(assets, &gcs).await.unwrap();
    let css = find(assets, "app.css").hashed_path();
    let br = format!("{css}.br");
    let manifest = release::manifest_key(&assets.release_name());
    assert_eq!(report.uploaded, vec![css.to_owned(), br.clone()]);
    assert_eq!(report.manifest, ManifestWrite::Written);

    let requests = gcs.requests();
    let put = |key: &str| format!("PUT /bucket/static/{key} 200");
    assert_eq!(requests.len(), 7, "{:#?}", lines(&requests));
    let record = requests[1].path.strip_prefix("/bucket/static/").unwrap();
    assert_eq!(
        release::publishing_of(record),
        Some(assets.release_name().as_str())
    );
    assert_eq!(lines(&requests[..1]), [list_line("manifests/")]);
    assert_eq!(lines(&requests[1..3]), [put(record), list_line("")]);
    assert_eq!(sorted(lines(&requests[3..5])), [put(css), put(&br)]);
    assert_eq!(
        lines(&requests[5..]),
        [
            put(&manifest),
            format!("DELETE /bucket/static/{record} 204")
        ]
    );
    assert_eq!(requests[1].header("cache-control"), Some("no-store"));

    for request in &requests[3..6] {
        assert_eq!(request.header("x-goog-if-generation-match"), Some("0"));
        let encoding = request.path.ends_with(".br").then_some("br");
        assert_eq!(
            request.header("content-encoding"),
            encoding,
            "{}",
            request.path
        );
        let (content_type, cache_control) = match request.path.ends_with(".json") {
            true => ("application/json; charset=utf-8", "no-cache"),
            false => ("text/css; charset=utf-8", IMMUTABLE),
        };
        assert_eq!(request.header("content-type"), Some(content_type));
        assert_eq!(request.header("cache-control"), Some(cache_control));
    }
    assert_eq!(gcs.bytes(&format!("static/{css}")).unwrap(), b"a{}");
    assert_eq!(gcs.bytes(&format!("static/{br}")).unwrap(), b"br:a{}");

    let rerun = publish(assets, &gcs).await.unwrap();
    assert!(rerun.uploaded.is_empty(), "{rerun:?}");
    assert_eq!(rerun.manifest, ManifestWrite::Present);
    assert_eq!(lines(&gcs.requests()), [list_line("manifests/")]);
}

/// An object another publisher writes between the listing and our create
/// gets a 412: with the release's size it counts as present, and the
/// publish goes on; with another size it is a conflict naming the key, and
/// no manifest is written.
#[tokio::test]
async fn a_412_on_create_is_present_with_the_same_size_and_a_conflict_otherwise() {
    let assets = table(&[("app.css", "a{}")]);
    let css = find(assets, "app.css").hashed_path();
    let name = format!("static/{css}");

    let gcs = FakeGcs::start().await;
    gcs.state().raced.insert(name.clone(), b"a{}".to_vec());
    let report = publish(assets, &gcs).await.unwrap();
    assert_eq!(report.uploaded, vec![format!("{css}.br")]);
    assert_eq!((report.present, report.present_bytes), (1, 3));
    assert_eq!(report.manifest, ManifestWrite::Written);
    let requests = lines(&gcs.requests());
    assert!(
        requests.contains(&format!("PUT /bucket/{name} 412")),
        "{requests:#?}"
    );
    assert!(
        requests.contains(&format!("HEAD /bucket/{name} 200")),
        "{requests:#?}"
    );

    let gcs = FakeGcs::start().await;
    gcs.state()
        .raced
        .insert(name.clone(), b"other bytes".to_vec());
    let err = publish(assets, &gcs).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    let message = err.to_string();
    assert!(message.starts_with(URL), "{message}");
    assert!(message.contains(&format!("`{css}` was written meanwhile with 11 bytes")));
    let manifest = format!(
        "/bucket/static/{}",
        release::manifest_key(&assets.release_name())
    );
    let requests = gcs.requests();
    assert!(
        !requests
            .iter()
            .any(|r| r.method == Method::PUT && r.path == manifest),
        "{:#?}",
        lines(&requests)
    );
    // The failed publish removed its record; no manifest is there.
    let names = gcs.names();
    assert!(names.contains(&name), "{names:?}");
    assert!(!names.iter().any(|n| n.contains("manifests/")), "{names:?}");
}

/// A 503 with `Retry-After` on a create is retried (the same create-only
/// PUT), and the publish then succeeds.
#[tokio::test]
async fn a_503_on_create_is_retried_and_the_publish_succeeds() {
    let gcs = FakeGcs::start().await;
    let assets = table(&[("app.css", "a{}")]);
    let css = find(assets, "app.css").hashed_path();
    gcs.fail_path(Method::PUT, css, StatusCode::SERVICE_UNAVAILABLE, 1);
    let report = publish(assets, &gcs).await.unwrap();
    assert_eq!(report.uploaded.len(), 2);
    assert_eq!(report.manifest, ManifestWrite::Written);

    let requests = gcs.requests();
    let failed = requests
        .iter()
        .position(|r| r.status == StatusCode::SERVICE_UNAVAILABLE)
        .unwrap();
    let retried: Vec<&Seen> = requests[failed..]
        .iter()
        .filter(|r| r.method == Method::PUT && r.path == requests[failed].path)
        .collect();
    assert!(requests[failed].path.ends_with(css));
    assert_eq!(retried.len(), 2, "{:#?}", lines(&requests));
    assert_eq!(retried[1].status, StatusCode::OK);
    assert_eq!(retried[1].header("x-goog-if-generation-match"), Some("0"));
    assert_eq!(gcs.names().len(), 3, "both objects and the manifest");
}

/// With no retries, a 503 fails the publish at once: the wait its
/// `Retry-After` asks for is a wait before a retry, and none follows.
#[tokio::test]
async fn with_no_retries_a_503_fails_without_waiting_for_retry_after() {
    let gcs = FakeGcs::start().await;
    gcs.state().retry_after = Some(20);
    let assets = table(&[("app.css", "a{}")]);
    let css = find(assets, "app.css").hashed_path();
    gcs.fail_path(
        Method::PUT,
        css,
        StatusCode::SERVICE_UNAVAILABLE,
        usize::MAX,
    );
    let began = std::time::Instant::now();
    let publish = assets.publish(URL).precompressed(true).progress(false);
    let err = publish.run_on(gcs.target_retrying(0)).await.unwrap_err();
    let took = began.elapsed();
    let message = err.to_string();
    assert!(
        message.contains(css) && message.contains("503"),
        "{message}"
    );
    // Waiting would take the whole 20 s (under MAX_RETRY_AFTER).
    assert!(took < Duration::from_secs(10), "{took:?}: {message}");
    let requests = gcs.requests();
    let tries = requests.iter().filter(|r| r.path.ends_with(css)).count();
    assert_eq!(tries, 1, "{:#?}", lines(&requests));
}

/// A prune writes its lock (`manifests/pruning/`), lists the prefix, reads
/// the manifests, then deletes, one DELETE each, exactly the objects no
/// kept release names, then the old manifest, then its lock; a key that
/// is no asset stays.
#[tokio::test]
async fn a_prune_deletes_exactly_the_unnamed_objects_then_the_old_manifest() {
    let gcs = FakeGcs::start().await;
    let r1 = table(&[("app.css", "v1"), ("old.js", "1")]);
    let r2 = table(&[("app.css", "v2")]);
    // r2 is published last, so it is the newest.
    for release in [r1, r2] {
        publish(release, &gcs).await.unwrap();
    }
    gcs.seed("static/robots.txt", b"x");
    gcs.requests();

    let report = prune(URL)
        .keep(1)
        .grace(Duration::ZERO)
        .delete(true)
        .run_on(gcs.target())
        .await
        .unwrap();
    assert_eq!(report.foreign, vec!["robots.txt".to_owned()]);
    let requests = gcs.requests();
    let lock = requests[0].path.strip_prefix("/bucket/static/").unwrap();
    assert!(release::is_pruning_key(lock), "{:#?}", lines(&requests));
    assert_eq!(requests[0].line(), format!("PUT /bucket/static/{lock} 200"));
    let (lock_removed, requests) = requests[1..].split_last().unwrap();
    assert_eq!(
        lock_removed.line(),
        format!("DELETE /bucket/static/{lock} 204")
    );
    let (deletes, reads): (Vec<&Seen>, Vec<&Seen>) =
        requests.iter().partition(|r| r.method == Method::DELETE);
    let manifests = [r1, r2].map(|r| release::manifest_key(&r.release_name()));
    let get = manifests
        .clone()
        .map(|key| format!("GET /bucket/static/{key} 200"));
    assert_eq!(lines(reads[..1].iter().copied()), [list_line("")]);
    assert_eq!(sorted(lines(reads[1..].iter().copied())), sorted(get));
    let delete = |key: &str| format!("DELETE /bucket/static/{key} 204");
    let only_r1 = ["app.css", "old.js"].map(|logical| find(r1, logical).hashed_path());
    let only_r1 = only_r1
        .iter()
        .flat_map(|k| [delete(k), delete(&format!("{k}.br"))]);
    let (last, objects) = deletes.split_last().unwrap();
    assert_eq!(sorted(lines(objects.iter().copied())), sorted(only_r1));
    assert_eq!(last.line(), delete(&manifests[0]));

    let css = find(r2, "app.css").hashed_path();
    let left = [css, &format!("{css}.br"), &manifests[1], "robots.txt"];
    assert_eq!(gcs.names(), sorted(left.map(|k| format!("static/{k}"))));
}

/// Refused credentials (403), on the first listing or on an upload, are a
/// `Credentials` error that starts with the store's URL; a refused upload
/// is not retried, and no manifest is written.
#[tokio::test]
async fn a_403_is_a_credentials_error_naming_the_url() {
    let assets = table(&[("app.css", "a{}")]);
    for method in [None, Some(Method::PUT)] {
        let gcs = FakeGcs::start().await;
        gcs.fail(method.clone(), StatusCode::FORBIDDEN, usize::MAX);
        let err = publish(assets, &gcs).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Credentials, "{method:?}: {err}");
        let message = err.to_string();
        assert!(message.starts_with(URL), "{message}");
        assert!(message.contains("GOOGLE_SERVICE_ACCOUNT"), "{message}");
        let requests = gcs.requests();
        let refused: Vec<&Seen> = requests
            .iter()
            .filter(|r| r.status == StatusCode::FORBIDDEN)
            .collect();
        let paths: std::collections::BTreeSet<&str> =
            refused.iter().map(|r| r.path.as_str()).collect();
        assert_eq!(
            paths.len(),
            refused.len(),
            "not retried: {:#?}",
            lines(&requests)
        );
        assert!(
            refused
                .iter()
                .all(|r| r.method == *method.as_ref().unwrap_or(&Method::GET))
        );
        assert!(
            !requests
                .iter()
                .any(|r| r.status.is_success() && r.method == Method::PUT)
        );
        assert!(gcs.names().is_empty());
    }
}
