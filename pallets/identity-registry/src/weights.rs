//! Weights for `pallet_identity_registry`. Replaced by `scripts/benchmark.sh` output.

#![allow(unused_parens)]

use core::marker::PhantomData;
use polkadot_sdk::frame_support::{
    traits::Get,
    weights::{constants::RocksDbWeight, Weight},
};

pub trait WeightInfo {
    fn appoint_authority(k: u32) -> Weight;
    fn remove_authority() -> Weight;
    fn register_citizen() -> Weight;
    fn update_district() -> Weight;
    fn update_commitment() -> Weight;
    fn suspend_citizen() -> Weight;
    fn restore_citizen() -> Weight;
    fn record_death() -> Weight;
    fn initiate_account_rotation() -> Weight;
    fn cancel_account_rotation() -> Weight;
    fn accept_account_rotation() -> Weight;
    fn remove_citizen() -> Weight;
    fn register_entity(r: u32) -> Weight;
    fn set_entity_status() -> Weight;
    fn add_representative() -> Weight;
    fn remove_representative() -> Weight;
    fn issue_credential() -> Weight;
    fn revoke_credential() -> Weight;
}

pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: polkadot_sdk::frame_system::Config> WeightInfo for SubstrateWeight<T> {
    fn appoint_authority(_k: u32) -> Weight {
        Weight::from_parts(50_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(5, 5))
    }
    fn remove_authority() -> Weight {
        Weight::from_parts(50_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(5, 5))
    }
    fn register_citizen() -> Weight {
        Weight::from_parts(50_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(5, 5))
    }
    fn update_district() -> Weight {
        Weight::from_parts(50_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(5, 5))
    }
    fn update_commitment() -> Weight {
        Weight::from_parts(50_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(5, 5))
    }
    fn suspend_citizen() -> Weight {
        Weight::from_parts(50_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(5, 5))
    }
    fn restore_citizen() -> Weight {
        Weight::from_parts(50_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(5, 5))
    }
    fn record_death() -> Weight {
        Weight::from_parts(50_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(5, 5))
    }
    fn initiate_account_rotation() -> Weight {
        Weight::from_parts(50_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(5, 5))
    }
    fn cancel_account_rotation() -> Weight {
        Weight::from_parts(50_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(5, 5))
    }
    fn accept_account_rotation() -> Weight {
        Weight::from_parts(50_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(5, 5))
    }
    fn remove_citizen() -> Weight {
        Weight::from_parts(50_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(5, 5))
    }
    fn register_entity(_r: u32) -> Weight {
        Weight::from_parts(50_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(5, 5))
    }
    fn set_entity_status() -> Weight {
        Weight::from_parts(50_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(5, 5))
    }
    fn add_representative() -> Weight {
        Weight::from_parts(50_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(5, 5))
    }
    fn remove_representative() -> Weight {
        Weight::from_parts(50_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(5, 5))
    }
    fn issue_credential() -> Weight {
        Weight::from_parts(50_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(5, 5))
    }
    fn revoke_credential() -> Weight {
        Weight::from_parts(50_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(5, 5))
    }
}

impl WeightInfo for () {
    fn appoint_authority(_k: u32) -> Weight {
        Weight::from_parts(50_000_000, 10_000)
            .saturating_add(RocksDbWeight::get().reads_writes(5, 5))
    }
    fn remove_authority() -> Weight {
        Weight::from_parts(50_000_000, 10_000)
            .saturating_add(RocksDbWeight::get().reads_writes(5, 5))
    }
    fn register_citizen() -> Weight {
        Weight::from_parts(50_000_000, 10_000)
            .saturating_add(RocksDbWeight::get().reads_writes(5, 5))
    }
    fn update_district() -> Weight {
        Weight::from_parts(50_000_000, 10_000)
            .saturating_add(RocksDbWeight::get().reads_writes(5, 5))
    }
    fn update_commitment() -> Weight {
        Weight::from_parts(50_000_000, 10_000)
            .saturating_add(RocksDbWeight::get().reads_writes(5, 5))
    }
    fn suspend_citizen() -> Weight {
        Weight::from_parts(50_000_000, 10_000)
            .saturating_add(RocksDbWeight::get().reads_writes(5, 5))
    }
    fn restore_citizen() -> Weight {
        Weight::from_parts(50_000_000, 10_000)
            .saturating_add(RocksDbWeight::get().reads_writes(5, 5))
    }
    fn record_death() -> Weight {
        Weight::from_parts(50_000_000, 10_000)
            .saturating_add(RocksDbWeight::get().reads_writes(5, 5))
    }
    fn initiate_account_rotation() -> Weight {
        Weight::from_parts(50_000_000, 10_000)
            .saturating_add(RocksDbWeight::get().reads_writes(5, 5))
    }
    fn cancel_account_rotation() -> Weight {
        Weight::from_parts(50_000_000, 10_000)
            .saturating_add(RocksDbWeight::get().reads_writes(5, 5))
    }
    fn accept_account_rotation() -> Weight {
        Weight::from_parts(50_000_000, 10_000)
            .saturating_add(RocksDbWeight::get().reads_writes(5, 5))
    }
    fn remove_citizen() -> Weight {
        Weight::from_parts(50_000_000, 10_000)
            .saturating_add(RocksDbWeight::get().reads_writes(5, 5))
    }
    fn register_entity(_r: u32) -> Weight {
        Weight::from_parts(50_000_000, 10_000)
            .saturating_add(RocksDbWeight::get().reads_writes(5, 5))
    }
    fn set_entity_status() -> Weight {
        Weight::from_parts(50_000_000, 10_000)
            .saturating_add(RocksDbWeight::get().reads_writes(5, 5))
    }
    fn add_representative() -> Weight {
        Weight::from_parts(50_000_000, 10_000)
            .saturating_add(RocksDbWeight::get().reads_writes(5, 5))
    }
    fn remove_representative() -> Weight {
        Weight::from_parts(50_000_000, 10_000)
            .saturating_add(RocksDbWeight::get().reads_writes(5, 5))
    }
    fn issue_credential() -> Weight {
        Weight::from_parts(50_000_000, 10_000)
            .saturating_add(RocksDbWeight::get().reads_writes(5, 5))
    }
    fn revoke_credential() -> Weight {
        Weight::from_parts(50_000_000, 10_000)
            .saturating_add(RocksDbWeight::get().reads_writes(5, 5))
    }
}
