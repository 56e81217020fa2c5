//! The demo binary, started on a free port of 127.0.0.1 for a test.
// Each test binary uses its own part of this module.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

/// The running demo; killed when dropped.
pub struct Demo {
    child: Child,
    pub addr: String,
}

impl Demo {
    pub fn start() -> Demo {
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
    pub fn get(&self, path: &str) -> (u16, Vec<(String, String)>, Vec<u8>) {
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
    pub fn immutable(&self, path: &str) -> Vec<u8> {
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
