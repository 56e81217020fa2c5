//! What the object and the library look like for the build's target: the
//! file format, the architecture and its flags, the archive kind and the
//! library's file name. Read from what cargo tells a build script
//! (`TARGET`, `CARGO_CFG_TARGET_*`).

use ar_archive_writer::ArchiveKind;
use object::{Architecture, BinaryFormat, Endianness, SubArchitecture, elf, macho};

/// What cargo says of the build's target.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Target {
    /// `TARGET`, e.g. `x86_64-unknown-linux-gnu`.
    pub triple: String,
    pub arch: String,
    pub os: String,
    pub env: String,
    pub abi: String,
    pub little_endian: bool,
    pub pointer_width: u32,
    pub features: Vec<String>,
    pub miri: bool,
}

/// Everything the writers need to know about the object and the library.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Format {
    pub binary: BinaryFormat,
    pub arch: Architecture,
    pub sub_arch: Option<SubArchitecture>,
    pub endian: Endianness,
    /// ELF's `e_flags`.
    pub e_flags: u32,
    /// Mach-O's `LC_BUILD_VERSION`: the platform and the minimum OS
    /// version, packed as `xxxx.yy.zz` in nibbles.
    pub build_version: Option<(u32, u32)>,
    pub archive: ArchiveKind,
    /// MSVC's `<name>.lib` rather than `lib<name>.a`.
    pub msvc: bool,
}

/// The environment variables Apple's toolchains read for the minimum OS
/// version, by `target_os`; the build script reruns when they change.
pub(crate) const DEPLOYMENT_TARGET_ENV: [(&str, &str); 5] = [
    ("macos", "MACOSX_DEPLOYMENT_TARGET"),
    ("ios", "IPHONEOS_DEPLOYMENT_TARGET"),
    ("tvos", "TVOS_DEPLOYMENT_TARGET"),
    ("watchos", "WATCHOS_DEPLOYMENT_TARGET"),
    ("visionos", "XROS_DEPLOYMENT_TARGET"),
];

impl Target {
    /// The build script's target, from cargo's environment.
    pub fn from_env() -> Target {
        #[cfg(test)]
        if let Some(target) = TEST_TARGET.with(|t| t.borrow().clone()) {
            return target;
        }
        Target::from_cfg(&std::env::var("TARGET").unwrap_or_default(), |name| {
            std::env::var(format!("CARGO_CFG_{}", name.to_ascii_uppercase())).ok()
        })
    }

    /// A target from its triple and its `cfg` values by name
    /// (`target_arch`, ...; `target_feature` comma-separated, as cargo
    /// passes it).
    pub fn from_cfg(triple: &str, cfg: impl Fn(&str) -> Option<String>) -> Target {
        let value = |name: &str| cfg(name).unwrap_or_default();
        Target {
            triple: triple.to_owned(),
            arch: value("target_arch"),
            os: value("target_os"),
            env: value("target_env"),
            abi: value("target_abi"),
            little_endian: value("target_endian") != "big",
            pointer_width: value("target_pointer_width").parse().unwrap_or(64),
            features: value("target_feature")
                .split(',')
                .filter(|f| !f.is_empty())
                .map(str::to_owned)
                .collect(),
            miri: cfg("miri").is_some(),
        }
    }

    /// The triple, or the architecture and the system when cargo did not
    /// say.
    pub fn describe(&self) -> String {
        if !self.triple.is_empty() {
            return self.triple.clone();
        }
        let or_unknown = |s: &str| {
            if s.is_empty() {
                "(unknown)".to_owned()
            } else {
                s.to_owned()
            }
        };
        format!("{} {}", or_unknown(&self.arch), or_unknown(&self.os))
    }

    fn has(&self, feature: &str) -> bool {
        self.features.iter().any(|f| f == feature)
    }

