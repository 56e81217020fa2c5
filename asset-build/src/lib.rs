//! The build-script half of the asset pipeline.
//!
//! Call it from `build.rs`:
//!
//! ```no_run
//! // build.rs
//! fn main() {
//!     asset_build::Pipeline::new("static").url_prefix("/static/").run();
//! }
//! ```
//!
//! and include the result with `asset_runtime::include_assets!()`.
//!
//! [`Pipeline::run`] walks the asset folders, fingerprints every file with
//! SHA-256 (`css/app.css` -> `css/app.<16 hex>.css`), precompresses it with
//! brotli (quality 11) and gzip (level 9), keeping a variant only when it is
//! at most 95% of the original, writes each distinct content once into
//! `OUT_DIR`, and generates the table that `asset-runtime` serves, plus a
//! `manifest.json` for other tools. Compressed output is cached in `OUT_DIR`
//! by content hash and settings, so a rebuild compresses only what changed.
//!
//! It prints `cargo::rerun-if-changed` for every folder and file, so that
//! adding, editing or removing an asset rebuilds the crate. Bad input (a
//! missing folder, an unreadable file, a name that is not UTF-8, two files
//! with one URL, a symbolic-link loop) fails the build with a
//! `cargo::error` that names the path.
//!
//! Brotli at quality 11 is slow without optimisation. Add this to the
//! workspace's `Cargo.toml` so that debug builds compress quickly:
//!
//! ```toml
//! [profile.dev.package.brotli]
//! opt-level = 3
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]
// The examples show whole `build.rs` files, `fn main` included.
#![allow(clippy::needless_doctest_main)]

mod compress;
mod content_type;
mod discover;
mod emit;
mod error;
mod naming;
mod parallel;
mod process;

use std::path::{Path, PathBuf};

pub use error::Error;
pub use naming::hashed_path;

/// Where, under `OUT_DIR`, the pipeline writes everything.
pub const OUTPUT_DIR: &str = "asset-build";

/// Configures and runs the pipeline. See the [crate docs](crate).
#[derive(Debug, Clone)]
pub struct Pipeline {
    folders: Vec<PathBuf>,
    url_prefix: String,
    include_hidden: bool,
    manifest_dir: Option<PathBuf>,
    out_dir: Option<PathBuf>,
}

/// What a run produced.
#[derive(Debug)]
pub struct Report {
    /// Every asset, ordered by logical path.
    pub assets: Vec<AssetReport>,
    /// The generated Rust file (included by `include_assets!`).
    pub code_path: PathBuf,
    /// The manifest (logical path -> hashed path, integrity, sizes).
    pub manifest_path: PathBuf,
    /// How many compressed variants came from the cache instead of being
    /// compressed again.
    pub cache_hits: usize,
    /// How many compressions ran.
    pub compressions: usize,
    /// Every folder and file the crate must be rebuilt for.
    pub watched: Vec<PathBuf>,
}

/// One asset of a [`Report`].
#[derive(Debug, Clone)]
pub struct AssetReport {
    /// `css/app.css`.
    pub logical_path: String,
    /// `css/app.3f2a1b9c4d5e6f70.css`.
    pub hashed_path: String,
    /// The full URL under the prefix.
    pub url: String,
    /// `sha384-...`.
    pub integrity: String,
    /// The `Content-Type`.
    pub content_type: String,
    /// Size of the identity bytes.
    pub size: u64,
    /// Sizes of the kept compressed variants, by coding name (`br`, `gzip`).
    pub compressed: Vec<(&'static str, u64)>,
}

impl Pipeline {
    /// A pipeline over one folder, relative to the crate's
    /// `CARGO_MANIFEST_DIR` (or absolute). The URL prefix defaults to
    /// `/static/`.
    pub fn new(folder: impl AsRef<Path>) -> Self {
        Pipeline {
            folders: vec![folder.as_ref().to_path_buf()],
            url_prefix: "/static/".to_owned(),
            include_hidden: false,
            manifest_dir: None,
            out_dir: None,
        }
    }

    /// Adds another folder. All folders share one set of logical paths; the
    /// same path in two folders is an error.
    pub fn folder(mut self, folder: impl AsRef<Path>) -> Self {
        self.folders.push(folder.as_ref().to_path_buf());
        self
    }

    /// The URL prefix the assets are served under: `/static/` (the default),
    /// `/assets`, or a full origin such as `https://cdn.example.com/static/`.
    /// A missing trailing `/` is added.
    pub fn url_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.url_prefix = prefix.into();
        self
    }

    /// Also embed hidden files (names starting with `.`) and OS junk
    /// (`Thumbs.db`, `desktop.ini`, `*~`), which are skipped by default.
    pub fn include_hidden(mut self, on: bool) -> Self {
        self.include_hidden = on;
        self
    }

