//! # Property Transfers Pallet
//!
//! Escrow deals ("smart contracts") that move a land title, or a share of one, from a seller
//! to a buyer once everyone who must agree has agreed and the buyer has paid.
//!
//! ## Overview
//!
//! - **Opening.** An owner of a title (a citizen or legal entity, see [`Owner`]), acting
//!   through an account for which [`TitleRegistry::may_act_for`] holds, opens a deal
//!   ([`DealTerms`]): the share sold (its whole share or part of it, in parts per million),
//!   the buyer, the price, a deadline (at most [`Config::MaxDealDuration`] blocks ahead),
//!   every mortgage on the title (each is paid off out of the price and released at
//!   settlement), whether the land registry must also approve, and where the proceeds go.
//!   The title must not be frozen; the seller may not offer more than it owns across its
//!   open deals; the mortgages and the transfer duty must fit in the price.
//! - **Agreement.** Required before settlement:
//!   - a notary ([`Role::Notary`], any of them, not acting for seller or buyer);
//!   - for each mortgage released, a representative of its creditor (the bank), who names
//!     the account the bank's payout goes to;
//!   - the land registry ([`Role::LandRegistry`]), when the deal says so;
//!   - on a co-owned title, every other co-owner (an account acting for it). The co-owners
//!     asked are those of the title at settlement, less the seller and the buyer.
//!
//!   Any approver may reject instead, which ends the deal.
//! - **Escrow.** The buyer (an account acting for the buyer) deposits exactly the price: it
//!   moves to the pallet's escrow account ([`Pallet::escrow_account`], derived from
//!   [`Config::PalletId`]), which holds every open deal's deposit and nothing else.
//! - **Settlement.** Once everything is in, any party or approver settles: in one dispatch,
//!   the share moves ([`TitleRegistry::transfer_share`], which releases the mortgages and
//!   writes the title's history under [`pallet_property_registry::Actor::Contract`]), each
//!   creditor is paid its mortgage's amount, the transfer duty ([`Config::TransferDuty`] of
//!   the price) goes to [`Config::Treasury`], and the rest to the seller. Either all of it
//!   happens or none of it.
//! - **Failure paths.** The seller may cancel at any time before settlement, the buyer
//!   only before depositing; an approver may reject; past the deadline anyone may expire
//!   the deal, and `on_idle` expires due deals by itself, at most
//!   [`Config::MaxExpiriesPerBlock`] a block and only within the block's spare weight. On
//!   every one of these paths the deposit, if any, goes back to the account that paid it.
//! - **Key rotation.** Accounts are resolved when money moves: a refund or payout to an
//!   account a citizen signed with before a key rotation goes to the citizen's current
//!   account ([`CitizenRegistry::current_account`]), so a recovered key does not leave a
//!   thief paid. A deal settles only while its opener still acts for the seller, and a
//!   consent counts only while its signer acts for its co-owner: what a stolen key set up
//!   lapses with the recovery, and the seller's current key may cancel it. While the
//!   seller's, the buyer's or the depositor's rotation runs its notice
//!   ([`CitizenRegistry::is_rotating`]), their deals are frozen (`PartyRotating`): nothing
//!   opens, is deposited, consented, settles, is cancelled, rejected or expires.
//!
//! Every title has at most [`Config::MaxDealsPerTitle`] open deals and every account at most
//! [`Config::MaxDealsPerAccount`] open deals opened by it. Ended deals stay in storage with
//! their final status. No call iterates over anything unbounded: a deal touches one title,
//! its open-deal list and its own records.
//!
//! ## Interface
//!
//! ### For sellers (an account acting for an owner of the title)
//! - [`Pallet::open_deal`], [`Pallet::cancel`]
//!
//! ### For buyers (an account acting for the buyer)
//! - [`Pallet::deposit`]; [`Pallet::cancel`] before depositing
//!
//! ### For co-owners (an account acting for another owner of the title)
//! - [`Pallet::consent`]
//!
//! ### For approvers
//! - notaries ([`Role::Notary`]): [`Pallet::approve_as_notary`]
//! - the released mortgages' creditors (a representative of the bank):
//!   [`Pallet::approve_as_creditor`]
//! - the land registry ([`Role::LandRegistry`]), when required:
//!   [`Pallet::approve_as_land_registry`]
//! - any of them: [`Pallet::reject`]
//!
//! ### For any party or approver
//! - [`Pallet::settle`]
//!
//! ### For everyone
//! - [`Pallet::expire`] (once the deadline has passed)
//! - the [`runtime_api::PropertyTransfersApi`]: a deal with its approvals and whether it is
//!   ready, and the open deals of a title.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(any(feature = "try-runtime", test))]
mod invariants;
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
use egov_primitives::{Authorities, CitizenRegistry, EntityId, Role};
pub use pallet::*;
pub use pallet_property_registry::{
	Amount, DealId, EncumbranceId, Owner, Ppm, TitleId, TitleRegistry, WHOLE,
};
use polkadot_sdk::{
	frame_support::{
		self,
		dispatch::DispatchResult,
		ensure,
		traits::{
			fungible::{Inspect, Mutate},
			tokens::{Fortitude, Preservation},
			Get,
		},
		weights::Weight,
		BoundedVec, PalletId,
	},
	frame_system::{self, pallet_prelude::BlockNumberFor},
	sp_runtime::{
		traits::{AccountIdConversion, CheckedAdd, CheckedSub, One, Zero},
		DispatchError, Perbill, SaturatedConversion, Saturating,
	},
};
pub use types::*;
pub use weights::WeightInfo;

/// Log target of this pallet.
const LOG_TARGET: &str = "runtime::property-transfers";

/// Most deadline blocks `on_idle` looks at in one block (each costs one read), whether or
/// not deals are due at them.
pub const MAX_DEADLINE_STEPS_PER_BLOCK: u32 = 256;

/// Blocks after a failed `on_idle` expiry before `on_idle` tries that deal again (an hour
/// of 6-second blocks): the deal stays open and indexed, and others behind it go on.
pub const EXPIRY_RETRY_DELAY: u32 = 600;

/// The money the deals are paid in.
pub type BalanceOf<T> =
	<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// The mortgages a deal releases, as stored.
