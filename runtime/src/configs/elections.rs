//! Elections: the commission runs them, trustees hold the key, citizens vote feelessly.

use crate::{IdentityRegistry, Runtime, RuntimeEvent, Timestamp};
use egov_primitives::{roles::ElectionCommissionRole, EnsureRole};
use frame_support::traits::{ConstU32, ConstU64};
use polkadot_sdk::*;

impl pallet_elections::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type CommissionOrigin = EnsureRole<crate::AccountId, IdentityRegistry, ElectionCommissionRole>;
	// Root or two thirds of the council: opens for, or ends, another's election.
	type GovernanceOrigin = super::governance::GovernanceOrigin;
	type Authorities = IdentityRegistry;
	type Citizens = IdentityRegistry;
	type UnixTime = Timestamp;
	// A voter may change their vote four times: enough to undo a coerced ballot, few
	// enough that feeless re-voting cannot flood blocks.
	type MaxBallotsPerVoter = ConstU32<5>;
	// Valid ballots go first. A fee-paying transaction reaches this priority only with a
	// tip of about 370 UNIT (priority = (tip + 1) × transactions that fit in a block,
	// ≤ 50,000 by length), and then merely ties with ballots: spam cannot starve them.
	// Junk ballots never get here: `CheckBallot` refuses them.
	type BallotPriority = ConstU64<{ u64::MAX }>;
	// No single trustee can ever decrypt.
	type MinThreshold = ConstU32<2>;
	// A block verifies all its ballots' proofs at its end, in one batch. The bound is above
	// what the block weight allows, and the queue it bounds holds ~1.7 MB at the most
	// (4,096 referendum ballots; the weight allows ~80 of the largest approval ballots).
	type MaxBallotsPerBlock = ConstU32<{ pallet_elections::MAX_BALLOTS_PER_BLOCK }>;
	type WeightInfo = pallet_elections::weights::SubstrateWeight<Runtime>;
}
