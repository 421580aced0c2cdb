//! Elections: the commission runs them, trustees hold the key, citizens vote feelessly.

use crate::{IdentityRegistry, Runtime, RuntimeEvent, Timestamp};
use egov_primitives::{roles::ElectionCommissionRole, EnsureRole};
use frame_support::traits::ConstU32;
use polkadot_sdk::*;

impl pallet_elections::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type CommissionOrigin = EnsureRole<crate::AccountId, IdentityRegistry, ElectionCommissionRole>;
	type Authorities = IdentityRegistry;
	type Citizens = IdentityRegistry;
	type UnixTime = Timestamp;
	// A voter may change their vote four times: enough to undo a coerced ballot, few
	// enough that feeless re-voting cannot flood blocks.
	type MaxBallotsPerVoter = ConstU32<5>;
	// No single trustee can ever decrypt.
	type MinThreshold = ConstU32<2>;
	type WeightInfo = pallet_elections::weights::SubstrateWeight<Runtime>;
}
