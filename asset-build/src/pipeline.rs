//! [`Pipeline`]: the settings of a build and the entry points that run
//! it (`run`, `try_run`: the `cargo::` lines around a run). What a run
//! does, its stages (`discover`, `stages`, `emit`, or `dev` in development
//! mode), is in `run.rs`; what it produced, [`Report`], in `report.rs`.

mod report;
mod run;

use std::path::{Path, PathBuf};

use crate::Error;
use crate::earlier::{self, EARLIER_ENV};
use crate::link::{EMBED_ENV, Embed};

pub use report::{AssetReport, Report};

/// The default of [`Pipeline::keep_names`]: names that carry a bundler's
/// digest, such as `app-3f2a1b9c.digested.js`.
pub const DEFAULT_KEEP_NAMES: &str = "*.digested.*";

/// Configures and runs the pipeline. See the [crate docs](crate).
#[derive(Debug, Clone)]
pub struct Pipeline {
    folders: Vec<PathBuf>,
    url_prefix: String,
    include_hidden: bool,
    manifest_dir: Option<PathBuf>,
    out_dir: Option<PathBuf>,
    shared_cache: Option<Option<PathBuf>>,
    keep_names: Vec<String>,
    allow_missing: Vec<String>,
    rewrite_js_imports: bool,
    dev: Option<bool>,
    embed: Option<Embed>,
    template_folders: Vec<PathBuf>,
    dictionaries: bool,
    dictionary_files: Vec<String>,
    earlier_releases: Vec<PathBuf>,
    delta_depth: usize,
    release_history: Option<bool>,
}

