//! Stored types of the identity registry.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use egov_primitives::{
	runtime_api::CredentialStatus, CitizenId, CitizenInfo, CitizenStatus, Commitment,
	CredentialKind, Day, DistrictId, RevocationReason, Subject,
};
use polkadot_sdk::frame_support::BoundedVec;
use scale_info::TypeInfo;

/// An appointed authority's record for one role.
#[derive(Clone, Eq, PartialEq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
#[scale_info(skip_type_params(MaxKinds))]
pub struct AuthorityRecord<BlockNumber, MaxKinds: polkadot_sdk::frame_support::traits::Get<u32>> {
	/// When the council appointed it.
	pub appointed_at: BlockNumber,
	/// For credential issuers: the kinds it may issue. Empty for every other role.
	pub credential_kinds: BoundedVec<CredentialKind, MaxKinds>,
}

/// A citizen's on-chain record. Holds no personal data: `commitment` binds the off-chain
/// civil record (salted hash); the rest is what on-chain rules need.
#[derive(Clone, Eq, PartialEq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct CitizenRecord<AccountId, BlockNumber> {
	/// The account the citizen signs with now.
	pub account: AccountId,
	/// Salted hash commitment of the civil record.
	pub commitment: Commitment,
	/// Active, suspended or deceased.
	pub status: CitizenStatus,
	/// District of residence.
	pub district: DistrictId,
	/// First day on which the citizen counts as an adult: `ADULT_AT_REGISTRATION`,
	/// `MAJORITY_NOT_RECORDED`, or the day of the civil registry's majority batch. Never
	/// a date of birth.
	pub adult_from: Day,
	/// Block in which the majority was recorded (registration, for an adult).
	pub majority_recorded_at: BlockNumber,
	/// Block of registration.
	pub registered_at: BlockNumber,
	/// The block from which the citizen resides in `district` (registration, or the last
	/// move): with `previous_district`, what an election's frozen roll reads.
	pub district_since: BlockNumber,
	/// The district before the last move, and the block from which it held.
	pub previous_district: Option<(DistrictId, BlockNumber)>,
}

impl<AccountId, BlockNumber> CitizenRecord<AccountId, BlockNumber> {
	/// What other pallets (and verifiers of an election record) read of citizen `id`.
	pub fn info(self, id: CitizenId) -> CitizenInfo<AccountId, BlockNumber> {
		CitizenInfo {
			id,
			account: self.account,
			status: self.status,
			district: self.district,
			adult_from: self.adult_from,
			majority_recorded_at: self.majority_recorded_at,
			registered_at: self.registered_at,
			district_since: self.district_since,
			previous_district: self.previous_district,
		}
	}
}

/// A key rotation the civil registry started: awaiting the new key's acceptance, then
/// the notice period in which the old key may object.
#[derive(Clone, Eq, PartialEq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct PendingRotation<BlockNumber> {
	/// Whose account is being replaced.
	pub citizen: CitizenId,
	/// Last block at which the new key may accept.
	pub expires_at: BlockNumber,
	/// Set when the new key accepted: the last block of the notice period, after which
	/// the new key may complete the rotation unless the old key objected.
	pub notice_ends: Option<BlockNumber>,
	/// The old key objected: only a court can complete the rotation now.
	pub objected: bool,
}

/// Status of a legal entity.
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
pub enum EntityStatus {
	/// Trading; its representatives may act for it.
	Active,
	/// Barred from acting (e.g. insolvency proceedings).
	Suspended,
	/// Wound up; kept for history.
	Dissolved,
}

/// A legal entity's record.
#[derive(Clone, Eq, PartialEq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
#[scale_info(skip_type_params(MaxReps))]
pub struct EntityRecord<BlockNumber, MaxReps: polkadot_sdk::frame_support::traits::Get<u32>> {
	/// Salted hash commitment of the company filing.
	pub commitment: Commitment,
	/// Active, suspended or dissolved.
	pub status: EntityStatus,
	/// Citizens who may act for the entity, by stable id (survives key rotation).
	pub representatives: BoundedVec<CitizenId, MaxReps>,
	/// Block of registration.
	pub registered_at: BlockNumber,
}

/// A recorded credential, keyed by the hash of its document.
#[derive(Clone, Eq, PartialEq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct CredentialRecord<AccountId> {
	/// The authority that issued it.
	pub issuer: AccountId,
	/// Whom it is about.
	pub subject: Subject,
	/// What it is.
	pub kind: CredentialKind,
	/// Day of issue.
	pub issued_on: Day,
	/// Last day of validity, if it expires.
	pub expires_on: Option<Day>,
	/// Set when revoked: why, and on which day.
	pub revoked: Option<(RevocationReason, Day)>,
}

impl<AccountId> CredentialRecord<AccountId> {
	/// Its status on `today`: what the runtime API answers and what a client that read the
	/// record with a proof concludes alike.
	pub fn status_on(self, today: Day) -> CredentialStatus<AccountId> {
		match (self.revoked, self.expires_on) {
			(Some((reason, revoked_on)), _) => CredentialStatus::Revoked {
				issuer: self.issuer,
				subject: self.subject,
				kind: self.kind,
				reason,
				revoked_on,
			},
			(None, Some(expires_on)) if expires_on < today => CredentialStatus::Expired {
				issuer: self.issuer,
				subject: self.subject,
				kind: self.kind,
				expired_on: expires_on,
			},
			(None, expires_on) => CredentialStatus::Valid {
				issuer: self.issuer,
				subject: self.subject,
				kind: self.kind,
				issued_on: self.issued_on,
				expires_on,
			},
		}
	}
}
