//! Distributed key generation for the trustees' joint election key (Joint-Feldman / Pedersen).
//!
//! No dealer ever holds the election secret:
//!
//! 1. Every trustee `j` (indices from 1) publishes a *transport key* `E_j = e_j·G` with a
//!    proof of possession. Shares addressed to `j` are encrypted to it.
//! 2. Every trustee `i` picks a random polynomial `f_i` of degree `t − 1` and publishes a
//!    [`Dealing`]: Feldman commitments `C_{i,k} = a_{i,k}·G`, a proof that it knows
//!    `a_{i,0}` (so no trustee can cancel another's contribution), and `f_i(j)` encrypted
//!    to every trustee `j`.
//! 3. The joint key is `X = Σ_i C_{i,0}`. Trustee `j`'s secret share is `x_j = Σ_i f_i(j)`,
//!    which it checks against the commitments; anyone computes its verification key
//!    `X_j = Σ_k j^k · (Σ_i C_{i,k})` from chain data.
//!
//! 4. Before the key is used, every trustee opens the shares addressed to it and either
//!    confirms them or files a [`Complaint`] against a dealer whose share does not open
//!    against its commitments: the Diffie–Hellman value of that share's encryption with a
//!    proof that it is the right one, so anyone can open the share and see it is wrong. A
//!    dealer so convicted is left out: the joint key is the sum over the others (the
//!    *qualified* dealers), every trustee's share the sum of theirs. A complaint against a
//!    share that does open proves nothing and is refused. A complaint reveals the share it
//!    is about, which its dealer and recipient held already: every share's ephemeral key
//!    carries a proof that its dealer knows its discrete log, so a dealer cannot make a
//!    victim's complaint reveal another dealer's share.
//!
//! Any `t` trustees together can decrypt the tally; fewer learn nothing about `x`.

use crate::{
	decompress, scalar, Commitments, DleqProof, Error, PointBytes, ScalarBytes, MAX_TRUSTEES,
};
use alloc::vec::Vec;
use bounded_collections::{BoundedVec, ConstU32};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use curve25519_dalek::{
	ristretto::RistrettoPoint,
	scalar::Scalar,
	traits::{Identity, VartimeMultiscalarMul},
};
use merlin::Transcript;
use rand_core::CryptoRngCore;
use scale_info::TypeInfo;

/// What a key-generation message is bound to.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct DkgContext {
	pub genesis_hash: [u8; 32],
	pub election_id: u64,
	/// The sender's index in the trustee list, from 1.
	pub trustee_index: u32,
	/// Number of trustees.
	pub trustees: u32,
	/// Shares needed to decrypt.
	pub threshold: u32,
}

impl DkgContext {
	fn transcript(&self, label: &'static [u8]) -> Transcript {
		let mut t = Transcript::new(b"egov-dkg/v1");
		t.append_message(b"step", label);
		t.append_message(b"genesis-hash", &self.genesis_hash);
		t.append_u64(b"election-id", self.election_id);
		t.append_u64(b"trustee", self.trustee_index.into());
		t.append_u64(b"trustees", self.trustees.into());
		t.append_u64(b"threshold", self.threshold.into());
		t
	}
}

/// A Schnorr proof of knowledge of `k` with `K = k·G` (compact form).
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct PossessionProof {
	pub challenge: ScalarBytes,
	pub response: ScalarBytes,
}

fn possession_challenge(mut t: Transcript, key: &PointBytes, commit: &RistrettoPoint) -> Scalar {
	t.append_message(b"key", key);
	t.append_message(b"commit", commit.compress().as_bytes());
	let mut wide = [0u8; 64];
	t.challenge_bytes(b"challenge", &mut wide);
	Scalar::from_bytes_mod_order_wide(&wide)
}

fn prove_possession(
	t: Transcript,
	secret: &Scalar,
	key: &PointBytes,
	rng: &mut impl CryptoRngCore,
) -> PossessionProof {
	let w = Scalar::random(rng);
	let c = possession_challenge(t, key, &RistrettoPoint::mul_base(&w));
	PossessionProof { challenge: c.to_bytes(), response: (w + c * secret).to_bytes() }
}

fn verify_possession(
	t: Transcript,
	key: &PointBytes,
	proof: &PossessionProof,
) -> Result<(), Error> {
	let k = decompress(key)?;
	if k == RistrettoPoint::identity() {
		return Err(Error::BadPoint);
	}
	let c = scalar(&proof.challenge)?;
	let s = scalar(&proof.response)?;
	let commit = RistrettoPoint::mul_base(&s) - c * k;
	(possession_challenge(t, key, &commit) == c)
		.then_some(())
		.ok_or(Error::InvalidProof)
}