pub type ReleasesOf<T> =
	BoundedVec<Release<<T as frame_system::Config>::AccountId>, <T as Config>::MaxReleases>;

/// A deal, as stored.
pub type DealOf<T> =
	Deal<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>, ReleasesOf<T>>;

/// The terms of a deal, as [`Pallet::open_deal`] takes them.
pub type DealTermsOf<T> = DealTerms<
	<T as frame_system::Config>::AccountId,
	BalanceOf<T>,
	BlockNumberFor<T>,
	BoundedVec<EncumbranceId, <T as Config>::MaxReleases>,
>;

/// A deal, as the runtime API returns it.
pub type DealViewOf<T> =
	DealView<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;

/// What the benchmarks need from the runtime beyond the traits of [`Config`].
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Registers an active legal entity represented by the (registered, active) citizen
	/// `citizen`, whose account is `account`, and returns its id; `None` if the runtime
	/// cannot. The creditor benchmarks need one: without it they report a conservative
	/// overridden weight instead of a measured one.
	fn entity_represented_by(
		_citizen: egov_primitives::CitizenId,
		_account: &AccountId,
	) -> Option<EntityId> {
		None
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl<AccountId> BenchmarkHelper<AccountId> for () {}

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

		/// The money prices are paid in (e.g. `Balances`).
		type Currency: Mutate<Self::AccountId>;

		/// The land registry: owners, freezes, mortgages, share transfers.
		type Titles: TitleRegistry<Self::AccountId>;

		/// Who holds which role (notaries, the land registry).
		type Authorities: Authorities<Self::AccountId>;

		/// Citizens and legal entities: who represents a mortgage's creditor.
		type Citizens: CitizenRegistry<Self::AccountId, BlockNumberFor<Self>>;

		/// The id the escrow account is derived from.
		#[pallet::constant]
		type PalletId: Get<PalletId>;

		/// Where the transfer duty goes. It should exist (hold at least the existential
		/// deposit), or a duty below the existential deposit cannot be paid.
		type Treasury: Get<Self::AccountId>;

		/// The transfer duty, a part of the price.
		#[pallet::constant]
		type TransferDuty: Get<Perbill>;

		/// Longest a deal may stay open: its deadline is at most this many blocks after
		/// opening.
		#[pallet::constant]
		type MaxDealDuration: Get<BlockNumberFor<Self>>;

		/// Most open deals one title may have.
		#[pallet::constant]
		type MaxDealsPerTitle: Get<u32>;

		/// Most open deals one account may have opened.
		#[pallet::constant]
		type MaxDealsPerAccount: Get<u32>;

		/// Most mortgages one deal may release. Should be at least the registry's
		/// `MaxEncumbrances`: a title with more mortgages than this cannot be sold.
		#[pallet::constant]
		type MaxReleases: Get<u32>;

		/// Most deals `on_idle` expires in one block.
		#[pallet::constant]
		type MaxExpiriesPerBlock: Get<u32>;

		/// Weights of this pallet's calls, generated by its benchmarks.
		type WeightInfo: WeightInfo;

		/// What the benchmarks need from the runtime (a legal entity for the creditor
		/// benchmarks). `()` is fine: those benchmarks then report an overridden weight.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// The id the next deal gets.
	#[pallet::storage]
	pub type NextDealId<T> = StorageValue<_, DealId, ValueQuery>;

	/// Deals by id, open and ended.
	///
	/// TWOX-NOTE: ids are assigned sequentially by this pallet, not chosen by users.
	#[pallet::storage]
	pub type Deals<T: Config> = StorageMap<_, Twox64Concat, DealId, DealOf<T>>;

	/// Co-owners' consents, by deal and co-owner: the account that consented.
	///
	/// TWOX-NOTE: sequential deal ids.
	#[pallet::storage]
	pub type Consents<T: Config> =
		StorageDoubleMap<_, Twox64Concat, DealId, Blake2_128Concat, Owner, T::AccountId>;

	/// The open deals of each title, in the order they were opened.
	///
	/// TWOX-NOTE: title ids are assigned sequentially by the land registry.
	#[pallet::storage]
	pub type DealsOfTitle<T: Config> =
		StorageMap<_, Twox64Concat, TitleId, BoundedVec<DealId, T::MaxDealsPerTitle>, ValueQuery>;

	/// How many open deals each account has opened.
	#[pallet::storage]
	pub type OpenDealsOf<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// The open deals, by deadline: what `on_idle` expires. A deal whose expiry failed is
	/// here at its [`ExpiryRetryAt`] block instead.
	///
	/// TWOX-NOTE: block numbers and sequential deal ids.
	#[pallet::storage]
	pub type DealsByDeadline<T: Config> =
		StorageDoubleMap<_, Twox64Concat, BlockNumberFor<T>, Twox64Concat, DealId, ()>;

	/// The next deadline block `on_idle` looks at; every open deal's deadline is at or
	/// after it. `None` until the first deal.
	#[pallet::storage]
	pub type ExpiryCursor<T: Config> = StorageValue<_, BlockNumberFor<T>>;

	/// Open deals `on_idle` could not expire, and the block at which it tries again.
	///
	/// TWOX-NOTE: sequential deal ids.
	#[pallet::storage]
	pub type ExpiryRetryAt<T: Config> = StorageMap<_, Twox64Concat, DealId, BlockNumberFor<T>>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A seller opened a deal.
		DealOpened {
			deal: DealId,
			title: TitleId,
			seller: Owner,
			buyer: Owner,
			share: Ppm,
			price: BalanceOf<T>,
			deadline: BlockNumberFor<T>,
			opened_by: T::AccountId,
		},
		/// A co-owner consented to a deal.
		CoOwnerConsented { deal: DealId, owner: Owner, by: T::AccountId },
		/// The buyer deposited the price into escrow.
		Deposited { deal: DealId, by: T::AccountId, amount: BalanceOf<T> },
		/// A notary approved a deal.
		NotaryApproved { deal: DealId, by: T::AccountId },
		/// A mortgage's creditor approved a deal; its payout goes to `payout`.
		CreditorApproved {
			deal: DealId,
			encumbrance: EncumbranceId,
			creditor: EntityId,
			by: T::AccountId,
			payout: T::AccountId,
		},
		/// The land registry approved a deal.
		LandRegistryApproved { deal: DealId, by: T::AccountId },
		/// An approver rejected a deal; it has ended.
		DealRejected { deal: DealId, by: T::AccountId },
		/// The seller or the buyer cancelled a deal; it has ended.
		DealCancelled { deal: DealId, by: T::AccountId },
		/// A deal's deadline passed before settlement; it has ended.
		DealExpired { deal: DealId },
		/// A deposit went back to the account that paid it.
		Refunded { deal: DealId, to: T::AccountId, amount: BalanceOf<T> },
		/// A creditor was paid off at settlement.
		CreditorPaid {
			deal: DealId,
			encumbrance: EncumbranceId,
			creditor: EntityId,
			to: T::AccountId,
			amount: BalanceOf<T>,
		},
		/// The transfer duty was paid at settlement.
		DutyPaid { deal: DealId, to: T::AccountId, amount: BalanceOf<T> },
		/// A deal was settled: the share moved and the price was paid out.
		DealSettled {
			deal: DealId,
			title: TitleId,
			seller: Owner,
			buyer: Owner,
			share: Ppm,
			price: BalanceOf<T>,
			duty: BalanceOf<T>,
			to_seller: BalanceOf<T>,
		},
		/// `on_idle` could not expire a due deal. If it is still open it stays so, `on_idle`
		/// tries again at `retry_at` and `expire` may be called meanwhile; `retry_at` is
		/// `None` for an index entry of a deal that had already ended (dropped).
		ExpiryFailed { deal: DealId, error: DispatchError, retry_at: Option<BlockNumberFor<T>> },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No deal has this id.
		DealNotFound,
		/// No title has this id.
		TitleNotFound,
		/// The price is zero.
		ZeroPrice,
		/// The price is below the existential deposit.
		PriceBelowMinimum,
		/// The share sold is zero.
		ZeroShare,
		/// The buyer is the seller.
		SelfDealing,
		/// The seller does not own a share of the title, or the signer cannot act for it.
		NotASeller,
		/// The share exceeds what the seller owns and has not offered in other open deals.
		ShareTooLarge,
		/// The signer cannot act for the buyer.
		NotTheBuyer,
		/// The signer cannot act for a co-owner whose consent the deal needs.
		NotACoOwner,
		/// The co-owners the signer acts for have consented already.
		AlreadyConsented,
		/// The signer is not an approver of this deal: not a notary (or acting for seller or
		/// buyer), not a representative of a released mortgage's creditor, or not the land
		/// registry (or the deal does not need it).
		WrongApprover,
		/// This approval was given already.
		AlreadyApproved,
		/// The signer is neither a party to the deal nor one of its approvers.
		NotAParty,
		/// The title is frozen by a court.
		TitleFrozen,
		/// The deadline has passed (or, when opening, is not in the future).
		DeadlinePassed,
		/// The deadline is further ahead than the longest deal allowed.
		DeadlineTooFar,
		/// The deadline has not passed yet.
		DeadlineNotPassed,
		/// An encumbrance to release is not a mortgage on the title.
		MortgageNotOnTitle,
		/// A mortgage to release is listed twice.
		DuplicateMortgage,
		/// A mortgage on the title is not among those the deal releases.
		MortgageNotReleased,
		/// The deal would release more mortgages than allowed.
		TooManyReleases,
		/// The mortgages paid off and the transfer duty exceed the price.
		PayoutsExceedPrice,
		/// The amount deposited is below the price.
		InsufficientDeposit,
		/// The amount deposited is above the price.
		ExcessiveDeposit,
		/// The buyer's account cannot pay the price (and keep its existential deposit).
		InsufficientBalance,
		/// The price was deposited already.
		AlreadyDeposited,
		/// An approval, a consent or the deposit is missing.
		NotReady,
		/// The deal was settled already.
		AlreadySettled,
		/// The deal has ended (cancelled, rejected or expired).
		WrongStatus,
		/// The title has the most open deals allowed.
		TooManyDeals,
		/// The signer has opened the most open deals allowed.
		TooManyDealsByAccount,
		/// The deal id counter is exhausted.
		IdOverflow,
		/// A notary rejects only a deal it approved itself: another notary (or any notary,
		/// before one approved) cannot end it.
		NotTheDealsNotary,
		/// A payment the settlement would make (to a creditor, the duty, or the seller's
		/// rest) is above zero but below the existential deposit: it could never be paid
		/// into a new account, nor leave the escrow account alive, so the deal could never
		/// settle.
		PayoutBelowMinimum,
		/// The seller already has open deals on the title, and the places left are held
		/// for the co-owners who have none.
		PlacesHeldForCoOwners,
		/// The seller, the buyer or the paying account is in a key rotation's notice
		/// period: their deals are frozen until it completes or is cancelled.
		PartyRotating,
		/// The account that opened the deal no longer acts for the seller (its key was
		/// rotated away, or it no longer represents the seller): the deal cannot settle.
		OpenerNoLongerActs,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Expires due deals with the block's spare weight.
		fn on_idle(now: BlockNumberFor<T>, remaining_weight: Weight) -> Weight {
			Self::expire_due(now, remaining_weight)
		}

		fn integrity_test() {
			assert!(T::MaxDealsPerTitle::get() > 0, "MaxDealsPerTitle must be positive");
			assert!(T::MaxDealsPerAccount::get() > 0, "MaxDealsPerAccount must be positive");
			assert!(T::MaxExpiriesPerBlock::get() > 0, "MaxExpiriesPerBlock must be positive");
			assert!(!T::MaxDealDuration::get().is_zero(), "MaxDealDuration must be positive");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(
			_n: BlockNumberFor<T>,
		) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Open a deal selling `terms.share` of `terms.title` from `terms.seller` to
		/// `terms.buyer` for `terms.price`.
		///
		/// Origin: signed by an account acting for the seller
		/// ([`TitleRegistry::may_act_for`]). The price is non-zero and at least the
		/// existential deposit; the share non-zero and within what the seller owns and has
		/// not offered in its other open deals on the title; the buyer is not the seller;
		/// the deadline in the future and at most [`Config::MaxDealDuration`] ahead; the
		/// title exists and is not frozen; `terms.releases` lists every mortgage on the
		/// title, once; the mortgages and the duty fit in the price, and each payment of the
		/// settlement (creditors, duty, the seller's rest) is zero or at least the
		/// existential deposit (`PayoutBelowMinimum`); the title and the signer have room
		/// for another open deal, and a seller with open deals on the title already leaves
		/// a place for each co-owner with none (`PlacesHeldForCoOwners`), so no co-owner
		/// can lock the others out of selling; neither party nor the signer is in a key
		/// rotation's notice (`PartyRotating`).
		///
		/// Emits `DealOpened`. O(R + D) in the mortgages released and the title's open deals.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::open_deal(terms.releases.len() as u32))]
		pub fn open_deal(origin: OriginFor<T>, terms: DealTermsOf<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let now = frame_system::Pallet::<T>::block_number();
			let DealTerms {
				title,
				seller,
				buyer,
				share,
				price,
				deadline,
				releases,
				land_registry_approval,
				seller_payout,
			} = terms;
			ensure!(!price.is_zero(), Error::<T>::ZeroPrice);
			ensure!(price >= T::Currency::minimum_balance(), Error::<T>::PriceBelowMinimum);
			ensure!(share > 0, Error::<T>::ZeroShare);
			ensure!(buyer != seller, Error::<T>::SelfDealing);
			ensure!(deadline > now, Error::<T>::DeadlinePassed);
			ensure!(
				deadline <= now.saturating_add(T::MaxDealDuration::get()),
				Error::<T>::DeadlineTooFar
			);
			let owners = T::Titles::title_owners(title).ok_or(Error::<T>::TitleNotFound)?;
			ensure!(!T::Titles::is_frozen(title), Error::<T>::TitleFrozen);
			ensure!(T::Titles::may_act_for(&seller, &who), Error::<T>::NotASeller);
			ensure!(
				!Self::owner_rotating(&seller)
					&& !Self::owner_rotating(&buyer)
					&& !Self::account_rotating(&who),
				Error::<T>::PartyRotating
			);
			let held = owners
				.iter()
				.find(|(owner, _)| *owner == seller)
				.map(|(_, s)| *s)
				.ok_or(Error::<T>::NotASeller)?;
			let mut open = DealsOfTitle::<T>::get(title);
			let sellers: Vec<(Owner, Ppm)> = open
				.iter()
				.filter_map(|id| Deals::<T>::get(id))
				.map(|d| (d.seller, d.share))
				.collect();
			let offered = sellers
				.iter()
				.filter(|(s, _)| *s == seller)
				.fold(0u32, |acc, (_, share)| acc.saturating_add(*share));
			ensure!(share <= held.saturating_sub(offered), Error::<T>::ShareTooLarge);
			let releases = Self::releases_for(title, &releases)?;
			let ids: Vec<EncumbranceId> = releases.iter().map(|r| r.encumbrance).collect();
			T::Titles::ensure_transferable(title, &ids)?;
			// Every payment the settlement makes must be payable: nothing between zero and
			// the existential deposit (smallest first, the escrow then never dips below it).
			let (duty, rest) = Self::split_price(price, &releases)?;
			let minimum = T::Currency::minimum_balance();
			let payable = |amount: BalanceOf<T>| amount.is_zero() || amount >= minimum;
			ensure!(
				payable(duty)
					&& payable(rest)
					&& releases.iter().all(|r| payable(r.amount.saturated_into())),
				Error::<T>::PayoutBelowMinimum
			);

			let deal = NextDealId::<T>::get();
			let next = deal.checked_add(1).ok_or(Error::<T>::IdOverflow)?;
			open.try_push(deal).map_err(|_| Error::<T>::TooManyDeals)?;
			// A co-owner with no open deal on the title always finds a place: a seller with
			// deals there already cannot take the places the others would need.
			let without_deals = owners
				.iter()
				.filter(|(owner, _)| *owner != seller && !sellers.iter().any(|(s, _)| s == owner))
				.count() as u32;
			ensure!(
				offered == 0
					|| (open.len() as u32).saturating_add(without_deals)
						<= T::MaxDealsPerTitle::get(),
				Error::<T>::PlacesHeldForCoOwners
			);
			let opened = OpenDealsOf::<T>::get(&who);
			ensure!(opened < T::MaxDealsPerAccount::get(), Error::<T>::TooManyDealsByAccount);

			NextDealId::<T>::put(next);
			DealsOfTitle::<T>::insert(title, open);
			OpenDealsOf::<T>::insert(&who, opened.saturating_add(1));
			DealsByDeadline::<T>::insert(deadline, deal, ());
			ExpiryCursor::<T>::mutate(|cursor| {
				*cursor = Some(cursor.map_or(deadline, |c| c.min(deadline)));
			});
			Deals::<T>::insert(
				deal,
				Deal {
					title,
					seller,
					buyer,
					share,
					price,
					deadline,
					seller_payout,
					opened_by: who.clone(),
					opened_at: now,
					releases,
					land_registry_required: land_registry_approval,
					notary: None,
					land_registry: None,
					deposit: None,
					status: DealStatus::Open,
				},
			);
			Self::deposit_event(Event::DealOpened {
				deal,
				title,
				seller,
				buyer,
				share,
				price,
				deadline,
				opened_by: who,
			});
			Ok(())
		}

		/// Consent, as a co-owner of the title, to a deal. Consents for every co-owner the
		/// signer acts for (other than the seller and the buyer) that has not consented.
		///
		/// Origin: signed by an account acting for a current co-owner. The deal must be open
		/// and its deadline not passed.
		///
		/// Emits `CoOwnerConsented` per co-owner. O(O) in the title's owners.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::consent())]
		pub fn consent(origin: OriginFor<T>, deal: DealId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let d = Self::live_deal(deal)?;
			Self::ensure_not_rotating(&d)?;
			ensure!(!Self::account_rotating(&who), Error::<T>::PartyRotating);
			let owners = T::Titles::title_owners(d.title).ok_or(Error::<T>::TitleNotFound)?;
			let mut acts_for_one = false;
			let mut consented = Vec::new();
			for (owner, _) in owners {
				if owner == d.seller || owner == d.buyer {
					continue;
				}
				if T::Titles::may_act_for(&owner, &who) {
					acts_for_one = true;
					if !Self::consent_counts(deal, &owner) {
						Consents::<T>::insert(deal, owner, who.clone());
						consented.push(owner);
					}
				}
			}
			ensure!(acts_for_one, Error::<T>::NotACoOwner);
			ensure!(!consented.is_empty(), Error::<T>::AlreadyConsented);
			for owner in consented {
				Self::deposit_event(Event::CoOwnerConsented { deal, owner, by: who.clone() });
			}
			Ok(())
		}

		/// Deposit the price of a deal into escrow. `amount` must be exactly the price.
		///
		/// Origin: signed by an account acting for the buyer; that account pays and gets the
		/// deposit back if the deal fails. It must keep its existential deposit. The deal
		/// must be open, its deadline not passed, the title not frozen.
		///
		/// Emits `Deposited`. O(1).
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::deposit())]
		pub fn deposit(origin: OriginFor<T>, deal: DealId, amount: BalanceOf<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut d = Self::live_deal(deal)?;
			ensure!(T::Titles::may_act_for(&d.buyer, &who), Error::<T>::NotTheBuyer);
			ensure!(d.deposit.is_none(), Error::<T>::AlreadyDeposited);
			Self::ensure_not_rotating(&d)?;
			ensure!(!Self::account_rotating(&who), Error::<T>::PartyRotating);
			ensure!(amount >= d.price, Error::<T>::InsufficientDeposit);
			ensure!(amount <= d.price, Error::<T>::ExcessiveDeposit);
			ensure!(!T::Titles::is_frozen(d.title), Error::<T>::TitleFrozen);
			ensure!(
				T::Currency::reducible_balance(&who, Preservation::Preserve, Fortitude::Polite)
					>= d.price,
				Error::<T>::InsufficientBalance
			);
			T::Currency::transfer(&who, &Self::escrow_account(), d.price, Preservation::Preserve)?;
			d.deposit = Some(who.clone());
			let price = d.price;
			Deals::<T>::insert(deal, d);
			Self::deposit_event(Event::Deposited { deal, by: who, amount: price });
			Ok(())
		}

		/// Approve a deal as its notary.
		///
		/// Origin: signed by a holder of [`Role::Notary`] who does not act for the seller or
		/// the buyer. One notary's approval is needed; the deal must be open and its deadline
		/// not passed.
		///
		/// Emits `NotaryApproved`. O(1).
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::approve_as_notary())]
		pub fn approve_as_notary(origin: OriginFor<T>, deal: DealId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut d = Self::live_deal(deal)?;
			ensure!(Self::may_notarise(&d, &who), Error::<T>::WrongApprover);
			ensure!(d.notary.is_none(), Error::<T>::AlreadyApproved);
			d.notary = Some(who.clone());
			Deals::<T>::insert(deal, d);
			Self::deposit_event(Event::NotaryApproved { deal, by: who });
			Ok(())
		}

		/// Approve a deal for the creditor of the mortgages it releases, naming the account
		/// the creditor's payout goes to. Approves every mortgage of the deal held by a bank
		/// the signer represents that is not approved yet.
		///
		/// Origin: signed by a representative of a released mortgage's creditor
		/// ([`CitizenRegistry::is_representative`]). The deal must be open and its deadline
		/// not passed.
		///
		/// Emits `CreditorApproved` per mortgage. O(R) in the mortgages released.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::approve_as_creditor())]
		pub fn approve_as_creditor(
			origin: OriginFor<T>,
			deal: DealId,
			payout: T::AccountId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut d = Self::live_deal(deal)?;
			let mut represents_one = false;
			let mut approved = Vec::new();
			for r in d.releases.iter_mut() {
				if T::Citizens::is_representative(r.creditor, &who) {
					represents_one = true;
					if r.approval.is_none() {
						r.approval =
							Some(CreditorApproval { by: who.clone(), payout: payout.clone() });
						approved.push((r.encumbrance, r.creditor));
					}
				}
			}
			ensure!(represents_one, Error::<T>::WrongApprover);
			ensure!(!approved.is_empty(), Error::<T>::AlreadyApproved);
			Deals::<T>::insert(deal, d);
			for (encumbrance, creditor) in approved {
				Self::deposit_event(Event::CreditorApproved {
					deal,
					encumbrance,
					creditor,
					by: who.clone(),
					payout: payout.clone(),
				});
			}
			Ok(())
		}

		/// Approve a deal as the land registry, for a deal that requires it.
		///
		/// Origin: signed by a holder of [`Role::LandRegistry`]. The deal must be open and
		/// its deadline not passed.
		///
		/// Emits `LandRegistryApproved`. O(1).
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::approve_as_land_registry())]
		pub fn approve_as_land_registry(origin: OriginFor<T>, deal: DealId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut d = Self::live_deal(deal)?;
			ensure!(
				d.land_registry_required && T::Authorities::has_role(&who, Role::LandRegistry),
				Error::<T>::WrongApprover
			);
			ensure!(d.land_registry.is_none(), Error::<T>::AlreadyApproved);
			d.land_registry = Some(who.clone());
			Deals::<T>::insert(deal, d);
			Self::deposit_event(Event::LandRegistryApproved { deal, by: who });
			Ok(())
		}

		/// Reject a deal as one of its approvers: it ends and any deposit is refunded.
		///
		/// Origin: signed by the notary who approved the deal (still a notary, acting for
		/// neither party; any other notary gets `NotTheDealsNotary`), a representative of a
		/// released mortgage's creditor, or (if the deal requires it) the land registry.
		/// The deal must be open.
		///
		/// Emits `Refunded` (if the price was deposited) and `DealRejected`. O(R).
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::reject())]
		pub fn reject(origin: OriginFor<T>, deal: DealId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let d = Self::open_record(deal)?;
			let its_notary = d.notary.as_ref() == Some(&who) && Self::may_notarise(&d, &who);
			let approver = its_notary
				|| (d.land_registry_required && T::Authorities::has_role(&who, Role::LandRegistry))
				|| d.releases.iter().any(|r| T::Citizens::is_representative(r.creditor, &who));
			if !approver && T::Authorities::has_role(&who, Role::Notary) {
				return Err(Error::<T>::NotTheDealsNotary.into());
			}
			ensure!(approver, Error::<T>::WrongApprover);
			Self::ensure_not_rotating(&d)?;
			Self::refund(deal, &d)?;
			Self::finish(deal, d, DealStatus::Rejected);
			Self::deposit_event(Event::DealRejected { deal, by: who });
			Ok(())
		}

		/// Cancel a deal: it ends and any deposit is refunded.
		///
		/// Origin: signed by an account acting for the seller, at any time before
		/// settlement; or by an account acting for the buyer, before the price is
		/// deposited. No party may be in a key rotation's notice (`PartyRotating`).
		///
		/// Emits `Refunded` (if the price was deposited) and `DealCancelled`. O(1).
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::cancel())]
		pub fn cancel(origin: OriginFor<T>, deal: DealId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let d = Self::open_record(deal)?;
			// The seller's current key, not the opener's: a key rotated away (perhaps stolen)
			// cancels nothing.
			if !T::Titles::may_act_for(&d.seller, &who) {
				ensure!(T::Titles::may_act_for(&d.buyer, &who), Error::<T>::NotAParty);
				ensure!(d.deposit.is_none(), Error::<T>::AlreadyDeposited);
			}
			Self::ensure_not_rotating(&d)?;
			Self::refund(deal, &d)?;
			Self::finish(deal, d, DealStatus::Cancelled);
			Self::deposit_event(Event::DealCancelled { deal, by: who });
			Ok(())
		}

		/// Settle a deal: in one step, move the share (releasing the mortgages), pay each
		/// creditor its mortgage's amount, the duty to the treasury and the rest to the
		/// seller, all out of escrow. All of it happens or none of it.
		///
		/// Origin: signed by a party (an account acting for the seller or the buyer, the
		/// opener, the depositor, a consenting co-owner's account) or an approver who
		/// approved. The deal must be open, its deadline not passed, the title not frozen,
		/// its opener still acting for the seller (`OpenerNoLongerActs`), no party in a key
		/// rotation's notice (`PartyRotating`), and every approval, consent (each by an
		/// account still acting for its co-owner) and the deposit in. Each payment goes to
		/// the current account of the one named ([`CitizenRegistry::current_account`]).
		///
		/// Emits the registry's `EncumbranceReleased` and `ShareTransferred`, then
		/// `CreditorPaid` per mortgage, `DutyPaid` and `DealSettled`. O(R + O) in the
		/// mortgages released and the title's owners.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::settle(T::MaxReleases::get()))]
		pub fn settle(origin: OriginFor<T>, deal: DealId) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let d = Self::live_deal(deal)?;
			ensure!(Self::is_involved(deal, &d, &who), Error::<T>::NotAParty);
			ensure!(!T::Titles::is_frozen(d.title), Error::<T>::TitleFrozen);
			Self::ensure_not_rotating(&d)?;
			ensure!(
				T::Titles::may_act_for(&d.seller, &d.opened_by),
				Error::<T>::OpenerNoLongerActs
			);
			let owners = T::Titles::title_owners(d.title).ok_or(Error::<T>::TitleNotFound)?;
			ensure!(Self::is_ready(deal, &d, &owners), Error::<T>::NotReady);
			let mut payouts = Self::payouts(&d)?;
			let ids: Vec<EncumbranceId> = d.releases.iter().map(|r| r.encumbrance).collect();

			// Smallest payments first: the escrow keeps the largest part of this deal's price
			// until the last payment, so it never drops below the existential deposit in
			// between (other deals' deposits, each at least the existential deposit, stay).
			payouts.sort_by_key(|p| p.amount);
			frame_support::storage::with_storage_layer(|| -> DispatchResult {
				T::Titles::transfer_share(d.title, d.seller, d.buyer, d.share, &ids, deal)?;
				let escrow = Self::escrow_account();
				for p in payouts.iter().filter(|p| !p.amount.is_zero()) {
					T::Currency::transfer(&escrow, &p.to, p.amount, Preservation::Expendable)?;
				}
				Ok(())
			})?;

			let mut duty: BalanceOf<T> = Zero::zero();
			let mut to_seller: BalanceOf<T> = Zero::zero();
			for p in payouts {
				match p.kind {
					PayoutKind::Creditor { encumbrance, creditor } => {
						Self::deposit_event(Event::CreditorPaid {
							deal,
							encumbrance,
							creditor,
							to: p.to,
							amount: p.amount,
						});
					},
					PayoutKind::Duty => {
						duty = p.amount;
						if !p.amount.is_zero() {
							Self::deposit_event(Event::DutyPaid {
								deal,
								to: p.to,
								amount: p.amount,
							});
						}
					},
					PayoutKind::Seller => to_seller = p.amount,
				}
			}
			let (title, seller, buyer, share, price) =
				(d.title, d.seller, d.buyer, d.share, d.price);
			let released = d.releases.len() as u32;
			Self::finish(deal, d, DealStatus::Settled);
			Self::deposit_event(Event::DealSettled {
				deal,
				title,
				seller,
				buyer,
				share,
				price,
				duty,
				to_seller,
			});
			Ok(Some(T::WeightInfo::settle(released)).into())
		}

		/// Expire a deal whose deadline has passed: it ends and any deposit is refunded.
		///
		/// Origin: any signed account. `on_idle` does the same by itself.
		///
		/// Emits `Refunded` (if the price was deposited) and `DealExpired`. O(1).
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::expire())]
		pub fn expire(origin: OriginFor<T>, deal: DealId) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_expire(deal)
		}
	}
}

