//! ChainClass's verifiable credentials: issue, hold, present and verify.
pub mod share;
