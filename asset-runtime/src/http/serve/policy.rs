//! The headers of an asset's response that [`ServeOptions`] decides:
//! `Cache-Control`, a surrogate key, CORS and `Use-As-Dictionary`.

use http::header::{self, HeaderMap, HeaderName, HeaderValue};

use super::USE_AS_DICTIONARY;
use crate::{Asset, Assets, ServeOptions};

/// The headers of a response that come from [`ServeOptions`] rather than
/// from the asset: `Cache-Control`, a surrogate key, CORS.
pub(super) struct PolicyHeaders<'a> {
    cache_control: &'a HeaderValue,
    surrogate_key: Option<(&'a HeaderName, &'static str)>,
    cors: bool,
    /// Whether dictionaries are offered, and which deltas may be sent.
    pub(super) options: &'a ServeOptions,
    /// `Use-As-Dictionary`, on hashed responses only.
    use_as_dictionary: Option<&'static str>,
}

impl<'a> PolicyHeaders<'a> {
    pub(super) fn new(
        options: &'a ServeOptions,
        assets: &Assets,
        asset: &'static Asset,
        cache_control: &'a HeaderValue,
    ) -> Self {
        let key = asset.encoded_logical_path(assets.build_url_prefix());
        PolicyHeaders {
            cache_control,
            surrogate_key: options.surrogate_key.as_ref().map(|name| (name, key)),
            cors: options.cors,
            options,
            use_as_dictionary: None,
        }
    }

    /// Offers the asset as a dictionary, as its hashed URL does.
    pub(super) fn offering(mut self, assets: &Assets, asset: &'static Asset) -> Self {
        if self.options.dictionaries {
            self.use_as_dictionary = assets.use_as_dictionary(asset);
        }
        self
    }

    pub(super) fn apply(&self, h: &mut HeaderMap) {
        h.insert(header::CACHE_CONTROL, self.cache_control.clone());
        if let Some((name, key)) = self.surrogate_key {
            // Percent-encoded, so visible ASCII: a valid static value.
            h.insert(name.clone(), HeaderValue::from_static(key));
        }
        if self.cors {
            h.insert(
                header::ACCESS_CONTROL_ALLOW_ORIGIN,
                HeaderValue::from_static("*"),
            );
        }
        if let Some(value) = self.use_as_dictionary {
            // Built from a percent-encoded path: visible ASCII.
            h.insert(USE_AS_DICTIONARY, HeaderValue::from_static(value));
        }
    }
}
