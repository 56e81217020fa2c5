fn main() {
    asset_build::Pipeline::new("static")
        .url_prefix("/static/")
        .run();
}
