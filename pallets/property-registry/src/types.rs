//! Stored and exchanged types of the property registry.

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use egov_primitives::{CitizenId, EntityId};
use polkadot_sdk::{
	frame_support::{traits::ConstU32, BoundedVec},
	sp_core::H256,
};
use scale_info::TypeInfo;

/// Titles are numbered from 0, in the order they are created. The id never changes, even
/// when a court rectifies the title.
pub type TitleId = u64;

/// Encumbrances are numbered per title, from 0; an id is never reused on the same title.
pub type EncumbranceId = u32;

/// The id of a deal in the transfer-contracts pallet.
pub type DealId = u64;

/// A share of a title, in parts per million.
pub type Ppm = u32;

/// An amount of money secured by a mortgage or a lien, in the smallest unit.
pub type Amount = u128;

/// A whole title: the owners' shares always sum to exactly this.
pub const WHOLE: Ppm = 1_000_000;

/// Longest cadastral id, in bytes.
pub const MAX_CADASTRAL_ID_LEN: u32 = 64;

/// Most history entries the runtime API returns per call.
pub const MAX_HISTORY_PAGE: u32 = 500;

/// The cadastral (land survey) id of a parcel, as the cadastre writes it.
pub type CadastralId = BoundedVec<u8, ConstU32<MAX_CADASTRAL_ID_LEN>>;

/// Who owns (a share of) a title, holds a lien or benefits from an easement.
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
pub enum Owner {
	/// A citizen, by stable id (survives key rotation).
	Citizen(CitizenId),
	/// A legal entity, by stable id.
	Entity(EntityId),
}

/// What burdens a title.
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
pub enum EncumbranceKind {
	/// A mortgage securing a loan by a bank. Blocks transfers until released.
	Mortgage {
		/// The lending bank.
		creditor: EntityId,
		/// The secured amount.
		amount: Amount,
	},
	/// A lien (e.g. unpaid taxes, a judgment creditor).
	Lien {
		/// Whom the lien secures.
		holder: Owner,
		/// The secured amount.
		amount: Amount,
	},
	/// An easement (right of way, utility line, ...).
	Easement {
		/// Who benefits from it.
		beneficiary: Owner,
		/// Hash of the easement's terms and description.
		terms: H256,
	},
}

/// An encumbrance registered on a title.
#[derive(Clone, Eq, PartialEq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Encumbrance<BlockNumber> {
	/// Its id on the title.
	pub id: EncumbranceId,
	/// What it is.
	pub kind: EncumbranceKind,
	/// Block of registration.
	pub registered_at: BlockNumber,
}

/// A title (a parcel and what is registered on it).
///
/// `Owners` is the list of `(owner, share)`, `Encumbrances` the list of encumbrances:
/// bounded vectors in storage (see [`crate::TitleOf`]).
#[derive(Clone, Eq, PartialEq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Title<BlockNumber, Owners, Encumbrances> {
	/// The cadastral id; unique among titles.
	pub cadastral_id: CadastralId,
	/// Hash of the parcel data: geometry, area, documents.
	pub parcel_hash: H256,
	/// Owners and their shares in parts per million; the shares sum to [`WHOLE`].
	pub owners: Owners,
	/// Encumbrances in the order they were registered.
	pub encumbrances: Encumbrances,
	/// The id the next encumbrance on this title gets.
	pub next_encumbrance_id: EncumbranceId,
	/// The court case under which the title is frozen, if it is.
	pub frozen: Option<H256>,
	/// Block of creation.
	pub created_at: BlockNumber,
}

/// A title as the runtime API returns it.
#[derive(Clone, Eq, PartialEq, Encode, Decode, TypeInfo, Debug)]
pub struct TitleView<BlockNumber> {
	/// The title's id.
	pub id: TitleId,
	/// The cadastral id.
	pub cadastral_id: Vec<u8>,
	/// Hash of the parcel data.
	pub parcel_hash: H256,
	/// Owners and their shares in parts per million.
	pub owners: Vec<(Owner, Ppm)>,
	/// Encumbrances in force.
	pub encumbrances: Vec<Encumbrance<BlockNumber>>,
	/// The court case under which the title is frozen, if it is.
	pub frozen: Option<H256>,
	/// Block of creation.
	pub created_at: BlockNumber,
	/// Number of history entries; they are numbered `0..history_len`.
	pub history_len: u32,
}

