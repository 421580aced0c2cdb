//! Weights of `pallet_public_notice`.
//!
//! The pallet's work is the scheduler's and the preimage pallet's: an announcement is a
//! `schedule_named` (plus noting the call as a preimage when it is too long to be held
//! inline), a cancellation a `cancel_named`. The runtime therefore builds its
//! [`WeightInfo`] from those pallets' generated weights (`runtime/src/configs/governance.rs`)
//! rather than benchmarking the same storage operations twice. `()` is for tests.

use polkadot_sdk::frame_support::weights::{constants::RocksDbWeight, Weight};

/// Weights of the calls.
pub trait WeightInfo {
	/// `announce` of a call whose encoding is `call_len` bytes long.
	fn announce(call_len: u32) -> Weight;
	/// `cancel`.
	fn cancel() -> Weight;
	/// `set_notice_period`.
	fn set_notice_period() -> Weight;
}

impl WeightInfo for () {
	fn announce(call_len: u32) -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(Weight::from_parts(2_000u64.saturating_mul(call_len.into()), 0))
			.saturating_add(RocksDbWeight::get().reads_writes(3, 3))
	}
	fn cancel() -> Weight {
		Weight::from_parts(40_000_000, 10_000)
			.saturating_add(RocksDbWeight::get().reads_writes(2, 3))
	}
	fn set_notice_period() -> Weight {
		Weight::from_parts(5_000_000, 0).saturating_add(RocksDbWeight::get().writes(1))
	}
}
