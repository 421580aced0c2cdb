//! Tests of the identity registry: every call's happy path and every rejection, an origin
//! matrix, and key rotation keeping references intact.

use crate::{mock::*, *};
use egov_primitives::{
	runtime_api::{CredentialStatus, Eligibility},
	Authorities, CitizenId, CitizenRegistry, CitizenStatus, CredentialKind, Majority,
	RevocationReason, Role, Subject, ADULT_AT_REGISTRATION, MAJORITY_NOT_RECORDED,
};
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok, dispatch::CheckIfFeeless, BoundedVec},
	frame_system,
	sp_core::H256,
	sp_runtime::DispatchError,
};

fn commitment(n: u8) -> H256 {
	H256::repeat_byte(n)
}

fn doc(n: u8) -> H256 {
	H256::from_low_u64_be(1_000 + n as u64)
}

/// Registers `account` as an adult citizen of district 7; returns the id.
fn register(account: u64, n: u8) -> CitizenId {
	let id = NextCitizenId::<Test>::get();
	assert_ok!(Registry::register_citizen(
		RuntimeOrigin::signed(CIVIL),
		account,
		commitment(n),
		7,
		Majority::Adult
	));
	id
}

fn reps(
	ids: &[CitizenId],
) -> BoundedVec<CitizenId, polkadot_sdk::frame_support::traits::ConstU32<3>> {
	BoundedVec::truncate_from(ids.to_vec())
}

fn last_event() -> RuntimeEvent {
	System::events().pop().expect("an event was emitted").event
}

fn check_invariants() {
	Registry::do_try_state().expect("invariants hold");
}

// ---------------------------------------------------------------- authorities

#[test]
fn appoint_authority_works() {
	build_and_execute(|| {
		assert_ok!(Registry::appoint_authority(
			RuntimeOrigin::root(),
			NOBODY,
			Role::Court,
			kinds(&[])
		));
		assert!(<Registry as Authorities<u64>>::has_role(&NOBODY, Role::Court));
		assert_eq!(
			last_event(),
			Event::AuthorityAppointed { who: NOBODY, role: Role::Court, credential_kinds: vec![] }
				.into()
		);
		assert_eq!(Registry::roles_of(&NOBODY), vec![Role::Court]);
	});
}

#[test]
fn appoint_authority_rejections() {
	build_and_execute(|| {
		assert_noop!(
			Registry::appoint_authority(
				RuntimeOrigin::root(),
				CIVIL,
				Role::CivilRegistry,
				kinds(&[])
			),
			Error::<Test>::AlreadyAppointed
		);
		assert_noop!(
			Registry::appoint_authority(
				RuntimeOrigin::root(),
				NOBODY,
				Role::CredentialIssuer,
				kinds(&[])
			),
			Error::<Test>::CredentialKindsMismatch
		);
		assert_noop!(
			Registry::appoint_authority(
				RuntimeOrigin::root(),
				NOBODY,
				Role::Court,
				kinds(&[CredentialKind::Diploma])
			),
			Error::<Test>::CredentialKindsMismatch
		);
		assert_noop!(
			Registry::appoint_authority(
				RuntimeOrigin::root(),
				NOBODY,
				Role::CredentialIssuer,
				kinds(&[CredentialKind::Permit, CredentialKind::Permit])
			),
			Error::<Test>::DuplicateCredentialKind
		);
	});
}

#[test]
fn remove_authority_works_and_ends_its_powers() {
	build_and_execute(|| {
		assert_ok!(Registry::remove_authority(RuntimeOrigin::root(), CIVIL, Role::CivilRegistry));
		assert_eq!(
			last_event(),
			Event::AuthorityRemoved { who: CIVIL, role: Role::CivilRegistry }.into()
		);
		assert_noop!(
			Registry::register_citizen(
				RuntimeOrigin::signed(CIVIL),
				10,
				commitment(1),
				7,
				Majority::Adult
			),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Registry::remove_authority(RuntimeOrigin::root(), CIVIL, Role::CivilRegistry),
			Error::<Test>::NotAnAuthority
		);
	});
}

// ---------------------------------------------------------------- citizens

#[test]
fn register_citizen_works() {
	build_and_execute(|| {
		assert_eq!(frame_system::Pallet::<Test>::sufficients(&10), 0);
		let id = register(10, 1);
		assert_eq!(id, 0);
		assert_eq!(
			last_event(),
			Event::CitizenRegistered { citizen: 0, account: 10, district: 7 }.into()
		);
		let record = Citizens::<Test>::get(0).unwrap();
		assert_eq!(record.account, 10);
		assert_eq!(record.commitment, commitment(1));
		assert_eq!(record.status, CitizenStatus::Active);
		assert_eq!(CitizenOf::<Test>::get(10), Some(0));
		assert_eq!(CitizenByCommitment::<Test>::get(commitment(1)), Some(0));
		// A citizen without tokens can still sign civic acts.
		assert_eq!(frame_system::Pallet::<Test>::sufficients(&10), 1);
		assert_eq!(register(11, 2), 1);
		check_invariants();
	});
}

#[test]
fn register_citizen_rejections() {
	build_and_execute(|| {
		register(10, 1);
		// One account, one citizen.
		assert_noop!(
			Registry::register_citizen(
				RuntimeOrigin::signed(CIVIL),
				10,
				commitment(2),
				7,
				Majority::Adult
			),
			Error::<Test>::AlreadyACitizen
		);
		// One record per person.
		assert_noop!(
			Registry::register_citizen(
				RuntimeOrigin::signed(CIVIL),
				11,
				commitment(1),
				7,
				Majority::Adult
			),
			Error::<Test>::CommitmentInUse
		);
		// An account awaiting a rotation is reserved.
		assert_ok!(Registry::initiate_account_rotation(RuntimeOrigin::signed(CIVIL), 0, 12));
		assert_noop!(
			Registry::register_citizen(
				RuntimeOrigin::signed(CIVIL),
				12,
				commitment(3),
				7,
				Majority::Adult
			),
			Error::<Test>::RotationPending
		);
	});
}

#[test]
fn update_district_works_and_rejects() {
	build_and_execute(|| {
		let id = register(10, 1);
		assert_ok!(Registry::update_district(RuntimeOrigin::signed(CIVIL), id, 9));
		assert_eq!(last_event(), Event::DistrictUpdated { citizen: id, district: 9 }.into());
		assert_eq!(Citizens::<Test>::get(id).unwrap().district, 9);
		assert_noop!(
			Registry::update_district(RuntimeOrigin::signed(CIVIL), id, 9),
			Error::<Test>::Unchanged
		);
		assert_noop!(
			Registry::update_district(RuntimeOrigin::signed(CIVIL), 42, 9),
			Error::<Test>::CitizenNotFound
		);
		assert_ok!(Registry::record_death(RuntimeOrigin::signed(CIVIL), id));
		assert_noop!(
			Registry::update_district(RuntimeOrigin::signed(CIVIL), id, 3),
			Error::<Test>::CitizenDeceased
		);
	});
}

