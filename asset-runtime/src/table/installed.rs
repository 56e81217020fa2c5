//! The table installed for template helpers, and the helpers any engine
//! can call.

use std::fmt;
use std::sync::OnceLock;

use crate::Assets;

static INSTALLED: OnceLock<&'static Assets> = OnceLock::new();

impl Assets {
    /// Makes this table the one that template helpers (such as the askama
    /// `asset_url` filter) look paths up in. The first call wins; later calls
    /// with another table are ignored and return `false`.
    /// [`Assets::service`] calls it too, so an app that serves its assets
    /// needs no separate line.
    pub fn install(&'static self) -> bool {
        let installed = INSTALLED.get_or_init(|| self);
        std::ptr::eq(*installed, self)
    }
}

/// The table installed with [`Assets::install`], if any.
pub fn installed() -> Option<&'static Assets> {
    INSTALLED.get().copied()
}

/// A template asked for a path that the installed table does not have, or
/// no table was installed. `Debug` prints the same sentence as `Display`,
/// so that `.unwrap()` (and a template engine that wraps the error) shows
/// what is wrong and how to fix it.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum UnknownAsset {
    /// No logical path of this name.
    Path {
        /// The path asked for.
        path: String,
        /// The known path most like it, if any is close.
        suggestion: Option<String>,
    },
    /// Neither [`Assets::install`] nor [`Assets::service`] ran yet.
    NotInstalled(String),
}

impl UnknownAsset {
    /// `path` is not in `assets`; suggests the closest logical path.
    pub fn in_table(assets: &Assets, path: &str) -> Self {
        UnknownAsset::Path {
            path: path.to_owned(),
            suggestion: asset_manifest::suggest::closest(
                path,
                assets.iter().map(crate::Asset::logical_path),
            )
            .map(str::to_owned),
        }
    }

    /// The path asked for.
    pub fn path(&self) -> &str {
        match self {
            UnknownAsset::Path { path, .. } | UnknownAsset::NotInstalled(path) => path,
        }
    }
}

impl fmt::Display for UnknownAsset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UnknownAsset::Path { path, suggestion } => {
                write!(
                    f,
                    "unknown asset `{path}`: no such file in the asset folders"
                )?;
                match suggestion {
                    Some(s) => write!(f, "; did you mean `{s}`?"),
                    None => write!(f, " (paths are relative to the asset folder, with `/`)"),
                }
            }
            UnknownAsset::NotInstalled(path) => write!(
                f,
                "cannot look up asset `{path}`: no asset table installed; call `ASSETS.install()` (or `ASSETS.service()`) at startup"
            ),
        }
    }
}

impl fmt::Debug for UnknownAsset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for UnknownAsset {}

/// Looks a logical path up in the installed table.
pub fn installed_asset(path: &str) -> Result<&'static crate::Asset, UnknownAsset> {
    let assets = installed().ok_or_else(|| UnknownAsset::NotInstalled(path.to_owned()))?;
    assets
        .get(path)
        .ok_or_else(|| UnknownAsset::in_table(assets, path))
}

/// The hashed URL of a logical path in the installed table: the helper for
/// any template engine.
///
/// ```
/// # asset_runtime::__example_assets!();
/// # fn main() -> Result<(), asset_runtime::UnknownAsset> {
/// ASSETS.install();
/// let href = asset_runtime::asset_url("css/app.css")?;
/// assert_eq!(href, "/static/css/app.257138f5fc764079.css");
/// # Ok(())
/// # }
/// ```
pub fn asset_url(path: &str) -> Result<&'static str, UnknownAsset> {
    let assets = installed().ok_or_else(|| UnknownAsset::NotInstalled(path.to_owned()))?;
    assets
        .url(path)
        .ok_or_else(|| UnknownAsset::in_table(assets, path))
}

/// The `crossorigin` attribute value for a logical path's tag:
/// `"anonymous"` when the installed table's URLs point at another origin (a
/// CDN prefix), where a tag with `integrity` must make a CORS request, and
/// `""` otherwise. (In HTML `crossorigin=""` also means anonymous, so
/// `crossorigin="{{ ... }}"` is right either way; the helper keeps the
/// attribute honest about why it is there.)
pub fn asset_crossorigin(path: &str) -> Result<&'static str, UnknownAsset> {
    let assets = installed().ok_or_else(|| UnknownAsset::NotInstalled(path.to_owned()))?;
    assets
        .get(path)
        .ok_or_else(|| UnknownAsset::in_table(assets, path))?;
    Ok(if assets.is_cross_origin() {
        "anonymous"
    } else {
        ""
    })
}

/// The Subresource Integrity value (`sha384-...`) of a logical path in the
/// installed table.
pub fn asset_integrity(path: &str) -> Result<&'static str, UnknownAsset> {
    installed_asset(path).map(crate::Asset::integrity)
}

/// Whether `value` can go into HTML text or a quoted attribute as it is:
/// none of `&`, `<`, `>`, `"`, `'`. Hashed URLs are percent-encoded, so only
/// an `&` in a file name or URL prefix makes one unsafe; integrity values
/// are base64.
#[cfg(any(feature = "minijinja", feature = "tera"))]
pub(crate) fn html_safe(value: &str) -> bool {
    !value.contains(['&', '<', '>', '"', '\''])
}
