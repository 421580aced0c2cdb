//! Tests of the property registry: every call's happy path and every rejection, an origin
//! matrix, the transfer interface (frozen titles, unreleased mortgages, partial shares),
//! the whole-title invariant, the history and the runtime API.

use crate::{mock::*, *};
use codec::Encode;
use egov_primitives::Role;
use pallet_identity_registry::EntityStatus;
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok, storage::unhashed, traits::ConstU32, BoundedVec},
	sp_core::H256,
	sp_runtime::DispatchError,
};

type Shares = BoundedVec<(Owner, Ppm), ConstU32<MAX_OWNERS>>;
type Entry = HistoryEntryView<u64, u64>;

const A: Owner = Owner::Citizen(ALICE_ID);
const B: Owner = Owner::Citizen(BOB_ID);
const C: Owner = Owner::Citizen(CAROL_ID);
const D: Owner = Owner::Citizen(DAVE_ID);
const E: Owner = Owner::Citizen(EVE_ID);
const CO: Owner = Owner::Entity(COMPANY);

fn cad(s: &str) -> CadastralId {
	BoundedVec::truncate_from(s.as_bytes().to_vec())
}

fn shares(owners: &[(Owner, Ppm)]) -> Shares {
	BoundedVec::truncate_from(owners.to_vec())
}

fn parcel(n: u8) -> H256 {
	H256::repeat_byte(n)
}

fn case(n: u8) -> H256 {
	H256::from_low_u64_be(5_000 + n as u64)
}

fn mortgage(amount: Amount) -> EncumbranceKind {
	EncumbranceKind::Mortgage { creditor: BANK, amount }
}

fn lien() -> EncumbranceKind {
	EncumbranceKind::Lien { holder: CO, amount: 5_000 }
}

fn easement() -> EncumbranceKind {
	EncumbranceKind::Easement { beneficiary: B, terms: H256::repeat_byte(0xee) }
}

fn try_create(cadastral_id: &str, owners: &[(Owner, Ppm)]) -> DispatchResult {
	Land::create_title(RuntimeOrigin::signed(LAND), cad(cadastral_id), parcel(1), shares(owners))
}

/// Creates a title through the land registry; returns its id.
fn create(cadastral_id: &str, owners: &[(Owner, Ppm)]) -> TitleId {
	let id = NextTitleId::<Test>::get();
	assert_ok!(try_create(cadastral_id, owners));
	id
}

/// Registers an encumbrance through the land registry; returns its id.
fn add(title: TitleId, kind: EncumbranceKind) -> EncumbranceId {
	let id = Titles::<Test>::get(title).expect("the title exists").next_encumbrance_id;
	assert_ok!(Land::add_encumbrance(RuntimeOrigin::signed(LAND), title, kind));
	id
}

fn release(who: u64, title: TitleId, encumbrance: EncumbranceId) -> DispatchResult {
	Land::release_encumbrance(RuntimeOrigin::signed(who), title, encumbrance)
}

fn transfer(
	title: TitleId,
	from: Owner,
	to: Owner,
	share: Ppm,
	release: &[EncumbranceId],
	deal: DealId,
) -> DispatchResult {
	<Land as TitleRegistry<u64>>::transfer_share(title, from, to, share, release, deal)
}

fn transferable(title: TitleId, releasing: &[EncumbranceId]) -> DispatchResult {
	<Land as TitleRegistry<u64>>::ensure_transferable(title, releasing)
}

fn owners(title: TitleId) -> Vec<(Owner, Ppm)> {
	<Land as TitleRegistry<u64>>::title_owners(title).expect("the title exists")
}

fn total(title: TitleId) -> u64 {
	owners(title).iter().map(|(_, s)| u64::from(*s)).sum()
}

fn encumbrance_ids(title: TitleId) -> Vec<EncumbranceId> {
	Titles::<Test>::get(title)
		.expect("the title exists")
		.encumbrances
		.iter()
		.map(|e| e.id)
		.collect()
}

fn entries(title: TitleId) -> Vec<Entry> {
	Land::history(title, 0, MAX_HISTORY_PAGE)
}

fn last_entry(title: TitleId) -> Entry {
	entries(title).pop().expect("the title has history")
}

fn last_event() -> RuntimeEvent {
	System::events().pop().expect("an event was emitted").event
}

fn check_invariants() {
	Land::do_try_state().expect("invariants hold");
}

// ---------------------------------------------------------------- create_title

#[test]
fn create_title_works() {
	build_and_execute(|| {
		let first = [(A, 600_000), (CO, 400_000)];
		assert_ok!(Land::create_title(
			RuntimeOrigin::signed(LAND),
			cad("KAT-001/17"),
			parcel(1),
			shares(&first)
		));
		assert_eq!(
			last_event(),
			Event::TitleCreated {
				title: 0,
				cadastral_id: cad("KAT-001/17"),
				parcel_hash: parcel(1),
				owners: first.to_vec(),
				by: LAND,
			}
			.into()
		);
		let t = Titles::<Test>::get(0).unwrap();
		assert_eq!(t.cadastral_id, cad("KAT-001/17"));
		assert_eq!(t.parcel_hash, parcel(1));
		assert_eq!(t.owners.to_vec(), first.to_vec());
		assert!(t.encumbrances.is_empty());
		assert_eq!(t.next_encumbrance_id, 0);
		assert_eq!(t.frozen, None);
		assert_eq!(t.created_at, 1);
		assert_eq!(TitleByCadastralId::<Test>::get(cad("KAT-001/17")), Some(0));
		assert_eq!(NextTitleId::<Test>::get(), 1);
		assert_eq!(HistoryLength::<Test>::get(0), 1);
		let expected: Vec<Entry> = vec![HistoryEntry {
			actor: Actor::LandRegistry(LAND),
			change: Change::Created {
				cadastral_id: cad("KAT-001/17"),
				parcel_hash: parcel(1),
				owners: first.to_vec(),
			},
			block: 1,
			timestamp: NOW_MS,
		}];
		assert_eq!(entries(0), expected);

		// Ids are sequential; a single owner holds the whole.
		assert_eq!(create("KAT-002/17", &[(B, WHOLE)]), 1);
		assert_eq!(owners(1), vec![(B, WHOLE)]);
		// Up to the most owners allowed, citizens and entities alike.
		assert_eq!(
			create("KAT-003/17", &[(A, 250_000), (B, 250_000), (C, 250_000), (CO, 250_000)]),
			2
		);
		check_invariants();
	});
}

