//! # egov-ballot: the ballot cryptography of egov-chain
//!
//! - **Encryption**: exponential ElGamal over Ristretto255. A ballot is one ciphertext per
//!   option, `(r·G, m·G + r·H)` with `m ∈ {0, 1}` and `H` the election's joint key, except
//!   when the ballot kind fixes how many options are selected (`s`, a referendum or a
//!   single choice): then the last option is implied, `s − Σ others`, and is neither sent
//!   nor tallied. A referendum is one ciphertext; `k` candidates are `k − 1`.
//! - **Validity proofs**: for every ciphertext, a disjunctive Chaum–Pedersen proof that it
//!   encrypts 0 or 1; for the ballot, one that the ciphertexts' sum is allowed
//!   (`min_selections..=max_selections`, or `s − 1..=s` with an implied last option, so
//!   that it is 0 or 1 too). The sum proof is left out when no sum of 0/1 ciphertexts can
//!   be wrong ([`BallotSpec::has_sum_proof`]): a referendum is a single 0/1 proof.
//! - **Binding**: every proof's Fiat–Shamir challenge comes from a Merlin transcript that
//!   holds the chain's genesis hash, the election id, the voter's account, the election key,
//!   the ballot's shape and *all* of the ballot's ciphertexts. A ballot copied to another
//!   voter or election, or with any ciphertext replaced, fails verification.
//! - **Batch verification**: proofs carry their commitments, so all the equations of many
//!   ballots fold into one multi-scalar multiplication with random 128-bit weights.
//! - **Tally and decryption**: ciphertexts add homomorphically; trustees publish
//!   decryption shares of the tally (never of a ballot) with DLEQ proofs; shares of any
//!   `t` trustees combine with Lagrange coefficients, and a claimed count `m` is accepted
//!   when `B − D = m·G`; an implied option's count is `s·ballots − Σ others`
//!   ([`check_result`]). No discrete-log table is needed on chain.
//!
//! The crate is `no_std`; the runtime, the CLI that builds ballots and the public verifier
//! all use it. Randomness is always supplied by the caller (the OS on a client), never by
//! the chain.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

mod batch;
mod decryption;
mod dkg;
mod proofs;
mod transcript;

pub use batch::{check_challenges, check_shape, BatchVerifier};
/// The bounded vector every stored type uses: the one `sp-runtime` and `frame-support`
/// re-export, so the runtime stores these types as they are.
pub use bounded_collections::{BoundedVec, ConstU32};
/// The group and scalar types, for clients and benchmarks.
pub use curve25519_dalek::{ristretto::RistrettoPoint, scalar::Scalar};
pub use decryption::{combine_shares, lagrange_at_zero, DecryptionShare, DleqProof, ShareContext};
pub use dkg::{
	aggregate_commitments, verification_key, Complaint, Dealing, DkgContext, EncryptedShare,
	PossessionProof, TransportKey,
};
pub use proofs::{BitProof, OrProof, SumProof};
pub use transcript::BallotContext;

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use curve25519_dalek::{
	constants::RISTRETTO_BASEPOINT_POINT, ristretto::CompressedRistretto, traits::Identity,
};
use rand_core::CryptoRngCore;
use scale_info::TypeInfo;

/// A compressed Ristretto point.
pub type PointBytes = [u8; 32];
/// A canonical scalar, little-endian.
pub type ScalarBytes = [u8; 32];

/// Most options a ballot may have.
pub const MAX_OPTIONS: u32 = 64;
/// Most distinct sums a ballot kind may allow (`max − min + 1`): the most branches of a
/// [`SumProof`].
pub const MAX_SUM_RANGE: u32 = 16;
/// Most trustees an election may have: the most shares in a [`Dealing`]. A threshold is at
/// most the number of trustees, so this also bounds a dealing's commitments.
pub const MAX_TRUSTEES: u32 = 16;

/// One ciphertext per option (at most [`MAX_OPTIONS`]): a ballot's, or a tally's.
pub type Ciphertexts = BoundedVec<Ciphertext, ConstU32<MAX_OPTIONS>>;
/// Feldman commitments `C_0..C_{t−1}` of a dealing, or their sum over the dealings: one per
/// coefficient, at most [`MAX_TRUSTEES`] (the largest threshold).
pub type Commitments = BoundedVec<PointBytes, ConstU32<MAX_TRUSTEES>>;

