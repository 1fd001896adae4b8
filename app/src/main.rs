//! ChainClass app entry point.

fn main() {}
