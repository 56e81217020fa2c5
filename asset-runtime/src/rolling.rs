//! Rolling deploys: a request for a hash that this binary does not have.
//!
//! While a new release rolls out, old and new binaries answer behind the
//! same load balancer. A page rendered by one names hashed URLs that the
//! other may not have: `css/app.<new>.css` reaches an old binary that only
//! has `css/app.<old>.css`. [`UnknownHash`] decides the answer.
//!
//! A path counts as "a known logical path with another hash" when it has the
//! shape that `asset-build` gives hashed names (16 lowercase hex digits
//! before the last extension, or at the end of an extensionless name:
//! `css/app.<hash>.css`, `LICENSE.<hash>`) and removing the hash gives a
//! logical path that the table has.

use crate::{Asset, Assets};

/// How many hex digits of the content hash a hashed name carries.
pub(crate) const HASH_LEN: usize = 16;

/// What to answer for a hashed path whose logical path is known but whose
/// hash is not this binary's (an older or newer release).
///
/// ```
/// use asset_runtime::{ServeOptions, UnknownHash};
///
/// let options = ServeOptions::default().unknown_hash(UnknownHash::ServeCurrent);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum UnknownHash {
    /// 404 with `Cache-Control: no-store`, so that a CDN does not keep the
    /// miss while the release that has the file takes over. The default:
    /// the bytes this binary has are not the bytes the URL names.
    #[default]
    NotFound,
    /// This binary's current bytes for the logical path, with
    /// `Cache-Control: no-store`: never the immutable caching of a hashed
    /// path, since the URL names other bytes. Useful when a page that
    /// misses a stylesheet for a moment is worse than one that gets a
    /// slightly different one.
    ServeCurrent,
}

/// The asset whose logical path `path` names with a hash other than its
/// own, if `path` has the shape of a hashed name.
pub(crate) fn other_release(assets: &Assets, path: &str) -> Option<&'static Asset> {
    let (logical, hash) = split_hashed(path)?;
    let asset = assets.get(&logical)?;
    // The current hash would have been found by the table lookup already;
    // check anyway so that this never claims a path the table has.
    let current = split_hashed(asset.hashed_path).map(|(_, h)| h);
    (current != Some(hash)).then_some(asset)
}

/// Splits a hashed name into its logical path and hash: the inverse of
/// `asset_build::hashed_path`. `css/app.<hash>.css` -> `css/app.css`,
/// `LICENSE.<hash>` -> `LICENSE`, `x/.env.<hash>.local` -> `x/.env.local`.
pub(crate) fn split_hashed(path: &str) -> Option<(String, &str)> {
    let (dir, file) = match path.rfind('/') {
        Some(i) => path.split_at(i + 1),
        None => ("", path),
    };
    // Hash before the last extension: `<name>.<hash><.ext>`.
    if let Some(dot) = file.rfind('.') {
        let (stem, ext) = file.split_at(dot);
        if let Some((name, hash)) = split_hash_suffix(stem) {
            // `hashed_path` puts the hash before the last dot only when
            // that dot is not the first character of the name.
            if !name.is_empty() {
                return Some((format!("{dir}{name}{ext}"), hash));
            }
        }
    }
    // Extensionless (or a leading-dot name only): `<name>.<hash>`.
    let (name, hash) = split_hash_suffix(file)?;
    let extensionless = name.rfind('.').is_none_or(|dot| dot == 0);
    (!name.is_empty() && extensionless).then(|| (format!("{dir}{name}"), hash))
}

/// Inserts `hash` into a logical path the way `asset_build::hashed_path`
/// does: before the last extension, or at the end of an extensionless name.
/// Works on percent-encoded paths too (encoding keeps every `.`).
pub(crate) fn join_hashed(logical: &str, hash: &str) -> String {
    let (dir, file) = match logical.rfind('/') {
        Some(i) => logical.split_at(i + 1),
        None => ("", logical),
    };
    match file.rfind('.') {
        Some(dot) if dot > 0 => format!("{dir}{}.{hash}{}", &file[..dot], &file[dot..]),
        _ => format!("{dir}{file}.{hash}"),
    }
}

/// `<name>.<16 lowercase hex>` -> (`name`, hash).
fn split_hash_suffix(text: &str) -> Option<(&str, &str)> {
    let split = text.len().checked_sub(HASH_LEN + 1)?;
    if !text.is_char_boundary(split) {
        return None;
    }
    let (name, dot_hash) = text.split_at(split);
    let hash = dot_hash.strip_prefix('.')?;
    hash.bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        .then_some((name, hash))
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: &str = "0123456789abcdef";

    #[test]
    fn join_is_the_naming_rule() {
        // The same cases as `asset_build::hashed_path`'s tests.
        for (logical, hashed) in [
            ("css/app.css", "css/app.0123456789abcdef.css"),
            ("js/app.min.js", "js/app.min.0123456789abcdef.js"),
            ("a/b.c/d.tar.gz", "a/b.c/d.tar.0123456789abcdef.gz"),
            ("LICENSE", "LICENSE.0123456789abcdef"),
            ("dir.d/README", "dir.d/README.0123456789abcdef"),
            (".htaccess", ".htaccess.0123456789abcdef"),
            ("x/.env.local", "x/.env.0123456789abcdef.local"),
            ("trailing.", "trailing.0123456789abcdef."),
        ] {
            assert_eq!(join_hashed(logical, H), hashed, "{logical}");
        }
    }

    #[test]
    fn inverts_the_naming_rule() {
        for logical in [
            "css/app.css",
            "app.css",
            "js/app.min.js",
            "a/b.c/d.tar.gz",
            "LICENSE",
            "dir.d/README",
            ".htaccess",
            "x/.env.local",
            "trailing.",
            "docs/read me.txt",
            "fonts/Ünïcode.woff2",
        ] {
            let hashed = join_hashed(logical, H);
            assert_eq!(
                split_hashed(&hashed),
                Some((logical.to_owned(), H)),
                "{logical} -> {hashed}"
            );
        }
    }

    #[test]
    fn other_shapes_are_not_hashed_names() {
        for path in [
            "css/app.css",
            "css/app.0123456789ABCDEF.css",
            "css/app.0123456789abcde.css",
            "css/app.0123456789abcdefa.css",
            "css/app-0123456789abcdef.css",
            "css/.0123456789abcdef",
            ".0123456789abcdef",
            "0123456789abcdef",
            "",
            "é.0123456789abcdeé",
        ] {
            assert_eq!(split_hashed(path), None, "{path}");
        }
    }

    #[test]
    fn an_extensionless_name_with_a_dot_is_not_mistaken() {
        // The hashed name of `a.b` is `a.<hash>.b`, never `a.b.<hash>`.
        assert_eq!(split_hashed(&format!("a.b.{H}")), None);
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn hashed_names_split_back(
                // Any file name but `.` and `..`, which no file has.
                logical in "([a-z.]{1,6}/){0,2}([a-zA-Z0-9 _-]|\\.[a-zA-Z0-9 _-]|\\.\\.[a-zA-Z0-9 _.-])[a-zA-Z0-9 ._-]{0,10}",
                hash in "[0-9a-f]{16}",
            ) {
                let hashed = join_hashed(&logical, &hash);
                prop_assert_eq!(split_hashed(&hashed), Some((logical.clone(), hash.as_str())));
            }

            #[test]
            fn a_split_names_the_path_again(path in "\\PC{0,40}") {
                if let Some((logical, hash)) = split_hashed(&path) {
                    prop_assert_eq!(join_hashed(&logical, hash), path);
                }
            }
        }
    }
}
