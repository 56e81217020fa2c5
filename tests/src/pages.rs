//! The same small app, with the page validator, on every adapter: axum
//! through the tower layer (alone, inside tower-http's `CompressionLayer`
//! and outside it), actix-web through the middleware, and hyper through
//! `ValidateLayer::wrap` (no streamed routes there). Each runs on its
//! own thread and runtime on a free port of 127.0.0.1.
//!
//! | route | policy | what the handler does |
//! |---|---|---|
//! | `/page` | `revalidate` | a 20 KB HTML page (render counted) |
//! | `/cdn-page` | `shared(60, 300)` | a small HTML page |
//! | `/login` | `shared(60, 300)` | sets a session cookie |
//! | `/api/me` | `private_max_age(120)` + `Vary: Origin` | JSON naming the session cookie, `Vary: Accept-Language` of its own |
//! | `/post/7` | `revalidate` | answers 304 before rendering with `Version` (render counted) |
//! | `/tagged` | `revalidate` | sets its own `ETag: "v1"` |
//! | `/immutable-html` | `revalidate` | HTML with the assets' immutable `Cache-Control` |
//! | `/big` | `revalidate` | 100 KB, over the 64 KB limit |
//! | `/stream` | `revalidate` | three chunks, streamed |
//! | `/stream-big` | `revalidate` | 100 KB in 10 KB chunks, streamed |

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{OnceLock, mpsc};

use asset_runtime::pages::{CachePolicy, ValidateLayer, Version};

/// The limit every server sets: 64 KiB.
pub const LIMIT: usize = 64 * 1024;

/// How each server adds the validator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageServer {
    /// axum, `ValidateLayer` on the routes.
    Axum,
    /// axum, `ValidateLayer` inside `CompressionLayer` (the recommended
    /// order: the validator is closer to the handler).
    AxumCompressedInside,
    /// axum, `ValidateLayer` outside `CompressionLayer`.
    AxumCompressedOutside,
    /// actix-web, `pages::actix::Validate` middleware.
    Actix,
    /// hyper 1, `ValidateLayer::wrap(service_fn(app))`.
    Hyper,
}

impl PageServer {
    /// Every server.
    pub const ALL: [PageServer; 5] = [
        PageServer::Axum,
        PageServer::AxumCompressedInside,
        PageServer::AxumCompressedOutside,
        PageServer::Actix,
        PageServer::Hyper,
    ];

    /// `http://127.0.0.1:PORT`, started on first use.
    pub fn base(self) -> &'static str {
        static BASES: [OnceLock<String>; 5] = [const { OnceLock::new() }; 5];
        BASES[self as usize].get_or_init(|| format!("http://{}", start(self)))
    }

    /// How many times this server rendered `route` (`/page` or `/post/7`).
    pub fn renders(self, route: &str) -> usize {
        let index = self as usize * 2 + usize::from(route != "/page");
        RENDERS[index].load(Ordering::SeqCst)
    }

    fn count(self, route: &str) {
        let index = self as usize * 2 + usize::from(route != "/page");
        RENDERS[index].fetch_add(1, Ordering::SeqCst);
    }
}

static RENDERS: [AtomicUsize; 10] = [const { AtomicUsize::new(0) }; 10];

/// The 20 KB page.
pub fn page_html() -> String {
    let mut html = String::from("<!doctype html><html><head><title>Page</title></head><body>\n");
    let mut i = 0;
    while html.len() < 20 * 1024 {
        html.push_str(&format!(
            "<p>Paragraph {i}: the same words each time.</p>\n"
        ));
        i += 1;
    }
    html.push_str("</body></html>\n");
    html
}

const POST_UPDATED_AT: &str = "2026-11-24T10:00:00Z";

fn post_html() -> String {
    format!("<!doctype html><h1>Post 7</h1><p>updated {POST_UPDATED_AT}</p>")
}

fn big_body() -> Vec<u8> {
    (0..100 * 1024).map(|i| b'a' + (i % 26) as u8).collect()
}

fn start(server: PageServer) -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let (ready, wait) = mpsc::channel();
    std::thread::Builder::new()
        .name(format!("{server:?}"))
        .spawn(move || match server {
            PageServer::Actix => run_actix(listener, ready),
            _ => {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                runtime.block_on(async move {
                    listener.set_nonblocking(true).unwrap();
                    let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                    ready.send(()).unwrap();
                    if server == PageServer::Hyper {
                        run_hyper(listener).await
                    } else {
                        axum::serve(listener, axum_app(server)).await.unwrap()
                    }
                });
            }
        })
        .unwrap();
    wait.recv().unwrap();
    addr
}

