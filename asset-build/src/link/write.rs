//! Writing the object (`object`) and the library around it
//! (`ar_archive_writer`), with the table streamed rather than held.
//!
//! Both writers want the bytes they write as one slice. They get the
//! object with its table section left as zeros in memory the process
//! never touches (a zeroed allocation of that size: the system maps no
//! page for it until it is written, and reading it maps none either),
//! and the archive goes straight to its file; then the table is streamed
//! from the blob store over those zeros, at the place the archive writer
//! put the member. The build script's memory stays that of the headers
//! whatever the table's size, and the table is written to disk once.

use std::fs::File;
use std::io::{self, BufWriter, Seek, SeekFrom, Write};
use std::path::Path;

use ar_archive_writer::{DEFAULT_OBJECT_READER, NewArchiveMember, write_archive_to_stream};
use object::write::{
    MachOBuildVersion, Mangling, Object, StandardSection, Symbol, SymbolSection, WritableBuffer,
};
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
/// (it gets the library's path, for its errors), in a read-only section
/// of their own. The file is renamed into place only once whole. Returns
/// where in the file the bytes are.
pub(crate) fn write_library(
    path: &Path,
    format: &Format,
    symbol: &str,
    len: u64,
    data: impl FnOnce(&mut BufWriter<File>, &Path) -> Result<u64, Error>,
) -> Result<u64, Error> {
    let write_err = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let largest = largest_table(format);
    if len > largest {
        return Err(write_err(io::Error::other(format!(
            "the table is {len} bytes, more than a {:?} object in an archive holds ({largest} bytes); set {EMBED_ENV}=include_bytes",
            format.binary
        ))));
    }
    let zeros = vec![
        0u8;
        usize::try_from(len)
            .map_err(io::Error::other)
            .map_err(write_err)?
    ];
    let mut image = Image::new(&zeros);
    object(format, symbol, &zeros)
        .emit(&mut image)
        .map_err(|e| write_err(io::Error::other(format!("writing the object: {e}"))))?;
    let data_at = image.data_at(len).map_err(write_err)?;
    let mut start = 0;
    crate::emit::write_streamed(path, |out| {
        let member_at = write_archive(format, image.bytes(), out).map_err(write_err)?;
        start = member_at + data_at;
        out.seek(SeekFrom::Start(start)).map_err(write_err)?;
        let written = data(out, path)?;
        if written != len {
            return Err(write_err(io::Error::other(format!(
                "the table changed size while it was written ({written} bytes, not {len})"
            ))));
        }
        Ok(())
    })?;
    Ok(start)
}

/// The object as the writer emits it, in a zeroed allocation reserved at
/// the object's size: everything but the table section is copied in, and
/// the section's place is only noted.
struct Image<'d> {
    bytes: Vec<u8>,
    len: usize,
    /// The section's bytes, recognised by their address.
    table: &'d [u8],
    table_at: Option<usize>,
}

impl<'d> Image<'d> {
    fn new(table: &'d [u8]) -> Image<'d> {
        Image {
            bytes: Vec::new(),
            len: 0,
            table,
            table_at: None,
        }
    }

    /// Makes room for `end` bytes; the writers reserve the whole size
    /// first, so this allocates once, zeroed and untouched.
    fn room(&mut self, end: usize) {
        if self.bytes.len() < end {
            let mut bigger = vec![0u8; end];
            bigger[..self.len].copy_from_slice(&self.bytes[..self.len]);
            self.bytes = bigger;
        }
    }

    fn bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }

    /// Where the table's bytes go in the object.
    fn data_at(&self, len: u64) -> io::Result<u64> {
        match self.table_at {
            Some(at) => Ok(at as u64),
            None if len == 0 => Ok(0),
            None => Err(io::Error::other(
                "the object writer did not write the table's section",
            )),
        }
    }
}

impl WritableBuffer for Image<'_> {
    fn len(&self) -> usize {
        self.len
    }

    fn reserve(&mut self, size: usize) -> Result<(), ()> {
        self.room(size);
        Ok(())
    }

    fn resize(&mut self, new_len: usize) {
        // Past `len` the allocation is still zeros.
        self.room(new_len);
        self.len = new_len;
    }

    fn write_bytes(&mut self, val: &[u8]) {
        let end = self.len + val.len();
        self.room(end);
        if !val.is_empty() && std::ptr::eq(val, self.table) {
            self.table_at = Some(self.len);
        } else {
            self.bytes[self.len..end].copy_from_slice(val);
        }
        self.len = end;
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

/// Writes the archive of the format's kind, with a symbol table, whose one
/// member is `object`; returns where the member's bytes start in `out`.
pub(crate) fn write_archive(
    format: &Format,
    object: &[u8],
    out: &mut (impl Write + Seek),
) -> io::Result<u64> {
    let member = NewArchiveMember::new(object, &DEFAULT_OBJECT_READER, MEMBER.to_owned());
    let mut placing = Placing {
        out,
        member: object,
        member_at: None,
    };
    write_archive_to_stream(&mut placing, &[member], format.archive, false, None)?;
    placing
        .member_at
        .ok_or_else(|| io::Error::other("the archive writer did not write the object"))
}

/// A writer that notes where the member's bytes (recognised by their
/// address) begin.
struct Placing<'a, W> {
    out: &'a mut W,
    member: &'a [u8],
    member_at: Option<u64>,
}

impl<W: Write + Seek> Write for Placing<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.member_at.is_none()
            && !buf.is_empty()
            && std::ptr::eq(buf.as_ptr(), self.member.as_ptr())
        {
            self.member_at = Some(self.out.stream_position()?);
        }
        self.out.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

impl<W: Write + Seek> Seek for Placing<'_, W> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.out.seek(pos)
    }
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

    /// The library streamed over zeros is byte for byte the one the
    /// writers give with the table in memory, for every format.
    #[test]
    fn the_streamed_library_is_the_one_written_in_memory() {
        let dir = tempfile::tempdir().unwrap();
        let data: Vec<u8> = (0..70_001u32).map(|i| (i * 31 + 7) as u8).collect();
        for triple in [
            "x86_64-unknown-linux-gnu",
            "i686-unknown-linux-gnu",
            "aarch64-apple-darwin",
            "x86_64-pc-windows-msvc",
            "i686-pc-windows-gnu",
        ] {
            let format = format(triple);
            let path = dir.path().join(triple);
            write_library(
                &path,
                &format,
                "asset_table_t",
                data.len() as u64,
                |out, _| {
                    out.write_all(&data).unwrap();
                    Ok(data.len() as u64)
                },
            )
            .unwrap();
            let object = object(&format, "asset_table_t", &data).write().unwrap();
            let mut expected = io::Cursor::new(Vec::new());
            let member = NewArchiveMember::new(&object, &DEFAULT_OBJECT_READER, MEMBER.to_owned());
            write_archive_to_stream(&mut expected, &[member], format.archive, false, None).unwrap();
            assert!(
                std::fs::read(&path).unwrap() == expected.into_inner(),
                "{triple}: the streamed library differs"
            );
        }
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
