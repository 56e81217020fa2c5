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
//! [`Pipeline::run`] walks the asset folders, rewrites the references
//! between assets (CSS `url()`, `@import`, source-map comments, the `file`
//! of source maps; optionally ES module specifiers) to hashed names,
//! fingerprints every file (`css/app.css` -> `css/app.<16 hex>.css`, a
//! SHA-256 of what it serves and of everything it reaches through its
//! references), precompresses it with brotli (quality 11) and gzip
//! (libdeflate, level 12), keeping a variant only when it is at most 95% of the
//! original, writes each distinct content once into `OUT_DIR`, and
//! generates the table that `asset-runtime` serves, plus a `manifest.json`
//! for other tools. Compressed output is cached in `OUT_DIR`
//! by content hash and settings, so a rebuild compresses only what changed.
//!
//! It prints `cargo::rerun-if-changed` for every folder and file, so that
//! adding, editing or removing an asset rebuilds the crate. Bad input (a
//! missing folder, an unreadable file, a name that is not UTF-8, two files
//! with one URL, a symbolic-link loop, a reference to a file that is not an
//! asset) fails the build with a `cargo::error` that names the path.
//!
//! Brotli at quality 11 and libdeflate at level 12 are slow without
//! optimisation, and cargo builds a build script's dependencies without it
//! in release builds too. Add this to the workspace's `Cargo.toml`:
//!
//! ```toml
//! [profile.dev.package.brotli]
//! opt-level = 3
//! [profile.dev.package.libdeflate-sys]
//! opt-level = 3
//! [profile.release.package.brotli]
//! opt-level = 3
//! [profile.release.package.libdeflate-sys]
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
mod glob;
mod graph;
mod naming;
mod parallel;
mod process;
mod rewrite;

use std::path::{Path, PathBuf};

pub use error::{Error, MissingReference};
pub use naming::hashed_path;

/// The default of [`Pipeline::keep_names`]: names that carry a bundler's
/// digest, such as `app-3f2a1b9c.digested.js`.
pub const DEFAULT_KEEP_NAMES: &str = "*.digested.*";

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
    keep_names: Vec<String>,
    allow_missing: Vec<String>,
    rewrite_js_imports: bool,
    dev: Option<bool>,
}

