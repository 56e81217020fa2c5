//! The writes of a publish: each object created only if its key is free,
//! and the release manifest, last; both with the metadata the store keeps.

use std::collections::BTreeMap;
use std::time::{SystemTime, UNIX_EPOCH};

use asset_manifest::release::{self, Release};
use object_store::{Attribute, Attributes, ObjectStoreExt, PutMode, PutOptions, PutPayload};

use super::ManifestWrite;
use super::error::{ErrorKind, PublishError};
use super::store::{self, Target};
use crate::Assets;
use crate::export::Object;

/// The outcome of one upload.
pub(super) enum Uploaded {
    Written(String, u64),
    /// Another publisher wrote the same key (with the same size) first.
    Raced(u64),
}

/// Uploads one object unless the key exists (checked by the store itself,
/// atomically, where it can: `If-None-Match: *`).
pub(super) async fn upload(target: &Target, object: &Object) -> Result<Uploaded, PublishError> {
    let path = target.path(&object.key)?;
    let options = PutOptions {
        mode: PutMode::Create,
        attributes: attributes(
            target,
            &object.meta.content_type,
            &object.meta.cache_control,
            object.meta.content_encoding.as_deref(),
        ),
        ..PutOptions::default()
    };
    let payload = PutPayload::from_static(object.bytes);
    match target.store.put_opts(&path, payload, options).await {
        Ok(_) => Ok(Uploaded::Written(object.key.clone(), object.meta.size)),
        Err(object_store::Error::AlreadyExists { .. }) => {
            let meta = target.store.head(&path).await.map_err(|err| {
                PublishError::store(&target.url, format!("cannot read `{}`", object.key), err)
            })?;
            if meta.size == object.meta.size {
                Ok(Uploaded::Raced(meta.size))
            } else {
                Err(PublishError::new(
                    ErrorKind::Conflict,
                    &target.url,
                    format!(
                        "`{}` was written meanwhile with {} bytes; this release has {}",
                        object.key, meta.size, object.meta.size
                    ),
                ))
            }
        }
        Err(err) => Err(PublishError::store(
            &target.url,
            format!("cannot upload `{}`", object.key),
            err,
        )),
    }
}

/// The manifest of release `id`, naming `wanted`.
pub(super) fn release_of(assets: &Assets, id: &str, wanted: &[Object]) -> Release {
    Release {
        version: release::VERSION,
        release: id.to_owned(),
        published_at_ms: SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64),
        url_prefix: assets.url_prefix().to_owned(),
        objects: wanted
            .iter()
            .map(|o| (o.key.clone(), o.meta.clone()))
            .collect(),
    }
}

/// Whether the manifest at `key` is the newest in `manifests` (by the
/// store's clock).
pub(super) fn is_newest(manifests: &BTreeMap<String, store::Listed>, key: &str) -> bool {
    let Some(ours) = manifests.get(key) else {
        return false;
    };
    manifests
        .iter()
        .filter(|(k, _)| release::release_of(k).is_some())
        .all(|(_, other)| other.last_modified <= ours.last_modified)
}

/// Writes the release manifest, last (see [`ManifestWrite`]): created,
/// or written again over an older release's that is not the newest (a
/// rollback).
pub(super) async fn write_manifest(
    target: &Target,
    manifest: &Release,
    manifests: &BTreeMap<String, store::Listed>,
) -> Result<ManifestWrite, PublishError> {
    let key = release::manifest_key(&manifest.release);
    let (mode, outcome) = match manifests.get(&key) {
        None => (PutMode::Create, ManifestWrite::Written),
        Some(_) if is_newest(manifests, &key) => return Ok(ManifestWrite::Present),
        Some(_) => (PutMode::Overwrite, ManifestWrite::Refreshed),
    };
    let options = PutOptions {
        mode,
        attributes: attributes(target, "application/json; charset=utf-8", "no-cache", None),
        ..PutOptions::default()
    };
    let path = target.path(&key)?;
    match target
        .store
        .put_opts(&path, manifest.to_json().into(), options)
        .await
    {
        Ok(_) => Ok(outcome),
        // Another publisher of the same release finished first.
        Err(object_store::Error::AlreadyExists { .. }) => Ok(ManifestWrite::Present),
        Err(err) => Err(PublishError::store(
            &target.url,
            format!("cannot write the release manifest `{key}`"),
            err,
        )),
    }
}

/// The metadata an object is stored with; none in a local folder, which
/// keeps none (object_store refuses attributes there).
fn attributes(
    target: &Target,
    content_type: &str,
    cache_control: &str,
    content_encoding: Option<&str>,
) -> Attributes {
    let mut attributes = Attributes::new();
    if target.local {
        return attributes;
    }
    attributes.insert(Attribute::ContentType, content_type.to_owned().into());
    attributes.insert(Attribute::CacheControl, cache_control.to_owned().into());
    if let Some(encoding) = content_encoding {
        attributes.insert(Attribute::ContentEncoding, encoding.to_owned().into());
    }
    attributes
}
