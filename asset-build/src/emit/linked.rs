//! The table as static libraries: the index in one, each run of smaller
//! blobs between large ones in one, and each large blob in a library of
//! its own. A library is named by its content (and the output folder),
//! and one that is already there is not written again, so an edit of a
//! stylesheet beside a 200 MB video rewrites the index and the run the
//! stylesheet is in, not the video: the build neither copies nor syncs
//! those 200 MB again (BENCHMARKS.md, "Large files in a debug build").
//! The runtime reads the parts as it reads `include_bytes!` parts: one
//! data, end to end.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use super::{HEADER, Packed, RT, Table, lit, record_places, write_blobs};
use crate::Error;
use crate::link;
use crate::store::BlobStore;

/// A blob at least this large gets a library of its own.
const OWN_LIBRARY: u64 = 4 << 20;

/// One library's share of the data.
enum Part<'a> {
    Index,
    Blobs(&'a [(String, u64)]),
}

impl Table {
    /// The index, then the blobs in order: runs of smaller ones, and each
    /// large one alone; empty runs left out.
    fn link_parts(&self) -> Vec<(Part<'_>, u64)> {
        fn push<'a>(parts: &mut Vec<(Part<'a>, u64)>, blobs: &'a [(String, u64)]) {
            let len: u64 = blobs.iter().map(|(_, len)| len).sum();
            if len > 0 {
                parts.push((Part::Blobs(blobs), len));
            }
        }
        let mut parts = vec![(Part::Index, self.index.len() as u64)];
        let mut run = 0;
        for (i, (_, len)) in self.order.iter().enumerate() {
            if *len >= OWN_LIBRARY {
                push(&mut parts, &self.order[run..i]);
                push(&mut parts, &self.order[i..=i]);
                run = i + 1;
            }
        }
        push(&mut parts, &self.order[run..]);
        parts
    }
}

/// What [`emit`] gives: the code that declares the libraries, their file
/// names, and where each blob is in them.
type Linked = (String, Vec<String>, BTreeMap<String, Packed>);

/// Writes the libraries that are not there yet, and returns the code that
/// declares them, their names (the others are the caller's to remove, once
/// the store no longer names them) and where each blob is in them.
pub(super) fn emit(
    table: &Table,
    store: &BlobStore,
    output: &Path,
    prefix: &str,
    format: &link::Format,
) -> Result<Linked, Error> {
    let parts = table.link_parts();
    let mut files = Vec::with_capacity(parts.len());
    let mut packed = BTreeMap::new();
    let mut externs = String::new();
    let mut list = String::new();
    for (k, (part, len)) in parts.iter().enumerate() {
        // The name follows the part's contents, the output folder (one
        // per crate and profile) and the writer's version, so that two
        // crates' tables never clash in one binary, and a stale library
        // can only fail to link.
        let mut name = xxhash_rust::xxh3::Xxh3::new();
        name.update(b"asset-table-object-3\0");
        match part {
            Part::Index => {
                name.update(b"index\0");
                name.update(&table.index);
            }
            Part::Blobs(blobs) => {
                for (blob, _) in *blobs {
                    name.update(blob.as_bytes());
                    name.update(b"\0");
                }
            }
        }
        name.update(output.as_os_str().as_encoded_bytes());
        let symbol = format!("asset_table_{:016x}", name.digest());
        let file = link::library_file(format, &symbol);
        let path = output.join(&file);
        // Renamed into place only once whole, so one that is there is right.
        let data_at = if path.is_file() {
            // Where its data starts, as the store found it last time.
            match part {
                Part::Blobs(blobs) => store
                    .packed(&blobs[0].0)
                    .filter(|p| p.file == file)
                    .map(|p| p.at),
                Part::Index => None,
            }
        } else {
            let at = link::write_library(&path, format, &symbol, *len, |out, dest| match part {
                Part::Index => {
                    out.write_all(&table.index).map_err(|source| Error::Write {
                        path: dest.to_path_buf(),
                        source,
                    })?;
                    Ok(table.index.len() as u64)
                }
                Part::Blobs(blobs) => write_blobs(store, blobs, out, dest),
            })?;
            Some(at)
        };
        if let (Part::Blobs(blobs), Some(at)) = (part, data_at) {
            record_places(&mut packed, &file, at, blobs);
        }
        files.push(file);
        let _ = write!(
            externs,
            "    #[link(name = \"{symbol}\", kind = \"static\")]\n    unsafe extern \"C\" {{\n        #[link_name = \"{symbol}\"]\n        static PART_{k}: [u8; {len}];\n    }}\n"
        );
        let _ = writeln!(list, "        unsafe {{ &PART_{k} }},");
    }
    let code = format!(
        "{HEADER}{{\n{externs}    // SAFETY: each library defines its symbol as that many bytes, never written.\n    static PARTS: [&[u8]; {n}] = [\n{list}    ];\n    {RT}::Assets::__packed_v2(&PARTS, {})\n}}\n",
        lit(prefix),
        n = parts.len(),
    );
    Ok((code, files, packed))
}
