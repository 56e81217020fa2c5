fn main() {
    println!("cargo::rerun-if-env-changed=BENCH_ASSETS");
    let folder = std::env::var("BENCH_ASSETS").expect("BENCH_ASSETS names the asset folder");
    asset_build::Pipeline::new(folder).url_prefix("/static/").run();
}
