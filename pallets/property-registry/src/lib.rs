//! # Property Registry Pallet
//!
//! The national land registry: who owns which parcel, in which shares, what burdens it, and
//! every change ever made to it.
//!
//! ## Overview
//!
//! - **Titles.** The land registry ([`Config::LandRegistryOrigin`]) creates a title for a
//!   parcel: its cadastral id (unique, at most [`MAX_CADASTRAL_ID_LEN`] bytes), the hash of
//!   the parcel data (geometry, area, documents; the data itself stays off chain) and its
//!   owners. Owners are citizens or legal entities ([`Owner`]), by their stable ids from the
//!   identity registry, so a key rotation never touches a title. Shares are parts per
//!   million and always sum to exactly [`WHOLE`]: no zero shares, no owner twice, at most
//!   [`Config::MaxOwners`] owners. Each title gets a stable [`TitleId`]; the cadastral id
//!   finds it too.
//! - **Encumbrances.** The land registry registers mortgages (by a bank, for an amount),
//!   liens and easements on a title, at most [`Config::MaxEncumbrances`] at a time, each
//!   with an id unique on its title. It releases them; a mortgage may also be released by a
//!   representative of the bank that holds it. An unreleased mortgage blocks transfers.
//! - **Courts** ([`Config::CourtOrigin`]) freeze and unfreeze a title under a case reference
//!   (the hash of it) and order rectifications: new owners and shares, new parcel data, or
//!   both. A frozen title accepts nothing but court orders.
//! - **Transfers** are made by the transfer-contracts pallet through the [`TitleRegistry`]
//!   trait: it checks a title is transferable ([`TitleRegistry::ensure_transferable`]) and
//!   moves a share from one owner to another, releasing the mortgages the deal pays off
//!   ([`TitleRegistry::transfer_share`]).
//! - **History.** Every change to a title is kept, numbered from 0 per title: what changed
//!   ([`Change`], with its data), by which authority or contract and signing account
//!   ([`Actor`]), at which block and time. Entries are never removed or rewritten.
//!
//! No call iterates over titles: every call touches one title, its index entry and its
//! history counter, so its cost is the same with ten or ten million titles.
//!
//! ## Interface
//!
//! ### For the land registry ([`Config::LandRegistryOrigin`], e.g. [`egov_primitives::Role::LandRegistry`])
//! - [`Pallet::create_title`], [`Pallet::add_encumbrance`], [`Pallet::release_encumbrance`]
//!
//! ### For a mortgage's creditor (a representative of the bank)
//! - [`Pallet::release_encumbrance`] of that mortgage
//!
//! ### For courts ([`Config::CourtOrigin`], e.g. [`egov_primitives::Role::Court`])
//! - [`Pallet::freeze_title`], [`Pallet::unfreeze_title`], [`Pallet::rectify_title`]
//!
//! ### For other pallets (the transfer contracts)
//! - the [`TitleRegistry`] trait: owners, freeze status, mortgages, transferability, share
//!   transfers.
//!
//! ### For everyone (runtime API, see [`runtime_api::PropertyRegistryApi`])
//! - a title by id or cadastral id, its history page by page, and the storage keys of its
//!   record (for storage proofs).

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
pub mod runtime_api;
#[cfg(test)]
mod sequences;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

use alloc::vec::Vec;
use egov_primitives::{CitizenRegistry, CitizenStatus, EntityId};
pub use pallet::*;
#[cfg(any(feature = "try-runtime", test))]
use polkadot_sdk::sp_runtime::TryRuntimeError;
use polkadot_sdk::{
	frame_support::{self, dispatch::DispatchResult, ensure, traits::UnixTime},
	frame_system::{self, pallet_prelude::BlockNumberFor},
	sp_core::H256,
	sp_runtime::DispatchError,
};
pub use types::*;
pub use weights::WeightInfo;

/// Owners and their shares, as stored.
pub type SharesOf<T> =
	polkadot_sdk::frame_support::BoundedVec<(Owner, Ppm), <T as Config>::MaxOwners>;

/// A title's encumbrances, as stored.
pub type EncumbrancesOf<T> = polkadot_sdk::frame_support::BoundedVec<
	Encumbrance<BlockNumberFor<T>>,
	<T as Config>::MaxEncumbrances,
>;

/// A title, as stored.
pub type TitleOf<T> = Title<BlockNumberFor<T>, SharesOf<T>, EncumbrancesOf<T>>;