/// What a payment out of escrow at settlement is for.
#[derive(Clone, Copy)]
enum PayoutKind {
	/// Paying off a mortgage.
	Creditor { encumbrance: EncumbranceId, creditor: EntityId },
	/// The transfer duty.
	Duty,
	/// The seller's proceeds.
	Seller,
}

/// A payment out of escrow at settlement.
struct Payout<AccountId, Balance> {
	to: AccountId,
	amount: Balance,
	kind: PayoutKind,
}

impl<T: Config> Pallet<T> {
	/// The account holding every open deal's deposit.
	pub fn escrow_account() -> T::AccountId {
		T::PalletId::get().into_account_truncating()
	}

	/// An open deal, or why not.
	fn open_record(id: DealId) -> Result<DealOf<T>, DispatchError> {
		let d = Deals::<T>::get(id).ok_or(Error::<T>::DealNotFound)?;
		match d.status {
			DealStatus::Open => Ok(d),
			DealStatus::Settled => Err(Error::<T>::AlreadySettled.into()),
			_ => Err(Error::<T>::WrongStatus.into()),
		}
	}

	/// An open deal whose deadline has not passed, or why not.
	fn live_deal(id: DealId) -> Result<DealOf<T>, DispatchError> {
		let d = Self::open_record(id)?;
		ensure!(
			frame_system::Pallet::<T>::block_number() <= d.deadline,
			Error::<T>::DeadlinePassed
		);
		Ok(d)
	}

