//! Debian's nginx on loopback, in the foreground, with everything under
//! one folder: the caching proxy of `cdn_proxy.rs` and the edge rules of
//! `cdn_deltas.rs`. Stopped (by its PID) when dropped.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running nginx.
pub struct Nginx {
    child: Child,
    /// `http://127.0.0.1:PORT`
    pub base: String,
    /// Its folder: configuration, log, cache.
    pub dir: PathBuf,
}

impl Nginx {
    /// Starts nginx in a fresh `dir` with `modules` loaded (paths of
    /// dynamic modules), `http` added to its `http` block and `server`
    /// as the body of one server on a free loopback port.
    pub fn start(dir: &Path, modules: &[&str], http: &str, server: &str) -> Nginx {
        let _ = std::fs::remove_dir_all(dir);
        std::fs::create_dir_all(dir).unwrap();
        // Workers may run as another user: let them write the cache.
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o777)).unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let d = dir.display();
        let modules: String = modules
            .iter()
            .map(|m| format!("load_module {m};\n"))
            .collect();
        let conf = format!(
            r#"{modules}worker_processes 1;
daemon off;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {d}/client_body;
    proxy_temp_path {d}/proxy_temp;
    fastcgi_temp_path {d}/fastcgi;
    uwsgi_temp_path {d}/uwsgi;
    scgi_temp_path {d}/scgi;
{http}
    server {{
        listen 127.0.0.1:{port};
{server}
    }}
}}
"#
        );
        std::fs::write(dir.join("nginx.conf"), conf).unwrap();
        let child = Command::new(binary())
            .arg("-p")
            .arg(dir)
            .arg("-c")
            .arg(dir.join("nginx.conf"))
            .arg("-e")
            .arg(dir.join("error.log"))
            .stdout(Stdio::null())
            .spawn()
            .expect("nginx starts");
        let mut nginx = Nginx {
            child,
            base: format!("http://127.0.0.1:{port}"),
            dir: dir.to_path_buf(),
        };
        let start = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = nginx.child.try_wait() {
                panic!("nginx exited ({status}): {}", nginx.log());
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "nginx did not listen: {}",
                nginx.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        nginx
    }

    /// Its error log.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("error.log")).unwrap_or_default()
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .arg("-QUIT")
            .arg(self.child.id().to_string())
            .status();
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(5) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Debian's nginx.
pub fn binary() -> String {
    for candidate in ["/usr/sbin/nginx", "/usr/bin/nginx"] {
        if Path::new(candidate).exists() {
            return candidate.to_owned();
        }
    }
    panic!("the CDN tests need nginx: run `bash tests/setup.sh`");
}

/// The njs module (Debian's `libnginx-mod-http-js`).
pub const NJS_MODULE: &str = "/usr/lib/nginx/modules/ngx_http_js_module.so";

/// A caching reverse proxy's server body: `proxy_cache` in front of
/// `origin` (`127.0.0.1:PORT`), with `X-Cache-Status`; its `http` part
/// is [`proxy_cache_path`].
pub fn caching_proxy(origin: &str) -> String {
    format!(
        r#"        location / {{
            proxy_pass http://{origin};
            proxy_http_version 1.1;
            proxy_cache assets;
            proxy_cache_revalidate on;
            proxy_cache_lock on;
            # A cache told to disregard Set-Cookie: only the response's own
            # Cache-Control keeps a signed-in response out of it.
            proxy_ignore_headers Set-Cookie;
            add_header X-Cache-Status $upstream_cache_status always;
        }}"#
    )
}

/// The `proxy_cache_path` of [`caching_proxy`], under `dir`.
pub fn proxy_cache_path(dir: &Path) -> String {
    format!(
        "    proxy_cache_path {}/cache levels=1:2 keys_zone=assets:1m max_size=64m inactive=1d use_temp_path=off;",
        dir.display()
    )
}
