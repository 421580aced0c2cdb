//! The chain specs this node knows by name.

use egov_runtime::genesis_config_presets::{PARACHAIN_ID, PRODUCTION_RUNTIME_PRESET};
use polkadot_sdk::{
	polkadot_omni_node_lib::chain_spec::{ChainSpec, Extensions, GenericChainSpec, LoadSpec},
	sc_chain_spec::{ChainType, Properties},
	sp_genesis_builder::{DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET},
};

/// Resolves `--chain` values: `dev`, `local` and `production` name built-in specs;
/// anything else is a path to a chain-spec JSON file.
pub struct EgovChainSpecLoader;

impl LoadSpec for EgovChainSpecLoader {
	fn load_spec(&self, id: &str) -> Result<Box<dyn ChainSpec>, String> {
		Ok(match id {
			"" | "dev" => Box::new(development()?),
			"local" => Box::new(local_testnet()?),
			"production" => Box::new(production()?),
			path => Box::new(GenericChainSpec::from_json_file(path.into())?),
		})
	}
}

fn properties() -> Properties {
	let mut properties = Properties::new();
	// The values the runtime's metadata hash was computed with: wallets and offline
	// signers read them from here.
	properties.insert("tokenSymbol".into(), egov_runtime::TOKEN_SYMBOL.into());
	properties.insert("tokenDecimals".into(), egov_runtime::TOKEN_DECIMALS.into());
	properties.insert("ss58Format".into(), egov_runtime::configs::system::SS58Prefix::get().into());
	properties
}

fn wasm() -> Result<&'static [u8], String> {
	egov_runtime::WASM_BINARY
		.ok_or_else(|| "this node was built without the runtime WASM (SKIP_WASM_BUILD)".into())
}

fn spec(
	name: &str,
	id: &str,
	chain_type: ChainType,
	relay_chain: &str,
	preset: &str,
) -> Result<GenericChainSpec, String> {
	Ok(GenericChainSpec::builder(wasm()?, Extensions::new(relay_chain.into(), PARACHAIN_ID))
		.with_name(name)
		.with_id(id)
		.with_chain_type(chain_type)
		.with_protocol_id(id)
		.with_genesis_config_preset_name(preset)
		.with_properties(properties())
		.build())
}

/// The relay chain of the dev and local networks: the id of the spec that
/// `relay/src/bin/relay_spec.rs` writes. A light client pairs a parachain with its relay
/// chain by this id, exactly.
const LOCAL_RELAY_CHAIN: &str = "westend_local_testnet";

/// One machine, one collator (Alice), sudo for demos and tests.
pub fn development() -> Result<GenericChainSpec, String> {
	spec(
		"egov-chain Development",
		"egov_dev",
		ChainType::Development,
		LOCAL_RELAY_CHAIN,
		DEV_RUNTIME_PRESET,
	)
}

/// A relay chain on one machine with three ministry collators.
pub fn local_testnet() -> Result<GenericChainSpec, String> {
	spec(
		"egov-chain Local Testnet",
		"egov_local",
		ChainType::Local,
		LOCAL_RELAY_CHAIN,
		LOCAL_TESTNET_RUNTIME_PRESET,
	)
}

/// Template of a live network: named ministries as council and collators, no sudo.
pub fn production() -> Result<GenericChainSpec, String> {
	spec("egov-chain", "egov", ChainType::Live, "polkadot", PRODUCTION_RUNTIME_PRESET)
}
