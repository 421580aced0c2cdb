//! A runtime for the pallet's tests, with the real identity registry behind roles,
//! citizens and entities.

use crate as pallet_property_registry;
use egov_primitives::{
	roles::{CourtRole, LandRegistryRole},
	CitizenId, EnsureRole, EntityId, Role, MILLIS_PER_DAY,
};
use polkadot_sdk::{
	frame_support::{
		self, derive_impl,
		traits::{ConstU32, ConstU64},
		BoundedVec,
	},
	frame_system::{self, EnsureRoot},
	pallet_timestamp,
	sp_core::H256,
	sp_io,
	sp_runtime::BuildStorage,
};

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Timestamp: pallet_timestamp,
		Registry: pallet_identity_registry,
		Land: pallet_property_registry,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

impl pallet_timestamp::Config for Test {
	type Moment = u64;
	type OnTimestampSet = ();
	type MinimumPeriod = ConstU64<1>;
	type WeightInfo = ();
}

impl pallet_identity_registry::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type GovernanceOrigin = EnsureRoot<u64>;
	type UnixTime = Timestamp;
	type MaxCredentialKinds = ConstU32<4>;
	type MaxRepresentatives = ConstU32<3>;
	type RotationWindow = ConstU64<10>;
	type RotationNotice = ConstU64<5>;
	type WeightInfo = ();
}

/// Most owners of a title in the mock.
pub const MAX_OWNERS: u32 = 4;
/// Most encumbrances on a title in the mock.
pub const MAX_ENCUMBRANCES: u32 = 3;

impl pallet_property_registry::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type LandRegistryOrigin = EnsureRole<u64, Registry, LandRegistryRole>;
	type CourtOrigin = EnsureRole<u64, Registry, CourtRole>;
	type Citizens = Registry;
	type UnixTime = Timestamp;
	type MaxOwners = ConstU32<MAX_OWNERS>;
	type MaxEncumbrances = ConstU32<MAX_ENCUMBRANCES>;
	type WeightInfo = ();
}

// Authorities.
pub const CIVIL: u64 = 1;
pub const BUSINESS: u64 = 2;
pub const LAND: u64 = 3;
pub const COURT: u64 = 4;
/// A second court.
pub const OTHER_COURT: u64 = 6;
/// Holds a role, but neither the land registry's nor a court's.
pub const NOTARY: u64 = 5;
pub const NOBODY: u64 = 99;

// Citizens' accounts; their ids are registered in this order, from 0.
pub const ALICE: u64 = 10;
pub const BOB: u64 = 11;
pub const CAROL: u64 = 12;
pub const DAVE: u64 = 13;
pub const EVE: u64 = 14;
/// A citizen who represents the bank.
pub const BANKER: u64 = 15;
/// A citizen who represents the company.
pub const CLERK: u64 = 16;

pub const ALICE_ID: CitizenId = 0;
pub const BOB_ID: CitizenId = 1;
pub const CAROL_ID: CitizenId = 2;
pub const DAVE_ID: CitizenId = 3;
pub const EVE_ID: CitizenId = 4;
pub const BANKER_ID: CitizenId = 5;
pub const CLERK_ID: CitizenId = 6;
/// No citizen has this id.
pub const UNKNOWN_CITIZEN: CitizenId = 42;

/// A bank (legal entity) represented by `BANKER`.
pub const BANK: EntityId = 0;
/// A company (legal entity) represented by `CLERK`.
pub const COMPANY: EntityId = 1;
/// No entity has this id.
pub const UNKNOWN_ENTITY: EntityId = 42;

/// "Today" in the tests: 2024-10-04 (days since the Unix epoch).
pub const TODAY: u32 = 20_000;
/// The timestamp of the tests' first block: noon today, in milliseconds.
pub const NOW_MS: u64 = TODAY as u64 * MILLIS_PER_DAY + 12 * 3_600_000;

/// Sets the block's timestamp (milliseconds).
pub fn set_now(ms: u64) {
	pallet_timestamp::Now::<Test>::put(ms);
}

pub fn new_test_ext() -> sp_io::TestExternalities {
	let storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		set_now(NOW_MS);
		let appoint = |who, role| {
			Registry::appoint_authority(RuntimeOrigin::root(), who, role, BoundedVec::new())
				.unwrap()
		};
		appoint(CIVIL, Role::CivilRegistry);
		appoint(BUSINESS, Role::BusinessRegistry);
		appoint(LAND, Role::LandRegistry);
		appoint(COURT, Role::Court);
		appoint(OTHER_COURT, Role::Court);
		appoint(NOTARY, Role::Notary);
		for (n, account) in [ALICE, BOB, CAROL, DAVE, EVE, BANKER, CLERK].into_iter().enumerate() {
			Registry::register_citizen(
				RuntimeOrigin::signed(CIVIL),
				account,
				H256::repeat_byte(n as u8 + 1),
				7,
				egov_primitives::Majority::Adult,
			)
			.unwrap();
		}
		for (n, rep) in [BANKER_ID, CLERK_ID].into_iter().enumerate() {
			Registry::register_entity(
				RuntimeOrigin::signed(BUSINESS),
				H256::repeat_byte(100 + n as u8),
				BoundedVec::truncate_from(vec![rep]),
			)
			.unwrap();
		}
		System::reset_events();
	});
	ext
}

/// Runs `test` in a fresh [`new_test_ext`], then checks the pallet's storage invariants on
/// the state it left, so every test also shows its calls keep them.
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Land::do_try_state().expect("the storage invariants hold after the test");
	});
}