#[test]
fn create_title_rejections() {
	build_and_execute(|| {
		create("KAT-1", &[(A, WHOLE)]);
		assert_noop!(try_create("KAT-1", &[(B, WHOLE)]), Error::<Test>::CadastralIdInUse);
		assert_noop!(try_create("", &[(B, WHOLE)]), Error::<Test>::EmptyCadastralId);
		// Shares must make exactly one whole.
		assert_noop!(
			try_create("KAT-2", &[(A, 500_000), (B, 400_000)]),
			Error::<Test>::SharesDoNotSumToWhole
		);
		assert_noop!(
			try_create("KAT-2", &[(A, 600_000), (B, 500_000)]),
			Error::<Test>::SharesDoNotSumToWhole
		);
		assert_noop!(try_create("KAT-2", &[]), Error::<Test>::SharesDoNotSumToWhole);
		assert_noop!(
			try_create("KAT-2", &[(A, u32::MAX), (B, 1)]),
			Error::<Test>::SharesDoNotSumToWhole
		);
		assert_noop!(try_create("KAT-2", &[(A, WHOLE), (B, 0)]), Error::<Test>::ZeroShare);
		assert_noop!(
			try_create("KAT-2", &[(A, 500_000), (A, 500_000)]),
			Error::<Test>::DuplicateOwner
		);
		// Owners must be registered citizens or active entities.
		assert_noop!(
			try_create("KAT-2", &[(Owner::Citizen(UNKNOWN_CITIZEN), WHOLE)]),
			Error::<Test>::OwnerNotFound
		);
		assert_noop!(
			try_create("KAT-2", &[(A, 500_000), (Owner::Entity(UNKNOWN_ENTITY), 500_000)]),
			Error::<Test>::OwnerNotFound
		);
		assert_ok!(Registry::set_entity_status(
			RuntimeOrigin::signed(BUSINESS),
			COMPANY,
			EntityStatus::Suspended
		));
		assert_noop!(try_create("KAT-2", &[(CO, WHOLE)]), Error::<Test>::OwnerNotFound);
		assert_eq!(NextTitleId::<Test>::get(), 1);
	});
}

// ---------------------------------------------------------------- encumbrances

#[test]
fn add_encumbrance_works() {
	build_and_execute(|| {
		let t = create("KAT-1", &[(A, WHOLE)]);
		assert_ok!(Land::add_encumbrance(RuntimeOrigin::signed(LAND), t, mortgage(90_000)));
		assert_eq!(
			last_event(),
			Event::EncumbranceAdded { title: t, encumbrance: 0, kind: mortgage(90_000), by: LAND }
				.into()
		);
		assert_eq!(add(t, lien()), 1);
		assert_eq!(add(t, easement()), 2);

		let title = Titles::<Test>::get(t).unwrap();
		assert_eq!(
			title.encumbrances.iter().map(|e| (e.id, e.kind)).collect::<Vec<_>>(),
			vec![(0, mortgage(90_000)), (1, lien()), (2, easement())]
		);
		assert!(title.encumbrances.iter().all(|e| e.registered_at == 1));
		assert_eq!(title.next_encumbrance_id, 3);
		assert_eq!(
			last_entry(t),
			HistoryEntry {
				actor: Actor::LandRegistry(LAND),
				change: Change::EncumbranceAdded { id: 2, kind: easement() },
				block: 1,
				timestamp: NOW_MS,
			}
		);
		assert_eq!(HistoryLength::<Test>::get(t), 4);
		assert_eq!(<Land as TitleRegistry<u64>>::mortgages(t), vec![(0, BANK, 90_000)]);
		check_invariants();
	});
}

#[test]
fn add_encumbrance_rejections() {
	build_and_execute(|| {
		let t = create("KAT-1", &[(A, WHOLE)]);
		let signed = || RuntimeOrigin::signed(LAND);
		assert_noop!(Land::add_encumbrance(signed(), 7, mortgage(1)), Error::<Test>::TitleNotFound);
		assert_noop!(Land::add_encumbrance(signed(), t, mortgage(0)), Error::<Test>::ZeroAmount);
		assert_noop!(
			Land::add_encumbrance(signed(), t, EncumbranceKind::Lien { holder: CO, amount: 0 }),
			Error::<Test>::ZeroAmount
		);
		assert_noop!(
			Land::add_encumbrance(
				signed(),
				t,
				EncumbranceKind::Mortgage { creditor: UNKNOWN_ENTITY, amount: 1 }
			),
			Error::<Test>::PartyNotFound
		);
		assert_noop!(
			Land::add_encumbrance(
				signed(),
				t,
				EncumbranceKind::Lien { holder: Owner::Citizen(UNKNOWN_CITIZEN), amount: 1 }
			),
			Error::<Test>::PartyNotFound
		);
		assert_noop!(
			Land::add_encumbrance(
				signed(),
				t,
				EncumbranceKind::Easement {
					beneficiary: Owner::Entity(UNKNOWN_ENTITY),
					terms: H256::zero()
				}
			),
			Error::<Test>::PartyNotFound
		);
		// A bank that is suspended cannot lend.
		assert_ok!(Registry::set_entity_status(
			RuntimeOrigin::signed(BUSINESS),
			BANK,
			EntityStatus::Suspended
		));
		assert_noop!(Land::add_encumbrance(signed(), t, mortgage(1)), Error::<Test>::PartyNotFound);

		// Bounded per title.
		for _ in 0..MAX_ENCUMBRANCES {
			add(t, lien());
		}
		assert_noop!(
			Land::add_encumbrance(signed(), t, lien()),
			Error::<Test>::TooManyEncumbrances
		);

		// Not on a frozen title.
		let u = create("KAT-2", &[(A, WHOLE)]);
		assert_ok!(Land::freeze_title(RuntimeOrigin::signed(COURT), u, case(1)));
		assert_noop!(Land::add_encumbrance(signed(), u, lien()), Error::<Test>::TitleFrozen);
	});
}

#[test]
fn release_encumbrance_by_land_registry_works() {
	build_and_execute(|| {
		let t = create("KAT-1", &[(A, WHOLE)]);
		let m = add(t, mortgage(1_000));
		let l = add(t, lien());
		let e = add(t, easement());
		assert_ok!(release(LAND, t, l));
		assert_eq!(
			last_event(),
			Event::EncumbranceReleased {
				title: t,
				encumbrance: l,
				kind: lien(),
				by: Actor::LandRegistry(LAND),
			}
			.into()
		);
		assert_eq!(encumbrance_ids(t), vec![m, e]);
		assert_eq!(
			last_entry(t),
			HistoryEntry {
				actor: Actor::LandRegistry(LAND),
				change: Change::EncumbranceReleased { id: l, kind: lien() },
				block: 1,
				timestamp: NOW_MS,
			}
		);
		assert_ok!(release(LAND, t, e));
		assert_eq!(encumbrance_ids(t), vec![m]);
		// Released once only.
		assert_noop!(release(LAND, t, l), Error::<Test>::EncumbranceNotFound);
		assert_noop!(release(LAND, t, 9), Error::<Test>::EncumbranceNotFound);
		assert_noop!(release(LAND, 9, 0), Error::<Test>::TitleNotFound);
		// Ids are never reused on a title.
		assert_ok!(release(BANKER, t, m));
		assert_eq!(add(t, mortgage(5)), 3);
		assert_eq!(<Land as TitleRegistry<u64>>::mortgages(t), vec![(3, BANK, 5)]);
		check_invariants();
	});
}

#[test]
fn the_land_registry_alone_cannot_release_a_banks_mortgage() {
	build_and_execute(|| {
		// A registry official (rogue or careless) would clear the bank's security and let
		// the owner sell the land free of it.
		let t = create("KAT-1", &[(A, WHOLE)]);
		let m = add(t, mortgage(1_000));
		assert_noop!(release(LAND, t, m), Error::<Test>::MortgageNeedsCreditor);
		assert_eq!(<Land as TitleRegistry<u64>>::mortgages(t), vec![(m, BANK, 1_000)]);
		// The bank releases it; or a court orders it (e.g. the bank is gone).
		let n = add(t, mortgage(2_000));
		assert_ok!(release(BANKER, t, m));
		assert_ok!(release(COURT, t, n));
		assert_eq!(
			last_event(),
			Event::EncumbranceReleased {
				title: t,
				encumbrance: n,
				kind: mortgage(2_000),
				by: Actor::Court(COURT),
			}
			.into()
		);
		assert_eq!(last_entry(t).actor, Actor::Court(COURT));
		assert!(<Land as TitleRegistry<u64>>::mortgages(t).is_empty());
	});
}