/// A history entry, as stored.
pub type HistoryEntryOf<T> =
	HistoryEntry<<T as frame_system::Config>::AccountId, BlockNumberFor<T>, SharesOf<T>>;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>>
			+ IsType<<Self as polkadot_sdk::frame_system::Config>::RuntimeEvent>;

		/// Creates titles and registers and releases encumbrances: the land registry.
		type LandRegistryOrigin: EnsureOrigin<Self::RuntimeOrigin, Success = Self::AccountId>;

		/// Freezes and unfreezes titles and orders rectifications: a court.
		type CourtOrigin: EnsureOrigin<Self::RuntimeOrigin, Success = Self::AccountId>;

		/// The citizens and legal entities owners and creditors are drawn from.
		type Citizens: CitizenRegistry<Self::AccountId, BlockNumberFor<Self>>;

		/// Wall-clock time, for the time of each history entry.
		type UnixTime: UnixTime;

		/// Most owners one title may have.
		#[pallet::constant]
		type MaxOwners: Get<u32>;

		/// Most encumbrances one title may carry at a time.
		#[pallet::constant]
		type MaxEncumbrances: Get<u32>;

		/// Weights of this pallet's calls, generated by its benchmarks.
		type WeightInfo: WeightInfo;
	}

	/// The id the next title gets.
	#[pallet::storage]
	pub type NextTitleId<T> = StorageValue<_, TitleId, ValueQuery>;

	/// Titles by id.
	///
	/// TWOX-NOTE: ids are assigned sequentially by this pallet, not chosen by users.
	#[pallet::storage]
	pub type Titles<T: Config> = StorageMap<_, Twox64Concat, TitleId, TitleOf<T>>;

	/// The title of a cadastral id: one title per parcel.
	#[pallet::storage]
	pub type TitleByCadastralId<T> = StorageMap<_, Blake2_128Concat, CadastralId, TitleId>;

	/// Every change to every title, by title and sequence number (from 0).
	///
	/// TWOX-NOTE: sequential ids and sequence numbers.
	#[pallet::storage]
	pub type History<T: Config> =
		StorageDoubleMap<_, Twox64Concat, TitleId, Twox64Concat, u32, HistoryEntryOf<T>>;

	/// The court account that froze a title, while it is frozen: only that court (or any
	/// court, once that account no longer holds the court role) lifts the freeze or
	/// rectifies the title meanwhile.
	///
	/// TWOX-NOTE: sequential ids.
	#[pallet::storage]
	pub type FrozenBy<T: Config> = StorageMap<_, Twox64Concat, TitleId, T::AccountId>;

	/// The number of history entries of a title (the next sequence number).
	///
	/// TWOX-NOTE: sequential ids.
	#[pallet::storage]
	pub type HistoryLength<T> = StorageMap<_, Twox64Concat, TitleId, u32, ValueQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// The land registry created a title.
		TitleCreated {
			title: TitleId,
			cadastral_id: CadastralId,
			parcel_hash: H256,
			owners: Vec<(Owner, Ppm)>,
			by: T::AccountId,
		},
		/// The land registry registered an encumbrance on a title.
		EncumbranceAdded {
			title: TitleId,
			encumbrance: EncumbranceId,
			kind: EncumbranceKind,
			by: T::AccountId,
		},
		/// An encumbrance was released: by the land registry (not a mortgage), the
		/// mortgage's creditor, a court order, or a transfer contract.
		EncumbranceReleased {
			title: TitleId,
			encumbrance: EncumbranceId,
			kind: EncumbranceKind,
			by: Actor<T::AccountId>,
		},
		/// A court froze a title.
		TitleFrozen { title: TitleId, case: H256, by: T::AccountId },
		/// A court lifted the freeze of a title.
		TitleUnfrozen { title: TitleId, case: H256, by: T::AccountId },
		/// A court rectified a title; the new values are given.
		TitleRectified {
			title: TitleId,
			case: H256,
			owners: Option<Vec<(Owner, Ppm)>>,
			parcel_hash: Option<H256>,
			by: T::AccountId,
		},
		/// A transfer contract moved a share of a title.
		ShareTransferred { title: TitleId, from: Owner, to: Owner, share: Ppm, deal: DealId },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No title has this id.
		TitleNotFound,
		/// The cadastral id is empty.
		EmptyCadastralId,
		/// A title with this cadastral id exists already: one title per parcel.
		CadastralIdInUse,
		/// The owners' shares do not sum to exactly one whole (1 000 000 ppm).
		SharesDoNotSumToWhole,
		/// An owner's share, or a share to transfer, is zero.
		ZeroShare,
		/// The same owner is listed twice.
		DuplicateOwner,
		/// The title would have more owners than allowed.
		TooManyOwners,
		/// An owner is not a registered citizen or an active legal entity.
		OwnerNotFound,
		/// The owner does not own a share of this title.
		NotAnOwner,
		/// The owner's share is smaller than the share to transfer.
		InsufficientShare,
		/// A share cannot be transferred to its own owner.
		SelfTransfer,
		/// The title is frozen by a court: only court orders are accepted.
		TitleFrozen,
		/// The title is frozen already.
		AlreadyFrozen,
		/// The title is not frozen.
		NotFrozen,
		/// A rectification must replace the owners, the parcel data hash, or both.
		NothingToRectify,
		/// A mortgage on the title is not among those the transfer releases.
		UnreleasedMortgage,
		/// The title has no encumbrance with this id (or it was listed twice).
		EncumbranceNotFound,
		/// The title carries the most encumbrances allowed.
		TooManyEncumbrances,
		/// A mortgage or lien must secure a non-zero amount.
		ZeroAmount,
		/// A mortgage's creditor is not an active legal entity, or a lien's holder or an
		/// easement's beneficiary is not a registered citizen or an active legal entity.
		PartyNotFound,
		/// The signer is neither the land registry nor a representative of the creditor of
		/// this mortgage (or the encumbrance is not a mortgage).
		NotTheCreditor,
		/// An id counter is exhausted.
		IdOverflow,
		/// A mortgage is released by its creditor (or by a court order), not by the land
		/// registry alone: the bank it secures must agree.
		MortgageNeedsCreditor,
		/// The title was frozen by another court: only that court lifts the freeze or
		/// rectifies the title while it is frozen (any court once that court's account has
		/// lost its role).
		NotTheFreezingCourt,
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
		/// Create a title for the parcel `cadastral_id`, whose data hashes to `parcel_hash`,
		/// owned by `owners` in the given shares (parts per million).
		///
		/// Origin: [`Config::LandRegistryOrigin`]. The cadastral id must be new and not
		/// empty; the shares must be non-zero and sum to [`WHOLE`]; every owner must be a
		/// registered citizen or an active legal entity, listed once.
		///
		/// Emits `TitleCreated`. O(O) in the number of owners.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::create_title(owners.len() as u32))]
		pub fn create_title(
			origin: OriginFor<T>,
			cadastral_id: CadastralId,
			parcel_hash: H256,
			owners: BoundedVec<(Owner, Ppm), T::MaxOwners>,
		) -> DispatchResult {
			let who = T::LandRegistryOrigin::ensure_origin(origin)?;
			ensure!(!cadastral_id.is_empty(), Error::<T>::EmptyCadastralId);
			ensure!(
				!TitleByCadastralId::<T>::contains_key(&cadastral_id),
				Error::<T>::CadastralIdInUse
			);
			Self::validate_owners(&owners)?;
			let title = NextTitleId::<T>::get();
			let next = title.checked_add(1).ok_or(Error::<T>::IdOverflow)?;

			NextTitleId::<T>::put(next);
			let record: TitleOf<T> = Title {
				cadastral_id: cadastral_id.clone(),
				parcel_hash,
				owners: owners.clone(),
				encumbrances: Default::default(),
				next_encumbrance_id: 0,
				frozen: None,
				created_at: frame_system::Pallet::<T>::block_number(),
			};
			Titles::<T>::insert(title, record);
			TitleByCadastralId::<T>::insert(&cadastral_id, title);
			Self::record(
				title,
				Actor::LandRegistry(who.clone()),
				Change::Created {
					cadastral_id: cadastral_id.clone(),
					parcel_hash,
					owners: owners.clone(),
				},
			)?;
			Self::deposit_event(Event::TitleCreated {
				title,
				cadastral_id,
				parcel_hash,
				owners: owners.into_inner(),
				by: who,
			});
			Ok(())
		}

		/// Register an encumbrance on a title.
		///
		/// Origin: [`Config::LandRegistryOrigin`]. A mortgage's creditor must be an active
		/// legal entity; a lien's holder and an easement's beneficiary a registered citizen
		/// or an active legal entity; amounts must be non-zero. The title must not be
		/// frozen and must have room ([`Config::MaxEncumbrances`]).
		///
		/// Emits `EncumbranceAdded`. O(1) (the title is bounded).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::add_encumbrance())]
		pub fn add_encumbrance(
			origin: OriginFor<T>,
			title: TitleId,
			kind: EncumbranceKind,
		) -> DispatchResult {
			let who = T::LandRegistryOrigin::ensure_origin(origin)?;
			Self::validate_encumbrance(&kind)?;
			let now = frame_system::Pallet::<T>::block_number();
			let encumbrance = Self::mutate_open_title(title, |t| {
				let id = t.next_encumbrance_id;
				t.next_encumbrance_id = id.checked_add(1).ok_or(Error::<T>::IdOverflow)?;
				t.encumbrances
					.try_push(Encumbrance { id, kind, registered_at: now })
					.map_err(|_| Error::<T>::TooManyEncumbrances)?;
				Ok(id)
			})?;
			Self::record(
				title,
				Actor::LandRegistry(who.clone()),
				Change::EncumbranceAdded { id: encumbrance, kind },
			)?;
			Self::deposit_event(Event::EncumbranceAdded { title, encumbrance, kind, by: who });
			Ok(())
		}

		/// Release an encumbrance of a title.
		///
		/// Origin: [`Config::LandRegistryOrigin`] for a lien or an easement (a mortgage:
		/// `MortgageNeedsCreditor`); a signed representative of the creditor of the mortgage
		/// being released (checked with [`CitizenRegistry::is_representative`]); or
		/// [`Config::CourtOrigin`], for any encumbrance (a court order). Any other signed
		/// origin gets `NotTheCreditor`; an unsigned origin `BadOrigin`. The title must not
		/// be frozen.
		///
		/// Emits `EncumbranceReleased`. O(1) (the title is bounded).
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::release_encumbrance())]
		pub fn release_encumbrance(
			origin: OriginFor<T>,
			title: TitleId,
			encumbrance: EncumbranceId,
		) -> DispatchResult {
			let actor = match T::LandRegistryOrigin::try_origin(origin) {
				Ok(who) => Actor::LandRegistry(who),
				Err(origin) => match T::CourtOrigin::try_origin(origin) {
					Ok(who) => Actor::Court(who),
					Err(origin) => Actor::Creditor(ensure_signed(origin)?),
				},
			};
			let kind = Self::mutate_open_title(title, |t| {
				let pos = t
					.encumbrances
					.iter()
					.position(|e| e.id == encumbrance)
					.ok_or(Error::<T>::EncumbranceNotFound)?;
				let mortgage = match t.encumbrances[pos].kind {
					EncumbranceKind::Mortgage { creditor, .. } => Some(creditor),
					_ => None,
				};
				match &actor {
					Actor::LandRegistry(_) => {
						ensure!(mortgage.is_none(), Error::<T>::MortgageNeedsCreditor)
					},
					Actor::Creditor(who) => ensure!(
						mortgage.is_some_and(|bank| T::Citizens::is_representative(bank, who)),
						Error::<T>::NotTheCreditor
					),
					Actor::Court(_) | Actor::Contract(_) => {},
				}
				Ok(t.encumbrances.remove(pos).kind)
			})?;
			Self::record(
				title,
				actor.clone(),
				Change::EncumbranceReleased { id: encumbrance, kind },
			)?;
			Self::deposit_event(Event::EncumbranceReleased { title, encumbrance, kind, by: actor });
			Ok(())
		}

		/// Freeze a title under the court case whose reference hashes to `case`: until
		/// unfrozen, it accepts no transfer, encumbrance or release; only court orders.
		///
		/// Origin: [`Config::CourtOrigin`]. Emits `TitleFrozen`. O(1).
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::freeze_title())]
		pub fn freeze_title(origin: OriginFor<T>, title: TitleId, case: H256) -> DispatchResult {
			let who = T::CourtOrigin::ensure_origin(origin)?;
			Self::mutate_title(title, |t| {
				ensure!(t.frozen.is_none(), Error::<T>::AlreadyFrozen);
				t.frozen = Some(case);
				Ok(())
			})?;
			FrozenBy::<T>::insert(title, &who);
			Self::record(title, Actor::Court(who.clone()), Change::Frozen { case })?;
			Self::deposit_event(Event::TitleFrozen { title, case, by: who });
			Ok(())
		}

		/// Lift the freeze of a title, under the court case whose reference hashes to
		/// `case` (which may differ from the freezing case, e.g. on appeal).
		///
		/// Origin: [`Config::CourtOrigin`]: the court that froze the title, or any court
		/// once that court's account has lost its role (else `NotTheFreezingCourt`). Emits
		/// `TitleUnfrozen`. O(1).
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::unfreeze_title())]
		pub fn unfreeze_title(origin: OriginFor<T>, title: TitleId, case: H256) -> DispatchResult {
			let who = T::CourtOrigin::ensure_origin(origin)?;
			Self::mutate_title(title, |t| {
				ensure!(t.frozen.is_some(), Error::<T>::NotFrozen);
				Self::ensure_freezing_court(title, &who)?;
				t.frozen = None;
				Ok(())
			})?;
			FrozenBy::<T>::remove(title);
			Self::record(title, Actor::Court(who.clone()), Change::Unfrozen { case })?;
			Self::deposit_event(Event::TitleUnfrozen { title, case, by: who });
			Ok(())
		}

		/// Rectify a title by court order: replace its owners and shares, its parcel data
		/// hash, or both. Allowed on a frozen title (the freeze stays until lifted).
		///
		/// Origin: [`Config::CourtOrigin`]; while the title is frozen, only the court that
		/// froze it (as for [`Pallet::unfreeze_title`]). New owners follow the rules of
		/// [`Pallet::create_title`]. Encumbrances are unchanged.
		///
		/// Emits `TitleRectified`. O(O) in the number of new owners.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::rectify_title(
			owners.as_ref().map_or(0, |o| o.len() as u32)
		))]
		pub fn rectify_title(
			origin: OriginFor<T>,
			title: TitleId,
			owners: Option<BoundedVec<(Owner, Ppm), T::MaxOwners>>,
			parcel_hash: Option<H256>,
			case: H256,
		) -> DispatchResult {
			let who = T::CourtOrigin::ensure_origin(origin)?;
			ensure!(owners.is_some() || parcel_hash.is_some(), Error::<T>::NothingToRectify);
			if let Some(owners) = &owners {
				Self::validate_owners(owners)?;
			}
			Self::mutate_title(title, |t| {
				if t.frozen.is_some() {
					Self::ensure_freezing_court(title, &who)?;
				}
				if let Some(owners) = &owners {
					t.owners = owners.clone();
				}
				if let Some(hash) = parcel_hash {
					t.parcel_hash = hash;
				}
				Ok(())
			})?;
			Self::record(
				title,
				Actor::Court(who.clone()),
				Change::Rectified { case, owners: owners.clone(), parcel_hash },
			)?;
			Self::deposit_event(Event::TitleRectified {
				title,
				case,
				owners: owners.map(|o| o.into_inner()),
				parcel_hash,
				by: who,
			});
			Ok(())
		}
	}
}

