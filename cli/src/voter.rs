//! The voter's side: seal a ballot, then cast it or audit it (Benaloh challenge), check an
//! audited ballot on any device, look up a tracking code, check eligibility.
//!
//! Nothing here believes the node's word for what it decides on: the election key, the
//! voter's citizen id and the counted ballot are read with storage proofs against the
//! finalized block, and the tracking code is computed here, not taken from an event.
//!
//! The Benaloh challenge works because the client cannot tell, while it encrypts, whether
//! the ballot will be cast or opened: it seals first, shows the tracking code, and only
//! then learns the voter's decision. An opened (audited) ballot is spoiled: its file format
//! cannot be cast, and `egov verify-audit --against-chain` shows whether it was cast anyway.

use crate::{
	chain::{account_of, parse_account, to_hex, unhex, AccountId, Chain, Endpoint},
	elections::{elections_event, Output},
	record::StoredElection,
	secret::{signer, write_secret_file, SignerArgs},
};
use anyhow::{anyhow, bail, Context, Result};
use clap::{Args, ValueEnum};
use codec::{Decode, DecodeAll, Encode};
use egov_ballot::{BallotContext, BallotOpening, BallotSpec, EncryptedBallot};
use egov_primitives::CitizenId;
use egov_runtime::{Runtime, RuntimeCall};
use pallet_elections::{
	BallotKind, Call as ElectionsCall, CastBallotOf, ElectionId, Event as ElectionsEvent,
	VoterEligibility,
};
use polkadot_sdk::sp_core::{crypto::Ss58Codec, H256};
use rand_core::OsRng;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::{
	io::{BufRead, IsTerminal, Write},
	path::{Path, PathBuf},
};

#[derive(Args)]
pub struct VoteArgs {
	/// The election to vote in (not needed with --cast or --audit).
	pub election: Option<ElectionId>,
	#[command(flatten)]
	pub signer: SignerArgs,
	/// Chosen options, by label or index from 0 (repeat for approval ballots).
	#[arg(long = "choice")]
	pub choices: Vec<String>,
	/// Seal only: encrypt the ballot, print its tracking code and keep it in FILE (with its
	/// opening; readable by you only). Then decide: `--cast FILE` or `--audit FILE`.
	#[arg(long, value_name = "FILE", conflicts_with_all = ["cast", "audit"])]
	pub seal: Option<PathBuf>,
	/// Cast a ballot sealed with --seal (the file is deleted once the ballot counts).
	#[arg(long, value_name = "FILE", conflicts_with = "audit")]
	pub cast: Option<PathBuf>,
	/// Audit a ballot sealed with --seal: write its opening to --audit-out for any device to
	/// check (`egov verify-audit`). An audited ballot is spoiled and can never be cast.
	#[arg(long, value_name = "FILE")]
	pub audit: Option<PathBuf>,
	/// Where --audit writes the opened ballot (default: the sealed file's name with
	/// `.audit.json`).
	#[arg(long, value_name = "FILE", requires = "audit")]
	pub audit_out: Option<PathBuf>,
	/// Submit even if the runtime API says the signer may not vote (to see the chain refuse).
	#[arg(long, hide = true)]
	pub skip_checks: bool,
	/// Testing the chain's defences: submit a deliberately bad ballot.
	#[arg(long, value_enum, hide = true)]
	pub tamper: Option<Tamper>,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Tamper {
	/// Drop the last option's ciphertext (a malformed ballot).
	DropOption,
	/// Build the ballot for another voter's account (a copied ballot).
	OtherVoter,
}

#[derive(Args)]
pub struct VerifyAuditArgs {
	/// The audited ballot (written by `egov vote --audit`).
	pub file: PathBuf,
	/// Also check it against the chain (read with proofs at the finalized block): the key
	/// and options are the election's, and this ballot was never cast.
	#[arg(long)]
	pub against_chain: bool,
}

const SEALED: &str = "egov-sealed-ballot/v1";
const AUDITED: &str = "egov-audited-ballot/v1";

/// A ballot and everything needed to re-check it: sealed (decision pending; the opening is
/// the voter's secret) or audited (opened, spoiled, meant to be shown).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct BallotFile {
	pub format: String,
	pub genesis_hash: String,
	pub election: ElectionId,
	pub title: String,
	pub options: Vec<String>,
	/// SCALE hex of the election's `BallotKind`.
	pub kind: String,
	/// The election key the ballot is encrypted to.
	pub public_key: String,
	pub voter: String,
	pub citizen: CitizenId,
	pub tracking_code: String,
	/// SCALE hex of the `EncryptedBallot`.
	pub ballot: String,
	/// SCALE hex of the `BallotOpening` (choices and encryption randomness).
	pub opening: String,
	/// Audited ballots: the choices the opening shows, by label.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub choices: Option<Vec<String>>,
}

