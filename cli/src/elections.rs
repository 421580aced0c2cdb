//! Election commands: commission, trustees, verifier (the voter's side is in `voter`).

use crate::{
	chain::{
		account_of, parse_account, storage_prefix, to_hex, twox64_concat, AccountId, Chain,
		Endpoint,
	},
	record::{self, ElectionRecord, StoredElection},
	secret::{write_secret_file, SignerArgs},
};
use anyhow::{anyhow, bail, Context, Result};
use clap::{Args, Subcommand, ValueEnum};
use egov_ballot::{
	Ciphertext, Complaint, Dealing, DecryptionShare, DkgContext, Scalar, TransportKey,
};
use egov_runtime::{RuntimeCall, RuntimeEvent};
use pallet_elections::{
	BallotKind, Call as ElectionsCall, ElectionId, ElectionParams, Event as ElectionsEvent, Moment,
};
use polkadot_sdk::{frame_support::BoundedVec, sp_core::crypto::Ss58Codec};
use rand_core::OsRng;
use serde_json::json;
use std::path::PathBuf;

pub struct Output {
	pub json: bool,
}

impl Output {
	/// Prints `value` as JSON, or `text` for people.
	pub fn show(&self, value: serde_json::Value, text: impl FnOnce() -> String) {
		if self.json {
			println!("{value}");
		} else {
			println!("{}", text());
		}
	}
}