    /// Resolves relative folders against this directory instead of
    /// `CARGO_MANIFEST_DIR`.
    pub fn manifest_dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.manifest_dir = Some(dir.as_ref().to_path_buf());
        self
    }

    /// Writes output here instead of `OUT_DIR`.
    pub fn out_dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.out_dir = Some(dir.as_ref().to_path_buf());
        self
    }

    /// Runs the pipeline from a build script. On failure it prints the
    /// error as `cargo::error` lines and ends the build script: cargo then
    /// fails the build with that message alone (no panic, no backtrace).
    pub fn run(self) -> Report {
        match self.try_run() {
            Ok(report) => report,
            Err(err) => {
                for line in err.to_string().lines() {
                    println!("cargo::error=asset-build: {line}");
                }
                // Exit status 0: `cargo::error` already fails the build, and
                // a non-zero status would add cargo's own noise around it.
                std::process::exit(0);
            }
        }
    }

    /// Runs the pipeline and prints the `cargo::rerun-if-changed` lines,
    /// returning the error instead of exiting.
    pub fn try_run(self) -> Result<Report, Error> {
        let report = self.build()?;
        for path in &report.watched {
            println!("cargo::rerun-if-changed={}", path.display());
        }
        Ok(report)
    }

    fn build(self) -> Result<Report, Error> {
        let manifest_dir = match self.manifest_dir {
            Some(dir) => dir,
            None => env_path("CARGO_MANIFEST_DIR")?,
        };
        let out_dir = match self.out_dir {
            Some(dir) => dir,
            None => env_path("OUT_DIR")?,
        };
        let prefix = naming::normalize_prefix(&self.url_prefix)
            .ok_or_else(|| Error::InvalidUrlPrefix(self.url_prefix.clone()))?;
        let roots: Vec<PathBuf> = self.folders.iter().map(|f| manifest_dir.join(f)).collect();

        let found = discover::walk(&roots, self.include_hidden)?;
        let output = out_dir.join(OUTPUT_DIR);
        let processed = process::process(&found, &output, &prefix)?;
        let (code_path, manifest_path) = emit::emit(&processed, &output, &prefix)?;

        let mut watched = found.folders.clone();
        watched.extend(found.sources.values().map(|s| s.path.clone()));
        let assets = processed
            .assets
            .iter()
            .map(|a| AssetReport {
                logical_path: a.logical.clone(),
                hashed_path: a.hashed.clone(),
                url: a.url.clone(),
                integrity: a.integrity.clone(),
                content_type: a.content_type.clone(),
                size: a.size,
                compressed: a
                    .variants
                    .iter()
                    .map(|v| (v.codec.token(), v.size))
                    .collect(),
            })
            .collect();
        Ok(Report {
            assets,
            code_path,
            manifest_path,
            cache_hits: processed.cache_hits,
            compressions: processed.compressions,
            watched,
        })
    }
}

