//! Rolling deploys: a request for a hash that this binary does not have.
//!
//! While a new release rolls out, old and new binaries answer behind the
//! same load balancer. A page rendered by one names hashed URLs that the
//! other may not have: `css/app.<new>.css` reaches an old binary that only
//! has `css/app.<old>.css`. [`UnknownHash`](crate::UnknownHash) decides the answer.
//!
//! A path counts as "a known logical path with another hash" when it has the
//! shape that `asset-build` gives hashed names (16 lowercase hex digits
//! before the last extension, or at the end of an extensionless name:
//! `css/app.<hash>.css`, `LICENSE.<hash>`) and removing the hash gives a
//! logical path that the table has.

use asset_manifest::naming;

use crate::{Asset, Assets};

/// The asset whose logical path `path` names with a hash other than its
/// own, if `path` has the shape of a hashed name.
pub(crate) fn other_release(assets: &Assets, path: &str) -> Option<&'static Asset> {
    let (logical, hash) = naming::split_hashed(path)?;
    let asset = assets.get(&logical)?;
    // The current hash would have been found by the table lookup already;
    // check anyway so that this never claims a path the table has.
    let current = naming::split_hashed(asset.hashed_path()).map(|(_, h)| h);
    (current != Some(hash)).then_some(asset)
}