/// What the transfer-contracts pallet (and any other pallet) may ask of the land registry.
/// Implemented by [`Pallet`].
pub trait TitleRegistry<AccountId> {
	/// The owners of a title and their shares (parts per million), or `None` if there is no
	/// such title.
	fn title_owners(title: TitleId) -> Option<Vec<(Owner, Ppm)>>;

	/// Whether a court has frozen the title (`false` for an unknown title).
	fn is_frozen(title: TitleId) -> bool;

	/// The mortgages on a title: id, creditor (a bank) and amount. Empty for an unknown
	/// title.
	fn mortgages(title: TitleId) -> Vec<(EncumbranceId, EntityId, Amount)>;

	/// Whether `who` may act for `owner`: the citizen's current account (an active
	/// citizen), or a representative of the legal entity.
	fn may_act_for(owner: &Owner, who: &AccountId) -> bool;

	/// Whether the title can change hands now if the encumbrances `releasing` are released
	/// with the transfer. Fails with `TitleNotFound`, `TitleFrozen`, `EncumbranceNotFound`
	/// (an id in `releasing` is not on the title, or is listed twice) or
	/// `UnreleasedMortgage` (a mortgage is not in `releasing`).
	fn ensure_transferable(title: TitleId, releasing: &[EncumbranceId]) -> DispatchResult;

