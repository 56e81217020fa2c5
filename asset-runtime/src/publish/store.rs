//! Opening a store from a URL, and listing what it holds under a prefix.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use futures_util::TryStreamExt;
use object_store::path::Path;
use object_store::{BackoffConfig, ObjectStore, ObjectStoreExt, ObjectStoreScheme, RetryConfig};

use super::error::{ErrorKind, PublishError};
use super::retry_after::Connector;

/// A store and the prefix inside it that a release goes under.
pub(crate) struct Target {
    pub store: Arc<dyn ObjectStore>,
    /// The prefix inside the store, without slashes at either end (empty:
    /// the root).
    prefix: String,
    /// The URL, as given, for messages.
    pub url: String,
    /// A local folder: it keeps no object metadata.
    pub local: bool,
}

/// One object found under the prefix.
#[derive(Clone, Debug)]
pub(crate) struct Listed {
    pub size: u64,
    pub last_modified: SystemTime,
}

impl Target {
    /// Opens the store `url` names. Credentials and endpoints come from the
    /// environment, as each store's own tools read them.
    pub fn open(url: &str, retries: usize) -> Result<Target, PublishError> {
        Target::open_with(url, retries, &[])
    }

    /// [`Target::open`], with `settings` over the environment's: the
    /// configuration keys of object_store's builder for the URL's store
    /// (`google_service_account_key`, `aws_endpoint`, …) and their values.
    pub fn open_with(
        url: &str,
        retries: usize,
        settings: &[(&str, &str)],
    ) -> Result<Target, PublishError> {
        let local = |dir: std::path::PathBuf| -> Result<Target, PublishError> {
            std::fs::create_dir_all(&dir).map_err(|err| {
                PublishError::new(
                    ErrorKind::Store,
                    url,
                    format!("cannot create the folder {}: {err}", dir.display()),
                )
            })?;
            let store = object_store::local::LocalFileSystem::new_with_prefix(&dir)
                .map_err(|err| PublishError::store(url, "cannot open the folder", err))?;
            Ok(Target {
                store: Arc::new(store),
                prefix: String::new(),
                url: url.to_owned(),
                local: true,
            })
        };
        let parsed = match url::Url::parse(url) {
            Ok(parsed) => parsed,
            // A plain path: a local folder.
            Err(url::ParseError::RelativeUrlWithoutBase) => return local(url.into()),
            Err(err) => {
                return Err(PublishError::new(
                    ErrorKind::Url,
                    url,
                    format!("not a URL: {err}"),
                ));
            }
        };
        if parsed.scheme() == "file" {
            let dir = parsed
                .to_file_path()
                .map_err(|()| PublishError::new(ErrorKind::Url, url, "not a local path"))?;
            return local(dir);
        }
        let unsupported = || {
            PublishError::new(
                ErrorKind::Url,
                url,
                "unsupported store URL; use s3://bucket/prefix/ (S3, R2, MinIO), \
                 gs://bucket/prefix/, az://container/prefix/, file:///folder or a folder path",
            )
        };
        let (scheme, path) = ObjectStoreScheme::parse(&parsed).map_err(|_| unsupported())?;
        let retry = RetryConfig {
            backoff: BackoffConfig {
                init_backoff: Duration::from_millis(100),
                max_backoff: Duration::from_secs(5),
                base: 2.0,
            },
            max_retries: retries,
            retry_timeout: Duration::from_secs(120),
        };
        // One builder per store, configured alike: the environment, then
        // `settings`, the URL, retries, and the client that honours
        // `Retry-After`.
        macro_rules! build {
            ($builder:ty) => {
                settings
                    .iter()
                    .try_fold(
                        <$builder>::from_env().with_http_connector(Connector { retries }),
                        |b, (k, v)| Ok(b.with_config(k.parse()?, *v)),
                    )
                    .and_then(|b| b.with_url(url).with_retry(retry).build())
                    .map(|s| Arc::new(s) as Arc<dyn ObjectStore>)
            };
        }
        let built = match scheme {
            ObjectStoreScheme::AmazonS3 => build!(object_store::aws::AmazonS3Builder),
            ObjectStoreScheme::GoogleCloudStorage => {
                build!(object_store::gcp::GoogleCloudStorageBuilder)
            }
            ObjectStoreScheme::MicrosoftAzure => build!(object_store::azure::MicrosoftAzureBuilder),
            _ => return Err(unsupported()),
        };
        let store = built.map_err(|err| {
            let mut error = PublishError::store(url, "cannot configure the store", err);
            error.set_kind(ErrorKind::Url);
            error
        })?;
        Ok(Target {
            store,
            prefix: path.as_ref().to_owned(),
            url: url.to_owned(),
            local: false,
        })
    }

