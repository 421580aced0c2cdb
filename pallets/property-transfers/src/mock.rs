//! A runtime for the pallet's tests: balances, the real identity registry behind roles,
//! citizens and entities, and the real property registry.

use crate as pallet_property_transfers;
use egov_primitives::{
	roles::{CourtRole, LandRegistryRole},
	CitizenId, EnsureRole, EntityId, Role, MILLIS_PER_DAY,
};
use pallet_property_registry::Owner;
use polkadot_sdk::{
	frame_support::{
		self, derive_impl, parameter_types,
		traits::{ConstU32, ConstU64},
		BoundedVec, PalletId,
	},
	frame_system::{self, EnsureRoot},
	pallet_balances, pallet_timestamp,
	sp_core::H256,
	sp_io,
	sp_runtime::{BuildStorage, Perbill},
};

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Timestamp: pallet_timestamp,
		Balances: pallet_balances,
		Registry: pallet_identity_registry,
		Land: pallet_property_registry,
		Transfers: pallet_property_transfers,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u128>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type Balance = u128;
	type ExistentialDeposit = ExistentialDepositOf;
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

/// Longest deal in the mock, in blocks.
pub const MAX_DEAL_DURATION: u64 = 100;
/// Most open deals per title in the mock: a place for each owner, as in the runtime.
pub const MAX_DEALS_PER_TITLE: u32 = MAX_OWNERS;
/// Most open deals per opening account in the mock.
pub const MAX_DEALS_PER_ACCOUNT: u32 = MAX_DEALS_PER_TITLE + 1;
/// Most deals `on_idle` expires per block in the mock.
pub const MAX_EXPIRIES_PER_BLOCK: u32 = 2;

parameter_types! {
	pub const TransfersPalletId: PalletId = PalletId(*b"egov/ptx");
	pub const TreasuryAccount: u64 = TREASURY;
	/// The transfer duty; tests may change it (per test thread).
	pub static TransferDutyRate: Perbill = Perbill::from_percent(2);
	/// The existential deposit; tests may raise it (per test thread).
	pub static ExistentialDepositOf: u128 = 1;
}

impl pallet_property_transfers::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type Titles = Land;
	type Authorities = Registry;
	type Citizens = Registry;
	type PalletId = TransfersPalletId;
	type Treasury = TreasuryAccount;
	type TransferDuty = TransferDutyRate;
	type MaxDealDuration = ConstU64<MAX_DEAL_DURATION>;
	type MaxDealsPerTitle = ConstU32<MAX_DEALS_PER_TITLE>;
	type MaxDealsPerAccount = ConstU32<MAX_DEALS_PER_ACCOUNT>;
	type MaxReleases = ConstU32<MAX_ENCUMBRANCES>;
	type MaxExpiriesPerBlock = ConstU32<MAX_EXPIRIES_PER_BLOCK>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockBenchmarkHelper;
}

/// Registers benchmark entities through the identity registry, as the business registry.
#[cfg(feature = "runtime-benchmarks")]
pub struct MockBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<u64> for MockBenchmarkHelper {
	fn entity_represented_by(citizen: CitizenId, _account: &u64) -> Option<EntityId> {
		let entity = pallet_identity_registry::NextEntityId::<Test>::get();
		Registry::register_entity(
			RuntimeOrigin::signed(BUSINESS),
			H256::from_low_u64_be(0xbe00_0000 + citizen),
			BoundedVec::truncate_from(vec![citizen]),
		)
		.ok()?;
		Some(entity)
	}
}

// Authorities.
pub const CIVIL: u64 = 1;
pub const BUSINESS: u64 = 2;
pub const LAND: u64 = 3;
pub const COURT: u64 = 4;
pub const NOTARY: u64 = 5;
/// A second notary.
pub const NOTARY2: u64 = 6;
pub const NOBODY: u64 = 99;

// Citizens' accounts; their ids are registered in this order, from 0.
pub const ALICE: u64 = 10;
pub const BOB: u64 = 11;
pub const CAROL: u64 = 12;
pub const DAVE: u64 = 13;
/// A citizen with little money.
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

/// A bank (legal entity) represented by `BANKER`.
pub const BANK: EntityId = 0;
/// A company (legal entity) represented by `CLERK`.
pub const COMPANY: EntityId = 1;

/// The mock's citizens and company as title owners.
pub const A: Owner = Owner::Citizen(ALICE_ID);
pub const B: Owner = Owner::Citizen(BOB_ID);
pub const C: Owner = Owner::Citizen(CAROL_ID);
pub const D: Owner = Owner::Citizen(DAVE_ID);
pub const E: Owner = Owner::Citizen(EVE_ID);
pub const CO: Owner = Owner::Entity(COMPANY);

// Plain accounts (no citizen behind them).
/// Receives the transfer duty.
pub const TREASURY: u64 = 90;
/// The bank's account for payouts.
pub const VAULT: u64 = 91;
/// A seller's account for the proceeds.
pub const PROCEEDS: u64 = 92;

/// What every citizen's account holds at genesis, but `EVE`'s.
pub const INITIAL: u128 = 1_000_000;
/// What `EVE`'s account holds at genesis.
pub const EVE_INITIAL: u128 = 1_000;

/// "Today" in the tests: 2024-10-04 (days since the Unix epoch).
pub const TODAY: u32 = 20_000;
/// The timestamp of the tests' first block: noon today, in milliseconds.
pub const NOW_MS: u64 = TODAY as u64 * MILLIS_PER_DAY + 12 * 3_600_000;

/// Sets the block's timestamp (milliseconds).
pub fn set_now(ms: u64) {
	pallet_timestamp::Now::<Test>::put(ms);
}

/// Runs a test, then checks that the pallet's storage invariants still hold.
pub fn run_checked<R>(test: impl FnOnce() -> R) -> R {
	new_test_ext().execute_with(|| {
		let result = test();
		Transfers::do_try_state().expect("the invariants hold after the test");
		result
	})
}

pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![
			(ALICE, INITIAL),
			(BOB, INITIAL),
			(CAROL, INITIAL),
			(DAVE, INITIAL),
			(EVE, EVE_INITIAL),
			(BANKER, INITIAL),
			(CLERK, INITIAL),
		],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
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
		appoint(NOTARY, Role::Notary);
		appoint(NOTARY2, Role::Notary);
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
		// The bank (entity 0) by BANKER (citizen 5), the company (entity 1) by CLERK (6).
		for (n, rep) in [5, 6].into_iter().enumerate() {
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