#[test]
fn creditor_releases_its_mortgage() {
	build_and_execute(|| {
		let t = create("KAT-1", &[(A, WHOLE)]);
		let m = add(t, mortgage(1_000));
		assert_ok!(release(BANKER, t, m));
		assert_eq!(
			last_event(),
			Event::EncumbranceReleased {
				title: t,
				encumbrance: m,
				kind: mortgage(1_000),
				by: Actor::Creditor(BANKER),
			}
			.into()
		);
		let entry = last_entry(t);
		assert_eq!(entry.actor, Actor::Creditor(BANKER));
		assert_eq!(entry.who(), Some(&BANKER));
		assert_eq!(entry.change, Change::EncumbranceReleased { id: m, kind: mortgage(1_000) });
		assert!(<Land as TitleRegistry<u64>>::mortgages(t).is_empty());
	});
}

#[test]
fn creditor_release_rejections() {
	build_and_execute(|| {
		let t = create("KAT-1", &[(A, WHOLE)]);
		let m = add(t, mortgage(1_000));
		// A lien held by the bank is not a mortgage: only the registry releases it.
		let l = add(t, EncumbranceKind::Lien { holder: Owner::Entity(BANK), amount: 10 });
		// Not a representative of the bank: the company's clerk, a stranger, the owner.
		for who in [CLERK, NOBODY, ALICE, NOTARY] {
			assert_noop!(release(who, t, m), Error::<Test>::NotTheCreditor);
		}
		assert_noop!(release(BANKER, t, l), Error::<Test>::NotTheCreditor);
		assert_noop!(release(BANKER, t, 9), Error::<Test>::EncumbranceNotFound);
		assert_noop!(release(BANKER, 9, m), Error::<Test>::TitleNotFound);
		// A suspended citizen no longer acts for the bank.
		assert_ok!(Registry::suspend_citizen(RuntimeOrigin::signed(CIVIL), BANKER_ID));
		assert_noop!(release(BANKER, t, m), Error::<Test>::NotTheCreditor);
		assert_ok!(Registry::restore_citizen(RuntimeOrigin::signed(CIVIL), BANKER_ID));
		// Nor does a representative of a suspended bank.
		assert_ok!(Registry::set_entity_status(
			RuntimeOrigin::signed(BUSINESS),
			BANK,
			EntityStatus::Suspended
		));
		assert_noop!(release(BANKER, t, m), Error::<Test>::NotTheCreditor);
		// Nor can the registry alone; a court order still can.
		assert_noop!(release(LAND, t, m), Error::<Test>::MortgageNeedsCreditor);
		assert_ok!(release(COURT, t, m));
	});
}

// ---------------------------------------------------------------- courts

#[test]
fn freeze_and_unfreeze_work() {
	build_and_execute(|| {
		let t = create("KAT-1", &[(A, WHOLE)]);
		assert!(!<Land as TitleRegistry<u64>>::is_frozen(t));
		assert_ok!(Land::freeze_title(RuntimeOrigin::signed(COURT), t, case(1)));
		assert_eq!(last_event(), Event::TitleFrozen { title: t, case: case(1), by: COURT }.into());
		assert!(<Land as TitleRegistry<u64>>::is_frozen(t));
		assert_eq!(Titles::<Test>::get(t).unwrap().frozen, Some(case(1)));
		assert_eq!(last_entry(t).actor, Actor::Court(COURT));
		assert_eq!(last_entry(t).change, Change::Frozen { case: case(1) });
		assert_noop!(
			Land::freeze_title(RuntimeOrigin::signed(COURT), t, case(2)),
			Error::<Test>::AlreadyFrozen
		);

		// Another case (e.g. an appeal) may lift it.
		assert_ok!(Land::unfreeze_title(RuntimeOrigin::signed(COURT), t, case(3)));
		assert_eq!(
			last_event(),
			Event::TitleUnfrozen { title: t, case: case(3), by: COURT }.into()
		);
		assert!(!<Land as TitleRegistry<u64>>::is_frozen(t));
		assert_eq!(last_entry(t).change, Change::Unfrozen { case: case(3) });
		assert_noop!(
			Land::unfreeze_title(RuntimeOrigin::signed(COURT), t, case(3)),
			Error::<Test>::NotFrozen
		);
		assert_noop!(
			Land::freeze_title(RuntimeOrigin::signed(COURT), 9, case(1)),
			Error::<Test>::TitleNotFound
		);
		assert_noop!(
			Land::unfreeze_title(RuntimeOrigin::signed(COURT), 9, case(1)),
			Error::<Test>::TitleNotFound
		);
		assert_eq!(HistoryLength::<Test>::get(t), 3);
	});
}

#[test]
fn only_the_freezing_court_lifts_or_rectifies_a_frozen_title() {
	build_and_execute(|| {
		// Another court (rogue, or shopped for by a party) would undo the first court's
		// freeze, or rewrite the owners while the case runs.
		let t = create("KAT-1", &[(A, WHOLE)]);
		assert_ok!(Land::freeze_title(RuntimeOrigin::signed(COURT), t, case(1)));
		assert_eq!(FrozenBy::<Test>::get(t), Some(COURT));
		assert_noop!(
			Land::unfreeze_title(RuntimeOrigin::signed(OTHER_COURT), t, case(2)),
			Error::<Test>::NotTheFreezingCourt
		);
		assert_noop!(
			Land::rectify_title(
				RuntimeOrigin::signed(OTHER_COURT),
				t,
				Some(shares(&[(B, WHOLE)])),
				None,
				case(2)
			),
			Error::<Test>::NotTheFreezingCourt
		);
		assert_noop!(release(OTHER_COURT, t, 0), Error::<Test>::TitleFrozen);
		assert!(<Land as TitleRegistry<u64>>::is_frozen(t));
		assert_eq!(owners(t), vec![(A, WHOLE)]);
		// The freezing court does both.
		assert_ok!(Land::rectify_title(
			RuntimeOrigin::signed(COURT),
			t,
			Some(shares(&[(B, WHOLE)])),
			None,
			case(1)
		));
		assert_ok!(Land::unfreeze_title(RuntimeOrigin::signed(COURT), t, case(1)));
		assert_eq!(FrozenBy::<Test>::get(t), None);
		// An open title: any court may freeze it or rectify it.
		assert_ok!(Land::rectify_title(
			RuntimeOrigin::signed(OTHER_COURT),
			t,
			None,
			Some(parcel(3)),
			case(3)
		));
		// A court that loses its role leaves its freezes to the other courts.
		assert_ok!(Land::freeze_title(RuntimeOrigin::signed(COURT), t, case(4)));
		assert_ok!(Registry::remove_authority(RuntimeOrigin::root(), COURT, Role::Court));
		assert_ok!(Land::unfreeze_title(RuntimeOrigin::signed(OTHER_COURT), t, case(5)));
		check_invariants();
	});
}