	/// Move `share` ppm of `title` from `from` to `to` under `deal`: the share merges into
	/// `to`'s if `to` owns one already, and `from` is removed once its share reaches 0. The
	/// encumbrances in `release` are released first. Checks everything
	/// [`TitleRegistry::ensure_transferable`] checks, that `to` is a registered citizen or an
	/// active entity, and that the shares still sum to [`WHOLE`]. Writes history entries and
	/// events with [`Actor::Contract`]`(deal)`. Atomic: on error nothing is written.
	fn transfer_share(
		title: TitleId,
		from: Owner,
		to: Owner,
		share: Ppm,
		release: &[EncumbranceId],
		deal: DealId,
	) -> DispatchResult;
}

impl<T: Config> Pallet<T> {
	/// The block's time, in milliseconds since the Unix epoch.
	pub fn now_ms() -> u64 {
		T::UnixTime::now().as_millis().try_into().unwrap_or(u64::MAX)
	}

	/// Appends an entry to a title's history.
	fn record(
		title: TitleId,
		actor: Actor<T::AccountId>,
		change: Change<SharesOf<T>>,
	) -> DispatchResult {
		let seq = HistoryLength::<T>::get(title);
		let next = seq.checked_add(1).ok_or(Error::<T>::IdOverflow)?;
		let entry: HistoryEntryOf<T> = HistoryEntry {
			actor,
			change,
			block: frame_system::Pallet::<T>::block_number(),
			timestamp: Self::now_ms(),
		};
		History::<T>::insert(title, seq, entry);
		HistoryLength::<T>::insert(title, next);
		Ok(())
	}

