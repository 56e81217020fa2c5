//! The respond path allocates a small, fixed number of blocks per request,
//! whatever the size of the body: the body is a view of the embedded bytes,
//! and every header value but `Date` (formatted at most once a second) is a
//! `&'static str` of the generated table.
//!
//! What allocates, per response: the `HeaderMap`'s two blocks, its index
//! table and its entry vector (`HeaderMap::reserve(10)` in the core; 1,312
//! bytes with http 1.x on a 64-bit target). Nothing else: no body copy, no
//! header value. The two blocks are the least a `http::Response` with
//! headers can have.
//!
//! A counting global allocator, counting only on the thread that asks, so
//! that the test harness's other threads do not disturb the figures. This
//! file is its own test binary, so the allocator is this test's alone.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use asset_runtime::{Body, ServeOptions, serve};
use asset_tests::ASSETS;
use http::header::{ACCEPT_ENCODING, CONTENT_ENCODING, HeaderValue};
use http::{HeaderMap, Method, Request, Response, StatusCode};

struct Counting;

thread_local! {
    static ON: Cell<bool> = const { Cell::new(false) };
    static BLOCKS: Cell<usize> = const { Cell::new(0) };
    static BYTES: Cell<usize> = const { Cell::new(0) };
}

fn count(size: usize) {
    let _ = ON.try_with(|on| {
        if on.get() {
            BLOCKS.with(|b| b.set(b.get() + 1));
            BYTES.with(|b| b.set(b.get() + size));
        }
    });
}

// SAFETY: every call is forwarded to the system allocator unchanged; the
// counters are thread-local cells that never allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        // SAFETY: the caller's contract is passed on as it is.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        // SAFETY: as above.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(new_size);
        // SAFETY: as above.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Blocks and bytes allocated by `f` on this thread.
fn allocations<R>(f: impl FnOnce() -> R) -> (usize, usize, R) {
    BLOCKS.with(|b| b.set(0));
    BYTES.with(|b| b.set(0));
    ON.with(|on| on.set(true));
    let result = f();
    ON.with(|on| on.set(false));
    (BLOCKS.with(Cell::get), BYTES.with(Cell::get), result)
}

const REQUESTS: usize = 2_000;

/// The allocations of each of `REQUESTS` requests for `path`, with the
/// response dropped outside the count; `(blocks, bytes)` per request, and
/// the body length and coding of the last response.
fn per_request<R>(
    path: &str,
    accept: &'static str,
    server: &Server<R>,
) -> (Vec<(usize, usize)>, usize, Option<String>) {
    let mut headers = HeaderMap::new();
    headers.insert(ACCEPT_ENCODING, HeaderValue::from_static(accept));
    // The request is the server's: built outside the count.
    let request = (server.request)(path, headers);
    // Warm up: the first call formats the Date header of this second.
    drop((server.call)(&request));
    let mut counts = Vec::with_capacity(REQUESTS);
    let mut last = None;
    for _ in 0..REQUESTS {
        let (blocks, bytes, response) = allocations(|| (server.call)(&request));
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        counts.push((blocks, bytes));
        last = Some(response);
    }
    let last = last.unwrap();
    let coding = last
        .headers()
        .get(CONTENT_ENCODING)
        .map(|v| v.to_str().unwrap().to_owned());
    (counts, last.body().as_bytes().len(), coding)
}

/// The most frequent value: the count of a request in a second whose Date
/// header is already formatted.
fn usual(counts: &[(usize, usize)]) -> (usize, usize) {
    let mut sorted = counts.to_vec();
    sorted.sort_unstable();
    let mut best = (sorted[0], 0);
    let mut i = 0;
    while i < sorted.len() {
        let j = sorted[i..].iter().take_while(|c| **c == sorted[i]).count();
        if j > best.1 {
            best = (sorted[i], j);
        }
        i += j;
    }
    best.0
}

/// Every (path, coding) case: a 3-byte file and a 229 KB one, as stored
/// and compressed.
fn cases() -> Vec<(&'static str, &'static str)> {
    let tiny = ASSETS.get("data/tiny.txt").unwrap().hashed_path();
    let big = ASSETS.get("big/lorem.txt").unwrap().hashed_path();
    let css = ASSETS.get("css/app.css").unwrap().hashed_path();
    vec![
        (tiny, "identity"),
        (big, "identity"),
        (big, "br, gzip"),
        (big, "gzip"),
        (css, "br, gzip"),
        ("big/lorem.txt", "br"),
    ]
}

/// How a test turns a path and headers into a request, and answers it.
struct Server<R> {
    request: MakeRequest<R>,
    call: Answer<R>,
}

type MakeRequest<R> = Box<dyn Fn(&str, HeaderMap) -> R>;
type Answer<R> = Box<dyn Fn(&R) -> Response<Body>>;

fn check<R>(server: Server<R>) {
    let mut seen = Vec::new();
    for (path, accept) in cases() {
        let (counts, body_len, coding) = per_request(path, accept, &server);
        let (blocks, bytes) = usual(&counts);
        // The Date header is formatted again at most once a second; these
        // requests take far less than a second each.
        let other = counts.iter().filter(|c| **c != (blocks, bytes)).count();
        assert!(other <= 3, "{path} {accept}: {other} requests differ");
        // Exactly the header map's index table and entry vector.
        assert_eq!(blocks, 2, "{path} {accept}: {counts:?}");
        // 1,312 bytes with http 1.x on 64-bit targets: 16 four-byte index
        // slots and 12 entries of 104 bytes, for the 10 headers reserved.
        assert!(
            bytes <= 2048,
            "{path} {accept}: {bytes} bytes per request for a {body_len}-byte body"
        );
        seen.push((path, accept, body_len, coding, blocks, bytes));
    }
    // The same blocks and bytes, whatever the body's size or coding.
    let first = (seen[0].4, seen[0].5);
    for case in &seen {
        assert_eq!(
            (case.4, case.5),
            first,
            "{case:?} differs from {:?}",
            seen[0]
        );
    }
    // The cases did cover a large body and compressed ones.
    assert!(seen.iter().any(|c| c.2 > 100_000));
    assert!(seen.iter().any(|c| c.3.as_deref() == Some("br")));
    assert!(seen.iter().any(|c| c.3.as_deref() == Some("gzip")));
}

#[test]
fn respond_allocates_only_the_header_map() {
    let options = ServeOptions::default();
    check(Server {
        request: Box::new(|path, headers| (path.to_owned(), headers)),
        call: Box::new(move |(path, headers)| {
            serve(&ASSETS, &options, &Method::GET, path, headers)
                .unwrap_or_else(asset_runtime::not_found)
        }),
    });
}

#[test]
fn the_service_allocates_only_the_header_map() {
    // What the tower and hyper adapters call, mount path stripping included.
    let service = ASSETS.service().mount("/static");
    check(Server {
        request: Box::new(|path, headers| {
            let mut request = Request::get(format!("/static/{path}")).body(()).unwrap();
            *request.headers_mut() = headers;
            request
        }),
        call: Box::new(move |request| service.respond(request)),
    });
}
