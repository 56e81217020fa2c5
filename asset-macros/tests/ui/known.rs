fn main() {
    const CSS: &str = asset_macros::asset!("css/app.css");
    assert_eq!(CSS, "/static/css/app.0123456789abcdef.css");
}