/// A trustee's transport key and its proof of possession.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct TransportKey {
	pub key: PointBytes,
	pub proof: PossessionProof,
}

impl TransportKey {
	/// A fresh transport key for the trustee in `ctx`; keep the secret.
	pub fn generate(ctx: &DkgContext, rng: &mut impl CryptoRngCore) -> (Scalar, Self) {
		let e = Scalar::random(rng);
		let key = RistrettoPoint::mul_base(&e).compress().to_bytes();
		let proof = prove_possession(ctx.transcript(b"transport-key"), &e, &key, rng);
		(e, TransportKey { key, proof })
	}

	/// The proof of possession holds for this trustee and election.
	pub fn verify(&self, ctx: &DkgContext) -> Result<(), Error> {
		verify_possession(ctx.transcript(b"transport-key"), &self.key, &self.proof)
	}
}

/// `f_i(j)` encrypted to trustee `j`: `R = r·G`, `masked = f_i(j) + H(r·E_j)`, with a proof
/// that the dealer knows `r`. Without it a cheating dealer could copy an honest dealer's `R`
/// into a bad share: the victim's complaint would then publish `e_j·R` and with it the
/// honest dealer's share. With it, the `R` of every share is the dealer's own, so a
/// complaint reveals only what that dealer knew.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct EncryptedShare {
	pub ephemeral: PointBytes,
	pub masked: ScalarBytes,
	/// Knowledge of `r`, bound to the dealer's context and the recipient.
	pub proof: PossessionProof,
}

/// What the proof of an ephemeral key is bound to: the dealer's context and the recipient.
fn ephemeral_transcript(ctx: &DkgContext, recipient: u32) -> Transcript {
	let mut t = ctx.transcript(b"ephemeral");
	t.append_u64(b"recipient", recipient.into());
	t
}

fn share_mask(
	ctx: &DkgContext,
	recipient: u32,
	ephemeral: &PointBytes,
	shared: &RistrettoPoint,
) -> Scalar {
	let mut t = ctx.transcript(b"share-mask");
	t.append_u64(b"recipient", recipient.into());
	t.append_message(b"ephemeral", ephemeral);
	t.append_message(b"shared", shared.compress().as_bytes());
	let mut wide = [0u8; 64];
	t.challenge_bytes(b"mask", &mut wide);
	Scalar::from_bytes_mod_order_wide(&wide)
}

/// A trustee's contribution to the joint key.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct Dealing {
	/// `C_k = a_k·G` for `k = 0..t`.
	pub commitments: Commitments,
	/// Knowledge of `a_0`.
	pub proof: PossessionProof,
	/// `f(j)` for trustee `j = 1..=n`, in order.
	pub shares: BoundedVec<EncryptedShare, ConstU32<MAX_TRUSTEES>>,
}

fn eval_poly(coefficients: &[Scalar], x: u32) -> Scalar {
	let x = Scalar::from(u64::from(x));
	coefficients.iter().rev().fold(Scalar::ZERO, |acc, a| acc * x + a)
}

/// `Σ_k x^k · C_k`: the public value of a committed polynomial at `x`.
fn eval_commitments(commitments: &[RistrettoPoint], x: u32) -> RistrettoPoint {
	let x = Scalar::from(u64::from(x));
	let mut power = Scalar::ONE;
	let mut powers = Vec::with_capacity(commitments.len());
	for _ in commitments {
		powers.push(power);
		power *= x;
	}
	RistrettoPoint::vartime_multiscalar_mul(&powers, commitments)
}

