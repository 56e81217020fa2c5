//! A TCP proxy on 127.0.0.1 in front of a store server, for what a test
//! must force rather than hope for: it records every request line with the
//! status that answered it, delays requests, holds the requests that match
//! a pattern until the test lets them go (to force an interleaving of two
//! deploy commands), and injects faults: a dropped connection, or a `503`
//! with `Retry-After` that the server never sees.
//!
//! It reads each request's head and its `Content-Length` body (what the
//! store clients send) before forwarding it, so a held or failed request
//! is held or failed whole; answers pass through as they come.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// One request seen, and the status line's code that answered it (`None`:
/// no answer, or not yet).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exchange {
    /// `PUT /site/static/app.css HTTP/1.1`
    pub request: String,
    pub status: Option<u16>,
    /// When the proxy had read the whole request.
    pub at: Instant,
}

/// What to do to a request that matches.
#[derive(Clone, Debug)]
pub enum Fault {
    /// Close the connection after reading the request head, without
    /// forwarding it (the client sees its connection reset or closed).
    Drop,
    /// Answer `503 Service Unavailable` with `Retry-After: <seconds>`
    /// instead of forwarding it.
    Unavailable { retry_after: u32 },
}

/// Which request lines to hold.
type Hold = Arc<dyn Fn(&str) -> bool + Send + Sync>;

#[derive(Default)]
struct State {
    log: Vec<Exchange>,
    delay: Duration,
    /// Requests whose line one of these matches wait while it is here.
    holds: Vec<Hold>,
    /// How many requests are waiting on a hold now.
    held: usize,
    /// (pattern, fault, how many more times).
    faults: Vec<(String, Fault, usize)>,
}

/// A proxy to one upstream; runs until the test process ends.
pub struct Proxy {
    /// `http://127.0.0.1:PORT`
    pub endpoint: String,
    state: Arc<(Mutex<State>, Condvar)>,
}