#[test]
fn frozen_title_accepts_only_court_orders() {
	build_and_execute(|| {
		let t = create("KAT-1", &[(A, WHOLE)]);
		let m = add(t, mortgage(1_000));
		let l = add(t, lien());
		assert_ok!(Land::freeze_title(RuntimeOrigin::signed(COURT), t, case(1)));

		assert_noop!(
			Land::add_encumbrance(RuntimeOrigin::signed(LAND), t, easement()),
			Error::<Test>::TitleFrozen
		);
		assert_noop!(release(LAND, t, l), Error::<Test>::TitleFrozen);
		assert_noop!(release(BANKER, t, m), Error::<Test>::TitleFrozen);
		assert_noop!(transferable(t, &[m]), Error::<Test>::TitleFrozen);
		assert_noop!(transfer(t, A, B, WHOLE, &[m], 1), Error::<Test>::TitleFrozen);
		assert_noop!(transfer(t, A, B, 1, &[m], 1), Error::<Test>::TitleFrozen);

		// A court may still rectify; the freeze stays.
		assert_ok!(Land::rectify_title(
			RuntimeOrigin::signed(COURT),
			t,
			Some(shares(&[(B, WHOLE)])),
			None,
			case(1)
		));
		assert!(<Land as TitleRegistry<u64>>::is_frozen(t));
		assert_eq!(owners(t), vec![(B, WHOLE)]);

		// Once lifted, the title moves again.
		assert_ok!(Land::unfreeze_title(RuntimeOrigin::signed(COURT), t, case(1)));
		assert_ok!(transferable(t, &[m]));
		assert_ok!(transfer(t, B, A, WHOLE, &[m], 1));
		check_invariants();
	});
}

#[test]
fn rectify_title_works() {
	build_and_execute(|| {
		let t = create("KAT-1", &[(A, 500_000), (B, 500_000)]);
		let l = add(t, lien());
		let court = || RuntimeOrigin::signed(COURT);

		// Owners only.
		let corrected = [(C, 700_000), (CO, 300_000)];
		assert_ok!(Land::rectify_title(court(), t, Some(shares(&corrected)), None, case(1)));
		assert_eq!(
			last_event(),
			Event::TitleRectified {
				title: t,
				case: case(1),
				owners: Some(corrected.to_vec()),
				parcel_hash: None,
				by: COURT,
			}
			.into()
		);
		assert_eq!(owners(t), corrected.to_vec());
		assert_eq!(Titles::<Test>::get(t).unwrap().parcel_hash, parcel(1));
		assert_eq!(
			last_entry(t),
			HistoryEntry {
				actor: Actor::Court(COURT),
				change: Change::Rectified {
					case: case(1),
					owners: Some(corrected.to_vec()),
					parcel_hash: None,
				},
				block: 1,
				timestamp: NOW_MS,
			}
		);

		// Parcel data only.
		assert_ok!(Land::rectify_title(court(), t, None, Some(parcel(5)), case(2)));
		assert_eq!(Titles::<Test>::get(t).unwrap().parcel_hash, parcel(5));
		assert_eq!(owners(t), corrected.to_vec());
		assert_eq!(
			last_entry(t).change,
			Change::Rectified { case: case(2), owners: None, parcel_hash: Some(parcel(5)) }
		);

		// Both.
		assert_ok!(Land::rectify_title(
			court(),
			t,
			Some(shares(&[(A, WHOLE)])),
			Some(parcel(6)),
			case(3)
		));
		assert_eq!(owners(t), vec![(A, WHOLE)]);
		assert_eq!(Titles::<Test>::get(t).unwrap().parcel_hash, parcel(6));

		// Encumbrances are untouched; the id and cadastral id stay.
		assert_eq!(encumbrance_ids(t), vec![l]);
		assert_eq!(Land::title_id_by_cadastral_id(b"KAT-1".to_vec()), Some(t));
		assert_eq!(HistoryLength::<Test>::get(t), 5);
		check_invariants();
	});
}

#[test]
fn rectify_title_rejections() {
	build_and_execute(|| {
		let t = create("KAT-1", &[(A, WHOLE)]);
		let court = || RuntimeOrigin::signed(COURT);
		assert_noop!(
			Land::rectify_title(court(), t, None, None, case(1)),
			Error::<Test>::NothingToRectify
		);
		assert_noop!(
			Land::rectify_title(court(), t, Some(shares(&[(A, 1)])), None, case(1)),
			Error::<Test>::SharesDoNotSumToWhole
		);
		assert_noop!(
			Land::rectify_title(court(), t, Some(shares(&[])), Some(parcel(2)), case(1)),
			Error::<Test>::SharesDoNotSumToWhole
		);
		assert_noop!(
			Land::rectify_title(court(), t, Some(shares(&[(A, WHOLE), (B, 0)])), None, case(1)),
			Error::<Test>::ZeroShare
		);
		assert_noop!(
			Land::rectify_title(
				court(),
				t,
				Some(shares(&[(B, 500_000), (B, 500_000)])),
				None,
				case(1)
			),
			Error::<Test>::DuplicateOwner
		);
		assert_noop!(
			Land::rectify_title(
				court(),
				t,
				Some(shares(&[(Owner::Citizen(UNKNOWN_CITIZEN), WHOLE)])),
				None,
				case(1)
			),
			Error::<Test>::OwnerNotFound
		);
		assert_noop!(
			Land::rectify_title(court(), 9, None, Some(parcel(2)), case(1)),
			Error::<Test>::TitleNotFound
		);
	});
}

// ---------------------------------------------------------------- origins

#[test]
fn origin_matrix() {
	build_and_execute(|| {
		let t = create("KAT-1", &[(A, WHOLE)]);
		let m = add(t, mortgage(1_000));
		let all_but = |authority: u64| {
			let mut origins: Vec<RuntimeOrigin> = [NOBODY, NOTARY, ALICE, BANKER, LAND, COURT]
				.into_iter()
				.filter(|who| *who != authority)
				.map(RuntimeOrigin::signed)
				.collect();
			origins.push(RuntimeOrigin::root());
			origins.push(RuntimeOrigin::none());
			origins
		};

		// The land registry's calls.
		for origin in all_but(LAND) {
			assert_noop!(
				Land::create_title(origin.clone(), cad("KAT-2"), parcel(1), shares(&[(A, WHOLE)])),
				DispatchError::BadOrigin
			);
			assert_noop!(Land::add_encumbrance(origin, t, mortgage(1)), DispatchError::BadOrigin);
		}
		// Release: unsigned origins are refused outright; signed ones that are neither the
		// registry nor the creditor's representative are told so.
		for origin in [RuntimeOrigin::root(), RuntimeOrigin::none()] {
			assert_noop!(Land::release_encumbrance(origin, t, m), DispatchError::BadOrigin);
		}
		for who in [NOBODY, NOTARY, ALICE] {
			assert_noop!(release(who, t, m), Error::<Test>::NotTheCreditor);
		}

		// The courts' calls.
		for origin in all_but(COURT) {
			assert_noop!(Land::freeze_title(origin.clone(), t, case(1)), DispatchError::BadOrigin);
			assert_noop!(
				Land::unfreeze_title(origin.clone(), t, case(1)),
				DispatchError::BadOrigin
			);
			assert_noop!(
				Land::rectify_title(origin, t, None, Some(parcel(2)), case(1)),
				DispatchError::BadOrigin
			);
		}

		// Removed authorities lose their powers.
		assert_ok!(Registry::remove_authority(RuntimeOrigin::root(), LAND, Role::LandRegistry));
		assert_noop!(try_create("KAT-2", &[(A, WHOLE)]), DispatchError::BadOrigin);
		assert_noop!(
			Land::add_encumbrance(RuntimeOrigin::signed(LAND), t, lien()),
			DispatchError::BadOrigin
		);
		assert_ok!(Registry::remove_authority(RuntimeOrigin::root(), COURT, Role::Court));
		assert_noop!(
			Land::freeze_title(RuntimeOrigin::signed(COURT), t, case(1)),
			DispatchError::BadOrigin
		);
		// A newly appointed land registry acts at once.
		assert_ok!(Registry::appoint_authority(
			RuntimeOrigin::root(),
			NOBODY,
			Role::LandRegistry,
			BoundedVec::new()
		));
		assert_ok!(Land::create_title(
			RuntimeOrigin::signed(NOBODY),
			cad("KAT-2"),
			parcel(1),
			shares(&[(A, WHOLE)])
		));
		assert_eq!(last_entry(1).actor, Actor::LandRegistry(NOBODY));
	});
}