    /// The object and library this target links, or `None` where the
    /// table goes through `include_bytes!`.
    pub fn format(&self) -> Option<Format> {
        if self.miri {
            return None;
        }
        let endian = if self.little_endian {
            Endianness::Little
        } else {
            Endianness::Big
        };
        let format = |binary, arch, archive| Format {
            binary,
            arch,
            sub_arch: None,
            endian,
            e_flags: 0,
            build_version: None,
            archive,
            msvc: false,
        };
        match self.os.as_str() {
            "linux" | "android" | "freebsd" | "netbsd" | "openbsd" | "dragonfly" => {
                let arch = self.elf_architecture()?;
                Some(Format {
                    e_flags: self.elf_flags(arch),
                    ..format(BinaryFormat::Elf, arch, ArchiveKind::Gnu)
                })
            }
            "macos" | "ios" | "tvos" | "watchos" | "visionos" if self.little_endian => {
                let arch = match self.arch.as_str() {
                    "x86_64" => Architecture::X86_64,
                    "aarch64" if self.pointer_width == 64 => Architecture::Aarch64,
                    _ => return None,
                };
                Some(Format {
                    sub_arch: self
                        .triple
                        .starts_with("arm64e-")
                        .then_some(SubArchitecture::Arm64E),
                    build_version: Some(self.build_version()),
                    ..format(BinaryFormat::MachO, arch, ArchiveKind::Darwin)
                })
            }
            "windows" if self.little_endian => {
                let arch = match self.arch.as_str() {
                    "x86_64" => Architecture::X86_64,
                    "x86" => Architecture::I386,
                    "aarch64" => Architecture::Aarch64,
                    _ => return None,
                };
                let msvc = self.env == "msvc";
                let archive = if msvc {
                    ArchiveKind::Coff
                } else {
                    ArchiveKind::Gnu
                };
                Some(Format {
                    msvc,
                    ..format(BinaryFormat::Coff, arch, archive)
                })
            }
            _ => None,
        }
    }

    fn elf_architecture(&self) -> Option<Architecture> {
        let wide = self.pointer_width == 64;
        Some(match self.arch.as_str() {
            "x86_64" if wide => Architecture::X86_64,
            "x86_64" => Architecture::X86_64_X32,
            "x86" => Architecture::I386,
            "aarch64" if wide => Architecture::Aarch64,
            "aarch64" => Architecture::Aarch64_Ilp32,
            "arm" => Architecture::Arm,
            "riscv64" => Architecture::Riscv64,
            "riscv32" => Architecture::Riscv32,
            "powerpc64" => Architecture::PowerPc64,
            "powerpc" => Architecture::PowerPc,
            "s390x" => Architecture::S390x,
            "loongarch64" => Architecture::LoongArch64,
            "sparc64" => Architecture::Sparc64,
            _ => return None,
        })
    }

    /// The `e_flags` the linker compares with the other objects': the
    /// ABI version, and the float ABI where a mismatch fails the link.
    fn elf_flags(&self, arch: Architecture) -> u32 {
        match arch {
            // EABI version 5, as LLVM writes it; GNU ld refuses to merge
            // objects of different EABI versions.
            Architecture::Arm => elf::EF_ARM_EABI_VER5,
            // The float ABI: rustc does not report RISC-V's `f` and `d` as
            // target features, so it is read from the triple's ISA string
            // (`riscv64gc`: lp64d; `riscv32imafc`: ilp32f; `riscv64imac`:
            // soft), the way rustc's targets choose their ABI. Compressed
            // instructions are allowed where the target has them.
            Architecture::Riscv64 | Architecture::Riscv32 => {
                let isa = self
                    .triple
                    .split('-')
                    .next()
                    .unwrap_or("")
                    .trim_start_matches("riscv64")
                    .trim_start_matches("riscv32");
                let float = if self.has("d") || isa.contains(['g', 'd']) || isa.starts_with("a2") {
                    elf::EF_RISCV_FLOAT_ABI_DOUBLE
                } else if self.has("f") || isa.contains('f') {
                    elf::EF_RISCV_FLOAT_ABI_SINGLE
                } else {
                    elf::EF_RISCV_FLOAT_ABI_SOFT
                };
                let rvc = if self.has("c") { elf::EF_RISCV_RVC } else { 0 };
                let rve = if self.has("e") || isa.starts_with('e') {
                    elf::EF_RISCV_RVE
                } else {
                    0
                };
                float | rvc | rve
            }
            Architecture::LoongArch64 => {
                let float = if self.has("d") {
                    elf::EF_LARCH_ABI_DOUBLE_FLOAT
                } else if self.has("f") {
                    elf::EF_LARCH_ABI_SINGLE_FLOAT
                } else {
                    elf::EF_LARCH_ABI_SOFT_FLOAT
                };
                elf::EF_LARCH_OBJABI_V1 | float
            }
            // The ELF ABI version: 2 on little-endian PowerPC64 and where
            // the target says `elfv2` (musl, FreeBSD), 1 for big-endian
            // glibc.
            Architecture::PowerPc64 => {
                let v2 = self.little_endian
                    || self.abi == "elfv2"
                    || (self.abi != "elfv1"
                        && (self.env == "musl"
                            || matches!(self.os.as_str(), "freebsd" | "openbsd")));
                if v2 { 2 } else { 1 }
            }
            _ => 0,
        }
    }

