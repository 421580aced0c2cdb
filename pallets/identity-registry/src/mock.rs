//! A minimal runtime for the pallet's tests.

use crate as pallet_identity_registry;
use egov_primitives::{CredentialKind, Role, MILLIS_PER_DAY};
use polkadot_sdk::{
	frame_support::{
		self, derive_impl,
		traits::{ConstU32, ConstU64},
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

/// Blocks a rotation stays acceptable in the mock.
pub const ROTATION_WINDOW: u64 = 10;
/// Blocks after acceptance in which the old key may object, in the mock.
pub const ROTATION_NOTICE: u64 = 5;

impl pallet_identity_registry::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	// Root stands in for a council majority.
	type GovernanceOrigin = EnsureRoot<u64>;
	type UnixTime = Timestamp;
	type MaxCredentialKinds = ConstU32<4>;
	type MaxRepresentatives = ConstU32<3>;
	type RotationWindow = ConstU64<ROTATION_WINDOW>;
	type RotationNotice = ConstU64<ROTATION_NOTICE>;
	type WeightInfo = ();
}

pub const CIVIL: u64 = 1;
pub const BUSINESS: u64 = 2;
pub const UNIVERSITY: u64 = 3;
pub const MEDICAL_BOARD: u64 = 4;
pub const NOTARY: u64 = 5;
pub const COURT: u64 = 6;
pub const NOBODY: u64 = 99;

/// "Today" in the tests: 2024-10-04.
pub const TODAY: u32 = 20_000;

pub fn set_today(day: u32) {
	pallet_timestamp::Now::<Test>::put(day as u64 * MILLIS_PER_DAY + 12 * 3_600_000);
}

pub fn kinds(k: &[CredentialKind]) -> BoundedVec<CredentialKind, ConstU32<4>> {
	BoundedVec::truncate_from(k.to_vec())
}

pub fn new_test_ext() -> sp_io::TestExternalities {
	let storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		set_today(TODAY);
		let appoint = |who, role, k: &[CredentialKind]| {
			Registry::appoint_authority(RuntimeOrigin::root(), who, role, kinds(k)).unwrap()
		};
		appoint(CIVIL, Role::CivilRegistry, &[]);
		appoint(BUSINESS, Role::BusinessRegistry, &[]);
		appoint(UNIVERSITY, Role::CredentialIssuer, &[CredentialKind::Diploma]);
		appoint(MEDICAL_BOARD, Role::CredentialIssuer, &[CredentialKind::ProfessionalLicence]);
		appoint(NOTARY, Role::Notary, &[]);
		appoint(COURT, Role::Court, &[]);
		System::reset_events();
	});
	ext
}

/// Runs `test` in a fresh [`new_test_ext`], then checks the pallet's storage invariants on
/// the state it left, so every test also shows its calls keep them.
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Registry::do_try_state().expect("the storage invariants hold after the test");
	});
}
