//! The table as a native static library, so that rustc never holds its
//! bytes.
//!
//! `include_bytes!` costs rustc about 5 MiB of memory per MB embedded in a
//! dev build and 13 MiB in a release build (the bytes are copied into the
//! constant, LLVM's module, its bitcode and the object file). Linked
//! instead, the table is one data section of an ELF object in a `lib*.a`
//! archive that the build writes itself, streaming the blobs from disk; the
//! generated code declares it as an `extern` static of known length, and
//! only the linker reads it. See BENCHMARKS.md, "Generated code".
//!
//! Written for Linux on x86-64 and AArch64 (ELF64, little-endian): the
//! tests build, link and run x86-64 crates through cargo, and link the
//! AArch64 object with that architecture's binutils. Every other target,
//! and Miri (which cannot read native statics), gets `include_bytes!`.
//! `ASSET_BUILD_EMBED=include_bytes` forces `include_bytes!` everywhere.

use std::io::{self, Write};

/// The environment variable that chooses how the table is embedded:
/// `include_bytes` or `link` (the default where the target allows it).
pub const EMBED_ENV: &str = "ASSET_BUILD_EMBED";

/// How the generated code gets the table's bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Embed {
    /// `include_bytes!` of `table.bin` (the index) and its parts
    /// (`table.1.bin`, ...: whole blobs, at most 1 MiB each unless one
    /// blob is larger).
    IncludeBytes,
    /// An `extern` static from `lib<name>.a`.
    Link,
}

impl Embed {
    /// What the build script's target allows and `ASSET_BUILD_EMBED` asks
    /// for: `include_bytes`, `link`, or unset for the best the target
    /// allows. Anything else, or `link` for a target this crate cannot
    /// write an object for, is an error that says so.
    pub fn from_env() -> Result<Embed, String> {
        Embed::choose(
            &Target::from_env(),
            std::env::var(EMBED_ENV).ok().as_deref(),
        )
    }

    /// [`Embed::Link`] where the target allows it, checked.
    pub(crate) fn check(self) -> Result<Embed, String> {
        if self == Embed::Link {
            return Embed::choose(&Target::from_env(), Some("link"));
        }
        Ok(self)
    }

    fn choose(target: &Target, asked: Option<&str>) -> Result<Embed, String> {
        let linkable = target.linkable();
        match asked.map(str::trim).unwrap_or("") {
            "" if linkable => Ok(Embed::Link),
            "" | "include_bytes" => Ok(Embed::IncludeBytes),
            "link" if linkable => Ok(Embed::Link),
            "link" => Err(format!(
                "the table can be linked only on x86-64 and AArch64 Linux, and this build targets {} {}{}; use `include_bytes` (or leave {EMBED_ENV} unset)",
                or_unknown(&target.arch),
                or_unknown(&target.os),
                if target.miri { " under Miri" } else { "" }
            )),
            other => Err(format!(
                "{EMBED_ENV} is `{other}`; it must be `include_bytes` or `link`"
            )),
        }
    }
}

fn or_unknown(s: &str) -> &str {
    if s.is_empty() { "(unknown)" } else { s }
}

/// What [`Embed::choose`] reads of the target (cargo's `CARGO_CFG_*`).
struct Target {
    arch: String,
    os: String,
    endian: String,
    miri: bool,
}

impl Target {
    fn from_env() -> Target {
        let var = |name: &str| std::env::var(name).unwrap_or_default();
        Target {
            arch: var("CARGO_CFG_TARGET_ARCH"),
            os: var("CARGO_CFG_TARGET_OS"),
            endian: var("CARGO_CFG_TARGET_ENDIAN"),
            miri: std::env::var_os("CARGO_CFG_MIRI").is_some(),
        }
    }

    fn linkable(&self) -> bool {
        Machine::of(&self.arch).is_some()
            && self.os == "linux"
            && self.endian == "little"
            && !self.miri
    }
}

/// The ELF machine of the object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Machine {
    /// `EM_X86_64`.
    X86_64,
    /// `EM_AARCH64`.
    Aarch64,
}

