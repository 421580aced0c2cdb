//! # Identity Registry Pallet
//!
//! The registry every other egov-chain pallet trusts: who is a citizen, who may act for a
//! company, who is an authority, and which documents are valid.
//!
//! ## Overview
//!
//! - **Authorities.** The council of ministries ([`Config::GovernanceOrigin`]) appoints
//!   accounts to scoped [`Role`]s: civil registry, business registry, credential issuer
//!   (limited to the [`CredentialKind`]s it was appointed for), land registry, notary,
//!   court, election commission, election trustee. Other pallets check roles through
//!   [`egov_primitives::Authorities`] / [`egov_primitives::EnsureRole`], never through
//!   this pallet's storage.
//! - **Citizens.** The civil registry binds an account to a salted hash commitment of the
//!   off-chain civil record. No names, ID numbers, addresses or dates of birth are stored:
//!   only the status, the district of residence (with the one before the last move, which
//!   frozen electoral rolls read) and whether the citizen is an adult: registered as one, or
//!   from the day of a batch in which the civil registry recorded the majority of minors
//!   ([`Pallet::record_majority`]), so a birth date is placed only between two batches. One
//!   record per person: a commitment can be registered once. Each citizen has a stable
//!   [`CitizenId`]; everything else refers to that id, so rotating the citizen's key
//!   (recovery after in-person verification) keeps every reference intact.
//! - **Key rotation.** The civil registry starts it; the new key accepts; a notice period
//!   ([`Config::RotationNotice`]) follows in which the old key may object. Unopposed, the
//!   new key completes it after the notice; a court confirms it at any time (a stolen key
//!   objects too) or cancels it. From acceptance to completion the citizen counts as
//!   rotating ([`egov_primitives::CitizenRegistry::is_rotating`]): the property pallets
//!   freeze the citizen's deals. Payments to an account the citizen signed with before go
//!   to the current one ([`egov_primitives::CitizenRegistry::current_account`]).
//! - **Legal entities.** The business registry registers companies (commitment, status)
//!   and the citizens who represent them.
//! - **Credentials.** An issuer records a credential (kind, document hash, issue day,
//!   optional expiry) about a citizen or entity and may revoke it with a reason. Anyone
//!   checks a document hash against the issuer it names through the runtime API: valid,
//!   revoked, expired or unknown. Credentials are keyed by document hash *and* issuer, so
//!   an issuer that records a hash first (front-running, squatting) blocks no other issuer
//!   and vouches only for itself.
//!
//! Registering a citizen gives the account a "sufficient" reference, so a citizen with no
//! tokens can still sign the acts the registry asks of them. Those acts are feeless only
//! while the registry's request is pending, so they cannot be used for spam.
//!
//! ### State per citizen (measured, SCALE-encoded, including storage keys)
//!
//! | item | key | value |
//! |---|---|---|
//! | `Citizens` (twox64concat `u64`) | 48 B | 86 B (94 B after a move) |
//! | `CitizenOf` (blake2_128concat `AccountId32`) | 80 B | 8 B |
//! | `CitizenByCommitment` (blake2_128concat `H256`) | 80 B | 8 B |
//! | total in this pallet | | **310 B** |
//!
//! plus `System::Account` for the citizen's account (80 B key, 80 B value), which exists
//! for every account that transacts. The runtime test `state_per_citizen_is_310_bytes` asserts the
//! figure (with 32-byte accounts). No call iterates over citizens, entities or credentials: every call touches a
//! constant number of entries (bounded by `MaxRepresentatives`/`MaxCredentialKinds`), so
//! its cost is the same with ten or ten million citizens.
//!
//! ## Interface
//!
//! ### For the council of ministries ([`Config::GovernanceOrigin`])
//! - [`Pallet::appoint_authority`], [`Pallet::remove_authority`]
//!
//! ### For the civil registry ([`Role::CivilRegistry`])
//! - [`Pallet::register_citizen`], [`Pallet::record_majority`], [`Pallet::update_district`],
//!   [`Pallet::update_commitment`], [`Pallet::suspend_citizen`], [`Pallet::restore_citizen`],
//!   [`Pallet::record_death`], [`Pallet::initiate_account_rotation`],
//!   [`Pallet::cancel_account_rotation`], [`Pallet::remove_citizen`]
//!
//! ### For courts ([`Role::Court`])
//! - [`Pallet::confirm_account_rotation`], [`Pallet::cancel_account_rotation`]
//!
//! ### For citizens
//! - [`Pallet::accept_account_rotation`], [`Pallet::complete_account_rotation`] (with the
//!   new key, feeless while they can succeed), [`Pallet::object_to_account_rotation`]
//!   (with the current key)
//!
//! ### For the business registry ([`Role::BusinessRegistry`])
//! - [`Pallet::register_entity`], [`Pallet::set_entity_status`],
//!   [`Pallet::add_representative`], [`Pallet::remove_representative`]
//!
//! ### For credential issuers ([`Role::CredentialIssuer`])
//! - [`Pallet::issue_credential`], [`Pallet::revoke_credential`]
//!
//! ### For everyone (runtime API, see [`egov_primitives::runtime_api`])
//! - citizen and eligibility queries, entity representatives, credential status by hash.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod sequences;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

use alloc::vec::Vec;
use egov_primitives::{
	day_of_millis,
	runtime_api::{CitizenView, CredentialStatus, Eligibility, EntityView},
	Authorities, CitizenId, CitizenInfo, CitizenRegistry, CitizenStatus, Commitment,
	CredentialKind, Day, DistrictId, EntityId, Majority, RevocationReason, Role, Subject,
	ADULT_AT_REGISTRATION, MAJORITY_NOT_RECORDED,
};
pub use pallet::*;
#[cfg(any(feature = "try-runtime", test))]
use polkadot_sdk::{frame_support::ensure, sp_runtime::TryRuntimeError};
use polkadot_sdk::{
	frame_support::{self, traits::UnixTime},
	frame_system::{self, pallet_prelude::BlockNumberFor},
	sp_core::H256,
	sp_runtime::Saturating,
};
pub use types::*;
pub use weights::WeightInfo;

