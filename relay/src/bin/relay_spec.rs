//! Writes the plain chain spec of the local relay chain (Westend local testnet preset,
//! fast-runtime WASM built by this crate) to stdout. Zombienet customises it with the
//! network's validators and our parachain, then has `polkadot` make it raw.
//!
//! The upstream node only builds this spec with its `westend-native` feature, which
//! compiles the whole Westend runtime natively; the WASM alone is enough.

use polkadot_cli::service::GenericChainSpec;
use polkadot_sdk::sc_chain_spec::ChainType;

include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

fn main() -> color_eyre::eyre::Result<()> {
	let wasm = WASM_BINARY.ok_or_else(|| color_eyre::eyre::eyre!("built with SKIP_WASM_BUILD"))?;
	// Same name, id and protocol as the upstream `westend-local`: the node recognises the
	// chain as Westend by its id.
	let spec = GenericChainSpec::builder(wasm, Default::default())
		.with_name("Westend Local Testnet")
		.with_id("westend_local_testnet")
		.with_chain_type(ChainType::Local)
		.with_genesis_config_preset_name("local_testnet")
		.with_protocol_id("dot")
		.build();
	println!("{}", spec.as_json(false).map_err(|e| color_eyre::eyre::eyre!(e))?);
	Ok(())
}
