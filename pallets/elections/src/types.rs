//! The elections pallet's stored and exchanged types.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use egov_ballot::{BallotSpec, EncryptedBallot};
/// The ballot crate's bounds are the pallet's: the stored ballot types are bounded by them.
pub use egov_ballot::{MAX_OPTIONS, MAX_TRUSTEES};
use egov_primitives::{Day, DistrictId};
use polkadot_sdk::{
	frame_support::{
		traits::{ConstU32, Get},
		BoundedVec,
	},
	sp_core::H256,
};
use scale_info::TypeInfo;

/// Elections are numbered from 0.
pub type ElectionId = u64;

/// Longest election title, in bytes (UTF-8).
pub const MAX_TITLE_LEN: u32 = 256;
/// Longest option or candidate label, in bytes (UTF-8).
pub const MAX_LABEL_LEN: u32 = 128;
/// Longest cancellation reason, in bytes (UTF-8).
pub const MAX_REASON_LEN: u32 = 256;

/// Most ballots one block of our runtime holds ([`crate::Config::MaxBallotsPerBlock`]):
/// above what its weight allows (~0.4 ms per referendum ballot at the least, 1.5 s per
/// block), so the weight, not this bound, limits a block.
pub const MAX_BALLOTS_PER_BLOCK: u32 = 4096;

/// Most districts an election may be restricted to.
pub const MAX_DISTRICTS: u32 = 64;

pub type Title = BoundedVec<u8, ConstU32<MAX_TITLE_LEN>>;
pub type Label = BoundedVec<u8, ConstU32<MAX_LABEL_LEN>>;
pub type Reason = BoundedVec<u8, ConstU32<MAX_REASON_LEN>>;
pub type Options = BoundedVec<Label, ConstU32<MAX_OPTIONS>>;
/// Counts per option of a result, in option order.
pub type Counts = BoundedVec<u64, ConstU32<MAX_OPTIONS>>;
pub type Districts = BoundedVec<DistrictId, ConstU32<MAX_DISTRICTS>>;
pub type Trustees<AccountId> = BoundedVec<AccountId, ConstU32<MAX_TRUSTEES>>;

/// What voters are asked.
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
pub enum BallotKind {
	/// Yes or no: exactly two options, exactly one selected.
	Referendum,
	/// Exactly one of the candidates.
	SingleChoice,
	/// Up to `max_selections` of the options (e.g. participatory budgeting).
	Approval { max_selections: u32 },
}

impl BallotKind {
	/// The ballot shape for `options` options.
	pub fn spec(&self, options: u32) -> BallotSpec {
		match self {
			BallotKind::Referendum | BallotKind::SingleChoice => BallotSpec::single_choice(options),
			BallotKind::Approval { max_selections } => {
				BallotSpec::approval(options, *max_selections)
			},
		}
	}
}

/// A point in time by block number or by wall-clock time.
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
pub enum Moment<BlockNumber> {
	/// At the start of this block.
	Block(BlockNumber),
	/// At this Unix time, in milliseconds.
	Time(u64),
}

impl<BlockNumber: PartialOrd + Copy> Moment<BlockNumber> {
	/// Whether the moment has come at block `now` and Unix time `now_ms`.
	pub fn reached(&self, now: BlockNumber, now_ms: u64) -> bool {
		match self {
			Moment::Block(b) => now >= *b,
			Moment::Time(t) => now_ms >= *t,
		}
	}

	/// Whether `self` certainly comes before `other` (same kind of moment).
	pub fn before(&self, other: &Self) -> bool {
		match (self, other) {
			(Moment::Block(a), Moment::Block(b)) => a < b,
			(Moment::Time(a), Moment::Time(b)) => a < b,
			_ => false,
		}
	}
}

/// Where an election is in its life.
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
pub enum ElectionStatus {
	/// Trustees post transport keys, then dealings, then each confirms the shares
	/// addressed to it (or convicts their dealer with a complaint): then the joint key is
	/// built from the dealers not convicted.
	KeyGeneration,
	/// The joint key is ready; waiting for the commission to open voting.
	Ready,
	/// Ballots are accepted.
	Voting,
	/// Voting closed; trustees post decryption shares of the tally.
	Tallying,
	/// The result is published and checked.
	Final,
	/// Cancelled before voting started.
	Cancelled,
}

/// What the commission decides when it creates an election.
#[derive(
	Clone, Eq, PartialEq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct ElectionParams<AccountId, BlockNumber> {
	pub title: Title,
	pub kind: BallotKind,
	/// Option or candidate labels, in ballot order.
	pub options: Options,
	/// Districts whose residents may vote; empty means every district.
	pub districts: Districts,
	/// Voting may be opened from this moment.
	pub voting_opens: Moment<BlockNumber>,
	/// Ballots are refused from this moment; then voting may be closed.
	pub voting_closes: Moment<BlockNumber>,
	/// Voters must be adults on this day (days since the Unix epoch).
	pub election_day: Day,
	/// Trustees, in index order (index = position + 1). Each holds the trustee role.
	pub trustees: Trustees<AccountId>,
	/// Decryption shares needed; at least `MinThreshold` and at most the trustees.
	pub threshold: u32,
}

