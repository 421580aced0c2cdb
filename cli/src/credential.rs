//! Credentials (diplomas, licences, certificates): issued and revoked by the issuers the
//! council appointed, checked by anyone. A credential is recorded under the blake2-256 hash
//! of its document file, computed here from the file: the document itself never leaves the
//! issuer's or holder's machine.

use crate::{
	act::act,
	chain::{account_of, parse_account, to_hex, unhex, AccountId, Chain, Endpoint},
	council::{by_name, credential_kind},
	elections::{progress, Output},
	registry::{day_arg, parse_csv, party, IN_FLIGHT},
	secret::SignerArgs,
	Rejected,
};
use anyhow::{anyhow, bail, Context, Result};
use clap::Subcommand;
use egov_primitives::{runtime_api::CredentialStatus, CredentialKind, Day, Subject};
use egov_runtime::{Runtime, RuntimeCall};
use futures::StreamExt;
use pallet_identity_registry::{Call as RegistryCall, CredentialRecord, Credentials};
use polkadot_sdk::{
	pallet_utility, sp_core::crypto::Ss58Codec, sp_core::H256, sp_crypto_hashing::blake2_256,
};
use serde_json::json;
use std::{collections::BTreeMap, path::PathBuf};

#[derive(Subcommand)]
pub enum CredentialCommand {
	/// Issue a credential for a document file (a credential issuer, for a kind it was
	/// appointed for).
	Issue {
		/// The document (e.g. the diploma's PDF).
		document: PathBuf,
		/// Whom it is about: a citizen (id or account) or `entity:ID`.
		#[arg(long)]
		subject: String,
		/// diploma, professional-licence, driving-licence, certificate, permit, other:CODE.
		#[arg(long)]
		kind: String,
		/// YYYY-MM-DD; today if not given. May be in the past, not in the future.
		#[arg(long)]
		issued_on: Option<String>,
		/// YYYY-MM-DD, the last day of validity.
		#[arg(long)]
		expires_on: Option<String>,
		#[command(flatten)]
		signer: SignerArgs,
	},
	/// Issue a credential for every document of a folder, listed in a manifest CSV with the
	/// header `file,subject,kind,issued_on,expires_on` (dates may be empty). Resumable: what
	/// the chain already holds is not issued again.
	IssueFolder {
		folder: PathBuf,
		/// The manifest; `FOLDER/manifest.csv` if not given.
		#[arg(long)]
		manifest: Option<PathBuf>,
		/// Credentials per transaction.
		#[arg(long, default_value_t = 250)]
		batch: usize,
		/// Check everything and say what would be issued; send nothing.
		#[arg(long)]
		dry_run: bool,
		#[command(flatten)]
		signer: SignerArgs,
	},
	/// Revoke a credential (its issuer), giving a reason: issued-in-error, fraud,
	/// superseded, withdrawn.
	Revoke {
		/// The document file, or its hash (0x…).
		document: String,
		#[arg(long, value_parser = by_name::<egov_primitives::RevocationReason>)]
		reason: egov_primitives::RevocationReason,
		#[command(flatten)]
		signer: SignerArgs,
	},
	/// Check a document: the status today of the credential its issuer recorded for it,
	/// read with a proof from the finalized head. Exit code 2 unless valid.
	Check {
		/// The document file, or its hash (0x…).
		document: String,
		/// The issuer the document names (account).
		#[arg(long)]
		issuer: String,
	},
}

/// The hash a credential is recorded under: of the file's bytes, or given as `0x…`.
pub(crate) fn document_hash(document: &str) -> Result<H256> {
	let path = PathBuf::from(document);
	if path.exists() {
		let bytes = std::fs::read(&path).with_context(|| format!("reading {document}"))?;
		return Ok(H256(blake2_256(&bytes)));
	}
	match unhex(document) {
		Ok(b) if document.starts_with("0x") && b.len() == 32 => Ok(H256::from_slice(&b)),
		_ => bail!("{document}: no such file, nor a 0x document hash"),
	}
}

/// The chain's day: its finalized block's timestamp. An issue dated by it is never "in the
/// future" to the chain, whatever this machine's clock says (near midnight they differ).
async fn chain_today(chain: &Chain) -> Result<Day> {
	let (at, _) = chain.finalized_head().await?;
	let key = polkadot_sdk::pallet_timestamp::Now::<Runtime>::hashed_key();
	let now: u64 = chain.proven(&key, at).await?.unwrap_or_default();
	Ok(egov_primitives::day_of_millis(now))
}

