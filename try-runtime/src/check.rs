//! Runs a runtime's `TryRuntime_on_runtime_upgrade` against given state, in a WASM executor.

use codec::Decode;
use polkadot_sdk::{
	cumulus_primitives_proof_size_hostfunction::storage_proof_size,
	sc_executor::{RuntimeVersion, WasmExecutor},
	sp_core::{
		storage::{well_known_keys, Storage},
		traits::{CallContext, RuntimeCode, WrappedRuntimeCode},
	},
	sp_crypto_hashing, sp_io,
	sp_runtime::{traits::BlakeTwo256, StateVersion},
	sp_state_machine::{InMemoryBackend, OverlayedChanges, StateMachine},
	sp_weights::Weight,
};

/// `frame_support::traits::UpgradeCheckSelect::All`, SCALE-encoded: migrations with their
/// pre- and post-upgrade checks, then every pallet's `try_state`. (The type exists only
/// with the `try-runtime` feature, which this native code must not turn on.)
const ALL_CHECKS: [u8; 1] = [1];

/// The host functions a parachain runtime imports: Substrate's and the proof-size one.
type HostFunctions = (sp_io::SubstrateHostFunctions, storage_proof_size::HostFunctions);

/// What a runtime reported after its upgrade checks passed.
#[derive(Debug)]
pub struct UpgradeReport {
	/// The version of the runtime that was checked.
	pub version: RuntimeVersion,
	/// Weight of the migrations the upgrade runs.
	pub migration_weight: Weight,
	/// The most weight one block may use: the migrations must fit.
	pub max_block_weight: Weight,
}

/// Why an upgrade check failed.
#[derive(Debug)]
pub enum CheckError {
	/// The WASM is not a runtime or has no try-runtime checks (built without the feature).
	NotATryRuntime(String),
	/// A migration's check or a pallet's `try_state` failed: the runtime's message.
	ChecksFailed(String),
	/// The migrations need more than a block's weight: the upgrade would stall the chain.
	Overweight { migration_weight: Weight, max_block_weight: Weight },
}

impl core::fmt::Display for CheckError {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		match self {
			CheckError::NotATryRuntime(e) => {
				write!(f, "not a runtime with try-runtime checks: {e}")
			},
			CheckError::ChecksFailed(e) => write!(f, "the upgrade checks failed: {e}"),
			CheckError::Overweight { migration_weight, max_block_weight } => write!(
				f,
				"the migrations weigh {migration_weight}, more than a block's {max_block_weight}"
			),
		}
	}
}

impl std::error::Error for CheckError {}

/// Runs the upgrade to `wasm` on `state`: stores `wasm` as the chain's code, then calls
/// `TryRuntime_on_runtime_upgrade(All)`: every migration with its pre- and post-upgrade
/// checks, then every pallet's `try_state`. Nothing is written anywhere: `state` is a copy.
pub fn check_upgrade(mut state: Storage, wasm: &[u8]) -> Result<UpgradeReport, CheckError> {
	state.top.insert(well_known_keys::CODE.to_vec(), wasm.to_vec());
	let backend = InMemoryBackend::<BlakeTwo256>::from((state, StateVersion::V1));
	let executor = WasmExecutor::<HostFunctions>::builder().build();
	let code = WrappedRuntimeCode(wasm.into());
	let runtime_code = RuntimeCode {
		code_fetcher: &code,
		heap_pages: None,
		hash: sp_io::hashing::blake2_256(wasm).to_vec(),
	};
	let call = |method: &str, data: &[u8]| -> Result<Vec<u8>, String> {
		let mut overlay = OverlayedChanges::default();
		let mut extensions = Default::default();
		// Bound to a local: the state machine borrows `overlay`, so it must drop first.
		let result = StateMachine::new(
			&backend,
			&mut overlay,
			&executor,
			method,
			data,
			&mut extensions,
			&runtime_code,
			CallContext::Offchain,
		)
		.execute()
		.map_err(|e| e.to_string());
		result
	};

	let version = call("Core_version", &[]).map_err(CheckError::NotATryRuntime)?;
	let version = RuntimeVersion::decode(&mut &version[..])
		.map_err(|e| CheckError::NotATryRuntime(e.to_string()))?;
	let has_checks = version
		.apis
		.iter()
		.any(|(id, _)| *id == sp_crypto_hashing::blake2_64(b"TryRuntime"));
	if !has_checks {
		return Err(CheckError::NotATryRuntime(format!(
			"{} {} has no TryRuntime API",
			version.spec_name, version.spec_version
		)));
	}
	let out =
		call("TryRuntime_on_runtime_upgrade", &ALL_CHECKS).map_err(CheckError::ChecksFailed)?;
	let (migration_weight, max_block_weight) = <(Weight, Weight)>::decode(&mut &out[..])
		.map_err(|e| CheckError::ChecksFailed(format!("undecodable report: {e}")))?;
	if migration_weight.any_gt(max_block_weight) {
		return Err(CheckError::Overweight { migration_weight, max_block_weight });
	}
	Ok(UpgradeReport { version, migration_weight, max_block_weight })
}
