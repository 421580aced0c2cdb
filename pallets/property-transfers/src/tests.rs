//! Tests of the property transfers: the happy path with a mortgage, co-owned titles, partial
//! sales, every rejection, an origin matrix, the failure paths (cancel, reject, expire,
//! `on_idle`) and the invariants: money is conserved on every path, shares always make a
//! whole, every terminal path cleans up the indexes and counters. Every test runs through
//! [`run_checked`], which checks the pallet's `try_state` invariants after it; one test
//! corrupts storage in each way those invariants rule out and checks that it is caught.

use crate::{mock::*, *};
use egov_primitives::CitizenId;
use pallet_property_registry::{Actor, Change, EncumbranceKind, MAX_HISTORY_PAGE};
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok,
		traits::{
			fungible::{Inspect, Mutate},
			tokens::Preservation,
			Hooks,
		},
		weights::Weight,
		BoundedVec,
	},
	sp_core::H256,
	sp_runtime::{DispatchError, Perbill},
};

type Terms = DealTermsOf<Test>;

/// The deadline most test deals get: 50 blocks after the first block.
const DEADLINE: u64 = 51;

fn signed(who: u64) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

/// Creates a title through the land registry; returns its id.
fn create_title(owners: &[(Owner, Ppm)]) -> TitleId {
	let id = pallet_property_registry::NextTitleId::<Test>::get();
	assert_ok!(Land::create_title(
		signed(LAND),
		BoundedVec::truncate_from(format!("KAT-{id}").into_bytes()),
		H256::repeat_byte(1),
		BoundedVec::truncate_from(owners.to_vec()),
	));
	id
}

/// Registers a mortgage of the bank through the land registry; returns its id.
fn add_mortgage(title: TitleId, amount: Amount) -> EncumbranceId {
	let id = pallet_property_registry::Titles::<Test>::get(title)
		.expect("the title exists")
		.next_encumbrance_id;
	assert_ok!(Land::add_encumbrance(
		signed(LAND),
		title,
		EncumbranceKind::Mortgage { creditor: BANK, amount }
	));
	id
}

fn terms(title: TitleId, seller: Owner, buyer: Owner, share: Ppm, price: u128) -> Terms {
	DealTerms {
		title,
		seller,
		buyer,
		share,
		price,
		deadline: DEADLINE,
		releases: BoundedVec::new(),
		land_registry_approval: false,
		seller_payout: PROCEEDS,
	}
}

fn releasing(mut t: Terms, ids: &[EncumbranceId]) -> Terms {
	t.releases = BoundedVec::truncate_from(ids.to_vec());
	t
}

fn open(who: u64, t: Terms) -> DispatchResult {
	Transfers::open_deal(signed(who), t)
}

/// Opens a deal; returns its id.
fn open_ok(who: u64, t: Terms) -> DealId {
	let id = NextDealId::<Test>::get();
	assert_ok!(open(who, t));
	id
}

fn deposit(who: u64, deal: DealId) -> DispatchResult {
	let price = Deals::<Test>::get(deal).expect("the deal exists").price;
	Transfers::deposit(signed(who), deal, price)
}

fn settle(who: u64, deal: DealId) -> DispatchResult {
	Transfers::settle(signed(who), deal).map(|_| ()).map_err(|e| e.error)
}

fn deal(id: DealId) -> DealOf<Test> {
	Deals::<Test>::get(id).expect("the deal exists")
}

fn status(id: DealId) -> DealStatus {
	deal(id).status
}

fn owners(title: TitleId) -> Vec<(Owner, Ppm)> {
	<Land as TitleRegistry<u64>>::title_owners(title).expect("the title exists")
}

fn mortgages(title: TitleId) -> Vec<(EncumbranceId, EntityId, Amount)> {
	<Land as TitleRegistry<u64>>::mortgages(title)
}

fn bal(who: u64) -> u128 {
	<Balances as Inspect<u64>>::balance(&who)
}

fn escrow() -> u64 {
	Transfers::escrow_account()
}

fn issuance() -> u128 {
	<Balances as Inspect<u64>>::total_issuance()
}

/// Every account money moves between in the tests, escrow and treasury included.
fn involved() -> Vec<u64> {
	vec![
		ALICE, BOB, CAROL, DAVE, EVE, BANKER, CLERK, NOTARY, LAND, TREASURY, VAULT, PROCEEDS,
		NOBODY,
	]
	.into_iter()
	.chain([escrow()])
	.collect()
}

/// The money of every involved account, and the total issuance.
fn money() -> (u128, u128) {
	(involved().into_iter().map(bal).sum(), issuance())
}

fn transfer_events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Transfers(e) => Some(e),
			_ => None,
		})
		.collect()
}

fn last_event() -> RuntimeEvent {
	System::events().pop().expect("an event was emitted").event
}

fn approve_all(deal: DealId) {
	assert_ok!(Transfers::approve_as_notary(signed(NOTARY), deal));
	if !self::deal(deal).releases.is_empty() {
		assert_ok!(Transfers::approve_as_creditor(signed(BANKER), deal, VAULT));
	}
	if self::deal(deal).land_registry_required {
		assert_ok!(Transfers::approve_as_land_registry(signed(LAND), deal));
	}
}

/// Every title's shares make exactly one whole.
fn check_titles() {
	for title in 0..pallet_property_registry::NextTitleId::<Test>::get() {
		let owners = owners(title);
		assert!(owners.iter().all(|(_, s)| *s > 0), "a zero share");
		assert_eq!(owners.iter().map(|(_, s)| u64::from(*s)).sum::<u64>(), u64::from(WHOLE));
	}
}

fn check_invariants() {
	Transfers::do_try_state().expect("the pallet's invariants hold");
	check_titles();
}

/// The deal left every index and counter.
fn assert_cleaned_up(id: DealId) {
	let d = deal(id);
	assert_ne!(d.status, DealStatus::Open);
	assert!(!DealsByDeadline::<Test>::contains_key(d.deadline, id));
	assert!(!Transfers::deals_of_title(d.title).contains(&id));
	check_invariants();
}

// ------------------------------------------------------------------ happy paths

#[test]
fn happy_path_with_a_mortgage() {
	run_checked(|| {
		let title = create_title(&[(A, WHOLE)]);
		let m = add_mortgage(title, 30_000);
		let before = money();

		let id = open_ok(ALICE, releasing(terms(title, A, B, WHOLE, 100_000), &[m]));
		assert_eq!(
			last_event(),
			Event::DealOpened {
				deal: id,
				title,
				seller: A,
				buyer: B,
				share: WHOLE,
				price: 100_000,
				deadline: DEADLINE,
				opened_by: ALICE,
			}
			.into()
		);
		let d = deal(id);
		assert_eq!(d.status, DealStatus::Open);
		assert_eq!(d.opened_by, ALICE);
		assert_eq!(
			d.releases.to_vec(),
			vec![Release { encumbrance: m, creditor: BANK, amount: 30_000, approval: None }]
		);
		assert_eq!(Transfers::deals_of_title(title), vec![id]);
		assert_eq!(OpenDealsOf::<Test>::get(ALICE), 1);
		assert!(DealsByDeadline::<Test>::contains_key(DEADLINE, id));
		assert_eq!(ExpiryCursor::<Test>::get(), Some(DEADLINE));

		// The buyer pays into escrow.
		assert_ok!(Transfers::deposit(signed(BOB), id, 100_000));
		assert_eq!(last_event(), Event::Deposited { deal: id, by: BOB, amount: 100_000 }.into());
		assert_eq!(bal(BOB), INITIAL - 100_000);
		assert_eq!(bal(escrow()), 100_000);

		// The notary and the bank approve.
		assert_ok!(Transfers::approve_as_notary(signed(NOTARY), id));
		assert_eq!(last_event(), Event::NotaryApproved { deal: id, by: NOTARY }.into());
		assert_noop!(settle(BOB, id), Error::<Test>::NotReady);
		assert!(!Transfers::deal_view(id).unwrap().ready);
		assert_ok!(Transfers::approve_as_creditor(signed(BANKER), id, VAULT));
		assert_eq!(
			last_event(),
			Event::CreditorApproved {
				deal: id,
				encumbrance: m,
				creditor: BANK,
				by: BANKER,
				payout: VAULT
			}
			.into()
		);
		assert!(Transfers::deal_view(id).unwrap().ready);

		// Settlement, in one call.
		assert_ok!(settle(BOB, id));
		assert_eq!(owners(title), vec![(B, WHOLE)]);
		assert!(mortgages(title).is_empty());
		assert_eq!(bal(VAULT), 30_000);
		assert_eq!(bal(TREASURY), 2_000);
		assert_eq!(bal(PROCEEDS), 68_000);
		assert_eq!(bal(escrow()), 0);
		assert_eq!(bal(BOB), INITIAL - 100_000);
		assert_eq!(bal(ALICE), INITIAL);
		assert_eq!(money(), before);

		let events = transfer_events();
		assert!(events.contains(&Event::CreditorPaid {
			deal: id,
			encumbrance: m,
			creditor: BANK,
			to: VAULT,
			amount: 30_000
		}));
		assert!(events.contains(&Event::DutyPaid { deal: id, to: TREASURY, amount: 2_000 }));
		assert_eq!(
			last_event(),
			Event::DealSettled {
				deal: id,
				title,
				seller: A,
				buyer: B,
				share: WHOLE,
				price: 100_000,
				duty: 2_000,
				to_seller: 68_000,
			}
			.into()
		);
		assert!(System::events().iter().any(|r| r.event
			== pallet_property_registry::Event::<Test>::ShareTransferred {
				title,
				from: A,
				to: B,
				share: WHOLE,
				deal: id
			}
			.into()));

		// The title's history records the contract as the actor.
		let history = Land::history(title, 0, MAX_HISTORY_PAGE);
		let n = history.len();
		assert_eq!(history[n - 2].actor, Actor::Contract(id));
		assert_eq!(
			history[n - 2].change,
			Change::EncumbranceReleased {
				id: m,
				kind: EncumbranceKind::Mortgage { creditor: BANK, amount: 30_000 }
			}
		);
		assert_eq!(history[n - 1].actor, Actor::Contract(id));
		assert_eq!(
			history[n - 1].change,
			Change::ShareTransferred { from: A, to: B, share: WHOLE }
		);

		// The deal is settled and out of every index; settling again fails.
		assert_eq!(status(id), DealStatus::Settled);
		assert_eq!(OpenDealsOf::<Test>::get(ALICE), 0);
		assert!(Transfers::deals_of_title(title).is_empty());
		assert_cleaned_up(id);
		assert_noop!(settle(BOB, id), Error::<Test>::AlreadySettled);
		assert_noop!(Transfers::cancel(signed(ALICE), id), Error::<Test>::AlreadySettled);
		assert_noop!(Transfers::expire(signed(NOBODY), id), Error::<Test>::AlreadySettled);
	});
}