fn optional_day(s: Option<&str>) -> Result<Option<Day>> {
	s.filter(|s| !s.is_empty()).map(day_arg).transpose()
}

pub async fn run(url: &Endpoint, cmd: CredentialCommand, out: &Output) -> Result<()> {
	let chain = Chain::connect(url).await?;
	match cmd {
		CredentialCommand::Issue {
			document,
			subject: who,
			kind,
			issued_on,
			expires_on,
			signer,
		} => {
			let document_hash = document_hash(&document.to_string_lossy())?;
			let call = RegistryCall::issue_credential {
				document_hash,
				subject: party(&chain, &who).await?,
				kind: credential_kind(&kind)?,
				issued_on: match optional_day(issued_on.as_deref())? {
					Some(day) => day,
					None => chain_today(&chain).await?,
				},
				expires_on: optional_day(expires_on.as_deref())?,
			};
			act(&chain, &signer, call, out).await?;
			Ok(())
		},
		CredentialCommand::IssueFolder { folder, manifest, batch, dry_run, signer } => {
			let manifest = manifest.unwrap_or_else(|| folder.join("manifest.csv"));
			issue_folder(&chain, &folder, &manifest, batch, dry_run, &signer, out).await
		},
		CredentialCommand::Revoke { document, reason, signer } => {
			let issuer = account_of(&signer.pair()?);
			let call = RegistryCall::revoke_credential {
				document_hash: document_hash(&document)?,
				issuer,
				reason,
			};
			act(&chain, &signer, call, out).await?;
			Ok(())
		},
		CredentialCommand::Check { document, issuer } => {
			check(&chain, document_hash(&document)?, &parse_account(&issuer)?, out).await
		},
	}
}

/// One credential of a manifest, checked.
struct Entry {
	line: usize,
	file: String,
	document_hash: H256,
	subject: Subject,
	kind: CredentialKind,
	issued_on: Day,
	expires_on: Option<Day>,
}

