//! # Elections Pallet
//!
//! Secret-ballot elections that anyone can recount from chain data.
//!
//! ## Overview
//!
//! - **Nobody holds the decryption key.** The commission names `n` trustees (accounts the
//!   council appointed to [`Role::ElectionTrustee`]) and a threshold `t`. The trustees run
//!   a distributed key generation on chain ([`egov_ballot::TransportKey`],
//!   [`egov_ballot::Dealing`]): every contribution carries a proof of possession, and the
//!   joint key is the sum of the contributions. Before it is used, every trustee confirms
//!   that the shares addressed to it open ([`Pallet::confirm_shares`]), or convicts the
//!   dealer of a bad one with a complaint anyone re-checks ([`Pallet::file_complaint`]): a
//!   convicted dealer is left out of the key, so one trustee cannot make the election
//!   undecryptable after everyone voted (fewer qualified dealers than the threshold cancel
//!   the election instead). A trustee who never confirms stalls key
//!   generation in the open; governance then cancels the election with a reason. Any
//!   `t` trustees can decrypt the *tally*;
//!   fewer, the commission or a collator cannot decrypt anything. (`t` colluding trustees
//!   could decrypt any ballot: the threshold is the trust assumption.)
//! - **Eligibility** comes from the identity registry: an active citizen, an adult on the
//!   election day, on the election's roll in one of its districts. The roll is fixed when
//!   voting opens (the registry at the end of that block, [`Election::roll_fixed_at`]):
//!   nobody registered later votes in the election (a re-registration is a new record), and
//!   a move recorded later changes neither where a voter votes nor where their ballot
//!   counts ([`CitizenInfo::district_at`](egov_primitives::CitizenInfo::district_at)).
//! - **Casting is feeless** for an eligible voter with ballots left, and only a ballot that
//!   will count reaches a block: the [`CheckBallot`] transaction extension runs every rule
//!   of [`Pallet::check_ballot`] in the transaction pool and again in the block (eligible,
//!   ballots left, not a duplicate, voting open, and the proofs: every ciphertext encrypts 0
//!   or 1, the sum is within the ballot kind's bounds, all bound to the genesis hash, the
//!   election, the voter's account and every ciphertext). A junk ballot is refused before
//!   it costs the chain anything, and a block containing one does not import. In the
//!   block, the proofs' equations of all its ballots are verified together at its end, in
//!   one multi-scalar multiplication ([`QueuedBallots`]). A voter may vote again up to
//!   [`Config::MaxBallotsPerVoter`] ballots in total: only the latest counts. Re-votes are
//!   public (`BallotCast` names the voter and the code it supersedes), so this corrects
//!   mistakes; it does not defeat a coercer. Ballots are kept per citizen, not per account, so a key rotation
//!   cannot yield a second vote.
//! - **The tally is kept as voting goes**: each ballot is added to the encrypted sums and a
//!   superseded ballot is subtracted, so closing costs the same for a thousand or ten
//!   million ballots. Where the ballot kind fixes the number of selections (a referendum, a
//!   single choice), the last option has no ciphertext ([`egov_ballot::BallotSpec`]): a
//!   referendum ballot is one ciphertext, and the result's last count is
//!   `selections × voters − Σ others`.
//! - **Tracking codes.** Each accepted ballot has a code that the voter looks up: counted,
//!   superseded or unknown. It is the election id and citizen id (where to look: the
//!   citizen's ballot entry keeps the codes of its superseded ballots, so there is no map of
//!   codes) and 128 bits of a hash of the ballot; it proves nothing about the choice.
//! - **Result.** After closing, trustees post decryption shares of the final tally with
//!   DLEQ proofs bound to the closed election's final state (counted voters and the whole
//!   tally, [`ShareContext`]), checked on arrival. Anyone then posts the counts; the runtime accepts them
//!   only if they match the combination of `t` shares (`B − D = m·G` for every
//!   ciphertext, and the implied option's count from the number of counted voters).
//!
//! Everything a verifier needs stays in storage: parameters, transport keys, dealings,
//! every counted ballot, the tally, the shares and the result.
//!
//! ## Interface
//!
//! ### For the election commission ([`Config::CommissionOrigin`])
//! - [`Pallet::create_election`], [`Pallet::open_voting`], [`Pallet::cancel_election`]
//!
//! ### For the election's trustees
//! - [`Pallet::submit_transport_key`], [`Pallet::submit_dealing`],
//!   [`Pallet::confirm_shares`], [`Pallet::file_complaint`],
//!   [`Pallet::submit_decryption_share`]
//!
//! ### For citizens
//! - [`Pallet::cast_ballot`] (feeless for eligible voters)
//!
//! ### For anyone
//! - [`Pallet::close_voting`] (once the closing moment has come), [`Pallet::publish_result`]
//! - the [`runtime_api::ElectionsApi`]: elections, tally, tracking codes, eligibility,
//!   turnout.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod extension;
#[cfg(any(feature = "try-runtime", test))]
mod invariants;
pub mod migrations;
#[cfg(test)]
mod mock;
pub mod runtime_api;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

