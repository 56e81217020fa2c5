//! The table as a native static library, so that rustc never holds its
//! bytes.
//!
//! `include_bytes!` costs rustc about 5 MiB of memory per MB embedded in a
//! dev build and 13 MiB in a release build (the bytes are copied into the
//! constant, LLVM's module, its bitcode and the object file). Linked
//! instead, the table is one read-only section of an object file in a
//! static library that the build writes itself; the generated code
//! declares it as an `extern` static of known length, and only the linker
//! reads it. See BENCHMARKS.md, "Generated code".
//!
//! The object is written by the `object` crate and the library by
//! `ar_archive_writer` (rustc's own archive writer); [`Embed`] lists the
//! targets, [`target`] says what each one's object looks like, and
//! [`write`] writes them.

pub(crate) mod target;
mod write;

pub(crate) use target::{DEPLOYMENT_TARGET_ENV, Format, Target};
pub(crate) use write::{is_library, library_file, write_library};

/// The environment variable that chooses how the table is embedded:
/// `include_bytes` or `link` (the default where the target allows it).
pub const EMBED_ENV: &str = "ASSET_BUILD_EMBED";

/// How the generated code gets the table's bytes.
///
/// The table is linked by default on these targets:
///
/// | targets | object | library |
/// |---|---|---|
/// | Linux, Android and the BSDs: x86-64, x86, AArch64, ARM, RISC-V, PowerPC, s390x, LoongArch, SPARC64 | ELF, with the flags each architecture's linker checks (RISC-V's and LoongArch's float ABI, ARM's EABI version, PowerPC64's ELF ABI) | `lib<name>.a`, GNU |
/// | macOS, iOS, tvOS, watchOS, visionOS: x86-64, AArch64 | Mach-O, with a build-version command (the platform, and the deployment target or rustc's default) | `lib<name>.a`, Darwin |
/// | Windows: x86-64, x86, AArch64 | COFF (`@feat.00` set, as 32-bit x86's SAFESEH asks) | `<name>.lib` (MSVC, COFF archive), `lib<name>.a` (GNU) |
///
/// Everything else (wasm, MIPS, UEFI, bare metal, ...) and Miri, which
/// cannot read native statics, get [`Embed::IncludeBytes`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Embed {
    /// `include_bytes!` of `table.bin` (the index) and its parts
    /// (`table.<16 hex>.bin`: whole blobs, at most 1 MiB each unless one
    /// blob is larger).
    IncludeBytes,
    /// An `extern` static from a static library (`lib<name>.a`, or
    /// `<name>.lib` for MSVC).
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
        let linkable = target.format().is_some();
        match asked.map(str::trim).unwrap_or("") {
            "" if linkable => Ok(Embed::Link),
            "" | "include_bytes" => Ok(Embed::IncludeBytes),
            "link" => linked_format(target).map(|_| Embed::Link),
            other => Err(format!(
                "{EMBED_ENV} is `{other}`; it must be `include_bytes` or `link`"
            )),
        }
    }
}

/// The object and library `target` links, or the error that says it
/// cannot be linked.
pub(crate) fn linked_format(target: &Target) -> Result<Format, String> {
    target.format().ok_or_else(|| {
        format!(
            "the table can be linked only for ELF (Linux, Android, the BSDs), Mach-O (Apple) and COFF (Windows) targets of the architectures asset-build writes objects for, and this build targets {}{}; use `include_bytes` (or leave {EMBED_ENV} unset)",
            target.describe(),
            if target.miri { " under Miri" } else { "" }
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_target_and_the_variable_choose_the_embedding() {
        let target = |triple: &str, miri| Target {
            miri,
            ..Target::parse_for_tests(triple)
        };
        let linux = target("x86_64-unknown-linux-gnu", false);
        assert_eq!(Embed::choose(&linux, None), Ok(Embed::Link));
        assert_eq!(Embed::choose(&linux, Some("")), Ok(Embed::Link));
        assert_eq!(
            Embed::choose(&linux, Some("include_bytes")),
            Ok(Embed::IncludeBytes)
        );
        assert_eq!(Embed::choose(&linux, Some(" link ")), Ok(Embed::Link));
        for linked in [
            "aarch64-apple-darwin",
            "x86_64-pc-windows-msvc",
            "i686-pc-windows-gnu",
            "riscv64gc-unknown-linux-gnu",
        ] {
            assert_eq!(
                Embed::choose(&target(linked, false), None),
                Ok(Embed::Link),
                "{linked}"
            );
        }
        let wasm = target("wasm32-unknown-unknown", false);
        assert_eq!(Embed::choose(&wasm, None), Ok(Embed::IncludeBytes));
        let err = Embed::choose(&wasm, Some("link")).unwrap_err();
        assert!(err.contains("targets wasm32-unknown-unknown;"), "{err}");
        let miri = target("x86_64-unknown-linux-gnu", true);
        assert_eq!(Embed::choose(&miri, None), Ok(Embed::IncludeBytes));
        assert!(
            Embed::choose(&miri, Some("link"))
                .unwrap_err()
                .contains("x86_64-unknown-linux-gnu under Miri")
        );
        let err = Embed::choose(&linux, Some("includebytes")).unwrap_err();
        assert_eq!(
            err,
            "ASSET_BUILD_EMBED is `includebytes`; it must be `include_bytes` or `link`"
        );
    }
}

#[cfg(test)]
mod proof;
