//! Which stored variant answers a request (a delta, else the coding
//! `Accept-Encoding` picks), and what the response varies on.

use http::header::{self, HeaderMap, HeaderValue};

use super::AVAILABLE_DICTIONARY;
use crate::http::negotiate;
use crate::{Asset, Encoding, Variant};

/// Whether this build serves variants in `encoding`: zstd only with the
/// `zstd` feature.
pub(super) fn served(variant: &&Variant) -> bool {
    variant.encoding() != Encoding::Zstd || cfg!(feature = "zstd")
}

/// The ordinary coding `Accept-Encoding` picks among the stored ones.
pub(super) fn ordinary(asset: &'static Asset, headers: &HeaderMap) -> &'static Variant {
    let variants = || asset.variants().iter().filter(served);
    let stored = variants().map(|v| v.encoding());
    let index = negotiate::negotiate(headers.get_all(header::ACCEPT_ENCODING), stored);
    variants().nth(index).unwrap_or(asset.identity())
}

/// The delta for the dictionary `Available-Dictionary` names, in a coding
/// `Accept-Encoding` lists: the highest q-value, then the fewest bytes.
/// An absent, repeated or malformed `Available-Dictionary` names none.
pub(super) fn delta(
    deltas: impl Iterator<Item = &'static Variant> + Clone,
    headers: &HeaderMap,
) -> Option<&'static Variant> {
    deltas.clone().next()?;
    let mut values = headers.get_all(AVAILABLE_DICTIONARY).iter();
    let (Some(value), None) = (values.next(), values.next()) else {
        return None;
    };
    let dictionary = asset_manifest::dictionary::parse_available(value.as_bytes())?;
    let accept = negotiate::Accepted::read(headers.get_all(header::ACCEPT_ENCODING));
    deltas
        .filter(|d| d.dictionary() == Some(&dictionary))
        .map(|d| (accept.listed_q(d.encoding()), d))
        .filter(|(q, _)| *q > 0)
        .max_by(|(qa, a), (qb, b)| {
            qa.cmp(qb)
                .then(b.bytes().len().cmp(&a.bytes().len()))
                .then(b.encoding().rank().cmp(&a.encoding().rank()))
        })
        .map(|(_, d)| d)
}

/// What a response of an asset varies on.
#[derive(Clone, Copy)]
pub(super) enum Vary {
    /// One stored form: nothing.
    None,
    /// Several codings.
    Encoding,
    /// Deltas too: the dictionary the client holds matters.
    Dictionary,
}

impl Vary {
    pub(super) fn apply(self, h: &mut HeaderMap) {
        let value = match self {
            Vary::None => return,
            Vary::Encoding => "accept-encoding",
            Vary::Dictionary => "accept-encoding, available-dictionary",
        };
        h.insert(header::VARY, HeaderValue::from_static(value));
    }
}