#[test]
fn co_owned_title_needs_every_co_owners_consent() {
	run_checked(|| {
		let title = create_title(&[(A, 500_000), (C, 300_000), (CO, 200_000)]);
		let before = money();
		let id = open_ok(ALICE, terms(title, A, B, 500_000, 50_000));
		assert_ok!(deposit(BOB, id));
		approve_all(id);
		assert_noop!(settle(BOB, id), Error::<Test>::NotReady);
		assert_eq!(Transfers::deal_view(id).unwrap().pending_consents, vec![C, CO]);

		// Only accounts acting for another co-owner consent.
		for who in [EVE, ALICE, BOB, NOTARY, BANKER] {
			assert_noop!(Transfers::consent(signed(who), id), Error::<Test>::NotACoOwner);
		}
		assert_ok!(Transfers::consent(signed(CAROL), id));
		assert_eq!(last_event(), Event::CoOwnerConsented { deal: id, owner: C, by: CAROL }.into());
		assert_noop!(Transfers::consent(signed(CAROL), id), Error::<Test>::AlreadyConsented);
		assert_noop!(settle(BOB, id), Error::<Test>::NotReady);
		assert_eq!(Transfers::deal_view(id).unwrap().pending_consents, vec![CO]);

		// The company consents through its representative.
		assert_ok!(Transfers::consent(signed(CLERK), id));
		let view = Transfers::deal_view(id).unwrap();
		assert!(view.pending_consents.is_empty());
		assert!(view.ready);
		let mut consents = view.consents;
		consents.sort();
		let mut expected = vec![(C, CAROL), (CO, CLERK)];
		expected.sort();
		assert_eq!(consents, expected);

		// A consenting co-owner may settle.
		assert_ok!(settle(CAROL, id));
		assert_eq!(owners(title), vec![(C, 300_000), (CO, 200_000), (B, 500_000)]);
		assert_eq!(bal(PROCEEDS), 49_000);
		assert_eq!(bal(TREASURY), 1_000);
		assert_eq!(money(), before);
		assert_cleaned_up(id);
	});
}

#[test]
fn an_entity_sells_through_its_representative() {
	run_checked(|| {
		let title = create_title(&[(A, 600_000), (CO, 400_000)]);
		// Alice cannot sell the company's share; its clerk can.
		assert_noop!(open(ALICE, terms(title, CO, D, 400_000, 40_000)), Error::<Test>::NotASeller);
		let id = open_ok(CLERK, terms(title, CO, D, 400_000, 40_000));
		assert_ok!(deposit(DAVE, id));
		approve_all(id);
		assert_ok!(Transfers::consent(signed(ALICE), id));
		assert_ok!(settle(DAVE, id));
		assert_eq!(owners(title), vec![(A, 600_000), (D, 400_000)]);
		assert_cleaned_up(id);
	});
}

#[test]
fn partial_share_sale() {
	run_checked(|| {
		let title = create_title(&[(A, WHOLE)]);
		let id = open_ok(ALICE, terms(title, A, B, 250_000, 25_000));
		assert_ok!(deposit(BOB, id));
		approve_all(id);
		assert_ok!(settle(ALICE, id));
		assert_eq!(owners(title), vec![(A, 750_000), (B, 250_000)]);
		check_invariants();

		// The seller cannot offer more than it keeps, counting its other open deals.
		let first = open_ok(ALICE, terms(title, A, C, 500_000, 10_000));
		assert_noop!(
			open(ALICE, terms(title, A, D, 250_001, 10_000)),
			Error::<Test>::ShareTooLarge
		);
		let second = open_ok(ALICE, terms(title, A, D, 250_000, 10_000));
		// Bob is a co-owner now: Alice's deals need his consent.
		assert_eq!(Transfers::deal_view(first).unwrap().pending_consents, vec![B]);
		assert_ok!(Transfers::cancel(signed(ALICE), second));

		// Bob buys more: as the buyer he needs not consent; the shares merge.
		let more = open_ok(ALICE, terms(title, A, B, 100_000, 10_000));
		assert!(Transfers::deal_view(more).unwrap().pending_consents.is_empty());
		assert_ok!(deposit(BOB, more));
		approve_all(more);
		assert_ok!(settle(BOB, more));
		assert_eq!(owners(title), vec![(A, 650_000), (B, 350_000)]);

		// Bob sells part of his share back: Alice is now the co-owner who consents, and
		// her open deal still needs Bob's.
		let back = open_ok(BOB, terms(title, B, C, 50_000, 5_000));
		assert_ok!(deposit(CAROL, back));
		approve_all(back);
		assert_noop!(settle(BOB, back), Error::<Test>::NotReady);
		assert_ok!(Transfers::consent(signed(ALICE), back));
		assert_ok!(settle(BOB, back));
		assert_eq!(owners(title), vec![(A, 650_000), (B, 300_000), (C, 50_000)]);

		// Alice's first deal still needs Bob's consent only: Carol, a co-owner now, is its
		// buyer.
		assert_eq!(Transfers::deal_view(first).unwrap().pending_consents, vec![B]);
		check_invariants();
	});
}

#[test]
fn land_registry_approval_when_required() {
	run_checked(|| {
		let title = create_title(&[(A, WHOLE)]);
		let mut t = terms(title, A, B, WHOLE, 10_000);
		t.land_registry_approval = true;
		let id = open_ok(ALICE, t);
		assert_ok!(deposit(BOB, id));
		assert_ok!(Transfers::approve_as_notary(signed(NOTARY), id));
		assert_noop!(settle(BOB, id), Error::<Test>::NotReady);
		assert_noop!(
			Transfers::approve_as_land_registry(signed(NOTARY), id),
			Error::<Test>::WrongApprover
		);
		assert_ok!(Transfers::approve_as_land_registry(signed(LAND), id));
		assert_eq!(last_event(), Event::LandRegistryApproved { deal: id, by: LAND }.into());
		assert_noop!(
			Transfers::approve_as_land_registry(signed(LAND), id),
			Error::<Test>::AlreadyApproved
		);
		// The land registry, having approved, may settle.
		assert_ok!(settle(LAND, id));
		assert_eq!(owners(title), vec![(B, WHOLE)]);
		assert_cleaned_up(id);
	});
}

#[test]
fn several_mortgages_of_one_bank_are_approved_together() {
	run_checked(|| {
		let title = create_title(&[(A, WHOLE)]);
		let m1 = add_mortgage(title, 10_000);
		let m2 = add_mortgage(title, 20_000);
		let before = money();
		let id = open_ok(ALICE, releasing(terms(title, A, B, WHOLE, 100_000), &[m2, m1]));
		assert_ok!(Transfers::approve_as_creditor(signed(BANKER), id, VAULT));
		assert!(deal(id).releases.iter().all(|r| r.approval.is_some()));
		assert_noop!(
			Transfers::approve_as_creditor(signed(BANKER), id, VAULT),
			Error::<Test>::AlreadyApproved
		);
		assert_ok!(Transfers::approve_as_notary(signed(NOTARY), id));
		assert_ok!(deposit(BOB, id));
		assert_ok!(settle(BOB, id));
		assert!(mortgages(title).is_empty());
		assert_eq!(bal(VAULT), 30_000);
		assert_eq!(bal(TREASURY), 2_000);
		assert_eq!(bal(PROCEEDS), 68_000);
		assert_eq!(money(), before);
		assert_cleaned_up(id);
	});
}