// ---------------------------------------------------------------- transfer interface

#[test]
fn ensure_transferable_checks_freeze_and_mortgages() {
	build_and_execute(|| {
		let t = create("KAT-1", &[(A, WHOLE)]);
		assert_ok!(transferable(t, &[]));
		// Liens and easements run with the land: they do not block.
		let l = add(t, lien());
		add(t, easement());
		assert_ok!(transferable(t, &[]));
		let m = add(t, mortgage(1_000));
		assert_noop!(transferable(t, &[]), Error::<Test>::UnreleasedMortgage);
		assert_noop!(transferable(t, &[l]), Error::<Test>::UnreleasedMortgage);
		assert_ok!(transferable(t, &[m]));
		assert_ok!(transferable(t, &[m, l]));
		assert_noop!(transferable(t, &[m, 9]), Error::<Test>::EncumbranceNotFound);
		assert_noop!(transferable(t, &[m, m]), Error::<Test>::EncumbranceNotFound);
		assert_noop!(transferable(9, &[]), Error::<Test>::TitleNotFound);

		// Every mortgage must be released.
		let u = create("KAT-2", &[(B, WHOLE)]);
		let m1 = add(u, mortgage(1));
		let m2 = add(u, EncumbranceKind::Mortgage { creditor: COMPANY, amount: 2 });
		assert_noop!(transferable(u, &[m1]), Error::<Test>::UnreleasedMortgage);
		assert_noop!(transferable(u, &[m2]), Error::<Test>::UnreleasedMortgage);
		assert_ok!(transferable(u, &[m2, m1]));
		assert_eq!(
			<Land as TitleRegistry<u64>>::mortgages(u),
			vec![(m1, BANK, 1), (m2, COMPANY, 2)]
		);

		assert_ok!(Land::freeze_title(RuntimeOrigin::signed(COURT), t, case(1)));
		assert_noop!(transferable(t, &[m]), Error::<Test>::TitleFrozen);
	});
}

#[test]
fn transfer_of_the_whole_title() {
	build_and_execute(|| {
		let t = create("KAT-1", &[(A, WHOLE)]);
		assert_ok!(transfer(t, A, B, WHOLE, &[], 7));
		assert_eq!(owners(t), vec![(B, WHOLE)]);
		assert_eq!(
			last_event(),
			Event::ShareTransferred { title: t, from: A, to: B, share: WHOLE, deal: 7 }.into()
		);
		let entry = last_entry(t);
		assert_eq!(
			entry,
			HistoryEntry {
				actor: Actor::Contract(7),
				change: Change::ShareTransferred { from: A, to: B, share: WHOLE },
				block: 1,
				timestamp: NOW_MS,
			}
		);
		assert_eq!(entry.who(), None);
		check_invariants();
	});
}

#[test]
fn partial_share_transfers_split_and_merge() {
	build_and_execute(|| {
		let t = create("KAT-1", &[(A, 600_000), (B, 400_000)]);
		// A new co-owner.
		assert_ok!(transfer(t, A, C, 250_000, &[], 1));
		assert_eq!(owners(t), vec![(A, 350_000), (B, 400_000), (C, 250_000)]);
		// Into an existing owner's share.
		assert_ok!(transfer(t, A, B, 100_000, &[], 2));
		assert_eq!(owners(t), vec![(A, 250_000), (B, 500_000), (C, 250_000)]);
		// The rest of A's share: A is no longer an owner.
		assert_ok!(transfer(t, A, C, 250_000, &[], 3));
		assert_eq!(owners(t), vec![(B, 500_000), (C, 500_000)]);
		// To a company.
		assert_ok!(transfer(t, C, CO, 1, &[], 4));
		assert_eq!(owners(t), vec![(B, 500_000), (C, 499_999), (CO, 1)]);
		assert_eq!(total(t), WHOLE as u64);
		assert_eq!(HistoryLength::<Test>::get(t), 5);
		check_invariants();
	});
}

#[test]
fn transfer_releases_mortgages_it_pays_off() {
	build_and_execute(|| {
		let t = create("KAT-1", &[(A, WHOLE)]);
		let m = add(t, mortgage(1_000));
		let l = add(t, lien());
		assert_noop!(transfer(t, A, B, WHOLE, &[], 5), Error::<Test>::UnreleasedMortgage);
		assert_noop!(transfer(t, A, B, 300_000, &[], 5), Error::<Test>::UnreleasedMortgage);

		assert_ok!(transfer(t, A, B, WHOLE, &[m], 5));
		assert_eq!(owners(t), vec![(B, WHOLE)]);
		// The lien runs with the land.
		assert_eq!(encumbrance_ids(t), vec![l]);
		assert!(<Land as TitleRegistry<u64>>::mortgages(t).is_empty());
		assert!(System::events().iter().any(|r| r.event
			== Event::EncumbranceReleased {
				title: t,
				encumbrance: m,
				kind: mortgage(1_000),
				by: Actor::Contract(5),
			}
			.into()));
		let history = entries(t);
		assert_eq!(history.len(), 5);
		assert_eq!(history[3].actor, Actor::Contract(5));
		assert_eq!(history[3].change, Change::EncumbranceReleased { id: m, kind: mortgage(1_000) });
		assert_eq!(history[4].actor, Actor::Contract(5));
		assert_eq!(history[4].change, Change::ShareTransferred { from: A, to: B, share: WHOLE });

		// A deal may release other encumbrances too.
		assert_ok!(transfer(t, B, C, 500_000, &[l], 6));
		assert!(encumbrance_ids(t).is_empty());
		assert_eq!(owners(t), vec![(B, 500_000), (C, 500_000)]);
		check_invariants();
	});
}

