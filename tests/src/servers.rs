//! One server per adapter, each on its own thread and runtime, on a free
//! port of 127.0.0.1. Every one serves the test assets under `/static` and
//! the same tiny app next to them: `/` answers `home`.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::OnceLock;
use std::sync::mpsc;

use asset_runtime::{AssetService, Body};

use crate::ASSETS;

/// The ways the suite serves the assets: every framework adapter, nested
/// and in front of the app.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Adapter {
    /// axum 0.8, `Router::nest_service("/static", ASSETS.service())`.
    Axum,
    /// axum 0.8, `router.layer(ASSETS.service().mount("/static"))`.
    AxumFallback,
    /// actix-web 4, `App::service(ASSETS.service().mount("/static"))`.
    Actix,
    /// actix-web 4, `App::default_service(ASSETS.service().mount("/static"))`:
    /// the app's routes first, then the assets.
    ActixDefault,
    /// hyper 1, `serve_connection(io, ASSETS.service().mount("/static"))`
    /// for `/static`, the app for the rest.
    Hyper,
    /// hyper 1, `ASSETS.service().mount("/static").fallback(app)`.
    HyperFallback,
}

impl Adapter {
    /// Every adapter.
    pub const ALL: [Adapter; 6] = [
        Adapter::Axum,
        Adapter::AxumFallback,
        Adapter::Actix,
        Adapter::ActixDefault,
        Adapter::Hyper,
        Adapter::HyperFallback,
    ];

    /// Whether a path under `/static` that names no asset goes to the app
    /// (whose 404 is its own) rather than getting the asset core's 404.
    pub fn hands_unknown_paths_to_the_app(self) -> bool {
        matches!(self, Adapter::AxumFallback | Adapter::HyperFallback)
    }

    /// `http://127.0.0.1:PORT` of this adapter's server, started on first
    /// use and kept for the rest of the process.
    pub fn base(self) -> &'static str {
        static BASES: [OnceLock<String>; 6] = [const { OnceLock::new() }; 6];
        BASES[self as usize].get_or_init(|| format!("http://{}", start(self)))
    }
}

fn service() -> AssetService {
    ASSETS.service().mount("/static")
}

fn start(adapter: Adapter) -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let (ready, wait) = mpsc::channel();
    std::thread::Builder::new()
        .name(format!("{adapter:?}"))
        .spawn(move || match adapter {
            Adapter::Actix | Adapter::ActixDefault => run_actix(adapter, listener, ready),
            _ => {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                runtime.block_on(async move {
                    listener.set_nonblocking(true).unwrap();
                    let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                    ready.send(()).unwrap();
                    match adapter {
                        Adapter::Axum => axum::serve(listener, axum_app()).await.unwrap(),
                        Adapter::AxumFallback => {
                            let app = axum_routes().layer(service());
                            axum::serve(listener, app).await.unwrap()
                        }
                        _ => run_hyper(adapter, listener).await,
                    }
                });
            }
        })
        .unwrap();
    wait.recv().unwrap();
    addr
}

fn axum_routes() -> axum::Router {
    axum::Router::new().route("/", axum::routing::get(|| async { "home" }))
}

fn axum_app() -> axum::Router {
    axum_routes().nest_service("/static", ASSETS.service())
}

fn run_actix(adapter: Adapter, listener: std::net::TcpListener, ready: mpsc::Sender<()>) {
    use actix_web::{App, HttpServer, web};
    actix_web::rt::System::new().block_on(async move {
        let server = HttpServer::new(move || {
            let app = App::new().route("/", web::get().to(|| async { "home" }));
            match adapter {
                Adapter::Actix => app.service(service()),
                _ => app.default_service(service()),
            }
        })
        .workers(1)
        .disable_signals()
        .listen(listener)
        .unwrap()
        .run();
        ready.send(()).unwrap();
        server.await.unwrap();
    });
}

/// The hyper app: `/` is `home`, anything else 404, bodies of the same
/// type as the assets'.
async fn hyper_app(
    request: http::Request<hyper::body::Incoming>,
) -> Result<http::Response<Body>, Infallible> {
    let mut response = http::Response::new(Body::empty());
    if request.uri().path() == "/" {
        *response.body_mut() = Body::from_static(b"home");
        response.headers_mut().insert(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static("text/plain; charset=utf-8"),
        );
    } else {
        *response.status_mut() = http::StatusCode::NOT_FOUND;
    }
    Ok(response)
}

async fn run_hyper(adapter: Adapter, listener: tokio::net::TcpListener) {
    use hyper::server::conn::http1;
    use hyper::service::service_fn;
    use hyper_util::rt::TokioIo;
    loop {
        let (stream, _) = listener.accept().await.unwrap();
        let io = TokioIo::new(stream);
        tokio::spawn(async move {
            let served = match adapter {
                // The plain service for `/static`, the app for the rest:
                // the routing a hyper app does by hand.
                Adapter::Hyper => {
                    let assets = service();
                    let route = service_fn(move |request: http::Request<_>| {
                        let assets = assets.clone();
                        async move {
                            if request.uri().path().starts_with("/static/") {
                                Ok(assets.respond(&request))
                            } else {
                                hyper_app(request).await
                            }
                        }
                    });
                    http1::Builder::new().serve_connection(io, route).await
                }
                _ => {
                    let app = service().fallback(service_fn(hyper_app));
                    http1::Builder::new().serve_connection(io, app).await
                }
            };
            let _ = served;
        });
    }
}