    /// A store with `prefix`, for tests.
    #[cfg(test)]
    pub fn with_store(store: Arc<dyn ObjectStore>, prefix: &str, local: bool) -> Target {
        Target {
            url: format!("{store}/{prefix}"),
            store,
            prefix: prefix.trim_matches('/').to_owned(),
            local,
        }
    }

    /// The store path of a key relative to the prefix: the key as it is,
    /// which is the URL path a browser asks for, decoded. (A local folder
    /// maps it to the same file name.)
    pub fn path(&self, key: &str) -> Result<Path, PublishError> {
        Path::parse(self.under_prefix(key)).map_err(|err| {
            PublishError::new(ErrorKind::Url, &self.url, format!("key `{key}`: {err}"))
        })
    }

    /// `rest` under the prefix, as a store path string.
    fn under_prefix(&self, rest: &str) -> String {
        match (self.prefix.is_empty(), rest.is_empty()) {
            (true, _) => rest.to_owned(),
            (false, true) => self.prefix.clone(),
            (false, false) => format!("{}/{rest}", self.prefix),
        }
    }

    /// The key relative to the prefix of a listed path. A local folder's
    /// listing percent-encodes some characters of file names (object_store's
    /// rule); they are decoded back.
    fn key_of(&self, location: &Path) -> Option<String> {
        let path = if self.local {
            let parts: Vec<String> = location
                .parts()
                .map(|p| percent_decode(p.as_ref()))
                .collect();
            parts.join("/")
        } else {
            location.as_ref().to_owned()
        };
        if self.prefix.is_empty() {
            return Some(path);
        }
        path.strip_prefix(self.prefix.as_str())?
            .strip_prefix('/')
            .map(str::to_owned)
    }

    /// The bytes of the object at `key`; `what` names it in the error
    /// (`cannot read <what>`).
    pub async fn read(&self, key: &str, what: &str) -> Result<bytes::Bytes, PublishError> {
        let path = self.path(key)?;
        async { self.store.get(&path).await?.bytes().await }
            .await
            .map_err(|err| PublishError::store(&self.url, format!("cannot read {what}"), err))
    }

    /// The bytes of the object at `key`, or `None` if there is none;
    /// `consequence` ends the error's sentence.
    pub async fn read_if_there(
        &self,
        key: &str,
        consequence: &str,
    ) -> Result<Option<bytes::Bytes>, PublishError> {
        let path = self.path(key)?;
        match async { self.store.get(&path).await?.bytes().await }.await {
            Ok(bytes) => Ok(Some(bytes)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(err) => Err(PublishError::store(
                &self.url,
                format!("cannot read `{key}`{consequence}"),
                err,
            )),
        }
    }

    /// Every object under the prefix, by key relative to it: one listing.
    pub async fn list(&self) -> Result<BTreeMap<String, Listed>, PublishError> {
        self.list_under("").await
    }

    /// Every object under `folder` of the prefix, by key relative to the
    /// prefix.
    pub async fn list_under(&self, folder: &str) -> Result<BTreeMap<String, Listed>, PublishError> {
        let prefix = Path::parse(self.under_prefix(folder)).map_err(|err| {
            PublishError::new(ErrorKind::Url, &self.url, format!("prefix: {err}"))
        })?;
        let mut listed = BTreeMap::new();
        let mut stream = self.store.list(Some(&prefix));
        while let Some(meta) = stream
            .try_next()
            .await
            .map_err(|err| PublishError::store(&self.url, "cannot list the objects", err))?
        {
            if let Some(key) = self.key_of(&meta.location) {
                listed.insert(
                    key,
                    Listed {
                        size: meta.size,
                        last_modified: meta.last_modified.into(),
                    },
                );
            }
        }
        Ok(listed)
    }
}

/// Decodes object_store's percent-encoding of a path part.
fn percent_decode(part: &str) -> String {
    percent_encoding::percent_decode_str(part)
        .decode_utf8_lossy()
        .into_owned()
}
