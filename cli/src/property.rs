//! Provable land-registry extracts: a title's state plus a storage proof against a block
//! header, checked offline without trusting the node that produced it.
//!
//! The extract holds the header of a finalized block, the title's storage keys and values,
//! and the trie nodes that prove them against the header's state root. The verifier
//! recomputes the block hash from the header, checks the proof, decodes the proven record
//! and compares it with the readable summary. What it cannot know by itself is whether that
//! block hash is final: compare it with a hash you trust (a relay-chain-finalized parachain
//! head, an anchor published elsewhere).

use crate::{
	chain::{storage_prefix, to_hex, twox64_concat, unhex, Chain, Endpoint},
	elections::Output,
};
use anyhow::{anyhow, bail, Context, Result};
use clap::Subcommand;
use codec::{Decode, Encode};
use egov_runtime::{Header, Runtime};
use pallet_property_registry::{Owner, TitleId, TitleOf};
use polkadot_sdk::{
	sp_crypto_hashing::blake2_256, sp_runtime::traits::BlakeTwo256,
	sp_state_machine::read_proof_check, sp_trie::StorageProof,
};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum PropertyCommand {
	/// Write a provable extract of a title at the finalized block.
	Extract {
		title: TitleId,
		#[arg(long)]
		out: PathBuf,
	},
	/// Check an extract offline: header hash, storage proof, and the summary.
	VerifyExtract { file: PathBuf },
	#[command(flatten)]
	Titles(crate::land::TitleCommand),
}

/// The readable part of an extract; the verifier checks it against the proven record.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct TitleSummary {
	pub cadastral_id: String,
	pub parcel_hash: String,
	/// `citizen:<id>` or `entity:<id>` with the share in parts per million.
	pub owners: Vec<(String, u32)>,
	pub encumbrances: usize,
	pub frozen: bool,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Extract {
	pub format: String,
	pub genesis_hash: String,
	pub block_number: u32,
	pub block_hash: String,
	/// SCALE hex of the block header (its state root anchors the proof).
	pub header: String,
	pub title_id: TitleId,
	pub title: TitleSummary,
	pub keys: Vec<String>,
	pub values: Vec<Option<String>>,
	/// Trie nodes proving `keys` → `values` under the header's state root.
	pub proof: Vec<String>,
}

const FORMAT: &str = "egov-title-extract/v1";

fn owner_name(o: &Owner) -> String {
	match o {
		Owner::Citizen(id) => format!("citizen:{id}"),
		Owner::Entity(id) => format!("entity:{id}"),
	}
}

fn summary(t: &TitleOf<Runtime>) -> TitleSummary {
	TitleSummary {
		cadastral_id: String::from_utf8_lossy(&t.cadastral_id).into_owned(),
		parcel_hash: to_hex(t.parcel_hash.as_bytes()),
		owners: t.owners.iter().map(|(o, s)| (owner_name(o), *s)).collect(),
		encumbrances: t.encumbrances.len(),
		frozen: t.frozen.is_some(),
	}
}

fn title_key(id: TitleId) -> Vec<u8> {
	[storage_prefix("PropertyRegistry", "Titles"), twox64_concat(&id)].concat()
}

