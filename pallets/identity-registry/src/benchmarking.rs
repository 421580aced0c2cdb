//! Benchmarks of the identity registry (FRAME benchmarking v2). Each measures the worst
//! case of its call: the most credential kinds, the fullest list of representatives.

use super::*;
use alloc::vec;
use egov_primitives::{CitizenStatus, Commitment, CredentialKind, RevocationReason, Role, Subject};
use polkadot_sdk::{
	frame_benchmarking::v2::*,
	frame_support::{
		traits::{EnsureOrigin, Get},
		BoundedVec,
	},
	frame_system::{self, RawOrigin},
	sp_core::H256,
};

fn authority<T: Config>(role: Role, index: u32) -> T::AccountId {
	let who: T::AccountId = account("authority", index, 0);
	let credential_kinds = if role == Role::CredentialIssuer {
		BoundedVec::truncate_from(vec![CredentialKind::Diploma])
	} else {
		Default::default()
	};
	AuthorityRoles::<T>::insert(
		&who,
		role,
		AuthorityRecord {
			appointed_at: frame_system::Pallet::<T>::block_number(),
			credential_kinds,
		},
	);
	who
}

fn commitment(n: u32) -> Commitment {
	let mut bytes = [0u8; 32];
	bytes[28..].copy_from_slice(&n.saturating_add(1).to_be_bytes());
	H256(bytes)
}

/// Registers a citizen through the call itself, so every index is in place.
fn citizen<T: Config>(n: u32) -> Result<(CitizenId, T::AccountId), BenchmarkError> {
	let registry = authority::<T>(Role::CivilRegistry, 1_000);
	let who: T::AccountId = account("citizen", n, 0);
	let id = NextCitizenId::<T>::get();
	Pallet::<T>::register_citizen(
		RawOrigin::Signed(registry).into(),
		who.clone(),
		commitment(n),
		1,
		Majority::Adult,
	)?;
	Ok((id, who))
}

/// A citizen's rotation to a new account, accepted by it: its notice period running.
fn accepted_rotation<T: Config>() -> Result<T::AccountId, BenchmarkError> {
	let (id, _) = citizen::<T>(0)?;
	let registry = authority::<T>(Role::CivilRegistry, 0);
	let new: T::AccountId = account("new", 0, 0);
	Pallet::<T>::initiate_account_rotation(RawOrigin::Signed(registry).into(), id, new.clone())?;
	Pallet::<T>::accept_account_rotation(RawOrigin::Signed(new.clone()).into())?;
	Ok(new)
}

