//! The naming rule: where the hash goes in a file name, and how a hashed
//! name splits back into its logical path and hash.
//!
//! The hash is [`HASH_LEN`] lowercase hex digits, inserted before the last
//! extension of the file name: `css/app.css` -> `css/app.<hash>.css`,
//! `js/app.min.js` -> `js/app.min.<hash>.js`, `LICENSE` ->
//! `LICENSE.<hash>`. A leading dot is part of the name, not an extension:
//! `.htaccess` -> `.htaccess.<hash>`. The rule only looks at `/` and `.`,
//! so it gives the same answer on a percent-encoded path.

/// How many hex digits of the SHA-256 go into a file name (64 bits).
pub const HASH_LEN: usize = 16;

/// Inserts the hash into a logical path: `css/app.css` ->
/// `css/app.<hash>.css`.
///
/// ```
/// assert_eq!(
///     asset_manifest::naming::hashed_path("css/app.css", "0123456789abcdef"),
///     "css/app.0123456789abcdef.css"
/// );
/// ```
pub fn hashed_path(logical: &str, hash: &str) -> String {
    let (stem, extension) = hash_slot(logical);
    format!("{stem}.{hash}{extension}")
}

/// The parts of a logical path around its hash: `css/app.css` ->
/// (`css/app`, `.css`), `LICENSE` -> (`LICENSE`, ``). The hashed path is
/// `stem + "." + hash + extension`, which lets a reference to a file be
/// written before the file's hash is known.
pub fn hash_slot(logical: &str) -> (&str, &str) {
    let file_start = logical.rfind('/').map_or(0, |i| i + 1);
    match logical[file_start..].rfind('.') {
        Some(dot) if dot > 0 => logical.split_at(file_start + dot),
        _ => (logical, ""),
    }
}

/// Splits a hashed name into its logical path and hash, the inverse of
/// [`hashed_path`]: `css/app.<hash>.css` -> `css/app.css`,
/// `LICENSE.<hash>` -> `LICENSE`, `x/.env.<hash>.local` -> `x/.env.local`.
/// `None` when the path does not have that shape.
pub fn split_hashed(path: &str) -> Option<(String, &str)> {
    let (dir, file) = match path.rfind('/') {
        Some(i) => path.split_at(i + 1),
        None => ("", path),
    };
    // Hash before the last extension: `<name>.<hash><.ext>`.
    if let Some(dot) = file.rfind('.') {
        let (stem, ext) = file.split_at(dot);
        if let Some((name, hash)) = split_hash_suffix(stem) {
            // `hashed_path` puts the hash before the last dot only when
            // that dot is not the first character of the name.
            if !name.is_empty() {
                return Some((format!("{dir}{name}{ext}"), hash));
            }
        }
    }
    // Extensionless (or a leading-dot name only): `<name>.<hash>`.
    let (name, hash) = split_hash_suffix(file)?;
    let extensionless = name.rfind('.').is_none_or(|dot| dot == 0);
    (!name.is_empty() && extensionless).then(|| (format!("{dir}{name}"), hash))
}

/// `<name>.<16 lowercase hex>` -> (`name`, hash).
fn split_hash_suffix(text: &str) -> Option<(&str, &str)> {
    let split = text.len().checked_sub(HASH_LEN + 1)?;
    if !text.is_char_boundary(split) {
        return None;
    }
    let (name, dot_hash) = text.split_at(split);
    let hash = dot_hash.strip_prefix('.')?;
    hash.bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        .then_some((name, hash))
}

#[cfg(test)]
mod tests;
