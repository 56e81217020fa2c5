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

/// Picks which of the `stored` codings to send; the first must be
/// [`Encoding::Identity`]. Returns an index into `stored`.
pub(crate) fn negotiate<'a, I>(
    accept_encoding: I,
    stored: impl IntoIterator<Item = Encoding>,
) -> usize
where
    I: IntoIterator<Item = &'a HeaderValue> + Clone,
{
    if accept_encoding.clone().into_iter().next().is_none() {
        return 0;
    }
    let mut best: Option<(usize, Q, Encoding)> = None;
    for (index, encoding) in stored.into_iter().enumerate() {
        let q = q_value(accept_encoding.clone(), encoding);
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

/// The q-value that the header values give `encoding`.
fn q_value<'a, I>(accept_encoding: I, encoding: Encoding) -> Q
where
    I: IntoIterator<Item = &'a HeaderValue>,
{
    let mut own: Option<Q> = None;
    let mut star: Option<Q> = None;
    for value in accept_encoding {
        let Ok(text) = value.to_str() else { continue };
        for element in text.split(',') {
            let Some((coding, q)) = parse_element(element) else {
                continue;
            };
            if coding == "*" {
                star = Some(star.map_or(q, |s| s.max(q)));
            } else if names(coding, encoding) {
                own = Some(own.map_or(q, |o| o.max(q)));
            }
        }
    }
    match (own, star, encoding) {
        (Some(q), _, _) => q,
        (None, Some(q), _) => q,
        // Acceptable, but after anything the client listed.
        (None, None, Encoding::Identity) => 1,
        (None, None, _) => 0,
    }
}

/// Whether the coding token names `encoding` (case-insensitive; `x-gzip`
/// is an alias of `gzip`, RFC 9110 §8.4.1.3).
fn names(token: &str, encoding: Encoding) -> bool {
    token.eq_ignore_ascii_case(encoding.token())
        || (encoding == Encoding::Gzip && token.eq_ignore_ascii_case("x-gzip"))
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
mod tests {
    use super::*;
    use Encoding::*;

    const ALL: &[Encoding] = &[Identity, Brotli, Gzip];

    fn pick(header: &str, stored: &[Encoding]) -> Encoding {
        let value = HeaderValue::from_str(header).unwrap();
        stored[negotiate(std::iter::once(&value), stored.iter().copied())]
    }

    fn pick_none(stored: &[Encoding]) -> Encoding {
        stored[negotiate(std::iter::empty::<&HeaderValue>(), stored.iter().copied())]
    }

    #[test]
    fn browsers_get_brotli() {
        assert_eq!(pick("gzip, deflate, br, zstd", ALL), Brotli);
        assert_eq!(pick("gzip, deflate, br", ALL), Brotli);
        assert_eq!(pick("gzip, deflate", ALL), Gzip);
    }

    #[test]
    fn no_header_or_empty_header_is_identity() {
        assert_eq!(pick_none(ALL), Identity);
        assert_eq!(pick("", ALL), Identity);
    }

    #[test]
    fn q_values_are_honoured() {
        assert_eq!(pick("br;q=0.5, gzip;q=0.8", ALL), Gzip);
        assert_eq!(pick("br;q=0, gzip", ALL), Gzip);
        assert_eq!(pick("br;q=0", ALL), Identity);
        assert_eq!(pick("gzip;q=1.000, br;q=0.999", ALL), Gzip);
        assert_eq!(pick("identity;q=1, br;q=0.5", ALL), Identity);
    }

    #[test]
    fn ties_prefer_br_then_zstd_then_gzip() {
        let stored = &[Identity, Brotli, Zstd, Gzip];
        assert_eq!(pick("gzip, zstd", stored), Zstd);
        assert_eq!(pick("gzip, zstd, br", stored), Brotli);
        assert_eq!(pick("*", stored), Brotli);
    }

    #[test]
    fn star_covers_unlisted_codings() {
        assert_eq!(pick("*", ALL), Brotli);
        assert_eq!(pick("*;q=0.5, br;q=0", ALL), Gzip);
        assert_eq!(pick("gzip;q=0.2, *;q=0.5", ALL), Brotli);
    }

    #[test]
    fn identity_exclusions() {
        // Identity excluded, nothing else acceptable: identity anyway.
        assert_eq!(pick("identity;q=0", &[Identity]), Identity);
        assert_eq!(pick("*;q=0", ALL), Identity);
        assert_eq!(pick("identity;q=0, gzip", ALL), Gzip);
        // `*;q=0` with an explicit identity entry keeps identity.
        assert_eq!(pick("*;q=0, identity", ALL), Identity);
    }

    #[test]
    fn names_are_case_insensitive_and_x_gzip_is_gzip() {
        assert_eq!(pick("BR", ALL), Brotli);
        assert_eq!(pick("GZip", ALL), Gzip);
        assert_eq!(pick("x-gzip", ALL), Gzip);
        assert_eq!(pick("X-GZIP;q=0.5", ALL), Gzip);
    }

    #[test]
    fn spaces_and_params_are_tolerated() {
        assert_eq!(pick("  br ; q = 0.9 ,gzip ;q=0.1", ALL), Brotli);
        assert_eq!(pick("br;level=5", ALL), Brotli);
        assert_eq!(pick("br;Q=0", ALL), Identity);
    }

    #[test]
    fn malformed_elements_are_ignored() {
        assert_eq!(pick("br;q=2", ALL), Identity);
        assert_eq!(pick("br;q=abc, gzip", ALL), Gzip);
        assert_eq!(pick("br;q=0.1234", ALL), Identity);
        assert_eq!(pick("br;q", ALL), Identity);
        assert_eq!(pick("b r, gzip", ALL), Gzip);
        assert_eq!(pick(",,;;,", ALL), Identity);
    }

    #[test]
    fn several_header_lines_combine() {
        let a = HeaderValue::from_static("gzip;q=0.5");
        let b = HeaderValue::from_static("br;q=0.9");
        let both = [a, b];
        assert_eq!(ALL[negotiate(both.iter(), ALL.iter().copied())], Brotli);
    }

    #[test]
    fn only_stored_variants_are_chosen() {
        assert_eq!(pick("br", &[Identity, Gzip]), Identity);
        assert_eq!(pick("br, gzip", &[Identity, Gzip]), Gzip);
    }

    #[test]
    fn q_grammar() {
        assert_eq!(parse_q("0"), Some(0));
        assert_eq!(parse_q("0."), Some(0));
        assert_eq!(parse_q("0.5"), Some(500));
        assert_eq!(parse_q("0.05"), Some(50));
        assert_eq!(parse_q("0.005"), Some(5));
        assert_eq!(parse_q("1"), Some(1000));
        assert_eq!(parse_q("1.000"), Some(1000));
        assert_eq!(parse_q("1.001"), None);
        assert_eq!(parse_q("-1"), None);
        assert_eq!(parse_q(".5"), None);
        assert_eq!(parse_q("0.+1"), None);
        assert_eq!(parse_q(""), None);
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn stored() -> impl Strategy<Value = Vec<Encoding>> {
            (any::<bool>(), any::<bool>(), any::<bool>()).prop_map(|(br, zstd, gzip)| {
                let mut stored = vec![Identity];
                stored.extend(
                    [(br, Brotli), (zstd, Zstd), (gzip, Gzip)]
                        .into_iter()
                        .filter_map(|(on, e)| on.then_some(e)),
                );
                stored
            })
        }

        proptest! {
            #[test]
            fn any_header_gives_a_stored_index(
                values in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..40), 0..3),
                stored in stored(),
            ) {
                let values: Vec<HeaderValue> = values
                    .iter()
                    .filter_map(|v| HeaderValue::from_bytes(v).ok())
                    .collect();
                prop_assert!(negotiate(&values, stored.iter().copied()) < stored.len());
            }

            #[test]
            fn the_highest_q_value_wins_then_the_preferred_coding(
                qs in proptest::collection::vec(0u16..=1000, 3),
                stored in stored(),
                spaces in "[ \t]{0,2}",
                upper in any::<bool>(),
            ) {
                let codings = [Brotli, Zstd, Gzip];
                let header = codings
                    .iter()
                    .zip(&qs)
                    .map(|(e, q)| {
                        let token = if upper { e.token().to_uppercase() } else { e.token().to_owned() };
                        format!("{token}{spaces};{spaces}q={}.{:03}", q / 1000, q % 1000)
                    })
                    .collect::<Vec<_>>()
                    .join(",");
                let got = pick(&header, &stored);
                let q_of = |e: Encoding| codings.iter().position(|c| *c == e).map_or(1, |i| qs[i]);
                let best = stored
                    .iter()
                    .copied()
                    .filter(|e| q_of(*e) > 0)
                    .max_by(|a, b| q_of(*a).cmp(&q_of(*b)).then(b.rank().cmp(&a.rank())))
                    .unwrap_or(Identity);
                prop_assert_eq!(got, best, "{}", header);
            }

            #[test]
            fn q_values_round_trip(q in 0u16..=1000) {
                let text = format!("{}.{:03}", q / 1000, q % 1000);
                prop_assert_eq!(parse_q(&text), Some(q));
                prop_assert_eq!(parse_q(&format!("{}", q as f32 / 1000.0)).is_some(), true);
            }
        }
    }
}
