//! Runtime APIs: what nodes, wallets and clients can ask the runtime.

use alloc::vec::Vec;
use polkadot_sdk::*;

use egov_primitives::runtime_api::{CitizenView, CredentialStatus, Eligibility, EntityView};
use frame_support::{
	genesis_builder_helper::{build_state, get_preset},
	weights::Weight,
};
use pallet_aura::Authorities;
use sp_api::impl_runtime_apis;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_core::{crypto::KeyTypeId, OpaqueMetadata};
use sp_runtime::{
	traits::Block as BlockT,
	transaction_validity::{TransactionSource, TransactionValidity},
	ApplyExtrinsicResult,
};
use sp_version::RuntimeVersion;

use super::{
	configs::system::ConsensusHook, genesis_config_presets, AccountId, AuthorityDiscovery, Balance,
	Block, BlockNumber, Elections, Executive, IdentityRegistry, InherentDataExt, Nonce,
	ParachainSystem, PropertyRegistry, PropertyTransfers, Runtime, RuntimeCall,
	RuntimeGenesisConfig, SessionKeys, System, TransactionPayment, VERSION,
};

/// What failed in an upgrade check. Upstream folds every pallet's failed `try_state` into
/// one "see logs" error; this runs them again one by one and names each pallet and rule.
#[cfg(feature = "try-runtime")]
fn failed_checks(err: sp_runtime::DispatchError) -> alloc::string::String {
	use frame_support::traits::{PalletsInfoAccess, TryState, TryStateSelect};
	let n = System::block_number();
	let failures: Vec<alloc::string::String> =
		<super::AllPalletsWithSystem as PalletsInfoAccess>::infos()
			.iter()
			.filter_map(|pallet| {
				let only = TryStateSelect::Only(alloc::vec![pallet.name.as_bytes().to_vec()]);
				<super::AllPalletsWithSystem as TryState<BlockNumber>>::try_state(n, only)
					.err()
					.map(|e| alloc::format!("{}: {:?}", pallet.name, e))
			})
			.collect();
	if failures.is_empty() {
		alloc::format!("{err:?}")
	} else {
		failures.join("; ")
	}
}

