//! The servers of the serving benchmark, and the tables of the lookup
//! benchmark. See BENCHMARKS.md at the repository root.

use axum::Router;
use axum::http::header::{self, HeaderName, HeaderValue};
use axum::routing::get;
use bytes::Bytes;

pub mod page;

// Our table of `site/`, as a user includes it.
asset_runtime::include_assets!(pub static SITE);

/// The same site built against an earlier release of the stylesheet
/// (`site-earlier/`), so that the stylesheet also has a `dcb` delta: the
/// serving benchmark's delta case (`serve-bench delta`).
pub static DELTA_SITE: asset_runtime::Assets = include!(concat!(env!("OUT_DIR"), "/delta-site.rs"));

/// The `Available-Dictionary` of a client that holds the earlier release's
/// stylesheet: `:<base64 of its SHA-256>:`.
pub const DELTA_DICTIONARY: &str = env!("DELTA_DICTIONARY");

/// The lookup benchmark's tables, by number of map entries.
pub mod tables {
    /// 5 assets: 10 entries.
    pub static T10: asset_runtime::Assets = include!(concat!(env!("OUT_DIR"), "/lookup-10.rs"));
    /// 500 assets: 1,000 entries.
    pub static T1000: asset_runtime::Assets = include!(concat!(env!("OUT_DIR"), "/lookup-1000.rs"));
    /// 5,000 assets: 10,000 entries.
    pub static T10000: asset_runtime::Assets =
        include!(concat!(env!("OUT_DIR"), "/lookup-10000.rs"));
}

/// The stylesheet every server sends, by logical path.
pub const ASSET: &str = "css/v4-shims.min.css";

/// Every server, in the order the report lists them.
pub const SERVERS: [&str; 7] = [
    "ceiling",
    "ours-nest",
    "ours-layer",
    "memory-serve",
    "rust-embed+axum-embed",
    "tower-http-servedir",
    "static-serve",
];

/// The URL path a server is asked for: the hashed one for ours and the
/// ceiling (what our pages link to), the plain one for the peers.
pub fn url_path(server: &str) -> String {
    match server {
        "ceiling" | "ceiling-nest" | "ours-nest" | "ours-layer" => {
            let asset = SITE.get(ASSET).expect("the benchmark's stylesheet");
            format!("/static/{}", asset.hashed_path())
        }
        "ours-delta" => {
            let asset = DELTA_SITE.get(ASSET).expect("the benchmark's stylesheet");
            format!("/static/{}", asset.hashed_path())
        }
        _ => format!("/static/{ASSET}"),
    }
}

#[derive(Clone, rust_embed::RustEmbed)]
#[folder = "$OUT_DIR/precompressed/"]
struct Embedded;

static_serve::embed_assets!("site", compress = true);

/// The axum app of one server.
pub fn app(server: &str) -> Router {
    match server {
        "ceiling" => ceiling(),
        // The same bare handler mounted as `ours-nest` is: what axum's
        // `nest_service` itself costs (it rewrites the request's URI).
        "ceiling-nest" => {
            let (bytes, headers) = ceiling_parts();
            let inner = Router::new().route(
                &format!(
                    "/{}",
                    SITE.get(ASSET).expect("the stylesheet").hashed_path()
                ),
                get(move || {
                    let headers = headers.clone();
                    async move { (headers, Bytes::from_static(bytes)) }
                }),
            );
            Router::new().nest_service("/static", inner)
        }
        // The README's two ways.
        "ours-nest" => Router::new().nest_service("/static", SITE.service()),
        "ours-layer" => Router::new().layer(SITE.service().mount("/static")),
        // The layer form over the table with a delta (not in `SERVERS`:
        // `serve-bench delta` asks it for br and for dcb in turn).
        "ours-delta" => Router::new().layer(DELTA_SITE.service().mount("/static")),
        "memory-serve" => Router::new().nest(
            "/static",
            memory_serve::load!().index_file(None).into_router(),
        ),
        "rust-embed+axum-embed" => {
            Router::new().nest_service("/static", axum_embed::ServeEmbed::<Embedded>::new())
        }
        "tower-http-servedir" => Router::new().nest_service(
            "/static",
            tower_http::services::ServeDir::new(concat!(env!("OUT_DIR"), "/precompressed"))
                .precompressed_br()
                .precompressed_gzip(),
        ),
        "static-serve" => Router::new().nest("/static", static_router()),
        other => panic!("unknown server `{other}`; one of {SERVERS:?}"),
    }
}

/// The ceiling's answer: the benchmark stylesheet's brotli bytes and the
/// headers ours sends with them.
pub fn ceiling_parts() -> (&'static [u8], [(HeaderName, HeaderValue); 7]) {
    let asset = SITE.get(ASSET).expect("the benchmark's stylesheet");
    let br = asset
        .variant(asset_runtime::Encoding::Brotli)
        .expect("a brotli variant");
    let headers = [
        (
            header::CONTENT_TYPE,
            HeaderValue::from_static(asset.content_type()),
        ),
        (header::ETAG, HeaderValue::from_static(br.etag())),
        (
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        ),
        (header::ACCEPT_RANGES, HeaderValue::from_static("bytes")),
        (
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
        (header::VARY, HeaderValue::from_static("accept-encoding")),
        (header::CONTENT_ENCODING, HeaderValue::from_static("br")),
    ];
    (br.bytes(), headers)
}

/// The ceiling: a bare axum handler on the one route, answering the brotli
/// bytes from a static with the headers ours sends (hyper adds `Date` and
/// `Content-Length`, as it does for ours), with no lookup, negotiation or
/// conditional logic.
fn ceiling() -> Router {
    let (bytes, headers) = ceiling_parts();
    Router::new().route(
        &url_path("ceiling"),
        get(move || {
            let headers = headers.clone();
            async move { (headers, Bytes::from_static(bytes)) }
        }),
    )
}

/// Calls an app in process, as a server would, and reads the whole body:
/// the status and the number of body bytes. Every app here answers
/// without waiting; one that does not is a panic naming `what`.
pub fn call_whole(
    app: &mut Router,
    request: http::Request<axum::body::Body>,
    what: &str,
) -> (http::StatusCode, usize) {
    use http_body::Body as _;
    use std::future::Future;
    use std::pin::pin;
    use std::task::{Context, Poll, Waker};
    let mut cx = Context::from_waker(Waker::noop());
    let future = pin!(tower_service::Service::call(app, request));
    let Poll::Ready(Ok(response)) = future.poll(&mut cx) else {
        panic!("{what} did not answer at once");
    };
    let status = response.status();
    let mut body = pin!(response.into_body());
    let mut read = 0;
    while let Poll::Ready(Some(frame)) = body.as_mut().poll_frame(&mut cx) {
        read += frame.unwrap().into_data().map_or(0, |data| data.len());
    }
    (status, read)
}
