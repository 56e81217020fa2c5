//! Why a publish or a prune failed: what was being done, where, and the
//! store's own words, with a hint when the cause is a usual one.

use std::error::Error as _;
use std::fmt;

/// What kind of failure a [`PublishError`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The URL names no store this crate can open.
    Url,
    /// The store refused the credentials, or found none.
    Credentials,
    /// The store could not be reached.
    Unreachable,
    /// A key already holds other bytes than the release's.
    Conflict,
    /// A release manifest could not be read, or there is none to keep.
    Manifest,
    /// A development-mode table has no hashed files to publish.
    DevTable,
    /// Any other error the store reported.
    Store,
    /// A local folder could not be written (`fetch-releases`).
    Folder,
}

/// Why [`Publish::run`](super::Publish::run) or
/// [`Prune::run`](super::Prune::run) failed.
pub struct PublishError {
    kind: ErrorKind,
    url: String,
    what: String,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl PublishError {
    pub(crate) fn new(kind: ErrorKind, url: &str, what: impl Into<String>) -> PublishError {
        PublishError {
            kind,
            url: url.to_owned(),
            what: what.into(),
            source: None,
        }
    }

    /// An error of the store while doing `what`, classified.
    pub(crate) fn store(url: &str, what: impl Into<String>, err: object_store::Error) -> Self {
        let kind = match &err {
            object_store::Error::PermissionDenied { .. }
            | object_store::Error::Unauthenticated { .. } => ErrorKind::Credentials,
            _ if is_connect_error(&err) => ErrorKind::Unreachable,
            _ if is_refused(&err) => ErrorKind::Credentials,
            _ => ErrorKind::Store,
        };
        PublishError {
            kind,
            url: url.to_owned(),
            what: what.into(),
            source: Some(Box::new(err)),
        }
    }

    pub(crate) fn set_kind(&mut self, kind: ErrorKind) {
        self.kind = kind;
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    fn hint(&self) -> Option<&'static str> {
        match self.kind {
            ErrorKind::Credentials => Some(
                "check the credentials in the environment: AWS_ACCESS_KEY_ID and \
                 AWS_SECRET_ACCESS_KEY (S3, R2, MinIO), GOOGLE_SERVICE_ACCOUNT (GCS), \
                 AZURE_STORAGE_ACCOUNT_NAME and AZURE_STORAGE_ACCOUNT_KEY (Azure)",
            ),
            ErrorKind::Unreachable => Some(
                "check the endpoint (AWS_ENDPOINT_URL for S3-compatible stores; \
                 AWS_ALLOW_HTTP=true for a plain-http one) and the network",
            ),
            ErrorKind::Conflict => Some(
                "a hashed key names its bytes, so different bytes under it were not \
                 written by this pipeline (or were damaged); nothing was uploaded; \
                 remove that object or publish under another prefix",
            ),
            _ => None,
        }
    }
}

/// Whether the store could not connect at all (after its retries).
fn is_connect_error(err: &object_store::Error) -> bool {
    let mut source = err.source();
    while let Some(err) = source {
        if let Some(http) = err.downcast_ref::<object_store::client::HttpError>() {
            return http.kind() == object_store::client::HttpErrorKind::Connect;
        }
        source = err.source();
    }
    false
}

/// Whether the store answered 401 or 403. Listing errors reach us as
/// `Generic`, with the status only in the retry error's text (its type is
/// private to object_store).
fn is_refused(err: &object_store::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(err) = source {
        let text = err.to_string();
        if text.contains("status code: 401") || text.contains("status code: 403") {
            return true;
        }
        source = err.source();
    }
    false
}

impl fmt::Display for PublishError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.url, self.what)?;
        if let Some(source) = &self.source {
            write!(f, ": {source}")?;
        }
        if let Some(hint) = self.hint() {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// The same sentence as `Display`, so that `.unwrap()` says what is wrong.
impl fmt::Debug for PublishError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for PublishError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}