#[test]
fn transfer_share_rejections() {
	build_and_execute(|| {
		let t = create("KAT-1", &[(A, 500_000), (B, 500_000)]);
		assert_noop!(transfer(t, A, C, 0, &[], 1), Error::<Test>::ZeroShare);
		assert_noop!(transfer(t, A, A, 1, &[], 1), Error::<Test>::SelfTransfer);
		assert_noop!(transfer(9, A, C, 1, &[], 1), Error::<Test>::TitleNotFound);
		assert_noop!(
			transfer(t, A, Owner::Citizen(UNKNOWN_CITIZEN), 1, &[], 1),
			Error::<Test>::OwnerNotFound
		);
		assert_noop!(
			transfer(t, A, Owner::Entity(UNKNOWN_ENTITY), 1, &[], 1),
			Error::<Test>::OwnerNotFound
		);
		assert_noop!(transfer(t, C, D, 1, &[], 1), Error::<Test>::NotAnOwner);
		assert_noop!(transfer(t, A, C, 500_001, &[], 1), Error::<Test>::InsufficientShare);
		assert_noop!(transfer(t, A, C, 1, &[9], 1), Error::<Test>::EncumbranceNotFound);

		// Atomic: the mortgage is not released when the transfer fails later.
		let m = add(t, mortgage(1_000));
		assert_noop!(transfer(t, A, C, 600_000, &[m], 1), Error::<Test>::InsufficientShare);
		assert_eq!(encumbrance_ids(t), vec![m]);

		// At most `MaxOwners` owners: a fifth co-owner is refused, but a buyer of a whole
		// share takes the seller's place.
		let u = create("KAT-2", &[(A, 250_000), (B, 250_000), (C, 250_000), (D, 250_000)]);
		assert_noop!(transfer(u, A, E, 1, &[], 1), Error::<Test>::TooManyOwners);
		assert_ok!(transfer(u, A, E, 250_000, &[], 1));
		assert_eq!(owners(u), vec![(B, 250_000), (C, 250_000), (D, 250_000), (E, 250_000)]);
		// Merging needs no room.
		assert_ok!(transfer(u, B, C, 1, &[], 2));
		check_invariants();
	});
}

#[test]
fn shares_always_sum_to_a_whole() {
	build_and_execute(|| {
		let t = create("KAT-1", &[(A, 333_334), (B, 333_333), (C, 333_333)]);
		let check = || {
			assert_eq!(total(t), WHOLE as u64);
			let current = owners(t);
			assert!(current.iter().all(|(_, s)| *s > 0));
			assert!(current.len() <= MAX_OWNERS as usize);
			for (i, (o, _)) in current.iter().enumerate() {
				assert!(!current[..i].iter().any(|(p, _)| p == o));
			}
			check_invariants();
		};

		// A fixed sequence.
		for (from, to, share) in [
			(A, D, 111_111),
			(B, A, 333_333),
			(C, CO, 1),
			(D, B, 111_111),
			(CO, C, 1),
			(A, E, 555_556),
		] {
			assert_ok!(transfer(t, from, to, share, &[], 0));
			check();
		}
		assert_eq!(owners(t), vec![(C, 333_333), (B, 111_111), (E, 555_556)]);
		assert_ok!(Land::rectify_title(
			RuntimeOrigin::signed(COURT),
			t,
			Some(shares(&[(A, 1), (B, 999_999)])),
			None,
			case(1)
		));
		check();
		assert_ok!(transfer(t, B, A, 999_998, &[], 0));
		assert_eq!(owners(t), vec![(A, 999_999), (B, 1)]);
		check();

		// Pseudo-random transfers, many of them refused (self-transfers, zero or excessive
		// shares, too many owners): the title stays whole either way, and only accepted
		// transfers reach the history.
		let parties = [A, B, C, D, E, CO];
		let mut seed: u64 = 42;
		let mut next = || {
			seed = seed
				.wrapping_mul(6_364_136_223_846_793_005)
				.wrapping_add(1_442_695_040_888_963_407);
			(seed >> 33) as u32
		};
		let before = HistoryLength::<Test>::get(t);
		let mut accepted = 0u32;
		for deal in 0..200u64 {
			let current = owners(t);
			let (from, have) = current[next() as usize % current.len()];
			let to = parties[next() as usize % parties.len()];
			let excess = if deal % 10 == 0 { have } else { 0 };
			let share = (next() % have.saturating_add(1)).saturating_add(excess);
			if transfer(t, from, to, share, &[], deal).is_ok() {
				accepted += 1;
			}
			check();
		}
		assert!(accepted >= 20, "only {accepted} transfers were accepted");
		assert_eq!(HistoryLength::<Test>::get(t), before + accepted);
	});
}

// ---------------------------------------------------------------- history

#[test]
fn history_records_who_what_when_and_by_which_authority() {
	build_and_execute(|| {
		let t = create("KAT-H", &[(A, WHOLE)]);
		System::set_block_number(2);
		set_now(NOW_MS + 6_000);
		let m = add(t, mortgage(1_000));
		System::set_block_number(3);
		set_now(NOW_MS + 12_000);
		assert_ok!(Land::freeze_title(RuntimeOrigin::signed(COURT), t, case(1)));
		assert_ok!(Land::unfreeze_title(RuntimeOrigin::signed(COURT), t, case(2)));
		System::set_block_number(4);
		set_now(NOW_MS + 18_000);
		assert_ok!(release(BANKER, t, m));
		assert_ok!(Land::rectify_title(
			RuntimeOrigin::signed(COURT),
			t,
			None,
			Some(parcel(2)),
			case(3)
		));
		System::set_block_number(5);
		set_now(NOW_MS + 24_000);
		assert_ok!(transfer(t, A, B, 400_000, &[], 77));
		// A failed change leaves no trace.
		assert!(transfer(t, A, B, WHOLE, &[], 78).is_err());

		let expected: Vec<Entry> = vec![
			HistoryEntry {
				actor: Actor::LandRegistry(LAND),
				change: Change::Created {
					cadastral_id: cad("KAT-H"),
					parcel_hash: parcel(1),
					owners: vec![(A, WHOLE)],
				},
				block: 1,
				timestamp: NOW_MS,
			},
			HistoryEntry {
				actor: Actor::LandRegistry(LAND),
				change: Change::EncumbranceAdded { id: m, kind: mortgage(1_000) },
				block: 2,
				timestamp: NOW_MS + 6_000,
			},
			HistoryEntry {
				actor: Actor::Court(COURT),
				change: Change::Frozen { case: case(1) },
				block: 3,
				timestamp: NOW_MS + 12_000,
			},
			HistoryEntry {
				actor: Actor::Court(COURT),
				change: Change::Unfrozen { case: case(2) },
				block: 3,
				timestamp: NOW_MS + 12_000,
			},
			HistoryEntry {
				actor: Actor::Creditor(BANKER),
				change: Change::EncumbranceReleased { id: m, kind: mortgage(1_000) },
				block: 4,
				timestamp: NOW_MS + 18_000,
			},
			HistoryEntry {
				actor: Actor::Court(COURT),
				change: Change::Rectified {
					case: case(3),
					owners: None,
					parcel_hash: Some(parcel(2)),
				},
				block: 4,
				timestamp: NOW_MS + 18_000,
			},
			HistoryEntry {
				actor: Actor::Contract(77),
				change: Change::ShareTransferred { from: A, to: B, share: 400_000 },
				block: 5,
				timestamp: NOW_MS + 24_000,
			},
		];
		assert_eq!(entries(t), expected);
		assert_eq!(HistoryLength::<Test>::get(t), 7);
		assert_eq!(
			entries(t).iter().map(|e| e.who().copied()).collect::<Vec<_>>(),
			vec![Some(LAND), Some(LAND), Some(COURT), Some(COURT), Some(BANKER), Some(COURT), None]
		);
		// The stored entries are what the API returns.
		for (seq, e) in expected.iter().enumerate() {
			assert_eq!(History::<Test>::get(t, seq as u32).map(|s| s.into_view()), Some(e.clone()));
		}

		// Paging.
		assert_eq!(Land::history(t, 2, 3), expected[2..5].to_vec());
		assert_eq!(Land::history(t, 5, 100), expected[5..].to_vec());
		assert!(Land::history(t, 7, 10).is_empty());
		assert!(Land::history(t, 0, 0).is_empty());
		assert!(Land::history(t, u32::MAX, u32::MAX).is_empty());
		assert!(Land::history(99, 0, 10).is_empty());

		// Each title has its own history.
		let u = create("KAT-I", &[(B, WHOLE)]);
		assert_eq!(entries(u).len(), 1);
		assert_eq!(entries(t).len(), 7);
	});
}

