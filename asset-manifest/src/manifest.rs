//! `manifest.json`: what each logical path maps to.
//!
//! The build writes one into `OUT_DIR` (read by `asset!` and other tools);
//! an export writes one beside the files (read by deploy tools), with the
//! object metadata of every exported file under `objects`. Both have this
//! shape:
//!
//! ```json
//! {
//!   "version": 1,
//!   "url_prefix": "/static/",
//!   "assets": {
//!     "css/app.css": {
//!       "hashed_path": "css/app.3f2a1b9c4d5e6f70.css",
//!       "url": "/static/css/app.3f2a1b9c4d5e6f70.css",
//!       "integrity": "sha384-...",
//!       "content_type": "text/css; charset=utf-8",
//!       "etag": "\"3f2a...\"",
//!       "sizes": { "br": 1203, "gzip": 1377, "identity": 4096 }
//!     }
//!   }
//! }
//! ```
//!
//! A development-mode build (`"dev": true`) lists only `url` (the logical
//! URL) and `content_type`: nothing is hashed then.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The manifest format's version; a reader refuses others.
pub const VERSION: u32 = 1;

/// A whole `manifest.json`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// [`VERSION`].
    pub version: u32,
    /// Written by a development-mode build.
    #[serde(default, skip_serializing_if = "is_false")]
    pub dev: bool,
    /// The URL prefix of every `url`.
    pub url_prefix: String,
    /// Logical path -> what it is served as, ordered by logical path.
    pub assets: BTreeMap<String, ManifestAsset>,
    /// In an export: each file written, relative to the export folder,
    /// with the metadata its object needs in a bucket.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub objects: BTreeMap<String, ObjectMeta>,
}

/// One asset of a [`Manifest`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestAsset {
    /// `css/app.3f2a1b9c4d5e6f70.css` (absent in development mode).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hashed_path: Option<String>,
    /// The URL templates use: the hashed path under the prefix,
    /// percent-encoded (the logical one in development mode).
    pub url: String,
    /// Subresource Integrity of the identity bytes: `sha384-<base64>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub integrity: Option<String>,
    /// The `Content-Type` header value.
    pub content_type: String,
    /// The strong ETag of the identity bytes, quotes included.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    /// Stored sizes by coding token: `identity`, `br`, `gzip`, `zstd`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub sizes: BTreeMap<String, u64>,
}

/// The metadata of one exported file, as its bucket object needs it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectMeta {
    /// `Content-Type`.
    pub content_type: String,
    /// `Cache-Control`: [`IMMUTABLE`](crate::IMMUTABLE).
    pub cache_control: String,
    /// `Content-Encoding` of a precompressed sibling; `null` for identity.
    pub content_encoding: Option<String>,
    /// The ETag the app serves these bytes with.
    pub etag: String,
    /// The size in bytes.
    pub size: u64,
}

fn is_false(value: &bool) -> bool {
    !value
}

/// Why a manifest could not be read.
#[derive(Debug)]
pub struct ManifestError(String);

impl std::fmt::Display for ManifestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ManifestError {}

impl ManifestError {
    pub(crate) fn new(reason: impl Into<String>) -> ManifestError {
        ManifestError(reason.into())
    }
}

impl Manifest {
    /// An empty manifest of the current [`VERSION`].
    pub fn new(url_prefix: impl Into<String>) -> Manifest {
        Manifest {
            version: VERSION,
            url_prefix: url_prefix.into(),
            ..Manifest::default()
        }
    }

    /// The JSON text: pretty-printed, keys in a stable order, with a final
    /// newline, so the same table always gives the same bytes.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("a manifest always serialises");
        text.push('\n');
        text
    }

    /// Reads a manifest, refusing another [`VERSION`].
    pub fn from_json(text: &str) -> Result<Manifest, ManifestError> {
        let manifest: Manifest =
            serde_json::from_str(text).map_err(|err| ManifestError(err.to_string()))?;
        if manifest.version != VERSION {
            return Err(ManifestError(format!(
                "manifest version {} is not supported (expected {VERSION}); rebuild with the same version of asset-build and asset-runtime",
                manifest.version
            )));
        }
        Ok(manifest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_omits_what_is_absent() {
        let mut manifest = Manifest::new("/static/");
        manifest.assets.insert(
            "css/app.css".into(),
            ManifestAsset {
                url: "/static/css/app.css".into(),
                content_type: "text/css; charset=utf-8".into(),
                ..ManifestAsset::default()
            },
        );
        let text = manifest.to_json();
        assert!(
            !text.contains("hashed_path") && !text.contains("objects") && !text.contains("dev")
        );
        assert!(text.ends_with("}\n"));
        assert_eq!(Manifest::from_json(&text).unwrap(), manifest);
    }

    #[test]
    fn other_versions_are_refused() {
        let err = Manifest::from_json(r#"{"version":2,"url_prefix":"/","assets":{}}"#).unwrap_err();
        assert!(err.to_string().contains("version 2"), "{err}");
        assert!(Manifest::from_json("not json").is_err());
    }
}