#[test]
fn update_commitment_works_and_rejects() {
	build_and_execute(|| {
		let a = register(10, 1);
		register(11, 2);
		assert_noop!(
			Registry::update_commitment(RuntimeOrigin::signed(CIVIL), a, commitment(2)),
			Error::<Test>::CommitmentInUse
		);
		assert_noop!(
			Registry::update_commitment(RuntimeOrigin::signed(CIVIL), a, commitment(1)),
			Error::<Test>::Unchanged
		);
		assert_noop!(
			Registry::update_commitment(RuntimeOrigin::signed(CIVIL), 42, commitment(5)),
			Error::<Test>::CitizenNotFound
		);
		assert_ok!(Registry::update_commitment(RuntimeOrigin::signed(CIVIL), a, commitment(5)));
		assert_eq!(
			last_event(),
			Event::CommitmentUpdated { citizen: a, commitment: commitment(5) }.into()
		);
		assert_eq!(CitizenByCommitment::<Test>::get(commitment(5)), Some(a));
		assert_eq!(CitizenByCommitment::<Test>::get(commitment(1)), None);
		check_invariants();
	});
}

#[test]
fn suspend_and_restore() {
	build_and_execute(|| {
		let id = register(10, 1);
		assert_noop!(
			Registry::restore_citizen(RuntimeOrigin::signed(CIVIL), id),
			Error::<Test>::CitizenNotSuspended
		);
		assert_ok!(Registry::suspend_citizen(RuntimeOrigin::signed(CIVIL), id));
		assert_eq!(last_event(), Event::CitizenSuspended { citizen: id }.into());
		assert_eq!(Registry::eligibility(&10, TODAY), Eligibility::Suspended);
		assert_noop!(
			Registry::suspend_citizen(RuntimeOrigin::signed(CIVIL), id),
			Error::<Test>::CitizenNotActive
		);
		assert_ok!(Registry::restore_citizen(RuntimeOrigin::signed(CIVIL), id));
		assert_eq!(last_event(), Event::CitizenRestored { citizen: id }.into());
		assert_eq!(Registry::eligibility(&10, TODAY), Eligibility::Eligible { district: 7 });
		assert_noop!(
			Registry::suspend_citizen(RuntimeOrigin::signed(CIVIL), 42),
			Error::<Test>::CitizenNotFound
		);
		assert_noop!(
			Registry::restore_citizen(RuntimeOrigin::signed(CIVIL), 42),
			Error::<Test>::CitizenNotFound
		);
	});
}

#[test]
fn record_death_closes_the_record() {
	build_and_execute(|| {
		let id = register(10, 1);
		assert_ok!(Registry::initiate_account_rotation(RuntimeOrigin::signed(CIVIL), id, 20));
		assert_ok!(Registry::record_death(RuntimeOrigin::signed(CIVIL), id));
		assert_eq!(last_event(), Event::CitizenDeceased { citizen: id }.into());
		assert_eq!(Registry::eligibility(&10, TODAY), Eligibility::Deceased);
		// The pending rotation went with it, and its sufficient reference.
		assert!(PendingRotations::<Test>::get(20).is_none());
		assert_eq!(frame_system::Pallet::<Test>::sufficients(&20), 0);
		for call in [
			Registry::record_death(RuntimeOrigin::signed(CIVIL), id),
			Registry::suspend_citizen(RuntimeOrigin::signed(CIVIL), id),
			Registry::restore_citizen(RuntimeOrigin::signed(CIVIL), id),
			Registry::initiate_account_rotation(RuntimeOrigin::signed(CIVIL), id, 21),
		] {
			assert_eq!(call, Err(Error::<Test>::CitizenDeceased.into()));
		}
		assert_noop!(
			Registry::record_death(RuntimeOrigin::signed(CIVIL), 42),
			Error::<Test>::CitizenNotFound
		);
		check_invariants();
	});
}

#[test]
fn remove_citizen_works_and_rejects() {
	build_and_execute(|| {
		let id = register(10, 1);
		assert_ok!(Registry::initiate_account_rotation(RuntimeOrigin::signed(CIVIL), id, 20));
		assert_ok!(Registry::remove_citizen(RuntimeOrigin::signed(CIVIL), id));
		assert_eq!(last_event(), Event::CitizenRemoved { citizen: id, account: 10 }.into());
		assert!(Citizens::<Test>::get(id).is_none());
		assert!(CitizenOf::<Test>::get(10).is_none());
		assert!(CitizenByCommitment::<Test>::get(commitment(1)).is_none());
		assert!(PendingRotations::<Test>::get(20).is_none());
		assert_eq!(frame_system::Pallet::<Test>::sufficients(&10), 0);
		assert_eq!(frame_system::Pallet::<Test>::sufficients(&20), 0);
		assert_noop!(
			Registry::remove_citizen(RuntimeOrigin::signed(CIVIL), id),
			Error::<Test>::CitizenNotFound
		);
		// The id is never reused.
		assert_eq!(register(10, 1), id + 1);
		check_invariants();
	});
}

// ---------------------------------------------------------------- key rotation

#[test]
fn key_rotation_keeps_every_reference_intact() {
	build_and_execute(|| {
		let id = register(10, 1);
		let partner = register(11, 2);
		assert_ok!(Registry::register_entity(
			RuntimeOrigin::signed(BUSINESS),
			commitment(50),
			reps(&[id, partner])
		));
		assert_ok!(Registry::issue_credential(
			RuntimeOrigin::signed(UNIVERSITY),
			doc(1),
			Subject::Citizen(id),
			CredentialKind::Diploma,
			TODAY,
			None
		));
		assert!(Registry::is_representative(0, &10));

		assert_ok!(Registry::initiate_account_rotation(RuntimeOrigin::signed(CIVIL), id, 20));
		assert_eq!(
			last_event(),
			Event::AccountRotationInitiated {
				citizen: id,
				new_account: 20,
				expires_at: 1 + ROTATION_WINDOW
			}
			.into()
		);
		assert_eq!(frame_system::Pallet::<Test>::sufficients(&20), 1);
		assert_ok!(Registry::accept_account_rotation(RuntimeOrigin::signed(20)));
		assert_eq!(
			last_event(),
			Event::AccountRotationAccepted {
				citizen: id,
				new_account: 20,
				notice_ends: 1 + ROTATION_NOTICE
			}
			.into()
		);
		assert!(Registry::is_rotating(id));
		System::set_block_number(2 + ROTATION_NOTICE);
		assert_ok!(Registry::complete_account_rotation(RuntimeOrigin::signed(20)));
		assert_eq!(last_event(), Event::AccountRotated { citizen: id, old: 10, new: 20 }.into());
		assert!(!Registry::is_rotating(id));

		// Same citizen, same record, new key.
		let record = Citizens::<Test>::get(id).unwrap();
		assert_eq!(record.account, 20);
		assert_eq!(record.commitment, commitment(1));
		assert_eq!(CitizenOf::<Test>::get(20), Some(id));
		assert_eq!(CitizenOf::<Test>::get(10), None);
		assert_eq!(frame_system::Pallet::<Test>::sufficients(&10), 0);
		assert_eq!(frame_system::Pallet::<Test>::sufficients(&20), 1);
		// The entity is represented through the new key, not the old one.
		assert!(Registry::is_representative(0, &20));
		assert!(!Registry::is_representative(0, &10));
		assert_eq!(Registry::entity_view(0).unwrap().representatives, vec![20, 11]);
		// The diploma is still the citizen's.
		match Registry::credential_status(doc(1), &UNIVERSITY) {
			CredentialStatus::Valid { subject, .. } => assert_eq!(subject, Subject::Citizen(id)),
			other => panic!("diploma should be valid, got {other:?}"),
		}
		assert_eq!(Registry::citizen_by_account(&20).unwrap().id, id);
		assert_eq!(Registry::eligibility(&20, TODAY), Eligibility::Eligible { district: 7 });
		assert_eq!(Registry::eligibility(&10, TODAY), Eligibility::NotACitizen);
		// Payments still addressed to the old key reach the citizen's new one.
		assert_eq!(FormerCitizenOf::<Test>::get(10), Some(id));
		assert_eq!(Registry::current_account(&10), 20);
		assert_eq!(Registry::current_account(&20), 20);
		assert_eq!(Registry::current_account(&NOBODY), NOBODY);
		check_invariants();
	});
}

