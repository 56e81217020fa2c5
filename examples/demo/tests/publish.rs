//! `demo publish-assets` and `demo prune-assets` against real stores that
//! check signatures (SeaweedFS's S3 API and Azurite, on loopback): an
//! unknown access key or account, a wrong secret and an unreachable
//! endpoint fail with a clear message and change nothing.
//!
//! Needs SeaweedFS and Azurite: `bash tests/setup.sh`.

use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};

use asset_tests::stores::{Kind, StoreServer};

const DEMO: &str = env!("CARGO_BIN_EXE_demo");

fn run(store: &StoreServer, vars: &[(&str, &str)], args: &[&str]) -> Output {
    let mut command = store.command(Path::new(DEMO), args);
    command.envs(vars.iter().copied());
    command.output().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn seaweedfs_wrong_credentials_or_endpoint_fail_clearly_and_change_nothing() {
    refused_and_unchanged(
        Kind::SeaweedFs,
        Some((
            "AWS_ACCESS_KEY_ID",
            "AKIAUNKNOWNKEY000000",
            "InvalidAccessKeyId",
        )),
        ("AWS_SECRET_ACCESS_KEY", "SignatureDoesNotMatch"),
        "AWS_ENDPOINT_URL",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn azurite_wrong_credentials_or_endpoint_fail_clearly_and_change_nothing() {
    refused_and_unchanged(
        Kind::Azurite,
        // An unknown account is a host name that does not resolve on
        // Azure itself; Azurite answers 404 for it, so it is not tried.
        None,
        ("AZURE_STORAGE_ACCOUNT_KEY", "403"),
        "AZURITE_BLOB_STORAGE_URL",
    )
    .await;
}

/// `unknown`: the variable naming the access key, a value the server
/// does not know and a word of its answer; `wrong`: the secret's
/// variable and a word of the answer to a wrong one; `endpoint`: the
/// variable naming the server.
async fn refused_and_unchanged(
    kind: Kind,
    unknown: Option<(&str, &str, &str)>,
    wrong: (&str, &str),
    endpoint: &str,
) {
    use object_store::ObjectStoreExt;
    let store = StoreServer::start(kind);
    let url = store.url("static/");
    // The right credentials are accepted: the test writes with them.
    store
        .store()
        .put(&object_store::path::Path::from("robots.txt"), "x".into())
        .await
        .unwrap();
    let before = store.objects("").await;
    assert_eq!(before.len(), 1);

    if let Some((name, value, answer)) = unknown {
        let unknown_key = run(&store, &[(name, value)], &["publish-assets", &url]);
        assert_eq!(unknown_key.status.code(), Some(1));
        let message = stderr(&unknown_key);
        assert!(
            message.starts_with(&format!("publish-assets: {url}: cannot list the objects"))
                && message.contains(answer)
                && message.contains("hint: check the credentials"),
            "{message}"
        );
    }

    let (name, answer) = wrong;
    // A key of the right form (Azure's are base64), but not the one.
    let not_the_secret = "bm90LXRoZS1zZWNyZXQ=";
    let wrong_secret = run(&store, &[(name, not_the_secret)], &["publish-assets", &url]);
    assert_eq!(wrong_secret.status.code(), Some(1));
    let message = stderr(&wrong_secret);
    assert!(
        message.starts_with(&format!("publish-assets: {url}: cannot list the objects"))
            && message.contains(answer)
            && message.contains("hint: check the credentials"),
        "{message}"
    );

    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let started = Instant::now();
    let unreachable = run(
        &store,
        &[(endpoint, &format!("http://{closed}"))],
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
        &store,
        &[(name, not_the_secret)],
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
        store.objects("").await.keys().collect::<Vec<_>>(),
        before.keys().collect::<Vec<_>>(),
        "nothing was written or deleted"
    );
}
