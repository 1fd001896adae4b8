//! Batch verification of many Ed25519 signatures at once, giving the same
//! verdict as checking each one with `verify_strict`.
//!
//! Used when a whole chain is validated from scratch (an import, a first
//! validation): one `verify_strict` is ~55 µs of work on a classroom laptop,
//! a signature in a batch ~15 µs (`ledger/BENCHMARKS.md`).
//!
//! # Why a plain batch is not enough, and what is added
//!
//! `verify_strict` (ed25519-dalek) accepts a signature `(R, s)` by key `A`
//! on message `M` exactly when
//!
//! 1. `s` is a canonical scalar (`s < ℓ`),
//! 2. `R` decodes to a point and neither `R` nor `A` has small order,
//! 3. the canonical encoding of `[s]B − [k]A` equals the 32 bytes of `R`,
//!    where `k = SHA-512(R ‖ A ‖ M) mod ℓ`.
//!
//! A batch checks `Σ zᵢ·([sᵢ]B − Rᵢ − [kᵢ]Aᵢ) = 0` for random 64-bit `zᵢ`.
//! In the prime-order part of the group that forces every term to zero
//! (except with probability at most 2⁻⁶⁴), but the curve also has an 8-element
//! torsion part, where a key holder can plant a small component in `R` that
//! `verify_strict` rejects and a random combination misses with probability
//! up to 1/2. So a signature only enters a batch when that cannot matter,
//! and the batch adds a torsion check:
//!
//! - its key `A` is a valid point of **prime order** (checked once per key;
//!   `[s]B − [k]A` is then in the prime-order subgroup);
//! - `s` is canonical, and the bytes of `R` are a canonical encoding
//!   (`y < p`) of a point other than the identity (the one point of small
//!   order that is also of prime order);
//! - after the batch equation holds, 64 random subsets of the `R`s are each
//!   summed and checked to be in the prime-order subgroup (`[ℓ]Q = 0`). A
//!   torsion component in any `Rᵢ` survives in each subset sum with
//!   probability at least 1/2, so it escapes all 64 with probability at most
//!   2⁻⁶⁴. With every `R` then of prime order, equal points mean equal
//!   canonical encodings: condition 3 holds byte for byte.
//!
//! Everything else (a key with a torsion component, a non-canonical `s` or
//! `R`, a batch that does not hold) is left to `verify_strict` one signature
//! at a time, so a failure is always reported by the real thing. A batch
//! that does not hold is halved and each half tried again, so one forgery
//! among thousands of signatures costs little more than the batch.
//!
//! # Where the randomness comes from
//!
//! The crate has no RNG. As in ed25519-dalek's own `verify_batch`, the `zᵢ`
//! and the subsets are derived from a SHA-512 transcript of every
//! signature's `s` and `k` (which commits to `R`, the key and the message):
//! the same batch always gets the same
//! verdict on every machine, and changing any input changes all the
//! coefficients, so they cannot be chosen in advance: a forger would need
//! about 2⁶⁴ attempts to get one signature past. The subset sums are
//! computed four-Russians style (all sums of each group of five `R`s once,
//! then one addition per group and subset).

use std::collections::BTreeMap;

use curve25519_dalek::{
    constants::ED25519_BASEPOINT_POINT,
    edwards::{CompressedEdwardsY, EdwardsPoint},
    scalar::Scalar,
    traits::{Identity, IsIdentity, VartimeMultiscalarMul},
};
use sha2::{Digest, Sha512};

use crate::keys::{PublicKey, Signature};

/// Number of random subsets in the torsion check (each halves the chance
/// that a torsion component is missed).
const ROUNDS: usize = 64;

/// Group size for the subset sums: all 2⁵ sums of a group are built once.
const GROUP: usize = 5;

/// Domain separation for the coefficient transcript.
const TRANSCRIPT_DOMAIN: &[u8] = b"chainclass/ed25519-batch/v1";