#[test]
fn a_rotation_waits_out_its_notice_and_the_old_key_can_stop_it() {
	build_and_execute(|| {
		// A rogue registry official and the key they hold: accepted, but not in force.
		let id = register(10, 1);
		assert_ok!(Registry::initiate_account_rotation(RuntimeOrigin::signed(CIVIL), id, 20));
		assert_noop!(
			Registry::complete_account_rotation(RuntimeOrigin::signed(20)),
			Error::<Test>::RotationNotAccepted
		);
		assert_ok!(Registry::accept_account_rotation(RuntimeOrigin::signed(20)));
		assert_eq!(Citizens::<Test>::get(id).unwrap().account, 10, "the old key still signs");
		assert_noop!(
			Registry::accept_account_rotation(RuntimeOrigin::signed(20)),
			Error::<Test>::RotationAlreadyAccepted
		);
		System::set_block_number(1 + ROTATION_NOTICE);
		assert_noop!(
			Registry::complete_account_rotation(RuntimeOrigin::signed(20)),
			Error::<Test>::RotationNoticeRunning
		);
		// Only the citizen's current key objects.
		assert_noop!(
			Registry::object_to_account_rotation(RuntimeOrigin::signed(20)),
			Error::<Test>::CitizenNotFound
		);
		let other = register(11, 2);
		assert_noop!(
			Registry::object_to_account_rotation(RuntimeOrigin::signed(11)),
			Error::<Test>::NoPendingRotation
		);
		assert_ok!(Registry::object_to_account_rotation(RuntimeOrigin::signed(10)));
		assert_eq!(
			last_event(),
			Event::AccountRotationObjected { citizen: id, new_account: 20 }.into()
		);
		assert_noop!(
			Registry::object_to_account_rotation(RuntimeOrigin::signed(10)),
			Error::<Test>::RotationObjected
		);
		// Past the notice, an objected rotation does not complete on its own.
		System::set_block_number(2 + ROTATION_NOTICE + ROTATION_WINDOW);
		assert_noop!(
			Registry::complete_account_rotation(RuntimeOrigin::signed(20)),
			Error::<Test>::RotationObjected
		);
		// Accepted rotations do not expire: the citizen stays frozen until a decision.
		assert!(Registry::is_rotating(id));
		assert!(!Registry::is_rotating(other));
		// Nor can the registry set the objection aside: no fresh request replaces it, and
		// it does not cancel it.
		assert_noop!(
			Registry::initiate_account_rotation(RuntimeOrigin::signed(CIVIL), id, 21),
			Error::<Test>::RotationObjected
		);
		assert_noop!(
			Registry::cancel_account_rotation(RuntimeOrigin::signed(CIVIL), id),
			Error::<Test>::RotationObjected
		);
		// The court decides: only a court confirms, and here it cancels.
		for who in [CIVIL, NOTARY, 10, 20] {
			assert_noop!(
				Registry::confirm_account_rotation(RuntimeOrigin::signed(who), id),
				DispatchError::BadOrigin
			);
		}
		assert_noop!(
			Registry::cancel_account_rotation(RuntimeOrigin::signed(NOTARY), id),
			DispatchError::BadOrigin
		);
		assert_ok!(Registry::cancel_account_rotation(RuntimeOrigin::signed(COURT), id));
		assert!(!Registry::is_rotating(id));
		assert_eq!(CitizenOf::<Test>::get(10), Some(id));
		assert_eq!(frame_system::Pallet::<Test>::sufficients(&20), 0);
		check_invariants();
	});
}

#[test]
fn a_court_confirms_a_recovery_over_the_stolen_keys_objection() {
	build_and_execute(|| {
		let id = register(10, 1);
		assert_ok!(Registry::initiate_account_rotation(RuntimeOrigin::signed(CIVIL), id, 20));
		// Nothing to confirm until the new key proved itself.
		assert_noop!(
			Registry::confirm_account_rotation(RuntimeOrigin::signed(COURT), id),
			Error::<Test>::RotationNotAccepted
		);
		assert_ok!(Registry::accept_account_rotation(RuntimeOrigin::signed(20)));
		// The thief holding key 10 objects; the court confirms the recovery at once.
		assert_ok!(Registry::object_to_account_rotation(RuntimeOrigin::signed(10)));
		assert_ok!(Registry::confirm_account_rotation(RuntimeOrigin::signed(COURT), id));
		assert_eq!(last_event(), Event::AccountRotated { citizen: id, old: 10, new: 20 }.into());
		assert_eq!(CitizenOf::<Test>::get(20), Some(id));
		assert_eq!(CitizenOf::<Test>::get(10), None);
		assert_noop!(
			Registry::object_to_account_rotation(RuntimeOrigin::signed(10)),
			Error::<Test>::CitizenNotFound
		);
		assert_noop!(
			Registry::confirm_account_rotation(RuntimeOrigin::signed(COURT), id),
			Error::<Test>::NoPendingRotation
		);
		check_invariants();
	});
}

#[test]
fn key_rotation_rejections() {
	build_and_execute(|| {
		let id = register(10, 1);
		register(11, 2);
		assert_noop!(
			Registry::initiate_account_rotation(RuntimeOrigin::signed(CIVIL), 42, 20),
			Error::<Test>::CitizenNotFound
		);
		assert_noop!(
			Registry::initiate_account_rotation(RuntimeOrigin::signed(CIVIL), id, 11),
			Error::<Test>::AlreadyACitizen
		);
		assert_noop!(
			Registry::accept_account_rotation(RuntimeOrigin::signed(20)),
			Error::<Test>::NoPendingRotation
		);
		assert_noop!(
			Registry::cancel_account_rotation(RuntimeOrigin::signed(CIVIL), id),
			Error::<Test>::NoPendingRotation
		);
		assert_ok!(Registry::initiate_account_rotation(RuntimeOrigin::signed(CIVIL), id, 20));
		assert_noop!(
			Registry::initiate_account_rotation(RuntimeOrigin::signed(CIVIL), 1, 20),
			Error::<Test>::RotationPending
		);
		// Too late: the window closed.
		System::set_block_number(2 + ROTATION_WINDOW);
		assert_noop!(
			Registry::accept_account_rotation(RuntimeOrigin::signed(20)),
			Error::<Test>::RotationExpired
		);
		// An expired request no longer reserves its account: it can be used again.
		assert_ok!(Registry::initiate_account_rotation(RuntimeOrigin::signed(CIVIL), 1, 20));
		assert_eq!(PendingRotations::<Test>::get(20).map(|p| p.citizen), Some(1));
		assert_eq!(RotationOf::<Test>::get(id), None);
		assert_eq!(frame_system::Pallet::<Test>::sufficients(&20), 1);
		check_invariants();
	});
}

