//! cargo-fuzz target `read_qr`: runs [`app_fuzz::read_qr`] on every input.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| app_fuzz::read_qr(data));
