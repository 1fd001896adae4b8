//! Criterion benchmarks: sign an Open Badges 3.0 credential and verify it.
#![cfg(not(target_arch = "wasm32"))]
fn main() {}
