//! The property registry's runtime API: what owners, banks, notaries, courts and anyone
//! checking a title read.

use crate::{HistoryEntryView, TitleId, TitleView};
use alloc::vec::Vec;
use codec::Codec;
use polkadot_sdk::sp_api;

sp_api::decl_runtime_apis! {
	/// Titles, their history and the storage keys to prove them.
	pub trait PropertyRegistryApi<AccountId, BlockNumber>
	where
		AccountId: Codec,
		BlockNumber: Codec,
	{
		/// A title: parcel, owners and shares, encumbrances, freeze, history length.
		fn title(id: TitleId) -> Option<TitleView<BlockNumber>>;
		/// The title of a cadastral id.
		fn title_by_cadastral_id(cadastral_id: Vec<u8>) -> Option<TitleId>;
		/// Up to `max` history entries of a title from sequence number `from_seq` on, in
		/// order (at most `MAX_HISTORY_PAGE` per call).
		fn history(id: TitleId, from_seq: u32, max: u32) -> Vec<HistoryEntryView<AccountId, BlockNumber>>;
		/// The full storage keys of a title's record (`Titles`, `TitleByCadastralId`,
		/// `HistoryLength`), for building a storage proof. Empty for an unknown title.
		fn title_storage_keys(id: TitleId) -> Vec<Vec<u8>>;
	}
}