#[test]
fn rotation_can_be_cancelled_or_replaced() {
	build_and_execute(|| {
		let id = register(10, 1);
		assert_ok!(Registry::initiate_account_rotation(RuntimeOrigin::signed(CIVIL), id, 20));
		// A second request replaces the first and releases its account.
		assert_ok!(Registry::initiate_account_rotation(RuntimeOrigin::signed(CIVIL), id, 21));
		assert!(PendingRotations::<Test>::get(20).is_none());
		assert_eq!(frame_system::Pallet::<Test>::sufficients(&20), 0);
		assert_ok!(Registry::cancel_account_rotation(RuntimeOrigin::signed(CIVIL), id));
		assert_eq!(
			last_event(),
			Event::AccountRotationCancelled { citizen: id, new_account: 21 }.into()
		);
		assert_eq!(frame_system::Pallet::<Test>::sufficients(&21), 0);
		assert_noop!(
			Registry::accept_account_rotation(RuntimeOrigin::signed(21)),
			Error::<Test>::NoPendingRotation
		);
		check_invariants();
	});
}

#[test]
fn accepting_a_rotation_is_feeless_only_while_it_is_pending() {
	build_and_execute(|| {
		let id = register(10, 1);
		let call = Call::<Test>::accept_account_rotation {};
		assert!(!call.is_feeless(&RuntimeOrigin::signed(20)), "nothing pending: pays");
		assert_ok!(Registry::initiate_account_rotation(RuntimeOrigin::signed(CIVIL), id, 20));
		assert!(call.is_feeless(&RuntimeOrigin::signed(20)));
		assert!(!call.is_feeless(&RuntimeOrigin::signed(21)), "another account: pays");
		assert!(!call.is_feeless(&RuntimeOrigin::root()));
		System::set_block_number(2 + ROTATION_WINDOW);
		assert!(!call.is_feeless(&RuntimeOrigin::signed(20)), "expired: pays");
		System::set_block_number(2);
		assert_ok!(Registry::accept_account_rotation(RuntimeOrigin::signed(20)));
		assert!(!call.is_feeless(&RuntimeOrigin::signed(20)), "done once: no second free act");

		// Completing is feeless only once it can succeed: after the notice, unopposed.
		let complete = Call::<Test>::complete_account_rotation {};
		assert!(!complete.is_feeless(&RuntimeOrigin::signed(20)), "notice running: pays");
		System::set_block_number(3 + ROTATION_NOTICE);
		assert!(complete.is_feeless(&RuntimeOrigin::signed(20)));
		assert!(!complete.is_feeless(&RuntimeOrigin::signed(21)), "another account: pays");
		assert_ok!(Registry::object_to_account_rotation(RuntimeOrigin::signed(10)));
		assert!(!complete.is_feeless(&RuntimeOrigin::signed(20)), "objected: pays");
	});
}

// ---------------------------------------------------------------- legal entities

#[test]
fn register_entity_works_and_rejects() {
	build_and_execute(|| {
		let a = register(10, 1);
		let b = register(11, 2);
		assert_ok!(Registry::register_entity(
			RuntimeOrigin::signed(BUSINESS),
			commitment(50),
			reps(&[a, b])
		));
		assert_eq!(
			last_event(),
			Event::EntityRegistered { entity: 0, representatives: vec![a, b] }.into()
		);
		assert!(Registry::entity_is_active(0));
		assert!(Registry::is_representative(0, &11));
		assert!(!Registry::is_representative(0, &12));
		assert_noop!(
			Registry::register_entity(RuntimeOrigin::signed(BUSINESS), commitment(50), reps(&[a])),
			Error::<Test>::EntityCommitmentInUse
		);
		assert_noop!(
			Registry::register_entity(
				RuntimeOrigin::signed(BUSINESS),
				commitment(51),
				reps(&[a, 42])
			),
			Error::<Test>::RepresentativeNotActive
		);
		assert_noop!(
			Registry::register_entity(
				RuntimeOrigin::signed(BUSINESS),
				commitment(51),
				reps(&[a, a])
			),
			Error::<Test>::AlreadyARepresentative
		);
		assert_ok!(Registry::suspend_citizen(RuntimeOrigin::signed(CIVIL), b));
		assert!(!Registry::is_representative(0, &11), "a suspended citizen cannot act");
		assert_noop!(
			Registry::register_entity(RuntimeOrigin::signed(BUSINESS), commitment(51), reps(&[b])),
			Error::<Test>::RepresentativeNotActive
		);
		check_invariants();
	});
}

#[test]
fn entity_status_changes() {
	build_and_execute(|| {
		let a = register(10, 1);
		assert_ok!(Registry::register_entity(
			RuntimeOrigin::signed(BUSINESS),
			commitment(50),
			reps(&[a])
		));
		assert_noop!(
			Registry::set_entity_status(RuntimeOrigin::signed(BUSINESS), 0, EntityStatus::Active),
			Error::<Test>::Unchanged
		);
		assert_noop!(
			Registry::set_entity_status(
				RuntimeOrigin::signed(BUSINESS),
				9,
				EntityStatus::Suspended
			),
			Error::<Test>::EntityNotFound
		);
		assert_ok!(Registry::set_entity_status(
			RuntimeOrigin::signed(BUSINESS),
			0,
			EntityStatus::Suspended
		));
		assert_eq!(
			last_event(),
			Event::EntityStatusChanged { entity: 0, status: EntityStatus::Suspended }.into()
		);
		assert!(!Registry::is_representative(0, &10), "nobody acts for a suspended entity");
		assert_ok!(Registry::set_entity_status(
			RuntimeOrigin::signed(BUSINESS),
			0,
			EntityStatus::Dissolved
		));
		assert_noop!(
			Registry::set_entity_status(RuntimeOrigin::signed(BUSINESS), 0, EntityStatus::Active),
			Error::<Test>::EntityDissolved
		);
		assert_noop!(
			Registry::add_representative(RuntimeOrigin::signed(BUSINESS), 0, a),
			Error::<Test>::EntityDissolved
		);
	});
}

#[test]
fn representatives_are_added_and_removed() {
	build_and_execute(|| {
		let ids: Vec<_> = (0..5u8).map(|i| register(10 + i as u64, i + 1)).collect();
		assert_ok!(Registry::register_entity(
			RuntimeOrigin::signed(BUSINESS),
			commitment(50),
			reps(&ids[..2])
		));
		assert_ok!(Registry::add_representative(RuntimeOrigin::signed(BUSINESS), 0, ids[2]));
		assert_eq!(last_event(), Event::RepresentativeAdded { entity: 0, citizen: ids[2] }.into());
		assert_noop!(
			Registry::add_representative(RuntimeOrigin::signed(BUSINESS), 0, ids[2]),
			Error::<Test>::AlreadyARepresentative
		);
		assert_noop!(
			Registry::add_representative(RuntimeOrigin::signed(BUSINESS), 0, ids[3]),
			Error::<Test>::TooManyRepresentatives
		);
		assert_noop!(
			Registry::add_representative(RuntimeOrigin::signed(BUSINESS), 0, 77),
			Error::<Test>::RepresentativeNotActive
		);
		assert_noop!(
			Registry::add_representative(RuntimeOrigin::signed(BUSINESS), 9, ids[3]),
			Error::<Test>::EntityNotFound
		);
		assert_ok!(Registry::remove_representative(RuntimeOrigin::signed(BUSINESS), 0, ids[0]));
		assert_eq!(
			last_event(),
			Event::RepresentativeRemoved { entity: 0, citizen: ids[0] }.into()
		);
		assert!(!Registry::is_representative(0, &10));
		assert_noop!(
			Registry::remove_representative(RuntimeOrigin::signed(BUSINESS), 0, ids[0]),
			Error::<Test>::NotARepresentative
		);
	});
}

// ---------------------------------------------------------------- credentials