/// Fewest signatures worth a batch: below this the fixed cost of the torsion
/// check (64 multiplications by `ℓ`) is more than it saves.
const MIN_BATCH: usize = 128;

/// A decoded key as the batch needs it.
#[derive(Clone, Copy)]
pub(crate) enum BatchKey {
    /// A point of prime order (not small order, no torsion component).
    PrimeOrder(EdwardsPoint),
    /// Not a point, of small order, or with a torsion component: its
    /// signatures go to `verify_strict` one at a time.
    Unsuitable,
}

impl BatchKey {
    /// Decodes and classifies a public key (one decompression and one
    /// multiplication by `ℓ`: cache the result per key).
    pub(crate) fn new(key: &PublicKey) -> Self {
        match CompressedEdwardsY(*key.as_bytes()).decompress() {
            Some(point) if !point.is_small_order() && point.is_torsion_free() => {
                BatchKey::PrimeOrder(point)
            }
            _ => BatchKey::Unsuitable,
        }
    }
}

/// One signature prepared for a batch.
struct Entry {
    r: EdwardsPoint,
    s: Scalar,
    k: Scalar,
    key: usize,
}

/// Signatures collected for one batch.
pub(crate) struct Batch {
    index: BTreeMap<PublicKey, usize>,
    points: Vec<EdwardsPoint>,
    entries: Vec<Entry>,
    transcript: Sha512,
}

impl Batch {
    /// An empty batch with room for `capacity` signatures.
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        let mut transcript = Sha512::new();
        transcript.update(TRANSCRIPT_DOMAIN);
        Batch {
            index: BTreeMap::new(),
            points: Vec::new(),
            entries: Vec::with_capacity(capacity),
            transcript,
        }
    }

    /// Adds a signature if it is one a batch can decide exactly (see the
    /// module docs); returns false, adding nothing, when it must be checked
    /// with `verify_strict` instead. `point` is `key` classified by
    /// [`BatchKey::new`].
    pub(crate) fn add(
        &mut self,
        key: &PublicKey,
        point: BatchKey,
        message: &[u8],
        signature: &Signature,
    ) -> bool {
        let BatchKey::PrimeOrder(point) = point else {
            return false;
        };
        let (r_bytes, s_bytes) = split(signature.as_bytes());
        let Some(s) = Option::<Scalar>::from(Scalar::from_canonical_bytes(s_bytes)) else {
            return false;
        };
        if !canonical_y(&r_bytes) {
            return false;
        }
        let Some(r) = CompressedEdwardsY(r_bytes).decompress() else {
            return false;
        };
        // verify_strict refuses an R of small order. Once the batch has
        // shown R to be of prime order, the identity is the only one left;
        // any other small-order R fails the torsion check.
        if r.is_identity() {
            return false;
        }
        let hram: [u8; 64] = Sha512::new()
            .chain_update(r_bytes)
            .chain_update(key.as_bytes())
            .chain_update(message)
            .finalize()
            .into();
        let k = Scalar::from_bytes_mod_order_wide(&hram);
        let next = self.points.len();
        let index = *self.index.entry(*key).or_insert(next);
        if index == next {
            self.points.push(point);
        }
        // k commits to R, the key and the message; s is the rest.
        self.transcript.update(k.as_bytes());
        self.transcript.update(s_bytes);
        self.entries.push(Entry {
            r,
            s,
            k,
            key: index,
        });
        true
    }

    /// For each added signature, in the order added: `true` when it passes
    /// `verify_strict` (up to the probabilities in the module docs), `false`
    /// when the batch could not show that and it must be checked on its own.
    ///
    /// A batch that does not hold is split in halves and each half tried
    /// again, so one forged signature among thousands sends only a small
    /// group back to one-by-one checking; the halving stops below
    /// [`MIN_BATCH`] signatures or after four batches' worth of work.
    pub(crate) fn verify(self) -> Vec<bool> {
        let Batch {
            points,
            entries,
            transcript,
            ..
        } = self;
        let seed: [u8; 64] = transcript.finalize().into();
        let coefficients = coefficients(&seed, entries.len());
        let mut verdicts = vec![false; entries.len()];
        let mut budget = entries.len().saturating_mul(4);
        settle(&points, &entries, &coefficients, &mut verdicts, &mut budget);
        verdicts
    }
}