use alloc::vec::Vec;
use egov_ballot::{
	BallotContext, Ciphertext, Ciphertexts, Commitments, Dealing, DecryptionShare, DkgContext,
	EncryptedBallot, ShareContext, Tally, TransportKey,
};
use egov_primitives::{Authorities, CitizenId, CitizenRegistry, CitizenStatus, DistrictId, Role};
pub use extension::CheckBallot;
pub use pallet::*;
use polkadot_sdk::{
	frame_support::{
		self, defensive, ensure,
		traits::{Get, UnixTime},
		weights::Weight,
		BoundedVec,
	},
	frame_system,
	sp_core::H256,
	sp_runtime::traits::Zero,
};
pub use types::*;
pub use weights::WeightInfo;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;

	/// The in-code storage version.
	///
	/// Every stored vector is a `BoundedVec` (`MaxEncodedLen`, no `without_storage_info`).
	/// A bounded vector's SCALE encoding is a `Vec`'s, so the stored bytes and the calls'
	/// and events' encodings are unchanged (the metadata shows a `BoundedVec` as a wrapper
	/// of the `Vec`, which the JS clients decode as before): bounding the storage needed
	/// no new version and no migration. No stored value exceeds its bound (every call
	/// checked the lengths against the election before storing).
	#[cfg(not(feature = "next-release"))]
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);
	/// The in-code storage version of the next release: 2 adds [`Revotes`]
	/// ([`migrations::v2`] fills it in from the stored ballots).
	#[cfg(feature = "next-release")]
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(2);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>>
			+ IsType<<Self as polkadot_sdk::frame_system::Config>::RuntimeEvent>;

		/// Creates elections: the election commission. An election is then opened and
		/// cancelled by the commission account that created it, or by governance.
		type CommissionOrigin: EnsureOrigin<Self::RuntimeOrigin, Success = Self::AccountId>;

		/// The chain's governance: may open an election for its commission, and end one
		/// stuck in any phase before its result, with a reason (e.g. a trustee who never
		/// posts a share).
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Who holds which role (trustees must hold [`Role::ElectionTrustee`]).
		type Authorities: Authorities<Self::AccountId>;

		/// The citizens: eligibility and districts.
		type Citizens: CitizenRegistry<Self::AccountId, BlockNumberFor<Self>>;

		/// Wall-clock time, for schedules given as times.
		type UnixTime: UnixTime;

		/// Ballots one voter may cast in one election, the first included.
		#[pallet::constant]
		type MaxBallotsPerVoter: Get<u32>;

		/// Pool priority of a valid ballot ([`CheckBallot`]): above what fee-paying
		/// transactions reach, so they cannot keep ballots out of blocks.
		#[pallet::constant]
		type BallotPriority: Get<TransactionPriority>;

		/// Fewest decryption shares an election may require.
		#[pallet::constant]
		type MinThreshold: Get<u32>;

		/// Most ballots one block may hold: their proofs are verified together at the
		/// block's end ([`QueuedBallots`]), so this bounds that batch's memory. Set it above
		/// what the block weight allows, so that the weight limits a block.
		#[pallet::constant]
		type MaxBallotsPerBlock: Get<u32>;

		/// Weights of this pallet's calls, generated by its benchmarks.
		type WeightInfo: WeightInfo;
	}

	/// The id the next election gets.
	#[pallet::storage]
	pub type NextElectionId<T> = StorageValue<_, ElectionId, ValueQuery>;

	/// Elections by id.
	#[pallet::storage]
	pub type Elections<T: Config> =
		StorageMap<_, Twox64Concat, ElectionId, Election<T::AccountId, BlockNumberFor<T>>>;

	/// Trustees' transport keys, by election and trustee index (from 1).
	#[pallet::storage]
	pub type TransportKeys<T> =
		StorageDoubleMap<_, Twox64Concat, ElectionId, Twox64Concat, u32, TransportKey>;

	/// Trustees' dealings, by election and trustee index (from 1).
	#[pallet::storage]
	pub type Dealings<T> =
		StorageDoubleMap<_, Twox64Concat, ElectionId, Twox64Concat, u32, Dealing>;

	/// Trustees who confirmed that every share addressed to them (from a dealer not
	/// disqualified) opens against its dealer's commitments, by election and trustee index.
	#[pallet::storage]
	pub type ShareConfirmations<T> =
		StorageDoubleMap<_, Twox64Concat, ElectionId, Twox64Concat, u32, (), OptionQuery>;

	/// Dealers convicted of a bad share, with the complaint that convicts them, by election
	/// and dealer index. They are left out of the joint key.
	#[pallet::storage]
	pub type Disqualified<T> =
		StorageDoubleMap<_, Twox64Concat, ElectionId, Twox64Concat, u32, Disqualification>;

	/// `A_k = Σ_i C_{i,k}`: the sum of the qualified dealings' commitments (every dealer not
	/// [`Disqualified`]). `A_0` is the joint key; trustee `j`'s verification key is
	/// `Σ_k j^k·A_k`.
	#[pallet::storage]
	pub type KeyCommitments<T> = StorageMap<_, Twox64Concat, ElectionId, Commitments>;

	/// The encrypted per-option tally of the counted ballots.
	#[pallet::storage]
	pub type Tallies<T> = StorageMap<_, Twox64Concat, ElectionId, Ciphertexts>;

	/// Each citizen's latest ballot, by election and citizen.
	#[pallet::storage]
	pub type Ballots<T: Config> =
		StorageDoubleMap<_, Twox64Concat, ElectionId, Twox64Concat, CitizenId, CastBallotOf<T>>;

	/// The tracking code of the ballot whose rules [`CheckBallot`] checked in the block for
	/// the extrinsic being applied, so that `cast_ballot` does not check them again and
	/// queues the ballot's proofs for the block's batch check ([`QueuedBallots`]). Written
	/// in the extension's `prepare`, taken by the call and cleared in `post_dispatch`: it
	/// never outlives one extrinsic, so it never reaches the state root.
	#[pallet::storage]
	#[pallet::whitelist_storage]
	pub type CheckedBallot<T> = StorageValue<_, H256, OptionQuery>;

	/// Ballots counted in this block whose proofs are not verified yet: `on_finalize`
	/// verifies them together ([`Pallet::verify_queued_ballots`]); if any proof fails, the
	/// block is invalid. When it holds [`Config::MaxBallotsPerBlock`], the block takes no
	/// more ballots (`ExhaustsResources`: the author keeps them for the next block). Emptied within the block: it never reaches the state root (nor the
	/// database, so benchmarks do not count its accesses as database reads and writes).
	#[pallet::storage]
	#[pallet::whitelist_storage]
	pub type QueuedBallots<T: Config> =
		StorageValue<_, BoundedVec<QueuedBallot<T::AccountId>, T::MaxBallotsPerBlock>, ValueQuery>;

	/// The election of the ballot queued last in this block: a ballot of the same election
	/// after it finds that election's keys in the block's overlay
	/// ([`Pallet::queued_cast_weight`]). Emptied with the queue.
	#[pallet::storage]
	#[pallet::whitelist_storage]
	pub type LastQueuedElection<T> = StorageValue<_, ElectionId, OptionQuery>;

	/// Voters whose ballot counts, by election and district.
	#[pallet::storage]
	pub type Turnout<T> =
		StorageDoubleMap<_, Twox64Concat, ElectionId, Twox64Concat, DistrictId, u32, ValueQuery>;

	/// Superseded ballots of the voters whose latest ballot is in a district, by election
	/// and district (zero entries are removed): where re-voting clusters, observers look.
	/// Nothing new is revealed (each `BallotCast` already names its voter and the code it
	/// supersedes); this adds it up. Next release (storage version 2).
	#[cfg(feature = "next-release")]
	#[pallet::storage]
	pub type Revotes<T> =
		StorageDoubleMap<_, Twox64Concat, ElectionId, Twox64Concat, DistrictId, u32, ValueQuery>;

	/// Trustees' decryption shares of the final tally, by election and trustee index.
	#[pallet::storage]
	pub type DecryptionShares<T> =
		StorageDoubleMap<_, Twox64Concat, ElectionId, Twox64Concat, u32, DecryptionShare>;

	/// Checked counts per option, once published.
	#[pallet::storage]
	pub type Results<T> = StorageMap<_, Twox64Concat, ElectionId, Counts>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An election was created; trustees may start key generation.
		ElectionCreated { election: ElectionId, created_by: T::AccountId },
		/// A trustee posted its transport key.
		TransportKeySubmitted { election: ElectionId, trustee: u32 },
		/// A trustee posted its dealing.
		DealingSubmitted { election: ElectionId, trustee: u32 },
		/// Every qualified trustee confirmed its shares (see `SharesConfirmed`): the joint key
		/// is ready.
		ElectionKeyReady { election: ElectionId, public_key: [u8; 32] },
		/// The election was cancelled before voting started.
		ElectionCancelled { election: ElectionId, reason: Reason },
		/// Ballots are accepted.
		VotingOpened { election: ElectionId },
		/// A ballot was accepted; `superseded` is the code of the ballot it replaced.
		BallotCast {
			election: ElectionId,
			voter: T::AccountId,
			tracking_code: H256,
			superseded: Option<H256>,
		},
		/// Voting closed with this many counted voters.
		VotingClosed { election: ElectionId, voters: u32, ballots_cast: u32 },
		/// A trustee posted a verified decryption share of the tally.
		DecryptionShareSubmitted { election: ElectionId, trustee: u32 },
		/// The counts matched the trustees' decryption of the tally.
		ResultPublished { election: ElectionId, counts: Counts },
		/// A trustee confirmed that the shares addressed to it open.
		SharesConfirmed { election: ElectionId, trustee: u32 },
		/// A dealer's bad share was proven by the complaint of the trustee it was sent to:
		/// the joint key is built without this dealer.
		DealerDisqualified { election: ElectionId, dealer: u32, complainer: u32 },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No election with this id.
		NoSuchElection,
		/// The call does not fit the election's current status.
		WrongStatus,
		/// The title, options or ballot kind do not make a valid ballot.
		InvalidOptions,
		/// Voting must close after it opens, with both moments of the same kind.
		InvalidSchedule,
		/// The threshold is below the minimum or above the number of trustees.
		InvalidThreshold,
		/// A trustee does not hold the election-trustee role.
		NotATrusteeByRole,
		/// The same account is named twice as trustee.
		DuplicateTrustee,
		/// The signer is not one of this election's trustees.
		NotThisElectionsTrustee,
		/// This trustee already posted this.
		AlreadySubmitted,
		/// Not every trustee has posted a transport key yet.
		TransportKeysIncomplete,
		/// The transport key's proof of possession does not hold.
		InvalidTransportKey,
		/// The dealing has the wrong shape, a bad point, or a proof that does not hold.
		InvalidDealing,
		/// The opening moment has not come.
		TooEarly,
		/// The closing moment has not come.
		VotingStillOpen,
		/// The closing moment has passed: ballots are refused.
		VotingClosed,
		/// The signer is not bound to a citizen.
		NotACitizen,
		/// The citizen's record is suspended or records a death.
		CitizenNotActive,
		/// The citizen is not an adult on the election day (on its roll: a majority the
		/// civil registry recorded after voting opened does not count).
		NotAnAdult,
		/// The citizen does not reside in a district of this election (on its roll).
		OutOfDistrict,
		/// The voter has cast the most ballots allowed.
		NoBallotsLeft,
		/// The ballot has the wrong number of ciphertexts or proofs, or bytes that are not
		/// points or scalars.
		MalformedBallot,
		/// A ballot proof does not hold: an option is not 0/1, the sum is out of bounds, or
		/// the ballot was made for another voter, election or chain.
		InvalidBallotProof,
		/// This exact ballot was already cast.
		DuplicateBallot,
		/// The decryption share has the wrong shape or a proof that does not hold.
		InvalidDecryptionShare,
		/// Fewer trustees than the threshold have posted shares.
		NotEnoughShares,
		/// The counts do not match the decryption of the tally.
		WrongCounts,
		/// Only the commission account that created the election, or governance, may do
		/// this.
		NotTheElectionsCreator,
		/// Stored election data does not decode (should never happen).
		CorruptState,
		/// The citizen is not on the election's roll: registered after voting opened (a
		/// re-registration is a new record), or moved twice since.
		NotOnTheRoll,
		/// Not every trustee has posted a dealing yet.
		DealingsIncomplete,
		/// The complaint names the complainer itself, a dealer outside the election, or has
		/// a proof that does not hold for the complainer's transport key.
		InvalidComplaint,
		/// The share the complaint is about opens against its dealer's commitments: there
		/// is nothing to complain about.
		ComplaintUnfounded,
		/// This dealer is disqualified already.
		AlreadyDisqualified,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// The constants make a working election: a voter casts at least one ballot, the
		/// smallest threshold is at least one and within the most trustees, and a valid
		/// ballot outranks a transaction with no priority.
		fn integrity_test() {
			assert!(T::MaxBallotsPerVoter::get() >= 1, "MaxBallotsPerVoter must be at least 1");
			let min = T::MinThreshold::get();
			assert!(min >= 1 && min <= MAX_TRUSTEES, "MinThreshold must be in 1..=MAX_TRUSTEES");
			assert!(T::BallotPriority::get() > 0, "BallotPriority must be above 0");
			assert!(T::MaxBallotsPerBlock::get() >= 1, "MaxBallotsPerBlock must be at least 1");
		}

		/// The batch check of the block's ballots. Its cost was charged to them
		/// (`cast_ballot`'s weight).
		fn on_finalize(_n: BlockNumberFor<T>) {
			Self::verify_queued_ballots();
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
		/// Creates an election in key generation: its question, options, schedule, districts
		/// and trustees. The trustees then generate the joint key
		/// ([`Pallet::submit_transport_key`], [`Pallet::submit_dealing`],
		/// [`Pallet::confirm_shares`]).
		///
		/// Origin: [`Config::CommissionOrigin`]; the signing commission account becomes the
		/// election's creator, the one that may open or cancel it (besides governance).
		///
		/// Parameters:
		/// - `params`: a non-empty title; at least two options, exactly two for a
		///   referendum, within the ballot kind's limits ([`egov_ballot::BallotSpec::check`]);
		///   voting closes after it opens (moments of the same kind); a threshold from
		///   [`Config::MinThreshold`] to the number of trustees; trustees distinct, each
		///   holding [`Role::ElectionTrustee`].
		///
		/// Emits `ElectionCreated`. Complexity: `O(trustees²)` comparisons for duplicates and
		/// one role lookup per trustee, `O(options)` to store the empty tally.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::create_election(
			params.options.len() as u32,
			params.trustees.len() as u32,
		))]
		pub fn create_election(
			origin: OriginFor<T>,
			params: ElectionParams<T::AccountId, BlockNumberFor<T>>,
		) -> DispatchResult {
			let created_by = T::CommissionOrigin::ensure_origin(origin)?;
			let options = params.options.len() as u32;
			ensure!(!params.title.is_empty(), Error::<T>::InvalidOptions);
			ensure!(
				!matches!(params.kind, BallotKind::Referendum) || options == 2,
				Error::<T>::InvalidOptions
			);
			ensure!(
				options >= 2 && params.kind.spec(options).check().is_ok(),
				Error::<T>::InvalidOptions
			);
			ensure!(params.voting_opens.before(&params.voting_closes), Error::<T>::InvalidSchedule);
			let n = params.trustees.len() as u32;
			ensure!(
				params.threshold >= T::MinThreshold::get().max(1) && params.threshold <= n,
				Error::<T>::InvalidThreshold
			);
			for (i, t) in params.trustees.iter().enumerate() {
				ensure!(
					T::Authorities::has_role(t, Role::ElectionTrustee),
					Error::<T>::NotATrusteeByRole
				);
				ensure!(!params.trustees[..i].contains(t), Error::<T>::DuplicateTrustee);
			}

			let election = NextElectionId::<T>::get();
			NextElectionId::<T>::put(election.saturating_add(1));
			let ciphertexts = params.kind.spec(options).ciphertexts() as usize;
			let tally = Ciphertexts::try_from(alloc::vec![Ciphertext::zero(); ciphertexts])
				.map_err(|_| Error::<T>::InvalidOptions)?;
			Tallies::<T>::insert(election, tally);
			Elections::<T>::insert(
				election,
				Election {
					params,
					created_by: created_by.clone(),
					status: ElectionStatus::KeyGeneration,
					public_key: None,
					roll_fixed_at: None,
					voters: 0,
					ballots_cast: 0,
				},
			);
			Self::deposit_event(Event::ElectionCreated { election, created_by });
			Ok(())
		}

		/// A trustee posts its transport key, the key the shares of the others' dealings to
		/// it are encrypted to: the first step of key generation.
		///
		/// Origin: signed by one of the election's trustees, once, while the election is in
		/// key generation.
		///
		/// Parameters:
		/// - `election`: the election.
		/// - `key`: the key with a proof of possession bound to this chain, election and
		///   trustee index (else `InvalidTransportKey`).
		///
		/// Emits `TransportKeySubmitted`. Complexity: O(1): one proof of possession checked.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::submit_transport_key())]
		pub fn submit_transport_key(
			origin: OriginFor<T>,
			election: ElectionId,
			key: TransportKey,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let e = Self::election(election)?;
			ensure!(e.status == ElectionStatus::KeyGeneration, Error::<T>::WrongStatus);
			let index = Self::trustee_index(&e, &who)?;
			ensure!(
				!TransportKeys::<T>::contains_key(election, index),
				Error::<T>::AlreadySubmitted
			);
			key.verify(&Self::dkg_context(election, &e, index))
				.map_err(|_| Error::<T>::InvalidTransportKey)?;
			TransportKeys::<T>::insert(election, index, key);
			Self::deposit_event(Event::TransportKeySubmitted { election, trustee: index });
			Ok(())
		}

		/// A trustee posts its contribution to the joint key, with shares encrypted to every
		/// trustee. Once every dealing is in, each trustee confirms its shares or complains
		/// ([`Pallet::confirm_shares`], [`Pallet::file_complaint`]).
		///
		/// Origin: signed by one of the election's trustees, once, after every transport
		/// key, while the election is in key generation.
		///
		/// Parameters:
		/// - `election`: the election.
		/// - `dealing`: `threshold` commitments and one encrypted share per trustee (bounded
		///   by [`MAX_TRUSTEES`]: a longer one does not decode). The chain checks the shape,
		///   that every point decodes, the proof of possession of the constant term and of
		///   every share's ephemeral key; whether each share matches the commitments only its
		///   recipient can see (else `InvalidDealing`).
		///
		/// Emits `DealingSubmitted`. Complexity: `O(trustees + threshold)` point decodings
		/// and proofs; charged for the dealing's own shape.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::submit_dealing(
			dealing.shares.len().min(MAX_TRUSTEES as usize) as u32,
			dealing.commitments.len().min(MAX_TRUSTEES as usize) as u32,
		))]
		pub fn submit_dealing(
			origin: OriginFor<T>,
			election: ElectionId,
			dealing: Dealing,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let e = Self::election(election)?;
			ensure!(e.status == ElectionStatus::KeyGeneration, Error::<T>::WrongStatus);
			let index = Self::trustee_index(&e, &who)?;
			ensure!(!Dealings::<T>::contains_key(election, index), Error::<T>::AlreadySubmitted);
			let n = e.params.trustees.len() as u32;
			ensure!(
				(1..=n).all(|j| TransportKeys::<T>::contains_key(election, j)),
				Error::<T>::TransportKeysIncomplete
			);
			dealing
				.verify_public(&Self::dkg_context(election, &e, index))
				.map_err(|_| Error::<T>::InvalidDealing)?;
			Dealings::<T>::insert(election, index, dealing);
			Self::deposit_event(Event::DealingSubmitted { election, trustee: index });
			Ok(())
		}

		/// Cancels an election, recording `reason` in `ElectionCancelled`.
		///
		/// Origin: the commission account that created the election, before voting opens; or
		/// governance ([`Config::GovernanceOrigin`]) in any phase before the result, so an
		/// election whose trustees stall can be ended. Anyone else: `NotTheElectionsCreator`.
		///
		/// Parameters:
		/// - `election`: the election, in a phase this origin may end (else `WrongStatus`).
		/// - `reason`: why, for the record (at most [`MAX_REASON_LEN`] bytes).
		///
		/// Emits `ElectionCancelled`. Complexity: O(1).
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::cancel_election())]
		pub fn cancel_election(
			origin: OriginFor<T>,
			election: ElectionId,
			reason: Reason,
		) -> DispatchResult {
			let mut e = Self::election(election)?;
			let by_governance = Self::ensure_creator_or_governance(origin, &e)?;
			let cancellable = if by_governance {
				!matches!(e.status, ElectionStatus::Final | ElectionStatus::Cancelled)
			} else {
				matches!(e.status, ElectionStatus::KeyGeneration | ElectionStatus::Ready)
			};
			ensure!(cancellable, Error::<T>::WrongStatus);
			e.status = ElectionStatus::Cancelled;
			Elections::<T>::insert(election, e);
			Self::deposit_event(Event::ElectionCancelled { election, reason });
			Ok(())
		}

		/// Opens voting, once the key is ready and the opening moment came.
		///
		/// Fixes the electoral roll: the registry as it stands at the end of this block.
		/// Citizens registered later (a removed and re-registered person is a new record)
		/// cannot vote in this election, and each voter votes in the district the roll has
		/// them in, whatever moves the registry records later.
		///
		/// Origin: the commission account that created the election, or governance.
		///
		/// Parameters:
		/// - `election`: an election whose key is Ready (else `WrongStatus`), whose opening
		///   moment has come (else `TooEarly`) and closing moment has not (else
		///   `VotingClosed`).
		///
		/// Emits `VotingOpened`. Complexity: O(1).
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::open_voting())]
		pub fn open_voting(origin: OriginFor<T>, election: ElectionId) -> DispatchResult {
			let mut e = Self::election(election)?;
			Self::ensure_creator_or_governance(origin, &e)?;
			ensure!(e.status == ElectionStatus::Ready, Error::<T>::WrongStatus);
			ensure!(Self::reached(&e.params.voting_opens), Error::<T>::TooEarly);
			ensure!(!Self::reached(&e.params.voting_closes), Error::<T>::VotingClosed);
			e.status = ElectionStatus::Voting;
			e.roll_fixed_at = Some(frame_system::Pallet::<T>::block_number());
			Elections::<T>::insert(election, e);
			Self::deposit_event(Event::VotingOpened { election });
			Ok(())
		}

		/// An eligible citizen casts (or re-casts) an encrypted ballot; only the latest one
		/// counts.
		///
		/// Origin: signed by the voter's current account (the proofs are bound to it).
		/// Refused (in the pool, by [`CheckBallot`], and here) unless every rule
		/// of [`Pallet::check_ballot`] holds; feeless exactly then.
		///
		/// Parameters:
		/// - `election`: an election in Voting whose closing moment has not come.
		/// - `ballot`: one ciphertext and one 0/1 proof per encrypted option, and the sum
		///   proof the ballot kind needs, bound to this chain, election and signer (bounded by
		///   [`egov_ballot::MAX_OPTIONS`]: a longer one does not decode).
		///
		/// Emits `BallotCast` with the ballot's tracking code and the code of the ballot it
		/// supersedes.
		///
		/// Complexity: one proof verification (`O(options)` point operations, charged by the
		/// ballot's shape). When [`CheckBallot`] checked this ballot in this extrinsic, its
		/// proof equations join the block's batch check instead ([`QueuedBallots`]), and it
		/// is charged its share of that ([`Pallet::queued_cast_weight`]). `O(options)` to
		/// update the tally; a constant number of storage reads and writes. A first ballot
		/// is refunded the re-vote bookkeeping.
		#[pallet::call_index(5)]
		#[pallet::weight(Pallet::<T>::cast_ballot_declared_weight(ballot))]
		#[pallet::feeless_if(|origin: &OriginFor<T>, election: &ElectionId, _ballot: &EncryptedBallot| -> bool {
			match ensure_signed(origin.clone()) {
				Ok(who) => Elections::<T>::get(election).is_some_and(|e| {
					e.status == ElectionStatus::Voting &&
						Pallet::<T>::check_voter(*election, &e, &who).is_ok()
				}),
				Err(_) => false,
			}
		})]
		pub fn cast_ballot(
			origin: OriginFor<T>,
			election: ElectionId,
			ballot: EncryptedBallot,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			// Set by `CheckBallot` when it checked exactly this ballot in this extrinsic.
			let checked = CheckedBallot::<T>::take();
			let accepted = Self::check_ballot(election, &who, &ballot, Proofs::Defer)?;
			let mut actual = Self::cast_ballot_weight(&ballot);
			if checked == Some(accepted.tracking_code) {
				let queued = Self::queue_proofs(&accepted, &who, &ballot)?;
				actual = Self::queued_cast_weight(&ballot, queued);
			} else {
				// Not checked by the extension (e.g. inside `utility.batch`): verify now.
				egov_ballot::verify_ballot(&accepted.context, &accepted.spec, &ballot)
					.map_err(Self::ballot_error)?;
			}
			let first = accepted.previous.is_none();
			Self::count_ballot(election, who, ballot, accepted);
			// Only a re-vote moves a count of re-votes: a first ballot does not pay for it.
			if first {
				actual = actual.saturating_sub(Self::revote_count_weight());
			}
			Ok(Some(actual).into())
		}

		/// Closes voting once the closing moment has come: the tally is final.
		///
		/// Origin: signed, by anyone.
		///
		/// Parameters:
		/// - `election`: an election in Voting (else `WrongStatus`) whose closing moment has
		///   come (else `VotingStillOpen`).
		///
		/// Emits `VotingClosed` with the counted voters and the ballots cast. Complexity:
		/// O(1).
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::close_voting())]
		pub fn close_voting(origin: OriginFor<T>, election: ElectionId) -> DispatchResult {
			ensure_signed(origin)?;
			let mut e = Self::election(election)?;
			ensure!(e.status == ElectionStatus::Voting, Error::<T>::WrongStatus);
			ensure!(Self::reached(&e.params.voting_closes), Error::<T>::VotingStillOpen);
			e.status = ElectionStatus::Tallying;
			let (voters, ballots_cast) = (e.voters, e.ballots_cast);
			Elections::<T>::insert(election, e);
			Self::deposit_event(Event::VotingClosed { election, voters, ballots_cast });
			Ok(())
		}

		/// A trustee posts its decryption share of the closed election's final tally.
		///
		/// Origin: signed by one of the election's trustees, once, while the election is
		/// Tallying.
		///
		/// Parameters:
		/// - `election`: the election.
		/// - `share`: one share and one DLEQ proof per tally ciphertext (bounded by
		///   [`egov_ballot::MAX_OPTIONS`]), every proof holding against the trustee's
		///   verification key and bound to this election's final state (its counted voters
		///   and the whole tally, see [`ShareContext`]): a share of anything else is
		///   `InvalidDecryptionShare`.
		///
		/// Emits `DecryptionShareSubmitted`. Complexity: `O(options)` point operations plus
		/// the verification key (`O(threshold)`); charged for [`MAX_TRUSTEES`] as threshold,
		/// refunded to the election's own.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::submit_decryption_share(
			share.shares.len().min(egov_ballot::MAX_OPTIONS as usize) as u32,
			MAX_TRUSTEES,
		))]
		pub fn submit_decryption_share(
			origin: OriginFor<T>,
			election: ElectionId,
			share: DecryptionShare,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let e = Self::election(election)?;
			ensure!(e.status == ElectionStatus::Tallying, Error::<T>::WrongStatus);
			let index = Self::trustee_index(&e, &who)?;
			ensure!(
				!DecryptionShares::<T>::contains_key(election, index),
				Error::<T>::AlreadySubmitted
			);
			let tally = Tallies::<T>::get(election).ok_or(Error::<T>::CorruptState)?;
			let ctx = Self::share_context_of(election, &e, index)?;
			share.verify(&ctx, &tally).map_err(|_| Error::<T>::InvalidDecryptionShare)?;
			let options = share.shares.len() as u32;
			DecryptionShares::<T>::insert(election, index, share);
			Self::deposit_event(Event::DecryptionShareSubmitted { election, trustee: index });
			// Charged for the most trustees; the verification key took this threshold.
			Ok(Some(T::WeightInfo::submit_decryption_share(options, e.params.threshold)).into())
		}

		/// Publishes the result: the counts per option, accepted only if they match the
		/// combined decryption of the tally by `threshold` trustees' shares (and, for an
		/// option implied by a fixed number of selections, the number of counted voters).
		/// The election is then Final.
		///
		/// Origin: signed, by anyone (anyone can decrypt from the posted shares).
		///
		/// Parameters:
		/// - `election`: an election in Tallying (else `WrongStatus`) with at least
		///   `threshold` shares posted (else `NotEnoughShares`).
		/// - `counts`: one count per option, in option order (else `WrongCounts`).
		///
		/// Emits `ResultPublished`. Complexity: `O(threshold × options)` point operations to
		/// combine the shares; charged for [`MAX_TRUSTEES`] as threshold, refunded to the
		/// election's own.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::publish_result(
			counts.len().min(egov_ballot::MAX_OPTIONS as usize) as u32,
			MAX_TRUSTEES,
		))]
		pub fn publish_result(
			origin: OriginFor<T>,
			election: ElectionId,
			counts: Counts,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let mut e = Self::election(election)?;
			ensure!(e.status == ElectionStatus::Tallying, Error::<T>::WrongStatus);
			let tally = Tallies::<T>::get(election).ok_or(Error::<T>::CorruptState)?;
			let spec = e.params.kind.spec(e.params.options.len() as u32);
			ensure!(counts.len() == spec.options as usize, Error::<T>::WrongCounts);
			let n = e.params.trustees.len() as u32;
			let shares: Vec<(u32, DecryptionShare)> = (1..=n)
				.filter_map(|j| DecryptionShares::<T>::get(election, j).map(|s| (j, s)))
				.take(e.params.threshold as usize)
				.collect();
			ensure!(shares.len() as u32 == e.params.threshold, Error::<T>::NotEnoughShares);
			let refs: Vec<(u32, &DecryptionShare)> = shares.iter().map(|(j, s)| (*j, s)).collect();
			let combined = egov_ballot::combine_shares(&refs, tally.len())
				.map_err(|_| Error::<T>::CorruptState)?;
			egov_ballot::check_result(&spec, &tally, &combined, &counts, e.voters.into())
				.map_err(|_| Error::<T>::WrongCounts)?;
			let actual = T::WeightInfo::publish_result(counts.len() as u32, e.params.threshold);
			e.status = ElectionStatus::Final;
			Elections::<T>::insert(election, e);
			Results::<T>::insert(election, counts.clone());
			Self::deposit_event(Event::ResultPublished { election, counts });
			// Charged for the most trustees; this many shares were read and combined.
			Ok(Some(actual).into())
		}

		/// A trustee confirms that every share addressed to it, from each dealer not
		/// disqualified, opens against that dealer's commitments (`egov trustee confirm`
		/// checks them, and complains first about any that does not). When every trustee
		/// not disqualified has confirmed, the joint key is built from the qualified
		/// dealings and the election is Ready; with fewer qualified dealers than the
		/// threshold, the election is cancelled instead.
		///
		/// Origin: signed by one of the election's trustees, once, in key generation, after
		/// every dealing (else `DealingsIncomplete`).
		///
		/// Parameters:
		/// - `election`: the election.
		///
		/// Emits `SharesConfirmed`, and `ElectionKeyReady` when it completes the key.
		/// Complexity: `O(trustees × threshold)` point additions when it completes the key,
		/// O(trustees) storage reads otherwise; charged for [`MAX_TRUSTEES`] trustees and
		/// threshold, refunded to the election's own.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::confirm_shares(MAX_TRUSTEES, MAX_TRUSTEES,))]
		pub fn confirm_shares(
			origin: OriginFor<T>,
			election: ElectionId,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let e = Self::election(election)?;
			ensure!(e.status == ElectionStatus::KeyGeneration, Error::<T>::WrongStatus);
			let index = Self::trustee_index(&e, &who)?;
			Self::ensure_every_dealing(election, &e)?;
			ensure!(
				!ShareConfirmations::<T>::contains_key(election, index),
				Error::<T>::AlreadySubmitted
			);
			ShareConfirmations::<T>::insert(election, index, ());
			Self::deposit_event(Event::SharesConfirmed { election, trustee: index });
			let actual = Self::actual_trustees_weight(&e, T::WeightInfo::confirm_shares);
			Self::complete_key_if_confirmed(election, e)?;
			Ok(Some(actual).into())
		}

		/// A trustee proves that the share `dealer` encrypted to it does not open against
		/// the dealer's commitments: `complaint` reveals the Diffie–Hellman value of that
		/// share's encryption with a proof, so the chain opens the share itself. The dealer
		/// is disqualified and left out of the joint key (a dealing that breaks the key
		/// would otherwise surface only when trustees decrypt, after everyone voted).
		///
		/// Origin: signed by one of the election's trustees, in key generation, after every
		/// dealing (else `DealingsIncomplete`).
		///
		/// Parameters:
		/// - `election`: the election.
		/// - `dealer`: another trustee's index, from 1, not disqualified already (else
		///   `InvalidComplaint`, `AlreadyDisqualified`).
		/// - `complaint`: the Diffie–Hellman value and its DLEQ proof for the complainer's
		///   transport key (else `InvalidComplaint`), about a share that does not open (else
		///   `ComplaintUnfounded`).
		///
		/// Emits `DealerDisqualified` (and `ElectionKeyReady` if every remaining trustee had
		/// confirmed, or `ElectionCancelled` if fewer qualified dealers than the threshold
		/// remain). Complexity: `O(threshold)` point operations, `O(trustees × threshold)`
		/// when it completes the key; charged for [`MAX_TRUSTEES`] trustees and threshold,
		/// refunded to the election's own.
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::file_complaint(MAX_TRUSTEES, MAX_TRUSTEES))]
		pub fn file_complaint(
			origin: OriginFor<T>,
			election: ElectionId,
			dealer: u32,
			complaint: egov_ballot::Complaint,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let e = Self::election(election)?;
			ensure!(e.status == ElectionStatus::KeyGeneration, Error::<T>::WrongStatus);
			let complainer = Self::trustee_index(&e, &who)?;
			Self::ensure_every_dealing(election, &e)?;
			let n = e.params.trustees.len() as u32;
			ensure!(
				dealer != complainer && (1..=n).contains(&dealer),
				Error::<T>::InvalidComplaint
			);
			ensure!(
				!Disqualified::<T>::contains_key(election, dealer),
				Error::<T>::AlreadyDisqualified
			);
			let dealing = Dealings::<T>::get(election, dealer).ok_or(Error::<T>::CorruptState)?;
			let transport_key =
				TransportKeys::<T>::get(election, complainer).ok_or(Error::<T>::CorruptState)?;
			complaint
				.convicts(
					&Self::dkg_context(election, &e, dealer),
					&dealing,
					complainer,
					&transport_key.key,
				)
				.map_err(|err| match err {
					egov_ballot::Error::ShareOpens => Error::<T>::ComplaintUnfounded,
					_ => Error::<T>::InvalidComplaint,
				})?;
			Disqualified::<T>::insert(election, dealer, Disqualification { complainer, complaint });
			Self::deposit_event(Event::DealerDisqualified { election, dealer, complainer });
			let actual = Self::actual_trustees_weight(&e, T::WeightInfo::file_complaint);
			Self::complete_key_if_confirmed(election, e)?;
			Ok(Some(actual).into())
		}
	}
}