impl Machine {
    fn of(arch: &str) -> Option<Machine> {
        match arch {
            "x86_64" => Some(Machine::X86_64),
            "aarch64" => Some(Machine::Aarch64),
            _ => None,
        }
    }

    /// The machine of the build script's target (cargo's
    /// `CARGO_CFG_TARGET_ARCH`), x86-64 when it is not set.
    pub fn from_env() -> Machine {
        Machine::of(&Target::from_env().arch).unwrap_or(Machine::X86_64)
    }

    fn e_machine(self) -> u16 {
        match self {
            Machine::X86_64 => 62,
            Machine::Aarch64 => 183,
        }
    }
}

const ELF_HEADER: u64 = 64;
const SECTION_HEADER: u64 = 64;
const SYMBOL: u64 = 24;
const DATA_ALIGN: u64 = 16;

/// Section names, NUL-separated, and each one's offset.
const SHSTRTAB: &[u8] = b"\0.rodata.asset_table\0.symtab\0.strtab\0.shstrtab\0.note.GNU-stack\0";
const NAME_RODATA: u32 = 1;
const NAME_SYMTAB: u32 = 21;
const NAME_STRTAB: u32 = 29;
const NAME_SHSTRTAB: u32 = 37;
const NAME_NOTE: u32 = 47;

fn pad(n: u64, align: u64) -> u64 {
    n.div_ceil(align) * align
}

/// The member name of the object inside the archive.
const MEMBER: &str = "asset_table.o/";

/// The size of the archive [`write_archive`] writes for `data_len` bytes
/// under `symbol`.
pub fn archive_len(symbol: &str, data_len: u64) -> u64 {
    let object = object_len(symbol, data_len);
    8 + 60 + pad(symbol_table_len(symbol), 2) + 60 + pad(object, 2)
}

fn symbol_table_len(symbol: &str) -> u64 {
    4 + 4 + symbol.len() as u64 + 1
}

fn strtab(symbol: &str) -> Vec<u8> {
    let mut s = vec![0];
    s.extend_from_slice(symbol.as_bytes());
    s.push(0);
    s
}

/// Offsets inside the object: data, symtab, strtab, shstrtab, section
/// headers, and the total length.
fn object_layout(symbol: &str, data_len: u64) -> [u64; 6] {
    let data = pad(ELF_HEADER, DATA_ALIGN);
    let symtab = pad(data + data_len, 8);
    let strtab = symtab + 2 * SYMBOL;
    let shstrtab = strtab + strtab_len(symbol);
    let headers = pad(shstrtab + SHSTRTAB.len() as u64, 8);
    [
        data,
        symtab,
        strtab,
        shstrtab,
        headers,
        headers + 6 * SECTION_HEADER,
    ]
}

fn strtab_len(symbol: &str) -> u64 {
    symbol.len() as u64 + 2
}

fn object_len(symbol: &str, data_len: u64) -> u64 {
    object_layout(symbol, data_len)[5]
}

/// A GNU `ar` member header.
fn member_header(out: &mut impl Write, name: &str, size: u64) -> io::Result<()> {
    let header = format!("{name:<16}{:<12}{:<6}{:<6}{:<8}{size:<10}`\n", 0, 0, 0, 644);
    debug_assert_eq!(header.len(), 60);
    out.write_all(header.as_bytes())
}

