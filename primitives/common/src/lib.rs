//! # egov-chain primitives
//!
//! What the registry's pallets, the runtime and the clients share, so that pallets stay
//! loosely coupled:
//!
//! - [`Role`]: the scoped powers an authority can hold.
//! - [`Authorities`] and [`EnsureRole`]: "does this account hold this role", as a trait
//!   and as an `EnsureOrigin` other pallets put in their `Config`.
//! - [`CitizenRegistry`]: what other pallets may know about a citizen (status, district
//!   and its history, date of majority) without reading the identity pallet's storage.
//! - [`runtime_api`]: queries exposed to clients through `state_call` / `api.call`.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod runtime_api;

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use core::marker::PhantomData;
use polkadot_sdk::{
	frame_support::traits::{EnsureOrigin, Get},
	frame_system::RawOrigin,
};
use scale_info::TypeInfo;

/// Stable identifier of a citizen. Accounts can be rotated; this id never changes, so
/// everything that refers to a citizen (credentials, titles, ballots) stays intact.
pub type CitizenId = u64;

/// Stable identifier of a legal entity.
pub type EntityId = u64;

/// An electoral / administrative district.
pub type DistrictId = u32;

/// A calendar day, counted in days since 1970-01-01 (UTC). Dates on chain are days: the
/// registry needs "is this person an adult on election day", not a time of day.
pub type Day = u32;

/// A salted hash commitment to an off-chain record (civil record, company filing).
/// The record and its salt stay with the registry and the person; the chain only binds
/// them.
pub type Commitment = polkadot_sdk::sp_core::H256;

/// Milliseconds in a day.
pub const MILLIS_PER_DAY: u64 = 86_400_000;

/// The day a Unix timestamp (in milliseconds) falls on.
pub fn day_of_millis(ms: u64) -> Day {
	u32::try_from(ms / MILLIS_PER_DAY).unwrap_or(Day::MAX)
}

/// Scoped powers an authority can be appointed to by the council of ministries.
#[derive(
	Clone,
	Copy,
	Eq,
	PartialEq,
	Ord,
	PartialOrd,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum Role {
	/// Registers citizens and maintains their records.
	CivilRegistry,
	/// Registers legal entities and their representatives.
	BusinessRegistry,
	/// Issues and revokes credentials of the kinds it was appointed for.
	CredentialIssuer,
	/// Keeps the land and real-estate registry.
	LandRegistry,
	/// Certifies deals.
	Notary,
	/// Freezes titles and orders rectifications.
	Court,
	/// Creates and runs elections.
	ElectionCommission,
	/// Holds a share of an election key.
	ElectionTrustee,
}

/// What the civil registry states about a citizen's age when it registers them. No date of
/// birth, nor a day derived from one, goes on chain: an adult is registered as an adult; a
/// minor's majority is recorded later, in batches that share one day (the identity
/// registry's `record_majority`), so chain state places a birth date only between two of
/// the registry's batches.
#[derive(
	Clone,
	Copy,
	Eq,
	PartialEq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum Majority {
	/// An adult now: eligible by age for every election.
	Adult,
	/// A minor, until the civil registry records their majority.
	Minor,
}

/// `adult_from` of a citizen registered as an adult: no day is kept.
pub const ADULT_AT_REGISTRATION: Day = 0;
/// `adult_from` of a minor whose majority the civil registry has not recorded yet.
pub const MAJORITY_NOT_RECORDED: Day = Day::MAX;

/// Status of a citizen's record.
#[derive(
	Clone,
	Copy,
	Eq,
	PartialEq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum CitizenStatus {
	/// May act and vote.
	Active,
	/// Temporarily barred from civic acts (e.g. by court order).
	Suspended,
	/// Recorded as deceased; the record is kept for history.
	Deceased,
}

