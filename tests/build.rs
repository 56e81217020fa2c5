fn main() {
    asset_build::Pipeline::new("assets")
        .url_prefix("/static/")
        // An earlier release of two files, as `export-assets` writes it:
        // the table gets dcb and dcz deltas against it.
        .earlier_release("earlier")
        .run();
}
