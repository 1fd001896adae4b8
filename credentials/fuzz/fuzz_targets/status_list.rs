//! cargo-fuzz target `status_list`: runs [`credentials_fuzz::status_list`] on every input.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| credentials_fuzz::status_list(data));