impl Proxy {
    /// A proxy to `upstream` (`http://127.0.0.1:PORT`).
    pub fn start(upstream: &str) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let endpoint = format!("http://{}", listener.local_addr().unwrap());
        let upstream = upstream.trim_start_matches("http://").to_owned();
        let state = Arc::new((Mutex::new(State::default()), Condvar::new()));
        let shared = state.clone();
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { return };
                let (upstream, state) = (upstream.clone(), shared.clone());
                std::thread::spawn(move || connection(client, &upstream, &state));
            }
        });
        Proxy { endpoint, state }
    }

    /// Holds each request for `delay` before forwarding it.
    pub fn delay(&self, delay: Duration) {
        self.state.0.lock().unwrap().delay = delay;
    }

    /// Holds every request whose request line `matches` (say, `PUT
    /// /site/static/app.css HTTP/1.1`) until [`Proxy::release`].
    pub fn hold(&self, matches: impl Fn(&str) -> bool + Send + Sync + 'static) {
        self.state.0.lock().unwrap().holds.push(Arc::new(matches));
    }

    /// Lets every held request go, and holds no more.
    pub fn release(&self) {
        self.state.0.lock().unwrap().holds.clear();
        self.state.1.notify_all();
    }

    /// Waits until `n` requests are held (up to 60 s), and returns the
    /// log.
    pub fn wait_held(&self, n: usize) -> Vec<Exchange> {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            {
                let state = self.state.0.lock().unwrap();
                if state.held >= n {
                    return state.log.clone();
                }
                assert!(
                    Instant::now() < deadline,
                    "{} of {n} requests held after 60 s: {:#?}",
                    state.held,
                    state.log
                );
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// The next `times` requests whose line contains `pattern` meet
    /// `fault`.
    pub fn fail(&self, pattern: &str, fault: Fault, times: usize) {
        let mut state = self.state.0.lock().unwrap();
        state.faults.push((pattern.to_owned(), fault, times));
    }

    /// Every request seen so far, in order, with its answer's status.
    pub fn exchanges(&self) -> Vec<Exchange> {
        self.state.0.lock().unwrap().log.clone()
    }

    /// The request lines seen so far, in order.
    pub fn requests(&self) -> Vec<String> {
        self.exchanges().into_iter().map(|e| e.request).collect()
    }
}

/// Serves one client connection, request by request.
fn connection(client: TcpStream, upstream: &str, state: &Arc<(Mutex<State>, Condvar)>) {
    let Ok(mut server) = TcpStream::connect(upstream) else {
        return;
    };
    let mut reader = BufReader::new(client.try_clone().unwrap());
    let mut client_write = client.try_clone().unwrap();
    // Answers flow back as they come; the log entry each belongs to is
    // the oldest one without a status (no pipelining: one at a time).
    let (server_read, answers_to) = (server.try_clone().unwrap(), client.try_clone().unwrap());
    let pending: Arc<Mutex<Vec<usize>>> = Arc::default();
    let pending_back = pending.clone();
    let answer_state = state.clone();
    std::thread::spawn(move || answers(server_read, answers_to, &answer_state, &pending_back));
    loop {
        let Some((head, body)) = read_request(&mut reader) else {
            let _ = server.shutdown(Shutdown::Write);
            return;
        };
        let line = head.lines().next().unwrap_or_default().to_owned();
        let (index, fault, delay) = {
            let mut guard = state.0.lock().unwrap();
            guard.log.push(Exchange {
                request: line.clone(),
                status: None,
                at: Instant::now(),
            });
            let index = guard.log.len() - 1;
            let fault = guard
                .faults
                .iter_mut()
                .find(|(pattern, _, left)| *left > 0 && line.contains(pattern.as_str()))
                .map(|(_, fault, left)| {
                    *left -= 1;
                    fault.clone()
                });
            if guard.holds.iter().any(|hold| hold(&line)) {
                guard.held += 1;
                while guard.holds.iter().any(|hold| hold(&line)) {
                    guard = state.1.wait(guard).unwrap();
                }
                guard.held -= 1;
            }
            (index, fault, guard.delay)
        };
        std::thread::sleep(delay);
        match fault {
            Some(Fault::Drop) => {
                let _ = client_write.shutdown(Shutdown::Both);
                let _ = server.shutdown(Shutdown::Both);
                return;
            }
            Some(Fault::Unavailable { retry_after }) => {
                let answer = format!(
                    "HTTP/1.1 503 Service Unavailable\r\nRetry-After: {retry_after}\r\n\
                     Content-Length: 0\r\nConnection: close\r\n\r\n"
                );
                state.0.lock().unwrap().log[index].status = Some(503);
                let _ = client_write.write_all(answer.as_bytes());
                let _ = client_write.shutdown(Shutdown::Both);
                let _ = server.shutdown(Shutdown::Both);
                return;
            }
            None => {
                pending.lock().unwrap().push(index);
                if server.write_all(head.as_bytes()).is_err() || server.write_all(&body).is_err() {
                    let _ = client_write.shutdown(Shutdown::Both);
                    return;
                }
            }
        }
    }
}

/// Copies the server's answers to the client, noting each status code.
fn answers(
    server: TcpStream,
    mut client: TcpStream,
    state: &(Mutex<State>, Condvar),
    pending: &Mutex<Vec<usize>>,
) {
    let mut server = server;
    let mut buf = vec![0; 64 * 1024];
    while let Ok(n @ 1..) = server.read(&mut buf) {
        let chunk = &buf[..n];
        if let Some(rest) = chunk.strip_prefix(b"HTTP/1.1 ") {
            let code = std::str::from_utf8(&rest[..3.min(rest.len())])
                .ok()
                .and_then(|c| c.parse().ok());
            let mut pending = pending.lock().unwrap();
            if !pending.is_empty() {
                let index = pending.remove(0);
                state.0.lock().unwrap().log[index].status = code;
            }
        }
        if client.write_all(chunk).is_err() {
            break;
        }
    }
    let _ = client.shutdown(Shutdown::Write);
}

/// One request's head (up to and including the blank line) and its body
/// (`Content-Length` bytes); `None` at the end of the connection.
fn read_request(reader: &mut BufReader<TcpStream>) -> Option<(String, Vec<u8>)> {
    let mut head = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        head.push_str(&line);
        if line == "\r\n" || line == "\n" {
            break;
        }
    }
    let length = head
        .lines()
        .filter_map(|l| l.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.trim().parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some((head, body))
}
