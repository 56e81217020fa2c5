fn main() {
    asset_build::Pipeline::new("assets")
        .url_prefix("/static/")
        .run();
}
