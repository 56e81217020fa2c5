//! brotli by Google's C encoder (`brotli/` in this crate, brotli 1.2.0),
//! which the build script compiles at `-O2` in every profile: the one
//! brotli encoder of the build, for the `br` variants and for the `dcb`
//! deltas (with the earlier version as a raw dictionary). The only unsafe
//! code of the crate: five calls into that library, each with the lengths
//! of the Rust slices it is given.

#![allow(unsafe_code)]

use std::ffi::{c_int, c_void};
use std::ptr;

/// `BrotliEncoderState`, opaque.
#[repr(C)]
struct State {
    _private: [u8; 0],
}

/// `BrotliEncoderPreparedDictionary`, opaque.
#[repr(C)]
struct Prepared {
    _private: [u8; 0],
}

type AllocFunc = Option<unsafe extern "C" fn(*mut c_void, usize) -> *mut c_void>;
type FreeFunc = Option<unsafe extern "C" fn(*mut c_void, *mut c_void)>;

unsafe extern "C" {
    fn BrotliEncoderCreateInstance(
        alloc: AllocFunc,
        free: FreeFunc,
        opaque: *mut c_void,
    ) -> *mut State;
    fn BrotliEncoderDestroyInstance(state: *mut State);
    fn BrotliEncoderSetParameter(state: *mut State, param: c_int, value: u32) -> c_int;
    fn BrotliEncoderPrepareDictionary(
        kind: c_int,
        size: usize,
        data: *const u8,
        quality: c_int,
        alloc: AllocFunc,
        free: FreeFunc,
        opaque: *mut c_void,
    ) -> *mut Prepared;
    fn BrotliEncoderDestroyPreparedDictionary(dictionary: *mut Prepared);
    fn BrotliEncoderAttachPreparedDictionary(
        state: *mut State,
        dictionary: *const Prepared,
    ) -> c_int;
    fn BrotliEncoderMaxCompressedSize(input_size: usize) -> usize;
    fn BrotliEncoderCompressStream(
        state: *mut State,
        op: c_int,
        available_in: *mut usize,
        next_in: *mut *const u8,
        available_out: *mut usize,
        next_out: *mut *mut u8,
        total_out: *mut usize,
    ) -> c_int;
    fn BrotliEncoderIsFinished(state: *mut State) -> c_int;
}

// From brotli/c/include/brotli/encode.h and shared_dictionary.h.
const PARAM_MODE: c_int = 0;
const PARAM_QUALITY: c_int = 1;
const PARAM_LGWIN: c_int = 2;
const PARAM_SIZE_HINT: c_int = 5;
const MODE_GENERIC: u32 = 0;
const OPERATION_FINISH: c_int = 2;
const SHARED_DICTIONARY_RAW: c_int = 0;

/// An encoder, destroyed when dropped.
struct Encoder(*mut State);

impl Drop for Encoder {
    fn drop(&mut self) {
        // SAFETY: created by BrotliEncoderCreateInstance, destroyed once.
        unsafe { BrotliEncoderDestroyInstance(self.0) }
    }
}

/// A prepared dictionary, destroyed when dropped; it points into the
/// dictionary's bytes, which outlive it (the borrow says so).
struct Dictionary<'a>(*mut Prepared, std::marker::PhantomData<&'a [u8]>);

impl Drop for Dictionary<'_> {
    fn drop(&mut self) {
        // SAFETY: created by BrotliEncoderPrepareDictionary, destroyed once,
        // after the encoder it was attached to (declared after it).
        unsafe { BrotliEncoderDestroyPreparedDictionary(self.0) }
    }
}

/// `input` compressed at `quality` with a window of `2^lgwin` bytes
/// (10..=24), with `dictionary` as a raw (LZ77 prefix) dictionary if there
/// is one: what a decoder given the same bytes as
/// `BROTLI_SHARED_DICTIONARY_RAW` decodes (RFC 9842 §4).
pub fn compress(input: &[u8], dictionary: Option<&[u8]>, quality: u32, lgwin: u32) -> Vec<u8> {
    assert!(
        (10..=24).contains(&lgwin) && quality <= 11,
        "brotli settings"
    );
    let prepared = dictionary.map(|d| {
        // SAFETY: `d` is valid for `d.len()` bytes and outlives the
        // prepared dictionary (its lifetime is the borrow's).
        let p = unsafe {
            BrotliEncoderPrepareDictionary(
                SHARED_DICTIONARY_RAW,
                d.len(),
                d.as_ptr(),
                11,
                None,
                None,
                ptr::null_mut(),
            )
        };
        assert!(!p.is_null(), "brotli could not allocate the dictionary");
        Dictionary(p, std::marker::PhantomData)
    });
    // SAFETY: no allocator given: the library's own.
    let state = unsafe { BrotliEncoderCreateInstance(None, None, ptr::null_mut()) };
    assert!(!state.is_null(), "brotli could not allocate an encoder");
    let encoder = Encoder(state);
    let size_hint = u32::try_from(input.len()).unwrap_or(u32::MAX);
    for (param, value) in [
        (PARAM_MODE, MODE_GENERIC),
        (PARAM_QUALITY, quality),
        (PARAM_LGWIN, lgwin),
        (PARAM_SIZE_HINT, size_hint),
    ] {
        // SAFETY: a live encoder, before any input.
        let ok = unsafe { BrotliEncoderSetParameter(encoder.0, param, value) };
        assert_eq!(ok, 1, "brotli refused parameter {param} = {value}");
    }
    if let Some(prepared) = &prepared {
        // SAFETY: both live; the dictionary outlives the encoder (dropped
        // after it: `prepared` is declared first).
        let ok = unsafe { BrotliEncoderAttachPreparedDictionary(encoder.0, prepared.0) };
        assert_eq!(ok, 1, "brotli refused the dictionary");
    }
    // SAFETY: a pure function of its argument.
    let bound = unsafe { BrotliEncoderMaxCompressedSize(input.len()) };
    let mut out = vec![0u8; bound.max(1024)];
    let mut written = 0usize;
    let mut next_in = input.as_ptr();
    let mut available_in = input.len();
    loop {
        if written == out.len() {
            out.resize(out.len() * 2, 0);
        }
        let mut available_out = out.len() - written;
        // SAFETY: `out[written..]` is valid for `available_out` bytes;
        // `next_in` and `available_in` stay within `input`, as the library
        // advances them together.
        let mut next_out = unsafe { out.as_mut_ptr().add(written) };
        let ok = unsafe {
            BrotliEncoderCompressStream(
                encoder.0,
                OPERATION_FINISH,
                &mut available_in,
                &mut next_in,
                &mut available_out,
                &mut next_out,
                ptr::null_mut(),
            )
        };
        assert_eq!(ok, 1, "brotli failed on {} bytes of input", input.len());
        written = out.len() - available_out;
        // SAFETY: a live encoder.
        if available_in == 0 && unsafe { BrotliEncoderIsFinished(encoder.0) } == 1 {
            break;
        }
    }
    drop(encoder);
    drop(prepared);
    out.truncate(written);
    out
}
