fn main() {
    asset_build::Pipeline::new("static")
        .url_prefix("/static/")
        // A typo in a template's asset path fails the build, naming the
        // file, the line and the closest asset.
        .check_templates("templates")
        .run();
}
