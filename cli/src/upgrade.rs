//! `egov try-upgrade`: before governance proposes an upgrade, run the candidate runtime's
//! upgrade checks against the live state of a running chain.
//!
//! The state of one block is downloaded over the node's RPC; the candidate WASM (built
//! with its try-runtime checks: the `egov-try-runtime` crate) is stored as the code and
//! its `TryRuntime_on_runtime_upgrade(All)` is run in a local WASM executor: every
//! migration with its pre- and post-upgrade checks, then every pallet's `try_state`. The
//! node is only read; nothing is submitted.

use crate::{
	chain::{unhex, Chain, Endpoint},
	elections::{progress, Output},
};
use anyhow::{anyhow, bail, Context, Result};
use polkadot_sdk::sp_core::{
	storage::{well_known_keys, Storage},
	H256,
};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct TryUpgradeArgs {
	/// The candidate runtime, built with try-runtime checks (the WASM of the
	/// `egov-try-runtime` crate; compressed or not). Default: the one this `egov` embeds,
	/// built from the same source as `egov` itself.
	#[arg(long)]
	runtime: Option<PathBuf>,
	/// The block whose state to check (hex hash). Default: the finalized head.
	#[arg(long)]
	at: Option<String>,
}

pub async fn try_upgrade(url: &Endpoint, args: TryUpgradeArgs, out: &Output) -> Result<()> {
	let wasm = match &args.runtime {
		Some(path) => {
			std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?
		},
		None => egov_try_runtime::WASM_BINARY
			.ok_or_else(|| anyhow!("this egov was built without the try-runtime WASM"))?
			.to_vec(),
	};
	let chain = Chain::connect(url).await?;
	let (at, number) = match &args.at {
		Some(hash) => {
			let hash = H256::from_slice(&unhex(hash)?);
			(hash, chain.block_number(hash).await?)
		},
		None => chain.finalized_head().await?,
	};

	let pb = progress(0, "downloading state", out.json);
	let pairs = chain.storage_prefixed_raw(&[], at, Some(&pb)).await?;
	pb.finish_and_clear();
	let keys = pairs.len();
	let mut state = Storage::default();
	for (key, value) in pairs {
		// Child tries are listed in the top trie under this prefix; this runtime has none,
		// and a check without their contents would not be a check.
		if key.starts_with(well_known_keys::CHILD_STORAGE_KEY_PREFIX) {
			bail!("block #{number} has child tries, which try-upgrade does not download");
		}
		state.top.insert(key, value);
	}

	let report = tokio::task::spawn_blocking(move || egov_try_runtime::check_upgrade(state, &wasm))
		.await?
		.map_err(|e| anyhow!("{e}"))?;
	let v = &report.version;
	out.show(
		serde_json::json!({
			"ok": true,
			"block": number,
			"blockHash": format!("{at:?}"),
			"keys": keys,
			"specName": v.spec_name.to_string(),
			"specVersion": v.spec_version,
			"migrationRefTime": report.migration_weight.ref_time(),
			"migrationProofSize": report.migration_weight.proof_size(),
			"maxBlockRefTime": report.max_block_weight.ref_time(),
		}),
		|| {
			format!(
				"upgrade to {} {} checked against block #{number} ({at:?}, {keys} keys): \
				 migrations and every pallet's try_state passed; the migrations weigh \
				 {} of a block's {}",
				v.spec_name, v.spec_version, report.migration_weight, report.max_block_weight
			)
		},
	);
	Ok(())
}