/// A voter's latest ballot as this runtime stores it.
pub type CastBallotOf<T> = CastBallot<
	<T as frame_system::Config>::AccountId,
	BlockNumberFor<T>,
	<T as Config>::MaxBallotsPerVoter,
>;

/// Why a block does not import when one of its ballots has a false proof (the block's
/// author did not verify it; see [`Pallet::verify_queued_ballots`]).
pub const FALSE_PROOF_IN_BLOCK: &str = "a ballot in this block has a proof that does not hold";

/// Where a queued ballot stands in its block, for its weight.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Queued {
	/// The first ballot of the block's batch: it pays the batch's fixed cost.
	pub opened_batch: bool,
	/// Right after another ballot of the same election in this block.
	pub warm: bool,
}

/// The database reads and writes of a cast that a ballot right after another of its
/// election in the same block does not make: the election and its tally (read and
/// written), the time and the genesis hash (read). They are in the block's overlay.
pub const WARM_KEYS: (u64, u64) = (4, 2);

/// Whether [`Pallet::check_ballot`] verifies a ballot's proofs or leaves them to the
/// block's batch check.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Proofs {
	/// Verify them now: in the transaction pool, and for a `cast_ballot` the
	/// [`CheckBallot`] extension did not check.
	Verify,
	/// Check the ballot's shape only; `cast_ballot` queues the proofs in [`QueuedBallots`].
	Defer,
}

