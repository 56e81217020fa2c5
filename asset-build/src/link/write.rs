//! Writing the object (`object`) and the library around it
//! (`ar_archive_writer`).
//!
//! The table is written to a file first, and both writers read their
//! input through a memory map: the object's section borrows the table's
//! pages and the archive's member borrows the object's, so the build
//! script never holds the table in its heap, and the disk holds at most
//! two copies of it while the library is written (the table and the
//! object, then the object and the library).

use std::fs::{self, File};
use std::io::{self, BufWriter, Seek, Write};
use std::path::{Path, PathBuf};

use ar_archive_writer::{DEFAULT_OBJECT_READER, NewArchiveMember, write_archive_to_stream};
use object::write::{MachOBuildVersion, Mangling, Object, StandardSection, Symbol, SymbolSection};
use object::{BinaryFormat, FileFlags, SectionKind, SymbolFlags, SymbolKind, SymbolScope, elf};

use super::{EMBED_ENV, Format};
use crate::Error;

/// The object's name inside the library.
const MEMBER: &str = "asset_table.o";

/// The library's file name for the symbol `name`: `lib<name>.a`, or
/// `<name>.lib` for MSVC.
pub(crate) fn library_file(format: &Format, name: &str) -> String {
    if format.msvc {
        format!("{name}.lib")
    } else {
        format!("lib{name}.a")
    }
}

/// The symbol of a library file this crate writes, for any target.
pub(crate) fn is_library(file: &str) -> Option<&str> {
    file.strip_prefix("lib")
        .and_then(|f| f.strip_suffix(".a"))
        .or_else(|| file.strip_suffix(".lib"))
        .filter(|symbol| symbol.starts_with("asset_table_"))
}

/// The largest table an object of `format` holds inside an archive: a
/// member's size has ten decimal digits, and the 32-bit formats (ELF32,
/// Mach-O's section offsets, COFF's section sizes) stop at 4 GiB.
fn largest_table(format: &Format) -> u64 {
    let wide_offsets = format.binary == BinaryFormat::Elf
        && format.arch.address_size().is_some_and(|s| s.bytes() == 8);
    let slack = 1 << 16;
    if wide_offsets {
        9_999_999_999 - slack
    } else {
        u64::from(u32::MAX) - slack
    }
}

/// Writes the library at `path`: an archive whose one member is an object
/// for `format` defining `symbol` as the `len` bytes that `data` writes
/// (it gets the file it writes to, for its errors), in a read-only section
/// of their own.
pub(crate) fn write_library(
    path: &Path,
    format: &Format,
    symbol: &str,
    len: u64,
    data: impl FnOnce(&mut BufWriter<File>, &Path) -> Result<u64, Error>,
) -> Result<(), Error> {
    let write_err = |path: &Path, source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let largest = largest_table(format);
    if len > largest {
        return Err(write_err(
            path,
            io::Error::other(format!(
                "the table is {len} bytes, more than a {:?} object in an archive holds ({largest} bytes); set {EMBED_ENV}=include_bytes",
                format.binary
            )),
        ));
    }
    let table_path = beside(path, ".table.tmp");
    let object_path = beside(path, ".o.tmp");
    let written = (|| {
        write_file(&table_path, |out| {
            let written = data(out, &table_path)?;
            if written != len {
                return Err(write_err(
                    &table_path,
                    io::Error::other(format!(
                        "the table changed size while it was written ({written} bytes, not {len})"
                    )),
                ));
            }
            Ok(())
        })?;
        let table = map(&table_path).map_err(|e| write_err(&table_path, e))?;
        write_file(&object_path, |out| {
            write_object(format, symbol, &table, out).map_err(|e| write_err(&object_path, e))
        })?;
        drop(table);
        let _ = fs::remove_file(&table_path);
        let object = map(&object_path).map_err(|e| write_err(&object_path, e))?;
        crate::emit::write_streamed(path, |out| {
            write_archive(format, &object, out).map_err(|e| write_err(path, e))
        })
    })();
    let _ = fs::remove_file(&table_path);
    let _ = fs::remove_file(&object_path);
    written
}

/// `path` with `suffix` added to its name.
fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Writes a scratch file (no fsync: it is removed once read).
fn write_file(
    path: &Path,
    body: impl FnOnce(&mut BufWriter<File>) -> Result<(), Error>,
) -> Result<(), Error> {
    let write_err = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let mut out = BufWriter::with_capacity(1 << 20, File::create(path).map_err(write_err)?);
    body(&mut out)?;
    out.flush().map_err(write_err)
}

/// The file's bytes, mapped read-only.
#[allow(unsafe_code)]
fn map(path: &Path) -> io::Result<Mapped> {
    let file = File::open(path)?;
    if file.metadata()?.len() == 0 {
        return Ok(Mapped(None));
    }
    // SAFETY: the file is this build's own scratch file in its output
    // folder; nothing else writes it while the map lives.
    Ok(Mapped(Some(unsafe { memmap2::Mmap::map(&file)? })))
}

/// A read-only map (none for an empty file, which cannot be mapped).
struct Mapped(Option<memmap2::Mmap>);

impl std::ops::Deref for Mapped {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        self.0.as_deref().unwrap_or(&[])
    }
}

