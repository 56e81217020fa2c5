//! A two-file table for the documentation's examples, so that they compile
//! and run without a build script: `css/app.css` and `js/app.js`, exactly
//! as `asset-build` generates them (a test below checks the hashes).

/// Defines `static ASSETS: asset_runtime::Assets` holding `css/app.css` and
/// `js/app.js`, for the documentation's examples. An app uses
/// [`include_assets!`](crate::include_assets) instead.
#[doc(hidden)]
#[macro_export]
macro_rules! __example_assets {
    () => {
        static ASSETS: $crate::Assets = {
            static B0: &[u8] = b"body { color: #1f4e79; font-family: system-ui, sans-serif; }\n";
            static B1: &[u8] = b"document.documentElement.dataset.js = \"on\";\n";
            static V0: [$crate::Variant; 1] = [$crate::Variant::__new(
                $crate::Encoding::Identity,
                "\"257138f5fc7640792cbf0b05d647c393\"",
                B0,
                "61",
            )];
            static A0: $crate::Asset = $crate::Asset::__new(
                "css/app.css",
                "css/app.257138f5fc764079.css",
                "/static/css/app.257138f5fc764079.css",
                "/static/css/app.css",
                "text/css; charset=utf-8",
                "sha384-q/fU5J61jcjcUScc+kCXLtdb05tS4X6u5fNsn4kDIcL1ztpOqNHISHEsdl3i23D6",
                &V0,
            );
            static V1: [$crate::Variant; 1] = [$crate::Variant::__new(
                $crate::Encoding::Identity,
                "\"fdfb021ce04e79ddd056c48a9169fc97\"",
                B1,
                "44",
            )];
            static A1: $crate::Asset = $crate::Asset::__new(
                "js/app.js",
                "js/app.fdfb021ce04e79dd.js",
                "/static/js/app.fdfb021ce04e79dd.js",
                "/static/js/app.js",
                "text/javascript; charset=utf-8",
                "sha384-gvQ/4PxsO3hLuXW60yJSL16A2AeT5r1giHe0PnBHUZQWakj6AUnESOplPpThPO4o",
                &V1,
            );
            static LIST: [&$crate::Asset; 2] = [&A0, &A1];
            static MAP: $crate::__private::phf::Map<&'static str, $crate::__private::Entry> =
                $crate::__private::phf::Map {
                    key: 16287231350648472473,
                    disps: &[(0, 0), (1, 0)],
                    entries: &[
                        (
                            "css/app.257138f5fc764079.css",
                            $crate::__private::Entry::hashed(&A0),
                        ),
                        ("css/app.css", $crate::__private::Entry::logical(&A0)),
                        ("js/app.js", $crate::__private::Entry::logical(&A1)),
                        (
                            "js/app.fdfb021ce04e79dd.js",
                            $crate::__private::Entry::hashed(&A1),
                        ),
                    ],
                };
            $crate::Assets::__new(&MAP, &LIST, "/static/")
        };
    };
}

#[cfg(test)]
mod tests {
    use asset_manifest::{Encoding, Fingerprint, fingerprint, naming};

    crate::__example_assets!();

    #[test]
    fn the_example_table_is_what_the_build_would_generate() {
        assert_eq!(ASSETS.len(), 2);
        for asset in &ASSETS {
            let print = Fingerprint::of(asset.bytes());
            assert_eq!(
                asset.hashed_path(),
                naming::hashed_path(asset.logical_path(), print.name_hash())
            );
            assert_eq!(asset.identity().etag(), print.etag(Encoding::Identity));
            assert_eq!(asset.integrity(), fingerprint::integrity(asset.bytes()));
            assert_eq!(
                asset.identity().content_length(),
                asset.bytes().len().to_string()
            );
            assert!(matches!(
                ASSETS.lookup(asset.hashed_path()),
                Some(crate::Lookup::Hashed(_))
            ));
            assert!(matches!(
                ASSETS.lookup(asset.logical_path()),
                Some(crate::Lookup::Logical(_))
            ));
        }
    }

    #[test]
    fn unknown_paths_say_what_to_do_in_debug_too() {
        let err = crate::UnknownAsset::in_table(&ASSETS, "css/ap.css");
        let expected = "unknown asset `css/ap.css`: no such file in the asset folders; did you mean `css/app.css`?";
        assert_eq!(err.to_string(), expected);
        // `.unwrap()` and template engines print Debug.
        assert_eq!(format!("{err:?}"), expected);
        let far = crate::UnknownAsset::in_table(&ASSETS, "nothing/like/it.bin");
        assert!(
            format!("{far:?}").contains("relative to the asset folder"),
            "{far:?}"
        );
        let prefix = crate::UrlPrefixError::Invalid("static".into());
        assert!(format!("{prefix:?}").contains("must start with `/`"));
    }
}