/// By which authority or contract a change was made.
#[derive(
	Clone, Eq, PartialEq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub enum Actor<AccountId> {
	/// The land registry, by the signing account.
	LandRegistry(AccountId),
	/// A court, by the signing account.
	Court(AccountId),
	/// A deal of the transfer-contracts pallet.
	Contract(DealId),
	/// A representative of a mortgage's creditor, by the signing account.
	Creditor(AccountId),
}

impl<AccountId> Actor<AccountId> {
	/// The signing account, if a person signed (not for a contract).
	pub fn account(&self) -> Option<&AccountId> {
		match self {
			Actor::LandRegistry(who) | Actor::Court(who) | Actor::Creditor(who) => Some(who),
			Actor::Contract(_) => None,
		}
	}
}

/// What changed on a title. `Owners` is the list of `(owner, share)`.
#[derive(Clone, Eq, PartialEq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub enum Change<Owners> {
	/// The title was created.
	Created {
		/// The cadastral id.
		cadastral_id: CadastralId,
		/// Hash of the parcel data.
		parcel_hash: H256,
		/// The first owners.
		owners: Owners,
	},
	/// An encumbrance was registered.
	EncumbranceAdded {
		/// Its id on the title.
		id: EncumbranceId,
		/// What it is.
		kind: EncumbranceKind,
	},
	/// An encumbrance was released.
	EncumbranceReleased {
		/// Its id on the title.
		id: EncumbranceId,
		/// What it was.
		kind: EncumbranceKind,
	},
	/// A court froze the title.
	Frozen {
		/// Hash of the court case reference.
		case: H256,
	},
	/// A court lifted the freeze.
	Unfrozen {
		/// Hash of the court case reference.
		case: H256,
	},
	/// A court ordered a rectification; the new values are given.
	Rectified {
		/// Hash of the court case reference.
		case: H256,
		/// The owners and shares from now on, if they were replaced.
		owners: Option<Owners>,
		/// The parcel data hash from now on, if it was replaced.
		parcel_hash: Option<H256>,
	},
	/// A share moved from one owner to another.
	ShareTransferred {
		/// The previous owner of the share.
		from: Owner,
		/// The new owner of the share.
		to: Owner,
		/// The share moved, in parts per million.
		share: Ppm,
	},
}

impl<Owners> Change<Owners> {
	/// The same change with the owner lists converted by `f`.
	pub fn map_owners<O>(self, f: impl Fn(Owners) -> O) -> Change<O> {
		match self {
			Change::Created { cadastral_id, parcel_hash, owners } => {
				Change::Created { cadastral_id, parcel_hash, owners: f(owners) }
			},
			Change::EncumbranceAdded { id, kind } => Change::EncumbranceAdded { id, kind },
			Change::EncumbranceReleased { id, kind } => Change::EncumbranceReleased { id, kind },
			Change::Frozen { case } => Change::Frozen { case },
			Change::Unfrozen { case } => Change::Unfrozen { case },
			Change::Rectified { case, owners, parcel_hash } => {
				Change::Rectified { case, owners: owners.map(f), parcel_hash }
			},
			Change::ShareTransferred { from, to, share } => {
				Change::ShareTransferred { from, to, share }
			},
		}
	}
}

/// One entry of a title's history: what changed, by whom, when.
#[derive(Clone, Eq, PartialEq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct HistoryEntry<AccountId, BlockNumber, Owners> {
	/// The authority or contract that made the change, with the signing account.
	pub actor: Actor<AccountId>,
	/// What changed.
	pub change: Change<Owners>,
	/// Block of the change.
	pub block: BlockNumber,
	/// Time of the change: the block's timestamp, in milliseconds since the Unix epoch.
	pub timestamp: u64,
}

impl<AccountId, BlockNumber, Owners> HistoryEntry<AccountId, BlockNumber, Owners> {
	/// The signing account, if a person signed (not for a contract).
	pub fn who(&self) -> Option<&AccountId> {
		self.actor.account()
	}
}

impl<AccountId, BlockNumber, S> HistoryEntry<AccountId, BlockNumber, BoundedVec<(Owner, Ppm), S>> {
	/// The entry as the runtime API returns it.
	pub fn into_view(self) -> HistoryEntryView<AccountId, BlockNumber> {
		HistoryEntry {
			actor: self.actor,
			change: self.change.map_owners(|owners| owners.into_inner()),
			block: self.block,
			timestamp: self.timestamp,
		}
	}
}

/// A history entry as the runtime API returns it (SCALE-identical to the stored one).
pub type HistoryEntryView<AccountId, BlockNumber> =
	HistoryEntry<AccountId, BlockNumber, Vec<(Owner, Ppm)>>;