fn env_path(var: &'static str) -> Result<PathBuf, Error> {
    std::env::var_os(var)
        .map(PathBuf::from)
        .ok_or(Error::MissingEnv(var))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    struct Setup {
        _dir: tempfile::TempDir,
        root: PathBuf,
        out: PathBuf,
    }

    fn setup(files: &[(&str, &[u8])]) -> Setup {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("crate");
        for (name, bytes) in files {
            let path = root.join("static").join(name);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, bytes).unwrap();
        }
        let out = dir.path().join("out");
        Setup {
            _dir: dir,
            root,
            out,
        }
    }

    fn pipeline(s: &Setup) -> Pipeline {
        Pipeline::new("static")
            .manifest_dir(&s.root)
            .out_dir(&s.out)
    }

    fn css() -> Vec<u8> {
        (0..500)
            .map(|i| format!(".c{i} {{ margin: {i}px; }}\n"))
            .collect::<String>()
            .into_bytes()
    }

    #[test]
    fn second_run_compresses_nothing_and_output_is_identical() {
        let s = setup(&[
            ("a.css", &css()),
            ("b.js", b"let x = 1;\n".repeat(200).as_slice()),
        ]);
        let first = pipeline(&s).build().unwrap();
        assert_eq!(first.compressions, 4);
        assert_eq!(first.cache_hits, 0);
        let code = fs::read(&first.code_path).unwrap();
        let manifest = fs::read(&first.manifest_path).unwrap();

        let second = pipeline(&s).build().unwrap();
        assert_eq!(second.compressions, 0);
        assert_eq!(second.cache_hits, 4);
        assert_eq!(fs::read(&second.code_path).unwrap(), code);
        assert_eq!(fs::read(&second.manifest_path).unwrap(), manifest);

        // Editing one file compresses only that file again.
        fs::write(
            s.root.join("static/a.css"),
            [css(), b"/* edit */\n".to_vec()].concat(),
        )
        .unwrap();
        let third = pipeline(&s).build().unwrap();
        assert_eq!((third.compressions, third.cache_hits), (2, 2));
    }

    #[test]
    fn identical_contents_share_one_blob_and_unused_blobs_are_removed() {
        let s = setup(&[("a.css", &css()), ("copy/a.css", &css())]);
        let report = pipeline(&s).build().unwrap();
        assert_eq!(report.assets.len(), 2);
        assert_eq!(
            report.compressions, 2,
            "one brotli and one gzip for two files"
        );
        let code = fs::read_to_string(&report.code_path).unwrap();
        assert_eq!(code.matches("include_bytes!").count(), 3, "{code}");
        let blobs = || {
            fs::read_dir(s.out.join("asset-build/blobs"))
                .unwrap()
                .count()
        };
        assert_eq!(blobs(), 3);

        fs::remove_file(s.root.join("static/copy/a.css")).unwrap();
        fs::write(s.root.join("static/a.css"), b"tiny").unwrap();
        let report = pipeline(&s).build().unwrap();
        assert_eq!(report.assets.len(), 1);
        // tiny: identity plus two `.skip` markers; the old blobs are gone.
        assert_eq!(blobs(), 3);
        assert!(report.assets[0].compressed.is_empty());
    }

    #[test]
    fn output_does_not_depend_on_where_the_crate_is() {
        let files: &[(&str, &[u8])] = &[("css/a.css", &css()), ("img/x.png", b"\x89PNG fake")];
        let (a, b) = (setup(files), setup(files));
        let ra = pipeline(&a).build().unwrap();
        let rb = pipeline(&b).build().unwrap();
        assert_eq!(
            fs::read(&ra.code_path).unwrap(),
            fs::read(&rb.code_path).unwrap()
        );
        assert_eq!(
            fs::read(&ra.manifest_path).unwrap(),
            fs::read(&rb.manifest_path).unwrap()
        );
        let code = fs::read_to_string(&ra.code_path).unwrap();
        assert!(
            !code.contains(a.root.to_str().unwrap()),
            "no absolute paths in generated code"
        );
    }

    #[test]
    fn a_hashed_name_that_equals_another_file_is_an_error() {
        let s = setup(&[("a.css", b"body{}")]);
        let hashed = pipeline(&s).build().unwrap().assets[0].hashed_path.clone();
        fs::write(s.root.join("static").join(&hashed), b"other").unwrap();
        let err = pipeline(&s).build().unwrap_err();
        let text = err.to_string();
        assert!(text.contains(&format!("`{hashed}`")), "{text}");
        assert!(text.contains("a.css"), "{text}");
    }

    #[test]
    fn report_names_variants_and_urls() {
        let s = setup(&[("css/site.css", &css()), ("img/p.png", &[0u8; 4000])]);
        let report = pipeline(&s)
            .url_prefix("https://cdn.example.com/assets")
            .build()
            .unwrap();
        let css = &report.assets[0];
        assert_eq!(css.logical_path, "css/site.css");
        assert_eq!(
            css.url,
            format!("https://cdn.example.com/assets/{}", css.hashed_path)
        );
        assert_eq!(css.content_type, "text/css; charset=utf-8");
        assert_eq!(
            css.compressed.iter().map(|c| c.0).collect::<Vec<_>>(),
            ["br", "gzip"]
        );
        assert!(css.integrity.starts_with("sha384-") && css.integrity.len() == 7 + 64);
        // Already-compressed types are stored once, however compressible.
        assert!(report.assets[1].compressed.is_empty());
        let watched: Vec<_> = report
            .watched
            .iter()
            .map(|p| p.strip_prefix(&s.root).unwrap().to_owned())
            .collect();
        for expected in [
            "static",
            "static/css",
            "static/img",
            "static/css/site.css",
            "static/img/p.png",
        ] {
            assert!(
                watched.contains(&PathBuf::from(expected)),
                "{expected} in {watched:?}"
            );
        }
    }

    #[test]
    fn bad_prefix_and_missing_env() {
        let s = setup(&[("a.css", b"x")]);
        let err = pipeline(&s).url_prefix("static").build().unwrap_err();
        assert!(err.to_string().contains("`static`"), "{err}");
        let err = Pipeline::new("static").manifest_dir(&s.root).build();
        if std::env::var_os("OUT_DIR").is_none() {
            assert!(err.unwrap_err().to_string().contains("OUT_DIR"));
        }
    }
}