#[test]
fn issue_verify_revoke_a_diploma() {
	build_and_execute(|| {
		let id = register(10, 1);
		assert_eq!(Registry::credential_status(doc(1), &UNIVERSITY), CredentialStatus::Unknown);
		assert_ok!(Registry::issue_credential(
			RuntimeOrigin::signed(UNIVERSITY),
			doc(1),
			Subject::Citizen(id),
			CredentialKind::Diploma,
			TODAY - 1000,
			None
		));
		assert_eq!(
			last_event(),
			Event::CredentialIssued {
				document_hash: doc(1),
				issuer: UNIVERSITY,
				subject: Subject::Citizen(id),
				kind: CredentialKind::Diploma
			}
			.into()
		);
		assert_eq!(
			Registry::credential_status(doc(1), &UNIVERSITY),
			CredentialStatus::Valid {
				issuer: UNIVERSITY,
				subject: Subject::Citizen(id),
				kind: CredentialKind::Diploma,
				issued_on: TODAY - 1000,
				expires_on: None
			}
		);
		assert_ok!(Registry::revoke_credential(
			RuntimeOrigin::signed(UNIVERSITY),
			doc(1),
			UNIVERSITY,
			RevocationReason::Fraud
		));
		assert_eq!(
			last_event(),
			Event::CredentialRevoked {
				document_hash: doc(1),
				issuer: UNIVERSITY,
				reason: RevocationReason::Fraud
			}
			.into()
		);
		assert_eq!(
			Registry::credential_status(doc(1), &UNIVERSITY),
			CredentialStatus::Revoked {
				issuer: UNIVERSITY,
				subject: Subject::Citizen(id),
				kind: CredentialKind::Diploma,
				reason: RevocationReason::Fraud,
				revoked_on: TODAY
			}
		);
	});
}

#[test]
fn credentials_expire() {
	build_and_execute(|| {
		let id = register(10, 1);
		assert_ok!(Registry::issue_credential(
			RuntimeOrigin::signed(MEDICAL_BOARD),
			doc(2),
			Subject::Citizen(id),
			CredentialKind::ProfessionalLicence,
			TODAY,
			Some(TODAY + 30)
		));
		assert!(matches!(
			Registry::credential_status(doc(2), &MEDICAL_BOARD),
			CredentialStatus::Valid { .. }
		));
		set_today(TODAY + 30);
		assert!(
			matches!(
				Registry::credential_status(doc(2), &MEDICAL_BOARD),
				CredentialStatus::Valid { .. }
			),
			"valid through its last day"
		);
		set_today(TODAY + 31);
		assert_eq!(
			Registry::credential_status(doc(2), &MEDICAL_BOARD),
			CredentialStatus::Expired {
				issuer: MEDICAL_BOARD,
				subject: Subject::Citizen(id),
				kind: CredentialKind::ProfessionalLicence,
				expired_on: TODAY + 30
			}
		);
	});
}

#[test]
fn issue_credential_rejections() {
	build_and_execute(|| {
		let id = register(10, 1);
		let issue = |who: u64, hash, subject, kind, issued_on, expires_on| {
			Registry::issue_credential(
				RuntimeOrigin::signed(who),
				hash,
				subject,
				kind,
				issued_on,
				expires_on,
			)
		};
		let c = Subject::Citizen(id);
		assert_noop!(
			issue(UNIVERSITY, doc(1), c, CredentialKind::ProfessionalLicence, TODAY, None),
			Error::<Test>::KindNotInScope
		);
		assert_noop!(
			issue(UNIVERSITY, doc(1), c, CredentialKind::Diploma, TODAY + 1, None),
			Error::<Test>::IssuedInFuture
		);
		assert_noop!(
			issue(UNIVERSITY, doc(1), c, CredentialKind::Diploma, TODAY, Some(TODAY - 1)),
			Error::<Test>::ExpiryBeforeIssue
		);
		assert_noop!(
			issue(UNIVERSITY, doc(1), Subject::Citizen(42), CredentialKind::Diploma, TODAY, None),
			Error::<Test>::SubjectNotFound
		);
		assert_noop!(
			issue(UNIVERSITY, doc(1), Subject::Entity(0), CredentialKind::Diploma, TODAY, None),
			Error::<Test>::SubjectNotFound
		);
		assert_ok!(issue(UNIVERSITY, doc(1), c, CredentialKind::Diploma, TODAY, None));
		assert_noop!(
			issue(UNIVERSITY, doc(1), c, CredentialKind::Diploma, TODAY, None),
			Error::<Test>::CredentialExists
		);
		// An entity can hold a credential too.
		assert_ok!(Registry::register_entity(
			RuntimeOrigin::signed(BUSINESS),
			commitment(50),
			reps(&[id])
		));
		assert_ok!(issue(
			UNIVERSITY,
			doc(3),
			Subject::Entity(0),
			CredentialKind::Diploma,
			TODAY,
			None
		));
	});
}

#[test]
fn an_issuer_that_squats_a_document_hash_blocks_no_one_and_vouches_only_for_itself() {
	build_and_execute(|| {
		let graduate = register(10, 1);
		let accomplice = register(11, 2);
		// A second diploma issuer records the hash of the university's diploma first.
		const SQUATTER: u64 = 7;
		assert_ok!(Registry::appoint_authority(
			RuntimeOrigin::root(),
			SQUATTER,
			Role::CredentialIssuer,
			kinds(&[CredentialKind::Diploma])
		));
		let issue = |who: u64, subject| {
			Registry::issue_credential(
				RuntimeOrigin::signed(who),
				doc(1),
				Subject::Citizen(subject),
				CredentialKind::Diploma,
				TODAY,
				None,
			)
		};
		assert_ok!(issue(SQUATTER, accomplice));
		// The real issuer is not locked out.
		assert_ok!(issue(UNIVERSITY, graduate));
		match Registry::credential_status(doc(1), &UNIVERSITY) {
			CredentialStatus::Valid { issuer, subject, .. } => {
				assert_eq!((issuer, subject), (UNIVERSITY, Subject::Citizen(graduate)))
			},
			other => panic!("the university's diploma should be valid, got {other:?}"),
		}
		// Asked about the university's document, the squatter's record says nothing; a
		// listing of the hash shows who claims what.
		assert_eq!(Registry::credential_status(doc(1), &MEDICAL_BOARD), CredentialStatus::Unknown);
		let claims = Registry::credentials_of_document(doc(1));
		assert_eq!(claims.len(), 2);
		assert!(claims.iter().all(|c| matches!(
			c,
			CredentialStatus::Valid { issuer: UNIVERSITY, subject: Subject::Citizen(g), .. } if *g == graduate
		) || matches!(
			c,
			CredentialStatus::Valid { issuer: SQUATTER, subject: Subject::Citizen(a), .. } if *a == accomplice
		)));
		// Nor can it revoke the university's record.
		assert_noop!(
			Registry::revoke_credential(
				RuntimeOrigin::signed(SQUATTER),
				doc(1),
				UNIVERSITY,
				RevocationReason::Fraud
			),
			Error::<Test>::NotTheIssuer
		);
		assert_noop!(issue(UNIVERSITY, graduate), Error::<Test>::CredentialExists);
	});
}