impl Dealing {
	/// Trustee `ctx.trustee_index` deals shares to the trustees with `transport_keys`
	/// (in trustee order).
	pub fn create(
		ctx: &DkgContext,
		transport_keys: &[PointBytes],
		rng: &mut impl CryptoRngCore,
	) -> Result<Self, Error> {
		if transport_keys.len() != ctx.trustees as usize
			|| ctx.threshold == 0
			|| ctx.threshold > ctx.trustees
		{
			return Err(Error::WrongShape);
		}
		if ctx.trustees > MAX_TRUSTEES {
			return Err(Error::TooManyTrustees);
		}
		let coefficients: Vec<Scalar> =
			(0..ctx.threshold).map(|_| Scalar::random(&mut *rng)).collect();
		let commitments: Commitments = coefficients
			.iter()
			.map(|a| RistrettoPoint::mul_base(a).compress().to_bytes())
			.collect::<Vec<_>>()
			.try_into()
			.map_err(|_| Error::TooManyTrustees)?;
		let proof =
			prove_possession(ctx.transcript(b"dealing"), &coefficients[0], &commitments[0], rng);
		let shares = transport_keys
			.iter()
			.enumerate()
			.map(|(j, key)| {
				let recipient = j as u32 + 1;
				let e = decompress(key)?;
				let r = Scalar::random(&mut *rng);
				let ephemeral = RistrettoPoint::mul_base(&r).compress().to_bytes();
				let mask = share_mask(ctx, recipient, &ephemeral, &(r * e));
				let masked = (eval_poly(&coefficients, recipient) + mask).to_bytes();
				let proof = prove_possession(
					ephemeral_transcript(ctx, recipient),
					&r,
					&ephemeral,
					&mut *rng,
				);
				Ok(EncryptedShare { ephemeral, masked, proof })
			})
			.collect::<Result<Vec<_>, Error>>()?
			.try_into()
			.map_err(|_| Error::TooManyTrustees)?;
		Ok(Dealing { commitments, proof, shares })
	}

	/// What the chain checks: the shape, that every point decodes, the proof of possession
	/// of the constant term and of every share's ephemeral key.
	pub fn verify_public(&self, ctx: &DkgContext) -> Result<(), Error> {
		if self.commitments.len() != ctx.threshold as usize
			|| self.shares.len() != ctx.trustees as usize
		{
			return Err(Error::WrongShape);
		}
		for c in &self.commitments {
			decompress(c)?;
		}
		for (j, s) in (1u32..).zip(&self.shares) {
			scalar(&s.masked)?;
			// Decodes, is not the identity, and is the dealer's own.
			verify_possession(ephemeral_transcript(ctx, j), &s.ephemeral, &s.proof)?;
		}
		verify_possession(ctx.transcript(b"dealing"), &self.commitments[0], &self.proof)
	}

	/// The share encrypted to trustee `recipient` (from 1).
	fn share_for(&self, recipient: u32) -> Result<&EncryptedShare, Error> {
		let i = (recipient as usize).checked_sub(1).ok_or(Error::WrongShape)?;
		self.shares.get(i).ok_or(Error::WrongShape)
	}

	/// Trustee `recipient` opens its share with its transport secret and checks it
	/// against the commitments. `ctx` is the *dealer's* context.
	pub fn open_share(
		&self,
		ctx: &DkgContext,
		recipient: u32,
		transport_secret: &Scalar,
	) -> Result<Scalar, Error> {
		let enc = self.share_for(recipient)?;
		let r = decompress(&enc.ephemeral)?;
		let mask = share_mask(ctx, recipient, &enc.ephemeral, &(transport_secret * r));
		let share = scalar(&enc.masked)? - mask;
		let commitments = self.commitments.iter().map(decompress).collect::<Result<Vec<_>, _>>()?;
		if RistrettoPoint::mul_base(&share) != eval_commitments(&commitments, recipient) {
			return Err(Error::InvalidProof);
		}
		Ok(share)
	}
}

/// Trustee `recipient`'s evidence that the share a dealer encrypted to it does not open
/// against the dealer's commitments: `S = e·R`, the Diffie–Hellman value of the share's
/// ephemeral key `R` and the recipient's transport key `E = e·G`, with a proof that `S` and
/// `E` have the same discrete log to bases `R` and `G`. With `S` anyone removes the mask.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct Complaint {
	pub shared: PointBytes,
	pub proof: DleqProof,
}

/// The transcript of a complaint by `recipient` about the dealing of `ctx`'s trustee.
fn complaint_challenge(
	ctx: &DkgContext,
	recipient: u32,
	points: [&PointBytes; 3],
	commits: [&RistrettoPoint; 2],
) -> Scalar {
	let mut t = ctx.transcript(b"complaint");
	t.append_u64(b"recipient", recipient.into());
	let [transport_key, ephemeral, shared] = points;
	t.append_message(b"transport-key", transport_key);
	t.append_message(b"ephemeral", ephemeral);
	t.append_message(b"shared", shared);
	t.append_message(b"commit-g", commits[0].compress().as_bytes());
	t.append_message(b"commit-r", commits[1].compress().as_bytes());
	let mut wide = [0u8; 64];
	t.challenge_bytes(b"challenge", &mut wide);
	Scalar::from_bytes_mod_order_wide(&wide)
}

