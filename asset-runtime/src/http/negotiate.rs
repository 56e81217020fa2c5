//! `Accept-Encoding` negotiation (RFC 9110 §12.5.3).
//!
//! Rules, in order:
//! - a coding's q-value comes from its own entry (`x-gzip` counts as `gzip`),
//!   else from `*`, else it is 0, except `identity`, which is acceptable
//!   unless `identity;q=0`, or `*;q=0` with no `identity` entry, excludes it;
//! - no `Accept-Encoding` header at all, or an empty one, selects identity;
//! - the stored variant with the highest q-value wins; ties go to the
//!   preferred coding (br, zstd, gzip, identity);
//! - an element that does not parse (a bad q-value, a stray character) is
//!   ignored as if absent;
//! - when no stored variant is acceptable, identity is sent anyway: RFC 9110
//!   §12.5.3 allows it, and a 406 would leave such a client with no page at
//!   all;
//! - identity that the header does not mention is acceptable but ranks
//!   below every coding the client listed, whatever its q-value.

use http::HeaderValue;

use crate::Encoding;

/// A q-value in thousandths: 0 ..= 1000.
type Q = u16;

/// Picks which of the `stored` codings to send; the first is the stored
/// bytes, sent when nothing else is acceptable ([`Encoding::Identity`],
/// or gzip for a `.svgz`, which has no other form). Returns an index into
/// `stored`.
pub(crate) fn negotiate<'a, I>(
    accept_encoding: I,
    stored: impl IntoIterator<Item = Encoding>,
) -> usize
where
    I: IntoIterator<Item = &'a HeaderValue>,
{
    Accepted::read(accept_encoding).pick(stored)
}

/// What a request's `Accept-Encoding` says, read once: for each coding the
/// highest q-value of the entries that name it, and of the `*` entries,
/// each `None` where there is none.
pub(crate) struct Accepted {
    own: [Option<Q>; CODINGS],
    star: Option<Q>,
    /// Whether there was a header at all.
    present: bool,
}

/// How many codings [`Encoding`] has: those that need no dictionary and
/// the dictionary ones.
const CODINGS: usize = Encoding::PREFERENCE.len() + Encoding::DELTAS.len();

impl Accepted {
    /// Reads the header's values (all of them, in order).
    pub(crate) fn read<'a, I>(accept_encoding: I) -> Self
    where
        I: IntoIterator<Item = &'a HeaderValue>,
    {
        let mut accepted = Accepted {
            own: [None; CODINGS],
            star: None,
            present: false,
        };
        for value in accept_encoding {
            accepted.present = true;
            let Ok(text) = value.to_str() else { continue };
            for element in text.split(',') {
                let Some((coding, q)) = parse_element(element) else {
                    continue;
                };
                let slot = if coding == "*" {
                    &mut accepted.star
                } else if let Some(encoding) = named(coding) {
                    &mut accepted.own[encoding as usize]
                } else {
                    continue;
                };
                *slot = Some(slot.map_or(q, |s| s.max(q)));
            }
        }
        accepted
    }

    /// The index into `stored` of the coding to send.
    pub(crate) fn pick(&self, stored: impl IntoIterator<Item = Encoding>) -> usize {
        if !self.present {
            return 0;
        }
        let mut best: Option<(usize, Q, Encoding)> = None;
        for (index, encoding) in stored.into_iter().enumerate() {
            let q = self.q_value(encoding);
            if q == 0 {
                continue;
            }
            let better = match best {
                None => true,
                Some((_, best_q, best_encoding)) => {
                    q > best_q || (q == best_q && encoding.rank() < best_encoding.rank())
                }
            };
            if better {
                best = Some((index, q, encoding));
            }
        }
        best.map_or(0, |(index, _, _)| index)
    }

    /// The q-value the header gives `encoding`.
    fn q_value(&self, encoding: Encoding) -> Q {
        match (self.own[encoding as usize], self.star, encoding) {
            (Some(q), _, _) => q,
            (None, Some(q), _) => q,
            // Acceptable, but after anything the client listed.
            (None, None, Encoding::Identity) => 1,
            (None, None, _) => 0,
        }
    }

    /// The q-value of a dictionary coding (`dcb`, `dcz`): only its own
    /// entry counts, never `*`, since a client that holds no dictionary
    /// sends `*` too (RFC 9842 §6: the server sends a delta only to a
    /// client that advertised the coding).
    pub(crate) fn listed_q(&self, encoding: Encoding) -> Q {
        self.own[encoding as usize].unwrap_or(0)
    }
}

/// The coding a token names (case-insensitive; `x-gzip` is an alias of
/// `gzip`, RFC 9110 §8.4.1.3), if it is one of ours.
fn named(token: &str) -> Option<Encoding> {
    if token.eq_ignore_ascii_case("x-gzip") {
        return Some(Encoding::Gzip);
    }
    Encoding::PREFERENCE
        .into_iter()
        .chain(Encoding::DELTAS)
        .find(|e| token.eq_ignore_ascii_case(e.token()))
}

/// Parses `coding [; q=value] [; other=params]`. `None` for an empty or
/// malformed element.
fn parse_element(element: &str) -> Option<(&str, Q)> {
    let mut parts = element.split(';');
    let coding = parts.next()?.trim();
    if coding.is_empty() || !coding.bytes().all(is_tchar) {
        return None;
    }
    let mut q = 1000;
    for param in parts {
        let (name, value) = param.split_once('=')?;
        if name.trim().eq_ignore_ascii_case("q") {
            q = parse_q(value.trim())?;
        }
    }
    Some((coding, q))
}

/// `qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )`
pub(crate) fn parse_q(text: &str) -> Option<Q> {
    let (int, frac) = match text.split_once('.') {
        Some((int, frac)) => (int, frac),
        None => (text, ""),
    };
    if frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut thousandths: Q = 0;
    for (i, digit) in frac.bytes().enumerate() {
        thousandths += Q::from(digit - b'0') * [100, 10, 1][i];
    }
    match int {
        "0" => Some(thousandths),
        "1" if thousandths == 0 => Some(1000),
        _ => None,
    }
}

/// `tchar` from RFC 9110 §5.6.2.
fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

#[cfg(test)]
mod tests;
