//! The pallets whose weights this runtime's benchmarks generate (`scripts/benchmark.sh`).

polkadot_sdk::frame_benchmarking::define_benchmarks!(
	[pallet_identity_registry, IdentityRegistry]
	[pallet_elections, Elections]
	[pallet_property_registry, PropertyRegistry]
	[pallet_property_transfers, PropertyTransfers]
);
