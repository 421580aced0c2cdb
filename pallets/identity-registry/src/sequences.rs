//! Random sequences of the registry's acts, from any of its authorities or a stranger, with
//! the clock moving between them: the cases nobody wrote a test for. After every step the
//! storage invariants (`do_try_state`) hold, and a refused act changed nothing.

use crate::{mock::*, *};
use egov_primitives::{
	CitizenId, CredentialKind, EntityId, Majority, RevocationReason, Role, Subject,
};
use polkadot_sdk::{
	frame_support::BoundedVec,
	sp_core::H256,
	sp_io,
	sp_runtime::{traits::Dispatchable, StateVersion},
};
use proptest::prelude::*;

/// Accounts an act may come from or name: the mock's authorities, citizens-to-be, strangers.
const ACCOUNTS: [u64; 10] = [CIVIL, BUSINESS, UNIVERSITY, COURT, NOBODY, 10, 11, 12, 13, 14];

#[derive(Clone, Debug)]
enum Action {
	Register {
		by: u64,
		account: u64,
		commitment: u8,
		district: u32,
		adult: bool,
	},
	UpdateDistrict {
		by: u64,
		citizen: CitizenId,
		district: u32,
	},
	UpdateCommitment {
		by: u64,
		citizen: CitizenId,
		commitment: u8,
	},
	Suspend {
		by: u64,
		citizen: CitizenId,
	},
	Restore {
		by: u64,
		citizen: CitizenId,
	},
	RecordDeath {
		by: u64,
		citizen: CitizenId,
	},
	Remove {
		by: u64,
		citizen: CitizenId,
	},
	RecordMajority {
		by: u64,
		citizens: Vec<CitizenId>,
		from: u32,
	},
	InitiateRotation {
		by: u64,
		citizen: CitizenId,
		new_account: u64,
	},
	CancelRotation {
		by: u64,
		citizen: CitizenId,
	},
	AcceptRotation {
		by: u64,
	},
	CompleteRotation {
		by: u64,
	},
	ObjectToRotation {
		by: u64,
	},
	ConfirmRotation {
		by: u64,
		citizen: CitizenId,
	},
	RegisterEntity {
		by: u64,
		commitment: u8,
		representatives: Vec<CitizenId>,
	},
	SetEntityStatus {
		by: u64,
		entity: EntityId,
		status: u8,
	},
	AddRepresentative {
		by: u64,
		entity: EntityId,
		citizen: CitizenId,
	},
	RemoveRepresentative {
		by: u64,
		entity: EntityId,
		citizen: CitizenId,
	},
	IssueCredential {
		by: u64,
		document: u8,
		subject: Subject,
		kind: u8,
		back: u32,
		days: Option<u32>,
	},
	RevokeCredential {
		by: u64,
		document: u8,
		issuer: u64,
	},
	Appoint {
		root: bool,
		who: u64,
		role: u8,
	},
	RemoveAuthority {
		root: bool,
		who: u64,
		role: u8,
	},
	/// Blocks pass (rotation windows and notices run out) and days pass (credentials expire).
	Wait {
		blocks: u64,
		days: u32,
	},
}

fn account() -> impl Strategy<Value = u64> {
	proptest::sample::select(ACCOUNTS.to_vec())
}

fn citizen() -> impl Strategy<Value = CitizenId> {
	0..6u64
}

