//! Did-you-mean: the known logical path most like a mistyped one, for
//! every error that names an unknown asset (`asset!`, template helpers,
//! the template check).

/// The known path most like `path`, if any is close enough to be a likely
/// typo (or the same file name in another folder).
pub fn closest<'a>(path: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let file_name = |p: &str| p.rsplit('/').next().unwrap_or(p).to_owned();
    let wanted_name = file_name(path);
    known
        .into_iter()
        .map(|candidate| {
            let mut score = strsim::normalized_damerau_levenshtein(path, candidate);
            if file_name(candidate) == wanted_name {
                score = score.max(0.75);
            }
            (score, candidate)
        })
        .filter(|(score, _)| *score >= 0.5)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::closest;

    fn suggest(path: &str) -> Option<&'static str> {
        static KNOWN: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
            [
                "css/app.css",
                "js/app.js",
                "img/logo.svg",
                "fonts/inter.woff2",
            ]
            .map(String::from)
            .to_vec()
        });
        closest(path, KNOWN.iter().map(String::as_str))
    }

    #[test]
    fn suggests_typos_and_moved_files() {
        assert_eq!(suggest("css/ap.css"), Some("css/app.css"));
        assert_eq!(suggest("css/app.cs"), Some("css/app.css"));
        assert_eq!(suggest("styles/app.css"), Some("css/app.css"));
        assert_eq!(suggest("js/app.ts"), Some("js/app.js"));
        assert_eq!(suggest("logo.svg"), Some("img/logo.svg"));
    }

    #[test]
    fn no_suggestion_for_unrelated_paths() {
        assert_eq!(suggest("completely/different-thing.txt"), None);
    }
}