/// Why a ballot, share or key was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub enum Error {
	/// The ballot kind's bounds are impossible or too large.
	BadSpec,
	/// The number of ciphertexts or proofs does not match the ballot kind.
	WrongShape,
	/// A point does not decode as a Ristretto point.
	BadPoint,
	/// A scalar is not in canonical form.
	BadScalar,
	/// A proof's challenges do not add up to the transcript's challenge.
	BadChallenge,
	/// A proof equation does not hold.
	InvalidProof,
	/// The choices given to encrypt violate the ballot kind.
	InvalidChoice,
	/// A claimed count does not match the decryption.
	WrongCount,
	/// A complaint about a share that opens against its dealer's commitments.
	ShareOpens,
	/// More options (ciphertexts) than [`MAX_OPTIONS`].
	TooManyOptions,
	/// More trustees, or a larger threshold, than [`MAX_TRUSTEES`].
	TooManyTrustees,
}

/// The shape of a ballot: how many options, and how many may be selected.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct BallotSpec {
	/// One ciphertext per option.
	pub options: u32,
	/// Fewest options a valid ballot selects.
	pub min_selections: u32,
	/// Most options a valid ballot selects.
	pub max_selections: u32,
}

impl BallotSpec {
	/// A yes/no referendum: two options, exactly one selected.
	pub const REFERENDUM: BallotSpec =
		BallotSpec { options: 2, min_selections: 1, max_selections: 1 };

	/// Single choice among `candidates`: exactly one selected.
	pub fn single_choice(candidates: u32) -> Self {
		BallotSpec { options: candidates, min_selections: 1, max_selections: 1 }
	}

	/// Approval of at most `k` of `n` options (e.g. participatory budgeting).
	pub fn approval(n: u32, k: u32) -> Self {
		BallotSpec { options: n, min_selections: 0, max_selections: k }
	}

	/// Bounds are sane and within the crate's limits.
	pub fn check(&self) -> Result<(), Error> {
		let ok = self.options >= 1
			&& self.options <= MAX_OPTIONS
			&& self.min_selections <= self.max_selections
			&& self.max_selections <= self.options
			&& self.max_selections - self.min_selections < MAX_SUM_RANGE;
		ok.then_some(()).ok_or(Error::BadSpec)
	}

	/// Whether every valid ballot selects exactly `min_selections` options. The last
	/// option is then implied by the others and has no ciphertext.
	pub fn fixed_sum(&self) -> bool {
		self.min_selections == self.max_selections && self.options >= 2
	}

	/// Ciphertexts in a ballot of this kind, and in its tally.
	pub fn ciphertexts(&self) -> u32 {
		self.options - u32::from(self.fixed_sum())
	}

	/// The bounds of the ciphertexts' sum. With an implied last option (0 or 1) the others
	/// sum to `s − 1` or `s`.
	fn sum_bounds(&self) -> (u32, u32) {
		if self.fixed_sum() {
			let s = self.min_selections;
			(s.saturating_sub(1), s.min(self.ciphertexts()))
		} else {
			(self.min_selections, self.max_selections)
		}
	}

	/// The values the ciphertexts' sum may take: the sum proof's branches.
	pub(crate) fn sum_values(&self) -> Vec<u64> {
		let (lo, hi) = self.sum_bounds();
		(lo..=hi).map(u64::from).collect()
	}

	/// Whether a ballot carries a sum proof: not when every sum of its 0/1 ciphertexts is
	/// allowed (a referendum; approval of up to every option).
	pub fn has_sum_proof(&self) -> bool {
		let (lo, hi) = self.sum_bounds();
		!(lo == 0 && hi >= self.ciphertexts())
	}
}

/// An exponential-ElGamal ciphertext `(A, B) = (r·G, m·G + r·H)`.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct Ciphertext {
	pub a: PointBytes,
	pub b: PointBytes,
}