mod axum_side {
    use super::*;
    use axum::body::Body;
    use axum::http::{HeaderMap, Method, Response, header};
    use axum::response::{Html, IntoResponse};

    pub fn page(server: PageServer) -> impl Fn() -> std::future::Ready<Html<String>> + Clone {
        move || {
            server.count("/page");
            std::future::ready(Html(page_html()))
        }
    }

    pub async fn cdn_page() -> Html<&'static str> {
        Html("<!doctype html><p>shared</p>")
    }

    pub async fn login() -> impl IntoResponse {
        (
            [(header::SET_COOKIE, "session=alice; Path=/; HttpOnly")],
            "welcome",
        )
    }

    pub async fn me(headers: HeaderMap) -> impl IntoResponse {
        let user = session(headers.get(header::COOKIE).and_then(|v| v.to_str().ok()));
        (
            [
                (header::CONTENT_TYPE, "application/json"),
                (header::VARY, "Accept-Language"),
            ],
            format!("{{\"user\":\"{user}\"}}"),
        )
    }

    pub fn post(
        server: PageServer,
    ) -> impl Fn(Method, HeaderMap) -> std::future::Ready<Response<Body>> + Clone {
        move |method, headers| {
            let version = Version::new(&format!("post:7:{POST_UPDATED_AT}"));
            if let Some(answer) = version.precondition(&method, &headers) {
                return std::future::ready(answer.map(|b| Body::from(b.into_bytes())));
            }
            server.count("/post/7");
            let mut response = Html(post_html()).into_response();
            version.tag(response.headers_mut());
            std::future::ready(response)
        }
    }

    pub async fn tagged() -> impl IntoResponse {
        ([(header::ETAG, "\"v1\"")], "tagged by the handler")
    }

    pub async fn immutable_html() -> impl IntoResponse {
        (
            [(header::CACHE_CONTROL, "public, max-age=31536000, immutable")],
            Html("<!doctype html><p>not immutable</p>"),
        )
    }

    pub async fn big() -> Vec<u8> {
        big_body()
    }

    pub async fn stream() -> Body {
        Body::new(Chunks::new(
            ["one ", "two ", "three"]
                .map(|c| c.as_bytes().to_vec())
                .to_vec(),
        ))
    }

    pub async fn stream_big() -> Body {
        Body::new(Chunks::new(
            big_body().chunks(10 * 1024).map(<[u8]>::to_vec).collect(),
        ))
    }
}

/// A body of several chunks with no length known in advance, each chunk a
/// frame of its own (every other poll is pending, so none are coalesced).
pub struct Chunks {
    chunks: std::collections::VecDeque<Vec<u8>>,
    pending: bool,
}

impl Chunks {
    /// The chunks, in order.
    pub fn new(chunks: Vec<Vec<u8>>) -> Self {
        Chunks {
            chunks: chunks.into(),
            pending: false,
        }
    }
}

impl http_body::Body for Chunks {
    type Data = bytes::Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<bytes::Bytes>, Self::Error>>> {
        self.pending = !self.pending;
        if self.pending {
            cx.waker().wake_by_ref();
            return std::task::Poll::Pending;
        }
        std::task::Poll::Ready(
            self.chunks
                .pop_front()
                .map(|c| Ok(http_body::Frame::data(bytes::Bytes::from(c)))),
        )
    }
}

fn session(cookie: Option<&str>) -> String {
    cookie
        .and_then(|c| c.split(';').find_map(|p| p.trim().strip_prefix("session=")))
        .unwrap_or("anonymous")
        .to_owned()
}

