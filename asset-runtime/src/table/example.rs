//! A two-file table for the documentation's examples, so that they compile
//! and run without a build script: `css/app.css` and `js/app.js`, exactly
//! as `asset-build` generates them (a test below writes the table again
//! and compares; `ASSET_RUNTIME_BLESS=1` rewrites `example.table`).

/// Defines `static ASSETS: asset_runtime::Assets` holding `css/app.css` and
/// `js/app.js`, for the documentation's examples. An app uses
/// [`include_assets!`](crate::include_assets) instead.
#[doc(hidden)]
#[macro_export]
macro_rules! __example_assets {
    () => {
        static ASSETS: $crate::Assets =
            $crate::Assets::__packed_v2(&[$crate::__private::EXAMPLE_TABLE], "/static/");
    };
}

/// The example table's bytes, as `asset-build` writes them (a test below
/// writes them again and compares).
#[doc(hidden)]
pub const EXAMPLE_TABLE: &[u8] = include_bytes!("example.table");

#[cfg(test)]
mod tests {
    use asset_manifest::table::{AssetRecord, TableWriter};
    use asset_manifest::{Encoding, Fingerprint, fingerprint, naming};

    crate::__example_assets!();

    const FILES: [(&str, &str, &[u8]); 2] = [
        (
            "css/app.css",
            "text/css; charset=utf-8",
            b"body { color: #1f4e79; font-family: system-ui, sans-serif; }\n",
        ),
        (
            "js/app.js",
            "text/javascript; charset=utf-8",
            b"document.documentElement.dataset.js = \"on\";\n",
        ),
    ];

    #[test]
    fn the_example_table_is_written_as_the_build_writes_it() {
        let mut writer = TableWriter::new("/static/");
        for (logical, content_type, bytes) in FILES {
            let print = Fingerprint::of(bytes);
            let hashed = naming::hashed_path(logical, print.name_hash());
            let range = writer.data(bytes);
            writer.push(AssetRecord {
                url: format!("/static/{hashed}"),
                logical_url: format!("/static/{logical}"),
                logical_path: logical.to_owned(),
                hashed_path: hashed.clone(),
                content_type: content_type.to_owned(),
                integrity: fingerprint::integrity(bytes),
                use_as_dictionary: asset_manifest::dictionary::use_as_dictionary(
                    "/static/", &hashed,
                ),
                variants: vec![(Encoding::Identity, print.etag(Encoding::Identity), range)],
                deltas: Vec::new(),
            });
        }
        let table = writer.finish().unwrap();
        if std::env::var_os("ASSET_RUNTIME_BLESS").is_some() {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/table/example.table");
            std::fs::write(path, &table).unwrap();
        }
        assert!(
            table == super::EXAMPLE_TABLE,
            "src/table/example.table is stale: run the test again with ASSET_RUNTIME_BLESS=1"
        );
    }

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
    fn dictionary_patterns_follow_a_prefix_set_at_startup() {
        let assets: &'static crate::Assets = Box::leak(Box::new(crate::Assets::__packed_v2(
            &[super::EXAMPLE_TABLE],
            "/static/",
        )));
        let css = assets.get("css/app.css").unwrap();
        let built = r#"match="/static/css/app.*.css", match-dest=("style")"#;
        assert_eq!(css.use_as_dictionary(), Some(built));
        assert_eq!(assets.use_as_dictionary(css), Some(built));
        // Another origin with the same path: the same pattern (it names
        // no origin).
        let same_path: &'static crate::Assets = Box::leak(Box::new(crate::Assets::__packed_v2(
            &[super::EXAMPLE_TABLE],
            "/static/",
        )));
        same_path
            .set_url_prefix("https://cdn.example.com/static/")
            .unwrap();
        let css = same_path.get("css/app.css").unwrap();
        assert_eq!(same_path.use_as_dictionary(css), Some(built));
        // Another path: patterns under it.
        assets
            .set_url_prefix("https://cdn.example.com/v2/")
            .unwrap();
        let css = assets.get("css/app.css").unwrap();
        assert_eq!(
            assets.use_as_dictionary(css),
            Some(r#"match="/v2/css/app.*.css", match-dest=("style")"#)
        );
        let js = assets.get("js/app.js").unwrap();
        assert_eq!(
            assets.use_as_dictionary(js),
            Some(r#"match="/v2/js/app.*.js", match-dest=("script")"#)
        );
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
