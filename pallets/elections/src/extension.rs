//! [`CheckBallot`]: the transaction extension that keeps invalid ballots out of blocks.
//!
//! A ballot is feeless, so a ballot that fails after inclusion costs its sender nothing
//! and the chain a full verification: one voter could fill every block with junk. This
//! extension runs every rule of [`Pallet::check_ballot`] (the election is open, the signer
//! may vote and has ballots left, the ballot is new, it has the election's shape, every
//! proof holds) in `validate`:
//!
//! - in the **transaction pool** (any source but a block), with the proofs, so a ballot
//!   that would not count is refused before it is gossiped or put in a block, with the
//!   pallet's error as the reason (`InvalidTransaction::Custom(i)`, `i` the index of the
//!   [`Error`] variant, e.g. `InvalidBallotProof`);
//! - again **in the block** (FRAME validates every extrinsic before applying it), against
//!   the state the block has reached, but without the proofs: the sixth ballot of a voter
//!   whose five earlier ones are in the same block is dropped by an honest author, and a
//!   block that contains a ballot failing any rule does not import (validators re-execute
//!   it). There the proofs must answer their challenges (the ballot was made for this
//!   voter, election and key: cheap hashing), and the equations of all the block's
//!   ballots are verified together at its end ([`QueuedBallots`](crate::QueuedBallots)):
//!   a block with one false proof panics in execution, so it does not import either. A
//!   block holds at most [`Config::MaxBallotsPerBlock`] ballots; past that a ballot
//!   `ExhaustsResources` and waits for the next block.
//!
//! So each ballot's proofs are verified once in the pool and once, batched, per block
//! execution: `prepare` records the checked ballot's tracking code in [`CheckedBallot`],
//! `cast_ballot` queues the proofs of exactly that ballot, and `post_dispatch` clears it.
//! A `cast_ballot` that reaches dispatch any other way (inside `utility.batch`, which pays
//! fees) checks and verifies everything itself.
//!
//! Valid ballots get [`Config::BallotPriority`], so fee-paying transactions cannot push
//! them out of blocks; each ballot `provides` its tracking code, so the pool keeps one
//! copy of a ballot however often it is sent.

use crate::{Call, CheckedBallot, Config, Error, Pallet, Proofs};
use codec::{Decode, DecodeWithMemTracking, Encode};
use core::marker::PhantomData;
use polkadot_sdk::{
	frame_support::{
		dispatch::DispatchInfo,
		pallet_prelude::TransactionSource,
		traits::{Get, IsSubType},
	},
	sp_core::H256,
	sp_runtime::{
		traits::{
			AsSystemOriginSigner, DispatchInfoOf, Dispatchable, Implication, PostDispatchInfoOf,
			TransactionExtension, ValidateResult,
		},
		transaction_validity::{
			InvalidTransaction, TransactionLongevity, TransactionValidityError, ValidTransaction,
		},
		DispatchError, DispatchResult, Weight,
	},
};
use scale_info::TypeInfo;

/// Refuses, in the pool and in the block, every `cast_ballot` that would not count.
#[derive(Encode, Decode, DecodeWithMemTracking, Clone, Eq, PartialEq, TypeInfo)]
#[scale_info(skip_type_params(T))]
pub struct CheckBallot<T>(PhantomData<T>);

impl<T> CheckBallot<T> {
	pub fn new() -> Self {
		Self(PhantomData)
	}
}

impl<T> Default for CheckBallot<T> {
	fn default() -> Self {
		Self::new()
	}
}

impl<T> core::fmt::Debug for CheckBallot<T> {
	fn fmt(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
		write!(f, "CheckBallot")
	}
}

/// The pool's reason for refusing a ballot: the index of the pallet error it would fail
/// with, so clients name it from the metadata (`Elections.<variant>`).
pub fn refusal<T: Config>(error: Error<T>) -> TransactionValidityError {
	let index = match DispatchError::from(error) {
		DispatchError::Module(m) => m.error[0],
		_ => u8::MAX,
	};
	InvalidTransaction::Custom(index).into()
}