/// Marks `verdicts` true for the signatures of `entries` that a batch (or
/// a batch of half of them, and so on) shows to be valid.
fn settle(
    keys: &[EdwardsPoint],
    entries: &[Entry],
    coefficients: &[(Scalar, u64)],
    verdicts: &mut [bool],
    budget: &mut usize,
) {
    if entries.len() < MIN_BATCH || *budget < entries.len() {
        return;
    }
    *budget -= entries.len();
    if holds(keys, entries, coefficients) {
        verdicts.fill(true);
        return;
    }
    let half = entries.len() / 2;
    if let (
        Some((entries_a, entries_b)),
        Some((coefficients_a, coefficients_b)),
        Some((verdicts_a, verdicts_b)),
    ) = (
        entries.split_at_checked(half),
        coefficients.split_at_checked(half),
        verdicts.split_at_mut_checked(half),
    ) {
        settle(keys, entries_a, coefficients_a, verdicts_a, budget);
        settle(keys, entries_b, coefficients_b, verdicts_b, budget);
    }
}

/// Does the batch equation hold for these signatures, and are all their
/// `R` of prime order?
fn holds(keys: &[EdwardsPoint], entries: &[Entry], coefficients: &[(Scalar, u64)]) -> bool {
    equation_holds(keys, entries, coefficients) && torsion_free(entries, coefficients)
}

/// `Σ zᵢ sᵢ · B − Σ_A (Σ zᵢ kᵢ) · A − Σ zᵢ · Rᵢ = 0`: the random combination
/// of every signature's verification equation.
fn equation_holds(
    keys: &[EdwardsPoint],
    entries: &[Entry],
    coefficients: &[(Scalar, u64)],
) -> bool {
    let mut s_sum = Scalar::ZERO;
    let mut per_key = vec![Scalar::ZERO; keys.len()];
    for (entry, (z, _)) in entries.iter().zip(coefficients) {
        s_sum += z * entry.s;
        if let Some(sum) = per_key.get_mut(entry.key) {
            *sum += z * entry.k;
        }
    }
    let scalars = core::iter::once(s_sum)
        .chain(per_key.iter().map(|sum| -sum))
        .chain(coefficients.iter().map(|(z, _)| -z));
    let points = core::iter::once(ED25519_BASEPOINT_POINT)
        .chain(keys.iter().copied())
        .chain(entries.iter().map(|entry| entry.r));
    EdwardsPoint::vartime_multiscalar_mul(scalars, points).is_identity()
}

/// The coefficients `zᵢ` (64 bits) and subset masks of `count` signatures:
/// SHA-512(seed ‖ block number) gives four of each per block.
fn coefficients(seed: &[u8; 64], count: usize) -> Vec<(Scalar, u64)> {
    let mut out = Vec::with_capacity(count);
    let mut block = 0u64;
    while out.len() < count {
        let digest: [u8; 64] = Sha512::new()
            .chain_update(seed)
            .chain_update(block.to_le_bytes())
            .finalize()
            .into();
        let mut words = digest
            .chunks_exact(8)
            .map(|chunk| u64::from_le_bytes(chunk.try_into().unwrap_or_default()));
        while let (Some(z), Some(mask)) = (words.next(), words.next()) {
            if out.len() < count {
                out.push((Scalar::from(z), mask));
            }
        }
        block += 1;
    }
    out
}

