//! Trustees' decryption shares of the tally, with proofs, and their combination.
//!
//! Trustee `i` holds a Shamir share `x_i` of the election secret, with public
//! verification key `X_i = x_i·G`. For each option's tally `(A, B)` it publishes
//! `D_i = x_i·A` and a DLEQ proof that `log_G X_i = log_A D_i`. Any `t` valid shares
//! combine to `D = Σ λ_i·D_i = x·A`, and the count `m` satisfies `B − D = m·G`.

use crate::{decompress, scalar, Ciphertext, Error, PointBytes, ScalarBytes, MAX_OPTIONS};
use alloc::vec::Vec;
use bounded_collections::{BoundedVec, ConstU32};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use curve25519_dalek::{ristretto::RistrettoPoint, scalar::Scalar, traits::Identity};
use merlin::Transcript;
use rand_core::CryptoRngCore;
use scale_info::TypeInfo;

/// What a trustee's shares are bound to: the chain, the election, the trustee, and the
/// closed election's final state. With the whole tally (every option's `A` and `B`) that
/// each proof also absorbs, a share proves a decryption of that final tally and of
/// nothing else: not of a tally from before the close, nor of any other ciphertext (one
/// voter's ballot), whatever a node shows the trustee.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct ShareContext {
	pub genesis_hash: [u8; 32],
	pub election_id: u64,
	/// The trustee's index in the key set, from 1.
	pub trustee_index: u32,
	/// The trustee's verification key `X_i`.
	pub verification_key: PointBytes,
	/// The voters the closed election counted (its `voters` when voting closed).
	pub counted_voters: u64,
}

/// A proof that two points have the same discrete log to two bases (compact form).
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct DleqProof {
	pub challenge: ScalarBytes,
	pub response: ScalarBytes,
}

/// A trustee's decryption shares of every option of a tally.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct DecryptionShare {
	/// `D_i = x_i·A` per option.
	pub shares: BoundedVec<PointBytes, ConstU32<MAX_OPTIONS>>,
	/// One proof per option.
	pub proofs: BoundedVec<DleqProof, ConstU32<MAX_OPTIONS>>,
}

/// What every option's proof shares: the context and the whole final tally.
fn share_transcript(ctx: &ShareContext, tally: &[Ciphertext]) -> Transcript {
	let mut t = Transcript::new(b"egov-decryption-share/v2");
	t.append_message(b"genesis-hash", &ctx.genesis_hash);
	t.append_u64(b"election-id", ctx.election_id);
	t.append_u64(b"trustee", ctx.trustee_index.into());
	t.append_message(b"verification-key", &ctx.verification_key);
	t.append_u64(b"counted-voters", ctx.counted_voters);
	t.append_u64(b"tally-ciphertexts", tally.len() as u64);
	for ct in tally {
		t.append_message(b"tally-a", &ct.a);
		t.append_message(b"tally-b", &ct.b);
	}
	t
}

/// The transcript of option `option`'s proof that `d = x_i·a`.
fn dleq_transcript(base: &Transcript, option: usize, a: &PointBytes, d: &PointBytes) -> Transcript {
	let mut t = base.clone();
	t.append_u64(b"option", option as u64);
	t.append_message(b"option-a", a);
	t.append_message(b"share", d);
	t
}

fn dleq_challenge(mut t: Transcript, t1: &RistrettoPoint, t2: &RistrettoPoint) -> Scalar {
	t.append_message(b"commit-g", t1.compress().as_bytes());
	t.append_message(b"commit-a", t2.compress().as_bytes());
	let mut wide = [0u8; 64];
	t.challenge_bytes(b"challenge", &mut wide);
	Scalar::from_bytes_mod_order_wide(&wide)
}

impl DecryptionShare {
	/// Trustee `ctx.trustee_index` with secret share `secret` decrypts its share of `tally`.
	pub fn create(
		ctx: &ShareContext,
		secret: &Scalar,
		tally: &[Ciphertext],
		rng: &mut impl CryptoRngCore,
	) -> Result<Self, Error> {
		if tally.len() > MAX_OPTIONS as usize {
			return Err(Error::TooManyOptions);
		}
		let base = share_transcript(ctx, tally);
		let mut shares = Vec::with_capacity(tally.len());
		let mut proofs = Vec::with_capacity(tally.len());
		for (k, ct) in tally.iter().enumerate() {
			let a = decompress(&ct.a)?;
			let d = (secret * a).compress().to_bytes();
			let w = Scalar::random(rng);
			let c = dleq_challenge(
				dleq_transcript(&base, k, &ct.a, &d),
				&RistrettoPoint::mul_base(&w),
				&(w * a),
			);
			let s = w + c * secret;
			shares.push(d);
			proofs.push(DleqProof { challenge: c.to_bytes(), response: s.to_bytes() });
		}
		Ok(DecryptionShare {
			shares: shares.try_into().map_err(|_| Error::TooManyOptions)?,
			proofs: proofs.try_into().map_err(|_| Error::TooManyOptions)?,
		})
	}

	/// Checks every option's share against the trustee's verification key, bound to `ctx`
	/// and to the whole of `tally`.
	pub fn verify(&self, ctx: &ShareContext, tally: &[Ciphertext]) -> Result<(), Error> {
		if self.shares.len() != tally.len() || self.proofs.len() != tally.len() {
			return Err(Error::WrongShape);
		}
		let x = decompress(&ctx.verification_key)?;
		let base = share_transcript(ctx, tally);
		for (k, ((d_bytes, proof), ct)) in
			self.shares.iter().zip(&self.proofs).zip(tally).enumerate()
		{
			let a = decompress(&ct.a)?;
			let d = decompress(d_bytes)?;
			let c = scalar(&proof.challenge)?;
			let s = scalar(&proof.response)?;
			let t1 = RistrettoPoint::mul_base(&s) - c * x;
			let t2 = s * a - c * d;
			if dleq_challenge(dleq_transcript(&base, k, &ct.a, d_bytes), &t1, &t2) != c {
				return Err(Error::InvalidProof);
			}
		}
		Ok(())
	}
}

/// The Lagrange coefficient at zero of index `i` among `indices` (all distinct, from 1).
pub fn lagrange_at_zero(indices: &[u32], i: u32) -> Option<Scalar> {
	let xi = Scalar::from(u64::from(i));
	let mut num = Scalar::ONE;
	let mut den = Scalar::ONE;
	for &j in indices.iter().filter(|j| **j != i) {
		let xj = Scalar::from(u64::from(j));
		num *= xj;
		den *= xj - xi;
	}
	(den != Scalar::ZERO).then(|| num * den.invert())
}

/// Combines the shares of distinct trustees `(index, shares)` into `D = x·A` per option.
pub fn combine_shares(
	shares: &[(u32, &DecryptionShare)],
	options: usize,
) -> Result<Vec<PointBytes>, Error> {
	let indices: Vec<u32> = shares.iter().map(|(i, _)| *i).collect();
	let mut sorted = indices.clone();
	sorted.sort_unstable();
	sorted.dedup();
	if sorted.len() != indices.len() || indices.contains(&0) {
		return Err(Error::WrongShape);
	}
	let mut combined = alloc::vec![RistrettoPoint::identity(); options];
	for (i, share) in shares {
		if share.shares.len() != options {
			return Err(Error::WrongShape);
		}
		let lambda = lagrange_at_zero(&indices, *i).ok_or(Error::WrongShape)?;
		for (acc, d) in combined.iter_mut().zip(&share.shares) {
			*acc += lambda * decompress(d)?;
		}
	}
	Ok(combined.iter().map(|d| d.compress().to_bytes()).collect())
}