/// The parts of a ballot file, decoded.
struct Opened {
	ctx: BallotContext,
	spec: BallotSpec,
	ballot: EncryptedBallot,
	opening: BallotOpening,
}

impl BallotFile {
	fn decode(&self) -> Result<Opened> {
		let genesis: [u8; 32] =
			unhex(&self.genesis_hash)?.try_into().map_err(|_| anyhow!("bad genesis hash"))?;
		let public_key: [u8; 32] =
			unhex(&self.public_key)?.try_into().map_err(|_| anyhow!("bad election key"))?;
		let voter = AccountId::from_ss58check(&self.voter)
			.map_err(|e| anyhow!("bad voter {}: {e:?}", self.voter))?;
		let kind =
			BallotKind::decode_all(&mut &unhex(&self.kind)?[..]).context("bad ballot kind")?;
		let options = u32::try_from(self.options.len()).map_err(|_| anyhow!("too many options"))?;
		Ok(Opened {
			ctx: BallotContext {
				genesis_hash: genesis,
				election_id: self.election,
				voter: voter.encode(),
				public_key,
			},
			spec: kind.spec(options),
			ballot: EncryptedBallot::decode_all(&mut &unhex(&self.ballot)?[..])
				.context("the ballot does not decode")?,
			opening: BallotOpening::decode_all(&mut &unhex(&self.opening)?[..])
				.context("the opening does not decode")?,
		})
	}

	fn read(path: &Path) -> Result<Self> {
		serde_json::from_str(
			&std::fs::read_to_string(path)
				.with_context(|| format!("reading {}", path.display()))?,
		)
		.with_context(|| format!("{} is not a ballot file", path.display()))
	}
}

/// What an audit found: the choices the ballot encrypts, and every check that failed.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditVerdict {
	pub election: ElectionId,
	pub tracking_code: String,
	pub choices: Vec<String>,
	pub failures: Vec<String>,
	pub ok: bool,
}

/// Checks an audited ballot on its own: the opening re-encrypts to exactly the ballot's
/// ciphertexts under the stated key and context, its proofs hold, the tracking code is the
/// ballot's, and the choices shown are the opening's. Never panics on any input.
pub fn check_audit(file: &BallotFile) -> AuditVerdict {
	let mut failures = Vec::new();
	let mut choices = Vec::new();
	if file.format != AUDITED {
		failures.push(format!("not an audited ballot (format {:?})", file.format));
	}
	match file.decode() {
		Err(e) => failures.push(format!("{e:#}")),
		Ok(o) => {
			if egov_ballot::audit_ballot(&o.ctx, &o.spec, &o.ballot, &o.opening).is_err() {
				failures.push(
					"the opening does not match the ballot: it does not encrypt the choices \
					 shown"
						.into(),
				);
			}
			if egov_ballot::verify_ballot(&o.ctx, &o.spec, &o.ballot).is_err() {
				failures.push("the ballot's proofs do not hold".into());
			}
			let code = pallet_elections::tracking_code(
				file.election,
				file.citizen,
				&o.ctx.voter,
				&o.ballot,
			);
			if to_hex(code.as_bytes()) != file.tracking_code {
				failures.push("the tracking code is not this ballot's".into());
			}
			choices = chosen_labels(&o.opening, &file.options);
			if file.choices.as_ref() != Some(&choices) {
				failures.push(format!(
					"the choices shown ({:?}) are not the ones the opening holds ({choices:?})",
					file.choices.clone().unwrap_or_default()
				));
			}
		},
	}
	AuditVerdict {
		election: file.election,
		tracking_code: file.tracking_code.clone(),
		choices,
		ok: failures.is_empty(),
		failures,
	}
}

