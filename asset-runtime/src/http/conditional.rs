//! Entity-tag lists in `If-None-Match` and `If-Match` (RFC 9110 §8.8.3,
//! §13.1.1, §13.1.2).

use http::header::{HeaderMap, HeaderValue, IF_MATCH, IF_NONE_MATCH};

/// What the entity-tag preconditions of a GET or HEAD say, evaluated in
/// RFC 9110 §13.2.2 order: `If-Match` first (strong comparison), then
/// `If-None-Match` (weak comparison). The date preconditions are left to
/// the caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Precondition {
    /// Send the representation.
    Proceed,
    /// `If-None-Match` matched: 304.
    NotModified,
    /// `If-Match` failed: 412.
    Failed,
}

/// Evaluates `If-Match` and `If-None-Match` against the selected
/// representation's `etag` (quotes included, `W/` for a weak tag). The
/// one place both the assets and the app's pages decide a 304 or a 412.
pub(crate) fn evaluate(headers: &HeaderMap, etag: &str) -> Precondition {
    if headers.contains_key(IF_MATCH) && !strong_match(headers.get_all(IF_MATCH), etag) {
        return Precondition::Failed;
    }
    if headers.contains_key(IF_NONE_MATCH) && none_match(headers.get_all(IF_NONE_MATCH), etag) {
        return Precondition::NotModified;
    }
    Precondition::Proceed
}

/// One member of an `If-Match` / `If-None-Match` list.
#[derive(Debug, PartialEq, Eq)]
enum Member<'a> {
    Any,
    Tag { weak: bool, opaque: &'a str },
}

/// Whether `If-None-Match` matches `etag` under the weak comparison. `etag`
/// is a tag with its quotes, such as `"3f2a-br"` or `W/"3f2a"`. A value that does
/// not parse matches nothing from the point where it stops parsing.
pub(crate) fn none_match<'a>(
    values: impl IntoIterator<Item = &'a HeaderValue>,
    etag: &str,
) -> bool {
    let ours = etag.strip_prefix("W/").unwrap_or(etag);
    any_member(values, |m| match m {
        Member::Any => true,
        Member::Tag { opaque, .. } => opaque == ours,
    })
}

/// Whether `If-Match` matches `etag` under the strong comparison: a weak
/// tag never matches.
pub(crate) fn strong_match<'a>(
    values: impl IntoIterator<Item = &'a HeaderValue>,
    etag: &str,
) -> bool {
    // A weak tag of ours never matches strongly (RFC 9110 §8.8.3.2).
    let ours_strong = !etag.starts_with("W/");
    any_member(values, |m| match m {
        Member::Any => true,
        Member::Tag { weak, opaque } => ours_strong && !weak && opaque == etag,
    })
}

/// Whether an `If-Range` value names `etag` under the strong comparison.
/// A date never does: the assets carry no `Last-Modified`.
pub(crate) fn if_range_matches(value: &HeaderValue, etag: &str) -> bool {
    let Ok(text) = value.to_str() else {
        return false;
    };
    match parse_tag(text.trim()) {
        Some((
            Member::Tag {
                weak: false,
                opaque,
            },
            rest,
        )) => rest.trim().is_empty() && opaque == etag,
        _ => false,
    }
}

fn any_member<'a>(
    values: impl IntoIterator<Item = &'a HeaderValue>,
    mut pred: impl FnMut(Member<'_>) -> bool,
) -> bool {
    for value in values {
        let Ok(mut rest) = value.to_str() else {
            continue;
        };
        loop {
            rest = rest.trim_start_matches([' ', '\t', ',']);
            if rest.is_empty() {
                break;
            }
            match parse_tag(rest) {
                Some((member, tail)) => {
                    if pred(member) {
                        return true;
                    }
                    rest = tail;
                }
                None => break,
            }
        }
    }
    false
}

/// Parses one `*` or `[W/]"opaque"` at the start of `text`; the tag keeps
/// its quotes. Returns the member and what follows it.
fn parse_tag(text: &str) -> Option<(Member<'_>, &str)> {
    if let Some(rest) = text.strip_prefix('*') {
        return Some((Member::Any, rest));
    }
    let (weak, quoted) = match text.strip_prefix("W/") {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let body = quoted.strip_prefix('"')?;
    let end = body.find('"')?;
    // etagc = %x21 / %x23-7E / obs-text; `to_str` already excluded obs-text.
    if !body[..end]
        .bytes()
        .all(|b| b == 0x21 || (0x23..=0x7e).contains(&b))
    {
        return None;
    }
    let opaque = &quoted[..end + 2];
    Some((Member::Tag { weak, opaque }, &body[end + 1..]))
}

#[cfg(test)]
mod tests;
