//! What a run of a [`Pipeline`] does: its settings resolved against the
//! crate's folder and the environment, then the stages (`discover`,
//! `stages`, `emit`, or `dev` in development mode).

use std::path::PathBuf;

use asset_manifest::layout::OUTPUT_DIR;

use super::{AssetReport, DEV_ENV, Pipeline, Report};
use crate::earlier::{self, EARLIER_ENV, History};
use crate::link::Embed;
use crate::memo::Memo;
use crate::shared_cache::SharedCache;
use crate::store::BlobStore;
use crate::{Error, dev, discover, emit, glob, rewrite, stages, templates};

/// The largest earlier version used as a dictionary: 16 MiB, a `dcb`
/// stream's whole window.
const MAX_DICTIONARY: u64 = 16 << 20;

impl Pipeline {
    /// The run itself, without the `cargo::` lines.
    pub(super) fn build(self) -> Result<Report, Error> {
        let manifest_dir = match self.manifest_dir {
            Some(dir) => dir,
            None => env_path("CARGO_MANIFEST_DIR")?,
        };
        let out_dir = match self.out_dir {
            Some(dir) => dir,
            None => env_path("OUT_DIR")?,
        };
        let prefix = asset_manifest::prefix::normalize(&self.url_prefix)
            .ok_or_else(|| Error::InvalidUrlPrefix(self.url_prefix.clone()))?;
        let roots: Vec<PathBuf> = self.folders.iter().map(|f| manifest_dir.join(f)).collect();

        let mut settings = stages::Settings {
            scan: rewrite::ScanOptions {
                js_imports: self.rewrite_js_imports,
            },
            keep_names: glob::GlobSet::new(&self.keep_names)?,
            allow_missing: glob::GlobSet::new(&self.allow_missing)?,
            prefix: prefix.clone(),
            dictionaries: stages::Dictionaries {
                on: self.dictionaries,
                only: (!self.dictionary_files.is_empty())
                    .then(|| glob::GlobSet::new(&self.dictionary_files))
                    .transpose()?,
                earlier: Vec::new(),
                depth: self.delta_depth,
            },
        };

        let found = discover::walk(&roots, self.include_hidden)?;
        let template_folders: Vec<PathBuf> = self
            .template_folders
            .iter()
            .map(|f| manifest_dir.join(f))
            .collect();
        let (template_files, unknown) =
            templates::check(&template_folders, found.sources.keys().map(String::as_str))?;
        if !unknown.is_empty() {
            return Err(Error::UnknownTemplateAssets(unknown));
        }
        let output = out_dir.join(OUTPUT_DIR);
        let dev = self.dev.unwrap_or_else(|| {
            std::env::var(DEV_ENV).is_ok_and(|v| {
                matches!(v.trim().to_ascii_lowercase().as_str(), "1" | "true" | "yes")
            })
        });
        if dev {
            let mut report = dev::build(&found, &roots, &output, &settings)?;
            report.watched.extend(template_files);
            return Ok(report);
        }
        let embed = match self.embed {
            Some(embed) => embed.check(),
            None => Embed::from_env(),
        }
        .map_err(Error::Table)?;
        let shared = match self.shared_cache {
            Some(Some(dir)) => Some(SharedCache::in_dir(dir)),
            Some(None) => None,
            None => SharedCache::locate(&out_dir),
        };
        // Earlier releases, for deltas: the folders named, then this
        // target directory's own release builds.
        let mut warnings = Vec::new();
        let mut watched_earlier = Vec::new();
        let deltas = self.dictionaries && self.delta_depth > 0;
        let history = match &shared {
            Some(cache) if deltas && records_history(self.release_history) => {
                Some(History::new(cache.root(), &roots))
            }
            _ => None,
        };
        if deltas {
            let wanted = found
                .sources
                .keys()
                .filter(|l| settings.dictionaries.offers(l))
                .cloned()
                .collect();
            let env_folders = std::env::var_os(EARLIER_ENV)
                .map(|v| std::env::split_paths(&v).collect::<Vec<_>>())
                .unwrap_or_default();
            let folders: Vec<PathBuf> = self
                .earlier_releases
                .iter()
                .map(|f| manifest_dir.join(f))
                .chain(
                    env_folders
                        .into_iter()
                        .filter(|p| !p.as_os_str().is_empty()),
                )
                .collect();
            let (earlier, watched) = earlier::gather(
                &folders,
                &wanted,
                self.delta_depth,
                history.as_ref(),
                MAX_DICTIONARY,
                &mut warnings,
            );
            settings.dictionaries.earlier = earlier;
            watched_earlier = watched;
        }

        let mut store = BlobStore::open(&output, shared)?;
        let memo = Memo::load(&output);
        let built = stages::run(&found, &store, &settings, &memo)?;
        let emitted = emit::emit(&built, &mut store, &output, &prefix, embed)?;
        Memo::save(&output, &built.remembered)?;
        if let Some(history) = &history {
            let offered: Vec<_> = built
                .assets
                .iter()
                .filter(|a| a.use_as_dictionary.is_some())
                .map(|a| (a.logical.clone(), *a.print.digest()))
                .collect();
            history.record(&offered, &store, self.delta_depth);
        }
        warnings.extend(built.warnings.iter().cloned());

        let assets = built
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
                    .map(|v| (v.codec.encoding().token(), v.size))
                    .collect(),
                use_as_dictionary: a.use_as_dictionary.clone(),
                deltas: a
                    .deltas
                    .iter()
                    .map(|d| {
                        (
                            d.encoding.token(),
                            asset_manifest::fingerprint::hex(&d.dictionary),
                            d.size,
                        )
                    })
                    .collect(),
                references: a.references,
            })
            .collect();
        Ok(Report {
            assets,
            code_path: emitted.code_path,
            manifest_path: emitted.manifest_path,
            link_search: emitted.link_search,
            cache_hits: built.cache_hits,
            shared_cache_hits: built.shared_hits,
            compressions: built.compressions,
            unread: built.unread,
            watched: found
                .watched()
                .into_iter()
                .chain(template_files)
                .chain(watched_earlier)
                .collect(),
            warnings,
        })
    }
}

/// [`Pipeline::release_history`]'s setting, else on in the `release`
/// profile.
fn records_history(setting: Option<bool>) -> bool {
    setting.unwrap_or_else(|| std::env::var("PROFILE").is_ok_and(|p| p == "release"))
}

fn env_path(var: &'static str) -> Result<PathBuf, Error> {
    std::env::var_os(var)
        .map(PathBuf::from)
        .ok_or(Error::MissingEnv(var))
}