	/// Applies `f` to a title; nothing is written if `f` fails.
	fn mutate_title<R>(
		title: TitleId,
		f: impl FnOnce(&mut TitleOf<T>) -> Result<R, DispatchError>,
	) -> Result<R, DispatchError> {
		Titles::<T>::try_mutate(title, |maybe| {
			let t = maybe.as_mut().ok_or(Error::<T>::TitleNotFound)?;
			f(t)
		})
	}

	/// Whether `court` may act on frozen `title`: it froze it, or the court that did no
	/// longer holds the court role (so a removed court's freezes do not outlive it).
	fn ensure_freezing_court(title: TitleId, court: &T::AccountId) -> DispatchResult {
		let Some(freezer) = FrozenBy::<T>::get(title) else { return Ok(()) };
		let origin: T::RuntimeOrigin = frame_system::RawOrigin::Signed(freezer.clone()).into();
		let still_a_court = <T::CourtOrigin as polkadot_sdk::frame_support::traits::EnsureOrigin<
			T::RuntimeOrigin,
		>>::try_origin(origin)
		.is_ok();
		ensure!(freezer == *court || !still_a_court, Error::<T>::NotTheFreezingCourt);
		Ok(())
	}

	/// Applies `f` to a title unless it is frozen; nothing is written if `f` fails.
	fn mutate_open_title<R>(
		title: TitleId,
		f: impl FnOnce(&mut TitleOf<T>) -> Result<R, DispatchError>,
	) -> Result<R, DispatchError> {
		Self::mutate_title(title, |t| {
			ensure!(t.frozen.is_none(), Error::<T>::TitleFrozen);
			f(t)
		})
	}

	/// Whether `party` is a registered citizen or an active legal entity.
	fn party_exists(party: &Owner) -> bool {
		match party {
			Owner::Citizen(id) => T::Citizens::citizen(*id).is_some(),
			Owner::Entity(id) => T::Citizens::entity_is_active(*id),
		}
	}