// ---------------------------------------------------------------- reads

#[test]
fn title_registry_reads() {
	build_and_execute(|| {
		let reg_owners = <Land as TitleRegistry<u64>>::title_owners;
		assert_eq!(reg_owners(0), None);
		assert!(!<Land as TitleRegistry<u64>>::is_frozen(0));
		assert!(<Land as TitleRegistry<u64>>::mortgages(0).is_empty());

		let t = create("KAT-1", &[(A, 700_000), (CO, 300_000)]);
		assert_eq!(reg_owners(t), Some(vec![(A, 700_000), (CO, 300_000)]));

		let may = <Land as TitleRegistry<u64>>::may_act_for;
		assert!(may(&A, &ALICE));
		assert!(!may(&A, &BOB));
		assert!(may(&CO, &CLERK));
		assert!(!may(&CO, &BANKER));
		assert!(may(&Owner::Entity(BANK), &BANKER));
		assert!(!may(&Owner::Citizen(UNKNOWN_CITIZEN), &ALICE));
		assert_ok!(Registry::suspend_citizen(RuntimeOrigin::signed(CIVIL), ALICE_ID));
		assert!(!may(&A, &ALICE));
	});
}

#[test]
fn runtime_api_views() {
	build_and_execute(|| {
		let t = create("KAT-V", &[(A, 700_000), (CO, 300_000)]);
		let m = add(t, mortgage(1_000));
		assert_eq!(
			Land::title_view(t),
			Some(TitleView {
				id: t,
				cadastral_id: b"KAT-V".to_vec(),
				parcel_hash: parcel(1),
				owners: vec![(A, 700_000), (CO, 300_000)],
				encumbrances: vec![Encumbrance { id: m, kind: mortgage(1_000), registered_at: 1 }],
				frozen: None,
				created_at: 1,
				history_len: 2,
			})
		);
		assert_eq!(Land::title_view(9), None);

		assert_eq!(Land::title_id_by_cadastral_id(b"KAT-V".to_vec()), Some(t));
		assert_eq!(Land::title_id_by_cadastral_id(b"KAT-X".to_vec()), None);
		assert_eq!(Land::title_id_by_cadastral_id(Vec::new()), None);
		assert_eq!(
			Land::title_id_by_cadastral_id(vec![b'K'; MAX_CADASTRAL_ID_LEN as usize + 1]),
			None
		);
	});
}

#[test]
fn title_storage_keys_locate_the_record() {
	build_and_execute(|| {
		let t = create("KAT-P", &[(A, WHOLE)]);
		add(t, mortgage(1_000));
		let keys = Land::title_storage_keys(t);
		assert_eq!(
			keys,
			vec![
				Titles::<Test>::hashed_key_for(t),
				TitleByCadastralId::<Test>::hashed_key_for(cad("KAT-P")),
				HistoryLength::<Test>::hashed_key_for(t),
			]
		);
		assert_eq!(unhashed::get_raw(&keys[0]), Some(Titles::<Test>::get(t).unwrap().encode()));
		assert_eq!(unhashed::get_raw(&keys[1]), Some(t.encode()));
		assert_eq!(unhashed::get_raw(&keys[2]), Some(2u32.encode()));
		assert!(Land::title_storage_keys(9).is_empty());
	});
}

// ---------------------------------------------------------------- storage invariants

/// Valid state with a history of every kind of change: title 0 (`KAT-1`) created for
/// A 60% and B 40% in block 1, then in block 2 a mortgage (0), a lien (1) and an easement
/// (2), the lien released, 10% moved from A to C paying off the mortgage, a second mortgage
/// (3) and a new parcel hash by rectification; title 1 (`KAT-2`) owned by the company and
/// frozen.
fn populate() {
	let t = create("KAT-1", &[(A, 600_000), (B, 400_000)]);
	System::set_block_number(2);
	add(t, mortgage(1_000));
	add(t, lien());
	add(t, easement());
	assert_ok!(release(LAND, t, 1));
	assert_ok!(transfer(t, A, C, 100_000, &[0], 7));
	add(t, mortgage(2_000));
	assert_ok!(Land::rectify_title(
		RuntimeOrigin::signed(COURT),
		t,
		None,
		Some(parcel(2)),
		case(1)
	));
	let u = create("KAT-2", &[(CO, WHOLE)]);
	assert_ok!(Land::freeze_title(RuntimeOrigin::signed(COURT), u, case(2)));
}

/// On the [`populate`]d state, which passes the checks, `corrupt` writes to storage what no
/// call would; the checks must then report `broken`.
fn assert_detected(corrupt: impl FnOnce(), broken: &'static str) {
	new_test_ext().execute_with(|| {
		populate();
		assert_ok!(Land::do_try_state());
		corrupt();
		assert_eq!(Land::do_try_state(), Err(broken.into()));
	});
}

fn edit_title(title: TitleId, f: impl FnOnce(&mut TitleOf<Test>)) {
	Titles::<Test>::mutate(title, |t| f(t.as_mut().expect("the title exists")));
}

/// Moves title 0 to another cadastral id, index included.
fn relabel_title_0(cadastral_id: &str) {
	TitleByCadastralId::<Test>::remove(cad("KAT-1"));
	TitleByCadastralId::<Test>::insert(cad(cadastral_id), 0);
	edit_title(0, |t| t.cadastral_id = cad(cadastral_id));
}

fn entry(change: Change<Shares>) -> HistoryEntryOf<Test> {
	HistoryEntry {
		actor: Actor::LandRegistry(LAND),
		change,
		block: System::block_number(),
		timestamp: NOW_MS,
	}
}

/// Appends `change` to a title's history, as `record` would, without changing the title.
fn append(title: TitleId, change: Change<Shares>) {
	let seq = HistoryLength::<Test>::get(title);
	History::<Test>::insert(title, seq, entry(change));
	HistoryLength::<Test>::insert(title, seq + 1);
}

#[test]
fn invariants_hold_through_court_orders_and_transfers() {
	new_test_ext().execute_with(|| {
		populate();
		assert_ok!(Land::do_try_state());
		// A rectification of a frozen title, the freeze lifted, then a transfer.
		assert_ok!(Land::rectify_title(
			RuntimeOrigin::signed(COURT),
			1,
			Some(shares(&[(CO, 500_000), (D, 500_000)])),
			None,
			case(3)
		));
		assert_ok!(Land::unfreeze_title(RuntimeOrigin::signed(COURT), 1, case(4)));
		assert_ok!(transfer(1, D, CO, 500_000, &[], 8));
		assert_ok!(release(BANKER, 0, 3));
		assert_ok!(Land::do_try_state());
	});
}

#[test]
fn try_state_detects_a_title_id_at_the_counter() {
	// The next title would overwrite title 1.
	assert_detected(|| NextTitleId::<Test>::put(1), "title id not below NextTitleId");
}

#[test]
fn try_state_detects_an_empty_cadastral_id() {
	assert_detected(|| relabel_title_0(""), "empty cadastral id");
}

