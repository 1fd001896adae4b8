//! Project automation (cargo-xtask pattern).

fn main() {}