/// An entity with the most representatives allowed (or `reps` of them).
fn entity<T: Config>(reps: u32) -> Result<EntityId, BenchmarkError> {
	let registry = authority::<T>(Role::BusinessRegistry, 1_001);
	let mut ids: Vec<CitizenId> = Vec::new();
	for i in 0..reps {
		ids.push(citizen::<T>(10_000 + i)?.0);
	}
	let id = NextEntityId::<T>::get();
	Pallet::<T>::register_entity(
		RawOrigin::Signed(registry).into(),
		commitment(900_000),
		BoundedVec::truncate_from(ids),
	)?;
	Ok(id)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn appoint_authority(
		k: Linear<1, { T::MaxCredentialKinds::get() }>,
	) -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let who: T::AccountId = account("issuer", 0, 0);
		let kinds: Vec<CredentialKind> = (0..k).map(|i| CredentialKind::Other(i as u16)).collect();
		let kinds = BoundedVec::truncate_from(kinds);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone(), Role::CredentialIssuer, kinds);

		assert!(AuthorityRoles::<T>::contains_key(&who, Role::CredentialIssuer));
		Ok(())
	}

	#[benchmark]
	fn remove_authority() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let who = authority::<T>(Role::Court, 0);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone(), Role::Court);

		assert!(!AuthorityRoles::<T>::contains_key(&who, Role::Court));
		Ok(())
	}

	#[benchmark]
	fn register_citizen() {
		let registry = authority::<T>(Role::CivilRegistry, 0);
		let who: T::AccountId = account("citizen", 0, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(registry), who.clone(), commitment(0), 3, Majority::Minor);

		assert!(CitizenOf::<T>::contains_key(&who));
	}

	#[benchmark]
	fn record_majority(n: Linear<1, MAX_MAJORITY_BATCH>) -> Result<(), BenchmarkError> {
		let registry = authority::<T>(Role::CivilRegistry, 0);
		let mut minors = alloc::vec::Vec::new();
		for i in 0..n {
			let who: T::AccountId = account("minor", i, 0);
			minors.push(NextCitizenId::<T>::get());
			Pallet::<T>::register_citizen(
				RawOrigin::Signed(registry.clone()).into(),
				who,
				commitment(10_000 + i),
				1,
				Majority::Minor,
			)?;
		}
		let batch = BoundedVec::truncate_from(minors.clone());

		#[extrinsic_call]
		_(RawOrigin::Signed(registry), batch, 20_000);

		assert!(minors
			.iter()
			.all(|id| Citizens::<T>::get(id).is_some_and(|r| r.adult_from == 20_000)));
		Ok(())
	}

	#[benchmark]
	fn update_district() -> Result<(), BenchmarkError> {
		let (id, _) = citizen::<T>(0)?;
		let registry = authority::<T>(Role::CivilRegistry, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(registry), id, 2);

		assert_eq!(Citizens::<T>::get(id).map(|r| r.district), Some(2));
		Ok(())
	}

	#[benchmark]
	fn update_commitment() -> Result<(), BenchmarkError> {
		let (id, _) = citizen::<T>(0)?;
		let registry = authority::<T>(Role::CivilRegistry, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(registry), id, commitment(77));

		assert_eq!(CitizenByCommitment::<T>::get(commitment(77)), Some(id));
		Ok(())
	}

	#[benchmark]
	fn suspend_citizen() -> Result<(), BenchmarkError> {
		let (id, _) = citizen::<T>(0)?;
		let registry = authority::<T>(Role::CivilRegistry, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(registry), id);

		assert_eq!(Citizens::<T>::get(id).map(|r| r.status), Some(CitizenStatus::Suspended));
		Ok(())
	}

	#[benchmark]
	fn restore_citizen() -> Result<(), BenchmarkError> {
		let (id, _) = citizen::<T>(0)?;
		let registry = authority::<T>(Role::CivilRegistry, 0);
		Citizens::<T>::mutate(id, |r| {
			if let Some(r) = r {
				r.status = CitizenStatus::Suspended
			}
		});

		#[extrinsic_call]
		_(RawOrigin::Signed(registry), id);

		assert_eq!(Citizens::<T>::get(id).map(|r| r.status), Some(CitizenStatus::Active));
		Ok(())
	}

	#[benchmark]
	fn record_death() -> Result<(), BenchmarkError> {
		// Worst case: a pending rotation must be cancelled too.
		let (id, _) = citizen::<T>(0)?;
		let registry = authority::<T>(Role::CivilRegistry, 0);
		let new: T::AccountId = account("new", 0, 0);
		Pallet::<T>::initiate_account_rotation(
			RawOrigin::Signed(registry.clone()).into(),
			id,
			new,
		)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(registry), id);

		assert_eq!(Citizens::<T>::get(id).map(|r| r.status), Some(CitizenStatus::Deceased));
		Ok(())
	}

	#[benchmark]
	fn initiate_account_rotation() -> Result<(), BenchmarkError> {
		// Worst case: a previous pending rotation is replaced.
		let (id, _) = citizen::<T>(0)?;
		let registry = authority::<T>(Role::CivilRegistry, 0);
		let first: T::AccountId = account("new", 0, 0);
		Pallet::<T>::initiate_account_rotation(
			RawOrigin::Signed(registry.clone()).into(),
			id,
			first,
		)?;
		let new: T::AccountId = account("new", 1, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(registry), id, new.clone());

		assert!(PendingRotations::<T>::contains_key(&new));
		Ok(())
	}

	#[benchmark]
	fn cancel_account_rotation() -> Result<(), BenchmarkError> {
		let (id, _) = citizen::<T>(0)?;
		let registry = authority::<T>(Role::CivilRegistry, 0);
		let new: T::AccountId = account("new", 0, 0);
		Pallet::<T>::initiate_account_rotation(
			RawOrigin::Signed(registry.clone()).into(),
			id,
			new.clone(),
		)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(registry), id);

		assert!(!PendingRotations::<T>::contains_key(&new));
		Ok(())
	}

	#[benchmark]
	fn accept_account_rotation() -> Result<(), BenchmarkError> {
		let (id, _) = citizen::<T>(0)?;
		let registry = authority::<T>(Role::CivilRegistry, 0);
		let new: T::AccountId = account("new", 0, 0);
		Pallet::<T>::initiate_account_rotation(
			RawOrigin::Signed(registry).into(),
			id,
			new.clone(),
		)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(new.clone()));

		assert!(PendingRotations::<T>::get(&new).is_some_and(|p| p.notice_ends.is_some()));
		Ok(())
	}

	#[benchmark]
	fn complete_account_rotation() -> Result<(), BenchmarkError> {
		let new = accepted_rotation::<T>()?;
		let notice_ends = PendingRotations::<T>::get(&new)
			.and_then(|p| p.notice_ends)
			.ok_or(BenchmarkError::Stop("rotation not accepted"))?;
		frame_system::Pallet::<T>::set_block_number(notice_ends + 1u32.into());

		#[extrinsic_call]
		_(RawOrigin::Signed(new.clone()));

		assert!(CitizenOf::<T>::contains_key(&new));
		Ok(())
	}

	#[benchmark]
	fn object_to_account_rotation() -> Result<(), BenchmarkError> {
		let new = accepted_rotation::<T>()?;
		let id = PendingRotations::<T>::get(&new).map(|p| p.citizen).unwrap_or_default();
		let old = Citizens::<T>::get(id)
			.map(|r| r.account)
			.ok_or(BenchmarkError::Stop("no citizen"))?;

		#[extrinsic_call]
		_(RawOrigin::Signed(old));

		assert!(PendingRotations::<T>::get(&new).is_some_and(|p| p.objected));
		Ok(())
	}

	#[benchmark]
	fn confirm_account_rotation() -> Result<(), BenchmarkError> {
		let new = accepted_rotation::<T>()?;
		let id = PendingRotations::<T>::get(&new).map(|p| p.citizen).unwrap_or_default();
		let court = authority::<T>(Role::Court, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(court), id);

		assert_eq!(CitizenOf::<T>::get(&new), Some(id));
		Ok(())
	}

	#[benchmark]
	fn remove_citizen() -> Result<(), BenchmarkError> {
		let (id, _) = citizen::<T>(0)?;
		let registry = authority::<T>(Role::CivilRegistry, 0);
		let new: T::AccountId = account("new", 0, 0);
		Pallet::<T>::initiate_account_rotation(
			RawOrigin::Signed(registry.clone()).into(),
			id,
			new,
		)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(registry), id);

		assert!(!Citizens::<T>::contains_key(id));
		Ok(())
	}

	#[benchmark]
	fn register_entity(
		r: Linear<0, { T::MaxRepresentatives::get() }>,
	) -> Result<(), BenchmarkError> {
		let mut ids: Vec<CitizenId> = Vec::new();
		for i in 0..r {
			ids.push(citizen::<T>(i)?.0);
		}
		let registry = authority::<T>(Role::BusinessRegistry, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(registry), commitment(500), BoundedVec::truncate_from(ids));

		assert!(EntityByCommitment::<T>::contains_key(commitment(500)));
		Ok(())
	}

	#[benchmark]
	fn set_entity_status() -> Result<(), BenchmarkError> {
		let id = entity::<T>(T::MaxRepresentatives::get())?;
		let registry = authority::<T>(Role::BusinessRegistry, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(registry), id, EntityStatus::Suspended);

		assert_eq!(Entities::<T>::get(id).map(|e| e.status), Some(EntityStatus::Suspended));
		Ok(())
	}

	#[benchmark]
	fn add_representative() -> Result<(), BenchmarkError> {
		let id = entity::<T>(T::MaxRepresentatives::get().saturating_sub(1))?;
		let (citizen, _) = citizen::<T>(0)?;
		let registry = authority::<T>(Role::BusinessRegistry, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(registry), id, citizen);

		assert!(Entities::<T>::get(id).is_some_and(|e| e.representatives.contains(&citizen)));
		Ok(())
	}

	#[benchmark]
	fn remove_representative() -> Result<(), BenchmarkError> {
		let id = entity::<T>(T::MaxRepresentatives::get())?;
		let last = Entities::<T>::get(id)
			.and_then(|e| e.representatives.last().copied())
			.unwrap_or_default();
		let registry = authority::<T>(Role::BusinessRegistry, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(registry), id, last);

		assert!(Entities::<T>::get(id).is_some_and(|e| !e.representatives.contains(&last)));
		Ok(())
	}

	#[benchmark]
	fn issue_credential() -> Result<(), BenchmarkError> {
		let (id, _) = citizen::<T>(0)?;
		let issuer: T::AccountId = account("issuer", 0, 0);
		// Worst case: the issuer's scope is full and the kind is its last.
		let kinds: Vec<CredentialKind> = (0..T::MaxCredentialKinds::get())
			.map(|i| CredentialKind::Other(i as u16))
			.collect();
		let kind = kinds.last().copied().unwrap_or(CredentialKind::Diploma);
		AuthorityRoles::<T>::insert(
			&issuer,
			Role::CredentialIssuer,
			AuthorityRecord {
				appointed_at: 0u32.into(),
				credential_kinds: BoundedVec::truncate_from(kinds),
			},
		);
		let document = H256::repeat_byte(7);

		#[extrinsic_call]
		_(RawOrigin::Signed(issuer.clone()), document, Subject::Citizen(id), kind, 0, Some(100));

		assert!(Credentials::<T>::contains_key(document, &issuer));
		Ok(())
	}

	#[benchmark]
	fn revoke_credential() -> Result<(), BenchmarkError> {
		let (id, _) = citizen::<T>(0)?;
		let issuer = authority::<T>(Role::CredentialIssuer, 0);
		let document = H256::repeat_byte(7);
		Pallet::<T>::issue_credential(
			RawOrigin::Signed(issuer.clone()).into(),
			document,
			Subject::Citizen(id),
			CredentialKind::Diploma,
			0,
			None,
		)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(issuer.clone()), document, issuer.clone(), RevocationReason::Fraud);

		assert!(Credentials::<T>::get(document, &issuer).is_some_and(|c| c.revoked.is_some()));
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