    /// The platform and the minimum OS version: the deployment target
    /// variable if set, else rustc's default for the target.
    fn build_version(&self) -> (u32, u32) {
        let simulator = self.abi == "sim" || (self.os != "macos" && self.arch == "x86_64");
        let platform = match (self.os.as_str(), simulator) {
            ("macos", _) => macho::PLATFORM_MACOS,
            ("ios", _) if self.abi == "macabi" => macho::PLATFORM_MACCATALYST,
            ("ios", false) => macho::PLATFORM_IOS,
            ("ios", true) => macho::PLATFORM_IOSSIMULATOR,
            ("tvos", false) => macho::PLATFORM_TVOS,
            ("tvos", true) => macho::PLATFORM_TVOSSIMULATOR,
            ("watchos", false) => macho::PLATFORM_WATCHOS,
            ("watchos", true) => macho::PLATFORM_WATCHOSSIMULATOR,
            (_, false) => macho::PLATFORM_XROS,
            (_, true) => macho::PLATFORM_XROSSIMULATOR,
        };
        let arm = self.arch == "aarch64";
        let default = match self.os.as_str() {
            "macos" if arm => (11, 0, 0),
            "macos" => (10, 12, 0),
            "ios" if self.abi == "macabi" && arm => (14, 0, 0),
            "ios" if self.abi == "macabi" => (13, 1, 0),
            "ios" if simulator && arm => (14, 0, 0),
            "ios" => (10, 0, 0),
            "tvos" if simulator && arm => (14, 0, 0),
            "tvos" => (10, 0, 0),
            "watchos" if simulator && arm => (7, 0, 0),
            "watchos" => (5, 0, 0),
            _ => (1, 0, 0),
        };
        let asked = DEPLOYMENT_TARGET_ENV
            .iter()
            .find(|(os, _)| *os == self.os)
            .and_then(|(_, var)| std::env::var(var).ok())
            .and_then(|v| parse_version(&v));
        let (major, minor, patch) = asked.unwrap_or(default);
        (platform, pack_version(major, minor, patch))
    }
}

/// `X`, `X.Y` or `X.Y.Z`.
fn parse_version(text: &str) -> Option<(u32, u32, u32)> {
    let mut parts = text.trim().split('.').map(|p| p.parse::<u32>().ok());
    let major = parts.next()??;
    let minor = parts.next().unwrap_or(Some(0))?;
    let patch = parts.next().unwrap_or(Some(0))?;
    if parts.next().is_some() || major > 0xffff || minor > 0xff || patch > 0xff {
        return None;
    }
    Some((major, minor, patch))
}

fn pack_version(major: u32, minor: u32, patch: u32) -> u32 {
    (major << 16) | (minor << 8) | patch
}

#[cfg(test)]
thread_local! {
    /// The target a test's pipeline builds for, on this thread (cargo sets
    /// no `CARGO_CFG_*` for unit tests).
    pub static TEST_TARGET: std::cell::RefCell<Option<Target>> = const { std::cell::RefCell::new(None) };
}