/// Are all the `R`s of prime order? Checks 64 random subset sums (bit `j` of
/// a signature's mask puts its `R` in subset `j`).
fn torsion_free(entries: &[Entry], coefficients: &[(Scalar, u64)]) -> bool {
    let mut subsets = [EdwardsPoint::identity(); ROUNDS];
    let mut sums = [EdwardsPoint::identity(); 1 << GROUP];
    for (group, masks) in entries.chunks(GROUP).zip(coefficients.chunks(GROUP)) {
        // sums[m] = Σ of the group's R whose bit is set in m.
        for m in 1..(1usize << group.len()) {
            let low = m.trailing_zeros() as usize;
            let rest = m & (m - 1);
            let (Some(r), Some(base)) = (group.get(low), sums.get(rest).copied()) else {
                return false;
            };
            let sum = if rest == 0 { r.r } else { base + r.r };
            if let Some(slot) = sums.get_mut(m) {
                *slot = sum;
            }
        }
        for (round, subset) in subsets.iter_mut().enumerate() {
            let selected = masks
                .iter()
                .enumerate()
                .fold(0usize, |acc, (bit, (_, mask))| {
                    acc | ((((mask >> round) & 1) as usize) << bit)
                });
            if selected != 0 {
                if let Some(sum) = sums.get(selected) {
                    *subset += sum;
                }
            }
        }
    }
    subsets.iter().all(EdwardsPoint::is_torsion_free)
}

/// The `R` and `s` halves of a signature.
fn split(bytes: &[u8; 64]) -> ([u8; 32], [u8; 32]) {
    let mut r = [0u8; 32];
    let mut s = [0u8; 32];
    for (slot, byte) in r.iter_mut().zip(bytes) {
        *slot = *byte;
    }
    for (slot, byte) in s.iter_mut().zip(bytes.iter().skip(32)) {
        *slot = *byte;
    }
    (r, s)
}