// ------------------------------------------------------------------ bad input

#[test]
fn open_deal_rejections() {
	run_checked(|| {
		let title = create_title(&[(A, 600_000), (C, 400_000)]);
		let t = |share, price| terms(title, A, B, share, price);

		assert_noop!(open(ALICE, t(600_000, 0)), Error::<Test>::ZeroPrice);
		assert_noop!(open(ALICE, t(0, 10_000)), Error::<Test>::ZeroShare);
		assert_noop!(open(ALICE, terms(title, A, A, 600_000, 10_000)), Error::<Test>::SelfDealing);
		assert_noop!(open(ALICE, t(600_001, 10_000)), Error::<Test>::ShareTooLarge);
		// Not the seller's account; a seller that is not an owner.
		assert_noop!(open(BOB, t(600_000, 10_000)), Error::<Test>::NotASeller);
		assert_noop!(open(NOBODY, t(600_000, 10_000)), Error::<Test>::NotASeller);
		assert_noop!(open(DAVE, terms(title, D, B, 1_000, 10_000)), Error::<Test>::NotASeller);
		assert_noop!(
			open(ALICE, terms(title + 7, A, B, 1_000, 10_000)),
			Error::<Test>::TitleNotFound
		);
		// Deadlines: in the future, at most MaxDealDuration ahead.
		let mut past = t(600_000, 10_000);
		past.deadline = 1;
		assert_noop!(open(ALICE, past), Error::<Test>::DeadlinePassed);
		let mut far = t(600_000, 10_000);
		far.deadline = 1 + MAX_DEAL_DURATION + 1;
		assert_noop!(open(ALICE, far), Error::<Test>::DeadlineTooFar);
		let mut farthest = t(600_000, 10_000);
		farthest.deadline = 1 + MAX_DEAL_DURATION;
		assert_ok!(open(ALICE, farthest));
		check_invariants();
	});
}

#[test]
fn mortgages_must_all_be_released_and_paid() {
	run_checked(|| {
		let title = create_title(&[(A, WHOLE)]);
		let m = add_mortgage(title, 30_000);
		assert_ok!(Land::add_encumbrance(
			signed(LAND),
			title,
			EncumbranceKind::Lien { holder: CO, amount: 500 }
		));
		let lien = m + 1;
		let t = || terms(title, A, B, WHOLE, 100_000);

		assert_noop!(open(ALICE, t()), Error::<Test>::MortgageNotReleased);
		assert_noop!(open(ALICE, releasing(t(), &[m, 9])), Error::<Test>::MortgageNotOnTitle);
		assert_noop!(open(ALICE, releasing(t(), &[m, lien])), Error::<Test>::MortgageNotOnTitle);
		assert_noop!(open(ALICE, releasing(t(), &[m, m])), Error::<Test>::DuplicateMortgage);

		// The mortgage and the 2 % duty must fit in the price.
		assert_noop!(
			open(ALICE, releasing(terms(title, A, B, WHOLE, 30_000), &[m])),
			Error::<Test>::PayoutsExceedPrice
		);
		// 30 000 + floor(2 % of 30 613) = 30 612: fits, the seller gets 1.
		let id = open_ok(ALICE, releasing(terms(title, A, B, WHOLE, 30_613), &[m]));
		assert_ok!(deposit(BOB, id));
		approve_all(id);
		assert_ok!(settle(BOB, id));
		assert_eq!(bal(PROCEEDS), 1);
		assert_eq!(bal(TREASURY), 612);
		assert_eq!(bal(VAULT), 30_000);
	});
}

#[test]
fn a_deal_that_could_never_settle_is_refused_at_opening() {
	run_checked(|| {
		// A payout between zero and the existential deposit cannot be paid into an empty
		// account (nor leave the escrow alive): such a deal would take the buyer's deposit
		// and then fail every settlement until it expires.
		let title = create_title(&[(A, WHOLE)]);
		let m = add_mortgage(title, 9_750);
		ExistentialDepositOf::set(100);
		// 10 000: the bank 9 750, the duty 200, the seller 50 (below 100).
		assert_noop!(
			open(ALICE, releasing(terms(title, A, B, WHOLE, 10_000), &[m])),
			Error::<Test>::PayoutBelowMinimum
		);
		// A mortgage of 50 to pay off, or a duty of 80, likewise.
		let other = create_title(&[(D, WHOLE)]);
		let small = add_mortgage(other, 50);
		assert_noop!(
			open(DAVE, releasing(terms(other, D, E, WHOLE, 10_000), &[small])),
			Error::<Test>::PayoutBelowMinimum
		);
		let unmortgaged = create_title(&[(C, WHOLE)]);
		assert_noop!(
			open(CAROL, terms(unmortgaged, C, B, WHOLE, 4_000)),
			Error::<Test>::PayoutBelowMinimum
		);
		// Every payout payable (the seller's rest exactly zero is fine): opens and settles.
		let id = open_ok(ALICE, releasing(terms(title, A, B, WHOLE, 20_000), &[m]));
		assert_ok!(deposit(BOB, id));
		approve_all(id);
		assert_ok!(settle(BOB, id));
		assert_eq!(status(id), DealStatus::Settled);
	});
}

#[test]
fn settlement_fails_whole_if_payouts_exceed_the_price() {
	run_checked(|| {
		let title = create_title(&[(A, WHOLE)]);
		let m = add_mortgage(title, 30_000);
		let id = open_ok(ALICE, releasing(terms(title, A, B, WHOLE, 100_000), &[m]));
		assert_ok!(deposit(BOB, id));
		approve_all(id);
		// The duty was raised after opening: 30 000 + 80 000 > 100 000.
		TransferDutyRate::set(Perbill::from_percent(80));
		assert_noop!(settle(BOB, id), Error::<Test>::PayoutsExceedPrice);
		assert_eq!(owners(title), vec![(A, WHOLE)]);
		assert_eq!(mortgages(title).len(), 1);
		TransferDutyRate::set(Perbill::from_percent(2));
		assert_ok!(settle(BOB, id));
		assert_eq!(owners(title), vec![(B, WHOLE)]);
	});
}

#[test]
fn a_zero_duty_is_skipped() {
	run_checked(|| {
		TransferDutyRate::set(Perbill::from_percent(0));
		let title = create_title(&[(A, WHOLE)]);
		let id = open_ok(ALICE, terms(title, A, B, WHOLE, 10_000));
		assert_ok!(deposit(BOB, id));
		approve_all(id);
		assert_ok!(settle(BOB, id));
		assert_eq!(bal(TREASURY), 0);
		assert_eq!(bal(PROCEEDS), 10_000);
		assert!(!transfer_events().iter().any(|e| matches!(e, Event::DutyPaid { .. })));
		TransferDutyRate::reset();
	});
}

#[test]
fn wrong_approvers() {
	run_checked(|| {
		let title = create_title(&[(A, WHOLE)]);
		let m = add_mortgage(title, 1_000);
		let id = open_ok(ALICE, releasing(terms(title, A, B, WHOLE, 10_000), &[m]));

		// Notaries only, and not one acting for a party.
		for who in [NOBODY, LAND, COURT, BANKER, ALICE, BOB] {
			assert_noop!(
				Transfers::approve_as_notary(signed(who), id),
				Error::<Test>::WrongApprover
			);
		}
		assert_ok!(Registry::appoint_authority(
			RuntimeOrigin::root(),
			ALICE,
			Role::Notary,
			BoundedVec::new()
		));
		assert_noop!(Transfers::approve_as_notary(signed(ALICE), id), Error::<Test>::WrongApprover);
		assert_ok!(Transfers::approve_as_notary(signed(NOTARY), id));
		assert_noop!(
			Transfers::approve_as_notary(signed(NOTARY2), id),
			Error::<Test>::AlreadyApproved
		);

		// The released mortgage's bank only.
		for who in [NOBODY, CLERK, NOTARY, LAND, ALICE] {
			assert_noop!(
				Transfers::approve_as_creditor(signed(who), id, VAULT),
				Error::<Test>::WrongApprover
			);
		}

		// The land registry only when the deal requires it.
		assert_noop!(
			Transfers::approve_as_land_registry(signed(LAND), id),
			Error::<Test>::WrongApprover
		);

		// Rejection by outsiders, parties and a land registry the deal does not need.
		for who in [NOBODY, CLERK, LAND, BOB, CAROL] {
			assert_noop!(Transfers::reject(signed(who), id), Error::<Test>::WrongApprover);
		}

		// A removed notary loses the power.
		assert_ok!(Registry::remove_authority(RuntimeOrigin::root(), NOTARY2, Role::Notary));
		assert_noop!(Transfers::reject(signed(NOTARY2), id), Error::<Test>::WrongApprover);
	});
}

