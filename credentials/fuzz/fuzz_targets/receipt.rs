//! cargo-fuzz target `receipt`: runs [`credentials_fuzz::receipt`] on every input.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| credentials_fuzz::receipt(data));
