//! A real S3 API on loopback: moto's server (`python3 -m moto.server`,
//! installed by `tests/setup.sh`), one per test, with a bucket made for it;
//! and a slow TCP proxy in front of it, to stop a publish midway.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use object_store::ObjectStore;
use object_store::aws::AmazonS3Builder;
use object_store::path::Path;

/// Creates the bucket, readable by anyone (a CDN's origin), and, with
/// authentication on, a user allowed `s3:*` and its access key (printed).
/// moto authenticates every request after the first
/// `INITIAL_NO_AUTH_ACTION_COUNT`: exactly these five.
const SETUP: &str = r#"
import boto3, json, sys
endpoint, bucket, auth = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
kw = dict(endpoint_url=endpoint, region_name="us-east-1",
          aws_access_key_id="setup", aws_secret_access_key="setup")
s3 = boto3.client("s3", **kw)
s3.create_bucket(Bucket=bucket)
# Public reads, as for a bucket that is a CDN's origin.
s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(
    {"Version": "2012-10-17",
     "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                    "Resource": "arn:aws:s3:::%s/*" % bucket}]}))
if auth:
    iam = boto3.client("iam", **kw)
    iam.create_user(UserName="deployer")
    iam.put_user_policy(UserName="deployer", PolicyName="s3", PolicyDocument=json.dumps(
        {"Version": "2012-10-17",
         "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}))
    key = iam.create_access_key(UserName="deployer")["AccessKey"]
    print(key["AccessKeyId"], key["SecretAccessKey"])
else:
    print("test test")
"#;

/// A moto S3 server on 127.0.0.1 with one bucket; stopped when dropped.
pub struct S3Server {
    child: Child,
    /// `http://127.0.0.1:PORT`
    pub endpoint: String,
    /// The bucket made for the test.
    pub bucket: String,
    /// Credentials that work (any do without authentication).
    pub key_id: String,
    pub secret: String,
}

impl S3Server {
    /// Starts moto and makes the bucket. With `auth`, requests must be
    /// signed with [`S3Server::key_id`] and [`S3Server::secret`]. (moto
    /// then refuses any listing whose `prefix` holds a `/`, whatever the
    /// signature, so nothing can be published with authentication on.)
    pub fn start(auth: bool) -> S3Server {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut command = Command::new("python3");
        command
            .args([
                "-m",
                "moto.server",
                "-H",
                "127.0.0.1",
                "-p",
                &port.to_string(),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if auth {
            command.env("INITIAL_NO_AUTH_ACTION_COUNT", "5");
        }
        let child = command
            .spawn()
            .expect("python3 -m moto.server starts (bash tests/setup.sh installs moto)");
        let endpoint = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "moto did not listen on {endpoint} within 30 s (bash tests/setup.sh installs it)"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let mut server = S3Server {
            child,
            endpoint,
            bucket: "assets".to_owned(),
            key_id: String::new(),
            secret: String::new(),
        };
        let output = Command::new("python3")
            .args(["-c", SETUP, &server.endpoint, &server.bucket])
            .arg(if auth { "1" } else { "0" })
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "moto setup failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let text = String::from_utf8(output.stdout).unwrap();
        let (id, secret) = text.trim().split_once(' ').unwrap();
        server.key_id = id.to_owned();
        server.secret = secret.to_owned();
        server
    }

    /// `s3://<bucket>/<prefix>`
    pub fn url(&self, prefix: &str) -> String {
        format!("s3://{}/{prefix}", self.bucket)
    }

    /// The public URL of a key (path style), as a browser would fetch it.
    pub fn public_url(&self, key: &str) -> String {
        format!("{}/{}/{key}", self.endpoint, self.bucket)
    }

    /// The environment a deploy command gets: this server's endpoint and
    /// credentials, and nothing from the caller's AWS settings.
    pub fn env(&self, endpoint: &str, secret: &str) -> Vec<(&'static str, String)> {
        vec![
            ("AWS_ENDPOINT_URL", endpoint.to_owned()),
            ("AWS_ALLOW_HTTP", "true".to_owned()),
            ("AWS_REGION", "us-east-1".to_owned()),
            ("AWS_ACCESS_KEY_ID", self.key_id.clone()),
            ("AWS_SECRET_ACCESS_KEY", secret.to_owned()),
        ]
    }

    /// A deploy command: `binary args…` with [`S3Server::env`].
    pub fn command(&self, binary: &std::path::Path, args: &[&str]) -> Command {
        let mut command = Command::new(binary);
        for name in [
            "AWS_PROFILE",
            "AWS_SESSION_TOKEN",
            "AWS_ENDPOINT",
            "AWS_ENDPOINT_URL_S3",
            "AWS_DEFAULT_REGION",
        ] {
            command.env_remove(name);
        }
        command
            .envs(self.env(&self.endpoint, &self.secret))
            .args(args);
        command
    }

    /// The bucket through object_store, for the test's own checks.
    pub fn store(&self) -> Arc<dyn ObjectStore> {
        Arc::new(
            AmazonS3Builder::new()
                .with_bucket_name(&self.bucket)
                .with_endpoint(&self.endpoint)
                .with_allow_http(true)
                .with_region("us-east-1")
                .with_access_key_id(&self.key_id)
                .with_secret_access_key(&self.secret)
                .build()
                .unwrap(),
        )
    }

    /// Every object under `prefix` (`""` for all): key relative to it ->
    /// (size, last modified).
    pub async fn objects(&self, prefix: &str) -> BTreeMap<String, (u64, SystemTime)> {
        use futures_util::TryStreamExt;
        let store = self.store();
        let path = (!prefix.is_empty()).then(|| Path::from(prefix));
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
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A TCP proxy on 127.0.0.1 that holds each chunk from the client for
/// `delay` before passing it on, and records the request line of every
/// request it sees.
pub struct SlowProxy {
    /// `http://127.0.0.1:PORT`
    pub endpoint: String,
    requests: Arc<Mutex<Vec<String>>>,
}

impl SlowProxy {
    pub fn start(upstream: &str, delay: Duration) -> SlowProxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let endpoint = format!("http://{}", listener.local_addr().unwrap());
        let upstream = upstream.trim_start_matches("http://").to_owned();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = requests.clone();
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(mut client) = client else { return };
                let Ok(mut server) = TcpStream::connect(&upstream) else {
                    continue;
                };
                let (mut client_read, mut server_read) =
                    (client.try_clone().unwrap(), server.try_clone().unwrap());
                let seen = seen.clone();
                std::thread::spawn(move || {
                    let mut buf = vec![0; 64 * 1024];
                    while let Ok(n @ 1..) = client_read.read(&mut buf) {
                        let chunk = &buf[..n];
                        for method in ["GET ", "PUT ", "POST ", "HEAD ", "DELETE "] {
                            if chunk.starts_with(method.as_bytes()) {
                                let line = chunk.split(|&b| b == b'\r').next().unwrap();
                                seen.lock()
                                    .unwrap()
                                    .push(String::from_utf8_lossy(line).into_owned());
                            }
                        }
                        std::thread::sleep(delay);
                        if server.write_all(chunk).is_err() {
                            break;
                        }
                    }
                    let _ = server.shutdown(std::net::Shutdown::Write);
                });
                std::thread::spawn(move || {
                    let mut buf = vec![0; 64 * 1024];
                    while let Ok(n @ 1..) = server_read.read(&mut buf) {
                        if client.write_all(&buf[..n]).is_err() {
                            break;
                        }
                    }
                    let _ = client.shutdown(std::net::Shutdown::Write);
                });
            }
        });
        SlowProxy { endpoint, requests }
    }

    /// The request lines seen so far, in order: `PUT /assets/key HTTP/1.1`.
    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}
