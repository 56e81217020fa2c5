//! `publish-assets`, `prune-assets` and `export-assets DIR` for the corpus.

use std::process::ExitCode;

asset_runtime::include_assets!();

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(code) = asset_runtime::publish::run_command(&ASSETS, &args).await {
        return code;
    }
    match &args[..] {
        [command, dir] if command == "export-assets" => match ASSETS.export(dir) {
            Ok(report) => {
                println!("{} files, {} bytes", report.files.len(), report.bytes);
                ExitCode::SUCCESS
            }
            Err(err) => {
                eprintln!("{err}");
                ExitCode::FAILURE
            }
        },
        _ => {
            eprintln!("usage: bench-publish export-assets DIR\n{}", asset_runtime::publish::USAGE);
            ExitCode::from(2)
        }
    }
}