#[test]
fn frozen_title() {
	run_checked(|| {
		let title = create_title(&[(A, WHOLE)]);
		let id = open_ok(ALICE, terms(title, A, B, WHOLE, 10_000));
		assert_ok!(Land::freeze_title(signed(COURT), title, H256::repeat_byte(9)));
		assert_noop!(open(ALICE, terms(title, A, C, 1_000, 10_000)), Error::<Test>::TitleFrozen);
		assert_noop!(deposit(BOB, id), Error::<Test>::TitleFrozen);
		assert_ok!(Land::unfreeze_title(signed(COURT), title, H256::repeat_byte(9)));
		assert_ok!(deposit(BOB, id));
		approve_all(id);
		assert_ok!(Land::freeze_title(signed(COURT), title, H256::repeat_byte(9)));
		assert_noop!(settle(BOB, id), Error::<Test>::TitleFrozen);
		// The buyer gets the money back if the seller gives up.
		assert_ok!(Transfers::cancel(signed(ALICE), id));
		assert_eq!(bal(BOB), INITIAL);
		assert_eq!(owners(title), vec![(A, WHOLE)]);
		assert_cleaned_up(id);
	});
}

#[test]
fn deadline_passed() {
	run_checked(|| {
		let title = create_title(&[(A, 500_000), (C, 500_000)]);
		let id = open_ok(ALICE, terms(title, A, B, 500_000, 10_000));
		assert_ok!(deposit(BOB, id));
		approve_all(id);
		// At the deadline the deal cannot expire yet.
		System::set_block_number(DEADLINE);
		assert_noop!(Transfers::expire(signed(NOBODY), id), Error::<Test>::DeadlineNotPassed);

		System::set_block_number(DEADLINE + 1);
		assert_noop!(Transfers::consent(signed(CAROL), id), Error::<Test>::DeadlinePassed);
		assert_noop!(
			Transfers::approve_as_notary(signed(NOTARY2), id),
			Error::<Test>::DeadlinePassed
		);
		assert_noop!(settle(BOB, id), Error::<Test>::DeadlinePassed);
		let other = create_title(&[(D, WHOLE)]);
		let mut late = terms(other, D, E, WHOLE, 100);
		late.deadline = DEADLINE;
		assert_noop!(open(DAVE, late), Error::<Test>::DeadlinePassed);

		// Anyone expires it; the buyer is refunded.
		assert_ok!(Transfers::expire(signed(NOBODY), id));
		assert_eq!(status(id), DealStatus::Expired);
		assert_eq!(bal(BOB), INITIAL);
		assert!(transfer_events().contains(&Event::Refunded { deal: id, to: BOB, amount: 10_000 }));
		assert_eq!(last_event(), Event::DealExpired { deal: id }.into());
		assert_noop!(Transfers::expire(signed(NOBODY), id), Error::<Test>::WrongStatus);
		assert_noop!(deposit(BOB, id), Error::<Test>::WrongStatus);
		assert_cleaned_up(id);
	});
}

#[test]
fn settlement_at_the_deadline_works() {
	run_checked(|| {
		let title = create_title(&[(A, WHOLE)]);
		let id = open_ok(ALICE, terms(title, A, B, WHOLE, 10_000));
		assert_ok!(deposit(BOB, id));
		approve_all(id);
		System::set_block_number(DEADLINE);
		assert_ok!(settle(NOTARY, id));
		assert_cleaned_up(id);
	});
}

#[test]
fn deposit_rejections() {
	run_checked(|| {
		let title = create_title(&[(A, WHOLE)]);
		let id = open_ok(ALICE, terms(title, A, B, 500_000, 10_000));
		assert_noop!(
			Transfers::deposit(signed(BOB), id, 9_999),
			Error::<Test>::InsufficientDeposit
		);
		assert_noop!(Transfers::deposit(signed(BOB), id, 10_001), Error::<Test>::ExcessiveDeposit);
		for who in [CAROL, ALICE, NOBODY, NOTARY] {
			assert_noop!(Transfers::deposit(signed(who), id, 10_000), Error::<Test>::NotTheBuyer);
		}
		assert_noop!(Transfers::deposit(signed(BOB), 77, 10_000), Error::<Test>::DealNotFound);
		assert_ok!(Transfers::deposit(signed(BOB), id, 10_000));
		assert_noop!(Transfers::deposit(signed(BOB), id, 10_000), Error::<Test>::AlreadyDeposited);

		// Eve cannot pay more than she has, nor all she has (she keeps the existential
		// deposit).
		let poor = open_ok(ALICE, terms(title, A, E, 1, 5_000));
		assert_noop!(deposit(EVE, poor), Error::<Test>::InsufficientBalance);
		let all = open_ok(ALICE, terms(title, A, E, 1, EVE_INITIAL));
		assert_noop!(deposit(EVE, all), Error::<Test>::InsufficientBalance);
		let can = open_ok(CAROL, terms(create_title(&[(C, WHOLE)]), C, E, 1, EVE_INITIAL - 1));
		assert_ok!(deposit(EVE, can));
		assert_eq!(bal(EVE), 1);
		check_invariants();
	});
}

/// A co-owner holding 8 ppm cannot fill the title's places with 1-ppm deals (renewed
/// forever) to lock the other owners out of selling: once it has a deal open, the places
/// the co-owners without one would need are held for them.
#[test]
fn a_co_owner_cannot_take_the_places_of_the_others() {
	run_checked(|| {
		let title = create_title(&[(A, 8), (C, (WHOLE - 8) / 2), (D, (WHOLE - 8) / 2)]);
		let mut opened = 0;
		let refused = loop {
			match open(ALICE, terms(title, A, B, 1, 100)) {
				Ok(()) => opened += 1,
				Err(e) => break e,
			}
			assert!(opened <= MAX_DEALS_PER_TITLE, "no limit stopped the squatter");
		};
		assert_eq!(refused, Error::<Test>::PlacesHeldForCoOwners.into());
		assert_eq!(opened, MAX_DEALS_PER_TITLE - 2);
		open_ok(CAROL, terms(title, C, B, 1, 100));
		open_ok(DAVE, terms(title, D, B, 1, 100));
		assert_eq!(Transfers::deals_of_title(title).len() as u32, MAX_DEALS_PER_TITLE);
		check_invariants();
	});
}

#[test]
fn limits_on_open_deals() {
	run_checked(|| {
		let t1 = create_title(&[(A, WHOLE)]);
		let t2 = create_title(&[(A, WHOLE)]);
		let ids: Vec<DealId> = (0..MAX_DEALS_PER_TITLE)
			.map(|_| open_ok(ALICE, terms(t1, A, B, 1, 100)))
			.collect();
		assert_noop!(open(ALICE, terms(t1, A, B, 1, 100)), Error::<Test>::TooManyDeals);
		assert_eq!(Transfers::deals_of_title(t1), ids);

		let on_t2 = open_ok(ALICE, terms(t2, A, B, 1, 100));
		assert_eq!(OpenDealsOf::<Test>::get(ALICE), MAX_DEALS_PER_ACCOUNT);
		assert_noop!(open(ALICE, terms(t2, A, B, 1, 100)), Error::<Test>::TooManyDealsByAccount);

		// Every terminal path frees a place.
		assert_ok!(Transfers::cancel(signed(ALICE), ids[0]));
		assert_eq!(OpenDealsOf::<Test>::get(ALICE), MAX_DEALS_PER_ACCOUNT - 1);
		assert_ok!(open(ALICE, terms(t1, A, B, 1, 100)));
		assert_ok!(Transfers::approve_as_notary(signed(NOTARY), ids[1]));
		assert_ok!(Transfers::reject(signed(NOTARY), ids[1]));
		assert_ok!(deposit(BOB, on_t2));
		approve_all(on_t2);
		assert_ok!(settle(BOB, on_t2));
		System::set_block_number(DEADLINE + 1);
		assert_ok!(Transfers::expire(signed(NOBODY), ids[2]));
		// Left open: the untouched ones on t1 and the one opened after the cancel.
		assert_eq!(OpenDealsOf::<Test>::get(ALICE), MAX_DEALS_PER_TITLE - 3 + 1);
		check_invariants();
	});
}

#[test]
fn unknown_deal() {
	run_checked(|| {
		let o = || signed(NOBODY);
		assert_noop!(Transfers::consent(o(), 5), Error::<Test>::DealNotFound);
		assert_noop!(Transfers::approve_as_notary(signed(NOTARY), 5), Error::<Test>::DealNotFound);
		assert_noop!(Transfers::approve_as_creditor(o(), 5, VAULT), Error::<Test>::DealNotFound);
		assert_noop!(Transfers::approve_as_land_registry(o(), 5), Error::<Test>::DealNotFound);
		assert_noop!(Transfers::reject(o(), 5), Error::<Test>::DealNotFound);
		assert_noop!(Transfers::cancel(o(), 5), Error::<Test>::DealNotFound);
		assert_noop!(settle(NOBODY, 5), Error::<Test>::DealNotFound);
		assert_noop!(Transfers::expire(o(), 5), Error::<Test>::DealNotFound);
		assert_eq!(Transfers::deal_view(5), None);
		assert!(Transfers::deals_of_title(5).is_empty());
	});
}

// ------------------------------------------------------------------ origins