impl Complaint {
	/// Trustee `recipient`, with its transport secret, complains about `dealing` (made in
	/// the dealer's `ctx`). Refuses with `ShareOpens` if the share does open: there is
	/// nothing to complain about.
	pub fn create(
		ctx: &DkgContext,
		dealing: &Dealing,
		recipient: u32,
		transport_secret: &Scalar,
		rng: &mut impl CryptoRngCore,
	) -> Result<Self, Error> {
		match dealing.open_share(ctx, recipient, transport_secret) {
			Ok(_) => Err(Error::ShareOpens),
			Err(Error::InvalidProof) => {
				Self::reveal(ctx, dealing, recipient, transport_secret, rng)
			},
			Err(e) => Err(e),
		}
	}

	/// The same evidence without checking first that the share is bad: what a complaint
	/// reveals, for any share. A complaint so made about a share that opens convicts no one
	/// ([`Complaint::convicts`] is `ShareOpens`).
	pub fn reveal(
		ctx: &DkgContext,
		dealing: &Dealing,
		recipient: u32,
		transport_secret: &Scalar,
		rng: &mut impl CryptoRngCore,
	) -> Result<Self, Error> {
		let enc = dealing.share_for(recipient)?;
		let r = decompress(&enc.ephemeral)?;
		let shared = (transport_secret * r).compress().to_bytes();
		let transport_key = RistrettoPoint::mul_base(transport_secret).compress().to_bytes();
		let w = Scalar::random(rng);
		let commits = [&RistrettoPoint::mul_base(&w), &(w * r)];
		let c =
			complaint_challenge(ctx, recipient, [&transport_key, &enc.ephemeral, &shared], commits);
		let proof =
			DleqProof { challenge: c.to_bytes(), response: (w + c * transport_secret).to_bytes() };
		Ok(Complaint { shared, proof })
	}

	/// Whether this complaint convicts the dealer of `dealing` (made in the dealer's `ctx`)
	/// of a bad share to `recipient`, whose transport key is `transport_key`: `Ok` if the
	/// proof holds and the share it opens does not match the commitments. A complaint whose
	/// proof fails is `InvalidProof`; one about a share that opens is `ShareOpens`.
	pub fn convicts(
		&self,
		ctx: &DkgContext,
		dealing: &Dealing,
		recipient: u32,
		transport_key: &PointBytes,
	) -> Result<(), Error> {
		let enc = dealing.share_for(recipient)?;
		let e = decompress(transport_key)?;
		let r = decompress(&enc.ephemeral)?;
		let shared = decompress(&self.shared)?;
		let c = scalar(&self.proof.challenge)?;
		let s = scalar(&self.proof.response)?;
		let commits = [&(RistrettoPoint::mul_base(&s) - c * e), &(s * r - c * shared)];
		let expected = complaint_challenge(
			ctx,
			recipient,
			[transport_key, &enc.ephemeral, &self.shared],
			commits,
		);
		if expected != c {
			return Err(Error::InvalidProof);
		}
		let share = scalar(&enc.masked)? - share_mask(ctx, recipient, &enc.ephemeral, &shared);
		let commitments =
			dealing.commitments.iter().map(decompress).collect::<Result<Vec<_>, _>>()?;
		if RistrettoPoint::mul_base(&share) == eval_commitments(&commitments, recipient) {
			return Err(Error::ShareOpens);
		}
		Ok(())
	}
}

/// `A_k = Σ_i C_{i,k}` over all dealings' commitments: `A_0` is the joint election key.
pub fn aggregate_commitments(dealings: &[&[PointBytes]]) -> Result<Commitments, Error> {
	let t = dealings.first().map(|d| d.len()).ok_or(Error::WrongShape)?;
	let mut sums = alloc::vec![RistrettoPoint::identity(); t];
	for commitments in dealings {
		if commitments.len() != t {
			return Err(Error::WrongShape);
		}
		for (acc, c) in sums.iter_mut().zip(commitments.iter()) {
			*acc += decompress(c)?;
		}
	}
	if sums[0] == RistrettoPoint::identity() {
		return Err(Error::BadPoint);
	}
	sums.iter()
		.map(|p| p.compress().to_bytes())
		.collect::<Vec<_>>()
		.try_into()
		.map_err(|_| Error::TooManyTrustees)
}

/// Trustee `index`'s verification key `X_j = Σ_k j^k · A_k`.
pub fn verification_key(aggregate: &[PointBytes], index: u32) -> Result<PointBytes, Error> {
	let points = aggregate.iter().map(decompress).collect::<Result<Vec<_>, _>>()?;
	Ok(eval_commitments(&points, index).compress().to_bytes())
}
