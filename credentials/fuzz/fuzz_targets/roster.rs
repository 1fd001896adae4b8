//! cargo-fuzz target `roster`: runs [`credentials_fuzz::roster`] on every input.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| credentials_fuzz::roster(data));