#[test]
fn origin_matrix() {
	run_checked(|| {
		let title = create_title(&[(A, 500_000), (C, 500_000)]);
		let m = add_mortgage(title, 1_000);
		let id = open_ok(ALICE, releasing(terms(title, A, B, 500_000, 10_000), &[m]));

		// Unsigned origins are refused outright by every call.
		for origin in [RuntimeOrigin::root(), RuntimeOrigin::none()] {
			let o = || origin.clone();
			let t = releasing(terms(title, A, B, 1, 10_000), &[m]);
			assert_noop!(Transfers::open_deal(o(), t), DispatchError::BadOrigin);
			assert_noop!(Transfers::consent(o(), id), DispatchError::BadOrigin);
			assert_noop!(Transfers::deposit(o(), id, 10_000), DispatchError::BadOrigin);
			assert_noop!(Transfers::approve_as_notary(o(), id), DispatchError::BadOrigin);
			assert_noop!(Transfers::approve_as_creditor(o(), id, VAULT), DispatchError::BadOrigin);
			assert_noop!(Transfers::approve_as_land_registry(o(), id), DispatchError::BadOrigin);
			assert_noop!(Transfers::reject(o(), id), DispatchError::BadOrigin);
			assert_noop!(Transfers::cancel(o(), id), DispatchError::BadOrigin);
			assert_noop!(Transfers::settle(o(), id).map_err(|e| e.error), DispatchError::BadOrigin);
			assert_noop!(Transfers::expire(o(), id), DispatchError::BadOrigin);
		}

		// A signed outsider is told why not.
		let n = || signed(NOBODY);
		let t = releasing(terms(title, A, B, 1, 10_000), &[m]);
		assert_noop!(Transfers::open_deal(n(), t), Error::<Test>::NotASeller);
		assert_noop!(Transfers::consent(n(), id), Error::<Test>::NotACoOwner);
		assert_noop!(Transfers::deposit(n(), id, 10_000), Error::<Test>::NotTheBuyer);
		assert_noop!(Transfers::approve_as_notary(n(), id), Error::<Test>::WrongApprover);
		assert_noop!(Transfers::approve_as_creditor(n(), id, VAULT), Error::<Test>::WrongApprover);
		assert_noop!(Transfers::approve_as_land_registry(n(), id), Error::<Test>::WrongApprover);
		assert_noop!(Transfers::reject(n(), id), Error::<Test>::WrongApprover);
		assert_noop!(Transfers::cancel(n(), id), Error::<Test>::NotAParty);
		assert_noop!(settle(NOBODY, id), Error::<Test>::NotAParty);
		// Anyone may expire, but only once the deadline has passed.
		assert_noop!(Transfers::expire(n(), id), Error::<Test>::DeadlineNotPassed);

		// Approvers who have not approved, and co-owners who have not consented, cannot
		// settle or cancel.
		assert_noop!(settle(NOTARY, id), Error::<Test>::NotAParty);
		assert_noop!(settle(CAROL, id), Error::<Test>::NotAParty);
		assert_noop!(Transfers::cancel(signed(NOTARY), id), Error::<Test>::NotAParty);
		assert_noop!(Transfers::cancel(signed(BANKER), id), Error::<Test>::NotAParty);
		// Parties may settle (here: not ready yet).
		assert_noop!(settle(ALICE, id), Error::<Test>::NotReady);
		assert_noop!(settle(BOB, id), Error::<Test>::NotReady);
		assert_ok!(Transfers::consent(signed(CAROL), id));
		assert_noop!(settle(CAROL, id), Error::<Test>::NotReady);

		// The buyer may cancel only before depositing.
		assert_ok!(deposit(BOB, id));
		assert_noop!(Transfers::cancel(signed(BOB), id), Error::<Test>::AlreadyDeposited);
		assert_ok!(Transfers::cancel(signed(ALICE), id));
		assert_noop!(Transfers::cancel(signed(ALICE), id), Error::<Test>::WrongStatus);
		let again = open_ok(ALICE, releasing(terms(title, A, B, 500_000, 10_000), &[m]));
		assert_ok!(Transfers::cancel(signed(BOB), again));
		assert_eq!(last_event(), Event::DealCancelled { deal: again, by: BOB }.into());
	});
}

// ------------------------------------------------------------------ failure paths

#[test]
fn only_the_notary_who_approved_a_deal_can_reject_it() {
	run_checked(|| {
		// Any notary in the country could otherwise end any sale (a competitor's client's,
		// or one a colleague approved), refunding the buyer and killing the deal.
		let title = create_title(&[(A, WHOLE)]);
		let id = open_ok(ALICE, terms(title, A, B, WHOLE, 10_000));
		assert_ok!(deposit(BOB, id));
		// Before any notary approved: no notary rejects (the parties may cancel).
		for notary in [NOTARY, NOTARY2] {
			assert_noop!(Transfers::reject(signed(notary), id), Error::<Test>::NotTheDealsNotary);
		}
		assert_ok!(Transfers::approve_as_notary(signed(NOTARY), id));
		// Another notary cannot undo a colleague's approval.
		assert_noop!(Transfers::reject(signed(NOTARY2), id), Error::<Test>::NotTheDealsNotary);
		assert_eq!(status(id), DealStatus::Open);
		assert_eq!(bal(BOB), INITIAL - 10_000);
		// The notary who approved can.
		assert_ok!(Transfers::reject(signed(NOTARY), id));
		assert_eq!(status(id), DealStatus::Rejected);
		assert_eq!(bal(BOB), INITIAL);
	});
}

#[test]
fn rejection_by_each_approver_refunds() {
	run_checked(|| {
		let title = create_title(&[(A, WHOLE)]);
		let m = add_mortgage(title, 1_000);
		let before = money();
		for rejecter in [NOTARY, BANKER, LAND] {
			let mut t = releasing(terms(title, A, B, WHOLE, 10_000), &[m]);
			t.land_registry_approval = true;
			let id = open_ok(ALICE, t);
			assert_ok!(deposit(BOB, id));
			assert_eq!(bal(BOB), INITIAL - 10_000);
			// Having approved does not prevent rejecting later.
			assert_ok!(Transfers::approve_as_notary(signed(NOTARY), id));
			assert_ok!(Transfers::reject(signed(rejecter), id));
			assert_eq!(last_event(), Event::DealRejected { deal: id, by: rejecter }.into());
			assert!(transfer_events().contains(&Event::Refunded {
				deal: id,
				to: BOB,
				amount: 10_000
			}));
			assert_eq!(status(id), DealStatus::Rejected);
			assert_eq!(bal(BOB), INITIAL);
			assert_eq!(money(), before);
			assert_noop!(settle(BOB, id), Error::<Test>::WrongStatus);
			assert_noop!(Transfers::reject(signed(rejecter), id), Error::<Test>::WrongStatus);
			assert_cleaned_up(id);
		}
		assert_eq!(owners(title), vec![(A, WHOLE)]);
		assert_eq!(mortgages(title).len(), 1);
	});
}

#[test]
fn on_idle_expires_due_deals_within_its_bounds() {
	run_checked(|| {
		let title = create_title(&[(A, WHOLE)]);
		let later_title = create_title(&[(C, WHOLE)]);
		let before = money();
		let due: Vec<DealId> = [(B, BOB), (D, DAVE), (E, EVE)]
			.into_iter()
			.map(|(buyer, who)| {
				let id = open_ok(ALICE, terms(title, A, buyer, 1, 500));
				assert_ok!(deposit(who, id));
				id
			})
			.collect();
		let mut t = terms(later_title, C, B, 500_000, 500);
		t.deadline = DEADLINE + 10;
		let later = open_ok(CAROL, t);
		assert_ok!(deposit(BOB, later));
		// An earlier deadline moves the cursor back.
		assert_eq!(ExpiryCursor::<Test>::get(), Some(DEADLINE));
		let mut t = terms(later_title, C, D, 1, 500);
		t.deadline = 20;
		let early = open_ok(CAROL, t);
		assert_eq!(ExpiryCursor::<Test>::get(), Some(20));
		assert_ok!(Transfers::cancel(signed(CAROL), early));

		// Nothing is due before the deadline has passed; the cursor walks up to it.
		Transfers::on_idle(DEADLINE, Weight::MAX);
		assert!(due.iter().all(|id| status(*id) == DealStatus::Open));
		assert_eq!(ExpiryCursor::<Test>::get(), Some(DEADLINE));

		System::set_block_number(DEADLINE + 1);
		// Without weight for a deal, nothing is expired.
		Transfers::on_idle(DEADLINE + 1, Weight::zero());
		assert!(due.iter().all(|id| status(*id) == DealStatus::Open));
		// With weight for exactly one deal (reads are free in the mock), one.
		Transfers::on_idle(DEADLINE + 1, <() as crate::weights::WeightInfo>::on_idle_expire());
		let expired = || due.iter().filter(|id| status(**id) == DealStatus::Expired).count();
		assert_eq!(expired(), 1);
		// With plenty of weight, at most MaxExpiriesPerBlock (2): here the two left.
		System::set_block_number(DEADLINE + 2);
		Transfers::on_idle(DEADLINE + 2, Weight::MAX);
		assert_eq!(expired(), 3);
		assert_eq!(status(later), DealStatus::Open);
		// It stopped at the limit, before looking further.
		assert_eq!(ExpiryCursor::<Test>::get(), Some(DEADLINE));
		for (id, who) in due.iter().zip([BOB, DAVE, EVE]) {
			assert!(transfer_events().contains(&Event::Refunded {
				deal: *id,
				to: who,
				amount: 500
			}));
			assert_cleaned_up(*id);
		}
		assert_eq!(bal(DAVE), INITIAL);
		assert_eq!(bal(EVE), EVE_INITIAL);

		// The later deal in its turn.
		System::set_block_number(DEADLINE + 11);
		Transfers::on_idle(DEADLINE + 11, Weight::MAX);
		assert_eq!(status(later), DealStatus::Expired);
		assert_eq!(ExpiryCursor::<Test>::get(), Some(DEADLINE + 11));
		assert_eq!(bal(BOB), INITIAL);
		assert_eq!(bal(escrow()), 0);
		assert_eq!(money(), before);
		check_invariants();
	});
}

