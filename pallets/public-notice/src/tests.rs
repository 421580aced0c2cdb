//! The act under notice is `set_notice_period` (admin origin: [`EnsureNoticeServed`]). Each
//! test is an attempt to get around the notice, or a check that the notice does what it says.
//! Every test runs through [`run_checked`], which checks the pallet's `try_state` invariants
//! and the scheduler's hold of every announcement after it; the last tests corrupt storage
//! in each way those checks rule out and check that it is caught.

use crate::{mock::*, task_name, Error, Event, NoticePeriod};
use codec::Encode;
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok,
		traits::{schedule::v3::Named, QueryPreimage},
	},
	frame_system,
	pallet_scheduler::{self, Agenda, Lookup, ScheduledOf},
	sp_runtime::{
		traits::{BlakeTwo256, Hash},
		DispatchError,
	},
};

fn set_period(period: u64) -> Box<RuntimeCall> {
	Box::new(RuntimeCall::PublicNotice(crate::Call::set_notice_period { period }))
}

fn hash_of(call: &RuntimeCall) -> <Test as frame_system::Config>::Hash {
	BlakeTwo256::hash_of(call)
}

fn is_pending(call: &RuntimeCall) -> bool {
	<Scheduler as Named<_, _, _>>::next_dispatch_time(task_name(&hash_of(call))).is_ok()
}

fn announce(call: &RuntimeCall) -> Result<(), DispatchError> {
	PublicNotice::announce(RuntimeOrigin::signed(ANNOUNCER), Box::new(call.clone()))
}

#[test]
fn only_the_announce_origin_can_announce() {
	run_checked(|| {
		let call = set_period(7);
		for who in [CANCELLER, 3] {
			assert_noop!(
				PublicNotice::announce(RuntimeOrigin::signed(who), call.clone()),
				DispatchError::BadOrigin
			);
		}
		assert_noop!(
			PublicNotice::announce(RuntimeOrigin::none(), call.clone()),
			DispatchError::BadOrigin
		);
		assert!(!is_pending(&call));
	});
}

#[test]
fn an_announced_act_takes_effect_when_its_notice_has_run_and_not_before() {
	run_checked(|| {
		let call = set_period(7);
		assert_ok!(announce(&call));
		let enact_at = 1 + NOTICE;
		System::assert_last_event(Event::Announced { call_hash: hash_of(&call), enact_at }.into());
		assert!(is_pending(&call));

		run_to(enact_at - 1);
		assert_eq!(NoticePeriod::<Test>::get(), NOTICE);

		run_to(enact_at);
		assert_eq!(NoticePeriod::<Test>::get(), 7);
		System::assert_has_event(Event::NoticePeriodSet { period: 7 }.into());
		assert!(!is_pending(&call));
	});
}

#[test]
fn the_act_itself_cannot_be_dispatched_without_notice() {
	run_checked(|| {
		for origin in [
			RuntimeOrigin::signed(ANNOUNCER),
			RuntimeOrigin::signed(CANCELLER),
			RuntimeOrigin::none(),
			RuntimeOrigin::root(),
		] {
			assert_noop!(PublicNotice::set_notice_period(origin, 1), DispatchError::BadOrigin);
		}
	});
}

#[test]
fn the_same_act_cannot_be_pending_twice() {
	run_checked(|| {
		let call = set_period(7);
		assert_ok!(announce(&call));
		assert_noop!(announce(&call), Error::<Test>::AlreadyAnnounced);
		// A different act is announced independently.
		assert_ok!(announce(&set_period(8)));
	});
}

#[test]
fn an_act_cancelled_during_its_notice_is_never_enacted() {
	run_checked(|| {
		let call = set_period(7);
		let call_hash = hash_of(&call);
		assert_ok!(announce(&call));
		run_to(3);

		assert_noop!(
			PublicNotice::cancel(RuntimeOrigin::signed(ANNOUNCER), call_hash),
			DispatchError::BadOrigin
		);
		assert_ok!(PublicNotice::cancel(RuntimeOrigin::signed(CANCELLER), call_hash));
		System::assert_last_event(Event::Cancelled { call_hash }.into());
		assert!(!is_pending(&call));
		assert_noop!(
			PublicNotice::cancel(RuntimeOrigin::signed(CANCELLER), call_hash),
			Error::<Test>::NotAnnounced
		);

		run_to(1 + NOTICE + 5);
		assert_eq!(NoticePeriod::<Test>::get(), NOTICE);
	});
}

#[test]
fn an_enacted_act_can_no_longer_be_cancelled_but_can_be_announced_again() {
	run_checked(|| {
		let call = set_period(7);
		assert_ok!(announce(&call));
		run_to(1 + NOTICE);
		assert_eq!(NoticePeriod::<Test>::get(), 7);
		assert_noop!(
			PublicNotice::cancel(RuntimeOrigin::signed(CANCELLER), hash_of(&call)),
			Error::<Test>::NotAnnounced
		);

		// The new period (7 blocks) applies to the next announcement.
		assert_ok!(announce(&call));
		System::assert_last_event(
			Event::Announced { call_hash: hash_of(&call), enact_at: 1 + NOTICE + 7 }.into(),
		);
	});
}