/// The environment variable that turns development mode on (`1`, `true`
/// or `yes`) when [`Pipeline::dev`] was not called.
pub const DEV_ENV: &str = "ASSET_DEV";

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
    /// Missing references allowed by [`Pipeline::allow_missing`], one line
    /// each; [`Pipeline::try_run`] prints them as `cargo::warning`.
    pub warnings: Vec<String>,
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
    /// How many references to other assets were rewritten in it.
    pub references: usize,
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
            keep_names: vec![DEFAULT_KEEP_NAMES.to_owned()],
            allow_missing: Vec::new(),
            rewrite_js_imports: false,
            dev: None,
        }
    }

    /// Development mode: nothing is read, rewritten, hashed or compressed at
    /// build time; the generated table lists each file's path on disk, and
    /// `asset-runtime` reads the current contents when a file changes and
    /// serves them with `Cache-Control: no-cache`, under hashed URLs of
    /// those contents. An edited stylesheet shows on reload without a
    /// rebuild. `asset!` gives logical URLs (`/static/css/app.css`) in this
    /// mode. Without this call, the environment variable `ASSET_DEV`
    /// decides (`ASSET_DEV=1 cargo run`), and changing it rebuilds.
    ///
    /// Never ship a development-mode binary: it needs the asset folders on
    /// disk at run time.
    pub fn dev(mut self, on: bool) -> Self {
        self.dev = Some(on);
        self
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

    /// Files whose names match this glob keep their names: they already
    /// carry a digest (bundler output). They are served as immutable under
    /// that name, and references to them resolve to it. Adds to the default,
    /// [`DEFAULT_KEEP_NAMES`] (`*.digested.*`). A pattern without `/`
    /// matches file names in any folder; with `/`, whole logical paths
    /// (`*`, `**`, `?`, `[a-z]`, `{a,b}`).
    ///
    /// References inside such a file are still rewritten; its name cannot
    /// follow its bytes, so give it a name that changes whenever they do.
    ///
    /// ```no_run
    /// // build.rs: the bundler writes `static/dist/chunk-<hash>.js`.
    /// fn main() {
    ///     asset_build::Pipeline::new("static")
    ///         .keep_names("dist/chunk-*.js")
    ///         .run();
    /// }
    /// ```
    pub fn keep_names(mut self, glob: impl Into<String>) -> Self {
        self.keep_names.push(glob.into());
        self
    }

    /// Turns references to missing files that match this glob from build
    /// errors into warnings (`cargo::warning`), and leaves them as written.
    /// The glob is matched against the path the reference resolves to
    /// (`fonts/icons.eot`), or, for one that leads out of the asset
    /// folders, against the reference as written. Same syntax as
    /// [`keep_names`](Self::keep_names). Some packages reference files they
    /// do not ship:
    ///
    /// ```no_run
    /// // build.rs
    /// fn main() {
    ///     asset_build::Pipeline::new("static")
    ///         .allow_missing("vendor/**/*.eot")
    ///         .allow_missing("*.map")
    ///         .run();
    /// }
    /// ```
    pub fn allow_missing(mut self, glob: impl Into<String>) -> Self {
        self.allow_missing.push(glob.into());
        self
    }

    /// Also rewrites relative ES module specifiers in JavaScript
    /// (`import x from "./x.js"`, `export * from "../y.mjs"`,
    /// `import("./lazy.js")`), so that modules load each other by hashed
    /// name. Off by default: a module graph usually comes from a bundler
    /// that names its own chunks. Bare specifiers (`"lodash"`) and URLs are
    /// never touched.
    ///
    /// ```no_run
    /// // build.rs
    /// fn main() {
    ///     asset_build::Pipeline::new("static")
    ///         .rewrite_js_imports(true)
    ///         .run();
    /// }
    /// ```
    pub fn rewrite_js_imports(mut self, on: bool) -> Self {
        self.rewrite_js_imports = on;
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
        if self.dev.is_none() {
            println!("cargo::rerun-if-env-changed={DEV_ENV}");
        }
        let report = self.build()?;
        for path in &report.watched {
            println!("cargo::rerun-if-changed={}", path.display());
        }
        for warning in &report.warnings {
            println!("cargo::warning=asset-build: {warning}");
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

        let settings = process::Settings {
            scan: rewrite::ScanOptions {
                js_imports: self.rewrite_js_imports,
            },
            keep_names: glob::GlobSet::new(&self.keep_names)?,
            allow_missing: glob::GlobSet::new(&self.allow_missing)?,
            prefix: prefix.clone(),
        };

        let found = discover::walk(&roots, self.include_hidden)?;
        let output = out_dir.join(OUTPUT_DIR);
        let dev = self.dev.unwrap_or_else(|| {
            std::env::var(DEV_ENV).is_ok_and(|v| {
                matches!(v.trim().to_ascii_lowercase().as_str(), "1" | "true" | "yes")
            })
        });
        if dev {
            return dev_build(&found, &roots, &output, &prefix);
        }
        let processed = process::process(&found, &output, &settings)?;
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
                references: a.references,
            })
            .collect();
        Ok(Report {
            assets,
            code_path,
            manifest_path,
            cache_hits: processed.cache_hits,
            compressions: processed.compressions,
            watched,
            warnings: processed.warnings,
        })
    }
}

