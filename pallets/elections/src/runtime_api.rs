//! The elections runtime API: what voters, observers and the verifier read.

use crate::{Election, ElectionId, TrackingStatus, VoterEligibility};
use alloc::vec::Vec;
use codec::Codec;
use egov_ballot::Ciphertext;
use egov_primitives::DistrictId;
use polkadot_sdk::{sp_api, sp_core::H256};

sp_api::decl_runtime_apis! {
	/// Elections, tallies, tracking codes, eligibility and turnout.
	pub trait ElectionsApi<AccountId, BlockNumber>
	where
		AccountId: Codec,
		BlockNumber: Codec,
	{
		/// An election's parameters and status.
		fn election(id: ElectionId) -> Option<Election<AccountId, BlockNumber>>;
		/// The encrypted per-option tally of the counted ballots.
		fn tally(id: ElectionId) -> Vec<Ciphertext>;
		/// The checked counts, once published.
		fn result(id: ElectionId) -> Option<Vec<u64>>;
		/// Counted, superseded or unknown.
		fn tracking_status(code: H256) -> TrackingStatus<BlockNumber>;
		/// Whether `who` may vote in election `id` now, and if not, why.
		fn voter_eligibility(id: ElectionId, who: AccountId) -> VoterEligibility;
		/// Counted voters per district.
		fn turnout(id: ElectionId) -> Vec<(DistrictId, u32)>;
		/// Trustees' verification keys, in trustee order.
		fn verification_keys(id: ElectionId) -> Vec<[u8; 32]>;
	}
}