/// Most minors one [`Pallet::record_majority`] batch names.
pub const MAX_MAJORITY_BATCH: u32 = 500;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>>
			+ IsType<<Self as polkadot_sdk::frame_system::Config>::RuntimeEvent>;

		/// Appoints and removes authorities: the council of ministries.
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Wall-clock time, for the day on which credentials are issued, revoked, expire.
		type UnixTime: UnixTime;

		/// Most credential kinds one issuer may be appointed for.
		#[pallet::constant]
		type MaxCredentialKinds: Get<u32>;

		/// Most representatives one legal entity may have.
		#[pallet::constant]
		type MaxRepresentatives: Get<u32>;

		/// Blocks during which a citizen may accept a key rotation with the new key.
		#[pallet::constant]
		type RotationWindow: Get<BlockNumberFor<Self>>;

		/// Blocks after the new key's acceptance during which the old key may object; the
		/// rotation completes only after them (or by a court's confirmation).
		#[pallet::constant]
		type RotationNotice: Get<BlockNumberFor<Self>>;

		/// Weights of this pallet's calls, generated by its benchmarks.
		type WeightInfo: WeightInfo;
	}

	/// The authority record of an account for a role.
	///
	/// TWOX-NOTE: `Role` is a small enum chosen by governance, not by users.
	#[pallet::storage]
	pub type AuthorityRoles<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Twox64Concat,
		Role,
		AuthorityRecord<BlockNumberFor<T>, T::MaxCredentialKinds>,
	>;

	/// The id the next registered citizen gets.
	#[pallet::storage]
	pub type NextCitizenId<T> = StorageValue<_, CitizenId, ValueQuery>;

	/// Citizens by stable id.
	///
	/// TWOX-NOTE: ids are assigned sequentially by this pallet, not chosen by users.
	#[pallet::storage]
	pub type Citizens<T: Config> =
		StorageMap<_, Twox64Concat, CitizenId, CitizenRecord<T::AccountId, BlockNumberFor<T>>>;

	/// The citizen an account is bound to.
	#[pallet::storage]
	pub type CitizenOf<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, CitizenId>;

	/// The citizen a civil-record commitment is bound to: one record per person.
	#[pallet::storage]
	pub type CitizenByCommitment<T> = StorageMap<_, Blake2_128Concat, Commitment, CitizenId>;

	/// Pending key rotations, by the new account that must accept them.
	#[pallet::storage]
	pub type PendingRotations<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, PendingRotation<BlockNumberFor<T>>>;

	/// The new account of a citizen's pending rotation (at most one per citizen).
	///
	/// TWOX-NOTE: sequential ids.
	#[pallet::storage]
	pub type RotationOf<T: Config> = StorageMap<_, Twox64Concat, CitizenId, T::AccountId>;

	/// The citizen an account belonged to before a rotation: payments addressed to it go
	/// to the citizen's current account (a recovered key does not keep paying a thief).
	#[pallet::storage]
	pub type FormerCitizenOf<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, CitizenId>;

	/// The id the next registered legal entity gets.
	#[pallet::storage]
	pub type NextEntityId<T> = StorageValue<_, EntityId, ValueQuery>;

	/// Legal entities by stable id.
	///
	/// TWOX-NOTE: sequential ids.
	#[pallet::storage]
	pub type Entities<T: Config> = StorageMap<
		_,
		Twox64Concat,
		EntityId,
		EntityRecord<BlockNumberFor<T>, T::MaxRepresentatives>,
	>;

	/// The entity a filing commitment is bound to.
	#[pallet::storage]
	pub type EntityByCommitment<T> = StorageMap<_, Blake2_128Concat, Commitment, EntityId>;

	/// Credentials by the hash of their document and their issuer: each issuer answers only
	/// for its own record of a document.
	#[pallet::storage]
	pub type Credentials<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		H256,
		Blake2_128Concat,
		T::AccountId,
		CredentialRecord<T::AccountId>,
	>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// The council appointed an authority.
		AuthorityAppointed { who: T::AccountId, role: Role, credential_kinds: Vec<CredentialKind> },
		/// The council removed an authority.
		AuthorityRemoved { who: T::AccountId, role: Role },
		/// A citizen was registered.
		CitizenRegistered { citizen: CitizenId, account: T::AccountId, district: DistrictId },
		/// A citizen moved to another district.
		DistrictUpdated { citizen: CitizenId, district: DistrictId },
		/// The civil record was corrected; its commitment changed.
		CommitmentUpdated { citizen: CitizenId, commitment: Commitment },
		/// A citizen was suspended.
		CitizenSuspended { citizen: CitizenId },
		/// A suspended citizen was restored.
		CitizenRestored { citizen: CitizenId },
		/// A citizen's death was recorded.
		CitizenDeceased { citizen: CitizenId },
		/// The civil registry started a key rotation; the new key must accept it.
		AccountRotationInitiated {
			citizen: CitizenId,
			new_account: T::AccountId,
			expires_at: BlockNumberFor<T>,
		},
		/// The new key accepted a rotation; it may complete it after `notice_ends`, and the
		/// old key may object until it does.
		AccountRotationAccepted {
			citizen: CitizenId,
			new_account: T::AccountId,
			notice_ends: BlockNumberFor<T>,
		},
		/// The citizen's current key objected to a rotation: only a court can complete it.
		AccountRotationObjected { citizen: CitizenId, new_account: T::AccountId },
		/// A pending key rotation was cancelled.
		AccountRotationCancelled { citizen: CitizenId, new_account: T::AccountId },
		/// The citizen now signs with `new`; every reference to the citizen is unchanged.
		AccountRotated { citizen: CitizenId, old: T::AccountId, new: T::AccountId },
		/// A citizen record registered in error was removed.
		CitizenRemoved { citizen: CitizenId, account: T::AccountId },
		/// A legal entity was registered.
		EntityRegistered { entity: EntityId, representatives: Vec<CitizenId> },
		/// A legal entity's status changed.
		EntityStatusChanged { entity: EntityId, status: EntityStatus },
		/// A citizen may now act for an entity.
		RepresentativeAdded { entity: EntityId, citizen: CitizenId },
		/// A citizen may no longer act for an entity.
		RepresentativeRemoved { entity: EntityId, citizen: CitizenId },
		/// A credential was issued.
		CredentialIssued {
			document_hash: H256,
			issuer: T::AccountId,
			subject: Subject,
			kind: CredentialKind,
		},
		/// A credential was revoked.
		CredentialRevoked { document_hash: H256, issuer: T::AccountId, reason: RevocationReason },
		/// A minor counts as an adult from the batch's day `from`.
		MajorityRecorded { citizen: CitizenId, from: Day },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The account already holds this role.
		AlreadyAppointed,
		/// The account does not hold this role.
		NotAnAuthority,
		/// Credential kinds are given for credential issuers, and only for them.
		CredentialKindsMismatch,
		/// The same credential kind was listed twice.
		DuplicateCredentialKind,
		/// The account is already bound to a citizen.
		AlreadyACitizen,
		/// This civil-record commitment is already registered: one record per person.
		CommitmentInUse,
		/// No citizen has this id.
		CitizenNotFound,
		/// The citizen is recorded as deceased; the record is closed.
		CitizenDeceased,
		/// Only an active citizen can be suspended.
		CitizenNotActive,
		/// Only a suspended citizen can be restored.
		CitizenNotSuspended,
		/// The new value equals the current one.
		Unchanged,
		/// The account is awaiting a key rotation already.
		RotationPending,
		/// There is no key rotation for this account or citizen.
		NoPendingRotation,
		/// The rotation's acceptance window has passed.
		RotationExpired,
		/// The new key accepted this rotation already.
		RotationAlreadyAccepted,
		/// The new key has not accepted the rotation yet.
		RotationNotAccepted,
		/// The rotation's notice period has not ended.
		RotationNoticeRunning,
		/// The old key objected to the rotation: only a court can complete, cancel or
		/// replace it.
		RotationObjected,
		/// No legal entity has this id.
		EntityNotFound,
		/// This filing commitment is already registered.
		EntityCommitmentInUse,
		/// A representative must be an active citizen.
		RepresentativeNotActive,
		/// The citizen already represents this entity.
		AlreadyARepresentative,
		/// The citizen does not represent this entity.
		NotARepresentative,
		/// The entity has the most representatives allowed.
		TooManyRepresentatives,
		/// A dissolved entity cannot change.
		EntityDissolved,
		/// This issuer recorded a credential with this document hash already.
		CredentialExists,
		/// This issuer recorded no credential with this document hash.
		CredentialNotFound,
		/// The issuer is not appointed for this kind of credential.
		KindNotInScope,
		/// The subject of the credential is not registered.
		SubjectNotFound,
		/// The issue day is after today.
		IssuedInFuture,
		/// The expiry day is before the issue day.
		ExpiryBeforeIssue,
		/// Only the issuer of a credential may revoke it.
		NotTheIssuer,
		/// The credential is revoked already.
		AlreadyRevoked,
		/// An id counter is exhausted.
		IdOverflow,
		/// The citizen's majority is recorded already (registered as an adult, or in an
		/// earlier batch).
		AlreadyAnAdult,
		/// `u32::MAX` is not a day: it marks a majority not yet recorded.
		InvalidMajorityDay,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(
			_n: BlockNumberFor<T>,
		) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Appoint `who` to `role`.
		///
		/// Origin: [`Config::GovernanceOrigin`]. `credential_kinds` must be non-empty for
		/// [`Role::CredentialIssuer`] and empty for every other role.
		///
		/// Emits `AuthorityAppointed`. O(K) in the number of kinds.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::appoint_authority(credential_kinds.len() as u32))]
		pub fn appoint_authority(
			origin: OriginFor<T>,
			who: T::AccountId,
			role: Role,
			credential_kinds: BoundedVec<CredentialKind, T::MaxCredentialKinds>,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			ensure!(!AuthorityRoles::<T>::contains_key(&who, role), Error::<T>::AlreadyAppointed);
			ensure!(
				credential_kinds.is_empty() != (role == Role::CredentialIssuer),
				Error::<T>::CredentialKindsMismatch
			);
			let mut sorted = credential_kinds.clone().into_inner();
			sorted.sort();
			ensure!(sorted.windows(2).all(|w| w[0] != w[1]), Error::<T>::DuplicateCredentialKind);

			let record = AuthorityRecord {
				appointed_at: frame_system::Pallet::<T>::block_number(),
				credential_kinds: credential_kinds.clone(),
			};
			AuthorityRoles::<T>::insert(&who, role, record);
			Self::deposit_event(Event::AuthorityAppointed {
				who,
				role,
				credential_kinds: credential_kinds.into_inner(),
			});
			Ok(())
		}

		/// Remove `who` from `role`. What it did while appointed stays valid.
		///
		/// Origin: [`Config::GovernanceOrigin`]. Emits `AuthorityRemoved`. O(1).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::remove_authority())]
		pub fn remove_authority(
			origin: OriginFor<T>,
			who: T::AccountId,
			role: Role,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			ensure!(AuthorityRoles::<T>::contains_key(&who, role), Error::<T>::NotAnAuthority);
			AuthorityRoles::<T>::remove(&who, role);
			Self::deposit_event(Event::AuthorityRemoved { who, role });
			Ok(())
		}

		/// Register a citizen: bind `account` to the civil record whose salted hash is
		/// `commitment`, residing in `district`, an adult or a minor (`majority`; no date of
		/// birth: a minor's majority is recorded later with [`Pallet::record_majority`]).
		///
		/// Origin: a signed [`Role::CivilRegistry`]. The account gets a sufficient
		/// reference so it can sign civic acts without holding tokens.
		///
		/// Emits `CitizenRegistered`. O(1).
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::register_citizen())]
		pub fn register_citizen(
			origin: OriginFor<T>,
			account: T::AccountId,
			commitment: Commitment,
			district: DistrictId,
			majority: Majority,
		) -> DispatchResult {
			Self::ensure_role(origin, Role::CivilRegistry)?;
			ensure!(!CitizenOf::<T>::contains_key(&account), Error::<T>::AlreadyACitizen);
			Self::reap_expired_rotation(&account);
			ensure!(!PendingRotations::<T>::contains_key(&account), Error::<T>::RotationPending);
			ensure!(
				!CitizenByCommitment::<T>::contains_key(commitment),
				Error::<T>::CommitmentInUse
			);
			let citizen = NextCitizenId::<T>::get();
			let next = citizen.checked_add(1).ok_or(Error::<T>::IdOverflow)?;

			NextCitizenId::<T>::put(next);
			let now = frame_system::Pallet::<T>::block_number();
			Citizens::<T>::insert(
				citizen,
				CitizenRecord {
					account: account.clone(),
					commitment,
					status: CitizenStatus::Active,
					district,
					adult_from: match majority {
						Majority::Adult => ADULT_AT_REGISTRATION,
						Majority::Minor => MAJORITY_NOT_RECORDED,
					},
					majority_recorded_at: now,
					registered_at: now,
					district_since: now,
					previous_district: None,
				},
			);
			CitizenOf::<T>::insert(&account, citizen);
			CitizenByCommitment::<T>::insert(commitment, citizen);
			frame_system::Pallet::<T>::inc_sufficients(&account);
			Self::deposit_event(Event::CitizenRegistered { citizen, account, district });
			Ok(())
		}

		/// Record that a citizen now resides in `district`.
		///
		/// The district before is kept with the block it held from: an election whose
		/// voting opened before this block still has the citizen on its old district's roll
		/// (only the last move is kept: after two moves during one election the citizen is
		/// on no roll of it).
		///
		/// Origin: a signed [`Role::CivilRegistry`]. Emits `DistrictUpdated`. O(1).
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::update_district())]
		pub fn update_district(
			origin: OriginFor<T>,
			citizen: CitizenId,
			district: DistrictId,
		) -> DispatchResult {
			Self::ensure_role(origin, Role::CivilRegistry)?;
			Self::mutate_living_citizen(citizen, |record| {
				ensure!(record.district != district, Error::<T>::Unchanged);
				record.previous_district = Some((record.district, record.district_since));
				record.district = district;
				record.district_since = frame_system::Pallet::<T>::block_number();
				Ok(())
			})?;
			Self::deposit_event(Event::DistrictUpdated { citizen, district });
			Ok(())
		}

		/// Replace the commitment after the off-chain civil record was corrected (e.g. a
		/// change of name).
		///
		/// Origin: a signed [`Role::CivilRegistry`]. Emits `CommitmentUpdated`. O(1).
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::update_commitment())]
		pub fn update_commitment(
			origin: OriginFor<T>,
			citizen: CitizenId,
			commitment: Commitment,
		) -> DispatchResult {
			Self::ensure_role(origin, Role::CivilRegistry)?;
			match CitizenByCommitment::<T>::get(commitment) {
				Some(owner) if owner == citizen => return Err(Error::<T>::Unchanged.into()),
				Some(_) => return Err(Error::<T>::CommitmentInUse.into()),
				None => {},
			}
			let old = Self::mutate_living_citizen(citizen, |record| {
				Ok(core::mem::replace(&mut record.commitment, commitment))
			})?;
			CitizenByCommitment::<T>::remove(old);
			CitizenByCommitment::<T>::insert(commitment, citizen);
			Self::deposit_event(Event::CommitmentUpdated { citizen, commitment });
			Ok(())
		}

		/// Suspend an active citizen: they can no longer vote or act.
		///
		/// Origin: a signed [`Role::CivilRegistry`]. Emits `CitizenSuspended`. O(1).
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::suspend_citizen())]
		pub fn suspend_citizen(origin: OriginFor<T>, citizen: CitizenId) -> DispatchResult {
			Self::ensure_role(origin, Role::CivilRegistry)?;
			Self::mutate_living_citizen(citizen, |record| {
				ensure!(record.status == CitizenStatus::Active, Error::<T>::CitizenNotActive);
				record.status = CitizenStatus::Suspended;
				Ok(())
			})?;
			Self::deposit_event(Event::CitizenSuspended { citizen });
			Ok(())
		}

		/// Restore a suspended citizen.
		///
		/// Origin: a signed [`Role::CivilRegistry`]. Emits `CitizenRestored`. O(1).
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::restore_citizen())]
		pub fn restore_citizen(origin: OriginFor<T>, citizen: CitizenId) -> DispatchResult {
			Self::ensure_role(origin, Role::CivilRegistry)?;
			Self::mutate_living_citizen(citizen, |record| {
				ensure!(record.status == CitizenStatus::Suspended, Error::<T>::CitizenNotSuspended);
				record.status = CitizenStatus::Active;
				Ok(())
			})?;
			Self::deposit_event(Event::CitizenRestored { citizen });
			Ok(())
		}

		/// Record a citizen's death. The record is kept (closed) for history; a pending
		/// key rotation is cancelled.
		///
		/// Origin: a signed [`Role::CivilRegistry`]. Emits `CitizenDeceased`. O(1).
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::record_death())]
		pub fn record_death(origin: OriginFor<T>, citizen: CitizenId) -> DispatchResult {
			Self::ensure_role(origin, Role::CivilRegistry)?;
			Self::mutate_living_citizen(citizen, |record| {
				record.status = CitizenStatus::Deceased;
				Ok(())
			})?;
			Self::clear_rotation(citizen);
			Self::deposit_event(Event::CitizenDeceased { citizen });
			Ok(())
		}

		/// Start replacing a citizen's account with `new_account`, after verifying the
		/// person in person. The citizen completes it by calling
		/// [`Pallet::accept_account_rotation`] with the new key (feeless), which proves they
		/// hold it. A previous pending rotation of the citizen is replaced.
		///
		/// Origin: a signed [`Role::CivilRegistry`]. Emits `AccountRotationInitiated`. O(1).
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::initiate_account_rotation())]
		pub fn initiate_account_rotation(
			origin: OriginFor<T>,
			citizen: CitizenId,
			new_account: T::AccountId,
		) -> DispatchResult {
			Self::ensure_role(origin, Role::CivilRegistry)?;
			let record = Citizens::<T>::get(citizen).ok_or(Error::<T>::CitizenNotFound)?;
			ensure!(record.status != CitizenStatus::Deceased, Error::<T>::CitizenDeceased);
			ensure!(!CitizenOf::<T>::contains_key(&new_account), Error::<T>::AlreadyACitizen);
			Self::reap_expired_rotation(&new_account);
			ensure!(
				!PendingRotations::<T>::contains_key(&new_account),
				Error::<T>::RotationPending
			);
			// An objected rotation is the court's to decide: the registry cannot replace it
			// with a fresh, unobjected one.
			ensure!(!Self::rotation_objected(citizen), Error::<T>::RotationObjected);

			Self::clear_rotation(citizen);
			let expires_at =
				frame_system::Pallet::<T>::block_number().saturating_add(T::RotationWindow::get());
			PendingRotations::<T>::insert(
				&new_account,
				PendingRotation { citizen, expires_at, notice_ends: None, objected: false },
			);
			RotationOf::<T>::insert(citizen, &new_account);
			// The new key must be able to sign its acceptance without holding tokens.
			frame_system::Pallet::<T>::inc_sufficients(&new_account);
			Self::deposit_event(Event::AccountRotationInitiated {
				citizen,
				new_account,
				expires_at,
			});
			Ok(())
		}

		/// Cancel a citizen's pending key rotation, accepted or not.
		///
		/// Origin: a signed [`Role::CivilRegistry`] or [`Role::Court`]; once the old key
		/// objected, only a court (`RotationObjected`). Emits `AccountRotationCancelled`.
		/// O(1).
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::cancel_account_rotation())]
		pub fn cancel_account_rotation(origin: OriginFor<T>, citizen: CitizenId) -> DispatchResult {
			let who = frame_system::ensure_signed(origin)?;
			let court = AuthorityRoles::<T>::contains_key(&who, Role::Court);
			ensure!(
				court || AuthorityRoles::<T>::contains_key(&who, Role::CivilRegistry),
				DispatchError::BadOrigin
			);
			ensure!(court || !Self::rotation_objected(citizen), Error::<T>::RotationObjected);
			let new_account = Self::clear_rotation(citizen).ok_or(Error::<T>::NoPendingRotation)?;
			Self::deposit_event(Event::AccountRotationCancelled { citizen, new_account });
			Ok(())
		}

		/// Accept a key rotation the civil registry started for this (new) account, proving
		/// the citizen holds the new key. The notice period starts: the old key may object
		/// until the rotation completes, and the citizen's deals are frozen until it
		/// completes or is cancelled.
		///
		/// Origin: signed by the new account. Feeless while the rotation awaits acceptance
		/// and is unexpired, so a citizen without tokens can accept it, once.
		///
		/// Emits `AccountRotationAccepted`. O(1).
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::accept_account_rotation())]
		#[pallet::feeless_if(|origin: &OriginFor<T>| -> bool {
			match ensure_signed(origin.clone()) {
				Ok(who) => PendingRotations::<T>::get(&who).is_some_and(|p| {
					p.notice_ends.is_none()
						&& frame_system::Pallet::<T>::block_number() <= p.expires_at
				}),
				Err(_) => false,
			}
		})]
		pub fn accept_account_rotation(origin: OriginFor<T>) -> DispatchResult {
			let new = ensure_signed(origin)?;
			let mut pending =
				PendingRotations::<T>::get(&new).ok_or(Error::<T>::NoPendingRotation)?;
			ensure!(pending.notice_ends.is_none(), Error::<T>::RotationAlreadyAccepted);
			let now = frame_system::Pallet::<T>::block_number();
			ensure!(now <= pending.expires_at, Error::<T>::RotationExpired);
			let notice_ends = now.saturating_add(T::RotationNotice::get());
			pending.notice_ends = Some(notice_ends);
			let citizen = pending.citizen;
			PendingRotations::<T>::insert(&new, pending);
			Self::deposit_event(Event::AccountRotationAccepted {
				citizen,
				new_account: new,
				notice_ends,
			});
			Ok(())
		}

		/// Complete an accepted rotation after its notice period, if the old key did not
		/// object: the citizen now signs with the new key. The citizen's record, id and
		/// everything referring to it carry over unchanged.
		///
		/// Origin: signed by the new account. Feeless when it can succeed.
		///
		/// Emits `AccountRotated`. O(1).
		#[pallet::call_index(18)]
		#[pallet::weight(T::WeightInfo::complete_account_rotation())]
		#[pallet::feeless_if(|origin: &OriginFor<T>| -> bool {
			match ensure_signed(origin.clone()) {
				Ok(who) => PendingRotations::<T>::get(&who).is_some_and(|p| {
					!p.objected
						&& p.notice_ends
							.is_some_and(|end| frame_system::Pallet::<T>::block_number() > end)
				}),
				Err(_) => false,
			}
		})]
		pub fn complete_account_rotation(origin: OriginFor<T>) -> DispatchResult {
			let new = ensure_signed(origin)?;
			let pending = PendingRotations::<T>::get(&new).ok_or(Error::<T>::NoPendingRotation)?;
			let notice_ends = pending.notice_ends.ok_or(Error::<T>::RotationNotAccepted)?;
			ensure!(!pending.objected, Error::<T>::RotationObjected);
			ensure!(
				frame_system::Pallet::<T>::block_number() > notice_ends,
				Error::<T>::RotationNoticeRunning
			);
			Self::rotate(pending.citizen, new)
		}

		/// Object, with the citizen's current key, to a pending rotation of that citizen:
		/// it no longer completes on its own; a court confirms or cancels it. The citizen's
		/// deals stay frozen meanwhile if the new key accepted.
		///
		/// Origin: signed by the citizen's current account.
		///
		/// Emits `AccountRotationObjected`. O(1).
		#[pallet::call_index(19)]
		#[pallet::weight(T::WeightInfo::object_to_account_rotation())]
		pub fn object_to_account_rotation(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let citizen = CitizenOf::<T>::get(&who).ok_or(Error::<T>::CitizenNotFound)?;
			let new_account = RotationOf::<T>::get(citizen).ok_or(Error::<T>::NoPendingRotation)?;
			PendingRotations::<T>::try_mutate(&new_account, |maybe| {
				let pending = maybe.as_mut().ok_or(Error::<T>::NoPendingRotation)?;
				ensure!(!pending.objected, Error::<T>::RotationObjected);
				pending.objected = true;
				Ok::<_, Error<T>>(())
			})?;
			Self::deposit_event(Event::AccountRotationObjected { citizen, new_account });
			Ok(())
		}

		/// Confirm, by court order, a rotation the new key accepted: it completes now,
		/// whether the notice period has ended or the old key objected (a thief holding
		/// the old key would).
		///
		/// Origin: a signed [`Role::Court`]. Emits `AccountRotated`. O(1).
		#[pallet::call_index(20)]
		#[pallet::weight(T::WeightInfo::confirm_account_rotation())]
		pub fn confirm_account_rotation(
			origin: OriginFor<T>,
			citizen: CitizenId,
		) -> DispatchResult {
			Self::ensure_role(origin, Role::Court)?;
			let (new, pending) =
				Self::pending_rotation_of(citizen).ok_or(Error::<T>::NoPendingRotation)?;
			ensure!(pending.notice_ends.is_some(), Error::<T>::RotationNotAccepted);
			Self::rotate(citizen, new)
		}

		/// Remove a citizen record registered in error. Credentials and other records that
		/// name the citizen's id are kept for history; the id is never reused. Entities the
		/// citizen represented no longer count them (`is_representative` is false); the
		/// business registry frees their slot with `remove_representative`. The account's
		/// sufficient reference is released: an account with no balance is reaped.
		///
		/// Origin: a signed [`Role::CivilRegistry`]. Emits `CitizenRemoved`. O(1).
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::remove_citizen())]
		pub fn remove_citizen(origin: OriginFor<T>, citizen: CitizenId) -> DispatchResult {
			Self::ensure_role(origin, Role::CivilRegistry)?;
			let record = Citizens::<T>::take(citizen).ok_or(Error::<T>::CitizenNotFound)?;
			CitizenOf::<T>::remove(&record.account);
			CitizenByCommitment::<T>::remove(record.commitment);
			Self::clear_rotation(citizen);
			frame_system::Pallet::<T>::dec_sufficients(&record.account);
			Self::deposit_event(Event::CitizenRemoved { citizen, account: record.account });
			Ok(())
		}

		/// Record that the minors in `citizens` count as adults from `from` (days since the
		/// Unix epoch): one day for the whole batch, never a date of birth. The civil
		/// registry batches, e.g. each month everyone who comes of age in it, and before an
		/// election everyone who is of age by its election day; the chain then places a
		/// birth date only between two batches' days. Recorded after an election's voting
		/// opened, a majority does not count in that election (its roll is fixed).
		///
		/// Origin: a signed [`Role::CivilRegistry`]. Each citizen must exist, be alive and
		/// have no majority recorded yet (`AlreadyAnAdult`; listed twice, the second is);
		/// one refused citizen refuses the batch. Emits `MajorityRecorded` per citizen.
		/// O(n) in the batch, at most [`MAX_MAJORITY_BATCH`].
		#[pallet::call_index(21)]
		#[pallet::weight(T::WeightInfo::record_majority(citizens.len() as u32))]
		pub fn record_majority(
			origin: OriginFor<T>,
			citizens: BoundedVec<CitizenId, ConstU32<MAX_MAJORITY_BATCH>>,
			from: Day,
		) -> DispatchResult {
			Self::ensure_role(origin, Role::CivilRegistry)?;
			ensure!(from != MAJORITY_NOT_RECORDED, Error::<T>::InvalidMajorityDay);
			let now = frame_system::Pallet::<T>::block_number();
			for &citizen in &citizens {
				Self::mutate_living_citizen(citizen, |record| {
					ensure!(record.adult_from == MAJORITY_NOT_RECORDED, Error::<T>::AlreadyAnAdult);
					record.adult_from = from;
					record.majority_recorded_at = now;
					Ok(())
				})?;
				Self::deposit_event(Event::MajorityRecorded { citizen, from });
			}
			Ok(())
		}

		/// Register a legal entity whose filing's salted hash is `commitment`, with the
		/// citizens who represent it.
		///
		/// Origin: a signed [`Role::BusinessRegistry`]. Every representative must be an
		/// active citizen, listed once.
		///
		/// Emits `EntityRegistered`. O(R) in the number of representatives.
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::register_entity(representatives.len() as u32))]
		pub fn register_entity(
			origin: OriginFor<T>,
			commitment: Commitment,
			representatives: BoundedVec<CitizenId, T::MaxRepresentatives>,
		) -> DispatchResult {
			Self::ensure_role(origin, Role::BusinessRegistry)?;
			ensure!(
				!EntityByCommitment::<T>::contains_key(commitment),
				Error::<T>::EntityCommitmentInUse
			);
			for (i, citizen) in representatives.iter().enumerate() {
				Self::ensure_active_citizen(*citizen)?;
				ensure!(
					!representatives[..i].contains(citizen),
					Error::<T>::AlreadyARepresentative
				);
			}
			let entity = NextEntityId::<T>::get();
			let next = entity.checked_add(1).ok_or(Error::<T>::IdOverflow)?;

			NextEntityId::<T>::put(next);
			EntityByCommitment::<T>::insert(commitment, entity);
			Entities::<T>::insert(
				entity,
				EntityRecord {
					commitment,
					status: EntityStatus::Active,
					representatives: representatives.clone(),
					registered_at: frame_system::Pallet::<T>::block_number(),
				},
			);
			Self::deposit_event(Event::EntityRegistered {
				entity,
				representatives: representatives.into_inner(),
			});
			Ok(())
		}

		/// Set a legal entity's status. Dissolution is final.
		///
		/// Origin: a signed [`Role::BusinessRegistry`]. Emits `EntityStatusChanged`. O(1).
		#[pallet::call_index(13)]
		#[pallet::weight(T::WeightInfo::set_entity_status())]
		pub fn set_entity_status(
			origin: OriginFor<T>,
			entity: EntityId,
			status: EntityStatus,
		) -> DispatchResult {
			Self::ensure_role(origin, Role::BusinessRegistry)?;
			Self::mutate_open_entity(entity, |record| {
				ensure!(record.status != status, Error::<T>::Unchanged);
				record.status = status;
				Ok(())
			})?;
			Self::deposit_event(Event::EntityStatusChanged { entity, status });
			Ok(())
		}

		/// Let an active citizen act for a legal entity.
		///
		/// Origin: a signed [`Role::BusinessRegistry`]. Emits `RepresentativeAdded`.
		/// O(R) in the number of representatives.
		#[pallet::call_index(14)]
		#[pallet::weight(T::WeightInfo::add_representative())]
		pub fn add_representative(
			origin: OriginFor<T>,
			entity: EntityId,
			citizen: CitizenId,
		) -> DispatchResult {
			Self::ensure_role(origin, Role::BusinessRegistry)?;
			Self::ensure_active_citizen(citizen)?;
			Self::mutate_open_entity(entity, |record| {
				ensure!(
					!record.representatives.contains(&citizen),
					Error::<T>::AlreadyARepresentative
				);
				record
					.representatives
					.try_push(citizen)
					.map_err(|_| Error::<T>::TooManyRepresentatives.into())
			})?;
			Self::deposit_event(Event::RepresentativeAdded { entity, citizen });
			Ok(())
		}

		/// Stop a citizen from acting for a legal entity.
		///
		/// Origin: a signed [`Role::BusinessRegistry`]. Emits `RepresentativeRemoved`.
		/// O(R) in the number of representatives.
		#[pallet::call_index(15)]
		#[pallet::weight(T::WeightInfo::remove_representative())]
		pub fn remove_representative(
			origin: OriginFor<T>,
			entity: EntityId,
			citizen: CitizenId,
		) -> DispatchResult {
			Self::ensure_role(origin, Role::BusinessRegistry)?;
			Self::mutate_open_entity(entity, |record| {
				let pos = record
					.representatives
					.iter()
					.position(|c| *c == citizen)
					.ok_or(Error::<T>::NotARepresentative)?;
				record.representatives.remove(pos);
				Ok(())
			})?;
			Self::deposit_event(Event::RepresentativeRemoved { entity, citizen });
			Ok(())
		}

		/// Record a credential about `subject`: a document whose hash is `document_hash`,
		/// of `kind`, issued on `issued_on`, valid through `expires_on` if given.
		///
		/// Origin: a signed [`Role::CredentialIssuer`] appointed for `kind`. `issued_on`
		/// may be in the past (documents issued before the registry went live), not in
		/// the future.
		///
		/// Emits `CredentialIssued`. O(K) in the issuer's number of kinds.
		#[pallet::call_index(16)]
		#[pallet::weight(T::WeightInfo::issue_credential())]
		pub fn issue_credential(
			origin: OriginFor<T>,
			document_hash: H256,
			subject: Subject,
			kind: CredentialKind,
			issued_on: Day,
			expires_on: Option<Day>,
		) -> DispatchResult {
			let issuer = ensure_signed(origin)?;
			let authority = AuthorityRoles::<T>::get(&issuer, Role::CredentialIssuer)
				.ok_or(DispatchError::BadOrigin)?;
			ensure!(authority.credential_kinds.contains(&kind), Error::<T>::KindNotInScope);
			// Another issuer's record of the same hash blocks nothing: each answers for its own.
			ensure!(
				!Credentials::<T>::contains_key(document_hash, &issuer),
				Error::<T>::CredentialExists
			);
			ensure!(issued_on <= Self::today(), Error::<T>::IssuedInFuture);
			ensure!(expires_on.is_none_or(|e| e >= issued_on), Error::<T>::ExpiryBeforeIssue);
			let subject_exists = match subject {
				Subject::Citizen(id) => Citizens::<T>::contains_key(id),
				Subject::Entity(id) => Entities::<T>::contains_key(id),
			};
			ensure!(subject_exists, Error::<T>::SubjectNotFound);

			Credentials::<T>::insert(
				document_hash,
				&issuer,
				CredentialRecord {
					issuer: issuer.clone(),
					subject,
					kind,
					issued_on,
					expires_on,
					revoked: None,
				},
			);
			Self::deposit_event(Event::CredentialIssued { document_hash, issuer, subject, kind });
			Ok(())
		}

		/// Revoke `issuer`'s credential with this document hash, giving a reason.
		///
		/// Origin: the signed [`Role::CredentialIssuer`] that issued it (`issuer`; any other
		/// issuer gets `NotTheIssuer`), or [`Config::GovernanceOrigin`] (e.g. for credentials
		/// of an issuer since removed). Emits `CredentialRevoked`. O(1).
		#[pallet::call_index(17)]
		#[pallet::weight(T::WeightInfo::revoke_credential())]
		pub fn revoke_credential(
			origin: OriginFor<T>,
			document_hash: H256,
			issuer: T::AccountId,
			reason: RevocationReason,
		) -> DispatchResult {
			// Governance revokes any issuer's record; an issuer only its own.
			if let Err(origin) = T::GovernanceOrigin::try_origin(origin) {
				let who = Self::ensure_role(origin, Role::CredentialIssuer)?;
				ensure!(who == issuer, Error::<T>::NotTheIssuer);
			}
			let today = Self::today();
			Credentials::<T>::try_mutate(document_hash, &issuer, |maybe| {
				let record = maybe.as_mut().ok_or(Error::<T>::CredentialNotFound)?;
				ensure!(record.revoked.is_none(), Error::<T>::AlreadyRevoked);
				record.revoked = Some((reason, today));
				Ok::<_, DispatchError>(())
			})?;
			Self::deposit_event(Event::CredentialRevoked { document_hash, issuer, reason });
			Ok(())
		}
	}
}

