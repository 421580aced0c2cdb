// This file is part of egov-chain. Replaced by scripts/benchmark.sh.

//! Weights for `pallet_elections`. Conservative placeholders until the benchmarks run:
//! regenerate with `scripts/benchmark.sh` (see README, "Benchmarks and weights").

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use polkadot_sdk::frame_support::{traits::Get, weights::{Weight, constants::RocksDbWeight}};
use core::marker::PhantomData;

/// Weight functions needed by `pallet_elections`.
pub trait WeightInfo {
	fn create_election(o: u32, t: u32, ) -> Weight;
	fn submit_transport_key() -> Weight;
	fn submit_dealing(n: u32, t: u32, ) -> Weight;
	fn cancel_election() -> Weight;
	fn open_voting() -> Weight;
	fn cast_ballot(o: u32, s: u32, ) -> Weight;
	fn close_voting() -> Weight;
	fn submit_decryption_share(o: u32, t: u32, ) -> Weight;
	fn publish_result(o: u32, t: u32, ) -> Weight;
}

/// Weights for `pallet_elections` using the Substrate node and recommended hardware.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: polkadot_sdk::frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn create_election(o: u32, t: u32, ) -> Weight {
		Weight::from_parts(100_000_000, 10_000).saturating_add(Weight::from_parts(1_000_000, 0).saturating_mul((o + t).into()))
			.saturating_add(T::DbWeight::get().reads_writes(2 + t as u64, 3))
	}
	fn submit_transport_key() -> Weight {
		Weight::from_parts(500_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(3, 1))
	}
	fn submit_dealing(n: u32, t: u32, ) -> Weight {
		Weight::from_parts(1_000_000_000, 20_000).saturating_add(Weight::from_parts(200_000_000, 2_000).saturating_mul((n * t + n).into()))
			.saturating_add(T::DbWeight::get().reads_writes(3 + 2 * n as u64, 3))
	}
	fn cancel_election() -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(2, 1))
	}
	fn open_voting() -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(3, 1))
	}
	fn cast_ballot(o: u32, s: u32, ) -> Weight {
		Weight::from_parts(2_000_000_000, 20_000).saturating_add(Weight::from_parts(1_500_000_000, 2_000).saturating_mul((o + s).into()))
			.saturating_add(T::DbWeight::get().reads_writes(8, 6))
	}
	fn close_voting() -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(2, 1))
	}
	fn submit_decryption_share(o: u32, t: u32, ) -> Weight {
		Weight::from_parts(1_000_000_000, 20_000).saturating_add(Weight::from_parts(500_000_000, 1_000).saturating_mul((o + t).into()))
			.saturating_add(T::DbWeight::get().reads_writes(5, 1))
	}
	fn publish_result(o: u32, t: u32, ) -> Weight {
		Weight::from_parts(1_000_000_000, 20_000).saturating_add(Weight::from_parts(500_000_000, 2_000).saturating_mul((o * t + o).into()))
			.saturating_add(T::DbWeight::get().reads_writes(3 + t as u64, 2))
	}
}

// For tests.
impl WeightInfo for () {
	fn create_election(_o: u32, _t: u32, ) -> Weight { Weight::from_parts(1, 0) }
	fn submit_transport_key() -> Weight { Weight::from_parts(1, 0) }
	fn submit_dealing(_n: u32, _t: u32, ) -> Weight { Weight::from_parts(1, 0) }
	fn cancel_election() -> Weight { Weight::from_parts(1, 0) }
	fn open_voting() -> Weight { Weight::from_parts(1, 0) }
	fn cast_ballot(_o: u32, _s: u32, ) -> Weight { Weight::from_parts(1, 0) }
	fn close_voting() -> Weight { Weight::from_parts(1, 0) }
	fn submit_decryption_share(_o: u32, _t: u32, ) -> Weight { Weight::from_parts(1, 0) }
	fn publish_result(_o: u32, _t: u32, ) -> Weight { Weight::from_parts(1, 0) }
}
