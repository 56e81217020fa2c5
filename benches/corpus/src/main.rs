//! Prints the number of assets and of embedded bytes: every table entry and
//! blob stays reachable, so the binary holds them all.

asset_runtime::include_assets!();

fn main() {
    let bytes: usize = ASSETS
        .iter()
        .flat_map(|a| a.variants().iter())
        .map(|v| v.bytes().len())
        .sum();
    println!("{} assets, {bytes} bytes in their variants", ASSETS.len());
}