fn action() -> impl Strategy<Value = Action> {
	prop_oneof![
		// Registrations mostly by the civil registry, so that the rest has citizens to act on.
		4 => (prop_oneof![4 => Just(CIVIL), 1 => account()], account(), 0..8u8, 1..3u32, any::<bool>())
			.prop_map(|(by, account, commitment, district, adult)| Action::Register { by, account, commitment, district, adult }),
		1 => (account(), citizen(), 1..3u32).prop_map(|(by, citizen, district)| Action::UpdateDistrict { by, citizen, district }),
		1 => (account(), citizen(), 0..8u8).prop_map(|(by, citizen, commitment)| Action::UpdateCommitment { by, citizen, commitment }),
		1 => (account(), citizen()).prop_map(|(by, citizen)| Action::Suspend { by, citizen }),
		1 => (account(), citizen()).prop_map(|(by, citizen)| Action::Restore { by, citizen }),
		1 => (account(), citizen()).prop_map(|(by, citizen)| Action::RecordDeath { by, citizen }),
		1 => (account(), citizen()).prop_map(|(by, citizen)| Action::Remove { by, citizen }),
		1 => (account(), proptest::collection::vec(citizen(), 0..4), prop_oneof![Just(u32::MAX), TODAY - 5..TODAY + 5])
			.prop_map(|(by, citizens, from)| Action::RecordMajority { by, citizens, from }),
		2 => (account(), citizen(), account()).prop_map(|(by, citizen, new_account)| Action::InitiateRotation { by, citizen, new_account }),
		1 => (account(), citizen()).prop_map(|(by, citizen)| Action::CancelRotation { by, citizen }),
		2 => account().prop_map(|by| Action::AcceptRotation { by }),
		2 => account().prop_map(|by| Action::CompleteRotation { by }),
		1 => account().prop_map(|by| Action::ObjectToRotation { by }),
		1 => (account(), citizen()).prop_map(|(by, citizen)| Action::ConfirmRotation { by, citizen }),
		1 => (account(), 0..4u8, proptest::collection::vec(citizen(), 0..4))
			.prop_map(|(by, commitment, representatives)| Action::RegisterEntity { by, commitment, representatives }),
		1 => (account(), 0..3u64, 0..3u8).prop_map(|(by, entity, status)| Action::SetEntityStatus { by, entity, status }),
		1 => (account(), 0..3u64, citizen()).prop_map(|(by, entity, citizen)| Action::AddRepresentative { by, entity, citizen }),
		1 => (account(), 0..3u64, citizen()).prop_map(|(by, entity, citizen)| Action::RemoveRepresentative { by, entity, citizen }),
		2 => (
			account(),
			0..4u8,
			prop_oneof![citizen().prop_map(Subject::Citizen), (0..3u64).prop_map(Subject::Entity)],
			0..3u8,
			0..3u32,
			proptest::option::of(0..4u32),
		)
			.prop_map(|(by, document, subject, kind, back, days)| Action::IssueCredential { by, document, subject, kind, back, days }),
		1 => (account(), 0..4u8, account()).prop_map(|(by, document, issuer)| Action::RevokeCredential { by, document, issuer }),
		1 => (any::<bool>(), account(), 0..8u8).prop_map(|(root, who, role)| Action::Appoint { root, who, role }),
		1 => (any::<bool>(), account(), 0..8u8).prop_map(|(root, who, role)| Action::RemoveAuthority { root, who, role }),
		2 => (0..8u64, 0..3u32).prop_map(|(blocks, days)| Action::Wait { blocks, days }),
	]
}

fn hash(n: u8) -> H256 {
	H256::repeat_byte(n.wrapping_add(1))
}

fn role(n: u8) -> Role {
	[
		Role::CivilRegistry,
		Role::BusinessRegistry,
		Role::CredentialIssuer,
		Role::LandRegistry,
		Role::Notary,
		Role::Court,
		Role::ElectionCommission,
		Role::ElectionTrustee,
	][usize::from(n) % 8]
}

fn kind(n: u8) -> CredentialKind {
	[CredentialKind::Diploma, CredentialKind::ProfessionalLicence, CredentialKind::Permit]
		[usize::from(n) % 3]
}

