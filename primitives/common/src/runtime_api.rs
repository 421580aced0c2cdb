//! Runtime APIs of the registry, callable by any client (`api.call.identityRegistryApi.*`
//! in Polkadot.js). They read state only.

use crate::{
	CitizenId, CitizenStatus, CredentialKind, Day, DistrictId, EntityId, RevocationReason, Role,
	Subject,
};
use alloc::vec::Vec;
use codec::{Codec, Decode, Encode};
use polkadot_sdk::sp_core::H256;
use scale_info::TypeInfo;

/// A citizen as the public may see it: no personal data, only what on-chain rules use.
#[derive(Clone, Eq, PartialEq, Encode, Decode, TypeInfo, Debug)]
pub struct CitizenView<AccountId> {
	pub id: CitizenId,
	pub account: AccountId,
	pub status: CitizenStatus,
	pub district: DistrictId,
	/// `ADULT_AT_REGISTRATION` (0), `MAJORITY_NOT_RECORDED` (`u32::MAX`) or the day of the
	/// civil registry's majority batch: never a date of birth.
	pub adult_from: Day,
	/// The salted commitment binding the off-chain civil record.
	pub commitment: H256,
}

/// Whether a citizen may take part in a civic act on a given day, and if not, why.
#[derive(Clone, Copy, Eq, PartialEq, Encode, Decode, TypeInfo, Debug)]
pub enum Eligibility {
	/// Active and adult on that day, residing in `district`.
	Eligible { district: DistrictId },
	/// The account is not bound to any citizen.
	NotACitizen,
	/// The record is suspended.
	Suspended,
	/// The record says the citizen is deceased.
	Deceased,
	/// Not yet an adult on that day (`adult_from` is `u32::MAX` while the civil registry
	/// has not recorded the majority).
	Minor { adult_from: Day },
}

/// A legal entity and who may act for it.
#[derive(Clone, Eq, PartialEq, Encode, Decode, TypeInfo, Debug)]
pub struct EntityView<AccountId> {
	pub id: EntityId,
	pub active: bool,
	pub commitment: H256,
	/// Current accounts of the citizens who represent the entity.
	pub representatives: Vec<AccountId>,
}

/// The answer to "is this document valid?".
#[derive(Clone, Eq, PartialEq, Encode, Decode, TypeInfo, Debug)]
pub enum CredentialStatus<AccountId> {
	/// The issuer never recorded a credential with this document hash.
	Unknown,
	/// Valid today.
	Valid {
		issuer: AccountId,
		subject: Subject,
		kind: CredentialKind,
		issued_on: Day,
		expires_on: Option<Day>,
	},
	/// Revoked by its issuer.
	Revoked {
		issuer: AccountId,
		subject: Subject,
		kind: CredentialKind,
		reason: RevocationReason,
		revoked_on: Day,
	},
	/// Past its expiry day.
	Expired { issuer: AccountId, subject: Subject, kind: CredentialKind, expired_on: Day },
}

polkadot_sdk::sp_api::decl_runtime_apis! {
	/// Queries on citizens, legal entities, authorities and credentials.
	pub trait IdentityRegistryApi<AccountId> where AccountId: Codec {
		/// The citizen bound to `who`, if any.
		fn citizen_by_account(who: AccountId) -> Option<CitizenView<AccountId>>;
		/// The citizen with stable id `id`.
		fn citizen(id: CitizenId) -> Option<CitizenView<AccountId>>;
		/// Whether `who` is an active adult citizen on `day` (days since 1970-01-01).
		fn eligibility(who: AccountId, day: Day) -> Eligibility;
		/// A legal entity and its representatives.
		fn entity(id: EntityId) -> Option<EntityView<AccountId>>;
		/// `issuer`'s credential with this document hash: valid, revoked, expired or
		/// unknown, judged at the current block's date. Ask for the issuer the document
		/// names: another issuer's record of the same hash says nothing about it.
		fn credential_status(document_hash: H256, issuer: AccountId) -> CredentialStatus<AccountId>;
		/// Every issuer's credential with this document hash, with its status.
		fn credentials_of_document(document_hash: H256) -> Vec<CredentialStatus<AccountId>>;
		/// The roles `who` holds.
		fn roles_of(who: AccountId) -> Vec<Role>;
	}
}