	/// The mortgages `ids` of `title` with their creditors and amounts: each a mortgage on
	/// the title, listed once, and every mortgage on the title listed.
	fn releases_for(title: TitleId, ids: &[EncumbranceId]) -> Result<ReleasesOf<T>, Error<T>> {
		let mortgages = T::Titles::mortgages(title);
		let mut releases = ReleasesOf::<T>::default();
		for (i, id) in ids.iter().enumerate() {
			ensure!(!ids[..i].contains(id), Error::<T>::DuplicateMortgage);
			let (_, creditor, amount) = mortgages
				.iter()
				.find(|(m, _, _)| m == id)
				.copied()
				.ok_or(Error::<T>::MortgageNotOnTitle)?;
			releases
				.try_push(Release { encumbrance: *id, creditor, amount, approval: None })
				.map_err(|_| Error::<T>::TooManyReleases)?;
		}
		ensure!(mortgages.iter().all(|(m, _, _)| ids.contains(m)), Error::<T>::MortgageNotReleased);
		Ok(releases)
	}

	/// The duty and the seller's rest of `price` after paying off `releases`; fails if
	/// the mortgages and the duty exceed the price.
	fn split_price(
		price: BalanceOf<T>,
		releases: &[Release<T::AccountId>],
	) -> Result<(BalanceOf<T>, BalanceOf<T>), Error<T>> {
		let mut committed: BalanceOf<T> = Zero::zero();
		for r in releases {
			let amount: BalanceOf<T> = r.amount.saturated_into();
			committed = committed.checked_add(&amount).ok_or(Error::<T>::PayoutsExceedPrice)?;
		}
		let duty = T::TransferDuty::get().mul_floor(price);
		committed = committed.checked_add(&duty).ok_or(Error::<T>::PayoutsExceedPrice)?;
		let rest = price.checked_sub(&committed).ok_or(Error::<T>::PayoutsExceedPrice)?;
		Ok((duty, rest))
	}