#[test]
fn on_idle_expires_at_most_the_limit_per_block() {
	run_checked(|| {
		let title = create_title(&[(A, WHOLE)]);
		let ids: Vec<DealId> = (0..MAX_DEALS_PER_TITLE)
			.map(|_| open_ok(ALICE, terms(title, A, B, 1, 100)))
			.collect();
		System::set_block_number(DEADLINE + 1);
		Transfers::on_idle(DEADLINE + 1, Weight::MAX);
		let expired = ids.iter().filter(|id| status(**id) == DealStatus::Expired).count() as u32;
		assert_eq!(expired, MAX_EXPIRIES_PER_BLOCK);
		Transfers::on_idle(DEADLINE + 1, Weight::MAX);
		assert!(ids.iter().all(|id| status(*id) == DealStatus::Expired));
		check_invariants();
	});
}

#[test]
fn on_idle_skips_a_deal_it_cannot_expire() {
	run_checked(|| {
		let title = create_title(&[(A, WHOLE)]);
		let id = open_ok(ALICE, terms(title, A, B, WHOLE, 100));
		assert_ok!(deposit(BOB, id));
		approve_all(id);
		assert_ok!(settle(BOB, id));
		// A stale index entry (cannot happen through the calls) does not block on_idle.
		DealsByDeadline::<Test>::insert(DEADLINE, id, ());
		System::set_block_number(DEADLINE + 1);
		Transfers::on_idle(DEADLINE + 1, Weight::MAX);
		assert_eq!(
			last_event(),
			Event::ExpiryFailed {
				deal: id,
				error: Error::<Test>::AlreadySettled.into(),
				retry_at: None
			}
			.into()
		);
		assert!(!DealsByDeadline::<Test>::contains_key(DEADLINE, id));
		assert_eq!(status(id), DealStatus::Settled);
		check_invariants();
	});
}

/// An open deal whose expiry fails in `on_idle` (here the escrow cannot pay the refund)
/// stays open and indexed, does not hold up the deal due behind it, and is expired with
/// its refund by `on_idle` itself once the cause is gone. (It used to leave the index and
/// stay open for good unless someone called `expire`.)
#[test]
fn a_failed_expiry_stays_indexed_and_is_retried() {
	run_checked(|| {
		let title = create_title(&[(A, WHOLE)]);
		let stuck = open_ok(ALICE, terms(title, A, B, WHOLE / 2, 100));
		assert_ok!(deposit(BOB, stuck));
		let behind = {
			let mut t = terms(title, A, B, WHOLE / 2, 100);
			t.deadline = DEADLINE + 1;
			open_ok(ALICE, t)
		};
		let buyer_before = bal(BOB);
		let held = bal(escrow());
		// The escrow account is short (a fault elsewhere): the refund cannot be paid.
		assert_ok!(Balances::force_set_balance(RuntimeOrigin::root(), escrow(), 0));
		let now = DEADLINE + 2;
		System::set_block_number(now);
		Transfers::on_idle(now, Weight::MAX);
		let retry_at = now + EXPIRY_RETRY_DELAY as u64;
		assert!(transfer_events().iter().any(|e| matches!(
			e,
			Event::ExpiryFailed { deal, retry_at: Some(at), .. } if *deal == stuck && *at == retry_at
		)));
		assert_eq!(status(stuck), DealStatus::Open);
		assert!(DealsByDeadline::<Test>::contains_key(retry_at, stuck));
		assert_eq!(status(behind), DealStatus::Expired);
		assert_ok!(Balances::force_set_balance(RuntimeOrigin::root(), escrow(), held));
		check_invariants();

		// Not retried before its block, then expired with the buyer refunded.
		for block in now + 1..=retry_at {
			System::set_block_number(block);
			Transfers::on_idle(block, Weight::MAX);
		}
		assert_eq!(status(stuck), DealStatus::Open);
		System::set_block_number(retry_at + 1);
		Transfers::on_idle(retry_at + 1, Weight::MAX);
		assert_eq!(status(stuck), DealStatus::Expired);
		assert_eq!(bal(BOB), buyer_before + 100);
		assert!(!ExpiryRetryAt::<Test>::contains_key(stuck));
		assert_cleaned_up(stuck);
		check_invariants();
	});
}

// ------------------------------------------------------------------ invariants

/// Runs `path` on a fresh deal with a mortgage, deposited and fully approved, on a
/// co-owned title; checks the money of every involved account and the total issuance are
/// unchanged, and what the buyer and seller end with.
fn conserved(path: impl FnOnce(DealId), settles: bool) {
	run_checked(|| {
		let title = create_title(&[(A, 700_000), (C, 300_000)]);
		let m = add_mortgage(title, 20_000);
		// Another deal's deposit sits in escrow meanwhile and must stay untouched.
		let other_title = create_title(&[(D, WHOLE)]);
		let mut t = terms(other_title, D, E, WHOLE, 700);
		t.deadline = DEADLINE + 20;
		let other = open_ok(DAVE, t);
		assert_ok!(deposit(EVE, other));
		let (total, issued) = money();

		let id = open_ok(ALICE, releasing(terms(title, A, B, 700_000, 100_000), &[m]));
		assert_ok!(deposit(BOB, id));
		approve_all(id);
		assert_ok!(Transfers::consent(signed(CAROL), id));
		path(id);

		assert_eq!(money(), (total, issued));
		assert_eq!(bal(escrow()), 700);
		if settles {
			assert_eq!(status(id), DealStatus::Settled);
			assert_eq!(bal(BOB), INITIAL - 100_000);
			assert_eq!(bal(VAULT) + bal(TREASURY) + bal(PROCEEDS), 100_000);
			assert_eq!(owners(title), vec![(C, 300_000), (B, 700_000)]);
		} else {
			assert_ne!(status(id), DealStatus::Open);
			assert_eq!(bal(BOB), INITIAL);
			assert_eq!(bal(VAULT) + bal(TREASURY) + bal(PROCEEDS), 0);
			assert_eq!(owners(title), vec![(A, 700_000), (C, 300_000)]);
		}
		assert_eq!(status(other), DealStatus::Open);
		assert_cleaned_up(id);
	});
}

#[test]
fn money_is_conserved_on_settlement() {
	conserved(
		|id| {
			assert_ok!(settle(BOB, id));
		},
		true,
	);
}

#[test]
fn money_is_conserved_on_cancellation() {
	conserved(
		|id| {
			assert_ok!(Transfers::cancel(signed(ALICE), id));
		},
		false,
	);
}

#[test]
fn money_is_conserved_on_rejection() {
	conserved(
		|id| {
			assert_ok!(Transfers::reject(signed(BANKER), id));
		},
		false,
	);
	conserved(
		|id| {
			assert_ok!(Transfers::reject(signed(NOTARY), id));
		},
		false,
	);
}

#[test]
fn money_is_conserved_on_expiry() {
	conserved(
		|id| {
			System::set_block_number(DEADLINE + 1);
			assert_ok!(Transfers::expire(signed(NOBODY), id));
		},
		false,
	);
}

#[test]
fn money_is_conserved_on_idle_expiry() {
	conserved(
		|id| {
			System::set_block_number(DEADLINE + 1);
			Transfers::on_idle(DEADLINE + 1, Weight::MAX);
			assert_eq!(status(id), DealStatus::Expired);
		},
		false,
	);
}

#[test]
fn money_is_conserved_when_the_buyer_withdraws_before_paying() {
	run_checked(|| {
		let title = create_title(&[(A, WHOLE)]);
		let before = money();
		let id = open_ok(ALICE, terms(title, A, B, WHOLE, 10_000));
		approve_all(id);
		assert_ok!(Transfers::cancel(signed(BOB), id));
		assert_eq!(money(), before);
		assert!(!transfer_events().iter().any(|e| matches!(e, Event::Refunded { .. })));
		assert_cleaned_up(id);
	});
}

