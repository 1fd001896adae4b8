//! The `vc` command-line tool (thin shell over the `credentials` crate).

fn main() {}