impl<T: Config> Pallet<T> {
	/// The signer, if it holds `role`; `BadOrigin` otherwise.
	fn ensure_role(
		origin: frame_system::pallet_prelude::OriginFor<T>,
		role: Role,
	) -> Result<T::AccountId, frame_support::sp_runtime::DispatchError> {
		let who = frame_system::ensure_signed(origin)?;
		if AuthorityRoles::<T>::contains_key(&who, role) {
			Ok(who)
		} else {
			Err(frame_support::sp_runtime::DispatchError::BadOrigin)
		}
	}

	/// Applies `f` to a citizen's record unless the citizen is deceased; nothing is
	/// written if `f` fails.
	fn mutate_living_citizen<R>(
		citizen: CitizenId,
		f: impl FnOnce(
			&mut CitizenRecord<T::AccountId, frame_system::pallet_prelude::BlockNumberFor<T>>,
		) -> Result<R, frame_support::sp_runtime::DispatchError>,
	) -> Result<R, frame_support::sp_runtime::DispatchError> {
		Citizens::<T>::try_mutate(citizen, |maybe| {
			let record = maybe.as_mut().ok_or(Error::<T>::CitizenNotFound)?;
			frame_support::ensure!(
				record.status != CitizenStatus::Deceased,
				Error::<T>::CitizenDeceased
			);
			f(record)
		})
	}