	/// The shares make a whole title: each non-zero, each owner once, summing to
	/// [`WHOLE`].
	pub fn check_shares(owners: &[(Owner, Ppm)]) -> Result<(), Error<T>> {
		let mut total: u64 = 0;
		for (i, (owner, share)) in owners.iter().enumerate() {
			ensure!(*share > 0, Error::<T>::ZeroShare);
			ensure!(!owners[..i].iter().any(|(o, _)| o == owner), Error::<T>::DuplicateOwner);
			total = total.saturating_add(u64::from(*share));
		}
		ensure!(total == u64::from(WHOLE), Error::<T>::SharesDoNotSumToWhole);
		Ok(())
	}

	/// New owners: the shares make a whole and every owner exists.
	fn validate_owners(owners: &[(Owner, Ppm)]) -> DispatchResult {
		Self::check_shares(owners)?;
		for (owner, _) in owners {
			ensure!(Self::party_exists(owner), Error::<T>::OwnerNotFound);
		}
		Ok(())
	}

	/// A new encumbrance: non-zero amounts, existing parties.
	fn validate_encumbrance(kind: &EncumbranceKind) -> DispatchResult {
		match kind {
			EncumbranceKind::Mortgage { creditor, amount } => {
				ensure!(*amount > 0, Error::<T>::ZeroAmount);
				ensure!(T::Citizens::entity_is_active(*creditor), Error::<T>::PartyNotFound);
			},
			EncumbranceKind::Lien { holder, amount } => {
				ensure!(*amount > 0, Error::<T>::ZeroAmount);
				ensure!(Self::party_exists(holder), Error::<T>::PartyNotFound);
			},
			EncumbranceKind::Easement { beneficiary, .. } => {
				ensure!(Self::party_exists(beneficiary), Error::<T>::PartyNotFound);
			},
		}
		Ok(())
	}

	/// Not frozen; every id in `releasing` on the title, once; every mortgage in
	/// `releasing`.
	fn check_transferable(t: &TitleOf<T>, releasing: &[EncumbranceId]) -> DispatchResult {
		ensure!(t.frozen.is_none(), Error::<T>::TitleFrozen);
		for (i, id) in releasing.iter().enumerate() {
			ensure!(
				t.encumbrances.iter().any(|e| e.id == *id) && !releasing[..i].contains(id),
				Error::<T>::EncumbranceNotFound
			);
		}
		let unreleased = t.encumbrances.iter().any(|e| {
			matches!(e.kind, EncumbranceKind::Mortgage { .. }) && !releasing.contains(&e.id)
		});
		ensure!(!unreleased, Error::<T>::UnreleasedMortgage);
		Ok(())
	}

	/// Moves `share` ppm from `from` to `to` in `owners`: it merges into `to`'s share if
	/// `to` owns one, else `to` is appended; `from` is removed once its share reaches 0.
	/// The history replay in the invariant checks applies transfers with this too.
	fn move_share(
		owners: &mut SharesOf<T>,
		from: Owner,
		to: Owner,
		share: Ppm,
	) -> Result<(), Error<T>> {
		let from_pos = owners.iter().position(|(o, _)| *o == from).ok_or(Error::<T>::NotAnOwner)?;
		let left = owners[from_pos].1.checked_sub(share).ok_or(Error::<T>::InsufficientShare)?;
		if left == 0 {
			owners.remove(from_pos);
		} else {
			owners[from_pos].1 = left;
		}
		match owners.iter().position(|(o, _)| *o == to) {
			Some(pos) => {
				owners[pos].1 =
					owners[pos].1.checked_add(share).ok_or(Error::<T>::SharesDoNotSumToWhole)?;
			},
			None => owners.try_push((to, share)).map_err(|_| Error::<T>::TooManyOwners)?,
		}
		Ok(())
	}

	fn do_transfer_share(
		title: TitleId,
		from: Owner,
		to: Owner,
		share: Ppm,
		release: &[EncumbranceId],
		deal: DealId,
	) -> DispatchResult {
		ensure!(share > 0, Error::<T>::ZeroShare);
		ensure!(from != to, Error::<T>::SelfTransfer);
		let mut t = Titles::<T>::get(title).ok_or(Error::<T>::TitleNotFound)?;
		Self::check_transferable(&t, release)?;
		ensure!(Self::party_exists(&to), Error::<T>::OwnerNotFound);

		let mut released = Vec::with_capacity(release.len());
		for id in release {
			let pos = t
				.encumbrances
				.iter()
				.position(|e| e.id == *id)
				.ok_or(Error::<T>::EncumbranceNotFound)?;
			released.push(t.encumbrances.remove(pos));
		}

		Self::move_share(&mut t.owners, from, to, share)?;
		// The invariant: the title is still exactly one whole.
		Self::check_shares(&t.owners)?;
		Titles::<T>::insert(title, t);

		let actor = Actor::Contract(deal);
		for e in released {
			Self::record(
				title,
				actor.clone(),
				Change::EncumbranceReleased { id: e.id, kind: e.kind },
			)?;
			Self::deposit_event(Event::EncumbranceReleased {
				title,
				encumbrance: e.id,
				kind: e.kind,
				by: actor.clone(),
			});
		}
		Self::record(title, actor, Change::ShareTransferred { from, to, share })?;
		Self::deposit_event(Event::ShareTransferred { title, from, to, share, deal });
		Ok(())
	}