#[test]
fn shares_always_sum_to_a_whole() {
	run_checked(|| {
		let title = create_title(&[(A, 400_000), (B, 350_000), (CO, 250_000)]);
		// Sellers, buyers and shares; every other co-owner consents each time.
		let steps: [(u64, Owner, u64, Owner, Ppm); 5] = [
			(ALICE, A, CAROL, C, 100_000),
			(BOB, B, ALICE, A, 350_000),
			(CLERK, CO, DAVE, D, 125_000),
			(CAROL, C, DAVE, D, 100_000),
			(DAVE, D, ALICE, A, 1),
		];
		for (seller_acc, seller, buyer_acc, buyer, share) in steps {
			let id = open_ok(seller_acc, terms(title, seller, buyer, share, 1_000));
			assert_ok!(deposit(buyer_acc, id));
			approve_all(id);
			for who in [ALICE, BOB, CAROL, DAVE, CLERK] {
				let _ = Transfers::consent(signed(who), id);
			}
			assert_ok!(settle(seller_acc, id));
			check_invariants();
		}
		assert_eq!(owners(title), vec![(A, 650_001), (CO, 125_000), (D, 224_999)]);
	});
}

/// One deal in each kind of state, made through the calls: an open deal on a co-owned title
/// with a mortgage, deposited, approved and consented to; a settled deal on another title;
/// a cancelled deal on the first title.
struct Recorded {
	open: DealId,
	settled: DealId,
	ended: DealId,
	title: TitleId,
	other_title: TitleId,
}

fn recorded_deals() -> Recorded {
	let title = create_title(&[(A, 700_000), (C, 300_000)]);
	let m = add_mortgage(title, 20_000);
	let open = open_ok(ALICE, releasing(terms(title, A, B, 700_000, 100_000), &[m]));
	assert_ok!(deposit(BOB, open));
	approve_all(open);
	assert_ok!(Transfers::consent(signed(CAROL), open));
	let other_title = create_title(&[(D, WHOLE)]);
	let settled = open_ok(DAVE, terms(other_title, D, B, WHOLE, 1_000));
	assert_ok!(deposit(BOB, settled));
	approve_all(settled);
	assert_ok!(settle(BOB, settled));
	let ended = open_ok(CAROL, releasing(terms(title, C, D, 300_000, 30_000), &[m]));
	assert_ok!(Transfers::cancel(signed(CAROL), ended));
	assert_eq!(Transfers::do_try_state(), Ok(()));
	Recorded { open, settled, ended, title, other_title }
}

/// Rewrites a stored deal.
fn edit(id: DealId, f: impl FnOnce(&mut DealOf<Test>)) {
	Deals::<Test>::mutate(id, |d| f(d.as_mut().expect("the deal exists")));
}

/// A title's open-deal list as stored.
fn listing(ids: &[DealId]) -> BoundedVec<DealId, <Test as Config>::MaxDealsPerTitle> {
	BoundedVec::truncate_from(ids.to_vec())
}

/// Each way a bug or a migration could corrupt the deals, their indexes, their counters or
/// the escrow is caught by `try_state`, with the invariant it breaks.
#[test]
fn try_state_catches_every_corruption() {
	type Corruption = fn(&Recorded);
	let cases: Vec<(&str, Corruption)> = vec![
		("a deal id is not below NextDealId", |r| NextDealId::<Test>::put(r.ended)),
		("a deal below NextDealId is missing", |r| Deals::<Test>::remove(r.ended)),
		("a deal sells no share or more than a whole", |r| edit(r.open, |d| d.share = 0)),
		("a deal sells no share or more than a whole", |r| edit(r.ended, |d| d.share = WHOLE + 1)),
		("a deal has a zero price", |r| edit(r.ended, |d| d.price = 0)),
		("a deal's buyer is its seller", |r| edit(r.ended, |d| d.buyer = d.seller)),
		("a deal's deadline is not after its opening", |r| {
			edit(r.ended, |d| d.opened_at = d.deadline)
		}),
		("a deal releases a mortgage twice", |r| {
			edit(r.open, |d| {
				let first = d.releases[0].clone();
				d.releases.try_push(first).unwrap();
			})
		}),
		("a deal's mortgages exceed its price", |r| {
			edit(r.open, |d| d.releases[0].amount = 100_001)
		}),
		("a land registry approval on a deal that needs none", |r| {
			edit(r.ended, |d| d.land_registry = Some(LAND))
		}),
		("a deal's title does not exist", |r| {
			pallet_property_registry::Titles::<Test>::remove(r.other_title)
		}),
		("a settled deal lacks the deposit or an approval", |r| {
			edit(r.settled, |d| d.notary = None)
		}),
		("a settled deal lacks the deposit or an approval", |r| {
			edit(r.settled, |d| d.deposit = None)
		}),
		("an open deal is not indexed by its deadline (or its expiry retry)", |r| {
			DealsByDeadline::<Test>::remove(DEADLINE, r.open)
		}),
		("an open deal is not among its title's open deals", |r| {
			DealsOfTitle::<Test>::remove(r.title)
		}),
		("the expiry cursor is past an open deal's deadline (or its expiry retry)", |_| {
			ExpiryCursor::<Test>::put(DEADLINE + 1)
		}),
		("the expiry cursor is past an open deal's deadline (or its expiry retry)", |_| {
			ExpiryCursor::<Test>::kill()
		}),
		("a deadline index entry is not an open deal", |r| {
			DealsByDeadline::<Test>::insert(DEADLINE, r.ended, ())
		}),
		("a deadline index entry is not an open deal", |_| {
			DealsByDeadline::<Test>::insert(DEADLINE, 9u64, ())
		}),
		("a deadline index entry is not at its deal's deadline (or its expiry retry)", |r| {
			DealsByDeadline::<Test>::insert(DEADLINE + 1, r.open, ())
		}),
		("an expiry retry is not after the deal's deadline", |r| {
			ExpiryRetryAt::<Test>::insert(r.open, DEADLINE)
		}),
		("an expiry retry is noted for a deal that is not open", |r| {
			ExpiryRetryAt::<Test>::insert(r.ended, DEADLINE + 1)
		}),
		("an empty open-deal list is stored", |r| {
			DealsOfTitle::<Test>::insert(r.other_title, listing(&[]))
		}),
		("a title's open deals are not in opening order", |r| {
			DealsOfTitle::<Test>::insert(r.title, listing(&[r.open, r.open]))
		}),
		("a title lists a deal that is not open", |r| {
			DealsOfTitle::<Test>::insert(r.title, listing(&[r.open, r.ended]))
		}),
		("a title lists another title's deal", |r| {
			DealsOfTitle::<Test>::insert(r.other_title, listing(&[r.open]))
		}),
		("OpenDealsOf is not the count of each opener's open deals", |_| {
			OpenDealsOf::<Test>::insert(ALICE, 2u32)
		}),
		("OpenDealsOf is not the count of each opener's open deals", |_| {
			OpenDealsOf::<Test>::remove(ALICE)
		}),
		("OpenDealsOf is not the count of each opener's open deals", |_| {
			OpenDealsOf::<Test>::insert(CAROL, 1u32)
		}),
		("an account has more open deals than MaxDealsPerAccount", |r| {
			// Copies of the open deal, each with its own title, indexed and counted: all
			// consistent, but one too many for its opener.
			let template = deal(r.open);
			for _ in 0..MAX_DEALS_PER_ACCOUNT {
				let id = NextDealId::<Test>::get();
				let title = create_title(&[(A, WHOLE)]);
				let mut d = template.clone();
				d.title = title;
				d.deposit = None;
				NextDealId::<Test>::put(id + 1);
				Deals::<Test>::insert(id, d);
				DealsOfTitle::<Test>::insert(title, listing(&[id]));
				DealsByDeadline::<Test>::insert(DEADLINE, id, ());
				OpenDealsOf::<Test>::mutate(ALICE, |n| *n += 1);
			}
		}),
		("a consent to an unknown deal", |_| Consents::<Test>::insert(9u64, C, CAROL)),
		("a consent by the deal's seller or buyer", |r| Consents::<Test>::insert(r.open, A, ALICE)),
		("a consent by the deal's seller or buyer", |r| Consents::<Test>::insert(r.open, B, BOB)),
		("the escrow account holds less than the open deals' deposits", |_| {
			// Escrow money paid out behind the deals' back.
			assert_ok!(<Balances as Mutate<u64>>::transfer(
				&escrow(),
				&BOB,
				1,
				Preservation::Expendable
			));
		}),
		("the escrow account holds less than the open deals' deposits", |r| {
			edit(r.open, |d| d.price += 1)
		}),
	];
	for (expected, corrupt) in cases {
		new_test_ext().execute_with(|| {
			let r = recorded_deals();
			corrupt(&r);
			assert_eq!(Transfers::do_try_state(), Err(expected.into()), "{expected}");
		});
	}
}

// ------------------------------------------------------------------ runtime API