/// What other pallets may know about a citizen.
#[derive(Clone, Eq, PartialEq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct CitizenInfo<AccountId, BlockNumber> {
	/// The stable id.
	pub id: CitizenId,
	/// The account the citizen currently signs with.
	pub account: AccountId,
	/// Status of the record.
	pub status: CitizenStatus,
	/// District of residence.
	pub district: DistrictId,
	/// The first day on which the citizen counts as an adult: [`ADULT_AT_REGISTRATION`],
	/// [`MAJORITY_NOT_RECORDED`], or the day of the civil registry's batch.
	pub adult_from: Day,
	/// The block in which the citizen's majority was recorded (at registration for an
	/// adult, else the batch's block).
	pub majority_recorded_at: BlockNumber,
	/// The block in which this record was registered.
	pub registered_at: BlockNumber,
	/// The block from which the citizen resides in `district`.
	pub district_since: BlockNumber,
	/// The district before the last move, and the block from which it held.
	pub previous_district: Option<(DistrictId, BlockNumber)>,
}

impl<AccountId, BlockNumber: PartialOrd + Copy> CitizenInfo<AccountId, BlockNumber> {
	/// Active, and an adult on `day`: the eligibility rule every civic act shares.
	pub fn is_active_adult_on(&self, day: Day) -> bool {
		self.status == CitizenStatus::Active && self.adult_from <= day
	}

	/// Whether the roll fixed at the end of block `at` has the citizen as an adult on
	/// `day`: a majority recorded by then, for a day no later than `day` (a batch recorded
	/// after voting opened adds nobody to that election).
	pub fn adult_on_roll(&self, day: Day, at: BlockNumber) -> bool {
		self.adult_from <= day && self.majority_recorded_at <= at
	}

	/// Where the registry had this citizen at the end of block `at`: `None` if the record
	/// was registered after it (a re-registration is a new record), or if the citizen moved
	/// twice since (only the district before the last move is kept).
	///
	/// An election's electoral roll is the registry at the end of the block in which voting
	/// opened: nobody registered or moved in later joins it, and a citizen is on one
	/// district's roll at a time.
	pub fn district_at(&self, at: BlockNumber) -> Option<DistrictId> {
		if self.registered_at > at {
			return None;
		}
		if self.district_since <= at {
			return Some(self.district);
		}
		self.previous_district
			.filter(|(_, since)| *since <= at)
			.map(|(district, _)| district)
	}
}

/// Kinds of credential an issuer may be appointed for.
#[derive(
	Clone,
	Copy,
	Eq,
	PartialEq,
	Ord,
	PartialOrd,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum CredentialKind {
	/// A school or university diploma.
	Diploma,
	/// A professional licence (medicine, law, engineering, ...).
	ProfessionalLicence,
	/// A driving licence.
	DrivingLicence,
	/// A certificate (birth, marriage, residence, ...).
	Certificate,
	/// A permit (building, business, ...).
	Permit,
	/// Any other kind, by a code the council publishes.
	Other(u16),
}

/// Why an issuer revoked a credential.
#[derive(
	Clone,
	Copy,
	Eq,
	PartialEq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum RevocationReason {
	/// Issued in error (wrong subject, wrong data).
	IssuedInError,
	/// Obtained by fraud.
	Fraud,
	/// Replaced by a newer document.
	Superseded,
	/// Withdrawn by a competent authority (e.g. a disciplinary decision).
	Withdrawn,
	/// Another reason, by a code the issuer publishes.
	Other(u16),
}

/// Whom a credential is about.
#[derive(
	Clone,
	Copy,
	Eq,
	PartialEq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum Subject {
	/// A citizen, by stable id.
	Citizen(CitizenId),
	/// A legal entity, by stable id.
	Entity(EntityId),
}

/// Read access to the authority roles, implemented by the identity registry.
pub trait Authorities<AccountId> {
	/// Whether `who` currently holds `role`.
	fn has_role(who: &AccountId, role: Role) -> bool;

	/// Makes `who` hold `role`: for other pallets' benchmarks only. The default does
	/// nothing; the identity registry overrides it when built with benchmarks.
	#[cfg(feature = "runtime-benchmarks")]
	fn grant_role(_who: &AccountId, _role: Role) {}
}

