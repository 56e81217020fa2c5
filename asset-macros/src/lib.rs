//! `asset!("css/app.css")`: the fingerprinted URL of an asset, as a
//! `&'static str` literal, checked at compile time.
//!
//! Use it through `asset_runtime::asset!`. It reads the manifest that
//! `asset_build::Pipeline` wrote into this crate's `OUT_DIR`, so the crate
//! must run the pipeline in its `build.rs`. A path that is not in the asset
//! folders is a compile error that names it and suggests the closest path.

use std::path::PathBuf;

use asset_manifest::Manifest;
use asset_manifest::layout::MANIFEST_PATH;
use proc_macro::TokenStream;
use quote::quote_spanned;
use syn::{LitStr, parse_macro_input};

/// The hashed URL of an asset, checked at compile time.
///
/// ```text
/// // In a crate whose build.rs runs `asset_build::Pipeline` (compiled for
/// // real by `tests/ui/known.rs`):
/// let css: &'static str = asset_runtime::asset!("css/app.css");
/// // "/static/css/app.3f2a1b9c4d5e6f70.css"
/// ```
#[proc_macro]
pub fn asset(input: TokenStream) -> TokenStream {
    let literal = parse_macro_input!(input as LitStr);
    let span = literal.span();
    match resolve(&literal.value()) {
        Ok(url) => quote_spanned!(span=> #url).into(),
        Err(message) => syn::Error::new(span, message).to_compile_error().into(),
    }
}

fn resolve(path: &str) -> Result<String, String> {
    let out_dir = std::env::var_os("OUT_DIR").ok_or_else(|| {
        "asset!: OUT_DIR is not set; this crate needs a build.rs that runs `asset_build::Pipeline`"
            .to_owned()
    })?;
    let manifest_path = PathBuf::from(out_dir).join(MANIFEST_PATH);
    let text = std::fs::read_to_string(&manifest_path).map_err(|err| {
        format!(
            "asset!: cannot read the asset manifest {}: {err}; does this crate's build.rs run `asset_build::Pipeline`?",
            manifest_path.display()
        )
    })?;
    let manifest = Manifest::from_json(&text).map_err(|err| {
        format!(
            "asset!: the asset manifest {} is not valid: {err}",
            manifest_path.display()
        )
    })?;
    if let Some(entry) = manifest.assets.get(path) {
        return Ok(entry.url.clone());
    }
    let mut message = format!("asset!: unknown asset `{path}`: no such file in the asset folders");
    if let Some(suggestion) =
        asset_manifest::suggest::closest(path, manifest.assets.keys().map(String::as_str))
    {
        message.push_str(&format!("; did you mean `{suggestion}`?"));
    }
    Err(message)
}
