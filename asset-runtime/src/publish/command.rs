//! `publish-assets`, `prune-assets` and `fetch-releases` as commands of
//! the app's own binary.

use std::process::ExitCode;
use std::time::{Duration, SystemTime};

use super::ManifestWrite;
use crate::Assets;

/// The usage text of the commands.
pub const USAGE: &str = "\
publish-assets URL [--precompressed] [--concurrency N] [--retries N] [--verify]
               [--prune-wait DURATION]
    upload the hashed assets missing under URL (s3://bucket/prefix/, gs://…, az://…,
    file:///folder or a folder), then the release manifest; a release whose
    manifest is there is complete (--verify: list and fill in all the same);
    wait at most DURATION (default 10m) for a prune under way
prune-assets URL --keep N [--grace DURATION] [--delete] [--retries N]
    list (or with --delete, delete) the assets none of the newest N releases
    needs and older than DURATION (default 1d; e.g. 0, 90s, 30m, 12h, 7d)
fetch-releases URL DIR [--releases N] [--retries N]
    download the newest N (default 3) releases published under URL into DIR:
    their manifests and the text assets this build makes deltas of, for
    ASSET_BUILD_EARLIER_RELEASES=DIR in the next build";

/// Runs `publish-assets`, `prune-assets` or `fetch-releases` if `args`
/// (the arguments after the program name) start with one, printing what
/// it did; `None` for any other arguments, which are the app's own. One
/// line of `main` gives the app's binary all three:
///
/// ```no_run
/// # asset_runtime::__example_assets!();
/// #[tokio::main]
/// async fn main() -> std::process::ExitCode {
///     let args: Vec<String> = std::env::args().skip(1).collect();
///     if let Some(code) = asset_runtime::publish::run_command(&ASSETS, &args).await {
///         return code;
///     }
///     // … serve the app …
/// #   std::process::ExitCode::SUCCESS
/// }
/// ```
///
/// Exit codes: 0 done, 1 the store failed or refused, 2 bad arguments.
pub async fn run_command(assets: &Assets, args: &[String]) -> Option<ExitCode> {
    let (command, rest) = args.split_first()?;
    let result = match command.as_str() {
        "publish-assets" => publish(assets, rest).await,
        "prune-assets" => prune_command(rest).await,
        "fetch-releases" => fetch_command(assets, rest).await,
        _ => return None,
    };
    Some(match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(message)) => {
            eprintln!("{command}: {message}\nusage:\n{USAGE}");
            ExitCode::from(2)
        }
        Err(Failure::Store(message)) => {
            eprintln!("{command}: {message}");
            ExitCode::FAILURE
        }
    })
}

enum Failure {
    Usage(String),
    Store(String),
}

/// The URL (and any other words) and the flags after it.
struct Args<'a> {
    url: &'a str,
    words: Vec<&'a str>,
    flags: Vec<(&'a str, Option<&'a str>)>,
}

impl<'a> Args<'a> {
    /// `takes_value` names the flags followed by a value.
    fn parse(args: &'a [String], takes_value: &[&str], plain: &[&str]) -> Result<Self, Failure> {
        let mut url = None;
        let mut words = Vec::new();
        let mut flags = Vec::new();
        let mut iter = args.iter();
        while let Some(arg) = iter.next() {
            let arg = arg.as_str();
            if let Some((name, value)) = arg.split_once('=').filter(|_| arg.starts_with("--")) {
                if !takes_value.contains(&name) {
                    return Err(Failure::Usage(format!("unknown option {name}")));
                }
                flags.push((name, Some(value)));
            } else if takes_value.contains(&arg) {
                let value = iter
                    .next()
                    .ok_or_else(|| Failure::Usage(format!("{arg} needs a value")))?;
                flags.push((arg, Some(value.as_str())));
            } else if plain.contains(&arg) {
                flags.push((arg, None));
            } else if arg.starts_with("--") {
                return Err(Failure::Usage(format!("unknown option {arg}")));
            } else if url.is_none() {
                url = Some(arg);
            } else {
                words.push(arg);
            }
        }
        let url = url.ok_or_else(|| Failure::Usage("the store URL is missing".into()))?;
        Ok(Args { url, words, flags })
    }

    /// No words after the URL.
    fn url_only(self) -> Result<Self, Failure> {
        match self.words.first() {
            Some(extra) => Err(Failure::Usage(format!("one URL only (also got {extra})"))),
            None => Ok(self),
        }
    }

    fn has(&self, name: &str) -> bool {
        self.flags.iter().any(|(n, _)| *n == name)
    }

    fn value(&self, name: &str) -> Option<&'a str> {
        self.flags.iter().rev().find(|(n, _)| *n == name)?.1
    }

    fn duration(&self, name: &str) -> Result<Option<Duration>, Failure> {
        self.value(name)
            .map(|v| {
                parse_duration(v).ok_or_else(|| {
                    Failure::Usage(format!(
                        "{name} {v}: not a duration (a number with s, m, h or d)"
                    ))
                })
            })
            .transpose()
    }

    fn number(&self, name: &str) -> Result<Option<usize>, Failure> {
        self.value(name)
            .map(|v| {
                v.parse()
                    .map_err(|_| Failure::Usage(format!("{name} {v}: not a whole number")))
            })
            .transpose()
    }
}

