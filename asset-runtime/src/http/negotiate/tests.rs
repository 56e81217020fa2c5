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