/// A ballot that passed [`Pallet::check_ballot`], with what counting it needs.
pub struct AcceptedBallot<T: Config> {
	election: Election<T::AccountId, BlockNumberFor<T>>,
	citizen: CitizenId,
	district: DistrictId,
	previous: Option<CastBallotOf<T>>,
	tracking_code: H256,
	/// What the ballot's proofs are bound to, and its kind.
	context: BallotContext,
	spec: egov_ballot::BallotSpec,
}

/// The tracking code of `ballot` cast in `election` by `citizen`'s account, the
/// SCALE-encoded `voter`: the election id and the citizen id (little-endian), then the
/// first 128 bits of a hash of all four and the ballot.
pub fn tracking_code(
	election: ElectionId,
	citizen: CitizenId,
	voter: &[u8],
	ballot: &EncryptedBallot,
) -> H256 {
	let hash = polkadot_sdk::sp_io::hashing::blake2_256(
		&(b"egov-tracking-code", election, citizen, voter, ballot).encode(),
	);
	let mut code = [0u8; 32];
	code[..8].copy_from_slice(&election.to_le_bytes());
	code[8..16].copy_from_slice(&citizen.to_le_bytes());
	code[16..].copy_from_slice(&hash[..16]);
	H256(code)
}

/// Where a tracking code's ballot is kept: its election and citizen.
pub fn tracking_code_owner(code: &H256) -> (ElectionId, CitizenId) {
	let mut election = [0u8; 8];
	let mut citizen = [0u8; 8];
	election.copy_from_slice(&code[..8]);
	citizen.copy_from_slice(&code[8..16]);
	(ElectionId::from_le_bytes(election), CitizenId::from_le_bytes(citizen))
}