/// The election at the finalized block, proven.
pub async fn proven_election(chain: &Chain, id: ElectionId) -> Result<(StoredElection, H256)> {
	let (at, number) = chain.finalized_head().await?;
	let key = pallet_elections::Elections::<Runtime>::hashed_key_for(id);
	let e = chain
		.proven(&key, at)
		.await?
		.ok_or_else(|| anyhow!("no election {id} at the finalized block #{number}"))?;
	Ok((e, at))
}

async fn proven_citizen(chain: &Chain, who: &AccountId, at: H256) -> Result<CitizenId> {
	let key = pallet_identity_registry::CitizenOf::<Runtime>::hashed_key_for(who);
	chain.proven(&key, at).await?.ok_or_else(|| {
		anyhow!("{} is not a registered citizen (Elections.NotACitizen)", who.to_ss58check())
	})
}

async fn proven_ballot(
	chain: &Chain,
	election: ElectionId,
	citizen: CitizenId,
	at: H256,
) -> Result<Option<CastBallotOf<Runtime>>> {
	let key = pallet_elections::Ballots::<Runtime>::hashed_key_for(election, citizen);
	chain.proven(&key, at).await
}

/// The labels of the options an opening selects, in ballot order.
fn chosen_labels(opening: &BallotOpening, options: &[String]) -> Vec<String> {
	opening
		.choices
		.iter()
		.zip(options)
		.filter(|(chosen, _)| **chosen)
		.map(|(_, label)| label.clone())
		.collect()
}

fn choices_of(options: &[String], picks: &[String]) -> Result<Vec<bool>> {
	let labels: Vec<String> = options.iter().map(|o| o.to_lowercase()).collect();
	let mut choices = vec![false; labels.len()];
	for p in picks {
		let i = labels
			.iter()
			.position(|l| *l == p.to_lowercase())
			.or_else(|| p.parse::<usize>().ok().filter(|i| *i < labels.len()))
			.ok_or_else(|| anyhow!("no option {p:?}; options are {options:?}"))?;
		choices[i] = true;
	}
	Ok(choices)
}

fn label(b: &[u8]) -> String {
	String::from_utf8_lossy(b).into_owned()
}

/// Encrypts the voter's choices to the proven election key and computes the tracking code.
async fn seal(chain: &Chain, args: &VoteArgs, voter: &AccountId) -> Result<BallotFile> {
	let id = args.election.ok_or_else(|| anyhow!("which election? give its id"))?;
	let (e, at) = proven_election(chain, id).await?;
	let public_key = e
		.public_key
		.ok_or_else(|| anyhow!("the election key is not ready at the finalized block"))?;
	let citizen = proven_citizen(chain, voter, at).await?;
	if !args.skip_checks {
		// The node's advice only (a node can always refuse to serve); the chain checks
		// eligibility itself when the ballot arrives.
		let eligibility: VoterEligibility = chain
			.runtime_call("ElectionsApi_voter_eligibility", (id, voter.clone()), None)
			.await?;
		let refusal = match eligibility {
			VoterEligibility::Eligible { .. } => None,
			VoterEligibility::NoSuchElection => Some("NoSuchElection"),
			VoterEligibility::NotACitizen => Some("NotACitizen"),
			VoterEligibility::NotActive => Some("CitizenNotActive"),
			VoterEligibility::Minor => Some("NotAnAdult"),
			VoterEligibility::OutOfDistrict => Some("OutOfDistrict"),
			VoterEligibility::NoBallotsLeft => Some("NoBallotsLeft"),
			VoterEligibility::NotOnTheRoll => Some("NotOnTheRoll"),
		};
		if let Some(name) = refusal {
			bail!("not eligible to vote in election {id}: Elections.{name}");
		}
	}
	let options: Vec<String> = e.params.options.iter().map(|o| label(o)).collect();
	let spec = e.params.kind.spec(options.len() as u32);
	let mut ctx = BallotContext {
		genesis_hash: chain.genesis_hash.0,
		election_id: id,
		voter: voter.encode(),
		public_key,
	};
	if let Some(Tamper::OtherVoter) = args.tamper {
		ctx.voter = account_of(&signer("//EgovSomeoneElse")?).encode();
	}
	let choices = choices_of(&options, &args.choices)?;
	let (mut ballot, opening) = egov_ballot::encrypt_ballot(&ctx, &spec, &choices, &mut OsRng)
		.map_err(|e| anyhow!("cannot build this ballot: {e:?}"))?;
	if let Some(Tamper::DropOption) = args.tamper {
		ballot.ciphertexts.pop();
	}
	let code = pallet_elections::tracking_code(id, citizen, &voter.encode(), &ballot);
	Ok(BallotFile {
		format: SEALED.into(),
		genesis_hash: to_hex(chain.genesis_hash.as_bytes()),
		election: id,
		title: label(&e.params.title),
		options,
		kind: to_hex(&e.params.kind.encode()),
		public_key: to_hex(&public_key),
		voter: voter.to_ss58check(),
		citizen,
		tracking_code: to_hex(code.as_bytes()),
		ballot: to_hex(&ballot.encode()),
		opening: to_hex(&opening.encode()),
		choices: None,
	})
}

