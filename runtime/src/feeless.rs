//! Feeless calls do not pay for the payment check they skip.
//!
//! Upstream `SkipCheckIfFeeless` skips the payment extension for a call whose
//! `#[pallet::feeless_if]` holds, but still charges the block the extension's full weight
//! (its `post_dispatch` refunds nothing). For ballots, which are feeless by design, that is
//! ~160 µs of block time each for a check that never ran. [`SkipPaymentIfFeeless`] is the
//! upstream extension with that refund: same encoding, same metadata, same identifier, so
//! wallets see the plain payment extension.

use codec::{Decode, DecodeWithMemTracking, Encode};
use polkadot_sdk::{
	frame_support::{
		dispatch::{CheckIfFeeless, DispatchResult},
		pallet_prelude::TransactionSource,
		weights::Weight,
	},
	frame_system,
	pallet_skip_feeless_payment::{self, Intermediate, SkipCheckIfFeeless},
	sp_runtime::{
		self,
		traits::{
			DispatchInfoOf, DispatchOriginOf, Implication, PostDispatchInfoOf,
			TransactionExtension, ValidateResult,
		},
		transaction_validity::TransactionValidityError,
	},
};
use scale_info::{StaticTypeInfo, TypeInfo};

/// [`SkipCheckIfFeeless`] that refunds the weight of the check it skipped.
#[derive(Encode, Decode, DecodeWithMemTracking, Clone, Eq, PartialEq)]
pub struct SkipPaymentIfFeeless<T, S>(pub SkipCheckIfFeeless<T, S>);

impl<T, S: StaticTypeInfo> TypeInfo for SkipPaymentIfFeeless<T, S> {
	type Identity = S;
	fn type_info() -> scale_info::Type {
		S::type_info()
	}
}

impl<T, S: Encode> core::fmt::Debug for SkipPaymentIfFeeless<T, S> {
	fn fmt(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
		self.0.fmt(f)
	}
}

impl<T, S> From<S> for SkipPaymentIfFeeless<T, S> {
	fn from(s: S) -> Self {
		Self(SkipCheckIfFeeless::from(s))
	}
}

impl<T, S> TransactionExtension<T::RuntimeCall> for SkipPaymentIfFeeless<T, S>
where
	T: pallet_skip_feeless_payment::Config + Send + Sync,
	S: TransactionExtension<T::RuntimeCall>,
	T::RuntimeCall: CheckIfFeeless<Origin = frame_system::pallet_prelude::OriginFor<T>>,
{
	const IDENTIFIER: &'static str = S::IDENTIFIER;
	type Implicit = S::Implicit;
	type Val = <SkipCheckIfFeeless<T, S> as TransactionExtension<T::RuntimeCall>>::Val;
	/// The inner extension's `Pre`, and the weight it skipped (zero when it applied).
	type Pre = (<SkipCheckIfFeeless<T, S> as TransactionExtension<T::RuntimeCall>>::Pre, Weight);

	fn metadata() -> alloc::vec::Vec<sp_runtime::traits::TransactionExtensionMetadata> {
		S::metadata()
	}

	fn implicit(&self) -> Result<Self::Implicit, TransactionValidityError> {
		self.0.implicit()
	}

	fn weight(&self, call: &T::RuntimeCall) -> Weight {
		self.0.weight(call)
	}

	fn validate(
		&self,
		origin: DispatchOriginOf<T::RuntimeCall>,
		call: &T::RuntimeCall,
		info: &DispatchInfoOf<T::RuntimeCall>,
		len: usize,
		self_implicit: S::Implicit,
		inherited_implication: &impl Implication,
		source: TransactionSource,
	) -> ValidateResult<Self::Val, T::RuntimeCall> {
		self.0
			.validate(origin, call, info, len, self_implicit, inherited_implication, source)
	}

	fn prepare(
		self,
		val: Self::Val,
		origin: &DispatchOriginOf<T::RuntimeCall>,
		call: &T::RuntimeCall,
		info: &DispatchInfoOf<T::RuntimeCall>,
		len: usize,
	) -> Result<Self::Pre, TransactionValidityError> {
		let skipped =
			if matches!(val, Intermediate::Skip(_)) { self.0.weight(call) } else { Weight::zero() };
		Ok((self.0.prepare(val, origin, call, info, len)?, skipped))
	}

	fn post_dispatch_details(
		(pre, skipped): Self::Pre,
		info: &DispatchInfoOf<T::RuntimeCall>,
		post_info: &PostDispatchInfoOf<T::RuntimeCall>,
		len: usize,
		result: &DispatchResult,
	) -> Result<Weight, TransactionValidityError> {
		let unspent = <SkipCheckIfFeeless<T, S> as TransactionExtension<T::RuntimeCall>>::post_dispatch_details(
			pre, info, post_info, len, result,
		)?;
		Ok(unspent.saturating_add(skipped))
	}
}
