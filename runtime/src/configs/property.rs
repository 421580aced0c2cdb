//! Property: the land registry (titles kept by the land registry, frozen and rectified by
//! courts) and the transfer contracts (escrow deals that settle title and payment at once).

use crate::{
	AccountId, Balances, BlockNumber, IdentityRegistry, PropertyRegistry, Runtime, RuntimeEvent,
	Timestamp, DAYS,
};
use egov_primitives::{
	roles::{CourtRole, LandRegistryRole},
	EnsureRole,
};
use frame_support::{parameter_types, traits::ConstU32, PalletId};
use polkadot_sdk::*;
use sp_runtime::Perbill;

/// Most co-owners of a title, and so most open deals on it (one place each).
const MAX_OWNERS: u32 = 16;

impl pallet_property_registry::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type LandRegistryOrigin = EnsureRole<AccountId, IdentityRegistry, LandRegistryRole>;
	type CourtOrigin = EnsureRole<AccountId, IdentityRegistry, CourtRole>;
	type Citizens = IdentityRegistry;
	type UnixTime = Timestamp;
	type MaxOwners = ConstU32<MAX_OWNERS>;
	type MaxEncumbrances = ConstU32<16>;
	type WeightInfo = pallet_property_registry::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	/// Holds buyers' deposits while a deal is open.
	pub const EscrowPalletId: PalletId = PalletId(*b"egov/esc");
	/// Transfer duty on the price of every settled deal.
	pub const TransferDuty: Perbill = Perbill::from_percent(2);
	/// A deal must settle within 90 days of being opened.
	pub const MaxDealDuration: BlockNumber = 90 * DAYS;
}

impl pallet_property_transfers::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type Titles = PropertyRegistry;
	type Authorities = IdentityRegistry;
	type Citizens = IdentityRegistry;
	type PalletId = EscrowPalletId;
	// Duties go to the treasury, which the council spends from.
	type Treasury = crate::configs::governance::TreasuryAccount;
	type TransferDuty = TransferDuty;
	type MaxDealDuration = MaxDealDuration;
	// A place for every owner: a co-owner with no open deal can always open one.
	type MaxDealsPerTitle = ConstU32<MAX_OWNERS>;
	type MaxDealsPerAccount = ConstU32<32>;
	// At least `MaxEncumbrances`, so any title can be sold with all its mortgages paid off.
	type MaxReleases = ConstU32<16>;
	type MaxExpiriesPerBlock = ConstU32<64>;
	type WeightInfo = pallet_property_transfers::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = TransfersBenchmarkHelper;
}

/// Benchmarks need a bank (a legal entity) represented by a citizen.
#[cfg(feature = "runtime-benchmarks")]
pub struct TransfersBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_property_transfers::BenchmarkHelper<AccountId> for TransfersBenchmarkHelper {
	fn entity_represented_by(
		citizen: egov_primitives::CitizenId,
		_account: &AccountId,
	) -> Option<egov_primitives::EntityId> {
		use codec::Encode;
		use egov_primitives::{Authorities, Role};
		let registrar: AccountId = frame_benchmarking::account("business-registry", 0, 0);
		<IdentityRegistry as Authorities<AccountId>>::grant_role(
			&registrar,
			Role::BusinessRegistry,
		);
		let id = pallet_identity_registry::NextEntityId::<Runtime>::get();
		IdentityRegistry::register_entity(
			crate::RuntimeOrigin::signed(registrar),
			sp_core::H256(sp_io::hashing::blake2_256(&(b"bank", citizen).encode())),
			frame_support::BoundedVec::truncate_from(alloc::vec![citizen]),
		)
		.ok()?;
		Some(id)
	}
}