async fn issue_folder(
	chain: &Chain,
	folder: &PathBuf,
	manifest: &PathBuf,
	batch: usize,
	dry_run: bool,
	signer: &SignerArgs,
	out: &Output,
) -> Result<()> {
	if batch == 0 {
		bail!("--batch must be at least 1");
	}
	let issuer = account_of(&signer.pair()?);
	let text = std::fs::read_to_string(manifest)
		.with_context(|| format!("reading {}", manifest.display()))?;
	let mut rows = parse_csv(&text)?.into_iter();
	let (_, header) = rows.next().ok_or_else(|| anyhow!("{} is empty", manifest.display()))?;
	const COLUMNS: [&str; 5] = ["file", "subject", "kind", "issued_on", "expires_on"];
	let at = COLUMNS
		.iter()
		.map(|c| {
			header.iter().position(|h| h == c).ok_or_else(|| {
				anyhow!("the manifest's header must name {}; {c} is missing", COLUMNS.join(","))
			})
		})
		.collect::<Result<Vec<_>>>()?;
	let today = chain_today(chain).await?;
	let mut entries = Vec::new();
	let mut problems = Vec::new();
	let mut seen = BTreeMap::new();
	for (line, row) in rows {
		let checked = async {
			if row.len() != header.len() {
				bail!("{} fields where the header has {}", row.len(), header.len());
			}
			let file = row[at[0]].clone();
			let document_hash = document_hash(&folder.join(&file).to_string_lossy())?;
			if let Some(first) = seen.insert(document_hash, line) {
				bail!("{file} is the same document as line {first}'s");
			}
			Ok(Entry {
				line,
				document_hash,
				subject: party(chain, &row[at[1]]).await?,
				kind: credential_kind(&row[at[2]])?,
				issued_on: optional_day(Some(&row[at[3]]))?.unwrap_or(today),
				expires_on: optional_day(Some(&row[at[4]]))?,
				file,
			})
		}
		.await;
		match checked {
			Ok(e) => entries.push(e),
			Err(e) => problems.push(format!("line {line}: {e:#}")),
		}
	}
	if !problems.is_empty() {
		bail!("nothing was issued:\n  {}", problems.join("\n  "));
	}

	// What the chain already holds from this issuer, proven: the same credential is done
	// (an earlier, interrupted run); another one under the same hash is a conflict.
	let (at_block, _) = chain.finalized_head().await?;
	let mut pending = Vec::new();
	let mut already = 0usize;
	for chunk in entries.chunks(512) {
		let keys: Vec<Vec<u8>> = chunk
			.iter()
			.map(|e| Credentials::<Runtime>::hashed_key_for(e.document_hash, &issuer))
			.collect();
		for (e, value) in chunk.iter().zip(chain.proven_raw(&keys, at_block).await?) {
			let record = value
				.map(|v| codec::Decode::decode(&mut &v[..]))
				.transpose()
				.context("undecodable credential")?;
			match record {
				Some(CredentialRecord::<AccountId> { subject, kind, .. })
					if subject == e.subject && kind == e.kind =>
				{
					already += 1
				},
				Some(_) => problems.push(format!(
					"line {}: {} is already recorded by this issuer for another subject or kind",
					e.line, e.file
				)),
				None => pending.push(e),
			}
		}
	}
	if !problems.is_empty() {
		bail!("nothing was issued:\n  {}", problems.join("\n  "));
	}
	if dry_run {
		out.show(
			json!({ "documents": entries.len(), "alreadyIssued": already, "toIssue": pending.len(), "dryRun": true }),
			|| {
				format!(
					"{} documents: {already} already issued, {} to issue; nothing sent (dry run)",
					entries.len(),
					pending.len()
				)
			},
		);
		return Ok(());
	}
	let pair = signer.pair()?;
	let started = std::time::Instant::now();
	let bar = progress(pending.len() as u64, "issuing", out.json);
	let calls = pending
		.chunks(batch)
		.map(|chunk| {
			let calls = chunk
				.iter()
				.map(|e| {
					RuntimeCall::IdentityRegistry(RegistryCall::issue_credential {
						document_hash: e.document_hash,
						subject: e.subject,
						kind: e.kind,
						issued_on: e.issued_on,
						expires_on: e.expires_on,
					})
				})
				.collect();
			RuntimeCall::Utility(pallet_utility::Call::batch_all { calls })
		})
		.collect();
	let mut landed = Box::pin(chain.send_pipelined(&pair, calls, IN_FLIGHT).await?);
	let mut issued = 0usize;
	for chunk in pending.chunks(batch) {
		landed
			.next()
			.await
			.ok_or_else(|| anyhow!("a batch was never sent"))?
			.with_context(|| format!("after {issued} credentials (run again to resume)"))?;
		issued += chunk.len();
		bar.inc(chunk.len() as u64);
	}
	bar.finish_and_clear();
	let seconds = started.elapsed().as_secs_f64();
	out.show(
		json!({ "documents": entries.len(), "alreadyIssued": already, "issued": issued, "seconds": seconds }),
		|| format!("{issued} credentials issued in {seconds:.1} s; {already} were issued before"),
	);
	Ok(())
}

/// `egov credential check`: the proven record and its status today; `Rejected` unless valid.
async fn check(chain: &Chain, document_hash: H256, issuer: &AccountId, out: &Output) -> Result<()> {
	let (at, number) = chain.finalized_head().await?;
	let record: Option<CredentialRecord<AccountId>> = chain
		.proven(&Credentials::<Runtime>::hashed_key_for(document_hash, issuer), at)
		.await?;
	let status =
		record.map_or(CredentialStatus::Unknown, |r| r.status_on(crate::elections::today()));
	let valid = matches!(status, CredentialStatus::Valid { .. });
	let verdict = match &status {
		CredentialStatus::Unknown => "unknown",
		CredentialStatus::Valid { .. } => "valid",
		CredentialStatus::Revoked { .. } => "revoked",
		CredentialStatus::Expired { .. } => "expired",
	};
	out.show(
		json!({
			"documentHash": to_hex(document_hash.as_bytes()),
			"issuer": issuer.to_ss58check(),
			"status": verdict,
			"detail": format!("{status:?}"),
			"finalized": number,
			"trust": chain.trust(),
		}),
		|| {
			format!(
				"{}: {} (issuer {}, finalized #{number}; {})\n{status:?}",
				to_hex(document_hash.as_bytes()),
				verdict.to_uppercase(),
				issuer.to_ss58check(),
				chain.trust()
			)
		},
	);
	if valid {
		Ok(())
	} else {
		Err(Rejected.into())
	}
}
