//! `egov-node`: the collator node that ministries run.
//!
//! Built on the Polkadot omni-node library, which brings the collator, RPC, the relay-chain
//! connection and a `--dev` mode that produces blocks without a relay chain. What this
//! binary adds is knowledge of our chain: `--chain dev|local|production` resolve to chain
//! specs built from the runtime compiled into this binary, so they never drift from it.

mod chain_spec;

use polkadot_sdk::polkadot_omni_node_lib::{
	run, runtime::DefaultRuntimeResolver, CliConfig as CliConfigT, RunConfig, NODE_VERSION,
};

struct CliConfig;

impl CliConfigT for CliConfig {
	fn impl_version() -> String {
		let commit_hash = option_env!("EGOV_GIT_COMMIT").unwrap_or("unknown");
		format!("{}-{}", NODE_VERSION, commit_hash)
	}

	fn author() -> String {
		env!("CARGO_PKG_AUTHORS").into()
	}

	fn support_url() -> String {
		"https://example.invalid/egov-chain/issues".into()
	}

	fn copyright_start_year() -> u16 {
		2026
	}
}

fn main() -> color_eyre::eyre::Result<()> {
	color_eyre::install()?;
	let config =
		RunConfig::new(Box::new(DefaultRuntimeResolver), Box::new(chain_spec::EgovChainSpecLoader));
	Ok(run::<CliConfig>(config)?)
}
