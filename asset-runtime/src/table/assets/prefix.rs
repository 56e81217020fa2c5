//! A URL prefix set once, at startup
//! ([`Assets::set_url_prefix`](crate::Assets::set_url_prefix)): the
//! URLs under it, rebuilt then so that lookups stay allocation-free.

use crate::Asset;

/// URLs rebuilt once, at startup, under another prefix.
#[derive(Debug)]
pub(super) struct PrefixOverride {
    pub(super) prefix: &'static str,
    /// Aligned with the embedded list.
    pub(super) urls: Vec<&'static str>,
    /// `Use-As-Dictionary` values under the new prefix's path, aligned
    /// with the embedded list; `None` when the path is the build's (the
    /// patterns name no origin, so only the path matters).
    pub(super) dictionaries: Option<Vec<Option<&'static str>>>,
}

impl PrefixOverride {
    /// The URLs of `list` (built under `build_prefix`) under `prefix`,
    /// and their `Use-As-Dictionary` values if its path differs.
    pub(super) fn new(prefix: &str, list: &[Asset], build_prefix: &str) -> PrefixOverride {
        let prefix: &'static str = Box::leak(prefix.to_owned().into_boxed_str());
        let urls = list
            .iter()
            .map(|a| {
                let path = a
                    .url()
                    .strip_prefix(build_prefix)
                    .unwrap_or(a.hashed_path());
                &*Box::leak(format!("{prefix}{path}").into_boxed_str())
            })
            .collect();
        let same_path = asset_manifest::dictionary::prefix_path(prefix)
            == asset_manifest::dictionary::prefix_path(build_prefix);
        let dictionaries = (!same_path).then(|| {
            list.iter()
                .map(|a| {
                    a.use_as_dictionary()?;
                    let value =
                        asset_manifest::dictionary::use_as_dictionary(prefix, a.hashed_path())?;
                    Some(&*Box::leak(value.into_boxed_str()))
                })
                .collect()
        });
        PrefixOverride {
            prefix,
            urls,
            dictionaries,
        }
    }
}

/// Why [`Assets::set_url_prefix`](crate::Assets::set_url_prefix) refused a prefix.
#[derive(Clone, PartialEq, Eq)]
pub enum UrlPrefixError {
    /// Not `/...`, `http://...` or `https://...`, or it holds a space, a
    /// quote, `<`, `>`, `?`, `#`, `\\` or a control character.
    Invalid(String),
    /// A prefix was already set; it can be set once, at startup.
    AlreadySet(String),
}

impl std::fmt::Display for UrlPrefixError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            UrlPrefixError::Invalid(p) => write!(
                f,
                "invalid asset URL prefix `{p}`: it must start with `/`, `http://` or `https://` and contain no spaces, quotes, `<`, `>`, `?`, `#` or backslashes"
            ),
            UrlPrefixError::AlreadySet(p) => {
                write!(
                    f,
                    "the asset URL prefix was already set to `{p}`; it can be set once, at startup"
                )
            }
        }
    }
}

/// The same sentence as `Display`, so that `.unwrap()` says what is wrong.
impl std::fmt::Debug for UrlPrefixError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for UrlPrefixError {}