impl Ciphertext {
	/// The encryption of zero with no randomness: the neutral element of the tally.
	pub fn zero() -> Self {
		let o = RistrettoPoint::identity().compress().to_bytes();
		Ciphertext { a: o, b: o }
	}

	/// Whether both halves are encodings of points (`BadPoint` if not).
	pub fn check_points(&self) -> Result<(), Error> {
		self.points().map(|_| ())
	}

	pub(crate) fn points(&self) -> Result<(RistrettoPoint, RistrettoPoint), Error> {
		Ok((decompress(&self.a)?, decompress(&self.b)?))
	}

	pub(crate) fn from_points(a: RistrettoPoint, b: RistrettoPoint) -> Self {
		Ciphertext { a: a.compress().to_bytes(), b: b.compress().to_bytes() }
	}
}

/// An encrypted ballot with its validity proofs.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct EncryptedBallot {
	/// One ciphertext per option in the election's option order, the implied last one
	/// left out ([`BallotSpec::ciphertexts`]).
	pub ciphertexts: Ciphertexts,
	/// For each ciphertext, a proof that it encrypts 0 or 1.
	pub option_proofs: BoundedVec<BitProof, ConstU32<MAX_OPTIONS>>,
	/// A proof that the ciphertexts' sum is allowed, when the kind needs one
	/// ([`BallotSpec::has_sum_proof`]).
	pub sum_proof: Option<SumProof>,
}

/// What a voter keeps to audit a ballot (Benaloh challenge): the choices and the
/// encryption randomness. Revealing them spoils the ballot: it must not be cast.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct BallotOpening {
	/// One per option, the implied one included.
	pub choices: Vec<bool>,
	/// One per ciphertext.
	pub randomness: Vec<ScalarBytes>,
}

pub(crate) fn decompress(bytes: &PointBytes) -> Result<RistrettoPoint, Error> {
	CompressedRistretto(*bytes).decompress().ok_or(Error::BadPoint)
}

pub(crate) fn scalar(bytes: &ScalarBytes) -> Result<Scalar, Error> {
	Option::from(Scalar::from_canonical_bytes(*bytes)).ok_or(Error::BadScalar)
}

pub(crate) fn g() -> RistrettoPoint {
	RISTRETTO_BASEPOINT_POINT
}

/// An election key pair (for tests and single-trustee tools; real elections use the
/// trustees' joint key).
pub fn keypair(rng: &mut impl CryptoRngCore) -> (Scalar, PointBytes) {
	let x = Scalar::random(rng);
	(x, RistrettoPoint::mul_base(&x).compress().to_bytes())
}

/// Encrypts `choices` (one per option) under the context's election key and proves the
/// ballot valid. Returns the ballot and its opening (for a Benaloh audit).
pub fn encrypt_ballot(
	ctx: &BallotContext,
	spec: &BallotSpec,
	choices: &[bool],
	rng: &mut impl CryptoRngCore,
) -> Result<(EncryptedBallot, BallotOpening), Error> {
	spec.check()?;
	if choices.len() != spec.options as usize {
		return Err(Error::WrongShape);
	}
	let selected = choices.iter().filter(|c| **c).count() as u32;
	if selected < spec.min_selections || selected > spec.max_selections {
		return Err(Error::InvalidChoice);
	}
	let h = decompress(&ctx.public_key)?;
	let encrypted = &choices[..spec.ciphertexts() as usize];
	let randomness: Vec<Scalar> = encrypted.iter().map(|_| Scalar::random(rng)).collect();
	let points: Vec<(RistrettoPoint, RistrettoPoint)> = encrypted
		.iter()
		.zip(&randomness)
		.map(|(m, r)| {
			let a = RistrettoPoint::mul_base(r);
			let b = r * h + if *m { g() } else { RistrettoPoint::identity() };
			(a, b)
		})
		.collect();
	let ciphertexts: Ciphertexts = points
		.iter()
		.map(|(a, b)| Ciphertext::from_points(*a, *b))
		.collect::<Vec<_>>()
		.try_into()
		.map_err(|_| Error::TooManyOptions)?;

	let base = ctx.transcript(spec, &ciphertexts);
	let option_proofs = points
		.iter()
		.zip(&randomness)
		.zip(encrypted)
		.enumerate()
		.map(|(i, (((a, b), r), m))| {
			let mut t = transcript::option_transcript(&base, i as u32);
			BitProof::prove(&mut t, h, (*a, *b), &[0, 1], usize::from(*m), r, rng)
		})
		.collect::<Result<Vec<_>, _>>()?
		.try_into()
		.map_err(|_| Error::TooManyOptions)?;

	let sum_proof = if spec.has_sum_proof() {
		let (sum_a, sum_b) = points
			.iter()
			.fold((RistrettoPoint::identity(), RistrettoPoint::identity()), |(sa, sb), (a, b)| {
				(sa + a, sb + b)
			});
		let sum_r: Scalar = randomness.iter().sum();
		let values = spec.sum_values();
		let sum = encrypted.iter().filter(|c| **c).count() as u64;
		let index = values.iter().position(|v| *v == sum).ok_or(Error::InvalidChoice)?;
		let mut t = transcript::sum_transcript(&base);
		Some(SumProof::prove(&mut t, h, (sum_a, sum_b), &values, index, &sum_r, rng)?)
	} else {
		None
	};

	let opening = BallotOpening {
		choices: choices.to_vec(),
		randomness: randomness.iter().map(|r| r.to_bytes()).collect(),
	};
	Ok((EncryptedBallot { ciphertexts, option_proofs, sum_proof }, opening))
}