#[cfg(test)]
impl Target {
    /// The target as rustc describes it (`rustc --print cfg --target`),
    /// which needs no standard library for it.
    pub fn parse_for_tests(triple: &str) -> Target {
        let output = std::process::Command::new(std::env::var("RUSTC").unwrap_or("rustc".into()))
            .args(["--print", "cfg", "--target", triple])
            .output()
            .expect("rustc runs");
        assert!(output.status.success(), "rustc knows {triple}");
        let text = String::from_utf8(output.stdout).unwrap();
        let values = |name: &str| -> Option<String> {
            let mut found: Vec<&str> = Vec::new();
            for line in text.lines() {
                if line == name {
                    found.push("");
                } else if let Some(v) = line.strip_prefix(&format!("{name}=")) {
                    found.push(v.trim_matches('"'));
                }
            }
            (!found.is_empty()).then(|| found.join(","))
        };
        Target::from_cfg(triple, values)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn format(triple: &str) -> Option<Format> {
        Target::parse_for_tests(triple).format()
    }

    #[test]
    fn each_family_gets_its_format_and_library() {
        let linux = format("x86_64-unknown-linux-gnu").unwrap();
        assert_eq!(
            (linux.binary, linux.arch, linux.archive, linux.msvc),
            (
                BinaryFormat::Elf,
                Architecture::X86_64,
                ArchiveKind::Gnu,
                false
            )
        );
        let mac = format("aarch64-apple-darwin").unwrap();
        assert_eq!(
            (mac.binary, mac.arch, mac.archive),
            (
                BinaryFormat::MachO,
                Architecture::Aarch64,
                ArchiveKind::Darwin
            )
        );
        let msvc = format("i686-pc-windows-msvc").unwrap();
        assert_eq!(
            (msvc.binary, msvc.arch, msvc.archive, msvc.msvc),
            (
                BinaryFormat::Coff,
                Architecture::I386,
                ArchiveKind::Coff,
                true
            )
        );
        let gnu = format("x86_64-pc-windows-gnu").unwrap();
        assert_eq!((gnu.archive, gnu.msvc), (ArchiveKind::Gnu, false));
        for none in [
            "wasm32-unknown-unknown",
            "wasm32-wasip1",
            "x86_64-unknown-uefi",
            "mips64-unknown-linux-gnuabi64",
        ] {
            assert_eq!(format(none), None, "{none}");
        }
    }

    #[test]
    fn elf_flags_follow_the_float_abi() {
        let flags = |triple| format(triple).unwrap().e_flags;
        assert_eq!(
            flags("riscv64gc-unknown-linux-gnu"),
            elf::EF_RISCV_FLOAT_ABI_DOUBLE | elf::EF_RISCV_RVC
        );
        assert_eq!(
            format("riscv32imac-unknown-none-elf").map(|f| f.binary),
            None
        );
        assert_eq!(flags("riscv64gc-unknown-linux-musl") & 0xf, 5);
        assert_eq!(
            flags("loongarch64-unknown-linux-gnu"),
            elf::EF_LARCH_OBJABI_V1 | elf::EF_LARCH_ABI_DOUBLE_FLOAT
        );
        assert_eq!(
            flags("armv7-unknown-linux-gnueabihf"),
            elf::EF_ARM_EABI_VER5
        );
        assert_eq!(flags("powerpc64le-unknown-linux-gnu"), 2);
        assert_eq!(flags("powerpc64-unknown-linux-gnu"), 1);
        assert_eq!(flags("powerpc64-unknown-linux-musl"), 2);
        assert_eq!(flags("x86_64-unknown-linux-gnu"), 0);
        let s390x = format("s390x-unknown-linux-gnu").unwrap();
        assert_eq!(s390x.endian, Endianness::Big);
        assert_eq!(
            format("x86_64-unknown-linux-gnux32").unwrap().arch,
            Architecture::X86_64_X32
        );
    }

    #[test]
    fn apple_objects_carry_the_platform_and_the_minimum_version() {
        let version = |triple| format(triple).unwrap().build_version.unwrap();
        if std::env::var_os("MACOSX_DEPLOYMENT_TARGET").is_none() {
            assert_eq!(
                version("aarch64-apple-darwin"),
                (macho::PLATFORM_MACOS, 0x000b_0000)
            );
            assert_eq!(
                version("x86_64-apple-darwin"),
                (macho::PLATFORM_MACOS, 0x000a_0c00)
            );
        }
        if std::env::var_os("IPHONEOS_DEPLOYMENT_TARGET").is_none() {
            assert_eq!(version("aarch64-apple-ios").0, macho::PLATFORM_IOS);
            assert_eq!(
                version("aarch64-apple-ios-sim").0,
                macho::PLATFORM_IOSSIMULATOR
            );
            assert_eq!(version("x86_64-apple-ios").0, macho::PLATFORM_IOSSIMULATOR);
            assert_eq!(
                version("aarch64-apple-ios-macabi").0,
                macho::PLATFORM_MACCATALYST
            );
        }
        assert_eq!(parse_version("13.4"), Some((13, 4, 0)));
        assert_eq!(parse_version("10.15.7"), Some((10, 15, 7)));
        assert_eq!(parse_version("x"), None);
        assert_eq!(parse_version("1.2.3.4"), None);
    }
}
