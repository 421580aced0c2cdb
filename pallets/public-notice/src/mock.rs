//! A runtime for the pallet's tests: the real scheduler and preimage pallets. The act that
//! needs notice is the pallet's own `set_notice_period`, whose admin origin here is
//! [`EnsureNoticeServed`]: announced by account 1, cancelled by account 2.

use crate::{self as pallet_public_notice, EnsureNoticeServed};
use polkadot_sdk::{
	frame_support::{
		self, derive_impl, ord_parameter_types, parameter_types,
		traits::{EqualPrivilegeOnly, Hooks},
		weights::Weight,
	},
	frame_system::{self, EnsureRoot, EnsureSignedBy},
	pallet_preimage, pallet_scheduler, sp_io,
	sp_runtime::{BuildStorage, Perbill},
};

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Preimage: pallet_preimage,
		Scheduler: pallet_scheduler,
		PublicNotice: pallet_public_notice,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

impl pallet_preimage::Config for Test {
	type WeightInfo = ();
	type RuntimeEvent = RuntimeEvent;
	type Currency = ();
	type ManagerOrigin = EnsureRoot<u64>;
	type Consideration = ();
}

parameter_types! {
	pub MaximumSchedulerWeight: Weight = Perbill::from_percent(80) * Weight::from_parts(2_000_000_000_000, u64::MAX);
}

impl pallet_scheduler::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeOrigin = RuntimeOrigin;
	type PalletsOrigin = OriginCaller;
	type RuntimeCall = RuntimeCall;
	type MaximumWeight = MaximumSchedulerWeight;
	type ScheduleOrigin = EnsureRoot<u64>;
	type OriginPrivilegeCmp = EqualPrivilegeOnly;
	type MaxScheduledPerBlock = frame_support::traits::ConstU32<10>;
	type WeightInfo = ();
	type Preimages = Preimage;
	type BlockNumberProvider = System;
}

/// The account that may announce.
pub const ANNOUNCER: u64 = 1;
/// The account that may cancel.
pub const CANCELLER: u64 = 2;
/// The notice period at genesis.
pub const NOTICE: u64 = 5;

ord_parameter_types! {
	pub const Announcer: u64 = ANNOUNCER;
	pub const Canceller: u64 = CANCELLER;
}

impl pallet_public_notice::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type PalletsOrigin = OriginCaller;
	type Scheduler = Scheduler;
	type Preimages = Preimage;
	type AnnounceOrigin = EnsureSignedBy<Announcer, u64>;
	type CancelOrigin = EnsureSignedBy<Canceller, u64>;
	type AdminOrigin = EnsureNoticeServed<RuntimeOrigin>;
	type WeightInfo = ();
}

pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_public_notice::GenesisConfig::<Test> { notice_period: NOTICE }
		.assimilate_storage(&mut t)
		.unwrap();
	let mut ext = sp_io::TestExternalities::new(t);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs blocks up to and including `n`, with the scheduler's `on_initialize`.
pub fn run_to(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Scheduler::on_initialize(next);
	}
}