/// Spoils a sealed ballot: the same file with its choices shown and the audited format.
fn audited(mut sealed: BallotFile) -> Result<BallotFile> {
	if sealed.format != SEALED {
		bail!("not a sealed ballot (format {:?})", sealed.format);
	}
	let opening = BallotOpening::decode(&mut &unhex(&sealed.opening)?[..])
		.context("the opening does not decode")?;
	sealed.choices = Some(chosen_labels(&opening, &sealed.options));
	sealed.format = AUDITED.into();
	Ok(sealed)
}

/// Casts a sealed ballot, waits for finality and proves it counted: the ballot stored for
/// this citizen at the finalized block is this one, with this tracking code.
async fn cast(
	chain: &Chain,
	pair: &polkadot_sdk::sp_core::sr25519::Pair,
	sealed: &BallotFile,
	out: &Output,
) -> Result<()> {
	if sealed.format == AUDITED {
		bail!("this ballot was audited (opened): it is spoiled and is never cast; seal a new one");
	}
	if sealed.format != SEALED {
		bail!("not a sealed ballot (format {:?})", sealed.format);
	}
	if sealed.genesis_hash != to_hex(chain.genesis_hash.as_bytes()) {
		bail!("this ballot was sealed for another chain");
	}
	let voter = account_of(pair);
	if sealed.voter != voter.to_ss58check() {
		bail!("this ballot was sealed for {}, not for the signer", sealed.voter);
	}
	let ballot = EncryptedBallot::decode(&mut &unhex(&sealed.ballot)?[..])
		.context("the ballot does not decode")?;
	let call = RuntimeCall::Elections(ElectionsCall::cast_ballot {
		election: sealed.election,
		ballot: ballot.clone(),
	});
	let inc = chain.send(pair, call).await?;
	let Some(ElectionsEvent::BallotCast { tracking_code, .. }) = elections_event(&inc.events)
	else {
		bail!("no BallotCast event");
	};
	if to_hex(tracking_code.as_bytes()) != sealed.tracking_code {
		bail!("the chain's tracking code differs from the one computed here");
	}
	let counted = proven_ballot(chain, sealed.election, sealed.citizen, inc.block_hash)
		.await?
		.filter(|b| {
			b.ballot == ballot && to_hex(b.tracking_code.as_bytes()) == sealed.tracking_code
		})
		.ok_or_else(|| anyhow!("the finalized block does not hold this ballot"))?;
	let finalized = chain.block_number(inc.block_hash).await?;
	let superseded = counted.superseded.last().map(|s| to_hex(s.as_bytes()));
	out.show(
		json!({
			"election": sealed.election,
			"trackingCode": sealed.tracking_code,
			"superseded": superseded,
			"block": to_hex(inc.block_hash.as_bytes()),
			"finalized": finalized,
			"proven": true,
		}),
		|| {
			format!(
				"ballot counted in election {}: tracking code {} (proven in finalized block \
				 #{finalized}){}",
				sealed.election,
				sealed.tracking_code,
				if superseded.is_some() { "; it replaces your previous ballot" } else { "" }
			)
		},
	);
	Ok(())
}