	/// Applies `f` to an entity's record unless it is dissolved; nothing is written if
	/// `f` fails.
	fn mutate_open_entity(
		entity: EntityId,
		f: impl FnOnce(
			&mut EntityRecord<
				frame_system::pallet_prelude::BlockNumberFor<T>,
				T::MaxRepresentatives,
			>,
		) -> frame_support::dispatch::DispatchResult,
	) -> frame_support::dispatch::DispatchResult {
		Entities::<T>::try_mutate(entity, |maybe| {
			let record = maybe.as_mut().ok_or(Error::<T>::EntityNotFound)?;
			frame_support::ensure!(
				record.status != EntityStatus::Dissolved,
				Error::<T>::EntityDissolved
			);
			f(record)
		})
	}

	fn ensure_active_citizen(citizen: CitizenId) -> frame_support::dispatch::DispatchResult {
		let record = Citizens::<T>::get(citizen).ok_or(Error::<T>::RepresentativeNotActive)?;
		frame_support::ensure!(
			record.status == CitizenStatus::Active,
			Error::<T>::RepresentativeNotActive
		);
		Ok(())
	}

	/// Drops the rotation awaiting `account` if it was never accepted and its window has
	/// passed, so an abandoned request does not reserve the account forever.
	fn reap_expired_rotation(account: &T::AccountId) {
		if let Some(pending) = PendingRotations::<T>::get(account) {
			if pending.notice_ends.is_none()
				&& frame_system::Pallet::<T>::block_number() > pending.expires_at
			{
				Self::clear_rotation(pending.citizen);
			}
		}
	}

