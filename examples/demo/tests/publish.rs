//! `demo publish-assets` and `demo prune-assets` against an S3 API that
//! checks credentials (moto with authentication, on loopback): an unknown
//! access key, a wrong secret and an unreachable endpoint fail with a clear
//! message and change nothing. (moto with authentication on also refuses
//! any listing whose `prefix` holds a `/`, whatever the signature, so the
//! successful publishes are in `tests/tests/publish.rs`, against moto
//! without authentication.)
//!
//! Needs moto: `bash tests/setup.sh`.

use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};

use asset_tests::s3::S3Server;

const DEMO: &str = env!("CARGO_BIN_EXE_demo");

fn run(s3: &S3Server, endpoint: &str, secret: &str, args: &[&str]) -> Output {
    let mut command = s3.command(Path::new(DEMO), args);
    command.envs(s3.env(endpoint, secret));
    command.output().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn wrong_credentials_or_endpoint_fail_clearly_and_change_nothing() {
    use object_store::ObjectStoreExt;
    let s3 = S3Server::start(true);
    let url = s3.url("static/");
    // The right credentials are accepted: the test writes with them.
    s3.store()
        .put(&object_store::path::Path::from("robots.txt"), "x".into())
        .await
        .unwrap();
    let before = s3.objects("").await;
    assert_eq!(before.len(), 1);

    let mut unknown_key = s3.command(Path::new(DEMO), &["publish-assets", &url]);
    unknown_key.env("AWS_ACCESS_KEY_ID", "AKIAUNKNOWNKEY000000");
    let unknown_key = unknown_key.output().unwrap();
    assert_eq!(unknown_key.status.code(), Some(1));
    let message = stderr(&unknown_key);
    assert!(
        message.starts_with(&format!("publish-assets: {url}: cannot list the objects"))
            && message.contains("InvalidAccessKeyId")
            && message.contains("hint: check the credentials"),
        "{message}"
    );

    let wrong_secret = run(
        &s3,
        &s3.endpoint,
        "not-the-secret",
        &["publish-assets", &url],
    );
    assert_eq!(wrong_secret.status.code(), Some(1));
    let message = stderr(&wrong_secret);
    assert!(
        message.contains("SignatureDoesNotMatch")
            && message.contains("hint: check the credentials"),
        "{message}"
    );

    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let started = Instant::now();
    let unreachable = run(
        &s3,
        &format!("http://{closed}"),
        &s3.secret,
        &["publish-assets", &url, "--retries", "2"],
    );
    assert_eq!(unreachable.status.code(), Some(1));
    let message = stderr(&unreachable);
    assert!(
        message.contains(&closed.to_string()) && message.contains("hint: check the endpoint"),
        "{message}"
    );
    assert!(started.elapsed() < Duration::from_secs(30));

    let prune = run(
        &s3,
        &s3.endpoint,
        "not-the-secret",
        &[
            "prune-assets",
            &url,
            "--keep",
            "1",
            "--grace",
            "0",
            "--delete",
        ],
    );
    assert_eq!(prune.status.code(), Some(1), "{}", stderr(&prune));
    assert!(stderr(&prune).contains("hint: check the credentials"));

    assert_eq!(
        s3.objects("").await.keys().collect::<Vec<_>>(),
        before.keys().collect::<Vec<_>>(),
        "nothing was written or deleted"
    );
}
