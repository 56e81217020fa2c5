fn main() {
    let _ = asset_macros::asset!("css/ap.css");
    let _ = asset_macros::asset!("nothing/like/it.txt");
}
