//! [`AssetService`]: a table, its [`ServeOptions`], and where it is mounted.
//! The framework adapters (`tower`, `hyper`, `actix-web` features) are thin
//! layers over [`AssetService::serve`].

use std::sync::Arc;

use http::{HeaderMap, Method, Request, Response};

use crate::{Assets, Body, ServeOptions, not_found};

/// Serves an [`Assets`] table. Cheap to clone.
///
/// With the `tower` (or `axum`) feature it is a `tower::Service`, ready for
/// axum's `nest_service`, which strips the mount path itself:
///
/// ```
/// # asset_runtime::__example_assets!();
/// # #[cfg(feature = "axum")]
/// let app: axum::Router = axum::Router::new().nest_service("/static", ASSETS.service());
/// ```
///
/// With the `hyper` and `actix-web` features it is a hyper 1 service and an
/// actix-web service factory; those see the whole request path, so tell the
/// service where it is mounted with [`mount`](AssetService::mount):
///
/// ```
/// # asset_runtime::__example_assets!();
/// let service = ASSETS.service().mount("/static");
/// ```
#[derive(Clone, Debug)]
pub struct AssetService {
    assets: &'static Assets,
    options: ServeOptions,
    mount: Option<Arc<str>>,
}

impl Assets {
    /// A service that answers requests for this table with the default
    /// [`ServeOptions`]. It also [installs](Assets::install) the table for
    /// template helpers.
    pub fn service(&'static self) -> AssetService {
        self.install();
        AssetService {
            assets: self,
            options: ServeOptions::default(),
            mount: None,
        }
    }
}

impl AssetService {
    /// Replaces the [`ServeOptions`].
    pub fn with_options(mut self, options: ServeOptions) -> Self {
        self.options = options;
        self
    }

    /// The path prefix that requests for the table carry, such as
    /// `/static`, for frameworks that pass the whole request path: hyper,
    /// actix-web and [`Fallback`](crate::Fallback). A request outside it names
    /// no asset. A trailing `/` is ignored; `/` (the default) is the root.
    /// axum's `nest_service` strips the prefix itself: there, leave it out.
    ///
    /// # Panics
    ///
    /// If `path` does not start with `/`, or if it is not where the table's
    /// URLs point: with URLs under `/assets/` (the `url_prefix` of the
    /// build, or one set with [`Assets::set_url_prefix`]), a service mounted
    /// at `/static` would 404 on every link the pages make. The message
    /// names both. When a proxy in front really maps one path to the other,
    /// use [`mount_unchecked`](AssetService::mount_unchecked).
    ///
    /// ```should_panic
    /// # asset_runtime::__example_assets!(); // URLs under /static/
    /// let service = ASSETS.service().mount("/assets"); // panics, naming both paths
    /// ```
    pub fn mount(self, path: &str) -> Self {
        let service = self.mount_unchecked(path);
        if let Some(expected) = service.expected_mount() {
            assert!(
                expected == service.mount_path(),
                "{}",
                mount_mismatch(
                    service.mount_path(),
                    &expected,
                    service.assets.url_prefix(),
                    "mount"
                )
            );
        }
        service
    }

    /// Like [`mount`](AssetService::mount), without checking the path
    /// against the table's URL prefix.
    ///
    /// # Panics
    ///
    /// If `path` does not start with `/`.
    pub fn mount_unchecked(mut self, path: &str) -> Self {
        assert!(
            path.starts_with('/'),
            "a mount path starts with `/`: `{path}`"
        );
        let path = path.trim_end_matches('/');
        self.mount = (!path.is_empty()).then(|| Arc::from(path));
        self
    }

    /// Where the table's URLs say it is served, without a trailing `/`
    /// (`""` for the root), when they are paths or URLs with a path.
    fn expected_mount(&self) -> Option<String> {
        let prefix = self.assets.url_prefix();
        let path = match prefix.split_once("://") {
            Some((_, rest)) => &rest[rest.find('/')?..],
            None => prefix,
        };
        Some(path.trim_end_matches('/').to_owned())
    }

    /// The message for an axum `nest_service` path (`nested`, from axum's
    /// `NestedPath`) that is not where the table's URLs point.
    #[cfg(feature = "axum")]
    pub(crate) fn nest_mismatch(&self, nested: &str) -> Option<String> {
        let nested = nested.trim_end_matches('/');
        let expected = self.expected_mount()?;
        (expected != nested && self.mount.is_none())
            .then(|| mount_mismatch(nested, &expected, self.assets.url_prefix(), "nest_service"))
    }