impl<T: Config> Pallet<T> {
	fn election(id: ElectionId) -> Result<Election<T::AccountId, BlockNumberFor<T>>, Error<T>> {
		Elections::<T>::get(id).ok_or(Error::<T>::NoSuchElection)
	}

	/// Whether `origin` is governance (`true`) or the commission account that created `e`
	/// (`false`); any other origin is refused.
	fn ensure_creator_or_governance(
		origin: OriginFor<T>,
		e: &Election<T::AccountId, BlockNumberFor<T>>,
	) -> Result<bool, DispatchError> {
		if T::GovernanceOrigin::try_origin(origin.clone()).is_ok() {
			return Ok(true);
		}
		let who = T::CommissionOrigin::ensure_origin(origin)?;
		ensure!(who == e.created_by, Error::<T>::NotTheElectionsCreator);
		Ok(false)
	}

	fn trustee_index(
		e: &Election<T::AccountId, BlockNumberFor<T>>,
		who: &T::AccountId,
	) -> Result<u32, Error<T>> {
		e.params
			.trustees
			.iter()
			.position(|t| t == who)
			.map(|i| i as u32 + 1)
			.ok_or(Error::<T>::NotThisElectionsTrustee)
	}

	/// A call charged for the most trustees and commitments, at this election's actual
	/// number of trustees and threshold: what it refunds to.
	fn actual_trustees_weight(
		e: &Election<T::AccountId, BlockNumberFor<T>>,
		weight: fn(u32, u32) -> Weight,
	) -> Weight {
		weight(e.params.trustees.len() as u32, e.params.threshold)
	}

