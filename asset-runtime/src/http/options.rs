//! [`ServeOptions`]: how the responses of an asset table are shaped.

use http::header::{HeaderName, HeaderValue};

use super::serve::{NO_CACHE, immutable};

/// How the responses of an [`Assets`](crate::Assets) table are shaped.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    pub(crate) serve_logical_paths: bool,
    pub(crate) immutable_cache_control: HeaderValue,
    pub(crate) logical_cache_control: HeaderValue,
    pub(crate) unknown_hash: UnknownHash,
    pub(crate) surrogate_key: Option<HeaderName>,
    pub(crate) cors: bool,
    pub(crate) dictionaries: bool,
    /// Which dictionary codings may be sent: bit 0 `dcb`, bit 1 `dcz`.
    pub(crate) delta_encodings: u8,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            serve_logical_paths: true,
            immutable_cache_control: immutable(),
            logical_cache_control: HeaderValue::from_static(NO_CACHE),
            unknown_hash: UnknownHash::NotFound,
            surrogate_key: None,
            cors: false,
            dictionaries: true,
            delta_encodings: 0b11,
        }
    }
}

impl ServeOptions {
    /// Whether unhashed paths (`css/app.css`) are served too, with
    /// `Cache-Control: no-cache` so that every use revalidates. On by
    /// default; when off they are 404.
    pub fn serve_logical_paths(mut self, on: bool) -> Self {
        self.serve_logical_paths = on;
        self
    }

    /// The `Cache-Control` of hashed paths. Default:
    /// `public, max-age=31536000, immutable`.
    pub fn immutable_cache_control(mut self, value: HeaderValue) -> Self {
        self.immutable_cache_control = value;
        self
    }

    /// The `Cache-Control` of logical paths. Default: `no-cache`.
    pub fn logical_cache_control(mut self, value: HeaderValue) -> Self {
        self.logical_cache_control = value;
        self
    }

    /// What to answer for a known logical path with a hash this binary does
    /// not have (another release's, during a rolling deploy). Default:
    /// [`UnknownHash::NotFound`]. Either way the answer carries
    /// `Cache-Control: no-store`.
    ///
    /// ```
    /// use asset_runtime::{ServeOptions, UnknownHash};
    ///
    /// let options = ServeOptions::default().unknown_hash(UnknownHash::ServeCurrent);
    /// ```
    pub fn unknown_hash(mut self, policy: UnknownHash) -> Self {
        self.unknown_hash = policy;
        self
    }

    /// Lets shared caches (CDNs) keep logical paths for `s_maxage` seconds
    /// and serve them stale for `stale_while_revalidate` more while they
    /// refetch, while browsers still revalidate every use:
    /// `Cache-Control: public, max-age=0, s-maxage=N, stale-while-revalidate=M`
    /// (RFC 9111 §5.2.2.10, RFC 5861). Hashed paths keep their year-long
    /// `immutable` caching, which shared caches honour as it is.
    ///
    /// ```
    /// use asset_runtime::ServeOptions;
    ///
    /// let options = ServeOptions::default().shared_cache(60, 300);
    /// ```
    pub fn shared_cache(mut self, s_maxage: u32, stale_while_revalidate: u32) -> Self {
        let value = format!(
            "public, max-age=0, s-maxage={s_maxage}, stale-while-revalidate={stale_while_revalidate}"
        );
        self.logical_cache_control =
            HeaderValue::try_from(value).expect("digits and ASCII are a valid header value");
        self
    }

    /// Adds a surrogate-key header to every asset response, naming the
    /// asset by its logical path (percent-encoded, so it holds no space), so
    /// that an operator can purge one logical name from a CDN if ever
    /// needed: `Surrogate-Key` for Fastly, `Cache-Tag` for Cloudflare.
    ///
    /// ```
    /// use asset_runtime::ServeOptions;
    /// use http::HeaderName;
    ///
    /// let options = ServeOptions::default().surrogate_key(HeaderName::from_static("surrogate-key"));
    /// ```
    pub fn surrogate_key(mut self, header: HeaderName) -> Self {
        self.surrogate_key = Some(header);
        self
    }

    /// Sends `Access-Control-Allow-Origin: *` with every asset response, as
    /// fonts and `integrity`-checked scripts and stylesheets need when the
    /// page loads them from another origin (a CDN). Off by default.
    pub fn cors(mut self, on: bool) -> Self {
        self.cors = on;
        self
    }

    /// Delta updates (RFC 9842): whether hashed text assets offer
    /// themselves as dictionaries (`Use-As-Dictionary`) and whether the
    /// deltas the build stored are sent to clients that hold their
    /// dictionary (`Content-Encoding: dcb` or `dcz`). On by default; off,
    /// the responses are those of a table without deltas. Which types
    /// offer dictionaries, and which earlier releases the deltas are
    /// computed against, are the build's settings
    /// (`asset_build::Pipeline::dictionaries`).
    ///
    /// ```
    /// use asset_runtime::ServeOptions;
    ///
    /// let options = ServeOptions::default().dictionaries(false);
    /// ```
    pub fn dictionaries(mut self, on: bool) -> Self {
        self.dictionaries = on;
        self
    }

    /// Which dictionary codings may be sent: [`Encoding::Dcb`],
    /// [`Encoding::Dcz`] or both (the default, the smaller delta winning
    /// when a client lists both). Other codings in the list are ignored;
    /// an empty list sends no delta, as [`ServeOptions::dictionaries`]
    /// `(false)` does, but keeps offering dictionaries.
    ///
    /// ```
    /// use asset_runtime::{Encoding, ServeOptions};
    ///
    /// // A CDN in front that cannot cache zstd deltas.
    /// let options = ServeOptions::default().delta_encodings([Encoding::Dcb]);
    /// ```
    ///
    /// [`Encoding::Dcb`]: crate::Encoding::Dcb
    /// [`Encoding::Dcz`]: crate::Encoding::Dcz
    pub fn delta_encodings(mut self, encodings: impl IntoIterator<Item = crate::Encoding>) -> Self {
        self.delta_encodings = encodings.into_iter().map(delta_bit).fold(0, |m, b| m | b);
        self
    }

    /// Whether a delta in `encoding` may be sent.
    pub(crate) fn sends_delta(&self, encoding: crate::Encoding) -> bool {
        self.dictionaries && self.delta_encodings & delta_bit(encoding) != 0
    }
}

/// The bit of a dictionary coding in [`ServeOptions::delta_encodings`]'s
/// mask; 0 for any other coding.
fn delta_bit(encoding: crate::Encoding) -> u8 {
    match encoding {
        crate::Encoding::Dcb => 1,
        crate::Encoding::Dcz => 2,
        _ => 0,
    }
}

/// What to answer for a hashed path whose logical path is known but whose
/// hash is not this binary's (an older or newer release).
///
/// ```
/// use asset_runtime::{ServeOptions, UnknownHash};
///
/// let options = ServeOptions::default().unknown_hash(UnknownHash::ServeCurrent);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum UnknownHash {
    /// 404 with `Cache-Control: no-store`, so that a CDN does not keep the
    /// miss while the release that has the file takes over. The default:
    /// the bytes this binary has are not the bytes the URL names.
    #[default]
    NotFound,
    /// This binary's current bytes for the logical path, with
    /// `Cache-Control: no-store`: never the immutable caching of a hashed
    /// path, since the URL names other bytes. Useful when a page that
    /// misses a stylesheet for a moment is worse than one that gets a
    /// slightly different one.
    ServeCurrent,
}