/// Development mode: list the files, read nothing.
fn dev_build(
    found: &discover::Found,
    roots: &[PathBuf],
    output: &Path,
    prefix: &str,
) -> Result<Report, Error> {
    std::fs::create_dir_all(output).map_err(|source| Error::Write {
        path: output.to_path_buf(),
        source,
    })?;
    let (code_path, manifest_path) = emit::emit_dev(found, roots, output, prefix)?;
    let mut watched = found.folders.clone();
    watched.extend(found.sources.values().map(|s| s.path.clone()));
    let assets = found
        .sources
        .values()
        .map(|s| AssetReport {
            logical_path: s.logical.clone(),
            hashed_path: s.logical.clone(),
            url: naming::url(prefix, &s.logical),
            integrity: String::new(),
            content_type: content_type::content_type(&s.logical),
            size: 0,
            compressed: Vec::new(),
            references: 0,
        })
        .collect();
    Ok(Report {
        assets,
        code_path,
        manifest_path,
        cache_hits: 0,
        compressions: 0,
        watched,
        warnings: Vec::new(),
    })
}

fn env_path(var: &'static str) -> Result<PathBuf, Error> {
    std::env::var_os(var)
        .map(PathBuf::from)
        .ok_or(Error::MissingEnv(var))
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use sha2::{Digest, Sha256, Sha384};
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
        let codecs = compress::Codec::ALL.len();
        assert_eq!(first.compressions, 2 * codecs);
        assert_eq!(first.cache_hits, 0);
        let code = fs::read(&first.code_path).unwrap();
        let manifest = fs::read(&first.manifest_path).unwrap();

        let second = pipeline(&s).build().unwrap();
        assert_eq!(second.compressions, 0);
        assert_eq!(second.cache_hits, 2 * codecs);
        assert_eq!(fs::read(&second.code_path).unwrap(), code);
        assert_eq!(fs::read(&second.manifest_path).unwrap(), manifest);

        // Editing one file compresses only that file again.
        fs::write(
            s.root.join("static/a.css"),
            [css(), b"/* edit */\n".to_vec()].concat(),
        )
        .unwrap();
        let third = pipeline(&s).build().unwrap();
        assert_eq!((third.compressions, third.cache_hits), (codecs, codecs));
    }

    #[test]
    fn identical_contents_share_one_blob_and_unused_blobs_are_removed() {
        let s = setup(&[("a.css", &css()), ("copy/a.css", &css())]);
        let report = pipeline(&s).build().unwrap();
        assert_eq!(report.assets.len(), 2);
        let codecs = compress::Codec::ALL.len();
        assert_eq!(
            report.compressions, codecs,
            "one compression per codec for two identical files"
        );
        let code = fs::read_to_string(&report.code_path).unwrap();
        assert_eq!(code.matches("include_bytes!").count(), 1 + codecs, "{code}");
        let blobs = || {
            fs::read_dir(s.out.join("asset-build/blobs"))
                .unwrap()
                .count()
        };
        assert_eq!(blobs(), 1 + codecs);

        fs::remove_file(s.root.join("static/copy/a.css")).unwrap();
        fs::write(s.root.join("static/a.css"), b"tiny").unwrap();
        let report = pipeline(&s).build().unwrap();
        assert_eq!(report.assets.len(), 1);
        // tiny: identity plus one `.skip` marker per codec; the old blobs
        // are gone.
        assert_eq!(blobs(), 1 + codecs);
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
            compress::Codec::ALL.map(|c| c.token())
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
    fn served_bytes_are_rewritten_and_described_by_etag_and_sri() {
        let s = setup(&[
            ("css/app.css", b"a{background:url(../img/p.png)}"),
            ("img/p.png", b"\x89PNG v1"),
        ]);
        let report = pipeline(&s)
            .url_prefix("https://cdn.example.com/s/")
            .build()
            .unwrap();
        let (css, png) = (&report.assets[0], &report.assets[1]);
        assert_eq!(css.references, 1);
        let served = format!("a{{background:url(../{})}}", png.hashed_path);
        let sha384 = Sha384::digest(served.as_bytes());
        let sri = format!(
            "sha384-{}",
            base64::engine::general_purpose::STANDARD.encode(sha384)
        );
        assert_eq!(css.integrity, sri);
        assert_eq!(css.size, served.len() as u64);
        let sha256 = hex::encode(Sha256::digest(served.as_bytes()));
        assert_eq!(
            fs::read(s.out.join("asset-build/blobs").join(&sha256)).unwrap(),
            served.as_bytes(),
            "the identity blob holds the served bytes"
        );
        let manifest = fs::read_to_string(&report.manifest_path).unwrap();
        assert!(
            manifest.contains(&format!("\"etag\": \"\\\"{}\\\"\"", &sha256[..32])),
            "{manifest}"
        );

        // A new image renames the stylesheet too; the bytes follow.
        fs::write(s.root.join("static/img/p.png"), b"\x89PNG v2").unwrap();
        let again = pipeline(&s).build().unwrap();
        assert_ne!(again.assets[1].hashed_path, png.hashed_path);
        assert_ne!(again.assets[0].hashed_path, css.hashed_path);
        assert_ne!(again.assets[0].integrity, css.integrity);
    }

    #[test]
    fn kept_names_are_one_immutable_path() {
        let s = setup(&[
            (
                "js/app-3f2a1b.digested.js",
                b"run()\n//# sourceMappingURL=app-3f2a1b.digested.js.map\n",
            ),
            (
                "js/app-3f2a1b.digested.js.map",
                br#"{"version":3,"file":"app-3f2a1b.digested.js"}"#,
            ),
            ("js/chunk-77.js", b"x()"),
        ]);
        let report = pipeline(&s).keep_names("js/chunk-*.js").build().unwrap();
        let names: Vec<_> = report
            .assets
            .iter()
            .map(|a| a.hashed_path.as_str())
            .collect();
        assert_eq!(
            names,
            [
                "js/app-3f2a1b.digested.js",
                "js/app-3f2a1b.digested.js.map",
                "js/chunk-77.js"
            ]
        );
        let code = fs::read_to_string(&report.code_path).unwrap();
        assert!(code.contains("immutable: true"), "{code}");
        assert!(!code.contains("immutable: false"), "{code}");
    }

    #[test]
    fn missing_references_fail_unless_allowed() {
        let s = setup(&[("css/a.css", b"a{}\nb{src:url(../fonts/x.eot?#iefix)}")]);
        let err = pipeline(&s).build().unwrap_err();
        let text = err.to_string();
        assert!(
            matches!(err, Error::MissingReferences(ref m) if m.len() == 1),
            "{err:?}"
        );
        let css = s.root.join("static/css/a.css");
        let font = s.root.join("static/fonts/x.eot");
        assert!(
            text.contains(&format!("{} line 2", css.display())),
            "{text}"
        );
        assert!(text.contains(&font.display().to_string()), "{text}");

        let report = pipeline(&s).allow_missing("fonts/*.eot").build().unwrap();
        assert_eq!(report.warnings.len(), 1);
        assert!(
            report.warnings[0].contains("fonts/x.eot"),
            "{:?}",
            report.warnings
        );
        assert_eq!(report.assets[0].references, 0);

        let err = pipeline(&s).allow_missing("fonts/{x").build().unwrap_err();
        assert!(err.to_string().contains("`fonts/{x`"), "{err}");
    }

    #[test]
    fn dev_mode_reads_nothing_and_lists_paths() {
        let s = setup(&[("css/a.css", &css()), ("img/x.png", b"\x89PNG fake")]);
        let report = pipeline(&s).dev(true).build().unwrap();
        assert_eq!(report.compressions, 0);
        assert!(
            !s.out.join("asset-build/blobs").exists(),
            "no blobs in dev mode"
        );
        let code = fs::read_to_string(&report.code_path).unwrap();
        assert!(code.contains("__new_dev"), "{code}");
        assert!(
            code.contains(&format!(
                "{:?}",
                s.root.join("static/css/a.css").to_str().unwrap()
            )),
            "{code}"
        );
        assert!(!code.contains("include_bytes!"), "{code}");
        let manifest: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(&report.manifest_path).unwrap()).unwrap();
        assert_eq!(manifest["dev"], true);
        assert_eq!(manifest["assets"]["css/a.css"]["url"], "/static/css/a.css");
        assert_eq!(manifest["assets"]["img/x.png"]["content_type"], "image/png");
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