/// The object: `data` in a read-only section of its own (`.rodata.asset_table`,
/// `__TEXT,__const`, `.rdata$asset_table`), 16-byte aligned, under the
/// global `symbol`, hidden from other linked units where the format can
/// say so. The format's own mangling applies (`_` on Mach-O and 32-bit
/// Windows, as rustc expects).
pub(crate) fn object<'a>(format: &Format, symbol: &str, data: &'a [u8]) -> Object<'a> {
    let mut obj = Object::new(format.binary, format.arch, format.endian);
    obj.set_sub_architecture(format.sub_arch);
    match format.binary {
        BinaryFormat::Elf => {
            obj.flags = FileFlags::Elf {
                os_abi: elf::ELFOSABI_NONE,
                abi_version: 0,
                e_flags: format.e_flags,
            };
            // No executable stack.
            obj.add_section(
                Vec::new(),
                b".note.GNU-stack".to_vec(),
                SectionKind::Elf(elf::SHT_PROGBITS),
            );
        }
        BinaryFormat::MachO => {
            if let Some((platform, minos)) = format.build_version {
                let mut version = MachOBuildVersion::default();
                version.platform = platform;
                version.minos = minos;
                version.sdk = minos;
                obj.set_macho_build_version(version);
            }
        }
        BinaryFormat::Coff => {
            // `@feat.00`: bit 0 says the object is safe for SAFESEH,
            // which 32-bit x86 linkers require of every input (it holds
            // no code, so no handlers).
            let mangling = obj.mangling();
            obj.set_mangling(Mangling::None);
            obj.add_symbol(Symbol {
                name: b"@feat.00".to_vec(),
                value: u64::from(format.arch == object::Architecture::I386),
                size: 0,
                kind: SymbolKind::Data,
                scope: SymbolScope::Compilation,
                weak: false,
                section: SymbolSection::Absolute,
                flags: SymbolFlags::None,
            });
            obj.set_mangling(mangling);
        }
        _ => {}
    }
    let section = obj.add_subsection(StandardSection::ReadOnlyData, b"asset_table");
    obj.set_section_data(section, data, 16);
    obj.add_symbol(Symbol {
        name: symbol.as_bytes().to_vec(),
        value: 0,
        size: data.len() as u64,
        kind: SymbolKind::Data,
        scope: SymbolScope::Linkage,
        weak: false,
        section: SymbolSection::Section(section),
        flags: SymbolFlags::None,
    });
    obj
}

/// Writes the object (see [`object`]) to `out`.
pub(crate) fn write_object(
    format: &Format,
    symbol: &str,
    data: &[u8],
    out: impl Write,
) -> io::Result<()> {
    object(format, symbol, data)
        .write_stream(out)
        .map_err(|e| io::Error::other(format!("writing the object: {e}")))
}

/// Writes the archive of the format's kind, with a symbol table, whose one
/// member is `object`.
pub(crate) fn write_archive(
    format: &Format,
    object: &[u8],
    out: &mut (impl Write + Seek),
) -> io::Result<()> {
    let member = NewArchiveMember::new(object, &DEFAULT_OBJECT_READER, MEMBER.to_owned());
    write_archive_to_stream(out, &[member], format.archive, false, None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::link::Target;

    fn format(triple: &str) -> Format {
        Target::parse_for_tests(triple).format().unwrap()
    }

    #[test]
    fn library_names_follow_the_target() {
        let msvc = format("x86_64-pc-windows-msvc");
        let linux = format("x86_64-unknown-linux-gnu");
        assert_eq!(library_file(&msvc, "asset_table_1"), "asset_table_1.lib");
        assert_eq!(library_file(&linux, "asset_table_1"), "libasset_table_1.a");
        assert_eq!(is_library("asset_table_1.lib"), Some("asset_table_1"));
        assert_eq!(is_library("libasset_table_1.a"), Some("asset_table_1"));
        assert_eq!(is_library("libother.a"), None);
        assert_eq!(is_library("table.bin"), None);
    }

    #[test]
    fn a_table_too_large_for_the_format_is_an_error_before_anything_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("libasset_table_x.a");
        for (triple, len) in [
            ("aarch64-apple-darwin", 5 << 30),
            ("x86_64-pc-windows-msvc", 5 << 30),
            ("i686-unknown-linux-gnu", 5 << 30),
            ("x86_64-unknown-linux-gnu", 10_000_000_000),
        ] {
            let err = write_library(&path, &format(triple), "s", len, |_, _| {
                panic!("{triple}: nothing is written")
            })
            .unwrap_err()
            .to_string();
            assert!(
                err.contains(&format!("the table is {len} bytes"))
                    && err.contains("ASSET_BUILD_EMBED=include_bytes"),
                "{triple}: {err}"
            );
        }
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn a_short_table_is_an_error_and_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("libasset_table_x.a");
        let err = write_library(
            &path,
            &format("x86_64-unknown-linux-gnu"),
            "s",
            10,
            |out, _| {
                out.write_all(b"abc").unwrap();
                Ok(3)
            },
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("3 bytes, not 10"), "{err}");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    /// The same input gives the same bytes: no time stamp, no process id.
    #[test]
    fn the_library_is_deterministic() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str| {
            let path = dir.path().join(name);
            write_library(&path, &format("aarch64-apple-darwin"), "s", 5, |out, _| {
                out.write_all(b"hello").unwrap();
                Ok(5)
            })
            .unwrap();
            std::fs::read(path).unwrap()
        };
        assert_eq!(write("liba.a"), write("libb.a"));
    }
}