/// Verifies one ballot in its context. For many ballots, [`BatchVerifier`] is faster.
pub fn verify_ballot(
	ctx: &BallotContext,
	spec: &BallotSpec,
	ballot: &EncryptedBallot,
) -> Result<(), Error> {
	let mut batch = BatchVerifier::new();
	batch.add(ctx, spec, ballot)?;
	batch.verify()
}

/// Benaloh audit: checks that an opened (spoiled) ballot encrypts exactly `opening.choices`
/// under the context's key, so a voter can catch a client that encrypts something else.
pub fn audit_ballot(
	ctx: &BallotContext,
	spec: &BallotSpec,
	ballot: &EncryptedBallot,
	opening: &BallotOpening,
) -> Result<(), Error> {
	let n = spec.ciphertexts() as usize;
	if opening.choices.len() != spec.options as usize
		|| ballot.ciphertexts.len() != n
		|| opening.randomness.len() != n
	{
		return Err(Error::WrongShape);
	}
	// With an implied last option, the shown choices must select exactly `s`, or the
	// implied option would differ from the one shown.
	let selected = opening.choices.iter().filter(|c| **c).count() as u32;
	if selected < spec.min_selections || selected > spec.max_selections {
		return Err(Error::InvalidChoice);
	}
	let h = decompress(&ctx.public_key)?;
	for ((ct, m), r) in ballot.ciphertexts.iter().zip(&opening.choices).zip(&opening.randomness) {
		let r = scalar(r)?;
		let a = RistrettoPoint::mul_base(&r);
		let b = r * h + if *m { g() } else { RistrettoPoint::identity() };
		if Ciphertext::from_points(a, b) != *ct {
			return Err(Error::InvalidChoice);
		}
	}
	Ok(())
}

/// Homomorphic sum of ballots' ciphertexts, per ciphertext ([`BallotSpec::ciphertexts`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tally {
	sums: Vec<(RistrettoPoint, RistrettoPoint)>,
}

impl Tally {
	/// An empty tally of ballots of this kind.
	pub fn new(spec: &BallotSpec) -> Self {
		let identity = (RistrettoPoint::identity(), RistrettoPoint::identity());
		Tally { sums: alloc::vec![identity; spec.ciphertexts() as usize] }
	}

	/// Loads a stored tally.
	pub fn from_ciphertexts(cts: &[Ciphertext]) -> Result<Self, Error> {
		Ok(Tally { sums: cts.iter().map(Ciphertext::points).collect::<Result<_, _>>()? })
	}

	/// Adds a ballot's ciphertexts.
	pub fn add(&mut self, cts: &[Ciphertext]) -> Result<(), Error> {
		self.apply(cts, false)
	}