pub async fn run(url: &Endpoint, cmd: PropertyCommand, out: &Output) -> Result<()> {
	match cmd {
		PropertyCommand::Titles(cmd) => crate::land::run(url, cmd, out).await,
		PropertyCommand::Extract { title, out: path } => {
			let chain = Chain::connect(url).await?;
			let (at, number) = chain.finalized_head().await?;
			let keys: Vec<Vec<u8>> = chain
				.runtime_call("PropertyRegistryApi_title_storage_keys", title, Some(at))
				.await?;
			if keys.is_empty() {
				bail!("no title {title} at the finalized block");
			}
			let header: Header = chain.header(at).await?;
			let proof = chain.read_proof(&keys, at).await?;
			// Checked here too: an extract the node lied in is never written.
			let values = chain.proven_raw(&keys, at).await?;
			let record: TitleOf<Runtime> = Decode::decode(
				&mut &values[0].clone().ok_or_else(|| anyhow!("title record missing"))?[..],
			)?;
			let extract = Extract {
				format: FORMAT.into(),
				genesis_hash: to_hex(chain.genesis_hash.as_bytes()),
				block_number: number,
				block_hash: to_hex(at.as_bytes()),
				header: to_hex(&header.encode()),
				title_id: title,
				title: summary(&record),
				keys: keys.iter().map(|k| to_hex(k)).collect(),
				values: values.iter().map(|v| v.as_ref().map(|v| to_hex(v))).collect(),
				proof: proof.iter().map(|n| to_hex(n)).collect(),
			};
			std::fs::write(&path, serde_json::to_string_pretty(&extract)?)?;
			out.show(
				json!({ "title": title, "block": number, "blockHash": extract.block_hash, "file": path }),
				|| {
					format!(
						"extract of title {title} at block {number} ({}) written to {}",
						extract.block_hash,
						path.display()
					)
				},
			);
			Ok(())
		},
		PropertyCommand::VerifyExtract { file } => {
			let extract: Extract = serde_json::from_str(
				&std::fs::read_to_string(&file)
					.with_context(|| format!("reading {}", file.display()))?,
			)
			.context("not a title extract")?;
			let failures = verify_extract(&extract)?;
			let ok = failures.is_empty();
			let v: Value = json!({
				"ok": ok,
				"title": extract.title_id,
				"blockNumber": extract.block_number,
				"blockHash": extract.block_hash,
				"owners": extract.title.owners,
				"failures": failures,
			});
			out.show(v, || {
				if ok {
					format!(
						"VERIFIED: title {} ({}) at block {} ({}): owners {:?}, {} encumbrance(s){}\n\
						 (check that this block hash is final on the relay chain or matches a published anchor)",
						extract.title_id,
						extract.title.cadastral_id,
						extract.block_number,
						extract.block_hash,
						extract.title.owners,
						extract.title.encumbrances,
						if extract.title.frozen { ", FROZEN" } else { "" }
					)
				} else {
					format!("REJECTED:\n  - {}", failures.join("\n  - "))
				}
			});
			if !ok {
				return Err(crate::Rejected.into());
			}
			Ok(())
		},
	}
}

/// Everything that is wrong with an extract (empty when it holds).
pub fn verify_extract(e: &Extract) -> Result<Vec<String>> {
	let mut failures = Vec::new();
	if e.format != FORMAT {
		bail!("unknown extract format {}", e.format);
	}
	let header_bytes = unhex(&e.header)?;
	let header = Header::decode(&mut &header_bytes[..]).context("the header does not decode")?;
	if to_hex(&blake2_256(&header_bytes)) != e.block_hash {
		failures.push("the header does not hash to the stated block hash".into());
	}
	if header.number != e.block_number {
		failures.push("the header's number is not the stated block number".into());
	}
	let keys: Vec<Vec<u8>> = e.keys.iter().map(|k| unhex(k)).collect::<Result<_>>()?;
	if keys.first() != Some(&title_key(e.title_id)) {
		failures.push(format!("the first key is not title {}'s record", e.title_id));
	}
	let nodes: Vec<Vec<u8>> = e.proof.iter().map(|n| unhex(n)).collect::<Result<_>>()?;
	let proven = match read_proof_check::<BlakeTwo256, _>(
		header.state_root,
		StorageProof::new(nodes),
		keys.iter(),
	) {
		Ok(p) => p,
		Err(err) => {
			failures
				.push(format!("the storage proof does not check against the state root: {err}"));
			return Ok(failures);
		},
	};
	for (i, k) in keys.iter().enumerate() {
		let claimed = e.values.get(i).cloned().flatten().map(|v| unhex(&v)).transpose()?;
		let got = proven.get(k).cloned().flatten();
		if got != claimed {
			failures.push(format!("value {i} is not what the proof proves"));
		}
	}
	match proven.get(&title_key(e.title_id)).cloned().flatten() {
		Some(bytes) => match TitleOf::<Runtime>::decode(&mut &bytes[..]) {
			Ok(t) => {
				if summary(&t) != e.title {
					failures.push("the summary differs from the proven title record".into());
				}
			},
			Err(_) => failures.push("the proven title record does not decode".into()),
		},
		None => failures.push("the proof shows no such title".into()),
	}
	Ok(failures)
}
