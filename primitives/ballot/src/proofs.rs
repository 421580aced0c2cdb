//! Disjunctive Chaum–Pedersen proofs ("this ciphertext encrypts one of these values").
//!
//! For a ciphertext `(A, B)` under key `H` and values `v_0..v_n`, branch `j` claims that
//! `(A, B − v_j·G)` has the same discrete log `r` to bases `G` and `H`. The prover
//! simulates every branch but the true one, and the branch challenges must add up to the
//! transcript's challenge. Commitments are part of the proof so that verification is a set
//! of linear equations, which batch into one multi-scalar multiplication:
//!
//! `s_j·G = a_j + c_j·A` and `s_j·H = b_j + c_j·(B − v_j·G)` for every branch `j`.

use crate::{g, Error, PointBytes, ScalarBytes, MAX_SUM_RANGE};
use alloc::vec::Vec;
use bounded_collections::{BoundedVec, ConstU32, Get};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use curve25519_dalek::{ristretto::RistrettoPoint, scalar::Scalar};
use merlin::Transcript;
use rand_core::CryptoRngCore;
use scale_info::TypeInfo;

/// A proof that a ciphertext encrypts one value of a known list of at most
/// `MaxBranches::get()` values. Its bound is its kind's: a ballot stores one [`BitProof`]
/// per option and at most one [`SumProof`], so a ballot's largest size is what its proofs
/// can hold, not sixteen branches for every 0/1 proof.
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
#[scale_info(skip_type_params(MaxBranches))]
pub struct OrProof<MaxBranches: Get<u32>> {
	/// Per branch: `(a_j, b_j)`.
	pub commitments: BoundedVec<(PointBytes, PointBytes), MaxBranches>,
	/// Per branch: `c_j`; they add up to the transcript's challenge.
	pub challenges: BoundedVec<ScalarBytes, MaxBranches>,
	/// Per branch: `s_j`.
	pub responses: BoundedVec<ScalarBytes, MaxBranches>,
}

/// That an option's ciphertext encrypts 0 or 1: two branches.
pub type BitProof = OrProof<ConstU32<2>>;
/// That a ballot's sum is allowed: one branch per allowed sum, at most [`MAX_SUM_RANGE`].
pub type SumProof = OrProof<ConstU32<MAX_SUM_RANGE>>;

// By hand: derived, they would ask the bound (a `ConstU32`) for `PartialEq` and `Debug`.
impl<B: Get<u32>> Clone for OrProof<B> {
	fn clone(&self) -> Self {
		OrProof {
			commitments: self.commitments.clone(),
			challenges: self.challenges.clone(),
			responses: self.responses.clone(),
		}
	}
}

impl<B: Get<u32>> PartialEq for OrProof<B> {
	fn eq(&self, other: &Self) -> bool {
		self.commitments == other.commitments
			&& self.challenges == other.challenges
			&& self.responses == other.responses
	}
}

impl<B: Get<u32>> Eq for OrProof<B> {}

impl<B: Get<u32>> core::fmt::Debug for OrProof<B> {
	fn fmt(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
		f.debug_struct("OrProof")
			.field("commitments", &self.commitments)
			.field("challenges", &self.challenges)
			.field("responses", &self.responses)
			.finish()
	}
}

impl<B: Get<u32>> OrProof<B> {
	/// Proves that `(a, b)` encrypts `values[index]` with randomness `r` under `h`.
	pub(crate) fn prove(
		t: &mut Transcript,
		h: RistrettoPoint,
		(a, b): (RistrettoPoint, RistrettoPoint),
		values: &[u64],
		index: usize,
		r: &Scalar,
		rng: &mut impl CryptoRngCore,
	) -> Result<Self, Error> {
		if index >= values.len() {
			return Err(Error::InvalidChoice);
		}
		// More values than this proof has branches: no ballot kind within the limits asks it.
		if values.len() > B::get() as usize {
			return Err(Error::BadSpec);
		}
		let w = Scalar::random(rng);
		let mut commitments = Vec::with_capacity(values.len());
		let mut challenges = Vec::with_capacity(values.len());
		let mut responses = Vec::with_capacity(values.len());
		for (j, v) in values.iter().enumerate() {
			if j == index {
				commitments.push((RistrettoPoint::mul_base(&w), w * h));
				challenges.push(Scalar::ZERO);
				responses.push(Scalar::ZERO);
			} else {
				// A simulated branch: pick the answer first, derive the commitment.
				let c = Scalar::random(rng);
				let s = Scalar::random(rng);
				let shifted = b - Scalar::from(*v) * g();
				commitments.push((RistrettoPoint::mul_base(&s) - c * a, s * h - c * shifted));
				challenges.push(c);
				responses.push(s);
			}
		}
		let commitments: Vec<(PointBytes, PointBytes)> = commitments
			.iter()
			.map(|(x, y)| (x.compress().to_bytes(), y.compress().to_bytes()))
			.collect();
		let c = challenge(t, &commitments);
		let simulated: Scalar = challenges.iter().sum();
		let c_true = c - simulated;
		challenges[index] = c_true;
		responses[index] = w + c_true * r;
		let bounded = |v: Vec<ScalarBytes>| BoundedVec::try_from(v).map_err(|_| Error::BadSpec);
		Ok(OrProof {
			commitments: commitments.try_into().map_err(|_| Error::BadSpec)?,
			challenges: bounded(challenges.iter().map(Scalar::to_bytes).collect())?,
			responses: bounded(responses.iter().map(Scalar::to_bytes).collect())?,
		})
	}

	/// Every branch is present.
	pub(crate) fn has_branches(&self, n: usize) -> bool {
		self.commitments.len() == n && self.challenges.len() == n && self.responses.len() == n
	}
}

/// The Fiat–Shamir challenge of a proof with these commitments.
pub(crate) fn challenge(t: &mut Transcript, commitments: &[(PointBytes, PointBytes)]) -> Scalar {
	t.append_u64(b"branches", commitments.len() as u64);
	for (x, y) in commitments {
		t.append_message(b"commit-g", x);
		t.append_message(b"commit-h", y);
	}
	let mut wide = [0u8; 64];
	t.challenge_bytes(b"challenge", &mut wide);
	Scalar::from_bytes_mod_order_wide(&wide)
}