	/// Binds the citizen to `new` in place of its current account, which is remembered as
	/// a former account; the pending rotation ends.
	fn rotate(citizen: CitizenId, new: T::AccountId) -> frame_support::dispatch::DispatchResult {
		let mut record = Citizens::<T>::get(citizen).ok_or(Error::<T>::CitizenNotFound)?;
		frame_support::ensure!(
			record.status != CitizenStatus::Deceased,
			Error::<T>::CitizenDeceased
		);
		let old = core::mem::replace(&mut record.account, new.clone());
		PendingRotations::<T>::remove(&new);
		RotationOf::<T>::remove(citizen);
		Citizens::<T>::insert(citizen, record);
		CitizenOf::<T>::remove(&old);
		CitizenOf::<T>::insert(&new, citizen);
		FormerCitizenOf::<T>::remove(&new);
		FormerCitizenOf::<T>::insert(&old, citizen);
		// The new account keeps the reference taken at initiation; the old one's goes.
		frame_system::Pallet::<T>::dec_sufficients(&old);
		Self::deposit_event(Event::AccountRotated { citizen, old, new });
		Ok(())
	}

	/// The citizen's pending rotation, if any, with the new account it names.
	fn pending_rotation_of(
		citizen: CitizenId,
	) -> Option<(T::AccountId, PendingRotation<frame_system::pallet_prelude::BlockNumberFor<T>>)> {
		let new = RotationOf::<T>::get(citizen)?;
		let pending = PendingRotations::<T>::get(&new)?;
		Some((new, pending))
	}