/// The environment variable that turns development mode on (`1`, `true`
/// or `yes`) when [`Pipeline::dev`] was not called.
pub const DEV_ENV: &str = "ASSET_DEV";

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
            shared_cache: None,
            keep_names: vec![DEFAULT_KEEP_NAMES.to_owned()],
            allow_missing: Vec::new(),
            rewrite_js_imports: false,
            dev: None,
            embed: None,
            template_folders: Vec::new(),
            dictionaries: true,
            dictionary_files: Vec::new(),
            earlier_releases: Vec::new(),
            delta_depth: earlier::DEFAULT_DEPTH,
            release_history: None,
        }
    }

    /// Delta updates (RFC 9842): whether text assets offer themselves as
    /// compression dictionaries (`Use-As-Dictionary` on their hashed URL)
    /// and get deltas against earlier releases. On by default; off, the
    /// table has neither.
    ///
    /// ```no_run
    /// asset_build::Pipeline::new("static").dictionaries(false).run();
    /// ```
    pub fn dictionaries(mut self, on: bool) -> Self {
        self.dictionaries = on;
        self
    }

    /// Narrows which files offer dictionaries and get deltas to those a
    /// glob matches (logical paths, as for [`Pipeline::keep_names`]);
    /// callable more than once. Without it, every text type does:
    /// scripts, stylesheets, JSON and source maps, SVG, HTML, XML, plain
    /// text and WebAssembly.
    ///
    /// ```no_run
    /// asset_build::Pipeline::new("static")
    ///     .dictionary_files("js/**")
    ///     .dictionary_files("*.css")
    ///     .run();
    /// ```
    pub fn dictionary_files(mut self, glob: impl Into<String>) -> Self {
        self.dictionary_files.push(glob.into());
        self
    }

    /// A folder holding an earlier release, to compute deltas against:
    /// an `export-assets` folder, or a local copy of a published prefix
    /// (its `manifests/` name the releases; `fetch-releases` downloads
    /// one). Relative to the crate's folder; callable more than once. The
    /// environment variable `ASSET_BUILD_EARLIER_RELEASES` adds more (a
    /// list separated like `PATH`). A folder that cannot be used is a
    /// warning naming it, never a failed build.
    ///
    /// ```no_run
    /// asset_build::Pipeline::new("static")
    ///     .earlier_release("../deploy/previous")
    ///     .run();
    /// ```
    pub fn earlier_release(mut self, folder: impl AsRef<Path>) -> Self {
        self.earlier_releases.push(folder.as_ref().to_path_buf());
        self
    }

    /// How many earlier versions of each file deltas are made against
    /// (default 3): the newest releases of each source, the folders first.
    /// 0 makes no deltas (the assets still offer dictionaries).
    pub fn delta_depth(mut self, releases: usize) -> Self {
        self.delta_depth = releases;
        self
    }

    /// Whether this build records its text assets beside the shared
    /// compression cache, and makes deltas against the builds recorded
    /// before it, so that each release build of this target directory
    /// gets deltas against the previous ones with no setting. Default:
    /// on in the `release` profile (and profiles that inherit it), off
    /// otherwise; the newest [`Pipeline::delta_depth`] builds are kept.
    pub fn release_history(mut self, on: bool) -> Self {
        self.release_history = Some(on);
        self
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

    /// How the table's bytes reach the binary. By default, on Linux,
    /// Android, the BSDs, Apple's systems and Windows (most architectures;
    /// the list is in the `link` module's docs), as a static library the build writes (`Embed::Link`): only the
    /// linker reads the bytes, so rustc's memory does not grow with them
    /// (BENCHMARKS.md, "Generated code"). Elsewhere, or with
    /// `ASSET_BUILD_EMBED=include_bytes` in the environment, through
    /// `include_bytes!` (`Embed::IncludeBytes`). The bytes served are the
    /// same either way. Asking for `Embed::Link` (or
    /// `ASSET_BUILD_EMBED=link`) on another target fails the build with a
    /// message that names the target; any other value of the variable
    /// fails it too.
    pub fn embed(mut self, embed: Embed) -> Self {
        self.embed = Some(embed);
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

    /// Where compressions are cached for every profile and crate: by
    /// default `asset-build-cache` in cargo's target directory, or the
    /// folder the environment variable `ASSET_BUILD_CACHE` names (`off`:
    /// none), bounded by `ASSET_BUILD_CACHE_SIZE_MB` (default 2048,
    /// least recently used entries go first). This call uses `dir`
    /// instead, under the same bound. Each entry's
    /// checksum is verified when read; a damaged one is compressed again.
    ///
    /// With it, the first `cargo build --release` after `cargo build` (or
    /// `cargo test`, or a second crate with the same assets) compresses
    /// nothing again; a CI job can keep the folder between runs.
    pub fn shared_cache(mut self, dir: impl AsRef<Path>) -> Self {
        self.shared_cache = Some(Some(dir.as_ref().to_path_buf()));
        self
    }

    /// No cache shared across profiles: compressions are cached in
    /// `OUT_DIR` only (see [`Pipeline::shared_cache`]).
    pub fn no_shared_cache(mut self) -> Self {
        self.shared_cache = Some(None);
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

    /// Checks the templates under `folder` (relative to the crate, like the
    /// asset folders) when the crate builds: every string literal passed to
    /// `asset_url`, `asset_integrity`, `asset_crossorigin` (as a function or
    /// a filter, in any engine) or maud's `stylesheet` / `script` must name
    /// an asset, or the build fails naming the file, the line and the
    /// closest asset, as `asset!` does. Template files are watched, so an
    /// edit rebuilds.
    ///
    /// ```no_run
    /// // build.rs
    /// fn main() {
    ///     asset_build::Pipeline::new("static")
    ///         .check_templates("templates")
    ///         .run();
    /// }
    /// ```
    pub fn check_templates(mut self, folder: impl AsRef<Path>) -> Self {
        self.template_folders.push(folder.as_ref().to_path_buf());
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
        if self.embed.is_none() {
            println!("cargo::rerun-if-env-changed={EMBED_ENV}");
        }
        // Apple's minimum OS version goes into the linked object.
        for (_, var) in crate::link::DEPLOYMENT_TARGET_ENV {
            println!("cargo::rerun-if-env-changed={var}");
        }
        if self.dictionaries {
            println!("cargo::rerun-if-env-changed={EARLIER_ENV}");
        }
        let report = self.build()?;
        for path in &report.watched {
            println!("cargo::rerun-if-changed={}", path.display());
        }
        if let Some(dir) = &report.link_search {
            println!("cargo::rustc-link-search=native={}", dir.display());
        }
        for warning in &report.warnings {
            println!("cargo::warning=asset-build: {warning}");
        }
        Ok(report)
    }
}

#[cfg(test)]
mod tests;