#[test]
fn runtime_api_views() {
	run_checked(|| {
		let title = create_title(&[(A, 600_000), (C, 400_000)]);
		let m = add_mortgage(title, 1_000);
		let id = open_ok(ALICE, releasing(terms(title, A, B, 600_000, 10_000), &[m]));
		assert_ok!(deposit(BOB, id));
		assert_ok!(Transfers::approve_as_creditor(signed(BANKER), id, VAULT));
		let view = Transfers::deal_view(id).expect("the deal exists");
		assert_eq!(
			view,
			DealView {
				id,
				title,
				seller: A,
				buyer: B,
				share: 600_000,
				price: 10_000,
				deadline: DEADLINE,
				seller_payout: PROCEEDS,
				opened_by: ALICE,
				opened_at: 1,
				releases: vec![Release {
					encumbrance: m,
					creditor: BANK,
					amount: 1_000,
					approval: Some(CreditorApproval { by: BANKER, payout: VAULT }),
				}],
				land_registry_required: false,
				notary: None,
				land_registry: None,
				deposit: Some(BOB),
				consents: vec![],
				pending_consents: vec![C],
				ready: false,
				status: DealStatus::Open,
			}
		);
		assert_eq!(Transfers::deals_of_title(title), vec![id]);

		assert_ok!(Transfers::cancel(signed(ALICE), id));
		let view = Transfers::deal_view(id).expect("ended deals are kept");
		assert_eq!(view.status, DealStatus::Cancelled);
		assert!(view.pending_consents.is_empty());
		assert!(!view.ready);
		assert!(Transfers::deals_of_title(title).is_empty());
	});
}

// ------------------------------------------------------------------ key rotation

/// The civil registry starts a rotation of `citizen` to `new`, and `new` accepts it: its
/// notice period runs.
fn start_rotation(citizen: CitizenId, new: u64) {
	assert_ok!(Registry::initiate_account_rotation(signed(CIVIL), citizen, new));
	assert_ok!(Registry::accept_account_rotation(signed(new)));
}

/// A stolen-key recovery: the rotation, confirmed at once by a court.
fn recover_key(citizen: CitizenId, new: u64) {
	start_rotation(citizen, new);
	assert_ok!(Registry::confirm_account_rotation(signed(COURT), citizen));
}

/// The thief's key is `ALICE`'s old one; the recovered key is this one.
const ALICE_NEW: u64 = 30;
const BOB_NEW: u64 = 31;
const CAROL_NEW: u64 = 32;

#[test]
fn after_a_key_recovery_the_thief_neither_cancels_nor_collects() {
	run_checked(|| {
		let title = create_title(&[(A, WHOLE)]);
		let mut t = terms(title, A, B, WHOLE, 10_000);
		t.seller_payout = ALICE;
		let id = open_ok(ALICE, t.clone());
		assert_ok!(deposit(BOB, id));
		approve_all(id);
		recover_key(ALICE_ID, ALICE_NEW);
		// The old key, now the thief's alone, cancels nothing; what it signed lapses.
		assert_noop!(Transfers::cancel(signed(ALICE), id), Error::<Test>::NotAParty);
		assert_noop!(settle(BOB, id), Error::<Test>::OpenerNoLongerActs);
		assert_ok!(Transfers::cancel(signed(ALICE_NEW), id));
		// Alice lists it again with her new key; the form still names her old key for the
		// proceeds, which go to the new one.
		let again = open_ok(ALICE_NEW, t);
		assert_ok!(deposit(BOB, again));
		approve_all(again);
		let thief_before = bal(ALICE);
		assert_ok!(settle(BOB, again));
		assert_eq!(bal(ALICE), thief_before, "the stolen key is paid nothing");
		assert_eq!(bal(ALICE_NEW), 10_000 - 200, "the price less the 2 % duty");
		check_invariants();
	});
}

#[test]
fn a_deal_a_stolen_key_opened_does_not_settle_after_the_recovery() {
	run_checked(|| {
		let title = create_title(&[(A, WHOLE)]);
		// The thief sells Alice's land to an accomplice, paying itself.
		let id = open_ok(ALICE, terms(title, A, B, WHOLE, 10_000));
		assert_ok!(deposit(BOB, id));
		approve_all(id);
		recover_key(ALICE_ID, ALICE_NEW);
		assert_noop!(settle(BOB, id), Error::<Test>::OpenerNoLongerActs);
		// Alice, with her new key, cancels it; the buyer gets the price back.
		let bob_before = bal(BOB);
		assert_ok!(Transfers::cancel(signed(ALICE_NEW), id));
		assert_eq!(bal(BOB), bob_before + 10_000);
		assert_eq!(owners(title), vec![(A, WHOLE)]);
		check_invariants();
	});
}

#[test]
fn a_refund_goes_to_the_buyers_current_key() {
	run_checked(|| {
		let title = create_title(&[(A, WHOLE)]);
		let id = open_ok(ALICE, terms(title, A, B, WHOLE, 10_000));
		assert_ok!(deposit(BOB, id));
		recover_key(BOB_ID, BOB_NEW);
		let old_before = bal(BOB);
		assert_ok!(Transfers::cancel(signed(ALICE), id));
		assert_eq!(bal(BOB), old_before, "nothing to the rotated-away key");
		assert_eq!(bal(BOB_NEW), 10_000);
		assert_eq!(
			last_event(),
			RuntimeEvent::Transfers(Event::DealCancelled { deal: id, by: ALICE })
		);
		assert!(transfer_events().contains(&Event::Refunded {
			deal: id,
			to: BOB_NEW,
			amount: 10_000
		}));
		check_invariants();
	});
}

#[test]
fn a_consent_given_with_a_rotated_away_key_lapses() {
	run_checked(|| {
		let title = create_title(&[(A, WHOLE / 2), (C, WHOLE / 2)]);
		let id = open_ok(ALICE, terms(title, A, B, WHOLE / 2, 10_000));
		// The thief consents for Carol with her stolen key, then Carol recovers it.
		assert_ok!(Transfers::consent(signed(CAROL), id));
		assert_ok!(deposit(BOB, id));
		approve_all(id);
		recover_key(CAROL_ID, CAROL_NEW);
		assert_noop!(settle(BOB, id), Error::<Test>::NotReady);
		// Carol, deciding for herself, consents again with her new key.
		assert_ok!(Transfers::consent(signed(CAROL_NEW), id));
		assert_ok!(settle(BOB, id));
		check_invariants();
	});
}

#[test]
fn deals_are_frozen_during_a_rotations_notice() {
	run_checked(|| {
		let title = create_title(&[(A, WHOLE)]);
		let other = create_title(&[(A, WHOLE)]);
		let carols = create_title(&[(C, WHOLE)]);
		let id = open_ok(ALICE, terms(title, A, B, WHOLE, 10_000));
		assert_ok!(deposit(BOB, id));
		// A rogue registry official and their own key: accepted, in its notice period.
		start_rotation(ALICE_ID, ALICE_NEW);
		let frozen = || Error::<Test>::PartyRotating;
		assert_noop!(open(ALICE, terms(other, A, B, WHOLE, 10_000)), frozen());
		assert_noop!(open(ALICE_NEW, terms(other, A, B, WHOLE, 10_000)), Error::<Test>::NotASeller);
		assert_noop!(open(CAROL, terms(carols, C, A, WHOLE, 10_000)), frozen());
		approve_all(id);
		assert_noop!(settle(BOB, id), frozen());
		assert_noop!(Transfers::cancel(signed(ALICE), id), frozen());
		assert_noop!(Transfers::reject(signed(NOTARY), id), frozen());
		System::set_block_number(DEADLINE + 1);
		assert_noop!(Transfers::expire(signed(NOBODY), id), frozen());
		// Alice objects with her key; the court cancels the rotation; the deal moves again.
		assert_ok!(Registry::object_to_account_rotation(signed(ALICE)));
		assert_ok!(Registry::cancel_account_rotation(signed(COURT), ALICE_ID));
		assert_ok!(Transfers::expire(signed(NOBODY), id));
		assert_eq!(status(id), DealStatus::Expired);
		check_invariants();
	});
}

#[test]
fn a_frozen_deal_stays_indexed_for_expiry_until_the_rotation_ends() {
	run_checked(|| {
		let title = create_title(&[(A, WHOLE)]);
		let id = open_ok(ALICE, terms(title, A, B, WHOLE, 10_000));
		assert_ok!(deposit(BOB, id));
		start_rotation(BOB_ID, BOB_NEW);
		System::set_block_number(DEADLINE + 1);
		Transfers::on_idle(DEADLINE + 1, Weight::MAX);
		assert_eq!(status(id), DealStatus::Open, "no refund while the buyer's key is in question");
		assert!(ExpiryRetryAt::<Test>::contains_key(id));
		// The notice ends unopposed; the retry refunds the new key.
		assert_ok!(Registry::complete_account_rotation(signed(BOB_NEW)));
		let retry_at = ExpiryRetryAt::<Test>::get(id).unwrap();
		for block in DEADLINE + 2..=retry_at + 1 {
			System::set_block_number(block);
			Transfers::on_idle(block, Weight::MAX);
		}
		assert_eq!(status(id), DealStatus::Expired);
		assert_eq!(bal(BOB_NEW), 10_000);
		check_invariants();
	});
}
