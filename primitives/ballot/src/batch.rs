//! Batch verification: the equations of many ballots as one multi-scalar multiplication.
//!
//! Each equation `Σ k_i·P_i = 0` is multiplied by a 128-bit weight drawn from a transcript
//! that holds the whole ballot (context, ciphertexts and proofs), and all are summed. A
//! ballot with a false equation makes the sum non-zero except with probability 2^-128.
//!
//! A batch whose ballots are all fixed before any weight is drawn (a block's ballots) is
//! made with [`BatchVerifier::with_seed`]: the seed is a hash of every ballot in the batch,
//! and it enters every ballot's weight transcript, with the ballot's place in the batch.
//! Soundness: for a false equation with error point `E ≠ 0`, the sum is zero only if
//! `z·E` cancels the rest; `z` is a hash output that whoever assembles the batch (a
//! block's author, who chooses its ballots and their order) learns only after fixing
//! every ballot of it (changing any ballot changes the seed, so every weight). The group
//! has prime order, so for a given rest `P` at most one `z` mod ℓ solves `z·E = P`: each
//! try succeeds with probability at most 2^-128, and `q` hash evaluations with `q·2^-128`.
//! (The per-ballot transcript alone already makes the weights random-oracle outputs; the
//! seed and the ballot's place are defence in depth.) Ballots of one election share their
//! public key: its coefficients are added up (`Σk_i·H = (Σk_i)·H`; encodings are
//! canonical, so equal bytes are equal points), and it enters the multiplication once.

use crate::{
	decompress, g,
	proofs::{challenge, OrProof},
	scalar, transcript, BallotContext, BallotSpec, EncryptedBallot, Error,
};
use alloc::vec::Vec;
use bounded_collections::Get;
use codec::Encode;
use curve25519_dalek::{
	ristretto::RistrettoPoint,
	scalar::Scalar,
	traits::{IsIdentity, VartimeMultiscalarMul},
};
use merlin::Transcript;

/// Collects ballots' verification equations; [`BatchVerifier::verify`] checks them all.
#[derive(Default)]
pub struct BatchVerifier {
	scalars: Vec<Scalar>,
	points: Vec<RistrettoPoint>,
	g_coeff: Scalar,
	/// Each distinct public key, decompressed once, with its summed coefficient.
	keys: Vec<([u8; 32], RistrettoPoint, Scalar)>,
	seed: Option<[u8; 32]>,
	ballots: usize,
}

impl BatchVerifier {
	pub fn new() -> Self {
		Self::default()
	}

	/// A batch whose ballots were all fixed before it is checked; `seed` is a hash of all
	/// of them (see the module docs).
	pub fn with_seed(seed: [u8; 32]) -> Self {
		Self { seed: Some(seed), ..Self::default() }
	}

	/// Ballots added so far.
	pub fn len(&self) -> usize {
		self.ballots
	}

	pub fn is_empty(&self) -> bool {
		self.ballots == 0
	}

	/// Checks a ballot's shape, encodings and challenges, and adds its equations. On error
	/// no equation is added.
	pub fn add(
		&mut self,
		ctx: &BallotContext,
		spec: &BallotSpec,
		ballot: &EncryptedBallot,
	) -> Result<(), Error> {
		check_shape(spec, ballot)?;
		let sum_values = spec.sum_values();
		let key = match self.keys.iter().position(|(k, _, _)| *k == ctx.public_key) {
			Some(i) => i,
			None => {
				let h = decompress(&ctx.public_key)?;
				self.keys.push((ctx.public_key, h, Scalar::ZERO));
				self.keys.len() - 1
			},
		};
		let cts = ballot.ciphertexts.iter().map(|ct| ct.points()).collect::<Result<Vec<_>, _>>()?;

		let base = ctx.transcript(spec, &ballot.ciphertexts);
		let mut weights = base.clone();
		if let Some(seed) = &self.seed {
			weights.append_message(b"batch-seed", seed);
			weights.append_u64(b"batch-index", self.ballots as u64);
		}
		weights.append_message(b"batch-ballot", &ballot.encode());

		let mut equations = Equations::default();
		for (i, (proof, (a, b))) in ballot.option_proofs.iter().zip(&cts).enumerate() {
			let mut t = transcript::option_transcript(&base, i as u32);
			equations.or_proof(&mut t, &mut weights, proof, &[0, 1], *a, *b)?;
		}
		if let Some(sum_proof) = &ballot.sum_proof {
			let (sum_a, sum_b) = cts.iter().fold(
				(RistrettoPoint::default(), RistrettoPoint::default()),
				|(sa, sb), (a, b)| (sa + a, sb + b),
			);
			let mut t = transcript::sum_transcript(&base);
			equations.or_proof(&mut t, &mut weights, sum_proof, &sum_values, sum_a, sum_b)?;
		}

		// Only now, with the whole ballot checked, commit its equations.
		self.scalars.extend(equations.scalars);
		self.points.extend(equations.points);
		if let Some((_, _, h_coeff)) = self.keys.get_mut(key) {
			*h_coeff += equations.h_coeff;
		}
		self.g_coeff += equations.g_coeff;
		self.ballots += 1;
		Ok(())
	}

