//! The property transfers' runtime API: what sellers, buyers, notaries, banks and the land
//! registry read about deals.

use crate::{DealId, DealView, TitleId};
use alloc::vec::Vec;
use codec::Codec;
use polkadot_sdk::sp_api;

sp_api::decl_runtime_apis! {
	/// Deals and the open deals of a title.
	pub trait PropertyTransfersApi<AccountId, Balance, BlockNumber>
	where
		AccountId: Codec,
		Balance: Codec,
		BlockNumber: Codec,
	{
		/// A deal: terms, approvals, consents (given and missing), deposit, whether it can be
		/// settled, status. Ended deals are kept.
		fn deal(id: DealId) -> Option<DealView<AccountId, Balance, BlockNumber>>;
		/// The open deals of a title, in the order they were opened.
		fn deals_of_title(title: TitleId) -> Vec<DealId>;
	}
}