#[test]
fn cancelling_an_unknown_hash_is_a_named_error() {
	run_checked(|| {
		assert_noop!(
			PublicNotice::cancel(RuntimeOrigin::signed(CANCELLER), hash_of(&set_period(7))),
			Error::<Test>::NotAnnounced
		);
	});
}

#[test]
fn a_zero_notice_period_is_refused_even_after_notice() {
	run_checked(|| {
		let call = set_period(0);
		assert_ok!(announce(&call));
		run_to(1 + NOTICE);
		assert_eq!(NoticePeriod::<Test>::get(), NOTICE);
		System::assert_has_event(
			pallet_scheduler::Event::Dispatched {
				task: (1 + NOTICE, 0),
				id: Some(task_name(&hash_of(&call))),
				result: Err(Error::<Test>::NoticePeriodZero.into()),
			}
			.into(),
		);
	});
}

#[test]
fn a_long_act_is_held_as_a_preimage_until_enacted_or_cancelled() {
	run_checked(|| {
		let call = RuntimeCall::System(frame_system::Call::remark { remark: vec![7; 200] });
		let call_hash = hash_of(&call);
		assert_ok!(announce(&call));
		assert!(<Preimage as QueryPreimage>::is_requested(&call_hash));
		assert_eq!(<Preimage as QueryPreimage>::len(&call_hash), Some(call.encoded_size() as u32));

		assert_ok!(PublicNotice::cancel(RuntimeOrigin::signed(CANCELLER), call_hash));
		assert!(!<Preimage as QueryPreimage>::is_requested(&call_hash));
		assert_eq!(<Preimage as QueryPreimage>::len(&call_hash), None);

		let call = RuntimeCall::System(frame_system::Call::remark { remark: vec![8; 200] });
		let call_hash = hash_of(&call);
		assert_ok!(announce(&call));
		run_to(1 + NOTICE);
		System::assert_has_event(
			pallet_scheduler::Event::Dispatched {
				task: (1 + NOTICE, 0),
				id: Some(task_name(&call_hash)),
				result: Ok(()),
			}
			.into(),
		);
		assert_eq!(<Preimage as QueryPreimage>::len(&call_hash), None);
	});
}

#[test]
fn try_state_catches_a_zero_notice_period() {
	new_test_ext().execute_with(|| {
		assert_eq!(PublicNotice::do_try_state(), Ok(()));
		NoticePeriod::<Test>::put(0u64);
		assert_eq!(PublicNotice::do_try_state(), Err("the notice period is zero".into()));
		// Unset (a genesis config without it) reads as zero too.
		NoticePeriod::<Test>::kill();
		assert_eq!(PublicNotice::do_try_state(), Err("the notice period is zero".into()));
	});
}

/// A short act (held inline) and a long one (held as a preimage), both announced.
fn announced() -> (RuntimeCall, RuntimeCall) {
	let short = *set_period(7);
	let long = RuntimeCall::System(frame_system::Call::remark { remark: vec![7; 200] });
	assert_ok!(announce(&short));
	assert_ok!(announce(&long));
	assert_eq!(check_announcements(), Ok(()));
	(short, long)
}

/// Rewrites the scheduled task of an announced call.
fn edit_task(call: &RuntimeCall, f: impl FnOnce(&mut ScheduledOf<Test>)) {
	let (block, index) = Lookup::<Test>::get(task_name(&hash_of(call))).expect("announced");
	Agenda::<Test>::mutate(block, |agenda| {
		f(agenda[index as usize].as_mut().expect("the task is scheduled"))
	});
}

/// Each way a bug, a migration or another pallet could leave an announcement other than as
/// `announce` scheduled it is caught, with the rule it breaks.
#[test]
fn the_checks_catch_every_misheld_announcement() {
	type Corruption = fn(&RuntimeCall, &RuntimeCall);
	let cases: Vec<(&str, Corruption)> = vec![
		("an announced task is not named after its call", |short, _| {
			edit_task(short, |t| t.maybe_id = None)
		}),
		("an announced task is not named after its call", |_, long| {
			edit_task(long, |t| t.maybe_id = Some(task_name(&hash_of(&set_period(8)))))
		}),
		("an announced task is not found under its name", |short, _| {
			Lookup::<Test>::remove(task_name(&hash_of(short)))
		}),
		("an announced task repeats", |short, _| {
			edit_task(short, |t| t.maybe_periodic = Some((1, 3)))
		}),
		// The block came without the scheduler running it.
		("an announced task's block has passed", |_, _| System::set_block_number(1 + NOTICE)),
		("an announced call's preimage is not held", |_, long| {
			<Preimage as QueryPreimage>::unrequest(&hash_of(long))
		}),
	];
	for (expected, corrupt) in cases {
		new_test_ext().execute_with(|| {
			let (short, long) = announced();
			corrupt(&short, &long);
			assert_eq!(check_announcements(), Err(expected), "{expected}");
		});
	}
}