fn axum_app(server: PageServer) -> axum::Router {
    use axum::routing::get;
    use axum_side::*;
    // Behind compression, every response (the 304s too) says it varies
    // on Accept-Encoding, as the compressed 200s do.
    let compressed = server != PageServer::Axum;
    let policy = |p: CachePolicy| {
        if compressed {
            p.vary(http::header::ACCEPT_ENCODING)
        } else {
            p
        }
    };
    let revalidate = axum::Router::new()
        .route("/page", get(page(server)))
        .route("/post/7", get(post(server)))
        .route("/tagged", get(tagged))
        .route("/immutable-html", get(immutable_html))
        .route("/big", get(big))
        .route("/stream", get(stream))
        .route("/stream-big", get(stream_big))
        .layer(ValidateLayer::new(policy(CachePolicy::revalidate())).limit(LIMIT));
    let shared = axum::Router::new()
        .route("/cdn-page", get(cdn_page))
        .route("/login", get(login))
        .layer(ValidateLayer::new(policy(CachePolicy::shared(60, 300))).limit(LIMIT));
    let api = axum::Router::new().route("/api/me", get(me)).layer(
        ValidateLayer::new(policy(
            CachePolicy::private_max_age(120).vary(http::header::ORIGIN),
        ))
        .limit(LIMIT),
    );
    let app = revalidate.merge(shared).merge(api);
    let compression = tower_http::compression::CompressionLayer::new().gzip(true);
    match server {
        // `Router::layer` wraps what is there: the last layer is outermost.
        PageServer::AxumCompressedInside => app.layer(compression),
        // Compression between the handlers and the validator.
        PageServer::AxumCompressedOutside => axum::Router::new()
            .route("/page", get(page(server)))
            .route("/post/7", get(post(server)))
            .layer(compression)
            .layer(ValidateLayer::new(policy(CachePolicy::revalidate())).limit(LIMIT)),
        _ => app,
    }
}

fn run_actix(listener: std::net::TcpListener, ready: mpsc::Sender<()>) {
    use actix_web::http::header;
    use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
    use asset_runtime::pages::actix::Validate;

    let server = PageServer::Actix;
    async fn page() -> HttpResponse {
        PageServer::Actix.count("/page");
        HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .body(page_html())
    }
    async fn post(request: HttpRequest) -> HttpResponse {
        let method = http::Method::from_bytes(request.method().as_str().as_bytes()).unwrap();
        let mut headers = http::HeaderMap::new();
        for name in [http::header::IF_NONE_MATCH, http::header::IF_MATCH] {
            for value in request.headers().get_all(name.as_str()) {
                headers.append(
                    name.clone(),
                    http::HeaderValue::from_bytes(value.as_bytes()).unwrap(),
                );
            }
        }
        let version = Version::new(&format!("post:7:{POST_UPDATED_AT}"));
        if let Some(answer) = version.precondition(&method, &headers) {
            let mut response = HttpResponse::build(
                actix_web::http::StatusCode::from_u16(answer.status().as_u16()).unwrap(),
            );
            for (name, value) in answer.headers() {
                if name != http::header::CONTENT_LENGTH {
                    response.append_header((name.as_str(), value.as_bytes()));
                }
            }
            return response.body(answer.into_body().into_bytes());
        }
        PageServer::Actix.count("/post/7");
        HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .insert_header((header::ETAG, version.etag().as_bytes()))
            .body(post_html())
    }
    let _ = server;
    actix_web::rt::System::new().block_on(async move {
        let http = HttpServer::new(|| {
            App::new()
                .service(
                    web::scope("/api")
                        .wrap(
                            Validate::new(
                                CachePolicy::private_max_age(120).vary(http::header::ORIGIN),
                            )
                            .limit(LIMIT),
                        )
                        .route(
                            "/me",
                            web::get().to(|request: HttpRequest| async move {
                                let user = session(
                                    request
                                        .headers()
                                        .get("cookie")
                                        .and_then(|v| v.to_str().ok()),
                                );
                                HttpResponse::Ok()
                                    .content_type("application/json")
                                    .insert_header((header::VARY, "Accept-Language"))
                                    .body(format!("{{\"user\":\"{user}\"}}"))
                            }),
                        ),
                )
                .service(
                    web::scope("/shared")
                        .wrap(Validate::new(CachePolicy::shared(60, 300)).limit(LIMIT))
                        .route(
                            "/cdn-page",
                            web::get().to(|| async {
                                HttpResponse::Ok()
                                    .content_type("text/html; charset=utf-8")
                                    .body("<!doctype html><p>shared</p>")
                            }),
                        )
                        .route(
                            "/login",
                            web::get().to(|| async {
                                HttpResponse::Ok()
                                    .insert_header((
                                        header::SET_COOKIE,
                                        "session=alice; Path=/; HttpOnly",
                                    ))
                                    .body("welcome")
                            }),
                        ),
                )
                .service(
                    web::scope("")
                        .wrap(Validate::new(CachePolicy::revalidate()).limit(LIMIT))
                        .route("/page", web::get().to(page))
                        .route("/page", web::head().to(page))
                        .route("/post/7", web::get().to(post))
                        .route(
                            "/tagged",
                            web::get().to(|| async {
                                HttpResponse::Ok()
                                    .insert_header((header::ETAG, "\"v1\""))
                                    .body("tagged by the handler")
                            }),
                        )
                        .route(
                            "/immutable-html",
                            web::get().to(|| async {
                                HttpResponse::Ok()
                                    .content_type("text/html; charset=utf-8")
                                    .insert_header((
                                        header::CACHE_CONTROL,
                                        "public, max-age=31536000, immutable",
                                    ))
                                    .body("<!doctype html><p>not immutable</p>")
                            }),
                        )
                        .route(
                            "/big",
                            web::get().to(|| async { HttpResponse::Ok().body(big_body()) }),
                        ),
                )
        })
        .workers(1)
        .disable_signals()
        .listen(listener)
        .unwrap()
        .run();
        ready.send(()).unwrap();
        http.await.unwrap();
    });
}

