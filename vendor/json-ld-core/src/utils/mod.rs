//! Utility functions.

mod comparison;
mod hash;

pub use comparison::*;
pub use hash::*;
