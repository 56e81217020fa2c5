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

/// The generated table's path, for `asset_runtime::include_assets!`: a
/// string literal, or a compile error that says what is missing (no build
/// script, or one that does not run the pipeline) before rustc's own
/// `OUT_DIR` message could mislead.
#[doc(hidden)]
#[proc_macro]
pub fn __table_path(input: TokenStream) -> TokenStream {
    let span = proc_macro2::Span::call_site();
    if !input.is_empty() {
        return syn::Error::new(span, "include_assets!: unexpected input")
            .to_compile_error()
            .into();
    }
    match table_path() {
        Ok(path) => quote_spanned!(span=> #path).into(),
        Err(message) => syn::Error::new(span, message).to_compile_error().into(),
    }
}

const FIX: &str = "add `asset-build` to [build-dependencies] and a build.rs with `fn main() { asset_build::Pipeline::new(\"static\").run(); }`";

fn table_path() -> Result<String, String> {
    let out_dir = std::env::var_os("OUT_DIR").ok_or_else(|| {
        format!("include_assets!: this crate has no build script, so there is no asset table to include; {FIX}")
    })?;
    let path = PathBuf::from(out_dir).join(asset_manifest::layout::CODE_PATH);
    if !path.is_file() {
        return Err(format!(
            "include_assets!: no asset table at {}: this crate's build script does not run `asset_build::Pipeline`; {FIX}",
            path.display()
        ));
    }
    path.to_str().map(str::to_owned).ok_or_else(|| {
        format!(
            "include_assets!: the asset table's path {} is not UTF-8",
            path.display()
        )
    })
}

fn resolve(path: &str) -> Result<String, String> {
    let out_dir = std::env::var_os("OUT_DIR").ok_or_else(|| {
        format!(
            "asset!: this crate has no build script, so there is no asset manifest to read; {FIX}"
        )
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