#[test]
fn try_state_detects_a_cadastral_id_not_indexed() {
	// A second title could be created for the parcel.
	assert_detected(
		|| TitleByCadastralId::<Test>::remove(cad("KAT-1")),
		"title's cadastral id not bound to it in TitleByCadastralId",
	);
}

#[test]
fn try_state_detects_two_titles_for_one_parcel() {
	assert_detected(
		|| edit_title(1, |t| t.cadastral_id = cad("KAT-1")),
		"title's cadastral id not bound to it in TitleByCadastralId",
	);
}

#[test]
fn try_state_detects_a_cadastral_index_entry_without_its_title() {
	let broken = "TitleByCadastralId entry without a title of that cadastral id";
	assert_detected(|| TitleByCadastralId::<Test>::insert(cad("KAT-9"), 0), broken);
	assert_detected(|| TitleByCadastralId::<Test>::insert(cad("KAT-9"), 99), broken);
}

#[test]
fn try_state_detects_shares_that_do_not_make_a_whole() {
	let broken = "owners' shares do not make a whole";
	let set =
		|owners: &'static [(Owner, Ppm)]| move || edit_title(0, |t| t.owners = shares(owners));
	// Now A 50%, B 40%, C 10%.
	assert_detected(set(&[(A, 500_000), (B, 400_000)]), broken);
	assert_detected(set(&[(A, 500_000), (B, 400_000), (C, 100_000), (D, 0)]), broken);
	assert_detected(set(&[(A, 500_000), (B, 400_000), (A, 100_000)]), broken);
}

#[test]
fn try_state_detects_a_zero_amount() {
	assert_detected(
		|| edit_title(0, |t| t.encumbrances[1].kind = mortgage(0)),
		"mortgage or lien of zero amount",
	);
}

#[test]
fn try_state_detects_a_title_without_history() {
	assert_detected(|| HistoryLength::<Test>::remove(1), "title without history");
}

#[test]
fn try_state_detects_a_gap_in_history() {
	assert_detected(|| History::<Test>::remove(0, 2), "gap in title history");
}

#[test]
fn try_state_detects_a_history_not_starting_with_created() {
	assert_detected(
		|| History::<Test>::insert(1, 0, entry(Change::Frozen { case: case(2) })),
		"first history entry is not Created",
	);
}

#[test]
fn try_state_detects_a_second_created_entry() {
	assert_detected(
		|| {
			append(
				0,
				Change::Created {
					cadastral_id: cad("KAT-1"),
					parcel_hash: parcel(2),
					owners: shares(&[(A, 500_000), (B, 400_000), (C, 100_000)]),
				},
			)
		},
		"Created entry after the first",
	);
}

#[test]
fn try_state_detects_a_reused_encumbrance_id() {
	assert_detected(
		|| append(0, Change::EncumbranceAdded { id: 0, kind: easement() }),
		"encumbrance added out of sequence",
	);
}

#[test]
fn try_state_detects_a_history_with_too_many_encumbrances() {
	assert_detected(
		|| {
			append(0, Change::EncumbranceAdded { id: 4, kind: lien() });
			append(0, Change::EncumbranceAdded { id: 5, kind: lien() });
		},
		"history holds more encumbrances than MaxEncumbrances",
	);
}

#[test]
fn try_state_detects_a_release_of_an_encumbrance_not_in_force() {
	// The lien was released already.
	assert_detected(
		|| append(0, Change::EncumbranceReleased { id: 1, kind: lien() }),
		"history releases an encumbrance not in force",
	);
}

#[test]
fn try_state_detects_a_second_freeze() {
	assert_detected(
		|| append(1, Change::Frozen { case: case(3) }),
		"history freezes a frozen title",
	);
}

#[test]
fn try_state_detects_an_unfreeze_of_an_open_title() {
	assert_detected(
		|| append(0, Change::Unfrozen { case: case(3) }),
		"history unfreezes an open title",
	);
}

#[test]
fn try_state_detects_a_transfer_of_a_frozen_title() {
	assert_detected(
		|| {
			append(1, Change::ShareTransferred { from: CO, to: A, share: WHOLE });
			edit_title(1, |t| t.owners = shares(&[(A, WHOLE)]));
		},
		"history changes a frozen title other than by court order",
	);
}

#[test]
fn try_state_detects_a_transfer_of_a_share_the_owner_lacks() {
	assert_detected(
		|| append(0, Change::ShareTransferred { from: D, to: A, share: 1 }),
		"history transfers a share its owner lacks",
	);
}

#[test]
fn try_state_detects_a_cadastral_id_unlike_its_history() {
	assert_detected(|| relabel_title_0("KAT-9"), "cadastral id disagrees with history");
}

#[test]
fn try_state_detects_a_creation_block_unlike_its_history() {
	assert_detected(
		|| edit_title(0, |t| t.created_at = 2),
		"creation block disagrees with history",
	);
}

#[test]
fn try_state_detects_owners_changed_without_history() {
	// The parcel handed to D, whole and valid, but by no recorded act.
	assert_detected(
		|| edit_title(0, |t| t.owners = shares(&[(D, WHOLE)])),
		"owners disagree with history",
	);
}

#[test]
fn try_state_detects_a_parcel_hash_changed_without_history() {
	assert_detected(
		|| edit_title(0, |t| t.parcel_hash = parcel(9)),
		"parcel hash disagrees with history",
	);
}

#[test]
fn try_state_detects_a_mortgage_dropped_without_release() {
	assert_detected(
		|| {
			edit_title(0, |t| {
				t.encumbrances.remove(1);
			})
		},
		"encumbrances disagree with history",
	);
}

#[test]
fn try_state_detects_an_encumbrance_counter_unlike_its_history() {
	// The next encumbrance would reuse id 3.
	assert_detected(
		|| edit_title(0, |t| t.next_encumbrance_id = 3),
		"encumbrance counter disagrees with history",
	);
}

#[test]
fn try_state_detects_a_freeze_changed_without_history() {
	let broken = "freeze disagrees with history";
	assert_detected(|| edit_title(1, |t| t.frozen = None), broken);
	assert_detected(|| edit_title(0, |t| t.frozen = Some(case(9))), broken);
}

#[test]
fn try_state_detects_a_freezing_court_changed_without_history() {
	let broken = "the freezing court disagrees with history";
	// Title 1 was frozen by COURT: handing the freeze to another court, or dropping it.
	assert_detected(|| FrozenBy::<Test>::insert(1, OTHER_COURT), broken);
	assert_detected(|| FrozenBy::<Test>::remove(1), broken);
	assert_detected(|| FrozenBy::<Test>::insert(0, COURT), broken);
}

#[test]
fn try_state_detects_a_history_entry_beyond_the_counter() {
	assert_detected(
		|| {
			History::<Test>::insert(
				0,
				HistoryLength::<Test>::get(0),
				entry(Change::Unfrozen { case: case(3) }),
			)
		},
		"history entry at or beyond HistoryLength",
	);
}

#[test]
fn try_state_detects_history_of_a_missing_title() {
	let broken = "history of a missing title";
	assert_detected(|| HistoryLength::<Test>::insert(99, 1), broken);
	assert_detected(
		|| {
			History::<Test>::insert(
				99,
				0,
				entry(Change::Created {
					cadastral_id: cad("KAT-99"),
					parcel_hash: parcel(1),
					owners: shares(&[(A, WHOLE)]),
				}),
			)
		},
		broken,
	);
}
