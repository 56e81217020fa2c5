//! Caching for the app's own pages and API responses: validators, 304s,
//! and policies that cannot go wrong.
//!
//! Hashed asset URLs are never stale only if the page that names them is
//! fresh: a browser or CDN that keeps last release's HTML keeps asking for
//! last release's stylesheet. This module gives the app's own responses
//! the same care the assets get:
//!
//! - [`ValidateLayer`] (feature `tower`, for axum; feature `hyper`, for a
//!   hyper 1 service through [`ValidateLayer::wrap`]) and
//!   [`actix::Validate`] (feature `actix-web`): a
//!   validator for every buffered 200 to GET or HEAD (a hash of the body,
//!   unless the handler set an `ETag`), `If-None-Match` and `If-Match` in
//!   RFC 9110 §13.2.2 order (304 or 412, by the same code as the assets),
//!   and a [`CachePolicy`] with guards.
//! - [`Version`]: answer 304 *before rendering*, from a cheap version key
//!   (a row's `updated_at`, a user id), like Rails' `stale?`.
//! - [`CachePolicy`]: presets for what apps mean, each listed with the
//!   headers it sends.
//!
//! # Guards
//!
//! Whatever the policy and the handler say, a response through the layer:
//!
//! - with `Set-Cookie` is never storable by a shared cache and carries no
//!   freshness: its `Cache-Control` becomes `no-store` (unless the handler
//!   chose a directive that is private and never fresh, such as `private,
//!   no-cache`), `Expires` is removed, and it gets no validator and
//!   never a 304 or 412. Why: a shared cache that stored it would replay
//!   one user's cookie to everyone, and a 304 could drop or replay a cookie
//!   the client needs; the full 200 delivers it exactly once. The cure is
//!   not to set cookies on cacheable pages.
//! - merges its `Vary` with the policy's (`Cookie` from the handler and
//!   `Accept-Encoding` from compression both stay), never overwrites it;
//! - as HTML (`text/html`) never keeps an `immutable` `Cache-Control`: the
//!   policy's value replaces it, since a page that names hashed URLs must
//!   be revalidated for a new release to show at once.
//!
//! # Weak or strong, and where to put the layer
//!
//! A validator computed from the body is weak (`W/"..."`) when the
//! response has no `Content-Encoding`: a compression layer further out may
//! still encode it, and one tag must not name two byte sequences. Put the
//! layer *inside* compression (added before `CompressionLayer`, so closer
//! to the handler): it then answers 304 before anything is compressed, and
//! weak comparison is all `If-None-Match` needs. Outside compression it
//! sees the encoded bytes and makes a strong tag per encoding, at the cost
//! of compressing bodies that end as a 304.
//!
//! Either way, add `Accept-Encoding` to the policy's `Vary`
//! (`.vary(header::ACCEPT_ENCODING)`): tower-http's `CompressionLayer` adds
//! `Vary: accept-encoding` only to the bodies it compresses, so without it
//! a 304 would not repeat the `Vary` of its 200 (RFC 9110 §15.4.5), which
//! caching linters flag. The layer merges it with the rest, and the
//! compression layer then sees it there and adds no second one.
//!
//! ```
//! # #[cfg(feature = "axum")] {
//! use asset_runtime::pages::{CachePolicy, ValidateLayer};
//!
//! # async fn index() -> &'static str { "" }
//! let app: axum::Router = axum::Router::new()
//!     .route("/", axum::routing::get(index))
//!     .layer(ValidateLayer::new(CachePolicy::revalidate()));
//! // with compression, the validator inside it:
//! //     .layer(ValidateLayer::new(CachePolicy::revalidate().vary(header::ACCEPT_ENCODING)))
//! //     .layer(CompressionLayer::new())
//! # }
//! ```

mod policy;
mod validate;
mod version;

#[cfg(any(feature = "tower", feature = "hyper"))]
mod service;

#[cfg(feature = "actix-web")]
pub mod actix;

pub use policy::CachePolicy;
#[cfg(any(feature = "tower", feature = "hyper"))]
pub use service::{Validate, ValidateFuture, ValidateLayer, ValidatedBody};
pub use validate::DEFAULT_LIMIT;
pub use version::Version;

pub(crate) use validate::{Decision, decide, not_modified_from};
