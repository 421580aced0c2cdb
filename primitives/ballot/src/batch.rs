//! Batch verification: the equations of many ballots as one multi-scalar multiplication.
//!
//! Each equation `Σ k_i·P_i = 0` is multiplied by a 128-bit weight drawn from a transcript
//! that holds the whole ballot (context, ciphertexts and proofs), and all are summed. A
//! ballot with a false equation makes the sum non-zero except with probability 2^-128.

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
	ballots: usize,
}

impl BatchVerifier {
	pub fn new() -> Self {
		Self::default()
	}

	/// Ballots added so far.
	pub fn len(&self) -> usize {
		self.ballots
	}

	pub fn is_empty(&self) -> bool {
		self.ballots == 0
	}

	/// Checks a ballot's shape, encodings and challenges, and adds its equations. On error
	/// nothing is added.
	pub fn add(
		&mut self,
		ctx: &BallotContext,
		spec: &BallotSpec,
		ballot: &EncryptedBallot,
	) -> Result<(), Error> {
		spec.check()?;
		let n = spec.ciphertexts() as usize;
		let sum_values = spec.sum_values();
		let sum_proof_fits = match &ballot.sum_proof {
			Some(p) => spec.has_sum_proof() && p.has_branches(sum_values.len()),
			None => !spec.has_sum_proof(),
		};
		if ballot.ciphertexts.len() != n
			|| ballot.option_proofs.len() != n
			|| !ballot.option_proofs.iter().all(|p| p.has_branches(2))
			|| !sum_proof_fits
		{
			return Err(Error::WrongShape);
		}
		let h = decompress(&ctx.public_key)?;
		let cts = ballot.ciphertexts.iter().map(|ct| ct.points()).collect::<Result<Vec<_>, _>>()?;

		let base = ctx.transcript(spec, &ballot.ciphertexts);
		let mut weights = base.clone();
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
		self.scalars.push(equations.h_coeff);
		self.points.push(h);
		self.g_coeff += equations.g_coeff;
		self.ballots += 1;
		Ok(())
	}

	/// Whether every equation of every added ballot holds.
	pub fn verify(self) -> Result<(), Error> {
		let sum = RistrettoPoint::vartime_multiscalar_mul(
			self.scalars.iter().chain(core::iter::once(&self.g_coeff)),
			self.points.iter().chain(core::iter::once(&g())),
		);
		if sum.is_identity() {
			Ok(())
		} else {
			Err(Error::InvalidProof)
		}
	}
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
		let c = challenge(t, &proof.commitments);
		let challenges = proof.challenges.iter().map(scalar).collect::<Result<Vec<_>, _>>()?;
		let responses = proof.responses.iter().map(scalar).collect::<Result<Vec<_>, _>>()?;
		if challenges.iter().sum::<Scalar>() != c {
			return Err(Error::BadChallenge);
		}
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