#[test]
fn revoke_credential_rejections() {
	build_and_execute(|| {
		let id = register(10, 1);
		assert_ok!(Registry::issue_credential(
			RuntimeOrigin::signed(UNIVERSITY),
			doc(1),
			Subject::Citizen(id),
			CredentialKind::Diploma,
			TODAY,
			None
		));
		assert_noop!(
			Registry::revoke_credential(
				RuntimeOrigin::signed(MEDICAL_BOARD),
				doc(1),
				UNIVERSITY,
				RevocationReason::Fraud
			),
			Error::<Test>::NotTheIssuer
		);
		assert_noop!(
			Registry::revoke_credential(
				RuntimeOrigin::signed(UNIVERSITY),
				doc(9),
				UNIVERSITY,
				RevocationReason::Fraud
			),
			Error::<Test>::CredentialNotFound
		);
		assert_ok!(Registry::revoke_credential(
			RuntimeOrigin::signed(UNIVERSITY),
			doc(1),
			UNIVERSITY,
			RevocationReason::Superseded
		));
		assert_noop!(
			Registry::revoke_credential(
				RuntimeOrigin::signed(UNIVERSITY),
				doc(1),
				UNIVERSITY,
				RevocationReason::Fraud
			),
			Error::<Test>::AlreadyRevoked
		);
	});
}

#[test]
fn governance_revokes_a_removed_issuers_credential() {
	build_and_execute(|| {
		let id = register(10, 1);
		assert_ok!(Registry::issue_credential(
			RuntimeOrigin::signed(UNIVERSITY),
			doc(1),
			Subject::Citizen(id),
			CredentialKind::Diploma,
			TODAY,
			None
		));
		assert_ok!(Registry::remove_authority(
			RuntimeOrigin::root(),
			UNIVERSITY,
			Role::CredentialIssuer
		));
		// A removed issuer has no power left, not even over its own credentials.
		assert_noop!(
			Registry::revoke_credential(
				RuntimeOrigin::signed(UNIVERSITY),
				doc(1),
				UNIVERSITY,
				RevocationReason::Fraud
			),
			DispatchError::BadOrigin
		);
		assert_ok!(Registry::revoke_credential(
			RuntimeOrigin::root(),
			doc(1),
			UNIVERSITY,
			RevocationReason::Withdrawn
		));
		assert_eq!(
			last_event(),
			Event::CredentialRevoked {
				document_hash: doc(1),
				issuer: UNIVERSITY,
				reason: RevocationReason::Withdrawn
			}
			.into()
		);
		assert!(matches!(
			Registry::credential_status(doc(1), &UNIVERSITY),
			CredentialStatus::Revoked { .. }
		));
	});
}

#[test]
fn eligibility_follows_the_record() {
	build_and_execute(|| {
		assert_eq!(Registry::eligibility(&10, TODAY), Eligibility::NotACitizen);
		assert_ok!(Registry::register_citizen(
			RuntimeOrigin::signed(CIVIL),
			10,
			commitment(1),
			4,
			Majority::Minor
		));
		// A minor stays one until the civil registry records the majority.
		let minor = Eligibility::Minor { adult_from: MAJORITY_NOT_RECORDED };
		assert_eq!(Registry::eligibility(&10, TODAY + 10_000), minor);
		assert_ok!(Registry::record_majority(
			RuntimeOrigin::signed(CIVIL),
			BoundedVec::truncate_from(vec![0]),
			TODAY + 5
		));
		assert_eq!(Registry::eligibility(&10, TODAY), Eligibility::Minor { adult_from: TODAY + 5 });
		assert_eq!(Registry::eligibility(&10, TODAY + 5), Eligibility::Eligible { district: 4 });
		let info = Registry::citizen_by_account(&10).unwrap();
		assert!(!info.is_active_adult_on(TODAY));
		assert!(info.is_active_adult_on(TODAY + 5));
		// An adult registers as one, with no day at all.
		register(11, 2);
		let adult = Registry::citizen_by_account(&11).unwrap();
		assert_eq!(adult.adult_from, ADULT_AT_REGISTRATION);
		assert!(adult.is_active_adult_on(0));
	});
}

/// Attack on privacy: the registry's records must not give away dates of birth. A
/// registration says only adult or minor; the majority of minors is recorded in batches
/// that share one day. Bad batches are refused by name and change nothing.
#[test]
fn majority_is_recorded_in_batches_without_dates_of_birth() {
	build_and_execute(|| {
		let adult = register(10, 1);
		let minors: Vec<CitizenId> = (0..3u8)
			.map(|i| {
				let id = NextCitizenId::<Test>::get();
				assert_ok!(Registry::register_citizen(
					RuntimeOrigin::signed(CIVIL),
					20 + u64::from(i),
					commitment(20 + i),
					7,
					Majority::Minor
				));
				id
			})
			.collect();
		let batch = |ids: &[CitizenId]| BoundedVec::truncate_from(ids.to_vec());
		// The state holds no day for the adult and none for the minors.
		for id in [adult].iter().chain(&minors) {
			let day = Citizens::<Test>::get(id).unwrap().adult_from;
			assert!(day == ADULT_AT_REGISTRATION || day == MAJORITY_NOT_RECORDED);
		}
		assert_noop!(
			Registry::record_majority(
				RuntimeOrigin::signed(CIVIL),
				batch(&[minors[0], adult]),
				TODAY
			),
			Error::<Test>::AlreadyAnAdult
		);
		assert_noop!(
			Registry::record_majority(
				RuntimeOrigin::signed(CIVIL),
				batch(&[minors[0], minors[0]]),
				TODAY
			),
			Error::<Test>::AlreadyAnAdult
		);
		assert_noop!(
			Registry::record_majority(RuntimeOrigin::signed(CIVIL), batch(&[42]), TODAY),
			Error::<Test>::CitizenNotFound
		);
		assert_noop!(
			Registry::record_majority(
				RuntimeOrigin::signed(CIVIL),
				batch(&[minors[0]]),
				MAJORITY_NOT_RECORDED
			),
			Error::<Test>::InvalidMajorityDay
		);
		assert_noop!(
			Registry::record_majority(RuntimeOrigin::signed(UNIVERSITY), batch(&minors), TODAY),
			DispatchError::BadOrigin
		);
		System::set_block_number(3);
		assert_ok!(Registry::record_majority(RuntimeOrigin::signed(CIVIL), batch(&minors), TODAY));
		assert_eq!(
			last_event(),
			Event::MajorityRecorded { citizen: minors[2], from: TODAY }.into()
		);
		for id in &minors {
			let info = <Registry as CitizenRegistry<u64, u64>>::citizen(*id).unwrap();
			assert_eq!((info.adult_from, info.majority_recorded_at), (TODAY, 3));
			// A roll fixed before the batch has them as minors; one fixed from it, as adults.
			assert!(!info.adult_on_roll(TODAY, 2));
			assert!(info.adult_on_roll(TODAY, 3));
		}
	});
}

// ---------------------------------------------------------------- origin matrix