/// Is the y coordinate in these point bytes (bit 255 is the sign of x)
/// below p = 2²⁵⁵ − 19, i.e. the encoding canonical? Values from p up to
/// 2²⁵⁵ − 1 decode like y − p but never come out of compression.
fn canonical_y(bytes: &[u8; 32]) -> bool {
    // y ≥ p exactly when bytes 1..=30 are 0xff, byte 31 without its sign
    // bit is 0x7f and byte 0 is at least 0xed.
    let [first, middle @ .., last] = bytes;
    !(*first >= 0xed && middle.iter().all(|b| *b == 0xff) && (*last & 0x7f) == 0x7f)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use curve25519_dalek::constants::EIGHT_TORSION;
    use ed25519_dalek::{Signer, SigningKey};

    /// A key holder: the seed's Ed25519 secret scalar `a` and public key.
    struct Holder {
        signing: SigningKey,
        secret: Scalar,
        public: PublicKey,
    }

    fn holder(seed: u8) -> Holder {
        let digest = Sha512::digest([seed; 32]);
        let mut bytes = [0u8; 32];
        bytes.copy_from_slice(&digest[..32]);
        bytes[0] &= 248;
        bytes[31] &= 127;
        bytes[31] |= 64;
        let secret = Scalar::from_bytes_mod_order(bytes);
        let signing = SigningKey::from_bytes(&[seed; 32]);
        let public = PublicKey::from_bytes(signing.verifying_key().to_bytes());
        assert_eq!(
            EdwardsPoint::mul_base(&secret).compress().to_bytes(),
            *public.as_bytes()
        );
        Holder {
            signing,
            secret,
            public,
        }
    }

    impl Holder {
        fn sign(&self, message: &[u8]) -> Signature {
            Signature::from_bytes(self.signing.sign(message).to_bytes())
        }

        /// A signature whose `R` carries the torsion point `torsion`: it
        /// satisfies the cofactored equation `[8]([s]B − [k]A − R) = 0`,
        /// and `verify_strict` refuses it.
        fn sign_with_torsion(&self, message: &[u8], torsion: EdwardsPoint) -> Signature {
            let r = Scalar::from_bytes_mod_order_wide(&Sha512::digest(message).into());
            let big_r = (EdwardsPoint::mul_base(&r) + torsion).compress();
            let hram: [u8; 64] = Sha512::new()
                .chain_update(big_r.as_bytes())
                .chain_update(self.public.as_bytes())
                .chain_update(message)
                .finalize()
                .into();
            let k = Scalar::from_bytes_mod_order_wide(&hram);
            let s = r + k * self.secret;
            let mut bytes = [0u8; 64];
            bytes[..32].copy_from_slice(big_r.as_bytes());
            bytes[32..].copy_from_slice(s.as_bytes());
            Signature::from_bytes(bytes)
        }
    }

    fn strict(key: &PublicKey, message: &[u8], signature: &Signature) -> bool {
        key.verify(message, signature).is_ok()
    }

    /// `count` honest signatures by four key holders.
    fn honest(count: usize) -> Vec<(PublicKey, Vec<u8>, Signature)> {
        let holders: Vec<Holder> = (1..=4).map(holder).collect();
        (0..count)
            .map(|i| {
                let holder = &holders[i % 4];
                let message = format!("transfer {i}").into_bytes();
                let signature = holder.sign(&message);
                (holder.public, message, signature)
            })
            .collect()
    }

    fn batch_of(items: &[(PublicKey, Vec<u8>, Signature)]) -> Batch {
        let mut batch = Batch::with_capacity(items.len());
        for (key, message, signature) in items {
            assert!(batch.add(key, BatchKey::new(key), message, signature));
        }
        batch
    }

    #[test]
    fn honest_signatures_all_pass() {
        let items = honest(300);
        assert!(items.iter().all(|(k, m, s)| strict(k, m, s)));
        assert_eq!(batch_of(&items).verify(), vec![true; 300]);
    }

    #[test]
    fn a_small_batch_decides_nothing() {
        let items = honest(MIN_BATCH - 1);
        assert_eq!(batch_of(&items).verify(), vec![false; MIN_BATCH - 1]);
    }

    #[test]
    fn one_forgery_is_isolated_by_halving() {
        let mut items = honest(1024);
        items[700].1 = b"transfer 700 changed".to_vec();
        assert!(!strict(&items[700].0, &items[700].1, &items[700].2));
        let verdicts = batch_of(&items).verify();
        assert!(!verdicts[700]);
        // Halving stops at groups below 128: at most 255 are left undecided.
        let undecided = verdicts.iter().filter(|v| !**v).count();
        assert!(undecided < 2 * MIN_BATCH, "{undecided} left undecided");
        assert!(verdicts[..512].iter().all(|v| *v));
    }

    /// The case a plain batch gets wrong: a key holder plants a torsion
    /// component in `R`, and the signature's coefficient `z` happens to be a
    /// multiple of 8, so `z·T = 0` and the batch equation holds. Only the
    /// subset check catches it, and `verify_strict` agrees.
    #[test]
    fn a_torsion_component_in_r_is_caught_even_when_the_equation_holds() {
        let bad = holder(9);
        let base = honest(MIN_BATCH);
        // A point of order 8 and the point of order 2.
        for torsion in [EIGHT_TORSION[1], EIGHT_TORSION[4]] {
            let mut found = false;
            for attempt in 0..200u32 {
                let mut items = base.clone();
                let message = format!("forged {attempt}").into_bytes();
                let signature = bad.sign_with_torsion(&message, torsion);
                assert!(!strict(&bad.public, &message, &signature));
                items.push((bad.public, message, signature));
                let batch = batch_of(&items);
                let seed: [u8; 64] = batch.transcript.clone().finalize().into();
                let coefficients = coefficients(&seed, items.len());
                // R enters the equation with the scalar −z mod ℓ, and that
                // integer is what multiplies R's torsion component.
                let minus_z = -coefficients[MIN_BATCH].0;
                if minus_z.as_bytes()[0] % 8 != 0 {
                    continue;
                }
                found = true;
                assert!(
                    equation_holds(&batch.points, &batch.entries, &coefficients),
                    "z ≡ 0 (mod 8) hides the torsion from the equation"
                );
                assert!(!torsion_free(&batch.entries, &coefficients));
                let verdicts = batch.verify();
                assert!(!verdicts[MIN_BATCH]);
                break;
            }
            assert!(found, "no attempt gave a coefficient divisible by 8");
        }
    }

    #[test]
    fn what_a_batch_never_takes() {
        let good = holder(1);
        let message = b"transfer".to_vec();
        let signature = good.sign(&message);
        let mut batch = Batch::with_capacity(1);
        let key = BatchKey::new(&good.public);

        // s + ℓ: the same s, not canonical.
        let mut bytes = *signature.as_bytes();
        let s = Scalar::from_canonical_bytes(bytes[32..].try_into().unwrap()).unwrap();
        let ell_plus_s = {
            // ℓ + s as a 256-bit little-endian number (fits: s < ℓ < 2²⁵³).
            let mut out = [0u8; 32];
            let ell_bytes: [u8; 32] = [
                0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9,
                0xde, 0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
            ];
            let mut carry = 0u16;
            for i in 0..32 {
                let sum = u16::from(ell_bytes[i]) + u16::from(s.as_bytes()[i]) + carry;
                out[i] = sum as u8;
                carry = sum >> 8;
            }
            out
        };
        bytes[32..].copy_from_slice(&ell_plus_s);
        let unreduced = Signature::from_bytes(bytes);
        assert!(!strict(&good.public, &message, &unreduced));
        assert!(!batch.add(&good.public, key, &message, &unreduced));

        // A small-order R (the identity) with s = 0.
        let mut bytes = [0u8; 64];
        bytes[0] = 1;
        let small_r = Signature::from_bytes(bytes);
        assert!(!batch.add(&good.public, key, &message, &small_r));

        // The identity as a key: [0]B − [k]·O = O = R, so the plain
        // equation holds; verify_strict refuses the weak key.
        let weak = PublicKey::from_bytes({
            let mut b = [0u8; 32];
            b[0] = 1;
            b
        });
        assert!(!strict(&weak, &message, &small_r));
        assert!(matches!(BatchKey::new(&weak), BatchKey::Unsuitable));

        // A key with a torsion component, and bytes that are not a point.
        let mixed = PublicKey::from_bytes(
            (EdwardsPoint::mul_base(&good.secret) + EIGHT_TORSION[1])
                .compress()
                .to_bytes(),
        );
        assert!(matches!(BatchKey::new(&mixed), BatchKey::Unsuitable));
        let mut not_a_point = [0u8; 32];
        not_a_point[0] = 2;
        assert!(CompressedEdwardsY(not_a_point).decompress().is_none());
        assert!(matches!(
            BatchKey::new(&PublicKey::from_bytes(not_a_point)),
            BatchKey::Unsuitable
        ));
        assert!(!batch.add(&good.public, BatchKey::Unsuitable, &message, &signature));

        // The honest signature itself is taken.
        assert!(batch.add(&good.public, key, &message, &signature));
    }

    #[test]
    fn canonical_y_boundaries() {
        let mut p = [0xffu8; 32];
        p[0] = 0xed;
        p[31] = 0x7f;
        assert!(!canonical_y(&p), "p itself");
        p[31] = 0xff;
        assert!(!canonical_y(&p), "p with the sign bit");
        p[0] = 0xec;
        assert!(canonical_y(&p), "p − 1 with the sign bit");
        p[31] = 0x7f;
        assert!(canonical_y(&p), "p − 1");
        p[0] = 0xff;
        assert!(!canonical_y(&p), "2²⁵⁵ − 1");
        p[5] = 0xfe;
        assert!(canonical_y(&p), "below p in a middle byte");
        assert!(canonical_y(&[0; 32]));
    }
}