	/// Whether every equation of every added ballot holds.
	pub fn verify(self) -> Result<(), Error> {
		let sum = RistrettoPoint::vartime_multiscalar_mul(
			self.scalars
				.iter()
				.chain(self.keys.iter().map(|(_, _, k)| k))
				.chain(core::iter::once(&self.g_coeff)),
			self.points
				.iter()
				.chain(self.keys.iter().map(|(_, h, _)| h))
				.chain(core::iter::once(&g())),
		);
		if sum.is_identity() {
			Ok(())
		} else {
			Err(Error::InvalidProof)
		}
	}
}

/// Whether every proof of `ballot` answers the challenge of its transcript: the ballot was
/// made for this context (chain, election, key, voter), kind and ciphertexts. Hashing
/// only, no point arithmetic: the cheap half of verification. A ballot that passes this
/// and whose proofs held in one context holds in this one (same transcript, same
/// equations); only a forged proof response is left for the equations to catch.
pub fn check_challenges(
	ctx: &BallotContext,
	spec: &BallotSpec,
	ballot: &EncryptedBallot,
) -> Result<(), Error> {
	check_shape(spec, ballot)?;
	let base = ctx.transcript(spec, &ballot.ciphertexts);
	for (i, proof) in ballot.option_proofs.iter().enumerate() {
		checked_challenges(&mut transcript::option_transcript(&base, i as u32), proof)?;
	}
	if let Some(sum_proof) = &ballot.sum_proof {
		checked_challenges(&mut transcript::sum_transcript(&base), sum_proof)?;
	}
	Ok(())
}

/// A proof's challenges and responses as scalars, if its challenges add up to the
/// transcript's.
fn checked_challenges(
	t: &mut Transcript,
	proof: &OrProof<impl Get<u32>>,
) -> Result<(Vec<Scalar>, Vec<Scalar>), Error> {
	let c = challenge(t, &proof.commitments);
	let challenges = proof.challenges.iter().map(scalar).collect::<Result<Vec<_>, _>>()?;
	let responses = proof.responses.iter().map(scalar).collect::<Result<Vec<_>, _>>()?;
	if challenges.iter().sum::<Scalar>() != c {
		return Err(Error::BadChallenge);
	}
	Ok((challenges, responses))
}

/// Whether `ballot` has the shape `spec` asks for: as many ciphertexts and 0/1 proofs as
/// sent options, each proof with two branches, and a sum proof exactly when the kind needs
/// one, with one branch per allowed sum. Reads no point or scalar (cheap).
pub fn check_shape(spec: &BallotSpec, ballot: &EncryptedBallot) -> Result<(), Error> {
	spec.check()?;
	let n = spec.ciphertexts() as usize;
	let sum_proof_fits = match &ballot.sum_proof {
		Some(p) => spec.has_sum_proof() && p.has_branches(spec.sum_values().len()),
		None => !spec.has_sum_proof(),
	};
	if ballot.ciphertexts.len() != n
		|| ballot.option_proofs.len() != n
		|| !ballot.option_proofs.iter().all(|p| p.has_branches(2))
		|| !sum_proof_fits
	{
		return Err(Error::WrongShape);
	}
	Ok(())
}

/// One ballot's weighted equations, before they join the batch.
#[derive(Default)]
struct Equations {
	scalars: Vec<Scalar>,
	points: Vec<RistrettoPoint>,
	g_coeff: Scalar,
	h_coeff: Scalar,
}

impl Equations {
	fn or_proof(
		&mut self,
		t: &mut Transcript,
		weights: &mut Transcript,
		proof: &OrProof<impl Get<u32>>,
		values: &[u64],
		a: RistrettoPoint,
		b: RistrettoPoint,
	) -> Result<(), Error> {
		let (challenges, responses) = checked_challenges(t, proof)?;
		let mut a_coeff = Scalar::ZERO;
		let mut b_coeff = Scalar::ZERO;
		for (((commit_g, commit_h), (c_j, s_j)), v) in
			proof.commitments.iter().zip(challenges.iter().zip(&responses)).zip(values)
		{
			let (z1, z2) = (weight(weights), weight(weights));
			// z1·(s_j·G − a_j − c_j·A) = 0
			self.g_coeff += z1 * s_j;
			self.push(-z1, decompress(commit_g)?);
			a_coeff -= z1 * c_j;
			// z2·(s_j·H − b_j − c_j·B + c_j·v_j·G) = 0
			self.h_coeff += z2 * s_j;
			self.push(-z2, decompress(commit_h)?);
			b_coeff -= z2 * c_j;
			self.g_coeff += z2 * c_j * Scalar::from(*v);
		}
		self.push(a_coeff, a);
		self.push(b_coeff, b);
		Ok(())
	}

	fn push(&mut self, k: Scalar, p: RistrettoPoint) {
		self.scalars.push(k);
		self.points.push(p);
	}
}

/// A 128-bit weight from the ballot's weight transcript.
fn weight(t: &mut Transcript) -> Scalar {
	let mut bytes = [0u8; 32];
	t.challenge_bytes(b"weight", &mut bytes[..16]);
	Scalar::from_bytes_mod_order(bytes)
}
