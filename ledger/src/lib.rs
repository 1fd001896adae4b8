//! ChainClass's class ledger: a toy chain built from real cryptography.