	fn ensure_every_dealing(
		election: ElectionId,
		e: &Election<T::AccountId, BlockNumberFor<T>>,
	) -> Result<(), Error<T>> {
		let n = e.params.trustees.len() as u32;
		ensure!(
			(1..=n).all(|j| Dealings::<T>::contains_key(election, j)),
			Error::<T>::DealingsIncomplete
		);
		Ok(())
	}

	/// The qualified dealers of an election: every trustee index not [`Disqualified`].
	pub fn qualified_dealers(election: ElectionId, trustees: u32) -> Vec<u32> {
		(1..=trustees)
			.filter(|i| !Disqualified::<T>::contains_key(election, i))
			.collect()
	}

	/// Builds the joint key once every trustee not disqualified has confirmed its shares:
	/// the sum of the qualified dealings' commitments. Fewer qualified dealers than the
	/// threshold would let fewer than `t` trustees know the whole secret together: the
	/// election is cancelled instead (the commission names other trustees in a new one).
	fn complete_key_if_confirmed(
		election: ElectionId,
		mut e: Election<T::AccountId, BlockNumberFor<T>>,
	) -> Result<(), DispatchError> {
		let qualified = Self::qualified_dealers(election, e.params.trustees.len() as u32);
		if (qualified.len() as u32) < e.params.threshold {
			e.status = ElectionStatus::Cancelled;
			Elections::<T>::insert(election, e);
			let reason =
				Reason::truncate_from(b"fewer qualified dealers than the threshold".to_vec());
			Self::deposit_event(Event::ElectionCancelled { election, reason });
			return Ok(());
		}
		if !qualified.iter().all(|j| ShareConfirmations::<T>::contains_key(election, j)) {
			return Ok(());
		}
		let dealings: Vec<Dealing> =
			qualified.iter().filter_map(|i| Dealings::<T>::get(election, i)).collect();
		ensure!(dealings.len() == qualified.len(), Error::<T>::CorruptState);
		let commitments: Vec<&[[u8; 32]]> = dealings.iter().map(|d| &d.commitments[..]).collect();
		let aggregate = egov_ballot::aggregate_commitments(&commitments)
			.map_err(|_| Error::<T>::InvalidDealing)?;
		let public_key = *aggregate.first().ok_or(Error::<T>::InvalidDealing)?;
		KeyCommitments::<T>::insert(election, aggregate);
		e.public_key = Some(public_key);
		e.status = ElectionStatus::Ready;
		Elections::<T>::insert(election, e);
		Self::deposit_event(Event::ElectionKeyReady { election, public_key });
		Ok(())
	}

	/// The chain's genesis hash, which every ballot and key is bound to.
	pub fn genesis_hash() -> [u8; 32] {
		let hash = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
		let mut out = [0u8; 32];
		let bytes = hash.as_ref();
		let n = bytes.len().min(32);
		out[..n].copy_from_slice(&bytes[..n]);
		out
	}

	fn dkg_context(
		election: ElectionId,
		e: &Election<T::AccountId, BlockNumberFor<T>>,
		index: u32,
	) -> DkgContext {
		DkgContext {
			genesis_hash: Self::genesis_hash(),
			election_id: election,
			trustee_index: index,
			trustees: e.params.trustees.len() as u32,
			threshold: e.params.threshold,
		}
	}

	/// What trustee `index`'s decryption shares are bound to, with its verification key:
	/// the election as closed (its counted voters; the proofs also absorb the final tally).
	pub fn share_context(election: ElectionId, index: u32) -> Result<ShareContext, Error<T>> {
		Self::share_context_of(election, &Self::election(election)?, index)
	}

	fn share_context_of(
		election: ElectionId,
		e: &Election<T::AccountId, BlockNumberFor<T>>,
		index: u32,
	) -> Result<ShareContext, Error<T>> {
		let aggregate = KeyCommitments::<T>::get(election).ok_or(Error::<T>::CorruptState)?;
		let verification_key = egov_ballot::verification_key(&aggregate, index)
			.map_err(|_| Error::<T>::CorruptState)?;
		Ok(ShareContext {
			genesis_hash: Self::genesis_hash(),
			election_id: election,
			trustee_index: index,
			verification_key,
			counted_voters: e.voters.into(),
		})
	}

	fn reached(moment: &Moment<BlockNumberFor<T>>) -> bool {
		moment.reached(
			frame_system::Pallet::<T>::block_number(),
			T::UnixTime::now().as_millis() as u64,
		)
	}

