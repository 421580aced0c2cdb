//! The Fiat–Shamir transcripts: what every proof is bound to.

use crate::{BallotSpec, Ciphertext, PointBytes};
use alloc::vec::Vec;
use codec::{Decode, Encode};
use merlin::Transcript;

/// Everything a ballot's proofs are bound to, besides the ballot's own ciphertexts.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct BallotContext {
	/// Genesis hash of the chain: a ballot for one chain is worthless on another.
	pub genesis_hash: [u8; 32],
	/// The election.
	pub election_id: u64,
	/// The voter's account, SCALE-encoded: a ballot copied to another voter fails.
	pub voter: Vec<u8>,
	/// The election's joint public key.
	pub public_key: PointBytes,
}

impl BallotContext {
	/// The transcript shared by all of a ballot's proofs: context, shape, all ciphertexts.
	pub(crate) fn transcript(&self, spec: &BallotSpec, ciphertexts: &[Ciphertext]) -> Transcript {
		let mut t = Transcript::new(b"egov-ballot/v2");
		t.append_message(b"genesis-hash", &self.genesis_hash);
		t.append_u64(b"election-id", self.election_id);
		t.append_message(b"voter", &self.voter);
		t.append_message(b"election-key", &self.public_key);
		t.append_u64(b"options", spec.options.into());
		t.append_u64(b"min-selections", spec.min_selections.into());
		t.append_u64(b"max-selections", spec.max_selections.into());
		t.append_u64(b"ciphertexts", ciphertexts.len() as u64);
		for ct in ciphertexts {
			t.append_message(b"ct-a", &ct.a);
			t.append_message(b"ct-b", &ct.b);
		}
		t
	}
}

/// The transcript of option `index`'s 0/1 proof.
pub(crate) fn option_transcript(base: &Transcript, index: u32) -> Transcript {
	let mut t = base.clone();
	t.append_u64(b"option-proof", index.into());
	t
}

/// The transcript of the sum proof.
pub(crate) fn sum_transcript(base: &Transcript) -> Transcript {
	let mut t = base.clone();
	t.append_message(b"sum-proof", b"");
	t
}
