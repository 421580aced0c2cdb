//! A runtime for the pallet's tests: the real scheduler and preimage pallets. The act that
//! needs notice is the pallet's own `set_notice_period`, whose admin origin here is
//! [`EnsureNoticeServed`]: announced by account 1, cancelled by account 2.

use crate::{self as pallet_public_notice, task_name, EnsureNoticeServed};
use polkadot_sdk::{
	frame_support::{
		self, derive_impl, ensure, ord_parameter_types, parameter_types,
		traits::{EqualPrivilegeOnly, Hooks, QueryPreimage},
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

/// Runs a test, then checks the pallet's storage invariants and its announcements.
pub fn run_checked<R>(test: impl FnOnce() -> R) -> R {
	new_test_ext().execute_with(|| {
		let result = test();
		PublicNotice::do_try_state().expect("the invariants hold after the test");
		check_announcements().expect("the announcements are held as announced");
		result
	})
}

/// What the pallet's `try_state` cannot see: its pending announcements are the scheduler's
/// tasks, which it can look up by name but not list. With the real scheduler here, every
/// task dispatched as `NoticeServed` must be as `announce` left it: named [`task_name`] of
/// its call's hash and found under that name, dispatched once, at a block still to come,
/// and, if its call is held by hash, with that preimage requested and present.
pub fn check_announcements() -> Result<(), &'static str> {
	let now = System::block_number();
	let served = OriginCaller::PublicNotice(pallet_public_notice::Origin::NoticeServed);
	for (block, agenda) in pallet_scheduler::Agenda::<Test>::iter() {
		for (index, task) in agenda.iter().enumerate() {
			let Some(task) = task.as_ref().filter(|t| t.origin == served) else { continue };
			let call_hash = task.call.hash();
			let name = task_name(&call_hash);
			ensure!(task.maybe_id == Some(name), "an announced task is not named after its call");
			ensure!(
				pallet_scheduler::Lookup::<Test>::get(name) == Some((block, index as u32)),
				"an announced task is not found under its name"
			);
			ensure!(task.maybe_periodic.is_none(), "an announced task repeats");
			ensure!(block > now, "an announced task's block has passed");
			ensure!(
				!task.call.lookup_needed()
					|| (<Preimage as QueryPreimage>::is_requested(&call_hash)
						&& <Preimage as QueryPreimage>::len(&call_hash).is_some()),
				"an announced call's preimage is not held"
			);
		}
	}
	Ok(())
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