	/// Whether the citizen's pending rotation, if any, was objected to by the old key.
	fn rotation_objected(citizen: CitizenId) -> bool {
		Self::pending_rotation_of(citizen).is_some_and(|(_, p)| p.objected)
	}

	/// Drops the citizen's pending rotation, if any, returning the new account it named.
	fn clear_rotation(citizen: CitizenId) -> Option<T::AccountId> {
		let new_account = RotationOf::<T>::take(citizen)?;
		PendingRotations::<T>::remove(&new_account);
		frame_system::Pallet::<T>::dec_sufficients(&new_account);
		Some(new_account)
	}

	/// Today's date (UTC), from the block's timestamp.
	pub fn today() -> Day {
		day_of_millis(T::UnixTime::now().as_millis().try_into().unwrap_or(u64::MAX))
	}

	fn view(
		id: CitizenId,
		record: CitizenRecord<T::AccountId, frame_system::pallet_prelude::BlockNumberFor<T>>,
	) -> CitizenView<T::AccountId> {
		CitizenView {
			id,
			account: record.account,
			status: record.status,
			district: record.district,
			adult_from: record.adult_from,
			commitment: record.commitment,
		}
	}

	/// Runtime API: the citizen bound to `who`.
	pub fn citizen_view_by_account(who: &T::AccountId) -> Option<CitizenView<T::AccountId>> {
		let id = CitizenOf::<T>::get(who)?;
		Citizens::<T>::get(id).map(|r| Self::view(id, r))
	}