	/// Every payment out of escrow a settlement makes: creditors, duty, seller.
	fn payouts(d: &DealOf<T>) -> Result<Vec<Payout<T::AccountId, BalanceOf<T>>>, Error<T>> {
		let (duty, rest) = Self::split_price(d.price, &d.releases)?;
		let mut payouts = Vec::with_capacity(d.releases.len().saturating_add(2));
		for r in d.releases.iter() {
			let approval = r.approval.as_ref().ok_or(Error::<T>::NotReady)?;
			let amount: BalanceOf<T> = r.amount.saturated_into();
			payouts.push(Payout {
				to: T::Citizens::current_account(&approval.payout),
				amount,
				kind: PayoutKind::Creditor { encumbrance: r.encumbrance, creditor: r.creditor },
			});
		}
		payouts.push(Payout { to: T::Treasury::get(), amount: duty, kind: PayoutKind::Duty });
		payouts.push(Payout {
			to: T::Citizens::current_account(&d.seller_payout),
			amount: rest,
			kind: PayoutKind::Seller,
		});
		Ok(payouts)
	}

	/// Whether `who` may act as this deal's notary: holds the role, acts for neither party.
	fn may_notarise(d: &DealOf<T>, who: &T::AccountId) -> bool {
		T::Authorities::has_role(who, Role::Notary)
			&& !T::Titles::may_act_for(&d.seller, who)
			&& !T::Titles::may_act_for(&d.buyer, who)
	}

