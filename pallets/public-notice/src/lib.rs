//! # Public Notice Pallet
//!
//! A governance act that changes who governs (a runtime upgrade, the members of the
//! council or of the technical committee) must not take effect the moment a majority
//! agrees: citizens, observers and the minority need time to see it coming and, if it is
//! wrong, to stop it. This pallet gives every such act a public notice period.
//!
//! - [`Pallet::announce`] ([`Config::AnnounceOrigin`], e.g. a three-quarters council
//!   motion) schedules a call for dispatch [`NoticePeriod`] blocks from now. The call is
//!   public from this moment: the scheduler holds it (inline or as a preimage) under the
//!   task name [`task_name`] of its hash, and [`Event::Announced`] names the hash and the
//!   block it is enacted at.
//! - [`Pallet::cancel`] ([`Config::CancelOrigin`], e.g. a two-thirds council motion) takes
//!   an announced call off the schedule before it is enacted.
//! - When the notice has run, the scheduler dispatches the call with the origin
//!   [`Origin::NoticeServed`]. Other pallets accept that origin through
//!   [`EnsureNoticeServed`] for the acts that need notice; nothing else can produce it.
//!
//! The pallet keeps no state of its own besides the notice period: what is pending is
//! what the scheduler holds under the announcement's task name, so there is one source of
//! truth for observers and for the checks here.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub mod weights;
pub use weights::WeightInfo;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

use codec::Encode;
use polkadot_sdk::{
	frame_support::traits::schedule::v3::TaskName, frame_system::pallet_prelude::BlockNumberFor,
	sp_io::hashing::blake2_256, sp_runtime::traits::One,
};

/// The scheduler task name of an announced call: one per call hash, so the same act
/// cannot be pending twice and anyone can look it up from the hash alone.
pub fn task_name<H: Encode>(call_hash: &H) -> TaskName {
	(b"egov/public-notice", call_hash).using_encoded(blake2_256)
}

