//! Stage 4b: deltas against earlier releases (RFC 9842).
//!
//! For each asset that offers itself as a dictionary and whose bytes differ
//! from an earlier release's version of the same logical path, the build
//! stores a `dcb` variant (the header `FF 44 43 42` and the dictionary's
//! SHA-256, then brotli quality 11 with the old bytes as a raw dictionary)
//! and, with the `zstd` feature, a `dcz` variant (the skippable frame
//! header and the SHA-256, then zstd level 19 with the old bytes as a
//! raw-content prefix). A browser that holds the old version names it in
//! `Available-Dictionary` and gets the delta.
//!
//! - **Windows.** A `dcb` stream may use at most a 16 MiB window: the
//!   dictionary and the file together must fit in it (16 bytes less), or
//!   the delta is skipped. A `dcz` frame may use at most max(8 MiB, 1.25 x
//!   the dictionary) ([`asset_manifest::dictionary::dcz_max_window`]);
//!   likewise. The build says which were skipped.
//! - **What is kept.** A delta is kept only when it is at most
//!   [`KEEP_PERCENT`] of the asset's brotli variant (of its stored bytes
//!   when brotli was not kept): below that margin the table grows for a
//!   transfer that brotli nearly matches (BENCHMARKS.md, "Delta updates").
//! - **Cache.** Like every compression, by content, dictionary and
//!   settings (`<sha256>.<dictionary sha256>.<codec tag>`), in the blob
//!   store and in the cache every profile shares; the output is
//!   deterministic.

use std::collections::{BTreeMap, BTreeSet};

use asset_manifest::Encoding;
use asset_manifest::dictionary::{self, DCB_MAX_WINDOW_LOG};

use crate::precompress::{self, CacheResult};
use crate::store::BlobStore;
use crate::{Error, parallel};

/// A delta is kept when it is at most this share (in percent) of the
/// brotli variant.
pub const KEEP_PERCENT: u64 = 90;

/// A delta coding and the settings that make up its cache tag.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum DeltaCodec {
    /// `dcb`: brotli quality 11, raw dictionary, window up to 16 MiB.
    Dcb,
    /// `dcz`: zstd level 19, raw-content prefix, no checksum.
    #[cfg(feature = "zstd")]
    Dcz,
}

impl DeltaCodec {
    /// Every delta coding this build produces.
    #[cfg(not(feature = "zstd"))]
    pub const ALL: [DeltaCodec; 1] = [DeltaCodec::Dcb];
    /// Every delta coding this build produces.
    #[cfg(feature = "zstd")]
    pub const ALL: [DeltaCodec; 2] = [DeltaCodec::Dcb, DeltaCodec::Dcz];

    pub fn encoding(self) -> Encoding {
        match self {
            DeltaCodec::Dcb => Encoding::Dcb,
            #[cfg(feature = "zstd")]
            DeltaCodec::Dcz => Encoding::Dcz,
        }
    }

    fn cache_tag(self) -> &'static str {
        match self {
            // v2: Google's encoder, where v1 was the brotli crate's.
            DeltaCodec::Dcb => "dcb-q11-v2",
            #[cfg(feature = "zstd")]
            DeltaCodec::Dcz => "dcz-19-v1",
        }
    }

    /// Whether a file of `len` bytes and its dictionary fit the window
    /// this coding may use.
    pub fn fits(self, len: u64, dictionary_len: u64) -> bool {
        let total = len.saturating_add(dictionary_len);
        match self {
            DeltaCodec::Dcb => total <= (1u64 << DCB_MAX_WINDOW_LOG) - 16,
            #[cfg(feature = "zstd")]
            DeltaCodec::Dcz => total <= 1u64 << dcz_window_log_limit(dictionary_len),
        }
    }

    /// The served bytes: header, dictionary hash, compressed stream.
    pub fn compress(self, input: &[u8], dictionary: &[u8], dictionary_sha: &[u8; 32]) -> Vec<u8> {
        match self {
            DeltaCodec::Dcb => {
                let mut out = dictionary::dcb_header(dictionary_sha).to_vec();
                brotli_with_dictionary(input, dictionary, &mut out);
                out
            }
            #[cfg(feature = "zstd")]
            DeltaCodec::Dcz => {
                let mut out = dictionary::dcz_header(dictionary_sha).to_vec();
                zstd_with_prefix(input, dictionary, &mut out);
                out
            }
        }
    }
}

/// The largest window log a `dcz` frame may use with this dictionary.
#[cfg(feature = "zstd")]
fn dcz_window_log_limit(dictionary_len: u64) -> u32 {
    63 - dictionary::dcz_max_window(dictionary_len).leading_zeros()
}

/// Brotli at quality 11 with `dictionary` as a raw (LZ77 prefix)
/// dictionary, the window sized to hold both (RFC 9842 §4), by Google's
/// encoder, as Google's decoder attaches it (`BROTLI_SHARED_DICTIONARY_RAW`).
fn brotli_with_dictionary(input: &[u8], dictionary: &[u8], out: &mut Vec<u8>) {
    let lgwin = crate::compress::window_bits(input.len() + dictionary.len());
    out.extend(crate::compress::google::compress(
        input,
        Some(dictionary),
        11,
        lgwin,
    ));
}