/// Read access to citizens and entities, implemented by the identity registry.
pub trait CitizenRegistry<AccountId, BlockNumber> {
	/// The citizen whose current account is `who`.
	fn citizen_by_account(who: &AccountId) -> Option<CitizenInfo<AccountId, BlockNumber>>;
	/// The citizen with id `id`.
	fn citizen(id: CitizenId) -> Option<CitizenInfo<AccountId, BlockNumber>>;
	/// Whether the citizen `who` may act for the active legal entity `entity`.
	fn is_representative(entity: EntityId, who: &AccountId) -> bool;
	/// Whether the legal entity exists and is active.
	fn entity_is_active(entity: EntityId) -> bool;
	/// Whether the citizen's key rotation was accepted by the new key and has not yet
	/// completed or been cancelled: who holds the citizen's key is in question.
	fn is_rotating(id: CitizenId) -> bool;
	/// Where a payment addressed to `who` goes: the current account of the citizen `who`
	/// belonged to before a key rotation, else `who` itself.
	fn current_account(who: &AccountId) -> AccountId;

	/// Registers `who` as an active adult citizen in `district`: for other pallets'
	/// benchmarks only. The identity registry implements it when built with benchmarks.
	#[cfg(feature = "runtime-benchmarks")]
	fn register_for_benchmarks(_who: &AccountId, _district: DistrictId) -> Option<CitizenId> {
		None
	}
}

/// An `EnsureOrigin` that succeeds for a signed origin holding role `R::get()`, yielding
/// the signer. Other pallets use it for their role origins, e.g.
/// `type CourtOrigin = EnsureRole<Runtime, IdentityRegistry, CourtRole>`.
pub struct EnsureRole<AccountId, A, R>(PhantomData<(AccountId, A, R)>);

impl<O, AccountId, A, R> EnsureOrigin<O> for EnsureRole<AccountId, A, R>
where
	O: Into<Result<RawOrigin<AccountId>, O>> + From<RawOrigin<AccountId>>,
	A: Authorities<AccountId>,
	R: Get<Role>,
	AccountId: Clone + Decode,
{
	type Success = AccountId;

	fn try_origin(o: O) -> Result<Self::Success, O> {
		o.into().and_then(|o| match o {
			RawOrigin::Signed(who) if A::has_role(&who, R::get()) => Ok(who),
			r => Err(O::from(r)),
		})
	}

	/// For other pallets' benchmarks: a fixed account is granted the role.
	#[cfg(feature = "runtime-benchmarks")]
	fn try_successful_origin() -> Result<O, ()> {
		let who =
			AccountId::decode(&mut polkadot_sdk::sp_runtime::traits::TrailingZeroInput::zeroes())
				.map_err(|_| ())?;
		A::grant_role(&who, R::get());
		Ok(O::from(RawOrigin::Signed(who)))
	}
}

/// Named `Get<Role>` types, for use in `EnsureRole`.
pub mod roles {
	use super::Role;
	use polkadot_sdk::frame_support::parameter_types;

	parameter_types! {
		pub const CivilRegistryRole: Role = Role::CivilRegistry;
		pub const BusinessRegistryRole: Role = Role::BusinessRegistry;
		pub const CredentialIssuerRole: Role = Role::CredentialIssuer;
		pub const LandRegistryRole: Role = Role::LandRegistry;
		pub const NotaryRole: Role = Role::Notary;
		pub const CourtRole: Role = Role::Court;
		pub const ElectionCommissionRole: Role = Role::ElectionCommission;
		pub const ElectionTrusteeRole: Role = Role::ElectionTrustee;
	}
}

/// Expands to its input exactly when upstream pallets are built with benchmarking.
///
/// The node builds every upstream crate with `runtime-benchmarks` natively (for its
/// `benchmark pallet` command) while the runtime crate's own feature stays off, so a
/// config item upstream gates on that feature (e.g. `pallet_treasury`'s
/// `BenchmarkHelper`) cannot be gated on the runtime's `cfg(feature)`. This crate's
/// feature follows the upstream one in every build (the node turns it on natively).
#[cfg(feature = "runtime-benchmarks")]
#[macro_export]
macro_rules! with_upstream_benchmarks {
	($($item:tt)*) => { $($item)* };
}

/// See the `runtime-benchmarks` variant: expands to nothing.
#[cfg(not(feature = "runtime-benchmarks"))]
#[macro_export]
macro_rules! with_upstream_benchmarks {
	($($item:tt)*) => {};
}