async fn publish(assets: &Assets, args: &[String]) -> Result<(), Failure> {
    let args = Args::parse(
        args,
        &["--concurrency", "--retries", "--prune-wait"],
        &["--precompressed", "--no-progress", "--verify"],
    )?
    .url_only()?;
    let mut publish = assets
        .publish(args.url)
        .precompressed(args.has("--precompressed"))
        .verify(args.has("--verify"))
        .progress(!args.has("--no-progress"));
    if let Some(n) = args.number("--concurrency")? {
        publish = publish.concurrency(n);
    }
    if let Some(n) = args.number("--retries")? {
        publish = publish.retries(n);
    }
    if let Some(wait) = args.duration("--prune-wait")? {
        publish = publish.prune_wait(wait);
    }
    let report = publish
        .run()
        .await
        .map_err(|err| Failure::Store(err.to_string()))?;
    let manifest = match report.manifest {
        ManifestWrite::Written => "written",
        ManifestWrite::Refreshed => "written again (rollback: now the newest)",
        ManifestWrite::Present => "already there",
    };
    if !report.waited.is_zero() {
        println!(
            "waited {:.1} s for a prune under way to finish",
            report.waited.as_secs_f64()
        );
    }
    println!(
        "published release {} to {}: uploaded {} objects ({} bytes), {} already there ({} bytes); manifest {} {manifest}",
        report.release,
        args.url,
        report.uploaded.len(),
        report.uploaded_bytes,
        report.present,
        report.present_bytes,
        report.manifest_key,
    );
    Ok(())
}

async fn prune_command(args: &[String]) -> Result<(), Failure> {
    let args = Args::parse(args, &["--keep", "--grace", "--retries"], &["--delete"])?.url_only()?;
    let keep = args
        .number("--keep")?
        .ok_or_else(|| Failure::Usage("--keep N is required".into()))?;
    let mut prune = super::prune(args.url)
        .keep(keep)
        .delete(args.has("--delete"));
    if let Some(grace) = args.duration("--grace")? {
        prune = prune.grace(grace);
    }
    if let Some(n) = args.number("--retries")? {
        prune = prune.retries(n);
    }
    let report = prune
        .run()
        .await
        .map_err(|err| Failure::Store(err.to_string()))?;
    let now = SystemTime::now();
    for release in &report.releases {
        let age = now
            .duration_since(release.last_modified)
            .unwrap_or_default()
            .as_secs();
        println!(
            "release {} (published {age} s ago): {}",
            release.release,
            if release.kept { "kept" } else { "dropped" }
        );
    }
    for release in &report.publishing {
        println!("release {release}: being published now, everything it names kept");
    }
    let verb = if report.dry_run {
        "would delete"
    } else {
        "deleted"
    };
    for (key, size) in &report.objects {
        println!("{verb} {key} ({size} bytes)");
    }
    for key in &report.manifests {
        println!("{verb} {key}");
    }
    println!(
        "{verb} {} objects ({} bytes) and {} release manifests from {}; kept {} unnamed objects younger than the grace period; left {} other keys alone",
        report.objects.len(),
        report.bytes,
        report.manifests.len(),
        args.url,
        report.young,
        report.foreign.len(),
    );
    if report.dry_run && !(report.objects.is_empty() && report.manifests.is_empty()) {
        println!("(a dry run: add --delete to delete them)");
    }
    Ok(())
}

async fn fetch_command(assets: &Assets, args: &[String]) -> Result<(), Failure> {
    let args = Args::parse(args, &["--releases", "--retries"], &[])?;
    let [dir] = args.words[..] else {
        return Err(Failure::Usage(
            "one folder to download into, after the URL".into(),
        ));
    };
    let releases = args.number("--releases")?.unwrap_or(3);
    let retries = args.number("--retries")?.unwrap_or(super::DEFAULT_RETRIES);
    let target = super::store::Target::open(args.url, retries)
        .map_err(|err| Failure::Store(err.to_string()))?;
    let report = super::fetch::fetch_on(assets, &target, std::path::Path::new(dir), releases)
        .await
        .map_err(|err| Failure::Store(err.to_string()))?;
    println!(
        "fetched {} releases from {} into {dir}: downloaded {} files ({} bytes), {} already there",
        report.releases.len(),
        args.url,
        report.fetched,
        report.fetched_bytes,
        report.present,
    );
    Ok(())
}

/// `0`, `90`, `90s`, `30m`, `12h`, `7d`.
fn parse_duration(text: &str) -> Option<Duration> {
    let (number, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => text.split_at(i),
        None => (text, "s"),
    };
    let number: u64 = number.parse().ok()?;
    let seconds = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86400,
        _ => return None,
    };
    number.checked_mul(seconds).map(Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("0"), Some(Duration::ZERO));
        assert_eq!(parse_duration("90"), Some(Duration::from_secs(90)));
        assert_eq!(parse_duration("30m"), Some(Duration::from_secs(1800)));
        assert_eq!(parse_duration("7d"), Some(Duration::from_secs(604800)));
        for bad in ["", "m", "1w", "-1", "1.5h", "99999999999999999999d"] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
    }

    #[test]
    fn arguments() {
        let args: Vec<String> = ["s3://b/p/", "--keep", "2", "--grace=0", "--delete"]
            .map(String::from)
            .to_vec();
        let parsed = Args::parse(&args, &["--keep", "--grace"], &["--delete"])
            .ok()
            .unwrap();
        assert_eq!(parsed.url, "s3://b/p/");
        assert_eq!(parsed.number("--keep").ok().unwrap(), Some(2));
        assert_eq!(parsed.value("--grace"), Some("0"));
        assert!(parsed.has("--delete"));
        for bad in [
            &["--keep", "2"][..],
            &["a", "b"],
            &["a", "--nope"],
            &["a", "--keep"],
        ] {
            let args: Vec<String> = bad.iter().map(|s| s.to_string()).collect();
            assert!(
                Args::parse(&args, &["--keep"], &[])
                    .and_then(Args::url_only)
                    .is_err(),
                "{bad:?} was accepted"
            );
        }
    }
}