/// zstd level 19 with `dictionary` as a raw-content prefix, the window
/// just large enough for both and within the limit (RFC 9842 §5).
#[cfg(feature = "zstd")]
fn zstd_with_prefix(input: &[u8], dictionary: &[u8], out: &mut Vec<u8>) {
    use std::io::Write;
    use zstd::stream::raw::CParameter;
    let total = (input.len() + dictionary.len()).max(1) as u64;
    let needed = 64 - (total - 1).leading_zeros();
    let window_log = needed.clamp(10, dcz_window_log_limit(dictionary.len() as u64));
    let mut encoder = zstd::stream::write::Encoder::with_ref_prefix(out, 19, dictionary)
        .expect("level 19 is valid");
    for parameter in [
        CParameter::WindowLog(window_log),
        CParameter::ChecksumFlag(false),
        CParameter::ContentSizeFlag(true),
    ] {
        encoder
            .set_parameter(parameter)
            .expect("the zstd parameters are valid");
    }
    encoder
        .set_pledged_src_size(Some(input.len() as u64))
        .expect("the size is pledged before any input");
    encoder
        .write_all(input)
        .and_then(|()| encoder.finish().map(drop))
        .expect("compressing in memory cannot fail");
}

/// One earlier version of an asset, as a dictionary.
#[derive(Debug, Clone)]
pub struct Dictionary {
    /// Its SHA-256.
    pub sha: [u8; 32],
    /// Its bytes.
    pub bytes: std::sync::Arc<Vec<u8>>,
}

/// One asset's deltas to compute: its content (by SHA-256, in the store)
/// and the earlier versions it differs from.
#[derive(Debug)]
pub struct Request<'a> {
    pub sha: &'a str,
    pub len: u64,
    /// Its brotli variant's size, or its own when brotli was not kept.
    pub br_len: u64,
    pub dictionaries: Vec<Dictionary>,
}

/// A kept delta.
#[derive(Debug, Clone)]
pub struct StoredDelta {
    pub encoding: Encoding,
    pub dictionary: [u8; 32],
    pub blob: String,
    pub size: u64,
}

/// What computing the deltas gave.
#[derive(Debug, Default)]
pub struct Deltas {
    /// Per request (in order), the kept deltas.
    pub kept: Vec<Vec<StoredDelta>>,
    /// Every blob the results use.
    pub blobs: BTreeSet<String>,
    pub cache_hits: usize,
    pub compressions: usize,
    /// Deltas not made because the file and its dictionary do not fit the
    /// coding's window: (request index, coding, dictionary length).
    pub too_large: Vec<(usize, DeltaCodec, u64)>,
}

/// Computes (or finds in the caches) every delta of every request, on all
/// cores.
pub fn deltas(store: &BlobStore, requests: &[Request<'_>]) -> Result<Deltas, Error> {
    let mut out = Deltas {
        kept: vec![Vec::new(); requests.len()],
        ..Deltas::default()
    };
    let mut jobs = Vec::new();
    for (i, request) in requests.iter().enumerate() {
        for dictionary in &request.dictionaries {
            for codec in DeltaCodec::ALL {
                if codec.fits(request.len, dictionary.bytes.len() as u64) {
                    jobs.push((i, dictionary, codec));
                } else {
                    out.too_large
                        .push((i, codec, dictionary.bytes.len() as u64));
                }
            }
        }
    }
    let results = parallel::map(&jobs, |&(i, dictionary, codec)| {
        let request = &requests[i];
        let name = format!(
            "{}.{}.{}",
            request.sha,
            asset_manifest::fingerprint::hex(&dictionary.sha),
            codec.cache_tag()
        );
        precompress::cached(store, &name, || {
            let input = store.read(request.sha)?;
            Ok(Some(codec.compress(
                &input,
                &dictionary.bytes,
                &dictionary.sha,
            )))
        })
    })?;
    for ((i, dictionary, codec), result) in jobs.into_iter().zip(results) {
        if result.cached {
            out.cache_hits += 1;
        } else {
            out.compressions += 1;
        }
        let CacheResult {
            file,
            kept_size: Some(size),
            ..
        } = result
        else {
            continue;
        };
        if size * 100 <= requests[i].br_len * KEEP_PERCENT {
            out.blobs.insert(file.clone());
            out.kept[i].push(StoredDelta {
                encoding: codec.encoding(),
                dictionary: dictionary.sha,
                blob: file,
                size,
            });
        }
    }
    if let Some(shared) = store.shared() {
        shared.trim();
    }
    Ok(out)
}

/// Groups dictionaries by logical path, each path's versions in the order
/// given, without duplicates and without the current bytes.
pub fn candidates(
    current: &BTreeMap<String, [u8; 32]>,
    earlier: impl IntoIterator<Item = (String, Dictionary)>,
    per_path: usize,
) -> BTreeMap<String, Vec<Dictionary>> {
    let mut out: BTreeMap<String, Vec<Dictionary>> = BTreeMap::new();
    for (logical, dictionary) in earlier {
        let Some(sha) = current.get(&logical) else {
            continue;
        };
        if *sha == dictionary.sha {
            continue;
        }
        let list = out.entry(logical).or_default();
        if list.len() < per_path && list.iter().all(|d| d.sha != dictionary.sha) {
            list.push(dictionary);
        }
    }
    out
}

#[cfg(test)]
mod tests;