#[polkadot_sdk::frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::boxed::Box;
	use polkadot_sdk::{
		frame_support::{
			dispatch::GetDispatchInfo,
			pallet_prelude::*,
			traits::{
				schedule::{v3::Named as ScheduleNamed, DispatchTime, HARD_DEADLINE},
				BoundedInline, QueryPreimage, StorePreimage,
			},
		},
		frame_system::{self, pallet_prelude::*},
		sp_runtime::traits::{Dispatchable, Hash, Saturating, Zero},
	};

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

		/// The calls that can be announced.
		type RuntimeCall: Parameter
			+ Dispatchable<RuntimeOrigin = Self::RuntimeOrigin>
			+ GetDispatchInfo
			+ From<Call<Self>>;

		/// The origin the scheduler dispatches with: [`Origin::NoticeServed`] converts into it.
		type PalletsOrigin: From<Origin> + Clone;

		/// Dispatches announced calls when their notice has run (`pallet_scheduler`).
		type Scheduler: ScheduleNamed<
			BlockNumberFor<Self>,
			<Self as Config>::RuntimeCall,
			Self::PalletsOrigin,
			Hasher = Self::Hashing,
		>;

		/// Holds a call too long to be scheduled inline (`pallet_preimage`).
		type Preimages: StorePreimage<H = Self::Hashing>;

		/// Who may announce a call (e.g. three quarters of the council).
		type AnnounceOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Who may cancel an announced call during its notice (e.g. two thirds of the
		/// council).
		type CancelOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Who may change the notice period.
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Weights of the calls.
		type WeightInfo: WeightInfo;
	}

	/// The origin of a call whose public notice has run: only the scheduler produces it,
	/// for a call this pallet announced.
	#[pallet::origin]
	#[derive(
		PartialEq, Eq, Clone, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
	)]
	pub enum Origin {
		/// The call was announced and its notice period ran without it being cancelled.
		NoticeServed,
	}

	/// Blocks between an announcement and its enactment.
	#[pallet::storage]
	pub type NoticePeriod<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	#[pallet::genesis_config]
	#[derive(polkadot_sdk::frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The notice period at genesis, in blocks.
		pub notice_period: BlockNumberFor<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			NoticePeriod::<T>::put(self.notice_period);
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A call was announced; it is dispatched at `enact_at` unless cancelled first.
		Announced { call_hash: T::Hash, enact_at: BlockNumberFor<T> },
		/// An announced call was cancelled during its notice period.
		Cancelled { call_hash: T::Hash },
		/// The notice period changed; announcements made from now on use it.
		NoticePeriodSet { period: BlockNumberFor<T> },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The same call is already announced and not yet enacted.
		AlreadyAnnounced,
		/// No such call is announced (never, or already enacted or cancelled).
		NotAnnounced,
		/// The call is too long to be held for its notice period.
		CallTooLong,
		/// A notice period must be at least one block.
		NoticePeriodZero,
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
		/// Announce `call`: it is dispatched as [`Origin::NoticeServed`] once
		/// [`NoticePeriod`] blocks have passed, unless cancelled before.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::announce(call.encoded_size() as u32))]
		pub fn announce(
			origin: OriginFor<T>,
			call: Box<<T as Config>::RuntimeCall>,
		) -> DispatchResult {
			T::AnnounceOrigin::ensure_origin(origin)?;
			let call_hash = T::Hashing::hash_of(&call);
			let name = task_name(&call_hash);
			ensure!(T::Scheduler::next_dispatch_time(name).is_err(), Error::<T>::AlreadyAnnounced);
			let bounded = T::Preimages::bound(*call).map_err(|_| Error::<T>::CallTooLong)?;
			let enact_at =
				frame_system::Pallet::<T>::block_number().saturating_add(Self::notice_period());
			T::Scheduler::schedule_named(
				name,
				DispatchTime::At(enact_at),
				None,
				HARD_DEADLINE,
				Origin::NoticeServed.into(),
				bounded.clone(),
			)?;
			// `bound` noted a long call with a request of its own and the scheduler added
			// another: drop ours so the preimage goes when the scheduler is done with it.
			T::Preimages::drop(&bounded);
			Self::deposit_event(Event::Announced { call_hash, enact_at });
			Ok(())
		}

		/// Cancel the announced call with hash `call_hash` before it is enacted.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::cancel())]
		pub fn cancel(origin: OriginFor<T>, call_hash: T::Hash) -> DispatchResult {
			T::CancelOrigin::ensure_origin(origin)?;
			T::Scheduler::cancel_named(task_name(&call_hash))
				.map_err(|_| Error::<T>::NotAnnounced)?;
			// The scheduler's `Named::cancel_named` leaves the preimage of a long call
			// requested (it drops it only for an origin-checked cancel). A call longer than
			// fits inline was held by hash, by this announcement: release it. The hash of
			// a call is the hash of its encoding, so it is the preimage's hash.
			if T::Preimages::len(&call_hash)
				.is_some_and(|len| len as usize > BoundedInline::bound())
			{
				T::Preimages::unrequest(&call_hash);
			}
			Self::deposit_event(Event::Cancelled { call_hash });
			Ok(())
		}

		/// Set the notice period for announcements made from now on.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::set_notice_period())]
		pub fn set_notice_period(
			origin: OriginFor<T>,
			period: BlockNumberFor<T>,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			ensure!(!period.is_zero(), Error::<T>::NoticePeriodZero);
			NoticePeriod::<T>::put(period);
			Self::deposit_event(Event::NoticePeriodSet { period });
			Ok(())
		}
	}
}

impl<T: Config> Pallet<T> {
	/// The notice period in force: at least one block (an unset genesis value is not
	/// "no notice").
	pub fn notice_period() -> BlockNumberFor<T> {
		NoticePeriod::<T>::get().max(One::one())
	}

	/// Invariants: the stored notice period is at least one block, as `set_notice_period`
	/// keeps it (a zero would mean the genesis config or a migration left it unset, and
	/// [`Pallet::notice_period`] quietly applying one block instead).
	///
	/// The pending announcements are not checked here: they are the scheduler's tasks under
	/// [`task_name`], which the pallet can look up by name but not list. The unit tests
	/// check them against the real scheduler (`mock::check_announcements`).
	#[cfg(any(feature = "try-runtime", test))]
	pub fn do_try_state() -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
		use polkadot_sdk::{frame_support::ensure, sp_runtime::traits::Zero};
		ensure!(!NoticePeriod::<T>::get().is_zero(), "the notice period is zero");
		Ok(())
	}
}

/// Ensures the origin is [`Origin::NoticeServed`]: the call was announced and its notice
/// ran. `Success` is `()`.
pub struct EnsureNoticeServed<O>(core::marker::PhantomData<O>);
impl<O: Into<Result<Origin, O>> + From<Origin>> polkadot_sdk::frame_support::traits::EnsureOrigin<O>
	for EnsureNoticeServed<O>
{
	type Success = ();
	fn try_origin(o: O) -> Result<Self::Success, O> {
		o.into().and_then(|origin| match origin {
			Origin::NoticeServed => Ok(()),
		})
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn try_successful_origin() -> Result<O, ()> {
		Ok(O::from(Origin::NoticeServed))
	}
}