	/// Runtime API: a title by id.
	pub fn title_view(id: TitleId) -> Option<TitleView<BlockNumberFor<T>>> {
		let t = Titles::<T>::get(id)?;
		Some(TitleView {
			id,
			cadastral_id: t.cadastral_id.into_inner(),
			parcel_hash: t.parcel_hash,
			owners: t.owners.into_inner(),
			encumbrances: t.encumbrances.into_inner(),
			frozen: t.frozen,
			created_at: t.created_at,
			history_len: HistoryLength::<T>::get(id),
		})
	}

	/// Runtime API: the title of a cadastral id.
	pub fn title_id_by_cadastral_id(cadastral_id: Vec<u8>) -> Option<TitleId> {
		let key = CadastralId::try_from(cadastral_id).ok()?;
		TitleByCadastralId::<T>::get(key)
	}

	/// Runtime API: up to `max` (at most [`MAX_HISTORY_PAGE`]) history entries of a title,
	/// from sequence number `from_seq` on, in order. Entries are never removed, so the
	/// `i`-th returned entry has sequence number `from_seq + i`.
	pub fn history(
		id: TitleId,
		from_seq: u32,
		max: u32,
	) -> Vec<HistoryEntryView<T::AccountId, BlockNumberFor<T>>> {
		let end = from_seq
			.saturating_add(max.min(MAX_HISTORY_PAGE))
			.min(HistoryLength::<T>::get(id));
		(from_seq..end)
			.filter_map(|seq| History::<T>::get(id, seq))
			.map(|entry| entry.into_view())
			.collect()
	}

	/// Runtime API: the full storage keys of a title's record, for a storage proof: the
	/// title (`Titles`), its cadastral index entry (`TitleByCadastralId`) and its history
	/// counter (`HistoryLength`), in that order. Empty for an unknown title.
	pub fn title_storage_keys(id: TitleId) -> Vec<Vec<u8>> {
		let Some(t) = Titles::<T>::get(id) else {
			return Vec::new();
		};
		alloc::vec![
			Titles::<T>::hashed_key_for(id),
			TitleByCadastralId::<T>::hashed_key_for(&t.cadastral_id),
			HistoryLength::<T>::hashed_key_for(id),
		]
	}
}

