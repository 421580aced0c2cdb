//! Collators: ministries run the collator nodes as invulnerables of collator selection.

use crate::{
	configs::GovernanceOrigin, Aura, Balances, BlockNumber, CollatorSelection, Runtime,
	RuntimeEvent, Session, SessionKeys, HOURS, SLOT_DURATION,
};
use frame_support::{
	parameter_types,
	traits::{ConstBool, ConstU32, ConstU64},
	PalletId,
};
use polkadot_sdk::*;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;

impl pallet_authorship::Config for Runtime {
	type FindAuthor = pallet_session::FindAccountFromAuthorIndex<Self, Aura>;
	type EventHandler = (CollatorSelection,);
}

parameter_types! {
	pub const Period: u32 = 6 * HOURS;
	pub const Offset: u32 = 0;
}

impl pallet_session::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type ValidatorId = <Self as frame_system::Config>::AccountId;
	// There are no stash and controller accounts: the collator account is its own id.
	type ValidatorIdOf = pallet_collator_selection::IdentityCollator;
	type ShouldEndSession = pallet_session::PeriodicSessions<Period, Offset>;
	type NextSessionRotation = pallet_session::PeriodicSessions<Period, Offset>;
	type SessionManager = CollatorSelection;
	// Aura, and authority discovery for the collators' addresses.
	type SessionHandler = <SessionKeys as sp_runtime::traits::OpaqueKeys>::KeyTypeIdProviders;
	type Keys = SessionKeys;
	type DisablingStrategy = ();
	type WeightInfo = ();
	type Currency = Balances;
	type KeyDeposit = ();
}

impl pallet_aura::Config for Runtime {
	type AuthorityId = AuraId;
	type DisabledValidators = ();
	type MaxAuthorities = ConstU32<100_000>;
	type AllowMultipleBlocksPerSlot = ConstBool<true>;
	type SlotDuration = ConstU64<SLOT_DURATION>;
}

/// Collators publish their network addresses under their authority-discovery key, so the
/// node can connect each collator directly to the next authors (one-hop block announcement).
impl pallet_authority_discovery::Config for Runtime {
	type MaxAuthorities = ConstU32<100_000>;
}

parameter_types! {
	pub const PotId: PalletId = PalletId(*b"PotStake");
	pub const SessionLength: BlockNumber = 6 * HOURS;
}

impl pallet_collator_selection::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	// Only the council of ministries decides who collates.
	type UpdateOrigin = GovernanceOrigin;
	type PotId = PotId;
	// No open candidacy: a state registry is authored by the ministries the council makes
	// invulnerable, never by whoever bonds a deposit (even if `DesiredCandidates` is
	// raised, `register_as_candidate` fails with `TooManyCandidates`).
	type MaxCandidates = ConstU32<0>;
	type MinEligibleCollators = ConstU32<1>;
	type MaxInvulnerables = ConstU32<64>;
	// Should be a multiple of the session period.
	type KickThreshold = Period;
	type ValidatorId = <Self as frame_system::Config>::AccountId;
	type ValidatorIdOf = pallet_collator_selection::IdentityCollator;
	type ValidatorRegistration = Session;
	type WeightInfo = ();
}