/// Every privileged call, from every origin that must fail: none, root (for registry
/// roles), a plain signed account, and an authority holding a different role. Each
/// attempt fails with `BadOrigin` and changes nothing.
#[test]
fn origin_matrix() {
	build_and_execute(|| {
		let id = register(10, 1);
		assert_ok!(Registry::register_entity(
			RuntimeOrigin::signed(BUSINESS),
			commitment(50),
			reps(&[id])
		));
		assert_ok!(Registry::issue_credential(
			RuntimeOrigin::signed(UNIVERSITY),
			doc(1),
			Subject::Citizen(id),
			CredentialKind::Diploma,
			TODAY,
			None
		));
		type Call = crate::Call<Test>;
		let governance: Vec<Call> = vec![
			Call::appoint_authority {
				who: NOBODY,
				role: Role::Court,
				credential_kinds: kinds(&[]),
			},
			Call::remove_authority { who: CIVIL, role: Role::CivilRegistry },
		];
		let civil: Vec<Call> = vec![
			Call::register_citizen {
				account: 11,
				commitment: commitment(2),
				district: 1,
				majority: Majority::Adult,
			},
			Call::record_majority { citizens: BoundedVec::truncate_from(vec![id]), from: TODAY },
			Call::update_district { citizen: id, district: 2 },
			Call::update_commitment { citizen: id, commitment: commitment(3) },
			Call::suspend_citizen { citizen: id },
			Call::restore_citizen { citizen: id },
			Call::record_death { citizen: id },
			Call::initiate_account_rotation { citizen: id, new_account: 20 },
			Call::cancel_account_rotation { citizen: id },
			Call::remove_citizen { citizen: id },
		];
		let business: Vec<Call> = vec![
			Call::register_entity { commitment: commitment(51), representatives: reps(&[id]) },
			Call::set_entity_status { entity: 0, status: EntityStatus::Suspended },
			Call::add_representative { entity: 0, citizen: id },
			Call::remove_representative { entity: 0, citizen: id },
		];
		let issuer: Vec<Call> = vec![Call::issue_credential {
			document_hash: doc(2),
			subject: Subject::Citizen(id),
			kind: CredentialKind::Diploma,
			issued_on: TODAY,
			expires_on: None,
		}];
		// Governance may also revoke, so root is not among the origins that must fail.
		let revoke: Vec<Call> = vec![Call::revoke_credential {
			document_hash: doc(1),
			issuer: UNIVERSITY,
			reason: RevocationReason::Fraud,
		}];

		use polkadot_sdk::frame_support::traits::UnfilteredDispatchable;
		let must_fail = |calls: &[Call], origins: &[RuntimeOrigin]| {
			for call in calls {
				for origin in origins {
					assert_noop!(
						call.clone().dispatch_bypass_filter(origin.clone()).map_err(|e| e.error),
						DispatchError::BadOrigin
					);
				}
			}
		};
		let none = RuntimeOrigin::none();
		let root = RuntimeOrigin::root();
		let signed = |w| RuntimeOrigin::signed(w);
		must_fail(&governance, &[none.clone(), signed(NOBODY), signed(CIVIL), signed(10)]);
		must_fail(
			&civil,
			&[
				none.clone(),
				root.clone(),
				signed(NOBODY),
				signed(BUSINESS),
				signed(UNIVERSITY),
				signed(NOTARY),
				signed(10),
			],
		);
		must_fail(
			&business,
			&[
				none.clone(),
				root.clone(),
				signed(NOBODY),
				signed(CIVIL),
				signed(UNIVERSITY),
				signed(10),
			],
		);
		must_fail(
			&issuer,
			&[
				none.clone(),
				root,
				signed(NOBODY),
				signed(CIVIL),
				signed(BUSINESS),
				signed(NOTARY),
				signed(10),
			],
		);
		must_fail(
			&revoke,
			&[none, signed(NOBODY), signed(CIVIL), signed(BUSINESS), signed(NOTARY), signed(10)],
		);
		// A citizen's own act: the registry's power is not needed, but a signature is.
		assert_noop!(
			Registry::accept_account_rotation(RuntimeOrigin::none()),
			DispatchError::BadOrigin
		);
	});
}

// ---------------------------------------------------------------- storage invariants

/// Valid state touching every storage item: citizens 0 (account 10), 1 (11) and 2 (12,
/// rotating to account 20); entity 0 represented by citizens 0 and 1; a diploma about
/// citizen 0 and one about entity 0.
fn populate() {
	register(10, 1);
	register(11, 2);
	let rotating = register(12, 3);
	assert_ok!(Registry::initiate_account_rotation(RuntimeOrigin::signed(CIVIL), rotating, 20));
	assert_ok!(Registry::register_entity(
		RuntimeOrigin::signed(BUSINESS),
		commitment(50),
		reps(&[0, 1])
	));
	for (n, subject) in [(1, Subject::Citizen(0)), (2, Subject::Entity(0))] {
		assert_ok!(Registry::issue_credential(
			RuntimeOrigin::signed(UNIVERSITY),
			doc(n),
			subject,
			CredentialKind::Diploma,
			TODAY,
			Some(TODAY + 365)
		));
	}
}

/// On the [`populate`]d state, which passes the checks, `corrupt` writes to storage what no
/// call would; the checks must then report `broken`.
fn assert_detected(corrupt: impl FnOnce(), broken: &'static str) {
	new_test_ext().execute_with(|| {
		populate();
		assert_ok!(Registry::do_try_state());
		corrupt();
		assert_eq!(Registry::do_try_state(), Err(broken.into()));
	});
}

fn edit_citizen(id: CitizenId, f: impl FnOnce(&mut CitizenRecord<u64, u64>)) {
	Citizens::<Test>::mutate(id, |r| f(r.as_mut().expect("the citizen exists")));
}

fn edit_entity(
	f: impl FnOnce(&mut EntityRecord<u64, polkadot_sdk::frame_support::traits::ConstU32<3>>),
) {
	Entities::<Test>::mutate(0, |r| f(r.as_mut().expect("the entity exists")));
}

fn edit_credential(n: u8, f: impl FnOnce(&mut CredentialRecord<u64>)) {
	Credentials::<Test>::mutate(doc(n), UNIVERSITY, |r| {
		f(r.as_mut().expect("the credential exists"))
	});
}

fn set_kinds(who: u64, role: Role, k: &[CredentialKind]) {
	AuthorityRoles::<Test>::mutate(who, role, |r| {
		r.as_mut().expect("the authority exists").credential_kinds = kinds(k)
	});
}

#[test]
fn invariants_hold_after_removals_deaths_and_rotations() {
	new_test_ext().execute_with(|| {
		populate();
		// A removed citizen keeps its credential and its representative slot.
		assert_ok!(Registry::remove_citizen(RuntimeOrigin::signed(CIVIL), 0));
		assert_ok!(Registry::accept_account_rotation(RuntimeOrigin::signed(20)));
		System::set_block_number(2 + ROTATION_NOTICE);
		assert_ok!(Registry::complete_account_rotation(RuntimeOrigin::signed(20)));
		assert_ok!(Registry::initiate_account_rotation(RuntimeOrigin::signed(CIVIL), 1, 21));
		assert_ok!(Registry::record_death(RuntimeOrigin::signed(CIVIL), 1));
		assert_ok!(Registry::revoke_credential(
			RuntimeOrigin::signed(UNIVERSITY),
			doc(2),
			UNIVERSITY,
			RevocationReason::Fraud
		));
		assert_ok!(Registry::do_try_state());
	});
}

#[test]
fn try_state_detects_an_issuer_without_kinds() {
	assert_detected(
		|| set_kinds(UNIVERSITY, Role::CredentialIssuer, &[]),
		"credential issuer without credential kinds",
	);
}

#[test]
fn try_state_detects_kinds_on_another_role() {
	assert_detected(
		|| set_kinds(NOTARY, Role::Notary, &[CredentialKind::Permit]),
		"credential kinds on a role other than CredentialIssuer",
	);
}

#[test]
fn try_state_detects_a_kind_listed_twice() {
	assert_detected(
		|| {
			set_kinds(
				UNIVERSITY,
				Role::CredentialIssuer,
				&[CredentialKind::Diploma, CredentialKind::Diploma],
			)
		},
		"credential kind listed twice",
	);
}

#[test]
fn try_state_detects_a_citizen_id_at_the_counter() {
	// The next registration would overwrite citizen 2.
	assert_detected(|| NextCitizenId::<Test>::put(2), "citizen id not below NextCitizenId");
}

