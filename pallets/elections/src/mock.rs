//! A runtime for the pallet's tests, with the real identity registry behind eligibility
//! and roles.

use crate as pallet_elections;
use egov_primitives::{roles::ElectionCommissionRole, EnsureRole, Role, MILLIS_PER_DAY};
use polkadot_sdk::{
	frame_support::{
		self, derive_impl,
		traits::{ConstU32, ConstU64, Hooks},
		BoundedVec,
	},
	frame_system::{self, EnsureRoot},
	pallet_timestamp, sp_io,
	sp_runtime::BuildStorage,
};

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Timestamp: pallet_timestamp,
		Registry: pallet_identity_registry,
		Elections: pallet_elections,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	// Real database weights, so that refunds of storage accesses show in the tests.
	type DbWeight = polkadot_sdk::frame_support::weights::constants::RocksDbWeight;
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

/// Ballots per voter in the mock (the first and two re-votes).
pub const MAX_BALLOTS: u32 = 3;

impl pallet_elections::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type CommissionOrigin = EnsureRole<u64, Registry, ElectionCommissionRole>;
	type GovernanceOrigin = EnsureRoot<u64>;
	type Authorities = Registry;
	type Citizens = Registry;
	type UnixTime = Timestamp;
	type MaxBallotsPerVoter = ConstU32<MAX_BALLOTS>;
	type BallotPriority = ConstU64<BALLOT_PRIORITY>;
	type MinThreshold = ConstU32<2>;
	type MaxBallotsPerBlock = ConstU32<MAX_BALLOTS_PER_BLOCK_IN_MOCK>;
	type WeightInfo = ();
}

/// Ballots one block holds in the mock: few, so tests fill a block.
pub const MAX_BALLOTS_PER_BLOCK_IN_MOCK: u32 = 3;

/// Pool priority of a valid ballot in the mock.
pub const BALLOT_PRIORITY: u64 = u64::MAX;

pub const CIVIL: u64 = 1;
pub const COMMISSION: u64 = 2;
pub const TRUSTEES: [u64; 3] = [11, 12, 13];
/// Holds the trustee role but is not named in the test elections.
pub const SPARE_TRUSTEE: u64 = 14;
pub const NOBODY: u64 = 99;

/// "Today" in the tests: 2024-10-04 (days since the Unix epoch).
pub const TODAY: u32 = 20_000;

/// Runs a test, ends its block, then checks that the pallet's storage invariants still
/// hold.
pub fn run_checked<R>(test: impl FnOnce() -> R) -> R {
	new_test_ext().execute_with(|| {
		let result = test();
		// End the block as a node does: the batch check of its queued ballots.
		<Elections as Hooks<u64>>::on_finalize(System::block_number());
		Elections::do_try_state().expect("the invariants hold after the test");
		result
	})
}

pub fn new_test_ext() -> sp_io::TestExternalities {
	let storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		pallet_timestamp::Now::<Test>::put(TODAY as u64 * MILLIS_PER_DAY);
		let appoint = |who, role| {
			Registry::appoint_authority(RuntimeOrigin::root(), who, role, BoundedVec::new())
				.unwrap()
		};
		appoint(CIVIL, Role::CivilRegistry);
		appoint(COMMISSION, Role::ElectionCommission);
		for t in TRUSTEES.iter().chain([&SPARE_TRUSTEE]) {
			appoint(*t, Role::ElectionTrustee);
		}
		System::reset_events();
	});
	ext
}