fn audit_path(sealed: &Path) -> PathBuf {
	let stem = sealed.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
	sealed.with_file_name(format!("{stem}.audit.json"))
}

/// Writes the opened ballot where the voter (or anyone) can check it.
fn write_audit(file: &BallotFile, path: &Path, out: &Output) -> Result<()> {
	let opened = audited(file.clone())?;
	std::fs::write(path, serde_json::to_string_pretty(&opened)?)
		.with_context(|| format!("writing {}", path.display()))?;
	out.show(
		json!({
			"election": opened.election,
			"audited": opened.tracking_code,
			"choices": opened.choices,
			"file": path,
		}),
		|| {
			format!(
				"ballot {} opened: it encrypts {:?}. It is spoiled and will not be cast.\n\
				 Check it on another device: egov verify-audit {}",
				opened.tracking_code,
				opened.choices.clone().unwrap_or_default(),
				path.display()
			)
		},
	);
	Ok(())
}

fn ask(question: &str) -> Result<String> {
	eprint!("{question}");
	std::io::stderr().flush()?;
	let mut line = String::new();
	std::io::stdin().lock().read_line(&mut line)?;
	Ok(line.trim().to_lowercase())
}

pub async fn vote(url: &Endpoint, args: VoteArgs, out: &Output) -> Result<()> {
	if let Some(path) = &args.audit {
		// Offline: opening a ballot needs no node and no key.
		let sealed = BallotFile::read(path)?;
		let target = args.audit_out.clone().unwrap_or_else(|| audit_path(path));
		write_audit(&sealed, &target, out)?;
		// The opening is out: this ballot must never be cast.
		std::fs::remove_file(path).with_context(|| format!("removing {}", path.display()))?;
		return Ok(());
	}
	let pair = args.signer.pair()?;
	let chain = Chain::connect(url).await?;
	if let Some(path) = &args.cast {
		let sealed = BallotFile::read(path)?;
		cast(&chain, &pair, &sealed, out).await?;
		// Counted: the opening would only show a coercer how this voter voted.
		std::fs::remove_file(path).with_context(|| format!("removing {}", path.display()))?;
		return Ok(());
	}
	let voter = account_of(&pair);
	if let Some(path) = &args.seal {
		let sealed = seal(&chain, &args, &voter).await?;
		write_secret_file(path, &serde_json::to_string_pretty(&sealed)?)?;
		out.show(
			json!({ "election": sealed.election, "trackingCode": sealed.tracking_code, "sealed": path }),
			|| {
				format!(
					"ballot sealed; tracking code {}\nnow either cast it:   egov vote --cast {}\n\
					 or audit it:           egov vote --audit {}",
					sealed.tracking_code,
					path.display(),
					path.display()
				)
			},
		);
		return Ok(());
	}
	// On a terminal: seal, show the code, then ask; audit as often as the voter likes.
	let interactive = !out.json && std::io::stdin().is_terminal();
	loop {
		let sealed = seal(&chain, &args, &voter).await?;
		if !interactive {
			return cast(&chain, &pair, &sealed, out).await;
		}
		println!("ballot sealed; tracking code {}", sealed.tracking_code);
		match ask("[c]ast it, [a]udit it (open it to check, then seal a new one), or [q]uit? ")?
			.as_str()
		{
			"c" | "cast" => return cast(&chain, &pair, &sealed, out).await,
			"a" | "audit" => {
				let prefix = sealed.tracking_code.get(2..18).unwrap_or("ballot").to_string();
				write_audit(&sealed, Path::new(&format!("audit-{prefix}.json")), out)?;
			},
			_ => {
				println!("nothing cast");
				return Ok(());
			},
		}
	}
}