	/// The weight of casting `ballot`, from its shape ([`CheckBallot`] refuses any shape but
	/// the election's). Verification costs the same for the same number of ciphertexts and
	/// sum-proof branches: `c` ciphertexts with at most two branches are measured as a single
	/// choice among `c + 1` (an upper bound for fewer branches), more as an approval ballot.
	fn cast_ballot_weight(ballot: &EncryptedBallot) -> Weight {
		let max = egov_ballot::MAX_OPTIONS as usize;
		let c = ballot.ciphertexts.len();
		let branches = ballot.sum_proof.as_ref().map_or(0, |p| p.commitments.len());
		let measured = if branches <= 2 {
			T::WeightInfo::cast_ballot_single(c.saturating_add(1).clamp(2, max) as u32)
		} else {
			let s = branches.min(egov_ballot::MAX_SUM_RANGE as usize) as u32;
			T::WeightInfo::cast_ballot_approval(c.clamp(2, max) as u32, s)
		};
		measured.saturating_add(Self::revote_count_weight())
	}

	/// A re-vote moves its count in `Revotes` (next release; not benchmarked yet, so
	/// charged as its storage accesses, at most two keys; refunded to a first ballot).
	fn revote_count_weight() -> Weight {
		#[cfg(feature = "next-release")]
		return <T as frame_system::Config>::DbWeight::get().reads_writes(2, 2);
		#[cfg(not(feature = "next-release"))]
		Weight::zero()
	}

	fn ballot_error(e: egov_ballot::Error) -> Error<T> {
		match e {
			egov_ballot::Error::BadChallenge | egov_ballot::Error::InvalidProof => {
				Error::<T>::InvalidBallotProof
			},
			_ => Error::<T>::MalformedBallot,
		}
	}

	/// Every rule a ballot must pass before it counts, in the order they are cheapest to
	/// check: the election is open, the signer may vote and has ballots left, the ballot is
	/// new, it has the election's shape, its ciphertexts are points and its proofs answer
	/// their challenges (it was made for this voter, election and key), and (with
	/// [`Proofs::Verify`]) its proofs hold. The
	/// transaction pool runs this with the proofs (through [`CheckBallot`]) on every ballot
	/// before it may enter a block; in the block, the extension and `cast_ballot` run it
	/// without them, and the block verifies the proofs in batches ([`QueuedBallots`]).
	pub fn check_ballot(
		election: ElectionId,
		who: &T::AccountId,
		ballot: &EncryptedBallot,
		proofs: Proofs,
	) -> Result<AcceptedBallot<T>, Error<T>> {
		let e = Self::election(election)?;
		ensure!(e.status == ElectionStatus::Voting, Error::<T>::WrongStatus);
		ensure!(!Self::reached(&e.params.voting_closes), Error::<T>::VotingClosed);
		let (citizen, district, previous) = Self::check_voter(election, &e, who)?;
		let voter = who.encode();
		let tracking_code = tracking_code(election, citizen, &voter, ballot);
		// Only this voter can cast this ballot (its proofs are bound to their account), so
		// a duplicate is one of their own earlier ballots.
		ensure!(
			!previous.as_ref().is_some_and(|p| p.has_code(&tracking_code)),
			Error::<T>::DuplicateBallot
		);
		let (context, spec) = Self::ballot_context(election, &e, who)?;
		match proofs {
			Proofs::Verify => egov_ballot::verify_ballot(&context, &spec, ballot),
			// The challenges bind the proofs to this context: a ballot the pool verified
			// for another fork's key fails here, not in the block's batch. The ciphertexts
			// are decoded because the tally adds them next.
			Proofs::Defer => ballot
				.ciphertexts
				.iter()
				.try_for_each(|ct| ct.check_points())
				.and_then(|()| egov_ballot::check_challenges(&context, &spec, ballot)),
		}
		.map_err(Self::ballot_error)?;
		Ok(AcceptedBallot {
			election: e,
			citizen,
			district,
			previous,
			tracking_code,
			context,
			spec,
		})
	}

	/// What a ballot of `who` in `election` is bound to, and its kind.
	fn ballot_context(
		election: ElectionId,
		e: &Election<T::AccountId, BlockNumberFor<T>>,
		who: &T::AccountId,
	) -> Result<(BallotContext, egov_ballot::BallotSpec), Error<T>> {
		let ctx = BallotContext {
			genesis_hash: Self::genesis_hash(),
			election_id: election,
			voter: who.encode(),
			public_key: e.public_key.ok_or(Error::<T>::CorruptState)?,
		};
		Ok((ctx, e.params.kind.spec(e.params.options.len() as u32)))
	}

	/// Queues a checked ballot's proofs for the block's batch check. Returns where it stands
	/// in the block ([`Queued`]). [`CheckBallot`] refuses a ballot when the queue is full,
	/// so there is room; if not, the ballot is verified now.
	fn queue_proofs(
		accepted: &AcceptedBallot<T>,
		who: &T::AccountId,
		ballot: &EncryptedBallot,
	) -> Result<Queued, Error<T>> {
		let queued = QueuedBallot {
			election: accepted.context.election_id,
			public_key: accepted.context.public_key,
			spec: accepted.spec,
			voter: who.clone(),
			ballot: ballot.clone(),
		};
		if QueuedBallots::<T>::try_append(queued).is_err() {
			defensive!("CheckBallot leaves room in the ballot queue");
			egov_ballot::verify_ballot(&accepted.context, &accepted.spec, ballot)
				.map_err(Self::ballot_error)?;
			return Ok(Queued { opened_batch: false, warm: false });
		}
		let election = accepted.context.election_id;
		let warm = LastQueuedElection::<T>::get() == Some(election);
		LastQueuedElection::<T>::put(election);
		Ok(Queued { opened_batch: QueuedBallots::<T>::decode_len() == Some(1), warm })
	}

	/// Whether the block can take one more ballot.
	pub(crate) fn block_has_room_for_a_ballot() -> bool {
		QueuedBallots::<T>::decode_len().unwrap_or_default() < T::MaxBallotsPerBlock::get() as usize
	}

	/// Verifies the proofs of every ballot queued in this block in one multi-scalar
	/// multiplication and empties the queue (`on_finalize`). The weights of the batch come from a hash of the whole queue
	/// (see [`egov_ballot::BatchVerifier::with_seed`]), which the block's author cannot
	/// choose after the ballots.
	///
	/// # Panics
	///
	/// If any proof fails: the block is then invalid, and no node imports it (relay-chain
	/// validators re-execute the block, so it cannot be backed). An honest collator never
	/// builds one: its pool verified every ballot, and in the block [`CheckBallot`] checked
	/// that each answers its challenges in the block's context, so the same equations hold.
	#[allow(clippy::panic)] // The one way to make a block invalid (see # Panics).
	pub fn verify_queued_ballots() {
		let key = QueuedBallots::<T>::hashed_key();
		let Some(raw) = frame_support::storage::unhashed::get_raw(&key) else { return };
		frame_support::storage::unhashed::kill(&key);
		LastQueuedElection::<T>::kill();
		let seed = polkadot_sdk::sp_io::hashing::blake2_256(&raw);
		let genesis_hash = Self::genesis_hash();
		let mut batch = egov_ballot::BatchVerifier::with_seed(seed);
		// `add` refuses bytes that are not points or scalars and false challenges; a queue
		// that does not decode cannot be verified, so it fails the block too.
		let verified =
			Vec::<QueuedBallot<T::AccountId>>::decode(&mut &raw[..]).is_ok_and(|queued| {
				queued.iter().all(|q| {
					let ctx = BallotContext {
						genesis_hash,
						election_id: q.election,
						voter: q.voter.encode(),
						public_key: q.public_key,
					};
					batch.add(&ctx, &q.spec, &q.ballot).is_ok()
				})
			}) && batch.verify().is_ok();
		if !verified {
			panic!("{}", FALSE_PROOF_IN_BLOCK);
		}
	}

