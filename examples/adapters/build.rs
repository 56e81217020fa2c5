// The demo's assets, with a zstd variant besides brotli and gzip.
fn main() {
    asset_build::Pipeline::new("../demo/static")
        .url_prefix("/static/")
        .run();
}