/// The pool tag of a ballot: one copy of each ballot in the pool.
fn ballot_tag(code: H256) -> alloc::vec::Vec<u8> {
	(b"egov-ballot", code).encode()
}

impl<T: Config + Send + Sync> TransactionExtension<T::RuntimeCall> for CheckBallot<T>
where
	T::RuntimeCall: Dispatchable<Info = DispatchInfo> + IsSubType<Call<T>>,
	<T::RuntimeCall as Dispatchable>::RuntimeOrigin: AsSystemOriginSigner<T::AccountId> + Clone,
{
	const IDENTIFIER: &'static str = "CheckBallot";
	type Implicit = ();
	/// The tracking code of the ballot checked in `validate` in the block.
	type Val = Option<H256>;
	/// Whether `prepare` recorded a checked ballot.
	type Pre = bool;

	/// Nothing beyond the call's own weight: `cast_ballot`'s weight was measured through
	/// this extension (its in-block checks and the call together; the storage they both
	/// read is charged once) and includes the ballot's share of the block's batch check.
	fn weight(&self, _call: &T::RuntimeCall) -> Weight {
		Weight::zero()
	}

	fn validate(
		&self,
		origin: <T::RuntimeCall as Dispatchable>::RuntimeOrigin,
		call: &T::RuntimeCall,
		_info: &DispatchInfoOf<T::RuntimeCall>,
		_len: usize,
		_self_implicit: Self::Implicit,
		_inherited_implication: &impl Implication,
		source: TransactionSource,
	) -> ValidateResult<Self::Val, T::RuntimeCall> {
		let Some(Call::cast_ballot { election, ballot }) = call.is_sub_type() else {
			return Ok((ValidTransaction::default(), None, origin));
		};
		// An unsigned or general transaction cannot dispatch `cast_ballot` (it requires
		// a signed origin); leave it to the other extensions to refuse.
		let Some(who) = origin.as_system_origin_signer() else {
			return Ok((ValidTransaction::default(), None, origin));
		};
		// In a block the proofs join the block's batch check; anywhere else (the pool, an
		// offchain worker) they are verified now.
		let proofs =
			if source == TransactionSource::InBlock { Proofs::Defer } else { Proofs::Verify };
		let accepted =
			Pallet::<T>::check_ballot(*election, who, ballot, proofs).map_err(refusal::<T>)?;
		// The proofs wait for the block's end; the block holds a bounded number of them.
		if proofs == Proofs::Defer && !Pallet::<T>::block_has_room_for_a_ballot() {
			return Err(InvalidTransaction::ExhaustsResources.into());
		}
		let code = accepted.tracking_code;
		let validity = ValidTransaction {
			priority: T::BallotPriority::get(),
			requires: alloc::vec![],
			provides: alloc::vec![ballot_tag(code)],
			longevity: TransactionLongevity::MAX,
			propagate: true,
		};
		Ok((validity, Some(code), origin))
	}

	fn prepare(
		self,
		val: Self::Val,
		_origin: &<T::RuntimeCall as Dispatchable>::RuntimeOrigin,
		_call: &T::RuntimeCall,
		_info: &DispatchInfoOf<T::RuntimeCall>,
		_len: usize,
	) -> Result<Self::Pre, TransactionValidityError> {
		Ok(match val {
			Some(code) => {
				CheckedBallot::<T>::put(code);
				true
			},
			None => false,
		})
	}

	fn post_dispatch_details(
		pre: Self::Pre,
		_info: &DispatchInfoOf<T::RuntimeCall>,
		_post_info: &PostDispatchInfoOf<T::RuntimeCall>,
		_len: usize,
		_result: &DispatchResult,
	) -> Result<Weight, TransactionValidityError> {
		if pre {
			CheckedBallot::<T>::kill();
		}
		Ok(Weight::zero())
	}
}