#[test]
fn try_state_detects_two_citizens_on_one_account() {
	assert_detected(
		|| edit_citizen(1, |r| r.account = 10),
		"citizen's account not bound to it in CitizenOf",
	);
}

#[test]
fn try_state_detects_an_account_bound_to_a_citizen_signing_with_another() {
	assert_detected(
		|| CitizenOf::<Test>::insert(30, 0),
		"CitizenOf entry without a citizen signing with that account",
	);
}

#[test]
fn try_state_detects_a_commitment_not_indexed() {
	// Another person could be registered under citizen 0's civil record.
	assert_detected(
		|| edit_citizen(0, |r| r.commitment = commitment(9)),
		"citizen's commitment not bound to it in CitizenByCommitment",
	);
}

#[test]
fn try_state_detects_a_commitment_index_pointing_elsewhere() {
	assert_detected(
		|| CitizenByCommitment::<Test>::insert(commitment(9), 1),
		"CitizenByCommitment entry without a citizen holding that commitment",
	);
}

#[test]
fn try_state_detects_a_citizen_account_without_its_reference() {
	assert_detected(
		|| {
			frame_system::Pallet::<Test>::dec_sufficients(&10);
		},
		"citizen's account without a sufficient reference",
	);
}

#[test]
fn try_state_detects_a_pending_rotation_without_its_reverse_index() {
	assert_detected(
		|| RotationOf::<Test>::remove(2),
		"pending rotation without its RotationOf entry",
	);
}

#[test]
fn try_state_detects_a_reverse_index_without_its_rotation() {
	assert_detected(
		|| RotationOf::<Test>::insert(0, 21),
		"RotationOf entry without its pending rotation",
	);
}

#[test]
fn try_state_detects_a_pending_rotation_of_a_deceased_citizen() {
	assert_detected(
		|| edit_citizen(2, |r| r.status = CitizenStatus::Deceased),
		"pending rotation of a missing or deceased citizen",
	);
}

#[test]
fn try_state_detects_a_pending_rotation_of_a_missing_citizen() {
	assert_detected(
		|| {
			PendingRotations::<Test>::insert(
				21,
				PendingRotation { citizen: 42, expires_at: 5, notice_ends: None, objected: false },
			);
			RotationOf::<Test>::insert(42, 21);
			frame_system::Pallet::<Test>::inc_sufficients(&21);
		},
		"pending rotation of a missing or deceased citizen",
	);
}

#[test]
fn try_state_detects_a_rotation_to_a_citizens_account() {
	// Accepting it would bind account 11 to citizens 0 and 1.
	assert_detected(
		|| {
			PendingRotations::<Test>::insert(
				11,
				PendingRotation { citizen: 0, expires_at: 5, notice_ends: None, objected: false },
			);
			RotationOf::<Test>::insert(0, 11);
		},
		"pending rotation to an account bound to a citizen",
	);
}

#[test]
fn try_state_detects_a_rotation_beyond_the_window() {
	// A rotation that never expires stays feeless to accept forever.
	assert_detected(
		|| {
			PendingRotations::<Test>::mutate(20, |p| {
				p.as_mut().expect("the rotation is pending").expires_at = 2 + ROTATION_WINDOW
			})
		},
		"pending rotation expires beyond the rotation window",
	);
}

#[test]
fn try_state_detects_a_notice_beyond_the_notice_period() {
	// A notice that never ends would freeze the citizen's deals for good.
	assert_detected(
		|| {
			PendingRotations::<Test>::mutate(20, |p| {
				p.as_mut().expect("the rotation is pending").notice_ends = Some(2 + ROTATION_NOTICE)
			})
		},
		"pending rotation's notice ends beyond the notice period",
	);
}

#[test]
fn try_state_detects_a_rotation_account_without_its_reference() {
	assert_detected(
		|| {
			frame_system::Pallet::<Test>::dec_sufficients(&20);
		},
		"rotation account without a sufficient reference",
	);
}

#[test]
fn try_state_detects_an_entity_id_at_the_counter() {
	assert_detected(|| NextEntityId::<Test>::put(0), "entity id not below NextEntityId");
}

#[test]
fn try_state_detects_an_entity_commitment_not_indexed() {
	assert_detected(
		|| edit_entity(|r| r.commitment = commitment(60)),
		"entity's commitment not bound to it in EntityByCommitment",
	);
}

#[test]
fn try_state_detects_an_entity_commitment_index_pointing_elsewhere() {
	assert_detected(
		|| EntityByCommitment::<Test>::insert(commitment(60), 0),
		"EntityByCommitment entry without an entity holding that commitment",
	);
}

#[test]
fn try_state_detects_a_representative_never_registered() {
	assert_detected(
		|| edit_entity(|r| r.representatives = reps(&[0, 1, 42])),
		"representative id not below NextCitizenId",
	);
}

#[test]
fn try_state_detects_a_representative_listed_twice() {
	// Removing them once would leave them representing.
	assert_detected(
		|| edit_entity(|r| r.representatives = reps(&[0, 1, 0])),
		"representative listed twice",
	);
}

#[test]
fn try_state_detects_a_credential_about_an_unknown_citizen() {
	assert_detected(
		|| edit_credential(1, |c| c.subject = Subject::Citizen(42)),
		"credential about an unknown subject",
	);
}

#[test]
fn try_state_detects_a_credential_about_an_unknown_entity() {
	assert_detected(
		|| edit_credential(2, |c| c.subject = Subject::Entity(42)),
		"credential about an unknown subject",
	);
}

#[test]
fn try_state_detects_a_credential_under_another_issuer() {
	// It would answer for the university when asked about the medical board.
	assert_detected(
		|| {
			let record = Credentials::<Test>::get(doc(1), UNIVERSITY).expect("issued");
			Credentials::<Test>::insert(doc(1), MEDICAL_BOARD, record);
		},
		"credential stored under another issuer",
	);
}

#[test]
fn try_state_detects_a_credential_expiring_before_issue() {
	assert_detected(
		|| edit_credential(1, |c| c.expires_on = Some(TODAY - 1)),
		"credential expires before its issue day",
	);
}

#[test]
fn a_move_keeps_the_district_before_it_for_the_rolls_fixed_earlier() {
	build_and_execute(|| {
		let id = register(10, 1); // block 1, district 7
		System::set_block_number(4);
		assert_ok!(Registry::update_district(RuntimeOrigin::signed(CIVIL), id, 9));
		let info = <Registry as CitizenRegistry<u64, u64>>::citizen(id).unwrap();
		assert_eq!((info.district, info.district_since), (9, 4));
		assert_eq!(info.previous_district, Some((7, 1)));
		// A roll fixed before registration has nobody; before the move, district 7; from
		// the move's block on, district 9.
		assert_eq!(info.district_at(0), None);
		assert_eq!(info.district_at(3), Some(7));
		assert_eq!(info.district_at(4), Some(9));
		// A second move forgets 7: a roll fixed at block 3 no longer knows where they were.
		System::set_block_number(6);
		assert_ok!(Registry::update_district(RuntimeOrigin::signed(CIVIL), id, 8));
		let info = <Registry as CitizenRegistry<u64, u64>>::citizen(id).unwrap();
		assert_eq!(info.district_at(3), None);
		assert_eq!(info.district_at(5), Some(9));
		assert_eq!(info.district_at(6), Some(8));
		assert_ok!(Registry::do_try_state());
	});
}

#[test]
fn try_state_detects_a_district_history_out_of_order() {
	assert_detected(
		|| edit_citizen(0, |r| r.previous_district = Some((3, r.district_since + 1))),
		"citizen's district history out of order",
	);
}