	/// Whether `who` is a party to the deal or one of the approvers who approved it.
	fn is_involved(id: DealId, d: &DealOf<T>, who: &T::AccountId) -> bool {
		*who == d.opened_by
			|| d.deposit.as_ref() == Some(who)
			|| d.notary.as_ref() == Some(who)
			|| d.land_registry.as_ref() == Some(who)
			|| d.releases.iter().any(|r| r.approval.as_ref().is_some_and(|a| a.by == *who))
			|| T::Titles::may_act_for(&d.seller, who)
			|| T::Titles::may_act_for(&d.buyer, who)
			|| Consents::<T>::iter_prefix_values(id).any(|by| by == *who)
	}

	/// The current co-owners (other than seller and buyer) who have not consented.
	fn pending_consents(id: DealId, d: &DealOf<T>, owners: &[(Owner, Ppm)]) -> Vec<Owner> {
		owners
			.iter()
			.map(|(owner, _)| *owner)
			.filter(|o| *o != d.seller && *o != d.buyer && !Self::consent_counts(id, o))
			.collect()
	}

	/// Every approval, consent and the deposit are in.
	fn is_ready(id: DealId, d: &DealOf<T>, owners: &[(Owner, Ppm)]) -> bool {
		d.deposit.is_some()
			&& d.notary.is_some()
			&& (!d.land_registry_required || d.land_registry.is_some())
			&& d.releases.iter().all(|r| r.approval.is_some())
			&& Self::pending_consents(id, d, owners).is_empty()
	}