/// Writes `lib<name>.a`: an archive whose one member is an ELF object for
/// `machine` defining `symbol`, `data_len` bytes long, in a read-only
/// section. `data` writes exactly those bytes.
pub fn write_archive<W: Write>(
    out: &mut W,
    machine: Machine,
    symbol: &str,
    data_len: u64,
    data: impl FnOnce(&mut W) -> io::Result<u64>,
) -> io::Result<()> {
    // An archive member's size has ten decimal digits.
    if object_len(symbol, data_len) >= 10_000_000_000 {
        return Err(io::Error::other(format!(
            "the table is {data_len} bytes, more than an archive member holds (10 GB); set {EMBED_ENV}=include_bytes"
        )));
    }
    out.write_all(b"!<arch>\n")?;
    // The symbol index ("/"), so that the linker finds the symbol without
    // scanning: one symbol, in the member that follows.
    let index_len = symbol_table_len(symbol);
    member_header(out, "/", index_len)?;
    let member_at = 8 + 60 + pad(index_len, 2);
    out.write_all(&1u32.to_be_bytes())?;
    out.write_all(&u32::try_from(member_at).expect("small").to_be_bytes())?;
    out.write_all(symbol.as_bytes())?;
    out.write_all(&[0])?;
    if index_len % 2 == 1 {
        out.write_all(b"\n")?;
    }

    let object_len = object_len(symbol, data_len);
    member_header(out, MEMBER, object_len)?;
    let [data_at, symtab, strtab_at, shstrtab, headers, end] = object_layout(symbol, data_len);
    debug_assert_eq!(end, object_len);

    // ELF header: ELF64, little-endian, relocatable, for `machine`; no
    // flags (neither machine defines any an object of data needs).
    let mut h = Vec::with_capacity(64);
    h.extend_from_slice(&[0x7f, b'E', b'L', b'F', 2, 1, 1, 0]);
    h.extend_from_slice(&[0; 8]);
    h.extend_from_slice(&1u16.to_le_bytes()); // ET_REL
    h.extend_from_slice(&machine.e_machine().to_le_bytes());
    h.extend_from_slice(&1u32.to_le_bytes()); // EV_CURRENT
    h.extend_from_slice(&0u64.to_le_bytes()); // entry
    h.extend_from_slice(&0u64.to_le_bytes()); // program headers
    h.extend_from_slice(&headers.to_le_bytes()); // section headers
    h.extend_from_slice(&0u32.to_le_bytes()); // flags
    h.extend_from_slice(&64u16.to_le_bytes()); // header size
    h.extend_from_slice(&0u16.to_le_bytes()); // program header size
    h.extend_from_slice(&0u16.to_le_bytes()); // program headers
    h.extend_from_slice(&64u16.to_le_bytes()); // section header size
    h.extend_from_slice(&6u16.to_le_bytes()); // sections
    h.extend_from_slice(&4u16.to_le_bytes()); // .shstrtab's index
    h.resize(data_at as usize, 0);
    out.write_all(&h)?;

    let written = data(out)?;
    if written != data_len {
        return Err(io::Error::other(format!(
            "the table changed size while it was written ({written} bytes, not {data_len})"
        )));
    }
    out.write_all(&vec![0; (symtab - data_at - data_len) as usize])?;

    // Symbols: the null one, then the table, global, hidden (not exported
    // from a shared library), at the start of section 1.
    let mut s = vec![0u8; SYMBOL as usize];
    s.extend_from_slice(&1u32.to_le_bytes()); // name: offset 1 in .strtab
    s.push(0x11); // STB_GLOBAL, STT_OBJECT
    s.push(2); // STV_HIDDEN
    s.extend_from_slice(&1u16.to_le_bytes()); // section 1
    s.extend_from_slice(&0u64.to_le_bytes()); // value
    s.extend_from_slice(&data_len.to_le_bytes()); // size
    out.write_all(&s)?;
    out.write_all(&strtab(symbol))?;
    out.write_all(SHSTRTAB)?;
    out.write_all(&vec![
        0;
        (headers - shstrtab - SHSTRTAB.len() as u64) as usize
    ])?;

    // Section headers: null, .rodata.asset_table, .symtab, .strtab,
    // .shstrtab, and an empty .note.GNU-stack (no executable stack).
    let section = |name: u32,
                   kind: u32,
                   flags: u64,
                   offset: u64,
                   size: u64,
                   link: u32,
                   info: u32,
                   align: u64,
                   entsize: u64| {
        let mut s = Vec::with_capacity(64);
        s.extend_from_slice(&name.to_le_bytes());
        s.extend_from_slice(&kind.to_le_bytes());
        s.extend_from_slice(&flags.to_le_bytes());
        s.extend_from_slice(&0u64.to_le_bytes()); // address
        s.extend_from_slice(&offset.to_le_bytes());
        s.extend_from_slice(&size.to_le_bytes());
        s.extend_from_slice(&link.to_le_bytes());
        s.extend_from_slice(&info.to_le_bytes());
        s.extend_from_slice(&align.to_le_bytes());
        s.extend_from_slice(&entsize.to_le_bytes());
        s
    };
    const PROGBITS: u32 = 1;
    const SYMTAB: u32 = 2;
    const STRTAB: u32 = 3;
    const ALLOC: u64 = 2;
    let sections = [
        vec![0; SECTION_HEADER as usize],
        section(
            NAME_RODATA,
            PROGBITS,
            ALLOC,
            data_at,
            data_len,
            0,
            0,
            DATA_ALIGN,
            0,
        ),
        // link: .strtab; info: the first global symbol.
        section(NAME_SYMTAB, SYMTAB, 0, symtab, 2 * SYMBOL, 3, 1, 8, SYMBOL),
        section(
            NAME_STRTAB,
            STRTAB,
            0,
            strtab_at,
            strtab_len(symbol),
            0,
            0,
            1,
            0,
        ),
        section(
            NAME_SHSTRTAB,
            STRTAB,
            0,
            shstrtab,
            SHSTRTAB.len() as u64,
            0,
            0,
            1,
            0,
        ),
        section(NAME_NOTE, PROGBITS, 0, headers, 0, 0, 0, 1, 0),
    ];
    for s in sections {
        out.write_all(&s)?;
    }
    if object_len % 2 == 1 {
        out.write_all(b"\n")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_target_and_the_variable_choose_the_embedding() {
        let target = |arch: &str, os: &str, miri| Target {
            arch: arch.into(),
            os: os.into(),
            endian: "little".into(),
            miri,
        };
        let linux = target("x86_64", "linux", false);
        assert_eq!(Embed::choose(&linux, None), Ok(Embed::Link));
        assert_eq!(Embed::choose(&linux, Some("")), Ok(Embed::Link));
        assert_eq!(
            Embed::choose(&linux, Some("include_bytes")),
            Ok(Embed::IncludeBytes)
        );
        assert_eq!(Embed::choose(&linux, Some(" link ")), Ok(Embed::Link));
        let mac = target("aarch64", "macos", false);
        assert_eq!(Embed::choose(&mac, None), Ok(Embed::IncludeBytes));
        let err = Embed::choose(&mac, Some("link")).unwrap_err();
        assert!(err.contains("targets aarch64 macos"), "{err}");
        let miri = target("x86_64", "linux", true);
        assert_eq!(Embed::choose(&miri, None), Ok(Embed::IncludeBytes));
        assert!(
            Embed::choose(&miri, Some("link"))
                .unwrap_err()
                .contains("under Miri")
        );
        let err = Embed::choose(&linux, Some("includebytes")).unwrap_err();
        assert_eq!(
            err,
            "ASSET_BUILD_EMBED is `includebytes`; it must be `include_bytes` or `link`"
        );
    }

    #[test]
    fn the_names_are_where_the_headers_say() {
        for (offset, name) in [
            (NAME_RODATA, ".rodata.asset_table"),
            (NAME_SYMTAB, ".symtab"),
            (NAME_STRTAB, ".strtab"),
            (NAME_SHSTRTAB, ".shstrtab"),
            (NAME_NOTE, ".note.GNU-stack"),
        ] {
            let rest = &SHSTRTAB[offset as usize..];
            let end = rest.iter().position(|&b| b == 0).unwrap();
            assert_eq!(&rest[..end], name.as_bytes());
        }
    }

    #[test]
    fn the_archive_is_as_long_as_announced() {
        for (symbol, len) in [("a", 0), ("asset_table_x", 1), ("sym", 4097)] {
            let mut out = Vec::new();
            write_archive(&mut out, Machine::X86_64, symbol, len, |w| {
                w.write_all(&vec![7; len as usize])?;
                Ok(len)
            })
            .unwrap();
            assert_eq!(out.len() as u64, archive_len(symbol, len), "{symbol} {len}");
        }
    }

    #[test]
    fn a_table_too_large_for_an_archive_is_an_error() {
        let err = write_archive(
            &mut Vec::new(),
            Machine::X86_64,
            "s",
            10_000_000_000,
            |_| Ok(0),
        )
        .unwrap_err();
        assert!(err.to_string().contains("include_bytes"), "{err}");
    }

    #[test]
    fn a_short_table_is_an_error_not_a_bad_archive() {
        let err = write_archive(&mut Vec::new(), Machine::X86_64, "s", 10, |w| {
            w.write_all(b"abc")?;
            Ok(3)
        })
        .unwrap_err();
        assert!(err.to_string().contains("3 bytes, not 10"), "{err}");
    }

    /// A fresh folder holding `libt.a`: `data` under `symbol` for `machine`.
    fn archive_in(name: &str, machine: Machine, symbol: &str, data: &[u8]) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("asset-link-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut out = Vec::new();
        write_archive(&mut out, machine, symbol, data.len() as u64, |w| {
            w.write_all(data)?;
            Ok(data.len() as u64)
        })
        .unwrap();
        std::fs::write(dir.join("libt.a"), &out).unwrap();
        dir
    }

    /// Runs a binutils program in `dir`; its standard output.
    fn run_in(dir: &std::path::Path, program: &str, args: &[&str]) -> Vec<u8> {
        let output = std::process::Command::new(program)
            .current_dir(dir)
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("{program} runs (binutils; `bash tests/setup.sh` installs the AArch64 ones): {e}"));
        assert!(
            output.status.success(),
            "{program} {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        output.stdout
    }

    /// The system's own tools read the archive: `nm` lists the symbol with
    /// its size, `ar x` takes the object out and `objcopy` its section,
    /// exactly the bytes.
    #[test]
    fn binutils_read_the_symbol_and_the_bytes() {
        let data: Vec<u8> = (0..1001u32).map(|i| (i * 7) as u8).collect();
        let dir = archive_in("x86", Machine::X86_64, "asset_table_test", &data);
        let listing =
            String::from_utf8(run_in(&dir, "nm", &["-S", "--defined-only", "libt.a"])).unwrap();
        assert!(
            listing.contains("00000000000003e9 R asset_table_test"),
            "{listing}"
        );
        run_in(&dir, "ar", &["x", "libt.a"]);
        run_in(
            &dir,
            "objcopy",
            &[
                "-O",
                "binary",
                "--only-section=.rodata.asset_table",
                "asset_table.o",
                "section.bin",
            ],
        );
        let bytes = std::fs::read(dir.join("section.bin")).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(bytes, data);
    }

    /// AArch64: the object links into an executable with that
    /// architecture's binutils (`tests/setup.sh` installs them), through
    /// the GOT as position-independent code reaches it and directly, and
    /// the executable's read-only data holds exactly the bytes.
    #[test]
    fn an_aarch64_program_links_the_table() {
        let tool = |name: &str| format!("aarch64-linux-gnu-{name}");
        let data: Vec<u8> = (0..4099u32).map(|i| (i * 13 + 5) as u8).collect();
        let dir = archive_in("a64", Machine::Aarch64, "asset_table_a64", &data);
        std::fs::write(
            dir.join("start.s"),
            "    .text\n    .globl _start\n_start:\n\
             \x20   adrp x0, :got:asset_table_a64\n\
             \x20   ldr x0, [x0, :got_lo12:asset_table_a64]\n\
             \x20   adrp x1, asset_table_a64\n\
             \x20   add x1, x1, :lo12:asset_table_a64\n\
             \x20   b .\n",
        )
        .unwrap();
        run_in(&dir, &tool("as"), &["start.s", "-o", "start.o"]);
        run_in(
            &dir,
            &tool("ld"),
            &["-pie", "start.o", "-L.", "-lt", "-o", "prog"],
        );
        let symbols = String::from_utf8(run_in(&dir, &tool("nm"), &["-S", "prog"])).unwrap();
        assert!(
            symbols
                .lines()
                .any(|l| l.ends_with(" asset_table_a64") && l.contains(" 0000000000001003 ")),
            "{symbols}"
        );
        run_in(
            &dir,
            &tool("objcopy"),
            &[
                "-O",
                "binary",
                "--only-section=.rodata",
                "prog",
                "rodata.bin",
            ],
        );
        let rodata = std::fs::read(dir.join("rodata.bin")).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(rodata, data);
    }
}