/// Storage invariants: every rule the calls keep between this pallet's storage items. They
/// iterate over every title and history entry, so they run only off chain: under
/// try-runtime and after each test.
#[cfg(any(feature = "try-runtime", test))]
impl<T: Config> Pallet<T> {
	/// Checks every invariant; the error names the first one found broken.
	///
	/// Each title: an id below the counter; a non-empty cadastral id indexed to it; owners'
	/// shares that make a whole; non-zero secured amounts; and a history, numbered from 0
	/// without gaps, that rebuilds the title exactly. Every cadastral index entry and every
	/// history entry or counter belongs to an existing title.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let next_title = NextTitleId::<T>::get();
		for (id, t) in Titles::<T>::iter() {
			ensure!(id < next_title, "title id not below NextTitleId");
			ensure!(!t.cadastral_id.is_empty(), "empty cadastral id");
			ensure!(
				TitleByCadastralId::<T>::get(&t.cadastral_id) == Some(id),
				"title's cadastral id not bound to it in TitleByCadastralId"
			);
			ensure!(Self::check_shares(&t.owners).is_ok(), "owners' shares do not make a whole");
			let zero_amount = t.encumbrances.iter().any(|e| {
				matches!(
					e.kind,
					EncumbranceKind::Mortgage { amount: 0, .. }
						| EncumbranceKind::Lien { amount: 0, .. }
				)
			});
			ensure!(!zero_amount, "mortgage or lien of zero amount");
			Self::try_state_history(id, &t)?;
		}
		for (cadastral_id, id) in TitleByCadastralId::<T>::iter() {
			ensure!(
				Titles::<T>::get(id).is_some_and(|t| t.cadastral_id == cadastral_id),
				"TitleByCadastralId entry without a title of that cadastral id"
			);
		}
		for (id, _) in FrozenBy::<T>::iter() {
			ensure!(Titles::<T>::contains_key(id), "freezing court of a missing title");
		}
		for (id, _) in HistoryLength::<T>::iter() {
			ensure!(Titles::<T>::contains_key(id), "history of a missing title");
		}
		for (id, seq, _) in History::<T>::iter() {
			ensure!(Titles::<T>::contains_key(id), "history of a missing title");
			ensure!(seq < HistoryLength::<T>::get(id), "history entry at or beyond HistoryLength");
		}
		Ok(())
	}

	/// Replays the title's history from its `Created` entry, applying each change as the
	/// calls do, and compares the result with the stored title: a title changed without a
	/// history entry (an owner swapped, a mortgage dropped, a freeze lifted) or an entry
	/// no call could have written is reported.
	fn try_state_history(id: TitleId, t: &TitleOf<T>) -> Result<(), TryRuntimeError> {
		let len = HistoryLength::<T>::get(id);
		ensure!(len > 0, "title without history");
		let entry = |seq: u32| History::<T>::get(id, seq).ok_or("gap in title history");
		let first = entry(0)?;
		let Change::Created { cadastral_id, parcel_hash, owners } = first.change else {
			return Err("first history entry is not Created".into());
		};
		let mut replay: TitleOf<T> = Title {
			cadastral_id,
			parcel_hash,
			owners,
			encumbrances: Default::default(),
			next_encumbrance_id: 0,
			frozen: None,
			created_at: first.block,
		};
		let mut frozen_by = None;
		for seq in 1..len {
			let HistoryEntry { change, block, actor, .. } = entry(seq)?;
			let court_order = matches!(
				change,
				Change::Frozen { .. } | Change::Unfrozen { .. } | Change::Rectified { .. }
			);
			ensure!(
				replay.frozen.is_none() || court_order,
				"history changes a frozen title other than by court order"
			);
			match change {
				Change::Created { .. } => return Err("Created entry after the first".into()),
				Change::EncumbranceAdded { id, kind } => {
					ensure!(id == replay.next_encumbrance_id, "encumbrance added out of sequence");
					replay.next_encumbrance_id = id.saturating_add(1);
					replay
						.encumbrances
						.try_push(Encumbrance { id, kind, registered_at: block })
						.map_err(|_| "history holds more encumbrances than MaxEncumbrances")?;
				},
				Change::EncumbranceReleased { id, kind } => {
					let pos = replay
						.encumbrances
						.iter()
						.position(|e| e.id == id && e.kind == kind)
						.ok_or("history releases an encumbrance not in force")?;
					replay.encumbrances.remove(pos);
				},
				Change::Frozen { case } => {
					ensure!(replay.frozen.is_none(), "history freezes a frozen title");
					replay.frozen = Some(case);
					frozen_by = actor.account().cloned();
				},
				Change::Unfrozen { .. } => {
					ensure!(replay.frozen.is_some(), "history unfreezes an open title");
					replay.frozen = None;
					frozen_by = None;
				},
				Change::Rectified { owners, parcel_hash, .. } => {
					if let Some(owners) = owners {
						replay.owners = owners;
					}
					if let Some(hash) = parcel_hash {
						replay.parcel_hash = hash;
					}
				},
				Change::ShareTransferred { from, to, share } => {
					Self::move_share(&mut replay.owners, from, to, share)
						.map_err(|_| "history transfers a share its owner lacks")?;
				},
			}
		}
		ensure!(replay.cadastral_id == t.cadastral_id, "cadastral id disagrees with history");
		ensure!(replay.created_at == t.created_at, "creation block disagrees with history");
		ensure!(replay.owners == t.owners, "owners disagree with history");
		ensure!(replay.parcel_hash == t.parcel_hash, "parcel hash disagrees with history");
		ensure!(replay.encumbrances == t.encumbrances, "encumbrances disagree with history");
		ensure!(
			replay.next_encumbrance_id == t.next_encumbrance_id,
			"encumbrance counter disagrees with history"
		);
		ensure!(replay.frozen == t.frozen, "freeze disagrees with history");
		ensure!(frozen_by == FrozenBy::<T>::get(id), "the freezing court disagrees with history");
		Ok(())
	}
}

impl<T: Config> TitleRegistry<T::AccountId> for Pallet<T> {
	fn title_owners(title: TitleId) -> Option<Vec<(Owner, Ppm)>> {
		Titles::<T>::get(title).map(|t| t.owners.into_inner())
	}

	fn is_frozen(title: TitleId) -> bool {
		Titles::<T>::get(title).is_some_and(|t| t.frozen.is_some())
	}

	fn mortgages(title: TitleId) -> Vec<(EncumbranceId, EntityId, Amount)> {
		Titles::<T>::get(title)
			.map(|t| {
				t.encumbrances
					.iter()
					.filter_map(|e| match e.kind {
						EncumbranceKind::Mortgage { creditor, amount } => {
							Some((e.id, creditor, amount))
						},
						_ => None,
					})
					.collect()
			})
			.unwrap_or_default()
	}

	fn may_act_for(owner: &Owner, who: &T::AccountId) -> bool {
		match owner {
			Owner::Citizen(id) => T::Citizens::citizen(*id)
				.is_some_and(|c| c.status == CitizenStatus::Active && c.account == *who),
			Owner::Entity(id) => T::Citizens::is_representative(*id, who),
		}
	}

	fn ensure_transferable(title: TitleId, releasing: &[EncumbranceId]) -> DispatchResult {
		let t = Titles::<T>::get(title).ok_or(Error::<T>::TitleNotFound)?;
		Self::check_transferable(&t, releasing)
	}

	fn transfer_share(
		title: TitleId,
		from: Owner,
		to: Owner,
		share: Ppm,
		release: &[EncumbranceId],
		deal: DealId,
	) -> DispatchResult {
		frame_support::storage::with_storage_layer(|| {
			Self::do_transfer_share(title, from, to, share, release, deal)
		})
	}
}