/// The hyper app: every route by hand, bodies of the runtime's type.
async fn hyper_app(
    request: http::Request<hyper::body::Incoming>,
) -> Result<http::Response<asset_runtime::Body>, std::convert::Infallible> {
    use asset_runtime::Body;
    use http::header;
    let mut response = http::Response::new(Body::empty());
    let html = |response: &mut http::Response<Body>, body: String| {
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            http::HeaderValue::from_static("text/html; charset=utf-8"),
        );
        *response.body_mut() = Body::from(body);
    };
    match request.uri().path() {
        "/page" => {
            PageServer::Hyper.count("/page");
            html(&mut response, page_html());
        }
        "/post/7" => {
            let version = Version::new(&format!("post:7:{POST_UPDATED_AT}"));
            if let Some(answer) = version.precondition(request.method(), request.headers()) {
                return Ok(answer);
            }
            PageServer::Hyper.count("/post/7");
            html(&mut response, post_html());
            version.tag(response.headers_mut());
        }
        "/tagged" => {
            response
                .headers_mut()
                .insert(header::ETAG, http::HeaderValue::from_static("\"v1\""));
            *response.body_mut() = Body::from_static(b"tagged by the handler");
        }
        "/immutable-html" => {
            response.headers_mut().insert(
                header::CACHE_CONTROL,
                http::HeaderValue::from_static("public, max-age=31536000, immutable"),
            );
            html(
                &mut response,
                "<!doctype html><p>not immutable</p>".to_owned(),
            );
        }
        "/big" => *response.body_mut() = Body::from(big_body()),
        "/cdn-page" => html(&mut response, "<!doctype html><p>shared</p>".to_owned()),
        "/login" => {
            response.headers_mut().insert(
                header::SET_COOKIE,
                http::HeaderValue::from_static("session=alice; Path=/; HttpOnly"),
            );
            *response.body_mut() = Body::from_static(b"welcome");
        }
        "/api/me" => {
            let user = session(
                request
                    .headers()
                    .get(header::COOKIE)
                    .and_then(|v| v.to_str().ok()),
            );
            let h = response.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                http::HeaderValue::from_static("application/json"),
            );
            h.insert(
                header::VARY,
                http::HeaderValue::from_static("Accept-Language"),
            );
            *response.body_mut() = Body::from(format!("{{\"user\":\"{user}\"}}"));
        }
        _ => *response.status_mut() = http::StatusCode::NOT_FOUND,
    }
    Ok(response)
}

/// hyper 1: one validator per policy, picked by path.
async fn run_hyper(listener: tokio::net::TcpListener) -> ! {
    use hyper::server::conn::http1;
    use hyper::service::{Service, service_fn};
    use hyper_util::rt::TokioIo;
    loop {
        let (stream, _) = listener.accept().await.unwrap();
        tokio::spawn(async move {
            let revalidate = ValidateLayer::new(CachePolicy::revalidate())
                .limit(LIMIT)
                .wrap(service_fn(hyper_app));
            let shared = ValidateLayer::new(CachePolicy::shared(60, 300))
                .limit(LIMIT)
                .wrap(service_fn(hyper_app));
            let api =
                ValidateLayer::new(CachePolicy::private_max_age(120).vary(http::header::ORIGIN))
                    .limit(LIMIT)
                    .wrap(service_fn(hyper_app));
            let route = service_fn(move |request: http::Request<hyper::body::Incoming>| {
                match request.uri().path() {
                    "/cdn-page" | "/login" => shared.call(request),
                    "/api/me" => api.call(request),
                    _ => revalidate.call(request),
                }
            });
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), route)
                .await;
        });
    }
}

/// The path of a route on `server`: actix mounts the shared-policy routes
/// under `/shared`.
pub fn path(server: PageServer, route: &str) -> String {
    match (server, route) {
        (PageServer::Actix, "/cdn-page" | "/login") => format!("/shared{route}"),
        _ => route.to_owned(),
    }
}