impl_runtime_apis! {
	impl sp_consensus_aura::AuraApi<Block, AuraId> for Runtime {
		fn slot_duration() -> sp_consensus_aura::SlotDuration {
			sp_consensus_aura::SlotDuration::from_millis(super::SLOT_DURATION)
		}

		fn authorities() -> Vec<AuraId> {
			Authorities::<Runtime>::get().into_inner()
		}
	}

	impl sp_authority_discovery::AuthorityDiscoveryApi<Block> for Runtime {
		fn authorities() -> Vec<sp_authority_discovery::AuthorityId> {
			// This session's keys in authoring order, which is what cumulus collator
			// discovery expects (`authorities()` would sort them and add the next session's).
			AuthorityDiscovery::current_authorities().to_vec()
		}
	}

	impl cumulus_primitives_aura::AuraUnincludedSegmentApi<Block> for Runtime {
		fn can_build_upon(
			included_hash: <Block as BlockT>::Hash,
			slot: cumulus_primitives_aura::Slot,
		) -> bool {
			ConsensusHook::can_build_upon(included_hash, slot)
		}
	}

	impl cumulus_primitives_core::RelayParentOffsetApi<Block> for Runtime {
		fn relay_parent_offset() -> u32 {
			0
		}

		fn max_claim_queue_offset() -> u8 {
			ParachainSystem::max_claim_queue_offset()
		}
	}

	impl sp_api::Core<Block> for Runtime {
		fn version() -> RuntimeVersion {
			VERSION
		}

		fn execute_block(block: <Block as BlockT>::LazyBlock) {
			Executive::execute_block(block)
		}

		fn initialize_block(header: &<Block as BlockT>::Header) -> sp_runtime::ExtrinsicInclusionMode {
			Executive::initialize_block(header)
		}
	}

	impl sp_api::Metadata<Block> for Runtime {
		fn metadata() -> OpaqueMetadata {
			OpaqueMetadata::new(Runtime::metadata().into())
		}

		fn metadata_at_version(version: u32) -> Option<OpaqueMetadata> {
			Runtime::metadata_at_version(version)
		}

		fn metadata_versions() -> Vec<u32> {
			Runtime::metadata_versions()
		}
	}

	impl frame_support::view_functions::runtime_api::RuntimeViewFunction<Block> for Runtime {
		fn execute_view_function(
			id: frame_support::view_functions::ViewFunctionId,
			input: Vec<u8>,
		) -> Result<Vec<u8>, frame_support::view_functions::ViewFunctionDispatchError> {
			Runtime::execute_view_function(id, input)
		}
	}

	impl sp_block_builder::BlockBuilder<Block> for Runtime {
		fn apply_extrinsic(extrinsic: <Block as BlockT>::Extrinsic) -> ApplyExtrinsicResult {
			Executive::apply_extrinsic(extrinsic)
		}

		fn finalize_block() -> <Block as BlockT>::Header {
			Executive::finalize_block()
		}

		fn inherent_extrinsics(data: sp_inherents::InherentData) -> Vec<<Block as BlockT>::Extrinsic> {
			data.create_extrinsics()
		}

		fn check_inherents(
			block: <Block as BlockT>::LazyBlock,
			data: sp_inherents::InherentData,
		) -> sp_inherents::CheckInherentsResult {
			data.check_extrinsics(&block)
		}
	}

	impl sp_transaction_pool::runtime_api::TaggedTransactionQueue<Block> for Runtime {
		fn validate_transaction(
			source: TransactionSource,
			tx: <Block as BlockT>::Extrinsic,
			block_hash: <Block as BlockT>::Hash,
		) -> TransactionValidity {
			Executive::validate_transaction(source, tx, block_hash)
		}
	}

	impl sp_offchain::OffchainWorkerApi<Block> for Runtime {
		fn offchain_worker(header: &<Block as BlockT>::Header) {
			Executive::offchain_worker(header)
		}
	}

	impl sp_session::SessionKeys<Block> for Runtime {
		fn generate_session_keys(
			owner: Vec<u8>,
			seed: Option<Vec<u8>>,
		) -> sp_session::OpaqueGeneratedSessionKeys {
			SessionKeys::generate(&owner, seed).into()
		}

		fn decode_session_keys(
			encoded: Vec<u8>,
		) -> Option<Vec<(Vec<u8>, KeyTypeId)>> {
			SessionKeys::decode_into_raw_public_keys(&encoded)
		}
	}

	impl frame_system_rpc_runtime_api::AccountNonceApi<Block, AccountId, Nonce> for Runtime {
		fn account_nonce(account: AccountId) -> Nonce {
			System::account_nonce(account)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentApi<Block, Balance> for Runtime {
		fn query_info(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment_rpc_runtime_api::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_info(uxt, len)
		}
		fn query_fee_details(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_fee_details(uxt, len)
		}
		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}
		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentCallApi<Block, Balance, RuntimeCall>
		for Runtime
	{
		fn query_call_info(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_call_info(call, len)
		}
		fn query_call_fee_details(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_call_fee_details(call, len)
		}
		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}
		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl cumulus_primitives_core::CollectCollationInfo<Block> for Runtime {
		fn collect_collation_info(header: &<Block as BlockT>::Header) -> cumulus_primitives_core::CollationInfo {
			ParachainSystem::collect_collation_info(header)
		}
	}

	impl cumulus_primitives_core::GetParachainInfo<Block> for Runtime {
		fn parachain_id() -> cumulus_primitives_core::ParaId {
			super::ParachainInfo::parachain_id()
		}
	}

	impl egov_primitives::runtime_api::IdentityRegistryApi<Block, AccountId> for Runtime {
		fn citizen_by_account(who: AccountId) -> Option<CitizenView<AccountId>> {
			IdentityRegistry::citizen_view_by_account(&who)
		}
		fn citizen(id: egov_primitives::CitizenId) -> Option<CitizenView<AccountId>> {
			IdentityRegistry::citizen_view(id)
		}
		fn eligibility(who: AccountId, day: egov_primitives::Day) -> Eligibility {
			IdentityRegistry::eligibility(&who, day)
		}
		fn entity(id: egov_primitives::EntityId) -> Option<EntityView<AccountId>> {
			IdentityRegistry::entity_view(id)
		}
		fn credential_status(document_hash: sp_core::H256, issuer: AccountId) -> CredentialStatus<AccountId> {
			IdentityRegistry::credential_status(document_hash, &issuer)
		}

		fn credentials_of_document(document_hash: sp_core::H256) -> Vec<CredentialStatus<AccountId>> {
			IdentityRegistry::credentials_of_document(document_hash)
		}
		fn roles_of(who: AccountId) -> Vec<egov_primitives::Role> {
			IdentityRegistry::roles_of(&who)
		}
	}

	impl pallet_elections::runtime_api::ElectionsApi<Block, AccountId, BlockNumber> for Runtime {
		fn election(id: pallet_elections::ElectionId) -> Option<pallet_elections::Election<AccountId, BlockNumber>> {
			pallet_elections::Elections::<Runtime>::get(id)
		}
		fn tally(id: pallet_elections::ElectionId) -> Vec<egov_ballot::Ciphertext> {
			pallet_elections::Tallies::<Runtime>::get(id).map(|t| t.into_inner()).unwrap_or_default()
		}
		fn result(id: pallet_elections::ElectionId) -> Option<Vec<u64>> {
			pallet_elections::Results::<Runtime>::get(id).map(|c| c.into_inner())
		}
		fn tracking_status(code: sp_core::H256) -> pallet_elections::TrackingStatus<BlockNumber> {
			Elections::tracking_status(code)
		}
		fn voter_eligibility(id: pallet_elections::ElectionId, who: AccountId) -> pallet_elections::VoterEligibility {
			Elections::voter_eligibility(id, &who)
		}
		fn turnout(id: pallet_elections::ElectionId) -> Vec<(egov_primitives::DistrictId, u32)> {
			Elections::turnout(id)
		}
		fn verification_keys(id: pallet_elections::ElectionId) -> Vec<[u8; 32]> {
			Elections::verification_keys(id)
		}
	}

	impl pallet_property_registry::runtime_api::PropertyRegistryApi<Block, AccountId, BlockNumber> for Runtime {
		fn title(id: pallet_property_registry::TitleId) -> Option<pallet_property_registry::TitleView<BlockNumber>> {
			PropertyRegistry::title_view(id)
		}
		fn title_by_cadastral_id(cadastral_id: Vec<u8>) -> Option<pallet_property_registry::TitleId> {
			PropertyRegistry::title_id_by_cadastral_id(cadastral_id)
		}
		fn history(
			id: pallet_property_registry::TitleId,
			from_seq: u32,
			max: u32,
		) -> Vec<pallet_property_registry::HistoryEntryView<AccountId, BlockNumber>> {
			PropertyRegistry::history(id, from_seq, max)
		}
		fn title_storage_keys(id: pallet_property_registry::TitleId) -> Vec<Vec<u8>> {
			PropertyRegistry::title_storage_keys(id)
		}
	}

	impl pallet_property_transfers::runtime_api::PropertyTransfersApi<Block, AccountId, Balance, BlockNumber> for Runtime {
		fn deal(id: pallet_property_registry::DealId) -> Option<pallet_property_transfers::DealView<AccountId, Balance, BlockNumber>> {
			PropertyTransfers::deal_view(id)
		}
		fn deals_of_title(title: pallet_property_registry::TitleId) -> Vec<pallet_property_registry::DealId> {
			PropertyTransfers::deals_of_title(title)
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	impl frame_benchmarking::Benchmark<Block> for Runtime {
		fn benchmark_metadata(extra: bool) -> (
			Vec<frame_benchmarking::BenchmarkList>,
			Vec<frame_support::traits::StorageInfo>,
		) {
			use frame_benchmarking::BenchmarkList;
			use frame_support::traits::StorageInfoTrait;

			let mut list = Vec::<BenchmarkList>::new();
			list_benchmarks!(list, extra);
			let storage_info = super::AllPalletsWithSystem::storage_info();
			(list, storage_info)
		}

		fn dispatch_benchmark(
			config: frame_benchmarking::BenchmarkConfig,
		) -> Result<Vec<frame_benchmarking::BenchmarkBatch>, alloc::string::String> {
			use frame_benchmarking::BenchmarkBatch;
			use frame_support::traits::WhitelistedStorageKeys;
			use sp_storage::TrackedStorageKey;

			let whitelist: Vec<TrackedStorageKey> =
				super::AllPalletsWithSystem::whitelisted_storage_keys();
			let mut batches = Vec::<BenchmarkBatch>::new();
			let params = (&config, &whitelist);
			add_benchmarks!(params, batches);
			Ok(batches)
		}
	}

	// Only in the WASM of `egov-try-runtime` (the checks of `egov try-upgrade`); the
	// runtime a chain runs is built without it.
	#[cfg(feature = "try-runtime")]
	impl frame_try_runtime::TryRuntime<Block> for Runtime {
		fn on_runtime_upgrade(checks: frame_try_runtime::UpgradeCheckSelect) -> (Weight, Weight) {
			// A failed check panics with its message: the caller sees which one.
			let weight = Executive::try_runtime_upgrade(checks)
				.unwrap_or_else(|e| panic!("{}", failed_checks(e)));
			(weight, super::configs::RuntimeBlockWeights::get().max_block)
		}

		fn execute_block(
			block: <Block as BlockT>::LazyBlock,
			state_root_check: bool,
			signature_check: bool,
			select: frame_try_runtime::TryStateSelect,
		) -> Weight {
			Executive::try_execute_block(block, state_root_check, signature_check, select).unwrap()
		}
	}

	impl sp_genesis_builder::GenesisBuilder<Block> for Runtime {
		fn build_state(config: Vec<u8>) -> sp_genesis_builder::Result {
			build_state::<RuntimeGenesisConfig>(config)
		}

		fn get_preset(id: &Option<sp_genesis_builder::PresetId>) -> Option<Vec<u8>> {
			get_preset::<RuntimeGenesisConfig>(id, &genesis_config_presets::get_preset)
		}

		fn preset_names() -> Vec<sp_genesis_builder::PresetId> {
			genesis_config_presets::preset_names()
		}
	}
}