	/// Runtime API: the citizen with id `id`.
	pub fn citizen_view(id: CitizenId) -> Option<CitizenView<T::AccountId>> {
		Citizens::<T>::get(id).map(|r| Self::view(id, r))
	}

	/// Runtime API: may `who` take part in a civic act on `day`?
	pub fn eligibility(who: &T::AccountId, day: Day) -> Eligibility {
		let Some(record) = CitizenOf::<T>::get(who).and_then(Citizens::<T>::get) else {
			return Eligibility::NotACitizen;
		};
		match record.status {
			CitizenStatus::Suspended => Eligibility::Suspended,
			CitizenStatus::Deceased => Eligibility::Deceased,
			CitizenStatus::Active if record.adult_from > day => {
				Eligibility::Minor { adult_from: record.adult_from }
			},
			CitizenStatus::Active => Eligibility::Eligible { district: record.district },
		}
	}

	/// Runtime API: an entity with its representatives' current accounts.
	pub fn entity_view(id: EntityId) -> Option<EntityView<T::AccountId>> {
		let record = Entities::<T>::get(id)?;
		Some(EntityView {
			id,
			active: record.status == EntityStatus::Active,
			commitment: record.commitment,
			representatives: record
				.representatives
				.iter()
				.filter_map(|c| Citizens::<T>::get(c).map(|r| r.account))
				.collect(),
		})
	}

	/// Runtime API: the status today of `issuer`'s credential with this document hash.
	pub fn credential_status(
		document_hash: H256,
		issuer: &T::AccountId,
	) -> CredentialStatus<T::AccountId> {
		Credentials::<T>::get(document_hash, issuer)
			.map_or(CredentialStatus::Unknown, |c| c.status_on(Self::today()))
	}

	/// Runtime API: every issuer's credential with this document hash, with its status
	/// today. More than one means several issuers recorded the hash; only the issuer the
	/// document names vouches for it. Bounded by the number of credential issuers.
	pub fn credentials_of_document(document_hash: H256) -> Vec<CredentialStatus<T::AccountId>> {
		let today = Self::today();
		Credentials::<T>::iter_prefix_values(document_hash)
			.map(|c| c.status_on(today))
			.collect()
	}

	/// Runtime API: the roles `who` holds, in `Role` order. Bounded by the number of roles.
	pub fn roles_of(who: &T::AccountId) -> Vec<Role> {
		let mut roles: Vec<Role> = AuthorityRoles::<T>::iter_key_prefix(who).collect();
		roles.sort();
		roles
	}
}

