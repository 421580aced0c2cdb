// This file is part of egov-chain. Replaced by scripts/benchmark.sh.

//! Weights for `pallet_property_registry`. Conservative placeholders until the benchmarks
//! run: regenerate with `scripts/benchmark.sh` (see README, "Benchmarks and weights").

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use polkadot_sdk::frame_support::{traits::Get, weights::{Weight, constants::RocksDbWeight}};
use core::marker::PhantomData;

/// Weight functions needed by `pallet_property_registry`.
pub trait WeightInfo {
	fn create_title(o: u32, ) -> Weight;
	fn add_encumbrance() -> Weight;
	fn release_encumbrance() -> Weight;
	fn freeze_title() -> Weight;
	fn unfreeze_title() -> Weight;
	fn rectify_title(o: u32, ) -> Weight;
}

/// Weights for `pallet_property_registry` using the Substrate node and recommended hardware.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: polkadot_sdk::frame_system::Config> WeightInfo for SubstrateWeight<T> {
	// Reads: the origin's role, the cadastral index, one identity record per owner,
	// NextTitleId, HistoryLength. Writes: NextTitleId, Titles, the index, History,
	// HistoryLength.
	fn create_title(o: u32, ) -> Weight {
		Weight::from_parts(60_000_000, 12_000).saturating_add(Weight::from_parts(10_000_000, 3_000).saturating_mul(o.into()))
			.saturating_add(T::DbWeight::get().reads_writes(4 + o as u64, 5))
	}
	// Reads: the role, the party's identity record, the title, HistoryLength.
	// Writes: the title, History, HistoryLength.
	fn add_encumbrance() -> Weight {
		Weight::from_parts(60_000_000, 15_000).saturating_add(T::DbWeight::get().reads_writes(4, 3))
	}
	// Worst of the two origins: the land registry's role, or the creditor's citizen,
	// entity and citizen records; the title, HistoryLength. Writes: the title, History,
	// HistoryLength.
	fn release_encumbrance() -> Weight {
		Weight::from_parts(60_000_000, 15_000).saturating_add(T::DbWeight::get().reads_writes(6, 3))
	}
	fn freeze_title() -> Weight {
		Weight::from_parts(50_000_000, 15_000).saturating_add(T::DbWeight::get().reads_writes(3, 3))
	}
	fn unfreeze_title() -> Weight {
		Weight::from_parts(50_000_000, 15_000).saturating_add(T::DbWeight::get().reads_writes(3, 3))
	}
	// Reads: the role, one identity record per new owner, the title, HistoryLength.
	// Writes: the title, History, HistoryLength.
	fn rectify_title(o: u32, ) -> Weight {
		Weight::from_parts(60_000_000, 15_000).saturating_add(Weight::from_parts(10_000_000, 3_000).saturating_mul(o.into()))
			.saturating_add(T::DbWeight::get().reads_writes(3 + o as u64, 3))
	}
}

// For tests.
impl WeightInfo for () {
	fn create_title(_o: u32, ) -> Weight { Weight::from_parts(1, 0) }
	fn add_encumbrance() -> Weight { Weight::from_parts(1, 0) }
	fn release_encumbrance() -> Weight { Weight::from_parts(1, 0) }
	fn freeze_title() -> Weight { Weight::from_parts(1, 0) }
	fn unfreeze_title() -> Weight { Weight::from_parts(1, 0) }
	fn rectify_title(_o: u32, ) -> Weight { Weight::from_parts(1, 0) }
}
