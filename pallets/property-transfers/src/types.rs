//! Stored and exchanged types of the property transfers.

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use egov_primitives::EntityId;
use pallet_property_registry::{Amount, DealId, EncumbranceId, Owner, Ppm, TitleId};
use scale_info::TypeInfo;

/// The terms a seller opens a deal with.
///
/// `Releases` is the bounded list of the mortgages (encumbrance ids) the deal pays off and
/// releases at settlement (see [`crate::DealTermsOf`]).
#[derive(
	Clone, Eq, PartialEq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct DealTerms<AccountId, Balance, BlockNumber, Releases> {
	/// The title a share of which is sold.
	pub title: TitleId,
	/// The owner selling: a citizen or legal entity owning a share of the title, for which
	/// the signer acts.
	pub seller: Owner,
	/// The owner buying.
	pub buyer: Owner,
	/// The share sold, in parts per million: the seller's whole share or part of it.
	pub share: Ppm,
	/// The price, paid by the buyer into escrow.
	pub price: Balance,
	/// The last block at which the deal may be settled.
	pub deadline: BlockNumber,
	/// Every mortgage on the title: the deal pays each creditor the mortgage's amount out of
	/// the price and releases it.
	pub releases: Releases,
	/// Whether the land registry must also approve (special cases).
	pub land_registry_approval: bool,
	/// Where the seller's proceeds go.
	pub seller_payout: AccountId,
}

/// Where a deal stands.
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
pub enum DealStatus {
	/// Collecting approvals, consents and the deposit.
	Open,
	/// The share moved and the price was paid out.
	Settled,
	/// Cancelled by the seller or (before depositing) the buyer; any deposit was refunded.
	Cancelled,
	/// Rejected by an approver; any deposit was refunded.
	Rejected,
	/// The deadline passed before settlement; any deposit was refunded.
	Expired,
}

/// A mortgage's creditor's approval: who signed for the bank, and where its payout goes.
#[derive(
	Clone, Eq, PartialEq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct CreditorApproval<AccountId> {
	/// The representative of the creditor who approved.
	pub by: AccountId,
	/// The creditor's account that receives the payout.
	pub payout: AccountId,
}

/// A mortgage the deal pays off and releases.
#[derive(
	Clone, Eq, PartialEq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct Release<AccountId> {
	/// The mortgage's id on the title.
	pub encumbrance: EncumbranceId,
	/// The bank holding it.
	pub creditor: EntityId,
	/// The secured amount, paid to the creditor at settlement.
	pub amount: Amount,
	/// The creditor's approval, once given.
	pub approval: Option<CreditorApproval<AccountId>>,
}

/// A deal, as stored. Deals are kept after they end, with their final status.
///
/// `Releases` is the bounded list of [`Release`]s (see [`crate::DealOf`]).
#[derive(Clone, Eq, PartialEq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Deal<AccountId, Balance, BlockNumber, Releases> {
	/// The title a share of which is sold.
	pub title: TitleId,
	/// The owner selling.
	pub seller: Owner,
	/// The owner buying.
	pub buyer: Owner,
	/// The share sold, in parts per million.
	pub share: Ppm,
	/// The price.
	pub price: Balance,
	/// The last block at which the deal may be settled.
	pub deadline: BlockNumber,
	/// Where the seller's proceeds go.
	pub seller_payout: AccountId,
	/// The account that opened the deal for the seller.
	pub opened_by: AccountId,
	/// Block of opening.
	pub opened_at: BlockNumber,
	/// The mortgages paid off and released, with their creditors' approvals.
	pub releases: Releases,
	/// Whether the land registry must approve.
	pub land_registry_required: bool,
	/// The notary who approved.
	pub notary: Option<AccountId>,
	/// The land registry's account that approved.
	pub land_registry: Option<AccountId>,
	/// The account that deposited the price (and gets it back if the deal fails).
	pub deposit: Option<AccountId>,
	/// Where the deal stands.
	pub status: DealStatus,
}

/// A deal as the runtime API returns it.
#[derive(Clone, Eq, PartialEq, Encode, Decode, TypeInfo, Debug)]
pub struct DealView<AccountId, Balance, BlockNumber> {
	/// The deal's id.
	pub id: DealId,
	/// The title a share of which is sold.
	pub title: TitleId,
	/// The owner selling.
	pub seller: Owner,
	/// The owner buying.
	pub buyer: Owner,
	/// The share sold, in parts per million.
	pub share: Ppm,
	/// The price.
	pub price: Balance,
	/// The last block at which the deal may be settled.
	pub deadline: BlockNumber,
	/// Where the seller's proceeds go.
	pub seller_payout: AccountId,
	/// The account that opened the deal.
	pub opened_by: AccountId,
	/// Block of opening.
	pub opened_at: BlockNumber,
	/// The mortgages paid off and released, with their creditors' approvals.
	pub releases: Vec<Release<AccountId>>,
	/// Whether the land registry must approve.
	pub land_registry_required: bool,
	/// The notary who approved.
	pub notary: Option<AccountId>,
	/// The land registry's account that approved.
	pub land_registry: Option<AccountId>,
	/// The account that deposited the price.
	pub deposit: Option<AccountId>,
	/// The co-owners who consented, with the signing account.
	pub consents: Vec<(Owner, AccountId)>,
	/// The current co-owners (other than seller and buyer) whose consent is missing; empty
	/// once the deal has ended.
	pub pending_consents: Vec<Owner>,
	/// Whether every approval, consent and the deposit are in: the deal can be settled.
	pub ready: bool,
	/// Where the deal stands.
	pub status: DealStatus,
}