pub async fn verify_audit(url: &Endpoint, args: VerifyAuditArgs, out: &Output) -> Result<()> {
	let file = BallotFile::read(&args.file)?;
	let mut verdict = check_audit(&file);
	if args.against_chain {
		let chain = Chain::connect(url).await?;
		let failures = against_chain(&chain, &file).await?;
		verdict.ok &= failures.is_empty();
		verdict.failures.extend(failures);
	}
	out.show(serde_json::to_value(&verdict)?, || {
		if verdict.ok {
			format!(
				"AUDIT PASSED: ballot {} encrypts exactly {:?}{}",
				verdict.tracking_code,
				verdict.choices,
				if args.against_chain {
					" under the election's key, and was never cast"
				} else {
					""
				}
			)
		} else {
			format!("AUDIT FAILED:\n  - {}", verdict.failures.join("\n  - "))
		}
	});
	if !verdict.ok {
		return Err(crate::Rejected.into());
	}
	Ok(())
}

/// What only the chain can say about an audited ballot, read with proofs at the finalized
/// block: the key, options and kind are the election's, the voter is the citizen, and this
/// ballot is not the one counted for them.
async fn against_chain(chain: &Chain, file: &BallotFile) -> Result<Vec<String>> {
	let mut failures = Vec::new();
	if file.genesis_hash != to_hex(chain.genesis_hash.as_bytes()) {
		failures.push("the ballot was made for another chain".into());
		return Ok(failures);
	}
	let (e, at) = proven_election(chain, file.election).await?;
	if e.public_key.map(|k| to_hex(&k)) != Some(file.public_key.clone()) {
		failures.push("the ballot is encrypted to a key that is not the election's".into());
	}
	let options: Vec<String> = e.params.options.iter().map(|o| label(o)).collect();
	if options != file.options || to_hex(&e.params.kind.encode()) != file.kind {
		failures.push("the options or ballot kind shown are not the election's".into());
	}
	let voter = parse_account(&file.voter)?;
	match proven_citizen(chain, &voter, at).await {
		Ok(c) if c == file.citizen => {},
		_ => failures.push(format!("{} is not citizen {}", file.voter, file.citizen)),
	}
	let counted = proven_ballot(chain, file.election, file.citizen, at).await?;
	if counted.is_some_and(|b| to_hex(b.tracking_code.as_bytes()) == file.tracking_code) {
		failures.push(
			"this audited (spoiled) ballot was cast and is counted: the client that opened it \
			 cast it anyway"
				.into(),
		);
	}
	Ok(failures)
}

/// Looks up a tracking code, proven against the finalized block.
pub async fn track(url: &Endpoint, code: &str, out: &Output) -> Result<()> {
	let chain = Chain::connect(url).await?;
	let bytes = unhex(code)?;
	if bytes.len() != 32 {
		bail!("a tracking code is 32 bytes of hex");
	}
	let code = H256::from_slice(&bytes);
	let (election, citizen) = pallet_elections::tracking_code_owner(&code);
	let (at, number) = chain.finalized_head().await?;
	let stored = proven_ballot(&chain, election, citizen, at).await?;
	let (name, cast_at) = match &stored {
		Some(b) if b.tracking_code == code => ("counted", Some(b.cast_at)),
		Some(b) if b.superseded.contains(&code) => ("superseded", None),
		_ => ("unknown", None),
	};
	let election = (name != "unknown").then_some(election);
	out.show(
		json!({
			"status": name,
			"election": election,
			"castAt": cast_at,
			"finalized": number,
			"proven": true,
			"trust": chain.trust(),
		}),
		|| match name {
			"counted" => format!(
				"counted in election {} (cast in block {}; proven at finalized block #{number})",
				election.unwrap_or_default(),
				cast_at.unwrap_or_default()
			),
			"superseded" => format!(
				"superseded by a later ballot in election {} (proven at finalized block #{number})",
				election.unwrap_or_default()
			),
			_ => format!(
				"unknown: no ballot with this code is in the finalized state (block #{number})"
			),
		},
	);
	Ok(())
}

pub async fn eligibility(
	url: &Endpoint,
	election: ElectionId,
	account: &str,
	out: &Output,
) -> Result<()> {
	let chain = Chain::connect(url).await?;
	let who = parse_account(account)?;
	let v: VoterEligibility = chain
		.runtime_call("ElectionsApi_voter_eligibility", (election, who), None)
		.await?;
	let name = format!("{v:?}");
	out.show(json!({ "election": election, "eligibility": name }), || name.clone());
	Ok(())
}
