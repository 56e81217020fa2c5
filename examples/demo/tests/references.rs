//! The demo's stylesheet and script reach their font, images and source map
//! by hashed, immutable URLs: run the demo, follow every reference.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

/// The running demo; killed when dropped.
struct Demo {
    child: Child,
    addr: String,
}

impl Demo {
    fn start() -> Demo {
        let mut child = Command::new(env!("CARGO_BIN_EXE_demo"))
            .env("ADDR", "127.0.0.1:0")
            .stdout(Stdio::piped())
            .spawn()
            .expect("the demo starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        // `demo: serving on http://127.0.0.1:PORT/ (...)`
        let addr = line
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .to_owned();
        Demo { child, addr }
    }

    /// GET over HTTP/1.1: status, lower-cased headers, body.
    fn get(&self, path: &str) -> (u16, Vec<(String, String)>, Vec<u8>) {
        let mut stream = TcpStream::connect(&self.addr).unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.addr
        )
        .unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).unwrap();
        let split = response.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
        let head = String::from_utf8(response[..split].to_vec()).unwrap();
        let mut lines = head.lines();
        let status = lines.next().unwrap().split(' ').nth(1).unwrap();
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        (
            status.parse().unwrap(),
            headers,
            response[split + 4..].to_vec(),
        )
    }

    /// Fetches a hashed URL and checks that it is served as immutable.
    fn immutable(&self, path: &str) -> Vec<u8> {
        let (status, headers, body) = self.get(path);
        assert_eq!(status, 200, "{path}");
        let cache = headers.iter().find(|(n, _)| n == "cache-control");
        assert_eq!(
            cache.map(|(_, v)| v.as_str()),
            Some("public, max-age=31536000, immutable"),
            "{path}"
        );
        body
    }
}

impl Drop for Demo {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Resolves a relative reference against the folder of `base` (a path).
fn resolve(base: &str, reference: &str) -> String {
    let mut parts: Vec<&str> = base.split('/').collect();
    parts.pop();
    for segment in reference.split('/') {
        match segment {
            ".." => {
                parts.pop();
            }
            "." => {}
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// The attribute value after `attribute="` that contains `needle`.
fn attribute<'a>(html: &'a str, attribute: &str, needle: &str) -> &'a str {
    html.split(&format!("{attribute}=\""))
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap())
        .find(|value| value.contains(needle))
        .unwrap_or_else(|| panic!("no {attribute} with {needle}"))
}

#[test]
fn stylesheet_and_script_reach_everything_by_hashed_urls() {
    let demo = Demo::start();
    let (status, _, page) = demo.get("/");
    assert_eq!(status, 200);
    let page = String::from_utf8(page).unwrap();
    let css_path = attribute(&page, "href", "/static/css/app.");
    let js_path = attribute(&page, "src", "/static/js/app.");

    let css = String::from_utf8(demo.immutable(css_path)).unwrap();
    let urls: Vec<&str> = css
        .split("url(")
        .skip(1)
        .map(|rest| rest.split(')').next().unwrap().trim_matches(['"', '\'']))
        .collect();
    assert_eq!(urls.len(), 3, "{urls:?}");
    for (url, stem, extension) in [
        (urls[0], "../fonts/inter-latin-400.", ".woff2"),
        (urls[1], "../img/grain.", ".png"),
        (urls[2], "../img/logo.", ".svg"),
    ] {
        let hash = url
            .strip_prefix(stem)
            .and_then(|rest| rest.strip_suffix(extension))
            .unwrap_or_else(|| panic!("{url} is {stem}<hash>{extension}"));
        assert!(hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()));
        let body = demo.immutable(&resolve(css_path, url));
        assert!(!body.is_empty(), "{url}");
    }

    let js = String::from_utf8(demo.immutable(js_path)).unwrap();
    let map_ref = js
        .trim_end()
        .rsplit_once("//# sourceMappingURL=")
        .unwrap()
        .1;
    assert!(map_ref.starts_with("app.js.") && map_ref.ends_with(".map"));
    let map = String::from_utf8(demo.immutable(&resolve(js_path, map_ref))).unwrap();
    let js_file = js_path.rsplit('/').next().unwrap();
    assert!(
        map.contains(&format!("\"file\":\"{js_file}\"")),
        "the map names the hashed script"
    );
}
