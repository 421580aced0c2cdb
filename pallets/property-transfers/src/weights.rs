// This file is part of egov-chain. Replaced by scripts/benchmark.sh.

//! Weights for `pallet_property_transfers`. Conservative placeholders until the benchmarks
//! run: regenerate with `scripts/benchmark.sh` (see README, "Benchmarks and weights").

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use polkadot_sdk::frame_support::{traits::Get, weights::{Weight, constants::RocksDbWeight}};
use core::marker::PhantomData;

/// Weight functions needed by `pallet_property_transfers`.
pub trait WeightInfo {
	fn open_deal(r: u32, ) -> Weight;
	fn consent() -> Weight;
	fn deposit() -> Weight;
	fn approve_as_notary() -> Weight;
	fn approve_as_creditor() -> Weight;
	fn approve_as_land_registry() -> Weight;
	fn reject() -> Weight;
	fn cancel() -> Weight;
	fn settle(r: u32, ) -> Weight;
	fn expire() -> Weight;
	fn on_idle_expire() -> Weight;
}

/// Weights for `pallet_property_transfers` using the Substrate node and recommended hardware.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: polkadot_sdk::frame_system::Config> WeightInfo for SubstrateWeight<T> {
	// Reads: the title (owners, freeze, mortgages, transferability), the seller's identity
	// records, the title's open deals and each of them, NextDealId, OpenDealsOf, the cursor.
	// Writes: NextDealId, DealsOfTitle, OpenDealsOf, DealsByDeadline, the cursor, the deal.
	fn open_deal(r: u32, ) -> Weight {
		Weight::from_parts(100_000_000, 40_000).saturating_add(Weight::from_parts(2_000_000, 100).saturating_mul(r.into()))
			.saturating_add(T::DbWeight::get().reads_writes(20, 6))
	}
	// Reads: the deal, the title, one identity record and one consent per owner.
	// Writes: one consent per owner the signer acts for.
	fn consent() -> Weight {
		Weight::from_parts(80_000_000, 40_000).saturating_add(T::DbWeight::get().reads_writes(40, 16))
	}
	// Reads: the deal, the buyer's identity records, the title, both accounts.
	// Writes: the deal, both accounts.
	fn deposit() -> Weight {
		Weight::from_parts(90_000_000, 15_000).saturating_add(T::DbWeight::get().reads_writes(7, 3))
	}
	// Reads: the deal, the notary's role, the parties' identity records. Writes: the deal.
	fn approve_as_notary() -> Weight {
		Weight::from_parts(60_000_000, 15_000).saturating_add(T::DbWeight::get().reads_writes(8, 1))
	}
	// Reads: the deal, three identity records per mortgage released. Writes: the deal.
	fn approve_as_creditor() -> Weight {
		Weight::from_parts(80_000_000, 30_000).saturating_add(T::DbWeight::get().reads_writes(30, 1))
	}
	// Reads: the deal, the role. Writes: the deal.
	fn approve_as_land_registry() -> Weight {
		Weight::from_parts(50_000_000, 12_000).saturating_add(T::DbWeight::get().reads_writes(2, 1))
	}
	// Worst of the approvers (a creditor's representative after the role checks), then the
	// refund and the clean-up. Writes: both accounts, the indexes, the counter, the deal.
	fn reject() -> Weight {
		Weight::from_parts(120_000_000, 30_000).saturating_add(T::DbWeight::get().reads_writes(36, 7))
	}
	// Reads: the deal, the parties' identity records, both accounts, the indexes.
	// Writes: both accounts, the indexes, the counter, the deal.
	fn cancel() -> Weight {
		Weight::from_parts(100_000_000, 15_000).saturating_add(T::DbWeight::get().reads_writes(10, 7))
	}
	// Reads: the deal, identity records, the title, the consents, the registry's history
	// counter, escrow, treasury, seller's and each creditor's account. Writes: the title,
	// history entries (one per mortgage and the transfer), the accounts, the indexes.
	fn settle(r: u32, ) -> Weight {
		Weight::from_parts(250_000_000, 40_000).saturating_add(Weight::from_parts(40_000_000, 3_000).saturating_mul(r.into()))
			.saturating_add(T::DbWeight::get().reads_writes(40, 12))
			.saturating_add(T::DbWeight::get().reads_writes(1, 3).saturating_mul(r.into()))
	}
	// Reads: the deal, both accounts, the indexes. Writes: both accounts, the indexes, the
	// counter, the deal.
	fn expire() -> Weight {
		Weight::from_parts(90_000_000, 15_000).saturating_add(T::DbWeight::get().reads_writes(6, 7))
	}
	// One due deal found by `on_idle` and expired as by `expire`.
	fn on_idle_expire() -> Weight {
		Weight::from_parts(100_000_000, 15_000).saturating_add(T::DbWeight::get().reads_writes(7, 7))
	}
}

// For tests.
impl WeightInfo for () {
	fn open_deal(_r: u32, ) -> Weight { Weight::from_parts(1, 0) }
	fn consent() -> Weight { Weight::from_parts(1, 0) }
	fn deposit() -> Weight { Weight::from_parts(1, 0) }
	fn approve_as_notary() -> Weight { Weight::from_parts(1, 0) }
	fn approve_as_creditor() -> Weight { Weight::from_parts(1, 0) }
	fn approve_as_land_registry() -> Weight { Weight::from_parts(1, 0) }
	fn reject() -> Weight { Weight::from_parts(1, 0) }
	fn cancel() -> Weight { Weight::from_parts(1, 0) }
	fn settle(_r: u32, ) -> Weight { Weight::from_parts(1, 0) }
	fn expire() -> Weight { Weight::from_parts(1, 0) }
	fn on_idle_expire() -> Weight { Weight::from_parts(1, 0) }
}
