//! Proof without the machines: for each format, the library is read back
//! by LLVM's tools (the symbol, its size, the exact bytes) and linked by
//! that format's own linker into a shared library with a stub object that
//! the target's assembler wrote (`ld.lld`, `ld64.lld`, `lld-link`, the
//! mingw-w64 and AArch64 binutils; `bash tests/setup.sh` installs them).
//! The linked file is then read back too: the symbol is where its section
//! holds exactly the table's bytes.

use std::path::{Path, PathBuf};
use std::process::Command;

use object::{Object as _, ObjectSection as _, ObjectSymbol as _};

use super::write::{library_file, write_library};
use super::{Format, Target};

/// The LLVM tool `name`: from `llvm-config --bindir`, where Debian keeps
/// `ld64.lld` and the unversioned names.
fn llvm(name: &str) -> PathBuf {
    let out = Command::new("llvm-config")
        .arg("--bindir")
        .output()
        .expect("llvm-config runs (`bash tests/setup.sh` installs LLVM and lld)");
    PathBuf::from(String::from_utf8(out.stdout).unwrap().trim()).join(name)
}

/// Runs `program` in `dir`; its standard output, and its standard error.
fn run_in(dir: &Path, program: impl AsRef<std::ffi::OsStr>, args: &[&str]) -> (String, String) {
    let program = program.as_ref();
    let output = Command::new(program)
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program:?} runs (`bash tests/setup.sh` installs it): {e}"));
    assert!(
        output.status.success(),
        "{program:?} {args:?}: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// Bytes that differ at every offset, `len` of them.
fn table(len: usize, seed: u32) -> Vec<u8> {
    (0..len as u32)
        .map(|i| (i.wrapping_mul(2_654_435_761).wrapping_add(seed) >> 11) as u8)
        .collect()
}

/// A fresh folder holding the library of `data` for `triple`.
fn library(triple: &str, symbol: &str, data: &[u8]) -> (PathBuf, Format, String) {
    let format = Target::parse_for_tests(triple)
        .format()
        .unwrap_or_else(|| panic!("{triple} links"));
    let dir = std::env::temp_dir().join(format!("asset-link-{symbol}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = library_file(&format, symbol);
    write_library(
        &dir.join(&file),
        &format,
        symbol,
        data.len() as u64,
        |out, _| {
            std::io::Write::write_all(out, data).unwrap();
            Ok(data.len() as u64)
        },
    )
    .unwrap();
    let left: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(
        left,
        std::slice::from_ref(&file),
        "no scratch file is left behind"
    );
    (dir, format, file)
}

/// LLVM's tools read the library: `llvm-nm` lists the (mangled) symbol
/// (with its size, in ELF: Mach-O and COFF symbols have none, and the
/// section is the table's alone), `llvm-ar` takes the object out and
/// `llvm-objcopy` its section, exactly the bytes.
fn read_back(dir: &Path, file: &str, mangled: &str, section: &str, data: &[u8]) {
    let (listing, _) = run_in(dir, llvm("llvm-nm"), &["-S", "--defined-only", file]);
    let elf = section.starts_with(".rodata");
    let sized = |line: &str| {
        let fields: Vec<&str> = line.split_whitespace().collect();
        fields.len() == 4
            && fields[3] == mangled
            && (!elf || u64::from_str_radix(fields[1], 16) == Ok(data.len() as u64))
    };
    assert!(listing.lines().any(sized), "{file}: {listing}");
    let (members, _) = run_in(dir, llvm("llvm-ar"), &["t", file]);
    assert_eq!(members.trim(), "asset_table.o");
    run_in(dir, llvm("llvm-ar"), &["x", file]);
    let section = if section.starts_with(".rdata") {
        // LLVM 14's objcopy cannot copy a COFF section out: the `object`
        // crate's reader does.
        let bytes = std::fs::read(dir.join("asset_table.o")).unwrap();
        let object = object::File::parse(&*bytes).unwrap();
        let found = object
            .section_by_name(section)
            .expect("the table's section");
        found.data().unwrap().to_vec()
    } else {
        run_in(
            dir,
            llvm("llvm-objcopy"),
            &[
                "--dump-section",
                &format!("{section}=section.bin"),
                "asset_table.o",
                "copy.o",
            ],
        );
        std::fs::read(dir.join("section.bin")).unwrap()
    };
    assert!(
        section == data,
        "{file}: {} bytes in the section, {} in the table",
        section.len(),
        data.len()
    );
}

/// The linked file holds the symbol, and at its address exactly the bytes.
fn linked_bytes_at(path: &Path, mangled: &str, data: &[u8]) {
    let bytes = std::fs::read(path).unwrap();
    let file = object::File::parse(&*bytes).unwrap();
    let symbol = file
        .symbols()
        .find(|s| s.name() == Ok(mangled))
        .unwrap_or_else(|| panic!("{}: no {mangled}", path.display()));
    let section = file
        .sections()
        .find(|s| s.address() <= symbol.address() && symbol.address() < s.address() + s.size())
        .unwrap_or_else(|| panic!("{}: {mangled} is in no section", path.display()));
    let at = (symbol.address() - section.address()) as usize;
    let contents = section.data().unwrap();
    assert!(
        contents.get(at..at + data.len()) == Some(data),
        "{}: the bytes at {mangled} differ from the table's",
        path.display()
    );
}

/// A shared library linked by `ld.lld` from a stub (assembled for the
/// target by `llvm-mc`, with its float ABI) that points at the table.
fn elf_links_with_lld(triple: &str, mc: &[&str], word: &str) {
    elf_links_with_lld_after(triple, mc, word, "");
}

/// [`elf_links_with_lld`], with `prelude` before the stub's data.
fn elf_links_with_lld_after(triple: &str, mc: &[&str], word: &str, prelude: &str) {
    let symbol = format!("asset_table_{}", triple.replace('-', "_"));
    let data = table(3001, triple.len() as u32);
    let (dir, format, file) = library(triple, &symbol, &data);
    assert_eq!(format.binary, object::BinaryFormat::Elf);
    read_back(&dir, &file, &symbol, ".rodata.asset_table", &data);
    std::fs::write(
        dir.join("stub.s"),
        format!("{prelude}    .data\n    .globl table_ref\ntable_ref:\n    {word} {symbol}\n"),
    )
    .unwrap();
    let mut args = vec!["-filetype=obj", "stub.s", "-o", "stub.o"];
    args.extend_from_slice(mc);
    run_in(&dir, llvm("llvm-mc"), &args);
    run_in(
        &dir,
        llvm("ld.lld"),
        &[
            "-shared",
            "--fatal-warnings",
            "stub.o",
            "-L.",
            "-l",
            &file[3..file.len() - 2],
            "-o",
            "out.so",
        ],
    );
    let (stack, _) = run_in(&dir, llvm("llvm-readobj"), &["--program-headers", "out.so"]);
    let gnu_stack = stack
        .split("PT_GNU_STACK")
        .nth(1)
        .expect("a GNU stack header");
    assert!(
        gnu_stack.contains("PF_R")
            && !gnu_stack
                .split("Alignment")
                .next()
                .unwrap()
                .contains("PF_X"),
        "{stack}"
    );
    linked_bytes_at(&dir.join("out.so"), &symbol, &data);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn elf_x86_64_links() {
    elf_links_with_lld(
        "x86_64-unknown-linux-gnu",
        &["-triple=x86_64-linux-gnu"],
        ".quad",
    );
}

#[test]
fn elf_x86_links() {
    elf_links_with_lld(
        "i686-unknown-linux-gnu",
        &["-triple=i686-linux-gnu"],
        ".long",
    );
}

#[test]
fn elf_aarch64_links() {
    elf_links_with_lld(
        "aarch64-unknown-linux-gnu",
        &["-triple=aarch64-linux-gnu"],
        ".xword",
    );
}

#[test]
fn elf_arm_links() {
    // Code compiled for the target carries its architecture in
    // `.ARM.attributes`, as the stub does here.
    elf_links_with_lld_after(
        "armv7-unknown-linux-gnueabihf",
        &["-triple=armv7-linux-gnueabihf"],
        ".long",
        "    .arch armv7-a\n    .eabi_attribute Tag_ABI_VFP_args, 1\n",
    );
}

/// lld refuses to link objects of different float ABIs: the stub is
/// lp64d, as `riscv64gc` code is.
#[test]
fn elf_riscv64_links_with_the_double_float_abi() {
    elf_links_with_lld(
        "riscv64gc-unknown-linux-gnu",
        &[
            "-triple=riscv64-linux-gnu",
            "-mattr=+m,+a,+f,+d,+c",
            "-target-abi=lp64d",
        ],
        ".quad",
    );
}

#[test]
fn elf_riscv32_links_with_the_double_float_abi() {
    elf_links_with_lld(
        "riscv32gc-unknown-linux-gnu",
        &[
            "-triple=riscv32-linux-gnu",
            "-mattr=+m,+a,+f,+d,+c",
            "-target-abi=ilp32d",
        ],
        ".long",
    );
}

#[test]
fn elf_powerpc64le_links() {
    elf_links_with_lld(
        "powerpc64le-unknown-linux-gnu",
        &["-triple=powerpc64le-linux-gnu"],
        ".quad",
    );
}

/// The AArch64 object links into an executable with GNU's binutils
/// too, through the GOT as position-independent code reaches it and
/// directly.
#[test]
fn elf_aarch64_links_with_gnu_ld() {
    let tool = |name: &str| format!("aarch64-linux-gnu-{name}");
    let data = table(4099, 5);
    let (dir, _, _) = library("aarch64-unknown-linux-gnu", "asset_table_a64", &data);
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
    run_in(&dir, tool("as"), &["start.s", "-o", "start.o"]);
    run_in(
        &dir,
        tool("ld"),
        &[
            "-pie",
            "--fatal-warnings",
            "start.o",
            "-L.",
            "-lasset_table_a64",
            "-o",
            "prog",
        ],
    );
    linked_bytes_at(&dir.join("prog"), "asset_table_a64", &data);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Architectures this machine's linkers do not link: the object is read
/// back by the `object` crate (machine, byte order, flags, the symbol
/// and the bytes) from the library `llvm-ar` unpacks.
#[test]
fn elf_objects_for_other_architectures_read_back() {
    for (triple, machine, big, flags) in [
        ("s390x-unknown-linux-gnu", object::elf::EM_S390, true, 0),
        (
            "powerpc64-unknown-linux-gnu",
            object::elf::EM_PPC64,
            true,
            1,
        ),
        (
            "sparc64-unknown-linux-gnu",
            object::elf::EM_SPARCV9,
            true,
            0,
        ),
        (
            "loongarch64-unknown-linux-gnu",
            object::elf::EM_LOONGARCH,
            false,
            object::elf::EF_LARCH_OBJABI_V1 | object::elf::EF_LARCH_ABI_DOUBLE_FLOAT,
        ),
    ] {
        let symbol = format!("asset_table_{}", triple.replace('-', "_"));
        let data = table(777, 3);
        let (dir, _, file) = library(triple, &symbol, &data);
        run_in(&dir, llvm("llvm-ar"), &["x", &file]);
        let bytes = std::fs::read(dir.join("asset_table.o")).unwrap();
        let object = object::File::parse(&*bytes).unwrap();
        let object::FileFlags::Elf { e_flags, .. } = object.flags() else {
            panic!("{triple}: not ELF")
        };
        let header_machine = match &object {
            object::File::Elf64(elf) => elf.elf_header().e_machine.get(elf.endian()),
            _ => panic!("{triple}: not ELF64"),
        };
        assert_eq!(
            (header_machine, object.is_little_endian(), e_flags),
            (machine, !big, flags),
            "{triple}"
        );
        let _ = std::fs::remove_dir_all(&dir);
        let path = dir.with_extension("o");
        std::fs::write(&path, &bytes).unwrap();
        linked_bytes_at(&path, &symbol, &data);
        let _ = std::fs::remove_file(&path);
    }
}

/// Mach-O: `ld64.lld` links the library into a dylib for the platform and
/// minimum version the object's build-version command names, without a
/// warning; the symbol carries Apple's `_`.
#[test]
fn macho_links_with_ld64() {
    for (triple, mc_triple, arch, platform, version) in [
        (
            "aarch64-apple-darwin",
            "arm64-apple-macos11.0",
            "arm64",
            "macos",
            "11.0",
        ),
        (
            "x86_64-apple-darwin",
            "x86_64-apple-macos10.12",
            "x86_64",
            "macos",
            "10.12",
        ),
        (
            "aarch64-apple-ios",
            "arm64-apple-ios10.0",
            "arm64",
            "ios",
            "10.0",
        ),
    ] {
        if triple.contains("darwin") && std::env::var_os("MACOSX_DEPLOYMENT_TARGET").is_some()
            || triple.contains("ios") && std::env::var_os("IPHONEOS_DEPLOYMENT_TARGET").is_some()
        {
            continue;
        }
        let symbol = format!("asset_table_{}", triple.replace('-', "_"));
        let mangled = format!("_{symbol}");
        let data = table(5003, 9);
        let (dir, format, file) = library(triple, &symbol, &data);
        assert_eq!(format.binary, object::BinaryFormat::MachO);
        read_back(&dir, &file, &mangled, "__TEXT,__const", &data);
        let (load, _) = run_in(
            &dir,
            llvm("llvm-objdump"),
            &["--macho", "--private-headers", "asset_table.o"],
        );
        assert!(load.contains("LC_BUILD_VERSION"), "{load}");
        std::fs::write(
            dir.join("stub.s"),
            format!("    .section __DATA,__data\n    .globl _table_ref\n    .p2align 3\n_table_ref:\n    .quad {mangled}\n"),
        )
        .unwrap();
        run_in(
            &dir,
            llvm("llvm-mc"),
            &[
                &format!("-triple={mc_triple}"),
                "-filetype=obj",
                "stub.s",
                "-o",
                "stub.o",
            ],
        );
        let (_, warnings) = run_in(
            &dir,
            llvm("ld64.lld"),
            &[
                "-arch",
                arch,
                "-platform_version",
                platform,
                version,
                version,
                "-dylib",
                "-fatal_warnings",
                "stub.o",
                "-L.",
                &format!("-l{symbol}"),
                "-o",
                "out.dylib",
            ],
        );
        assert_eq!(warnings, "", "{triple}");
        linked_bytes_at(&dir.join("out.dylib"), &mangled, &data);
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// COFF for MSVC: `lld-link` links `<name>.lib` into a DLL, with
/// `/safeseh` on 32-bit x86 (which needs `@feat.00`); `_` on x86 only.
#[test]
fn coff_links_with_lld_link() {
    for (triple, mc_triple, machine, word, mangle) in [
        (
            "x86_64-pc-windows-msvc",
            "x86_64-pc-windows-msvc",
            "x64",
            ".quad",
            "",
        ),
        (
            "i686-pc-windows-msvc",
            "i686-pc-windows-msvc",
            "x86",
            ".long",
            "_",
        ),
        (
            "aarch64-pc-windows-msvc",
            "aarch64-pc-windows-msvc",
            "arm64",
            ".xword",
            "",
        ),
    ] {
        let symbol = format!("asset_table_{}", triple.replace('-', "_"));
        let mangled = format!("{mangle}{symbol}");
        let data = table(6007, 1);
        let (dir, format, file) = library(triple, &symbol, &data);
        assert_eq!(
            (format.binary, file.as_str()),
            (object::BinaryFormat::Coff, &*format!("{symbol}.lib"))
        );
        read_back(&dir, &file, &mangled, ".rdata$asset_table", &data);
        // What compilers put in every object for 32-bit x86.
        let feat = if machine == "x86" {
            "    .def @feat.00\n    .scl 3\n    .type 0\n    .endef\n    .globl @feat.00\n    .set @feat.00, 1\n"
        } else {
            ""
        };
        std::fs::write(
            dir.join("stub.s"),
            format!("{feat}    .data\n    .globl {mangle}table_ref\n{mangle}table_ref:\n    {word} {mangled}\n"),
        )
        .unwrap();
        run_in(
            &dir,
            llvm("llvm-mc"),
            &[
                &format!("-triple={mc_triple}"),
                "-filetype=obj",
                "stub.s",
                "-o",
                "stub.obj",
            ],
        );
        let mut args = vec![
            "/dll".to_owned(),
            "/noentry".to_owned(),
            format!("/machine:{machine}"),
            "/debug:symtab".to_owned(),
            format!("/include:{mangle}table_ref"),
            "stub.obj".to_owned(),
            file.clone(),
            "/out:out.dll".to_owned(),
        ];
        if machine == "x86" {
            args.push("/safeseh".to_owned());
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        run_in(&dir, llvm("lld-link"), &args);
        linked_bytes_at(&dir.join("out.dll"), &mangled, &data);
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// COFF for the GNU targets: the mingw-w64 linker links `lib<name>.a`
/// into a DLL with a stub its own assembler wrote.
#[test]
fn coff_links_with_the_mingw_linker() {
    for (triple, prefix, word, mangle) in [
        ("x86_64-pc-windows-gnu", "x86_64-w64-mingw32", ".quad", ""),
        ("i686-pc-windows-gnu", "i686-w64-mingw32", ".long", "_"),
    ] {
        let symbol = format!("asset_table_{}", triple.replace('-', "_"));
        let mangled = format!("{mangle}{symbol}");
        let data = table(2048, 7);
        let (dir, _, file) = library(triple, &symbol, &data);
        assert_eq!(file, format!("lib{symbol}.a"));
        std::fs::write(
            dir.join("stub.s"),
            format!("    .data\n    .globl {mangle}table_ref\n{mangle}table_ref:\n    {word} {mangled}\n"),
        )
        .unwrap();
        run_in(&dir, format!("{prefix}-as"), &["stub.s", "-o", "stub.o"]);
        run_in(
            &dir,
            format!("{prefix}-ld"),
            &[
                "-shared",
                "--fatal-warnings",
                "-e",
                "0",
                "stub.o",
                "-L.",
                &format!("-l{symbol}"),
                "-o",
                "out.dll",
            ],
        );
        linked_bytes_at(&dir.join("out.dll"), &mangled, &data);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