/// Storage invariants: every rule the calls keep between this pallet's storage items. They
/// iterate over every entry, so they run only off chain: under try-runtime and after each
/// test.
#[cfg(any(feature = "try-runtime", test))]
impl<T: Config> Pallet<T> {
	/// Checks every invariant; the error names the first one found broken.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		Self::try_state_authorities()?;
		Self::try_state_citizens()?;
		Self::try_state_rotations()?;
		Self::try_state_entities()?;
		Self::try_state_credentials()
	}

	/// Credential issuers have credential kinds, each listed once; other roles have none.
	fn try_state_authorities() -> Result<(), TryRuntimeError> {
		for (_, role, record) in AuthorityRoles::<T>::iter() {
			let kinds = &record.credential_kinds;
			if role == Role::CredentialIssuer {
				ensure!(!kinds.is_empty(), "credential issuer without credential kinds");
			} else {
				ensure!(kinds.is_empty(), "credential kinds on a role other than CredentialIssuer");
			}
			ensure!(
				kinds.iter().enumerate().all(|(i, k)| !kinds[..i].contains(k)),
				"credential kind listed twice"
			);
		}
		Ok(())
	}

	/// Each citizen has an id below the counter, a sufficient reference, and exactly the
	/// index entries pointing back at it: so no account and no commitment belongs to two
	/// citizens, and no index entry outlives its record.
	fn try_state_citizens() -> Result<(), TryRuntimeError> {
		let next = NextCitizenId::<T>::get();
		for (id, record) in Citizens::<T>::iter() {
			ensure!(id < next, "citizen id not below NextCitizenId");
			ensure!(
				CitizenOf::<T>::get(&record.account) == Some(id),
				"citizen's account not bound to it in CitizenOf"
			);
			ensure!(
				CitizenByCommitment::<T>::get(record.commitment) == Some(id),
				"citizen's commitment not bound to it in CitizenByCommitment"
			);
			ensure!(
				frame_system::Pallet::<T>::sufficients(&record.account) > 0,
				"citizen's account without a sufficient reference"
			);
			// What the frozen electoral rolls read: a district history in order, from the
			// registration on, never in the future.
			let now = frame_system::Pallet::<T>::block_number();
			let previous_since = record.previous_district.map_or(record.registered_at, |(_, b)| b);
			ensure!(
				record.registered_at <= record.majority_recorded_at
					&& record.majority_recorded_at <= now,
				"citizen's majority recorded before registration or in the future"
			);
			ensure!(
				record.registered_at <= previous_since
					&& previous_since <= record.district_since
					&& record.district_since <= now,
				"citizen's district history out of order"
			);
		}
		for (account, id) in CitizenOf::<T>::iter() {
			ensure!(
				Citizens::<T>::get(id).is_some_and(|r| r.account == account),
				"CitizenOf entry without a citizen signing with that account"
			);
		}
		for (commitment, id) in CitizenByCommitment::<T>::iter() {
			ensure!(
				Citizens::<T>::get(id).is_some_and(|r| r.commitment == commitment),
				"CitizenByCommitment entry without a citizen holding that commitment"
			);
		}
		Ok(())
	}

	/// A pending rotation and its reverse index name each other; it belongs to a living
	/// citizen, targets an account no citizen holds (else accepting it would bind one
	/// account to two citizens), keeps its sufficient reference, and ends within the window
	/// (expired ones stay until reaped: they are harmless).
	fn try_state_rotations() -> Result<(), TryRuntimeError> {
		use frame_support::traits::Get;
		let now = frame_system::Pallet::<T>::block_number();
		let latest_expiry = now.saturating_add(T::RotationWindow::get());
		let latest_notice_end = now.saturating_add(T::RotationNotice::get());
		for (new_account, pending) in PendingRotations::<T>::iter() {
			ensure!(
				RotationOf::<T>::get(pending.citizen).as_ref() == Some(&new_account),
				"pending rotation without its RotationOf entry"
			);
			ensure!(
				Citizens::<T>::get(pending.citizen)
					.is_some_and(|r| r.status != CitizenStatus::Deceased),
				"pending rotation of a missing or deceased citizen"
			);
			ensure!(
				!CitizenOf::<T>::contains_key(&new_account),
				"pending rotation to an account bound to a citizen"
			);
			ensure!(
				pending.expires_at <= latest_expiry,
				"pending rotation expires beyond the rotation window"
			);
			ensure!(
				pending.notice_ends.map_or(true, |end| end <= latest_notice_end),
				"pending rotation's notice ends beyond the notice period"
			);
			ensure!(
				frame_system::Pallet::<T>::sufficients(&new_account) > 0,
				"rotation account without a sufficient reference"
			);
		}
		for (citizen, new_account) in RotationOf::<T>::iter() {
			ensure!(
				PendingRotations::<T>::get(&new_account).is_some_and(|p| p.citizen == citizen),
				"RotationOf entry without its pending rotation"
			);
		}
		Ok(())
	}

	/// Each entity has an id below the counter and the commitment index entry pointing back
	/// at it; representatives are listed once, by ids that were issued (a removed citizen
	/// keeps its slot until the business registry frees it).
	fn try_state_entities() -> Result<(), TryRuntimeError> {
		let next_entity = NextEntityId::<T>::get();
		let next_citizen = NextCitizenId::<T>::get();
		for (id, record) in Entities::<T>::iter() {
			ensure!(id < next_entity, "entity id not below NextEntityId");
			ensure!(
				EntityByCommitment::<T>::get(record.commitment) == Some(id),
				"entity's commitment not bound to it in EntityByCommitment"
			);
			let reps = &record.representatives;
			for (i, citizen) in reps.iter().enumerate() {
				ensure!(*citizen < next_citizen, "representative id not below NextCitizenId");
				ensure!(!reps[..i].contains(citizen), "representative listed twice");
			}
		}
		for (commitment, id) in EntityByCommitment::<T>::iter() {
			ensure!(
				Entities::<T>::get(id).is_some_and(|r| r.commitment == commitment),
				"EntityByCommitment entry without an entity holding that commitment"
			);
		}
		Ok(())
	}

	/// A credential is about an entity that exists (entities are never removed) or a
	/// citizen id that was issued (removed citizens keep their credentials for history),
	/// and does not expire before it was issued.
	fn try_state_credentials() -> Result<(), TryRuntimeError> {
		let next_citizen = NextCitizenId::<T>::get();
		for (_, issuer, credential) in Credentials::<T>::iter() {
			ensure!(credential.issuer == issuer, "credential stored under another issuer");
			let subject_known = match credential.subject {
				Subject::Citizen(id) => id < next_citizen,
				Subject::Entity(id) => Entities::<T>::contains_key(id),
			};
			ensure!(subject_known, "credential about an unknown subject");
			ensure!(
				credential.expires_on.is_none_or(|e| e >= credential.issued_on),
				"credential expires before its issue day"
			);
		}
		Ok(())
	}
}

impl<T: Config> Authorities<T::AccountId> for Pallet<T> {
	fn has_role(who: &T::AccountId, role: Role) -> bool {
		AuthorityRoles::<T>::contains_key(who, role)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn grant_role(who: &T::AccountId, role: Role) {
		let credential_kinds = if role == Role::CredentialIssuer {
			polkadot_sdk::frame_support::BoundedVec::truncate_from(alloc::vec![
				CredentialKind::Diploma
			])
		} else {
			Default::default()
		};
		AuthorityRoles::<T>::insert(
			who,
			role,
			AuthorityRecord {
				appointed_at: frame_system::Pallet::<T>::block_number(),
				credential_kinds,
			},
		);
	}
}

impl<T: Config> CitizenRegistry<T::AccountId, BlockNumberFor<T>> for Pallet<T> {
	fn citizen_by_account(
		who: &T::AccountId,
	) -> Option<CitizenInfo<T::AccountId, BlockNumberFor<T>>> {
		let id = CitizenOf::<T>::get(who)?;
		Self::citizen(id)
	}

	fn citizen(id: CitizenId) -> Option<CitizenInfo<T::AccountId, BlockNumberFor<T>>> {
		Citizens::<T>::get(id).map(|r| r.info(id))
	}

	fn is_representative(entity: EntityId, who: &T::AccountId) -> bool {
		let Some(citizen) = CitizenOf::<T>::get(who) else {
			return false;
		};
		Entities::<T>::get(entity).is_some_and(|e| {
			e.status == EntityStatus::Active && e.representatives.contains(&citizen)
		}) && Citizens::<T>::get(citizen).is_some_and(|c| c.status == CitizenStatus::Active)
	}

	fn entity_is_active(entity: EntityId) -> bool {
		Entities::<T>::get(entity).is_some_and(|e| e.status == EntityStatus::Active)
	}

	fn is_rotating(id: CitizenId) -> bool {
		Self::pending_rotation_of(id).is_some_and(|(_, p)| p.notice_ends.is_some())
	}

	fn current_account(who: &T::AccountId) -> T::AccountId {
		if CitizenOf::<T>::contains_key(who) {
			return who.clone();
		}
		FormerCitizenOf::<T>::get(who)
			.and_then(|id| Citizens::<T>::get(id))
			.map_or_else(|| who.clone(), |r| r.account)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn register_for_benchmarks(who: &T::AccountId, district: DistrictId) -> Option<CitizenId> {
		use codec::Encode;
		let registrar: T::AccountId =
			polkadot_sdk::frame_benchmarking::account("civil-registry", 0, 0);
		<Self as Authorities<T::AccountId>>::grant_role(&registrar, Role::CivilRegistry);
		let id = NextCitizenId::<T>::get();
		let commitment = H256(polkadot_sdk::sp_io::hashing::blake2_256(&(b"bench", who).encode()));
		Self::register_citizen(
			frame_system::RawOrigin::Signed(registrar).into(),
			who.clone(),
			commitment,
			district,
			Majority::Adult,
		)
		.ok()?;
		Some(id)
	}
}