	/// Subtracts a superseded ballot's ciphertexts.
	pub fn subtract(&mut self, cts: &[Ciphertext]) -> Result<(), Error> {
		self.apply(cts, true)
	}

	fn apply(&mut self, cts: &[Ciphertext], negate: bool) -> Result<(), Error> {
		if cts.len() != self.sums.len() {
			return Err(Error::WrongShape);
		}
		let points = cts.iter().map(Ciphertext::points).collect::<Result<Vec<_>, _>>()?;
		for ((sa, sb), (a, b)) in self.sums.iter_mut().zip(points) {
			if negate {
				*sa -= a;
				*sb -= b;
			} else {
				*sa += a;
				*sb += b;
			}
		}
		Ok(())
	}

	/// The tally as ciphertexts, for storage.
	pub fn ciphertexts(&self) -> Result<Ciphertexts, Error> {
		self.sums
			.iter()
			.map(|(a, b)| Ciphertext::from_points(*a, *b))
			.collect::<Vec<_>>()
			.try_into()
			.map_err(|_| Error::TooManyOptions)
	}
}

/// Checks claimed per-option `counts` of a tally of `ballots` ballots against its combined
/// decryption `combined` (one point per ciphertext, `x·A`): each ciphertext's count `m`
/// when `B − D = m·G`, and an implied last option's count as `s·ballots − Σ others`.
pub fn check_result(
	spec: &BallotSpec,
	tally: &[Ciphertext],
	combined: &[PointBytes],
	counts: &[u64],
	ballots: u64,
) -> Result<(), Error> {
	let n = spec.ciphertexts() as usize;
	if counts.len() != spec.options as usize || tally.len() != n || combined.len() != n {
		return Err(Error::WrongShape);
	}
	for ((ct, d), m) in tally.iter().zip(combined).zip(counts) {
		let b = decompress(&ct.b)?;
		let d = decompress(d)?;
		if b - d != RistrettoPoint::mul_base(&Scalar::from(*m)) {
			return Err(Error::WrongCount);
		}
	}
	if spec.fixed_sum() && counts[n] != implied_count(spec, &counts[..n], ballots)? {
		return Err(Error::WrongCount);
	}
	Ok(())
}

/// Recovers the per-option counts of a tally of `ballots` ballots from its combined
/// decryption, searching `0..=ballots` per ciphertext (off-chain: the trustees' tools and
/// the verifier). The chain only checks, with [`check_result`].
pub fn decrypt_result(
	spec: &BallotSpec,
	tally: &[Ciphertext],
	combined: &[PointBytes],
	ballots: u64,
) -> Result<Vec<u64>, Error> {
	if tally.len() != spec.ciphertexts() as usize || combined.len() != tally.len() {
		return Err(Error::WrongShape);
	}
	let mut counts = tally
		.iter()
		.zip(combined)
		.map(|(ct, d)| {
			let m = decompress(&ct.b)? - decompress(d)?;
			discrete_log(&m.compress().to_bytes(), ballots).ok_or(Error::WrongCount)
		})
		.collect::<Result<Vec<_>, _>>()?;
	if spec.fixed_sum() {
		counts.push(implied_count(spec, &counts, ballots)?);
	}
	Ok(counts)
}

/// The implied last option's count: every ballot selected exactly `s` options.
fn implied_count(spec: &BallotSpec, others: &[u64], ballots: u64) -> Result<u64, Error> {
	let others = others.iter().try_fold(0u64, |acc, m| acc.checked_add(*m));
	u64::from(spec.min_selections)
		.checked_mul(ballots)
		.zip(others)
		.and_then(|(all, others)| all.checked_sub(others))
		.filter(|m| *m <= ballots)
		.ok_or(Error::WrongCount)
}

/// Finds `m ≤ max` with `m·G = point` by walking up from zero. Off-chain only (the
/// verifier and the trustees' tools): counts are at most the number of voters.
pub fn discrete_log(point: &PointBytes, max: u64) -> Option<u64> {
	let target = decompress(point).ok()?;
	let mut acc = RistrettoPoint::identity();
	for m in 0..=max {
		if acc == target {
			return Some(m);
		}
		acc += g();
	}
	None
}

#[cfg(test)]
mod tests;