/// A progress bar on stderr, hidden for `--json` runs.
pub fn progress(len: u64, msg: &'static str, hidden: bool) -> indicatif::ProgressBar {
	if hidden {
		return indicatif::ProgressBar::hidden();
	}
	let pb = indicatif::ProgressBar::new(len);
	pb.set_style(
		indicatif::ProgressStyle::with_template(
			"{msg:>20} [{bar:40}] {pos}/{len} ({per_sec}, eta {eta})",
		)
		.unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
		.progress_chars("=> "),
	);
	pb.set_message(msg);
	pb
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Kind {
	Referendum,
	SingleChoice,
	Approval,
}

#[derive(Subcommand)]
pub enum ElectionCommand {
	/// Create an election (signer must hold the election-commission role).
	Create {
		#[command(flatten)]
		signer: SignerArgs,
		#[arg(long)]
		title: String,
		#[arg(long, value_enum)]
		kind: Kind,
		/// For approval ballots: most options a voter may approve.
		#[arg(long)]
		max_selections: Option<u32>,
		/// Option or candidate labels, in ballot order (repeat).
		#[arg(long = "option", required = true)]
		options: Vec<String>,
		/// Districts whose residents may vote (repeat); none means all.
		#[arg(long = "district")]
		districts: Vec<u32>,
		/// Voting may open this many blocks from now.
		#[arg(long, default_value_t = 1)]
		opens_in: u32,
		/// Voting closes this many blocks from now.
		#[arg(long)]
		closes_in: u32,
		/// Voters must be adults on this day (days since 1970-01-01); default today.
		#[arg(long)]
		election_day: Option<u32>,
		/// Trustee accounts in index order (repeat; SS58 or //Dev URI).
		#[arg(long = "trustee", required = true)]
		trustees: Vec<String>,
		#[arg(long)]
		threshold: u32,
	},
	/// Open voting (commission).
	Open {
		election: ElectionId,
		#[command(flatten)]
		signer: SignerArgs,
	},
	/// Close voting once its closing moment has come (anyone).
	Close {
		election: ElectionId,
		#[command(flatten)]
		signer: SignerArgs,
	},
	/// Cancel before voting opens (commission).
	Cancel {
		election: ElectionId,
		#[arg(long)]
		reason: String,
		#[command(flatten)]
		signer: SignerArgs,
	},
	/// Show an election: parameters, status, turnout, result.
	Show { election: ElectionId },
	/// Combine the trustees' shares, find the counts and post them (anyone); the runtime
	/// accepts them only if they match.
	Publish {
		election: ElectionId,
		#[command(flatten)]
		signer: SignerArgs,
		/// Post these counts instead of the decrypted ones (to see the runtime refuse them).
		#[arg(long, value_delimiter = ',')]
		counts: Option<Vec<u64>>,
	},
	/// Write the election record (everything needed to recount) to a file.
	Export {
		election: ElectionId,
		#[arg(long)]
		out: PathBuf,
	},
}

#[derive(Subcommand)]
pub enum TrusteeCommand {
	/// Step 1: make a transport key, keep its secret in --key-file, post the key.
	Keygen {
		election: ElectionId,
		#[command(flatten)]
		signer: SignerArgs,
		#[arg(long)]
		key_file: PathBuf,
	},
	/// Step 2 (after every trustee's step 1): deal shares of a fresh secret to every trustee.
	Deal {
		election: ElectionId,
		#[command(flatten)]
		signer: SignerArgs,
		#[arg(long)]
		key_file: PathBuf,
		/// Testing the chain's defences: deal this trustee (by index) a share that does not
		/// match the commitments, as a saboteur would.
		#[arg(long, hide = true)]
		corrupt_share_for: Option<u32>,
	},
	/// Step 3 (after every trustee's step 2): open every share addressed to you and check it
	/// against its dealer's commitments; for each that does not open, post a complaint that
	/// convicts its dealer; then confirm. The key is ready when every trustee has.
	Confirm {
		election: ElectionId,
		#[command(flatten)]
		signer: SignerArgs,
		#[arg(long)]
		key_file: PathBuf,
	},
	/// After voting closes: open your key share from the dealings, decrypt your share of the
	/// tally with a proof, post it.
	Decrypt {
		election: ElectionId,
		#[command(flatten)]
		signer: SignerArgs,
		#[arg(long)]
		key_file: PathBuf,
	},
}

#[derive(Args)]
pub struct VerifyArgs {
	/// The election to recount from the node's finalized state.
	pub election: Option<ElectionId>,
	/// Verify this exported record instead of reading the chain.
	#[arg(long)]
	pub record: Option<PathBuf>,
	/// Also write the record read from the chain to this file.
	#[arg(long)]
	pub out: Option<PathBuf>,
	/// The hash of the block the record must be of: one you trust (published by parties
	/// you trust, or read from the relay chain). Without it the verdict is not anchored.
	#[arg(long)]
	pub checkpoint: Option<String>,
	/// The genesis hash of the chain the record must be of.
	#[arg(long)]
	pub genesis: Option<String>,
}

/// Today's day number (days since 1970-01-01, UTC) on this machine.
pub(crate) fn today() -> u32 {
	let secs = std::time::SystemTime::now()
		.duration_since(std::time::UNIX_EPOCH)
		.map(|d| d.as_secs())
		.unwrap_or_default();
	(secs / 86_400) as u32
}

fn bounded<S: polkadot_sdk::frame_support::traits::Get<u32>, T: Clone>(
	v: Vec<T>,
	what: &str,
) -> Result<BoundedVec<T, S>> {
	BoundedVec::try_from(v).map_err(|_| anyhow!("too many {what}"))
}

/// The election at the finalized block, proven.
async fn election_at(chain: &Chain, id: ElectionId) -> Result<StoredElection> {
	Ok(crate::voter::proven_election(chain, id).await?.0)
}

fn trustee_index(e: &StoredElection, who: &AccountId) -> Result<u32> {
	e.params
		.trustees
		.iter()
		.position(|t| t == who)
		.map(|i| i as u32 + 1)
		.ok_or_else(|| anyhow!("{} is not a trustee of this election", who.to_ss58check()))
}

fn dkg_ctx(chain: &Chain, id: ElectionId, e: &StoredElection, index: u32) -> DkgContext {
	DkgContext {
		genesis_hash: chain.genesis_hash.0,
		election_id: id,
		trustee_index: index,
		trustees: e.params.trustees.len() as u32,
		threshold: e.params.threshold,
	}
}

fn key_ready(events: &[RuntimeEvent]) -> bool {
	events
		.iter()
		.any(|e| matches!(e, RuntimeEvent::Elections(ElectionsEvent::ElectionKeyReady { .. })))
}

pub fn elections_event(events: &[RuntimeEvent]) -> Option<&ElectionsEvent<egov_runtime::Runtime>> {
	events.iter().find_map(|e| match e {
		RuntimeEvent::Elections(ev) => Some(ev),
		_ => None,
	})
}

pub async fn election(url: &Endpoint, cmd: ElectionCommand, out: &Output) -> Result<()> {
	let chain = Chain::connect(url).await?;
	match cmd {
		ElectionCommand::Create {
			signer,
			title,
			kind,
			max_selections,
			options,
			districts,
			opens_in,
			closes_in,
			election_day,
			trustees,
			threshold,
		} => {
			let pair = signer.pair()?;
			let (_, best) = chain.best_head().await?;
			let kind = match kind {
				Kind::Referendum => BallotKind::Referendum,
				Kind::SingleChoice => BallotKind::SingleChoice,
				Kind::Approval => BallotKind::Approval {
					max_selections: max_selections
						.ok_or_else(|| anyhow!("approval ballots need --max-selections"))?,
				},
			};
			let params = ElectionParams {
				title: bounded(title.into_bytes(), "title bytes")?,
				kind,
				options: bounded(
					options
						.into_iter()
						.map(|o| bounded(o.into_bytes(), "label bytes"))
						.collect::<Result<Vec<_>>>()?,
					"options",
				)?,
				districts: bounded(districts, "districts")?,
				voting_opens: Moment::Block(best + opens_in),
				voting_closes: Moment::Block(best + closes_in),
				election_day: election_day.unwrap_or_else(today),
				trustees: bounded(
					trustees.iter().map(|t| parse_account(t)).collect::<Result<Vec<_>>>()?,
					"trustees",
				)?,
				threshold,
			};
			let inc = chain
				.send(&pair, RuntimeCall::Elections(ElectionsCall::create_election { params }))
				.await?;
			let Some(ElectionsEvent::ElectionCreated { election, .. }) =
				elections_event(&inc.events)
			else {
				bail!("no ElectionCreated event");
			};
			out.show(
				json!({ "election": election, "block": to_hex(inc.block_hash.as_bytes()) }),
				|| {
					format!("election {election} created; trustees may now run `egov trustee keygen {election}`")
				},
			);
		},
		ElectionCommand::Open { election, signer } => {
			chain
				.send(
					&signer.pair()?,
					RuntimeCall::Elections(ElectionsCall::open_voting { election }),
				)
				.await?;
			out.show(json!({ "election": election, "status": "Voting" }), || {
				format!("election {election}: voting open")
			});
		},
		ElectionCommand::Close { election, signer } => {
			let inc = chain
				.send(
					&signer.pair()?,
					RuntimeCall::Elections(ElectionsCall::close_voting { election }),
				)
				.await?;
			let voters = match elections_event(&inc.events) {
				Some(ElectionsEvent::VotingClosed { voters, .. }) => *voters,
				_ => 0,
			};
			out.show(
				json!({ "election": election, "status": "Tallying", "voters": voters }),
				|| {
					format!("election {election}: voting closed with {voters} voters; trustees may decrypt")
				},
			);
		},
		ElectionCommand::Cancel { election, reason, signer } => {
			let reason = bounded(reason.into_bytes(), "reason bytes")?;
			chain
				.send(
					&signer.pair()?,
					RuntimeCall::Elections(ElectionsCall::cancel_election { election, reason }),
				)
				.await?;
			out.show(json!({ "election": election, "status": "Cancelled" }), || {
				format!("election {election} cancelled")
			});
		},
		ElectionCommand::Show { election } => {
			let e = election_at(&chain, election).await?;
			let result: Option<Vec<u64>> =
				chain.runtime_call("ElectionsApi_result", election, None).await?;
			let turnout: Vec<(u32, u32)> =
				chain.runtime_call("ElectionsApi_turnout", election, None).await?;
			let options: Vec<String> = e
				.params
				.options
				.iter()
				.map(|o| String::from_utf8_lossy(o).into_owned())
				.collect();
			let v = json!({
				"election": election,
				"title": String::from_utf8_lossy(&e.params.title),
				"kind": format!("{:?}", e.params.kind),
				"options": options,
				"status": format!("{:?}", e.status),
				"voters": e.voters,
				"ballotsCast": e.ballots_cast,
				"threshold": e.params.threshold,
				"trustees": e.params.trustees.iter().map(|t| t.to_ss58check()).collect::<Vec<_>>(),
				"publicKey": e.public_key.map(|k| to_hex(&k)),
				"turnout": turnout,
				"result": result,
			});
			out.show(v.clone(), || serde_json::to_string_pretty(&v).unwrap_or_default());
		},
		ElectionCommand::Publish { election, signer, counts } => {
			let e = election_at(&chain, election).await?;
			let counts = match counts {
				Some(c) => c,
				None => decrypt_tally(&chain, election, &e).await?,
			};
			let bounded: pallet_elections::Counts = counts.clone().try_into().map_err(|_| {
				anyhow!("more counts than a ballot has options ({})", egov_ballot::MAX_OPTIONS)
			})?;
			let inc = chain
				.send(
					&signer.pair()?,
					RuntimeCall::Elections(ElectionsCall::publish_result {
						election,
						counts: bounded,
					}),
				)
				.await?;
			let block = to_hex(inc.block_hash.as_bytes());
			out.show(json!({ "election": election, "counts": counts, "block": block }), || {
				let lines: Vec<String> = e
					.params
					.options
					.iter()
					.zip(&counts)
					.map(|(o, c)| format!("  {:<30} {c}", String::from_utf8_lossy(o)))
					.collect();
				format!("election {election}: result accepted by the chain\n{}", lines.join("\n"))
			});
		},
		ElectionCommand::Export { election, out: path } => {
			let record = ElectionRecord::fetch(&chain, election, out.json).await?;
			std::fs::write(&path, serde_json::to_string_pretty(&record)?)?;
			out.show(
				json!({ "election": election, "digest": record.digest, "file": path }),
				|| {
					format!(
						"record of election {election} written to {} (digest {})",
						path.display(),
						record.digest
					)
				},
			);
		},
	}
	Ok(())
}

/// Combines the first `threshold` posted shares and searches the counts.
async fn decrypt_tally(chain: &Chain, id: ElectionId, e: &StoredElection) -> Result<Vec<u64>> {
	let (at, _) = chain.finalized_head().await?;
	let tally: Vec<Ciphertext> = chain
		.storage(&pallet_elections::Tallies::<egov_runtime::Runtime>::hashed_key_for(id), Some(at))
		.await?
		.unwrap_or_default();
	let mut shares = Vec::new();
	for j in 1..=e.params.trustees.len() as u32 {
		let key = [
			storage_prefix("Elections", "DecryptionShares"),
			twox64_concat(&id),
			twox64_concat(&j),
		]
		.concat();
		if let Some(s) = chain.storage::<DecryptionShare>(&key, Some(at)).await? {
			shares.push((j, s));
		}
		if shares.len() as u32 == e.params.threshold {
			break;
		}
	}
	if (shares.len() as u32) < e.params.threshold {
		bail!("{} of {} decryption shares posted", shares.len(), e.params.threshold);
	}
	let refs: Vec<(u32, &DecryptionShare)> = shares.iter().map(|(j, s)| (*j, s)).collect();
	let combined = egov_ballot::combine_shares(&refs, tally.len()).map_err(|e| anyhow!("{e:?}"))?;
	let spec = e.params.kind.spec(e.params.options.len() as u32);
	egov_ballot::decrypt_result(&spec, &tally, &combined, e.voters.into())
		.map_err(|_| anyhow!("the tally does not decrypt to counts within the turnout"))
}

#[derive(serde::Serialize, serde::Deserialize)]
struct KeyFile {
	election: ElectionId,
	trustee_index: u32,
	/// The transport secret: whoever holds it can open this trustee's key shares.
	transport_secret: String,
}

fn read_key_file(path: &PathBuf, id: ElectionId) -> Result<(u32, Scalar)> {
	let kf: KeyFile = serde_json::from_str(
		&std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?,
	)?;
	if kf.election != id {
		bail!("{} is for election {}, not {id}", path.display(), kf.election);
	}
	let bytes: [u8; 32] = hex::decode(kf.transport_secret.trim_start_matches("0x"))?
		.try_into()
		.map_err(|_| anyhow!("bad secret"))?;
	let secret = Option::<Scalar>::from(Scalar::from_canonical_bytes(bytes))
		.ok_or_else(|| anyhow!("bad secret"))?;
	Ok((kf.trustee_index, secret))
}

pub async fn trustee(url: &Endpoint, cmd: TrusteeCommand, out: &Output) -> Result<()> {
	let chain = Chain::connect(url).await?;
	match cmd {
		TrusteeCommand::Keygen { election, signer, key_file } => {
			let pair = signer.pair()?;
			let e = election_at(&chain, election).await?;
			let index = trustee_index(&e, &account_of(&pair))?;
			if key_file.exists() {
				bail!("{} exists; refusing to overwrite a trustee secret", key_file.display());
			}
			let (secret, key) =
				TransportKey::generate(&dkg_ctx(&chain, election, &e, index), &mut OsRng);
			let kf = KeyFile {
				election,
				trustee_index: index,
				transport_secret: to_hex(&secret.to_bytes()),
			};
			write_secret_file(&key_file, &serde_json::to_string_pretty(&kf)?)?;
			chain
				.send(
					&pair,
					RuntimeCall::Elections(ElectionsCall::submit_transport_key { election, key }),
				)
				.await?;
			out.show(json!({ "election": election, "trustee": index }), || {
				format!(
					"trustee {index}: transport key posted; secret kept in {}",
					key_file.display()
				)
			});
		},
		TrusteeCommand::Deal { election, signer, key_file, corrupt_share_for } => {
			let pair = signer.pair()?;
			let (e, at) = crate::voter::proven_election(&chain, election).await?;
			let (index, _) = read_key_file(&key_file, election)?;
			let mut keys = Vec::new();
			for j in 1..=e.params.trustees.len() as u32 {
				let k = [
					storage_prefix("Elections", "TransportKeys"),
					twox64_concat(&election),
					twox64_concat(&j),
				]
				.concat();
				let tk: TransportKey = chain
					.storage(&k, Some(at))
					.await?
					.ok_or_else(|| anyhow!("trustee {j} has not posted a transport key yet"))?;
				tk.verify(&dkg_ctx(&chain, election, &e, j))
					.map_err(|_| anyhow!("trustee {j}'s transport key proof fails"))?;
				keys.push(tk.key);
			}
			let mut dealing =
				Dealing::create(&dkg_ctx(&chain, election, &e, index), &keys, &mut OsRng)
					.map_err(|e| anyhow!("{e:?}"))?;
			if let Some(victim) = corrupt_share_for {
				let share = victim
					.checked_sub(1)
					.and_then(|i| dealing.shares.get_mut(i as usize))
					.ok_or_else(|| anyhow!("no trustee {victim}"))?;
				let masked = Option::<Scalar>::from(Scalar::from_canonical_bytes(share.masked))
					.ok_or_else(|| anyhow!("bad share"))?;
				share.masked = (masked + Scalar::ONE).to_bytes();
			}
			chain
				.send(
					&pair,
					RuntimeCall::Elections(ElectionsCall::submit_dealing { election, dealing }),
				)
				.await?;
			out.show(json!({ "election": election, "trustee": index }), || {
				format!(
					"trustee {index}: dealing posted; once every dealing is in, each trustee \
					 checks its shares (`egov trustee confirm`)"
				)
			});
		},
		TrusteeCommand::Confirm { election, signer, key_file } => {
			let pair = signer.pair()?;
			let (e, at) = crate::voter::proven_election(&chain, election).await?;
			if e.status != pallet_elections::ElectionStatus::KeyGeneration {
				bail!("election {election} is {:?}: key generation is over", e.status);
			}
			let (index, transport_secret) = read_key_file(&key_file, election)?;
			if trustee_index(&e, &account_of(&pair))? != index {
				bail!("the key file is for trustee {index}, the signer is another trustee");
			}
			let n = e.params.trustees.len() as u32;
			let key = |item: &str, j: u32| {
				[storage_prefix("Elections", item), twox64_concat(&election), twox64_concat(&j)]
					.concat()
			};
			let mut complaints = Vec::new();
			let mut ready = false;
			for dealer in (1..=n).filter(|i| *i != index) {
				let dealing: Dealing = chain
					.storage(&key("Dealings", dealer), Some(at))
					.await?
					.ok_or_else(|| anyhow!("trustee {dealer} has not posted a dealing yet"))?;
				let ctx = dkg_ctx(&chain, election, &e, dealer);
				if dealing.open_share(&ctx, index, &transport_secret).is_ok() {
					continue;
				}
				let disqualified: Option<pallet_elections::Disqualification> =
					chain.storage(&key("Disqualified", dealer), Some(at)).await?;
				if disqualified.is_some() {
					continue; // another trustee convicted this dealer already
				}
				let complaint =
					Complaint::create(&ctx, &dealing, index, &transport_secret, &mut OsRng)
						.map_err(|e| anyhow!("cannot build the complaint: {e:?}"))?;
				let call = RuntimeCall::Elections(ElectionsCall::file_complaint {
					election,
					dealer,
					complaint,
				});
				match chain.send(&pair, call).await {
					Ok(inc) => {
						ready |= key_ready(&inc.events);
						complaints.push(dealer);
						let cancelled = inc.events.iter().any(|e| {
							matches!(
								e,
								RuntimeEvent::Elections(ElectionsEvent::ElectionCancelled { .. })
							)
						});
						if cancelled {
							bail!(
								"dealer {dealer} convicted; too few qualified dealers remain: \
								 election {election} is cancelled"
							);
						}
					},
					// Another trustee convicted this dealer meanwhile.
					Err(e) if format!("{e:#}").contains("AlreadyDisqualified") => {},
					Err(e) => return Err(e),
				}
			}
			// Our own dealing's share to us is ours to check too.
			let own: Dealing = chain
				.storage(&key("Dealings", index), Some(at))
				.await?
				.ok_or_else(|| anyhow!("our dealing is not on chain"))?;
			own.open_share(&dkg_ctx(&chain, election, &e, index), index, &transport_secret)
				.map_err(|_| anyhow!("our own dealing's share to us does not open"))?;
			// Confirmed already (a second run): nothing more to send.
			let confirmed: Option<()> =
				chain.storage(&key("ShareConfirmations", index), Some(at)).await?;
			if !ready && confirmed.is_none() {
				let inc = chain
					.send(&pair, RuntimeCall::Elections(ElectionsCall::confirm_shares { election }))
					.await?;
				ready = key_ready(&inc.events);
			}
			out.show(
				json!({ "election": election, "trustee": index, "complaints": complaints, "keyReady": ready }),
				|| {
					let filed = if complaints.is_empty() {
						"every share opens".to_string()
					} else {
						format!("complaints filed against dealers {complaints:?}")
					};
					format!(
						"trustee {index}: {filed}; confirmed{}",
						if ready { "; the joint election key is ready" } else { "" }
					)
				},
			);
		},
		TrusteeCommand::Decrypt { election, signer, key_file } => {
			let pair = signer.pair()?;
			let (index, transport_secret) = read_key_file(&key_file, election)?;
			// Only the final tally, recounted here from the finalized ballots: never what
			// a node reports as "the tally" (a share is a public decryption of whatever it
			// was made of, even inside a failed transaction).
			let fin = record::FinalTally::fetch(&chain, election, out.json).await?;
			let e = &fin.election;
			if trustee_index(e, &account_of(&pair))? != index {
				bail!("the key file is for trustee {index}, the signer is another trustee");
			}
			// x_j = Σ_i f_i(j) over the qualified dealers, each share checked against its
			// dealer's commitments.
			let mut secret = Scalar::ZERO;
			for (i, dealing) in &fin.dealings {
				let i = *i;
				secret += dealing
					.open_share(&dkg_ctx(&chain, election, e, i), index, &transport_secret)
					.map_err(|_| {
						anyhow!("trustee {i}'s share for us does not match its commitments")
					})?;
			}
			let vk = egov_ballot::verification_key(&fin.key_commitments, index)
				.map_err(|e| anyhow!("{e:?}"))?;
			if egov_ballot::RistrettoPoint::mul_base(&secret).compress().to_bytes() != vk {
				bail!("our key share does not match our verification key on chain");
			}
			let ctx = egov_ballot::ShareContext {
				genesis_hash: chain.genesis_hash.0,
				election_id: election,
				trustee_index: index,
				verification_key: vk,
				counted_voters: e.voters.into(),
			};
			let share = DecryptionShare::create(&ctx, &secret, &fin.tally, &mut OsRng)
				.map_err(|e| anyhow!("{e:?}"))?;
			// Tried on the best block's state first: a share the runtime would refuse
			// (already posted, say) never leaves this machine.
			let call =
				RuntimeCall::Elections(ElectionsCall::submit_decryption_share { election, share });
			let xt = chain
				.dry_run(&pair, call)
				.await
				.map_err(|e| anyhow!("the chain would refuse this share ({e}); not sent"))?;
			chain.send_signed(xt).await?;
			out.show(
				json!({ "election": election, "trustee": index, "finalizedAt": fin.block_number }),
				|| {
					format!(
						"trustee {index}: decryption share of the final tally (recounted from \
						 the ballots finalized at #{}) posted, with proof",
						fin.block_number
					)
				},
			);
		},
	}
	Ok(())
}

pub async fn verify(url: &Endpoint, args: VerifyArgs, out: &Output) -> Result<()> {
	// A light client read the record at a block the relay chain finalized: that block is
	// anchored by finality this machine checked, not by a node's word.
	let mut finalized_by_relay = None;
	let record = match (&args.record, args.election) {
		(Some(path), _) => serde_json::from_str::<ElectionRecord>(
			&std::fs::read_to_string(path)
				.with_context(|| format!("reading {}", path.display()))?,
		)
		.context("not an election record")?,
		(None, Some(id)) => {
			let chain = Chain::connect(url).await?;
			if chain.is_light() && args.out.is_some() {
				bail!(
					"the light client checks each value as it reads it but cannot hand out the \
					 proofs a record file carries (smoldot-light 1.3.2): export with --url \
					 and check the file with --checkpoint <the light client's `egov head`>"
				);
			}
			let record = ElectionRecord::fetch(&chain, id, out.json).await?;
			if chain.is_light() {
				finalized_by_relay = Some(polkadot_sdk::sp_core::H256::from_slice(
					&crate::chain::unhex(&record.block_hash)?,
				));
			}
			record
		},
		(None, None) => bail!("give an election id or --record FILE"),
	};
	if let Some(path) = &args.out {
		std::fs::write(path, serde_json::to_string_pretty(&record)?)?;
	}
	let hash = |h: &str| -> Result<polkadot_sdk::sp_core::H256> {
		let b = crate::chain::unhex(h)?;
		anyhow::ensure!(b.len() == 32, "a block hash is 32 bytes: {h}");
		Ok(polkadot_sdk::sp_core::H256::from_slice(&b))
	};
	let trusted = record::Trusted {
		checkpoint: args.checkpoint.as_deref().map(hash).transpose()?.or(finalized_by_relay),
		genesis: args.genesis.as_deref().map(hash).transpose()?,
		read_by_light_client: finalized_by_relay.is_some(),
	};
	let verdict = record::verify(&record, out.json, &trusted)?;
	out.show(serde_json::to_value(&verdict)?, || {
		let mut s = format!(
			"election {} \"{}\": {} ballots verified ({:.0}/s), recount {:?}, published {:?}\ndigest {}\n",
			verdict.election_id,
			verdict.title,
			verdict.ballots_verified,
			verdict.ballots_per_second,
			verdict.recomputed_counts,
			verdict.published_counts,
			verdict.digest
		);
		if verdict.ok {
			s.push_str(
				"VERIFIED: every value is the chain's state at the record's block, every ballot, \
				 key and share checks out and the result is right",
			);
			if !verdict.roll_unchecked.is_empty() {
				s.push_str(&format!(
					"\n{} voters' registry entries have moved twice since the roll was fixed: \
					 their district on the roll is the chain's word (a record exported when the \
					 election ends shows it)",
					verdict.roll_unchecked.len()
				));
			}
			if !verdict.anchored {
				s.push_str(&format!(
					"\nnot anchored: block {} is the exporting node's word; compare it with a \
					 hash you trust, or pass --checkpoint",
					verdict.block_hash
				));
			}
		} else {
			s.push_str("REJECTED:\n");
			for f in &verdict.failures {
				s.push_str(&format!("  - {f}\n"));
			}
		}
		s
	});
	if !verdict.ok {
		return Err(crate::Rejected.into());
	}
	Ok(())
}
