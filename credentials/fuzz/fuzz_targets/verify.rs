//! cargo-fuzz target `verify`: runs [`credentials_fuzz::verify`] on every input.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| credentials_fuzz::verify(data));
