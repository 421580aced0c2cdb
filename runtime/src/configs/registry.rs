//! The registry pallets: identity (citizens, entities, authorities, credentials).

use crate::{configs::GovernanceOrigin, Runtime, RuntimeEvent, Timestamp, DAYS};
use frame_support::{parameter_types, traits::ConstU32};
use polkadot_sdk::*;

parameter_types! {
	/// A citizen has a week to accept a key rotation started at the registry office.
	pub const RotationWindow: crate::BlockNumber = 7 * DAYS;
	/// After acceptance the old key has a week to object before the new key takes over
	/// (a court confirms a stolen-key recovery at once).
	pub const RotationNotice: crate::BlockNumber = 7 * DAYS;
}

impl pallet_identity_registry::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type GovernanceOrigin = GovernanceOrigin;
	type UnixTime = Timestamp;
	type MaxCredentialKinds = ConstU32<16>;
	type MaxRepresentatives = ConstU32<16>;
	type RotationWindow = RotationWindow;
	type RotationNotice = RotationNotice;
	type WeightInfo = pallet_identity_registry::weights::SubstrateWeight<Runtime>;
}

impl pallet_skip_feeless_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
}