	/// The weight of a ballot whose proofs were queued: the in-block path (the extension's
	/// checks and the call, [`WeightInfo::cast_ballot_queued`]) and its share of the
	/// block's batch check, plus the batch's fixed cost for the ballot that opened it. A
	/// referendum ballot's share is measured ([`WeightInfo::verify_queued_ballots`]);
	/// other kinds are charged their full single verification (an upper bound). A ballot
	/// right after another of its election in the block is not charged the database
	/// accesses of that election's keys ([`WARM_KEYS`]): the block reads them from the
	/// database once and writes them back once.
	fn queued_cast_weight(ballot: &EncryptedBallot, queued: Queued) -> Weight {
		let is_referendum = ballot.ciphertexts.len() == 1 && ballot.sum_proof.is_none();
		let batch_base = T::WeightInfo::verify_queued_ballots(0);
		let mut weight = if is_referendum {
			let share = T::WeightInfo::verify_queued_ballots(1).saturating_sub(batch_base);
			T::WeightInfo::cast_ballot_queued()
				.saturating_add(share)
				.saturating_add(Self::revote_count_weight())
		} else {
			Self::cast_ballot_weight(ballot)
		};
		if queued.opened_batch {
			weight = weight.saturating_add(batch_base);
		}
		if queued.warm {
			let (reads, writes) = WARM_KEYS;
			let db = <T as frame_system::Config>::DbWeight::get().reads_writes(reads, writes);
			weight = weight.saturating_sub(Weight::from_parts(db.ref_time(), 0));
		}
		weight
	}

	/// What `cast_ballot` declares: the larger of its two paths, verified now or queued
	/// (opening a batch, cold), so the actual weight never exceeds it.
	fn cast_ballot_declared_weight(ballot: &EncryptedBallot) -> Weight {
		let cold = Queued { opened_batch: true, warm: false };
		Self::cast_ballot_weight(ballot).max(Self::queued_cast_weight(ballot, cold))
	}

	/// Adds a checked ballot to the tally in place of the voter's previous one.
	fn count_ballot(
		election: ElectionId,
		who: T::AccountId,
		ballot: EncryptedBallot,
		accepted: AcceptedBallot<T>,
	) {
		let AcceptedBallot { election: mut e, citizen, district, previous, tracking_code, .. } =
			accepted;
		Tallies::<T>::mutate(election, |stored| {
			let Some(stored) = stored else {
				defensive!("an election in voting has a tally");
				return;
			};
			let Ok(mut tally) = Tally::from_ciphertexts(stored) else {
				defensive!("the stored tally decodes");
				return;
			};
			if let Some(prev) = &previous {
				if tally.subtract(&prev.ballot.ciphertexts).is_err() {
					defensive!("a counted ballot has the tally's shape");
				}
			}
			if tally.add(&ballot.ciphertexts).is_err() {
				defensive!("a verified ballot has the tally's shape");
			}
			match tally.ciphertexts() {
				Ok(sums) => *stored = sums,
				Err(_) => {
					defensive!("a tally has as many ciphertexts as the stored one");
				},
			}
		});
		if let Some(prev) = &previous {
			Turnout::<T>::mutate(election, prev.district, |n| *n = n.saturating_sub(1));
			#[cfg(feature = "next-release")]
			if prev.district == district {
				Revotes::<T>::mutate(election, district, |n| *n = n.saturating_add(1));
			} else {
				// The voter moved: their earlier re-votes move with them.
				let earlier = prev.superseded.len() as u32;
				Revotes::<T>::mutate_exists(election, prev.district, |n| {
					*n = n.map(|n| n.saturating_sub(earlier)).filter(|n| *n > 0)
				});
				Revotes::<T>::mutate(election, district, |n| *n = n.saturating_add(earlier + 1));
			}
		} else {
			e.voters = e.voters.saturating_add(1);
		}
		Turnout::<T>::mutate(election, district, |n| *n = n.saturating_add(1));
		e.ballots_cast = e.ballots_cast.saturating_add(1);
		Elections::<T>::insert(election, e);

		let superseded = previous.as_ref().map(|p| p.tracking_code);
		let earlier = previous.map_or_else(BoundedVec::new, |p| {
			let mut codes = p.superseded;
			// `check_voter` let this ballot in: the previous ones are fewer than
			// `MaxBallotsPerVoter - 1`, so one more superseded code fits.
			if codes.try_push(p.tracking_code).is_err() {
				defensive!("a voter with ballots left has room for one more superseded code");
			}
			codes
		});
		Ballots::<T>::insert(
			election,
			citizen,
			CastBallot {
				voter: who.clone(),
				ballot,
				tracking_code,
				superseded: earlier,
				cast_at: frame_system::Pallet::<T>::block_number(),
				district,
			},
		);
		Self::deposit_event(Event::BallotCast { election, voter: who, tracking_code, superseded });
	}

	/// Whether `who` may cast a ballot in election `e` now: their citizen id, district and
	/// previous ballot.
	#[allow(clippy::type_complexity)]
	pub fn check_voter(
		election: ElectionId,
		e: &Election<T::AccountId, BlockNumberFor<T>>,
		who: &T::AccountId,
	) -> Result<(CitizenId, DistrictId, Option<CastBallotOf<T>>), Error<T>> {
		let citizen = T::Citizens::citizen_by_account(who).ok_or(Error::<T>::NotACitizen)?;
		ensure!(citizen.status == CitizenStatus::Active, Error::<T>::CitizenNotActive);
		// Before voting opens (eligibility queries), the roll it would fix now.
		let roll = e.roll_fixed_at.unwrap_or_else(frame_system::Pallet::<T>::block_number);
		let district = citizen.district_at(roll).ok_or(Error::<T>::NotOnTheRoll)?;
		ensure!(citizen.adult_on_roll(e.params.election_day, roll), Error::<T>::NotAnAdult);
		ensure!(
			e.params.districts.is_empty() || e.params.districts.contains(&district),
			Error::<T>::OutOfDistrict
		);
		let previous = Ballots::<T>::get(election, citizen.id);
		ensure!(
			previous.as_ref().map_or(0, |p| p.casts()) < T::MaxBallotsPerVoter::get(),
			Error::<T>::NoBallotsLeft
		);
		Ok((citizen.id, district, previous))
	}

	/// For the runtime API: eligibility of `who` in `election`.
	pub fn voter_eligibility(election: ElectionId, who: &T::AccountId) -> VoterEligibility {
		let Some(e) = Elections::<T>::get(election) else {
			return VoterEligibility::NoSuchElection;
		};
		match Self::check_voter(election, &e, who) {
			Ok((_, district, previous)) => VoterEligibility::Eligible {
				district,
				casts_left: T::MaxBallotsPerVoter::get()
					.saturating_sub(previous.map_or(0, |p| p.casts())),
			},
			Err(Error::<T>::NotACitizen) => VoterEligibility::NotACitizen,
			Err(Error::<T>::CitizenNotActive) => VoterEligibility::NotActive,
			Err(Error::<T>::NotAnAdult) => VoterEligibility::Minor,
			Err(Error::<T>::OutOfDistrict) => VoterEligibility::OutOfDistrict,
			Err(Error::<T>::NotOnTheRoll) => VoterEligibility::NotOnTheRoll,
			Err(_) => VoterEligibility::NoBallotsLeft,
		}
	}

	/// For the runtime API: what a tracking code stands for.
	pub fn tracking_status(code: H256) -> TrackingStatus<BlockNumberFor<T>> {
		let (election, citizen) = tracking_code_owner(&code);
		match Ballots::<T>::get(election, citizen) {
			Some(b) if b.tracking_code == code => {
				TrackingStatus::Counted { election, cast_at: b.cast_at }
			},
			Some(b) if b.superseded.contains(&code) => TrackingStatus::Superseded { election },
			_ => TrackingStatus::Unknown,
		}
	}

	/// For the runtime API: counted voters per district.
	pub fn turnout(election: ElectionId) -> Vec<(DistrictId, u32)> {
		Turnout::<T>::iter_prefix(election).filter(|(_, n)| *n > 0).collect()
	}

	/// For the runtime API: trustees' verification keys, by index from 1.
	pub fn verification_keys(election: ElectionId) -> Vec<[u8; 32]> {
		let Some(e) = Elections::<T>::get(election) else { return Vec::new() };
		(1..=e.params.trustees.len() as u32)
			.filter_map(|j| {
				Self::share_context_of(election, &e, j).ok().map(|c| c.verification_key)
			})
			.collect()
	}
}

use codec::{Decode, Encode};
use polkadot_sdk::{
	frame_support::traits::EnsureOrigin,
	frame_system::pallet_prelude::{BlockNumberFor, OriginFor},
	sp_runtime::DispatchError,
};
