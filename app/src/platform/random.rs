//! Cryptographic randomness from the browser's `crypto.getRandomValues`, for
//! key seeds and salts. The pure crates never generate randomness themselves.

use std::fmt;

/// The browser refused to give randomness (no `window.crypto`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RandomUnavailable;

impl fmt::Display for RandomUnavailable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the browser's secure random number generator is unavailable")
    }
}

/// Fills `buf` with cryptographically secure random bytes.
pub fn fill(buf: &mut [u8]) -> Result<(), RandomUnavailable> {
    let crypto = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .ok_or(RandomUnavailable)?;
    // getRandomValues accepts at most 65,536 bytes per call.
    for chunk in buf.chunks_mut(65_536) {
        crypto
            .get_random_values_with_u8_array(chunk)
            .map_err(|_| RandomUnavailable)?;
    }
    Ok(())
}

/// 32 fresh random bytes (an Ed25519 seed, a salt).
pub fn bytes32() -> Result<[u8; 32], RandomUnavailable> {
    let mut out = [0u8; 32];
    fill(&mut out)?;
    Ok(out)
}