	/// Pays the deposit, if any, back to the account that paid it (its citizen's current
	/// account, if that key was rotated since).
	fn refund(id: DealId, d: &DealOf<T>) -> DispatchResult {
		if let Some(payer) = &d.deposit {
			let to = T::Citizens::current_account(payer);
			T::Currency::transfer(&Self::escrow_account(), &to, d.price, Preservation::Expendable)?;
			Self::deposit_event(Event::Refunded { deal: id, to, amount: d.price });
		}
		Ok(())
	}

	/// Whether `owner` is a citizen in a key rotation's notice period.
	fn owner_rotating(owner: &Owner) -> bool {
		matches!(owner, Owner::Citizen(id) if T::Citizens::is_rotating(*id))
	}

	/// Whether `who` is the key of a citizen in a key rotation's notice period.
	fn account_rotating(who: &T::AccountId) -> bool {
		T::Citizens::citizen_by_account(who).is_some_and(|c| T::Citizens::is_rotating(c.id))
	}

	/// While the seller's, the buyer's or the depositor's key is in question, the deal is
	/// frozen: no money moves to a key that may be a thief's.
	fn ensure_not_rotating(d: &DealOf<T>) -> DispatchResult {
		ensure!(
			!Self::owner_rotating(&d.seller)
				&& !Self::owner_rotating(&d.buyer)
				&& !d.deposit.as_ref().is_some_and(Self::account_rotating),
			Error::<T>::PartyRotating
		);
		Ok(())
	}