/// Why a dealer was left out of the joint key: the complaint of the trustee it sent a bad
/// share to, which anyone re-checks ([`egov_ballot::Complaint::convicts`]).
#[derive(
	Clone, Eq, PartialEq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct Disqualification {
	/// The complaining trustee's index (from 1).
	pub complainer: u32,
	pub complaint: egov_ballot::Complaint,
}

/// An election as stored.
#[derive(Clone, Eq, PartialEq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Election<AccountId, BlockNumber> {
	pub params: ElectionParams<AccountId, BlockNumber>,
	/// The commission member who created it.
	pub created_by: AccountId,
	pub status: ElectionStatus,
	/// The trustees' joint key, once key generation completed.
	pub public_key: Option<[u8; 32]>,
	/// The block in which voting opened. The electoral roll is the registry as it stood at
	/// the end of that block: who was registered, in which district.
	pub roll_fixed_at: Option<BlockNumber>,
	/// Voters whose latest ballot is counted.
	pub voters: u32,
	/// Ballots accepted, re-votes included.
	pub ballots_cast: u32,
}

/// A voter's latest ballot, and the codes of the ones it replaced. `MaxBallots` is
/// [`Config::MaxBallotsPerVoter`](crate::Config::MaxBallotsPerVoter): a voter who cast that
/// many has fewer superseded ones.
#[derive(Clone, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
#[scale_info(skip_type_params(MaxBallots))]
pub struct CastBallot<AccountId, BlockNumber, MaxBallots: Get<u32>> {
	/// The account that signed it (the proofs are bound to it).
	pub voter: AccountId,
	pub ballot: EncryptedBallot,
	/// The code the voter looks up to check their ballot counted.
	pub tracking_code: H256,
	/// The tracking codes of this voter's earlier, superseded ballots, oldest first (fewer
	/// than `MaxBallotsPerVoter`).
	pub superseded: BoundedVec<H256, MaxBallots>,
	/// Block in which it was cast.
	pub cast_at: BlockNumber,
	/// The voter's district on the election's roll (for turnout).
	pub district: DistrictId,
}

// By hand: derived, it would ask the bound (a `ConstU32`) for `PartialEq`.
impl<AccountId: PartialEq, BlockNumber: PartialEq, MaxBallots: Get<u32>> PartialEq
	for CastBallot<AccountId, BlockNumber, MaxBallots>
{
	fn eq(&self, other: &Self) -> bool {
		self.voter == other.voter
			&& self.ballot == other.ballot
			&& self.tracking_code == other.tracking_code
			&& self.superseded == other.superseded
			&& self.cast_at == other.cast_at
			&& self.district == other.district
	}
}

impl<AccountId: Eq, BlockNumber: Eq, MaxBallots: Get<u32>> Eq
	for CastBallot<AccountId, BlockNumber, MaxBallots>
{
}

impl<AccountId, BlockNumber, MaxBallots: Get<u32>> CastBallot<AccountId, BlockNumber, MaxBallots> {
	/// Ballots this voter has cast in this election, this one included.
	pub fn casts(&self) -> u32 {
		self.superseded.len() as u32 + 1
	}

	/// Whether `code` is this ballot's or a superseded one's.
	pub fn has_code(&self, code: &H256) -> bool {
		self.tracking_code == *code || self.superseded.contains(code)
	}
}

/// What the chain says about a tracking code.
#[derive(Clone, Eq, PartialEq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub enum TrackingStatus<BlockNumber> {
	/// The voter's latest ballot: it is in the tally.
	Counted { election: ElectionId, cast_at: BlockNumber },
	/// A later ballot by the same voter replaced it.
	Superseded { election: ElectionId },
	/// No ballot with this code was accepted.
	Unknown,
}

/// Whether an account may vote in an election, and if not, why.
#[derive(Clone, Copy, Eq, PartialEq, Encode, Decode, TypeInfo, Debug)]
pub enum VoterEligibility {
	Eligible {
		district: DistrictId,
		casts_left: u32,
	},
	NoSuchElection,
	NotACitizen,
	NotActive,
	Minor,
	OutOfDistrict,
	NoBallotsLeft,
	/// Registered after voting opened (or moved twice since): not on the election's roll.
	NotOnTheRoll,
}

/// A ballot in this block whose proofs wait for the block's batch check, with everything
/// its proofs are bound to: the election and its key, the voter's account and the ballot
/// kind.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct QueuedBallot<AccountId> {
	pub election: ElectionId,
	pub public_key: [u8; 32],
	pub spec: BallotSpec,
	pub voter: AccountId,
	pub ballot: EncryptedBallot,
}
