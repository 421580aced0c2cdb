//! The election record (everything needed to recount an election, read from chain storage)
//! and the public verifier that recounts it without trusting the node or our runtime.
//!
//! The record is JSON: readable figures (title, options, counts, turnout) next to
//! SCALE-encoded hex of the cryptographic objects. `digest` is the BLAKE2-256 of the
//! record's canonical JSON without the digest: the one value to anchor elsewhere.

use crate::{
	chain::{storage_prefix, to_hex, twox64_concat, unhex, AccountId, Chain},
	elections::progress as bar,
};
use anyhow::{anyhow, bail, Context, Result};
use codec::{Decode, Encode};
use egov_ballot::{
	BallotContext, BatchVerifier, Ciphertext, Dealing, DecryptionShare, DkgContext,
	EncryptedBallot, ShareContext, Tally, TransportKey,
};
use egov_primitives::DistrictId;
use indicatif::ProgressBar;
use pallet_elections::{
	BallotKind, CastBallotOf, Disqualification, Election, ElectionId, ElectionStatus,
};
use polkadot_sdk::{sp_core::crypto::Ss58Codec, sp_crypto_hashing::blake2_256};
use serde::{Deserialize, Serialize};

pub type StoredElection = Election<AccountId, u32>;

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct BallotEntry {
	pub citizen: u64,
	pub voter: String,
	pub tracking_code: String,
	/// SCALE hex of the `EncryptedBallot`.
	pub ballot: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct TrusteeEntry {
	pub index: u32,
	pub account: String,
	/// SCALE hex of the `TransportKey`.
	pub transport_key: String,
	/// SCALE hex of the `Dealing`.
	pub dealing: String,
	/// SCALE hex of the `DecryptionShare`, if posted.
	pub decryption_share: Option<String>,
	/// SCALE hex of the `Disqualification` (the complaint that convicts this trustee's
	/// dealing), if its dealing was left out of the key.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub disqualified_by: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct ElectionRecord {
	pub format: String,
	pub genesis_hash: String,
	pub block_number: u32,
	pub block_hash: String,
	pub election_id: ElectionId,
	pub title: String,
	pub options: Vec<String>,
	pub status: String,
	/// SCALE hex of the stored `Election`.
	pub election: String,
	pub trustees: Vec<TrusteeEntry>,
	/// Hex of `A_k`, the summed dealing commitments.
	pub key_commitments: Vec<String>,
	pub ballots: Vec<BallotEntry>,
	/// SCALE hex of the stored tally.
	pub tally: String,
	pub turnout: Vec<(DistrictId, u32)>,
	pub result: Option<Vec<u64>>,
	#[serde(default)]
	pub digest: String,
}

/// v3: the stored election carries its frozen roll (`roll_fixed_at`) and a trustee entry
/// the complaint that left its dealing out of the key, if any (v2: decryption shares are
/// bound to the closed election's final state, so v1 shares do not verify under v2).
const FORMAT: &str = "egov-election-record/v3";

fn decode_hex<T: Decode>(s: &str, what: &str) -> Result<T> {
	T::decode(&mut &unhex(s)?[..]).with_context(|| format!("{what} does not decode"))
}

fn label(b: &[u8]) -> String {
	String::from_utf8_lossy(b).into_owned()
}

pub fn status_name(s: ElectionStatus) -> String {
	format!("{s:?}")
}

impl ElectionRecord {
	/// Reads the whole record of `id` from storage at the finalized head.
	pub async fn fetch(chain: &Chain, id: ElectionId, quiet: bool) -> Result<Self> {
		let (at, number) = chain.finalized_head().await?;
		let key = |item: &str| [storage_prefix("Elections", item), twox64_concat(&id)].concat();
		let election: StoredElection = chain
			.storage(&key("Elections"), Some(at))
			.await?
			.ok_or_else(|| anyhow!("no election {id} at the finalized block"))?;
		let mut trustees = Vec::new();
		for (i, account) in election.params.trustees.iter().enumerate() {
			let index = i as u32 + 1;
			let k = |item: &str| [key(item), twox64_concat(&index)].concat();
			let tk: Option<TransportKey> = chain.storage(&k("TransportKeys"), Some(at)).await?;
			let dealing: Option<Dealing> = chain.storage(&k("Dealings"), Some(at)).await?;
			let share: Option<DecryptionShare> =
				chain.storage(&k("DecryptionShares"), Some(at)).await?;
			let disqualified: Option<Disqualification> =
				chain.storage(&k("Disqualified"), Some(at)).await?;
			trustees.push(TrusteeEntry {
				index,
				account: account.to_ss58check(),
				transport_key: tk.map(|t| to_hex(&t.encode())).unwrap_or_default(),
				dealing: dealing.map(|d| to_hex(&d.encode())).unwrap_or_default(),
				decryption_share: share.map(|s| to_hex(&s.encode())),
				disqualified_by: disqualified.map(|d| to_hex(&d.encode())),
			});
		}
		let key_commitments: Vec<[u8; 32]> =
			chain.storage(&key("KeyCommitments"), Some(at)).await?.unwrap_or_default();
		let tally: Vec<Ciphertext> =
			chain.storage(&key("Tallies"), Some(at)).await?.unwrap_or_default();
		let pb = bar(election.voters as u64, "fetching ballots", quiet);
		let stored: Vec<(Vec<u8>, CastBallotOf<egov_runtime::Runtime>)> =
			chain.storage_prefixed(&key("Ballots"), at, Some(&pb)).await?;
		pb.finish_and_clear();
		let mut ballots: Vec<BallotEntry> = stored
			.into_iter()
			.map(|(k, b)| {
				let citizen = u64::decode(&mut &k[k.len() - 8..]).unwrap_or_default();
				BallotEntry {
					citizen,
					voter: b.voter.to_ss58check(),
					tracking_code: to_hex(b.tracking_code.as_bytes()),
					ballot: to_hex(&b.ballot.encode()),
				}
			})
			.collect();
		ballots.sort_by_key(|b| b.citizen);
		let turnout: Vec<(DistrictId, u32)> = chain
			.storage_prefixed::<u32>(&key("Turnout"), at, None)
			.await?
			.into_iter()
			.map(|(k, n)| (u32::decode(&mut &k[k.len() - 4..]).unwrap_or_default(), n))
			.filter(|(_, n)| *n > 0)
			.collect();
		let result: Option<Vec<u64>> = chain.storage(&key("Results"), Some(at)).await?;
		let mut record = ElectionRecord {
			format: FORMAT.into(),
			genesis_hash: to_hex(chain.genesis_hash.as_bytes()),
			block_number: number,
			block_hash: to_hex(at.as_bytes()),
			election_id: id,
			title: label(&election.params.title),
			options: election.params.options.iter().map(|o| label(o)).collect(),
			status: status_name(election.status),
			election: to_hex(&election.encode()),
			trustees,
			key_commitments: key_commitments.iter().map(|k| to_hex(k)).collect(),
			ballots,
			tally: to_hex(&tally.encode()),
			turnout,
			result,
			digest: String::new(),
		};
		record.digest = record.compute_digest()?;
		Ok(record)
	}

	/// BLAKE2-256 of the canonical JSON of everything but the digest.
	pub fn compute_digest(&self) -> Result<String> {
		let mut copy = self.clone();
		copy.digest = String::new();
		Ok(to_hex(&blake2_256(serde_json::to_string(&copy)?.as_bytes())))
	}
}

/// What a trustee may decrypt: the final tally of a closed election, as the finalized
/// chain holds it and as this machine recounts it.
pub struct FinalTally {
	pub election: StoredElection,
	pub tally: Vec<Ciphertext>,
	/// The qualified trustees' dealings with their indices from 1 (each proof checked;
	/// a dealing convicted by a checked complaint is left out).
	pub dealings: Vec<(u32, Dealing)>,
	/// The summed qualified dealing commitments (checked to be their sum).
	pub key_commitments: Vec<[u8; 32]>,
	pub block_number: u32,
}

impl FinalTally {
	/// Reads election `id`'s record at the finalized head and recounts it: refuses unless
	/// the election is Tallying there and every ballot, key and stored value checks out
	/// (the tally is the sum of the counted ballots). A node that shows a trustee another
	/// "tally" (a ballot of one voter, a tally from before the close) is caught here,
	/// before any share exists.
	///
	/// Right after the close, while the best block shows Tallying and the finalized one not
	/// yet, it waits (up to 3 minutes) for the close to be finalized.
	pub async fn fetch(chain: &Chain, id: ElectionId, quiet: bool) -> Result<Self> {
		let key = [storage_prefix("Elections", "Elections"), twox64_concat(&id)].concat();
		let deadline = std::time::Instant::now() + std::time::Duration::from_secs(180);
		loop {
			let (at, number) = chain.finalized_head().await?;
			let finalized: StoredElection = chain
				.storage(&key, Some(at))
				.await?
				.ok_or_else(|| anyhow!("no election {id} at the finalized block #{number}"))?;
			if finalized.status == ElectionStatus::Tallying {
				break;
			}
			let best: Option<StoredElection> = chain.storage(&key, None).await?;
			let closing = best.is_some_and(|b| b.status == ElectionStatus::Tallying);
			if !closing || std::time::Instant::now() > deadline {
				break; // refused below, with the finalized status
			}
			tokio::time::sleep(std::time::Duration::from_secs(2)).await;
		}
		let record = ElectionRecord::fetch(chain, id, quiet).await?;
		let election: StoredElection = decode_hex(&record.election, "the election")?;
		if election.status != ElectionStatus::Tallying {
			bail!(
				"election {id} is {} at the finalized block #{}: a decryption share is made only \
				 of a closed election's final tally",
				status_name(election.status),
				record.block_number
			);
		}
		let verdict = verify(&record, quiet)?;
		if !verdict.ok {
			bail!(
				"the finalized record of election {id} does not recount: {}; no share made",
				verdict.failures.join("; ")
			);
		}
		let dealings = record
			.trustees
			.iter()
			.filter(|t| t.disqualified_by.is_none())
			.map(|t| Ok((t.index, decode_hex(&t.dealing, "a dealing")?)))
			.collect::<Result<Vec<(u32, Dealing)>>>()?;
		let key_commitments = record
			.key_commitments
			.iter()
			.map(|k| unhex(k)?.try_into().map_err(|_| anyhow!("bad key commitment")))
			.collect::<Result<Vec<[u8; 32]>>>()?;
		Ok(FinalTally {
			election,
			tally: decode_hex(&record.tally, "the tally")?,
			dealings,
			key_commitments,
			block_number: record.block_number,
		})
	}
}

/// What the verifier found.
#[derive(Debug, Serialize)]
pub struct Verdict {
	pub election_id: ElectionId,
	pub title: String,
	pub ballots_verified: usize,
	pub recomputed_counts: Vec<u64>,
	pub published_counts: Option<Vec<u64>>,
	pub digest: String,
	/// Every check that failed; empty means the record is sound.
	pub failures: Vec<String>,
	pub ok: bool,
	pub ballots_per_second: f64,
}

/// Recounts the election from its record. Does not trust anything the record claims: every
/// proof is checked and every derived value recomputed.
pub fn verify(record: &ElectionRecord, quiet: bool) -> Result<Verdict> {
	let mut failures: Vec<String> = Vec::new();
	let mut check = |ok: bool, what: String| {
		if !ok {
			failures.push(what);
		}
	};
	if record.format != FORMAT {
		bail!("unknown record format {}", record.format);
	}
	check(record.compute_digest()? == record.digest, "the digest does not match the record".into());
	let genesis: [u8; 32] = unhex(&record.genesis_hash)?
		.try_into()
		.map_err(|_| anyhow!("bad genesis hash"))?;
	let election: StoredElection = decode_hex(&record.election, "the election")?;
	let p = &election.params;
	let options = p.options.len() as u32;
	let spec = p.kind.spec(options);
	check(
		record.title == label(&p.title)
			&& record.options == p.options.iter().map(|o| label(o)).collect::<Vec<_>>(),
		"title or options differ from the stored election".into(),
	);
	check(
		record.status == status_name(election.status),
		"status differs from the stored election".into(),
	);
	if matches!(p.kind, BallotKind::Referendum) {
		check(options == 2, "a referendum must have two options".into());
	}

	// Key generation: every transport key and dealing proof, and the joint key.
	let n = p.trustees.len() as u32;
	check(record.trustees.len() as u32 == n, "trustee list differs from the election".into());
	let mut commitments: Vec<Vec<[u8; 32]>> = Vec::new();
	let transport_keys: Vec<Option<TransportKey>> = record
		.trustees
		.iter()
		.map(|t| decode_hex(&t.transport_key, "a transport key").ok())
		.collect();
	for t in &record.trustees {
		let ctx = DkgContext {
			genesis_hash: genesis,
			election_id: record.election_id,
			trustee_index: t.index,
			trustees: n,
			threshold: p.threshold,
		};
		check(
			p.trustees.get(t.index as usize - 1).map(|a| a.to_ss58check())
				== Some(t.account.clone()),
			format!("trustee {} is not the election's trustee", t.index),
		);
		let tk: TransportKey = decode_hex(&t.transport_key, "a transport key")?;
		check(tk.verify(&ctx).is_ok(), format!("trustee {}'s transport key proof fails", t.index));
		let d: Dealing = decode_hex(&t.dealing, "a dealing")?;
		check(d.verify_public(&ctx).is_ok(), format!("trustee {}'s dealing fails", t.index));
		// A dealing left out of the key must be convicted by its complaint, re-checked here:
		// a node cannot drop an honest trustee's contribution by claiming one.
		let Some(hex) = &t.disqualified_by else {
			commitments.push(d.commitments.to_vec());
			continue;
		};
		let q: Disqualification = decode_hex(hex, "a disqualification")?;
		let complainer_key = (q.complainer as usize)
			.checked_sub(1)
			.and_then(|i| transport_keys.get(i).cloned().flatten());
		let convicted = q.complainer != t.index
			&& complainer_key
				.is_some_and(|k| q.complaint.convicts(&ctx, &d, q.complainer, &k.key).is_ok());
		check(
			convicted,
			format!(
				"trustee {}'s dealing is left out without a complaint that convicts it",
				t.index
			),
		);
	}
	let refs: Vec<&[[u8; 32]]> = commitments.iter().map(|c| &c[..]).collect();
	let aggregate = egov_ballot::aggregate_commitments(&refs)
		.map_err(|e| anyhow!("dealings do not combine: {e:?}"))?;
	let stored_aggregate: Vec<String> = aggregate.iter().map(|a| to_hex(a)).collect();
	check(
		stored_aggregate == record.key_commitments,
		"key commitments are not the qualified dealings' sum".into(),
	);
	check(
		election.public_key == Some(aggregate[0]),
		"the election key is not the trustees' joint key".into(),
	);

	// Every counted ballot: proofs (batched), tracking code, one per citizen.
	let started = std::time::Instant::now();
	let pb = bar(record.ballots.len() as u64, "verifying ballots", quiet);
	let mut tally = Tally::new(&spec);
	let mut parsed: Vec<(BallotContext, EncryptedBallot)> =
		Vec::with_capacity(record.ballots.len());
	let mut citizens = std::collections::BTreeSet::new();
	for b in &record.ballots {
		check(citizens.insert(b.citizen), format!("citizen {} has two counted ballots", b.citizen));
		let voter = AccountId::from_ss58check(&b.voter)
			.map_err(|e| anyhow!("bad voter {}: {e:?}", b.voter))?;
		let ballot: EncryptedBallot = decode_hex(&b.ballot, "a ballot")?;
		let code = pallet_elections::tracking_code(
			record.election_id,
			b.citizen,
			&voter.encode(),
			&ballot,
		);
		check(
			to_hex(code.as_bytes()) == b.tracking_code,
			format!("ballot of citizen {} has the wrong tracking code", b.citizen),
		);
		if tally.add(&ballot.ciphertexts).is_err() {
			check(false, format!("ballot of citizen {} is malformed", b.citizen));
		}
		let ctx = BallotContext {
			genesis_hash: genesis,
			election_id: record.election_id,
			voter: voter.encode(),
			public_key: aggregate[0],
		};
		parsed.push((ctx, ballot));
	}
	let bad_ballots = verify_ballots(&parsed, &spec, &pb);
	pb.finish_and_clear();
	let elapsed = started.elapsed().as_secs_f64();
	for i in &bad_ballots {
		check(false, format!("ballot of citizen {} fails its proofs", record.ballots[*i].citizen));
	}
	check(
		record.ballots.len() as u32 == election.voters,
		format!(
			"{} ballots in the record, the election counted {} voters",
			record.ballots.len(),
			election.voters
		),
	);
	check(
		record.turnout.iter().map(|(_, n)| *n as usize).sum::<usize>() == record.ballots.len(),
		"turnout does not add up to the counted ballots".into(),
	);

	// The tally is the sum of the counted ballots.
	let tally = tally
		.ciphertexts()
		.map_err(|e| anyhow!("the recounted tally does not fit a ballot: {e:?}"))?
		.into_inner();
	let stored_tally: Vec<Ciphertext> = decode_hex(&record.tally, "the tally")?;
	check(stored_tally == tally, "the stored tally is not the sum of the counted ballots".into());

	// Decryption shares: each proof, then any `threshold` of them give the counts.
	let mut shares: Vec<(u32, DecryptionShare)> = Vec::new();
	for t in &record.trustees {
		let Some(s) = &t.decryption_share else { continue };
		let share: DecryptionShare = decode_hex(s, "a decryption share")?;
		let ctx = ShareContext {
			genesis_hash: genesis,
			election_id: record.election_id,
			trustee_index: t.index,
			verification_key: egov_ballot::verification_key(&aggregate, t.index)
				.map_err(|e| anyhow!("{e:?}"))?,
			counted_voters: election.voters.into(),
		};
		if share.verify(&ctx, &tally).is_ok() {
			shares.push((t.index, share));
		} else {
			check(false, format!("trustee {}'s decryption share fails its proof", t.index));
		}
	}
	let mut recomputed = Vec::new();
	if shares.len() as u32 >= p.threshold {
		let refs: Vec<(u32, &DecryptionShare)> =
			shares.iter().take(p.threshold as usize).map(|(i, s)| (*i, s)).collect();
		let combined = egov_ballot::combine_shares(&refs, tally.len())
			.map_err(|e| anyhow!("shares do not combine: {e:?}"))?;
		match egov_ballot::decrypt_result(&spec, &tally, &combined, record.ballots.len() as u64) {
			Ok(c) => recomputed = c,
			Err(_) => {
				check(false, "the tally does not decrypt to counts within the turnout".into())
			},
		}
		check(
			recomputed.iter().sum::<u64>()
				>= u64::from(spec.min_selections) * record.ballots.len() as u64
				&& recomputed.iter().sum::<u64>()
					<= u64::from(spec.max_selections) * record.ballots.len() as u64,
			"the counts do not fit the ballot kind".into(),
		);
	} else if election.status == ElectionStatus::Final {
		check(false, "a final election without enough decryption shares".into());
	}
	match &record.result {
		Some(published) => check(
			*published == recomputed,
			format!("published result {published:?} differs from the recount {recomputed:?}"),
		),
		None => check(
			election.status != ElectionStatus::Final,
			"a final election without a result".into(),
		),
	}

	let ok = failures.is_empty();
	Ok(Verdict {
		election_id: record.election_id,
		title: record.title.clone(),
		ballots_verified: record.ballots.len() - bad_ballots.len(),
		recomputed_counts: recomputed,
		published_counts: record.result.clone(),
		digest: record.digest.clone(),
		failures,
		ok,
		ballots_per_second: if elapsed > 0.0 { record.ballots.len() as f64 / elapsed } else { 0.0 },
	})
}

/// Batch-verifies ballots on every core; returns the indices of ballots that fail. A
/// failing batch is re-checked ballot by ballot to name the culprits.
pub fn verify_ballots(
	ballots: &[(BallotContext, EncryptedBallot)],
	spec: &egov_ballot::BallotSpec,
	pb: &ProgressBar,
) -> Vec<usize> {
	const BATCH: usize = 256;
	let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
	let chunks: Vec<(usize, &[(BallotContext, EncryptedBallot)])> =
		ballots.chunks(BATCH).enumerate().map(|(i, c)| (i * BATCH, c)).collect();
	let next = std::sync::atomic::AtomicUsize::new(0);
	let bad = std::sync::Mutex::new(Vec::new());
	std::thread::scope(|s| {
		for _ in 0..threads {
			s.spawn(|| loop {
				let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
				let Some((offset, chunk)) = chunks.get(i) else { break };
				let mut batch = BatchVerifier::new();
				let mut failed: Vec<usize> = Vec::new();
				for (k, (ctx, b)) in chunk.iter().enumerate() {
					if batch.add(ctx, spec, b).is_err() {
						failed.push(offset + k);
					}
				}
				if batch.verify().is_err() {
					for (k, (ctx, b)) in chunk.iter().enumerate() {
						if !failed.contains(&(offset + k))
							&& egov_ballot::verify_ballot(ctx, spec, b).is_err()
						{
							failed.push(offset + k);
						}
					}
				}
				pb.inc(chunk.len() as u64);
				if let Ok(mut b) = bad.lock() {
					b.extend(failed);
				}
			});
		}
	});
	let mut bad = bad.into_inner().unwrap_or_default();
	bad.sort_unstable();
	bad
}