	/// Whether `owner`'s consent to deal `id` is in and its signer still acts for it.
	fn consent_counts(id: DealId, owner: &Owner) -> bool {
		Consents::<T>::get(id, owner).is_some_and(|by| T::Titles::may_act_for(owner, &by))
	}

	/// Ends a deal with `status`: out of the deadline index, the title's open deals and the
	/// opener's count.
	fn finish(id: DealId, mut d: DealOf<T>, status: DealStatus) {
		let indexed_at = ExpiryRetryAt::<T>::take(id).unwrap_or(d.deadline);
		DealsByDeadline::<T>::remove(indexed_at, id);
		let mut open = DealsOfTitle::<T>::get(d.title);
		open.retain(|x| *x != id);
		if open.is_empty() {
			DealsOfTitle::<T>::remove(d.title);
		} else {
			DealsOfTitle::<T>::insert(d.title, open);
		}
		OpenDealsOf::<T>::mutate_exists(&d.opened_by, |count| {
			*count = count.and_then(|n| n.checked_sub(1)).filter(|n| *n > 0);
		});
		d.status = status;
		Deals::<T>::insert(id, d);
	}

	/// Expires a deal whose deadline has passed, refunding any deposit.
	fn do_expire(id: DealId) -> DispatchResult {
		let d = Self::open_record(id)?;
		ensure!(
			frame_system::Pallet::<T>::block_number() > d.deadline,
			Error::<T>::DeadlineNotPassed
		);
		Self::ensure_not_rotating(&d)?;
		Self::refund(id, &d)?;
		Self::finish(id, d, DealStatus::Expired);
		Self::deposit_event(Event::DealExpired { deal: id });
		Ok(())
	}

	/// Expires deals whose deadline is before `now`, walking the deadline blocks from the
	/// cursor on, within `limit`: at most [`Config::MaxExpiriesPerBlock`] deals and
	/// [`MAX_DEADLINE_STEPS_PER_BLOCK`] deadline blocks. Returns the weight used.
	pub(crate) fn expire_due(now: BlockNumberFor<T>, limit: Weight) -> Weight {
		let db = T::DbWeight::get();
		// Reading (and possibly writing) the cursor.
		let mut used = db.reads_writes(1, 1);
		if !limit.all_gte(used) {
			return Weight::zero();
		}
		let Some(start) = ExpiryCursor::<T>::get() else {
			return db.reads(1);
		};
		let probe = db.reads(1);
		// Expiring a deal, or on failure moving its index entry and noting the retry.
		let per_deal = T::WeightInfo::on_idle_expire().saturating_add(db.reads_writes(1, 3));
		let (mut cursor, mut expired, mut steps) = (start, 0u32, 0u32);
		while cursor < now
			&& expired < T::MaxExpiriesPerBlock::get()
			&& steps < MAX_DEADLINE_STEPS_PER_BLOCK
		{
			if !limit.all_gte(used.saturating_add(probe)) {
				break;
			}
			used.saturating_accrue(probe);
			steps = steps.saturating_add(1);
			match DealsByDeadline::<T>::iter_key_prefix(cursor).next() {
				Some(id) => {
					if !limit.all_gte(used.saturating_add(per_deal)) {
						break;
					}
					used.saturating_accrue(per_deal);
					expired = expired.saturating_add(1);
					let result = frame_support::storage::with_storage_layer(|| Self::do_expire(id));
					if let Err(error) = result {
						log::warn!(
							target: LOG_TARGET,
							"deal {id} could not be expired in on_idle: {error:?}"
						);
						DealsByDeadline::<T>::remove(cursor, id);
						// A deal still open is retried later, not dropped (it would stay open
						// with nothing to expire it) nor retried at once (it would hold up
						// the deals behind it).
						let open =
							Deals::<T>::get(id).is_some_and(|d| d.status == DealStatus::Open);
						let retry_at = open.then(|| now.saturating_add(EXPIRY_RETRY_DELAY.into()));
						if let Some(at) = retry_at {
							DealsByDeadline::<T>::insert(at, id, ());
							ExpiryRetryAt::<T>::insert(id, at);
						}
						Self::deposit_event(Event::ExpiryFailed { deal: id, error, retry_at });
					}
				},
				None => cursor = cursor.saturating_add(One::one()),
			}
		}
		if cursor != start {
			ExpiryCursor::<T>::put(cursor);
		}
		used
	}

	/// Runtime API: a deal by id.
	pub fn deal_view(id: DealId) -> Option<DealViewOf<T>> {
		let d = Deals::<T>::get(id)?;
		let open = d.status == DealStatus::Open;
		let owners = if open { T::Titles::title_owners(d.title) } else { None };
		let (pending_consents, ready) = match &owners {
			Some(owners) => {
				(Self::pending_consents(id, &d, owners), Self::is_ready(id, &d, owners))
			},
			None => (Vec::new(), false),
		};
		Some(DealView {
			id,
			title: d.title,
			seller: d.seller,
			buyer: d.buyer,
			share: d.share,
			price: d.price,
			deadline: d.deadline,
			seller_payout: d.seller_payout,
			opened_by: d.opened_by,
			opened_at: d.opened_at,
			releases: d.releases.into_inner(),
			land_registry_required: d.land_registry_required,
			notary: d.notary,
			land_registry: d.land_registry,
			deposit: d.deposit,
			consents: Consents::<T>::iter_prefix(id).collect(),
			pending_consents,
			ready,
			status: d.status,
		})
	}

	/// Runtime API: the open deals of a title, in the order they were opened.
	pub fn deals_of_title(title: TitleId) -> Vec<DealId> {
		DealsOfTitle::<T>::get(title).into_inner()
	}
}
