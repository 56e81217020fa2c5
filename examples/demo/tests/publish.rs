//! `demo publish-assets` and `demo prune-assets` against an S3 API that
//! checks signatures (moto with authentication, on loopback): wrong
//! credentials and an unreachable endpoint fail with a clear message and
//! change nothing; the right ones publish.
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
    let s3 = S3Server::start(true);
    // Authenticated moto refuses listings with a prefix, so: the root.
    let url = s3.url("");

    let wrong_secret = run(
        &s3,
        &s3.endpoint,
        "not-the-secret",
        &["publish-assets", &url],
    );
    assert_eq!(wrong_secret.status.code(), Some(1));
    let message = stderr(&wrong_secret);
    assert!(
        message.contains("cannot list the objects")
            && message.contains("403")
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
    assert!(s3.objects("").await.is_empty(), "nothing was written");

    let ok = run(&s3, &s3.endpoint, &s3.secret, &["publish-assets", &url]);
    assert!(ok.status.success(), "{}", stderr(&ok));
    let published = s3.objects("").await;
    assert!(published.len() >= 6, "{published:?}");

    // A prune with the wrong secret deletes nothing either.
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
    assert_eq!(
        s3.objects("").await.keys().collect::<Vec<_>>(),
        published.keys().collect::<Vec<_>>()
    );
}