    /// The table this service answers for.
    pub fn assets(&self) -> &'static Assets {
        self.assets
    }

    /// The options this service answers with.
    pub fn options(&self) -> &ServeOptions {
        &self.options
    }

    /// The mount path set with [`mount`](AssetService::mount), without a
    /// trailing `/`; `""` for the root.
    pub fn mount_path(&self) -> &str {
        self.mount.as_deref().unwrap_or("")
    }

    /// Answers one request, or `None` when its path names no asset: the
    /// answer every adapter gives. `path` is the whole request path; the
    /// mount path is stripped here. See [`serve`](crate::serve()).
    pub fn serve(
        &self,
        method: &Method,
        path: &str,
        headers: &HeaderMap,
    ) -> Option<Response<Body>> {
        let path = match &self.mount {
            None => path,
            Some(mount) => path
                .strip_prefix(&**mount)
                .filter(|rest| rest.starts_with('/'))?,
        };
        crate::serve(self.assets, &self.options, method, path, headers)
    }

    /// Answers one request; 404 for a path that names no asset.
    pub fn respond<B>(&self, request: &Request<B>) -> Response<Body> {
        self.serve(request.method(), request.uri().path(), request.headers())
            .unwrap_or_else(not_found)
    }

    /// A service that answers the requests whose path names an asset and
    /// hands every other request to `inner`, the app's own routes. See
    /// [`Fallback`](crate::Fallback).
    #[cfg(any(feature = "tower", feature = "hyper"))]
    pub fn fallback<S>(self, inner: S) -> crate::Fallback<S> {
        crate::Fallback::new(self, inner)
    }
}

/// The message for a service mounted where the table's URLs do not point.
fn mount_mismatch(mounted: &str, expected: &str, prefix: &str, how: &str) -> String {
    let shown = |p: &str| {
        if p.is_empty() {
            "/".to_owned()
        } else {
            p.to_owned()
        }
    };
    format!(
        "the asset service is mounted at `{}` ({how}), but the asset table's URLs are under `{prefix}`, \
         so every asset link in the pages would 404; mount it at `{}`, or change the prefix \
         (`Pipeline::url_prefix` in build.rs, or `ASSETS.set_url_prefix` at startup) to match",
        shown(mounted),
        shown(expected)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    // An empty table is enough to check the mount rules: nothing is found,
    // and whatever is outside the mount never reaches the table.
    fn empty() -> &'static Assets {
        let table = asset_manifest::table::TableWriter::new("/static/")
            .finish()
            .unwrap();
        let parts = Box::leak(Box::new([&*table.leak()]));
        Box::leak(Box::new(Assets::__packed_v2(parts, "/static/")))
    }

    #[test]
    fn mount_paths_are_normalised() {
        let service = empty().service();
        assert_eq!(service.mount_path(), "");
        assert_eq!(service.clone().mount("/static/").mount_path(), "/static");
        assert_eq!(service.clone().mount_unchecked("/").mount_path(), "");
        assert_eq!(service.mount_unchecked("/a/b").mount_path(), "/a/b");
    }

    #[test]
    #[should_panic(
        expected = "mounted at `/assets` (mount), but the asset table's URLs are under `/static/`"
    )]
    fn a_mount_path_that_is_not_the_prefix_is_reported() {
        let _ = empty().service().mount("/assets");
    }

    #[cfg(feature = "axum")]
    #[test]
    fn a_nest_path_that_is_not_the_prefix_is_reported() {
        let service = empty().service();
        assert_eq!(service.nest_mismatch("/static"), None);
        assert_eq!(service.nest_mismatch("/static/"), None);
        let message = service.nest_mismatch("/assets").unwrap();
        assert!(
            message.contains("mounted at `/assets` (nest_service)"),
            "{message}"
        );
        assert!(message.contains("mount it at `/static`"), "{message}");
    }

    #[test]
    #[should_panic(expected = "starts with `/`")]
    fn a_mount_path_is_absolute() {
        let _ = empty().service().mount("static");
    }

    #[test]
    fn unknown_paths_are_404() {
        let service = empty().service().mount("/static");
        let request = Request::get("/static/app.css").body(()).unwrap();
        assert_eq!(service.respond(&request).status(), 404);
        let outside = Request::get("/staticx/app.css").body(()).unwrap();
        assert_eq!(service.respond(&outside).status(), 404);
    }
}