/// The call an action makes and who signs it (`None`: the governance origin, root here).
fn call_of(action: &Action) -> (Option<u64>, Call<Test>) {
	use Action::*;
	match action.clone() {
		Register { by, account, commitment, district, adult } => (
			Some(by),
			Call::register_citizen {
				account,
				commitment: hash(commitment),
				district,
				majority: if adult { Majority::Adult } else { Majority::Minor },
			},
		),
		UpdateDistrict { by, citizen, district } => {
			(Some(by), Call::update_district { citizen, district })
		},
		UpdateCommitment { by, citizen, commitment } => {
			(Some(by), Call::update_commitment { citizen, commitment: hash(commitment) })
		},
		Suspend { by, citizen } => (Some(by), Call::suspend_citizen { citizen }),
		Restore { by, citizen } => (Some(by), Call::restore_citizen { citizen }),
		RecordDeath { by, citizen } => (Some(by), Call::record_death { citizen }),
		Remove { by, citizen } => (Some(by), Call::remove_citizen { citizen }),
		RecordMajority { by, citizens, from } => (
			Some(by),
			Call::record_majority { citizens: BoundedVec::truncate_from(citizens), from },
		),
		InitiateRotation { by, citizen, new_account } => {
			(Some(by), Call::initiate_account_rotation { citizen, new_account })
		},
		CancelRotation { by, citizen } => (Some(by), Call::cancel_account_rotation { citizen }),
		AcceptRotation { by } => (Some(by), Call::accept_account_rotation {}),
		CompleteRotation { by } => (Some(by), Call::complete_account_rotation {}),
		ObjectToRotation { by } => (Some(by), Call::object_to_account_rotation {}),
		ConfirmRotation { by, citizen } => (Some(by), Call::confirm_account_rotation { citizen }),
		RegisterEntity { by, commitment, representatives } => (
			Some(by),
			Call::register_entity {
				commitment: hash(commitment),
				representatives: BoundedVec::truncate_from(representatives),
			},
		),
		SetEntityStatus { by, entity, status } => (
			Some(by),
			Call::set_entity_status {
				entity,
				status: [EntityStatus::Active, EntityStatus::Suspended, EntityStatus::Dissolved]
					[usize::from(status) % 3],
			},
		),
		AddRepresentative { by, entity, citizen } => {
			(Some(by), Call::add_representative { entity, citizen })
		},
		RemoveRepresentative { by, entity, citizen } => {
			(Some(by), Call::remove_representative { entity, citizen })
		},
		IssueCredential { by, document, subject, kind: k, back, days } => {
			let today = Pallet::<Test>::today();
			(
				Some(by),
				Call::issue_credential {
					document_hash: hash(document),
					subject,
					kind: kind(k),
					issued_on: today.saturating_sub(back),
					expires_on: days.map(|d| today.saturating_sub(back).saturating_add(d)),
				},
			)
		},
		RevokeCredential { by, document, issuer } => (
			Some(by),
			Call::revoke_credential {
				document_hash: hash(document),
				issuer,
				reason: RevocationReason::Fraud,
			},
		),
		Appoint { root, who, role: r } => {
			let kinds = if role(r) == Role::CredentialIssuer {
				kinds(&[CredentialKind::Permit])
			} else {
				kinds(&[])
			};
			(
				(!root).then_some(who),
				Call::appoint_authority { who, role: role(r), credential_kinds: kinds },
			)
		},
		RemoveAuthority { root, who, role: r } => {
			((!root).then_some(who), Call::remove_authority { who, role: role(r) })
		},
		Wait { .. } => unreachable!("not a call"),
	}
}

fn storage_root() -> Vec<u8> {
	sp_io::storage::root(StateVersion::V1)
}

proptest! {
	#![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

	/// The registry's invariants survive any order of acts by anyone, and an act the
	/// registry refuses leaves no trace (not a half-registered citizen, not a stray index).
	#[test]
	fn any_sequence_of_registry_acts_keeps_the_invariants_and_refusals_change_nothing(
		actions in proptest::collection::vec(action(), 1..48)
	) {
		new_test_ext().execute_with(|| {
			let mut succeeded = 0;
			for (step, action) in actions.iter().enumerate() {
				if let Action::Wait { blocks, days } = action {
					System::set_block_number(System::block_number() + blocks);
					set_today(Pallet::<Test>::today() + days);
				} else {
					let (signer, call) = call_of(action);
					let origin = match signer {
						Some(who) => RuntimeOrigin::signed(who),
						None => RuntimeOrigin::root(),
					};
					let before = storage_root();
					match RuntimeCall::Registry(call).dispatch(origin) {
						Ok(_) => succeeded += 1,
						Err(e) => prop_assert_eq!(
							storage_root(),
							before,
							"step {} {:?} was refused ({:?}) but changed the state",
							step,
							action,
							e.error
						),
					}
				}
				if let Err(e) = Pallet::<Test>::do_try_state() {
					prop_assert!(false, "after step {} {:?}: {:?}", step, action, e);
				}
			}
			// Not a property of the chain: a guard that the generator still reaches the
			// pallet's logic (if nothing ever succeeded, the test would prove little).
			prop_assume!(succeeded > 0);
			Ok(())
		})?;
	}
}
