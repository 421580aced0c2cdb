//! The election record (everything needed to recount an election, read from chain storage)
//! and the public verifier that recounts it without trusting the node or our runtime.
//!
//! The record is JSON: readable figures (title, options, counts, turnout) next to
//! SCALE-encoded hex of the cryptographic objects. `digest` is the BLAKE2-256 of the
//! record's canonical JSON without the digest: the one value to anchor elsewhere.

use crate::{
	chain::{storage_prefix, to_hex, twox64_concat, unhex, AccountId, Chain, SignedContext},
	elections::progress as bar,
};
use anyhow::{anyhow, bail, Context, Result};
use codec::{Decode, DecodeAll, Encode};
use egov_ballot::{
	BallotContext, BatchVerifier, Ciphertext, Dealing, DecryptionShare, DkgContext,
	EncryptedBallot, ShareContext, Tally, TransportKey,
};
use egov_primitives::DistrictId;
use indicatif::ProgressBar;
use pallet_elections::{
	BallotKind, CastBallotOf, Disqualification, Election, ElectionId, ElectionStatus,
};
use pallet_identity_registry::CitizenRecord;
use polkadot_sdk::{
	sp_core::{crypto::Ss58Codec, H256},
	sp_crypto_hashing::blake2_256,
	sp_runtime::{
		generic::{Era, Preamble},
		traits::{BlakeTwo256, Verify},
		MultiAddress,
	},
	sp_state_machine::read_proof_check,
	sp_trie::StorageProof,
};
use serde::{Deserialize, Serialize};

pub type StoredElection = Election<AccountId, u32>;

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct BallotEntry {
	pub citizen: u64,
	pub voter: String,
	pub tracking_code: String,
	/// SCALE hex of the `EncryptedBallot`.
	pub ballot: String,
	/// The voter's district on the election's roll (turnout counts the ballot there).
	pub district: DistrictId,
	/// The block in which the ballot was cast.
	pub cast_at: u32,
	/// SCALE hex of the registry's `CitizenRecord` of `citizen`: what put the voter on the
	/// roll (registration, district history, majority).
	pub citizen_record: String,
	/// `voter` is an account the citizen signed with before a key rotation (the registry's
	/// `FormerCitizenOf`), not its current one (`CitizenOf`).
	pub former_account: bool,
	/// The transaction by which the voter cast it.
	pub signed: SignedCast,
}

/// A voter's signed `cast_ballot` transaction and what its signature covers besides its
/// bytes, so that anyone can check the voter signed exactly this ballot.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct SignedCast {
	/// SCALE hex of the extrinsic, as in its block.
	pub extrinsic: String,
	/// Hash of the block its era starts at.
	pub birth: String,
	/// The runtime's versions that executed it.
	pub spec_version: u32,
	pub transaction_version: u32,
	/// The metadata hash, if the signer's device asked for that check.
	pub metadata_hash: Option<String>,
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
	/// SCALE hex of the header of `block_hash`: its state root anchors `proof`.
	pub header: String,
	/// Trie nodes that prove every stored value above against the header's state root.
	pub proof: Vec<String>,
	#[serde(default)]
	pub digest: String,
}

/// v5: each counted ballot with the transaction its voter signed and, proven, the registry
/// entries that put the voter on the roll (v4: the block's header and a storage proof of
/// every stored value, so the record stands on the chain's state, not on the node that
/// exported it; v3: the stored election carries
/// its frozen roll and a trustee entry the complaint that left its dealing out of the key;
/// v2: decryption shares are bound to the closed election's final state).
const FORMAT: &str = "egov-election-record/v5";

/// Where the record's values live in the chain's state, and what the record says each
/// holds (SCALE; `None`: absent).
enum Stored {
	/// Exactly these bytes, or absent.
	Value(Option<Vec<u8>>),
	/// A value read with a default: absent is the same as this encoding.
	OrDefault(Vec<u8>),
	/// A counted ballot: the stored entry's voter, tracking code and ballot.
	Ballot(usize),
}

fn parse_voter(s: &str) -> Result<AccountId> {
	AccountId::from_ss58check(s).map_err(|e| anyhow!("bad voter {s}: {e:?}"))
}

fn hex_or_absent(s: &str) -> Result<Option<Vec<u8>>> {
	if s.is_empty() {
		Ok(None)
	} else {
		Ok(Some(unhex(s)?))
	}
}

/// Every storage key the record's values come from, with what the record says is there.
/// One list for the export (what to prove) and the verifier (what to check).
fn stored_values(r: &ElectionRecord) -> Result<Vec<(Vec<u8>, Stored)>> {
	use pallet_elections as e;
	use pallet_identity_registry as registry;
	type R = egov_runtime::Runtime;
	let id = r.election_id;
	let mut out =
		vec![(e::Elections::<R>::hashed_key_for(id), Stored::Value(Some(unhex(&r.election)?)))];
	for t in &r.trustees {
		let j = t.index;
		out.push((
			e::TransportKeys::<R>::hashed_key_for(id, j),
			Stored::Value(hex_or_absent(&t.transport_key)?),
		));
		out.push((
			e::Dealings::<R>::hashed_key_for(id, j),
			Stored::Value(hex_or_absent(&t.dealing)?),
		));
		let share = t.decryption_share.as_deref().map(unhex).transpose()?;
		out.push((e::DecryptionShares::<R>::hashed_key_for(id, j), Stored::Value(share)));
		let disqualified = t.disqualified_by.as_deref().map(unhex).transpose()?;
		out.push((e::Disqualified::<R>::hashed_key_for(id, j), Stored::Value(disqualified)));
	}
	let commitments = r
		.key_commitments
		.iter()
		.map(|k| unhex(k)?.try_into().map_err(|_| anyhow!("bad key commitment")))
		.collect::<Result<Vec<[u8; 32]>>>()?;
	out.push((e::KeyCommitments::<R>::hashed_key_for(id), Stored::OrDefault(commitments.encode())));
	out.push((e::Tallies::<R>::hashed_key_for(id), Stored::OrDefault(unhex(&r.tally)?)));
	out.push((
		e::Results::<R>::hashed_key_for(id),
		Stored::Value(r.result.as_ref().map(|c| c.encode())),
	));
	for (i, b) in r.ballots.iter().enumerate() {
		out.push((e::Ballots::<R>::hashed_key_for(id, b.citizen), Stored::Ballot(i)));
		out.push((
			registry::Citizens::<R>::hashed_key_for(b.citizen),
			Stored::Value(Some(unhex(&b.citizen_record)?)),
		));
		let voter = parse_voter(&b.voter)?;
		let binding = if b.former_account {
			registry::FormerCitizenOf::<R>::hashed_key_for(&voter)
		} else {
			registry::CitizenOf::<R>::hashed_key_for(&voter)
		};
		out.push((binding, Stored::Value(Some(b.citizen.encode()))));
	}
	for (district, n) in &r.turnout {
		out.push((e::Turnout::<R>::hashed_key_for(id, district), Stored::Value(Some(n.encode()))));
	}
	Ok(out)
}

/// Checks the record's header against its block hash (and the checkpoint, if given) and
/// every stored value against the proof; returns what fails.
fn check_against_state(r: &ElectionRecord, trusted: &Trusted) -> Result<Vec<String>> {
	let mut failures = Vec::new();
	let header = egov_runtime::Header::decode_all(&mut &unhex(&r.header)?[..])
		.context("the header does not decode")?;
	let hash = to_hex(header.hash().as_bytes());
	if hash != r.block_hash || header.number != r.block_number {
		failures
			.push(format!("the header is block #{} {hash}, not the record's block", header.number));
	}
	if let Some(checkpoint) = trusted.checkpoint {
		if r.block_hash != to_hex(checkpoint.as_bytes()) {
			failures.push(format!(
				"the record is of block {}, not the checkpoint {}",
				r.block_hash,
				to_hex(checkpoint.as_bytes())
			));
		}
	}
	if trusted.read_by_light_client {
		return Ok(failures);
	}
	let stored = stored_values(r)?;
	let keys: Vec<Vec<u8>> = stored.iter().map(|(k, _)| k.clone()).collect();
	let nodes = r.proof.iter().map(|n| unhex(n)).collect::<Result<Vec<_>>>()?;
	let proven = match read_proof_check::<BlakeTwo256, _>(
		header.state_root,
		StorageProof::new(nodes),
		&keys,
	) {
		Ok(p) => p,
		Err(e) => {
			failures.push(format!("the storage proof does not check against the header: {e}"));
			return Ok(failures);
		},
	};
	for (key, claim) in &stored {
		let value = proven.get(key).cloned().flatten();
		let ok = match claim {
			Stored::Value(v) => value == *v,
			// Both defaults are empty vectors.
			Stored::OrDefault(d) => value.as_deref().unwrap_or(&[0u8][..]) == &d[..],
			Stored::Ballot(i) => {
				let b = &r.ballots[*i];
				value
					.and_then(|v| {
						CastBallotOf::<egov_runtime::Runtime>::decode_all(&mut &v[..]).ok()
					})
					.is_some_and(|c| {
						c.voter.to_ss58check() == b.voter
							&& to_hex(c.tracking_code.as_bytes()) == b.tracking_code
							&& to_hex(&c.ballot.encode()) == b.ballot
							&& c.district == b.district
							&& c.cast_at == b.cast_at
					})
			},
		};
		if !ok {
			failures.push(format!("a value differs from the chain's state at key {}", to_hex(key)));
		}
	}
	Ok(failures)
}

/// Decodes the whole of `s` (trailing bytes are refused: one value, one encoding).
fn decode_hex<T: Decode>(s: &str, what: &str) -> Result<T> {
	T::decode_all(&mut &unhex(s)?[..]).with_context(|| format!("{what} does not decode"))
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
					district: b.district,
					cast_at: b.cast_at,
					// Filled in below, from the registry and the ballot's block.
					citizen_record: String::new(),
					former_account: false,
					signed: SignedCast::default(),
				}
			})
			.collect();
		ballots.sort_by_key(|b| b.citizen);
		add_registry_entries(chain, at, &mut ballots).await?;
		add_signed_casts(chain, id, at, &mut ballots, quiet).await?;
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
			header: to_hex(&chain.header(at).await?.encode()),
			proof: Vec::new(),
			digest: String::new(),
		};
		// Through the light client every value above was checked as it was read, and it
		// hands out no proofs: the record is for this machine's recount only.
		if !chain.is_light() {
			let keys: Vec<Vec<u8>> = stored_values(&record)?.into_iter().map(|(k, _)| k).collect();
			let mut nodes = std::collections::BTreeSet::new();
			for page in keys.chunks(1000) {
				nodes.extend(chain.read_proof(page, at).await?);
			}
			record.proof = nodes.iter().map(|n| to_hex(n)).collect();
		}
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

/// Fills each ballot's registry entries at block `at`: the citizen's record and whether
/// the voter is the citizen's current account or a former one.
async fn add_registry_entries(chain: &Chain, at: H256, ballots: &mut [BallotEntry]) -> Result<()> {
	use pallet_identity_registry as registry;
	type R = egov_runtime::Runtime;
	for page in ballots.chunks_mut(256) {
		let mut keys = Vec::with_capacity(page.len() * 2);
		for b in page.iter() {
			keys.push(registry::Citizens::<R>::hashed_key_for(b.citizen));
			keys.push(registry::CitizenOf::<R>::hashed_key_for(parse_voter(&b.voter)?));
		}
		let values = chain.proven_raw(&keys, at).await?;
		for (b, v) in page.iter_mut().zip(values.chunks(2)) {
			let record = v[0].as_ref().ok_or_else(|| {
				anyhow!("citizen {} has a counted ballot but no registry record", b.citizen)
			})?;
			b.citizen_record = to_hex(record);
			b.former_account = v[1].as_deref() != Some(&b.citizen.encode()[..]);
		}
	}
	Ok(())
}

/// Fills each ballot's signed transaction: found in the block it was cast in (an ancestor
/// of block `at`), by its voter and ballot.
async fn add_signed_casts(
	chain: &Chain,
	id: ElectionId,
	at: H256,
	ballots: &mut [BallotEntry],
	quiet: bool,
) -> Result<()> {
	let mut blocks: std::collections::BTreeMap<u32, Vec<usize>> = Default::default();
	for (i, b) in ballots.iter().enumerate() {
		blocks.entry(b.cast_at).or_default().push(i);
	}
	let pb = bar(blocks.len() as u64, "fetching the ballots' transactions", quiet);
	let mut hashes: std::collections::BTreeMap<u64, H256> = Default::default();
	for (number, wanted) in blocks {
		let hash = chain.ancestor_hash(number, at).await?;
		let (spec_version, transaction_version) = chain.versions_executing(hash).await?;
		let mut casts: std::collections::HashMap<(AccountId, Vec<u8>), (Vec<u8>, Era)> =
			Default::default();
		for xt in chain.block_extrinsics(hash).await? {
			let Ok(decoded) = egov_runtime::UncheckedExtrinsic::decode_all(&mut &xt[..]) else {
				continue;
			};
			if let (
				Preamble::Signed(MultiAddress::Id(who), _, extension),
				egov_runtime::RuntimeCall::Elections(pallet_elections::Call::cast_ballot {
					election,
					ballot,
				}),
			) = (&decoded.preamble, &decoded.function)
			{
				if *election == id {
					casts.insert((who.clone(), ballot.encode()), (xt.clone(), era_of(extension)));
				}
			}
		}
		for i in wanted {
			let b = &mut ballots[i];
			let (xt, era) =
				casts.remove(&(parse_voter(&b.voter)?, unhex(&b.ballot)?)).ok_or_else(|| {
					anyhow!("citizen {}'s ballot is not in block #{number}", b.citizen)
				})?;
			let birth = era.birth(number.into());
			let birth_hash = match hashes.get(&birth) {
				Some(h) => *h,
				None => {
					let h = chain.ancestor_hash(birth as u32, at).await?;
					hashes.insert(birth, h);
					h
				},
			};
			b.signed = SignedCast {
				extrinsic: to_hex(&xt),
				birth: to_hex(birth_hash.as_bytes()),
				spec_version,
				transaction_version,
				metadata_hash: None,
			};
		}
		pb.inc(1);
	}
	pb.finish_and_clear();
	Ok(())
}

/// The era a transaction was signed with.
fn era_of(extension: &egov_runtime::TxExtension) -> Era {
	extension.0 .5 .0
}

/// Whether `b.signed` is the voter's signature on a `cast_ballot` of exactly this ballot
/// in this election; `Err` names what is wrong.
fn check_signed_cast(
	b: &BallotEntry,
	voter: &AccountId,
	election: ElectionId,
	genesis: H256,
) -> std::result::Result<(), String> {
	let bytes = unhex(&b.signed.extrinsic).map_err(|e| e.to_string())?;
	let xt = egov_runtime::UncheckedExtrinsic::decode_all(&mut &bytes[..])
		.map_err(|_| "its transaction does not decode".to_string())?;
	let Preamble::Signed(MultiAddress::Id(who), signature, extension) = &xt.preamble else {
		return Err("its transaction is not signed by an account".into());
	};
	if who != voter {
		return Err("its transaction is signed by another account".into());
	}
	let casts_it = matches!(
		&xt.function,
		egov_runtime::RuntimeCall::Elections(pallet_elections::Call::cast_ballot { election: e, ballot })
			if *e == election && Some(ballot.encode()) == unhex(&b.ballot).ok()
	);
	if !casts_it {
		return Err("its transaction casts another ballot".into());
	}
	let hash32 = |s: &str| -> std::result::Result<[u8; 32], String> {
		unhex(s)
			.ok()
			.and_then(|v| v.try_into().ok())
			.ok_or_else(|| format!("bad hash {s}"))
	};
	let context = SignedContext {
		spec_version: b.signed.spec_version,
		transaction_version: b.signed.transaction_version,
		genesis_hash: genesis,
		birth: H256(hash32(&b.signed.birth)?),
		metadata_hash: b.signed.metadata_hash.as_deref().map(hash32).transpose()?,
	};
	let call = xt.encoded_call.clone().unwrap_or_else(|| xt.function.encode());
	if !signature.verify(&context.payload(&call, extension)[..], voter) {
		return Err("its voter's signature does not verify".into());
	}
	Ok(())
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
		let at = H256::from_slice(&unhex(&record.block_hash)?);
		let trusted = Trusted {
			checkpoint: Some(at),
			genesis: Some(chain.genesis_hash),
			read_by_light_client: chain.is_light(),
		};
		let verdict = verify(&record, quiet, &trusted)?;
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

/// What the verifier takes on trust, from the command line: the block the record must be
/// of, and the chain (genesis hash).
#[derive(Clone, Copy, Debug, Default)]
pub struct Trusted {
	pub checkpoint: Option<H256>,
	pub genesis: Option<H256>,
	/// The record was just read through this machine's light client, which checked every
	/// value against the block's state root as it read it (it carries no proof).
	pub read_by_light_client: bool,
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
	/// The block whose state the record was proven against.
	pub block_hash: String,
	/// Whether that block is one the caller trusts (a checkpoint); if not, compare
	/// `block_hash` with one you trust.
	pub anchored: bool,
	/// Citizens whose registry entry at the record's block has moved twice since the roll
	/// was fixed, so it cannot show their district on the roll (the chain checked it when
	/// they voted; a record exported when the election ends shows it).
	pub roll_unchecked: Vec<u64>,
	pub ballots_per_second: f64,
}

/// Recounts the election from its record. Does not trust anything the record claims: every
/// proof is checked and every derived value recomputed.
///
/// The values are checked against the chain's state at the record's block (its header and
/// storage proof); that block is the chain's only if its hash is one the caller trusts:
/// `trusted.checkpoint` (else the verdict says the record is not anchored).
pub fn verify(record: &ElectionRecord, quiet: bool, trusted: &Trusted) -> Result<Verdict> {
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
	for f in check_against_state(record, trusted)? {
		check(false, f);
	}
	if let Some(g) = trusted.genesis {
		check(
			record.genesis_hash == to_hex(g.as_bytes()),
			format!("the record is of chain {}, not {}", record.genesis_hash, to_hex(g.as_bytes())),
		);
	}
	let genesis: [u8; 32] = unhex(&record.genesis_hash)?
		.try_into()
		.map_err(|_| anyhow!("bad genesis hash"))?;
	let election: StoredElection = decode_hex(&record.election, "the election")?;
	let p = &election.params;
	let options = p.options.len() as u32;
	let spec = p.kind.spec(options);
	spec.check()
		.map_err(|e| anyhow!("the election's ballot kind does not fit its options: {e:?}"))?;
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
	if p.threshold == 0 || p.threshold as usize > p.trustees.len() {
		bail!(
			"the election's threshold {} does not fit its {} trustees",
			p.threshold,
			p.trustees.len()
		);
	}
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
		let account = (t.index as usize).checked_sub(1).and_then(|i| p.trustees.get(i));
		check(
			account.map(|a| a.to_ss58check()) == Some(t.account.clone()),
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
	if commitments.iter().any(|c| c.len() != p.threshold as usize) {
		bail!("a dealing's commitments do not match the threshold");
	}
	let refs: Vec<&[[u8; 32]]> = commitments.iter().map(|c| &c[..]).collect();
	let aggregate = egov_ballot::aggregate_commitments(&refs)
		.map_err(|e| anyhow!("dealings do not combine: {e:?}"))?;
	let joint_key = *aggregate.first().ok_or_else(|| anyhow!("no joint key"))?;
	let stored_aggregate: Vec<String> = aggregate.iter().map(|a| to_hex(a)).collect();
	check(
		stored_aggregate == record.key_commitments,
		"key commitments are not the qualified dealings' sum".into(),
	);
	check(
		election.public_key == Some(joint_key),
		"the election key is not the trustees' joint key".into(),
	);

	// Every counted ballot: proofs (batched), tracking code, one per citizen.
	let started = std::time::Instant::now();
	let pb = bar(record.ballots.len() as u64, "verifying ballots", quiet);
	let mut tally = Tally::new(&spec);
	let mut parsed: Vec<(BallotContext, EncryptedBallot)> =
		Vec::with_capacity(record.ballots.len());
	let mut citizens = std::collections::BTreeSet::new();
	let mut districts = std::collections::BTreeMap::new();
	let mut roll_unchecked = Vec::new();
	for b in &record.ballots {
		check(citizens.insert(b.citizen), format!("citizen {} has two counted ballots", b.citizen));
		let voter = parse_voter(&b.voter)?;
		if let Err(why) = check_signed_cast(b, &voter, record.election_id, H256(genesis)) {
			check(false, format!("ballot of citizen {}: {why}", b.citizen));
		}
		match roll_of(b, &election) {
			Roll::On => {},
			Roll::MovedOnSince => roll_unchecked.push(b.citizen),
			Roll::Off => check(
				false,
				format!(
					"citizen {} was not on the election's roll in district {}",
					b.citizen, b.district
				),
			),
		}
		*districts.entry(b.district).or_insert(0u32) += 1;
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
			public_key: joint_key,
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
	check(
		districts == record.turnout.iter().copied().collect(),
		"turnout per district is not where the counted ballots' voters are on the roll".into(),
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
		block_hash: record.block_hash.clone(),
		anchored: trusted.checkpoint.is_some(),
		roll_unchecked,
		ballots_per_second: if elapsed > 0.0 { record.ballots.len() as f64 / elapsed } else { 0.0 },
	})
}

/// What the registry entry of a ballot's citizen shows of the election's roll.
#[derive(PartialEq)]
enum Roll {
	/// On the roll, in the ballot's district, as an adult.
	On,
	Off,
	/// Registered by then and an adult, but the entry has moved twice since the roll was
	/// fixed: it no longer says where the citizen lived then.
	MovedOnSince,
}

/// Whether the registry entry of `b`'s citizen put it on the election's roll (the registry
/// at the end of the block in which voting opened) in `b`'s district, as an adult.
fn roll_of(b: &BallotEntry, e: &StoredElection) -> Roll {
	let Some(roll) = e.roll_fixed_at else { return Roll::Off };
	let Ok(r) = decode_hex::<CitizenRecord<AccountId, u32>>(&b.citizen_record, "a citizen") else {
		return Roll::Off;
	};
	let citizen = r.info(b.citizen);
	let in_districts = e.params.districts.is_empty() || e.params.districts.contains(&b.district);
	if citizen.registered_at > roll
		|| !citizen.adult_on_roll(e.params.election_day, roll)
		|| !in_districts
	{
		return Roll::Off;
	}
	match citizen.district_at(roll) {
		Some(d) if d == b.district => Roll::On,
		Some(_) => Roll::Off,
		None => Roll::MovedOnSince,
	}
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

#[cfg(test)]
mod tests {
	use super::*;
	use proptest::prelude::*;
	use serde_json::Value;

	/// A genuine record: a referendum on a dev chain, six voters (one re-voted), closed,
	/// two of three trustees' shares, the result published (`egov verify --out`).
	const GENUINE: &str = include_str!("../tests/records/referendum.json");

	fn genuine() -> ElectionRecord {
		serde_json::from_str(GENUINE).expect("the committed record parses")
	}

	/// The block the genuine record was exported at: the hash a verifier trusts.
	fn checkpoint() -> Trusted {
		let hash = |h: &str| Some(H256::from_slice(&unhex(h).expect("hex")));
		let record = genuine();
		Trusted {
			checkpoint: hash(&record.block_hash),
			genesis: hash(&record.genesis_hash),
			read_by_light_client: false,
		}
	}

	/// Verifies `record` with its digest recomputed, as a forger would: `Ok(true)` only if
	/// the verifier accepts it.
	fn accepted(mut record: ElectionRecord) -> bool {
		record.digest = record.compute_digest().unwrap_or_default();
		verify(&record, true, &checkpoint()).map(|v| v.ok).unwrap_or(false)
	}

	#[test]
	fn the_genuine_record_verifies() {
		let v = verify(&genuine(), true, &checkpoint()).expect("verifies");
		assert!(v.ok, "{:?}", v.failures);
		assert!(v.anchored && v.ballots_verified > 0);
	}

	#[test]
	fn a_record_of_another_block_than_the_checkpoint_is_refused() {
		let v = verify(
			&genuine(),
			true,
			&Trusted { checkpoint: Some(H256::repeat_byte(7)), ..Default::default() },
		)
		.expect("answers");
		assert!(!v.ok);
		assert!(v.failures.iter().any(|f| f.contains("not the checkpoint")), "{:?}", v.failures);
	}

	#[test]
	fn a_self_consistent_record_that_is_not_the_chains_state_is_refused() {
		// A forger's own election: the record recounts (every proof, the tally, the result)
		// but its values are not what the block's state holds. Here: the turnout moved to
		// another district, which nothing else in the record could contradict.
		let mut r = genuine();
		r.turnout[0].0 += 1;
		assert!(!accepted(r.clone()));
		r.proof.clear();
		assert!(!accepted(r));
	}

	/// A forger's record, built from scratch with our ballot crate: the genuine election's
	/// title, options and roll, but the forger's own trustees and key, a ballot for each of
	/// `voters` (all "yes"), the tally, shares and result that follow, and a state trie and
	/// header of its own making. `voters`: the genuine record's voters (addresses, registry
	/// entries and signed transactions as published), or the forger's own accounts, each
	/// signing its ballot.
	fn forged(own_voters: bool) -> ElectionRecord {
		use egov_ballot::{encrypt_ballot, Scalar};
		use polkadot_sdk::{
			sp_core::{sr25519, Pair},
			sp_runtime::{traits::Header as _, MultiSignature, StateVersion},
			sp_state_machine::{prove_read, InMemoryBackend},
		};
		use rand_core::OsRng;
		let genuine = genuine();
		let genesis: [u8; 32] = unhex(&genuine.genesis_hash).unwrap().try_into().unwrap();
		let id = genuine.election_id;
		let mut election: StoredElection = decode_hex(&genuine.election, "election").unwrap();
		let spec = election.params.kind.spec(election.params.options.len() as u32);

		// The forger's trustees and key generation.
		let (n, t) = (3u32, 2u32);
		let pairs: Vec<sr25519::Pair> = (0..n).map(|_| sr25519::Pair::generate().0).collect();
		let dkg = |j: u32| DkgContext {
			genesis_hash: genesis,
			election_id: id,
			trustee_index: j,
			trustees: n,
			threshold: t,
		};
		let transport: Vec<(Scalar, TransportKey)> =
			(1..=n).map(|j| TransportKey::generate(&dkg(j), &mut OsRng)).collect();
		let keys: Vec<[u8; 32]> = transport.iter().map(|(_, k)| k.key).collect();
		let dealings: Vec<Dealing> =
			(1..=n).map(|j| Dealing::create(&dkg(j), &keys, &mut OsRng).unwrap()).collect();
		let commitments: Vec<&[[u8; 32]]> = dealings.iter().map(|d| &d.commitments[..]).collect();
		let aggregate = egov_ballot::aggregate_commitments(&commitments).unwrap();
		election.params.trustees = pairs
			.iter()
			.map(|p| AccountId::from(p.public()))
			.collect::<Vec<_>>()
			.try_into()
			.unwrap();
		election.params.threshold = t;
		election.public_key = Some(aggregate[0]);

		// The ballots, all for the first option.
		let mut ballots = genuine.ballots.clone();
		let mut tally = Tally::new(&spec);
		for (k, b) in ballots.iter_mut().enumerate() {
			let pair = sr25519::Pair::generate().0;
			if own_voters {
				b.citizen = 1_000 + k as u64;
				b.voter = AccountId::from(pair.public()).to_ss58check();
				let mut citizen: CitizenRecord<AccountId, u32> =
					decode_hex(&b.citizen_record, "citizen").unwrap();
				citizen.account = AccountId::from(pair.public());
				b.citizen_record = to_hex(&citizen.encode());
				b.former_account = false;
			}
			let voter = parse_voter(&b.voter).unwrap();
			let ctx = BallotContext {
				genesis_hash: genesis,
				election_id: id,
				voter: voter.encode(),
				public_key: aggregate[0],
			};
			let choices: Vec<bool> = (0..spec.options).map(|o| o == 0).collect();
			let (ballot, _) = encrypt_ballot(&ctx, &spec, &choices, &mut OsRng).unwrap();
			tally.add(&ballot.ciphertexts).unwrap();
			b.ballot = to_hex(&ballot.encode());
			b.tracking_code = to_hex(
				pallet_elections::tracking_code(id, b.citizen, &voter.encode(), &ballot).as_bytes(),
			);
			if own_voters {
				let call =
					egov_runtime::RuntimeCall::Elections(pallet_elections::Call::cast_ballot {
						election: id,
						ballot,
					});
				let extension = egov_runtime::tx_extension(0, Era::Immortal);
				let context = SignedContext {
					spec_version: b.signed.spec_version,
					transaction_version: b.signed.transaction_version,
					genesis_hash: H256(genesis),
					birth: H256(genesis),
					metadata_hash: None,
				};
				let signature = pair.sign(&context.payload(&call.encode(), &extension));
				let xt = egov_runtime::UncheckedExtrinsic::new_signed(
					call,
					MultiAddress::Id(voter),
					MultiSignature::Sr25519(signature),
					extension,
				);
				b.signed.extrinsic = to_hex(&xt.encode());
				b.signed.birth = genuine.genesis_hash.clone();
			}
		}
		let tally = tally.ciphertexts().unwrap().into_inner();

		// Trustees 1 and 2 decrypt; the result follows.
		let mut trustees = Vec::new();
		for j in 1..=n {
			let (secret, transport_key) = &transport[j as usize - 1];
			let share_of_key: Scalar = dealings
				.iter()
				.enumerate()
				.map(|(i, d)| d.open_share(&dkg(i as u32 + 1), j, secret).unwrap())
				.sum();
			let share = (j <= t).then(|| {
				let ctx = ShareContext {
					genesis_hash: genesis,
					election_id: id,
					trustee_index: j,
					verification_key: egov_ballot::verification_key(&aggregate, j).unwrap(),
					counted_voters: ballots.len() as u64,
				};
				to_hex(
					&DecryptionShare::create(&ctx, &share_of_key, &tally, &mut OsRng)
						.unwrap()
						.encode(),
				)
			});
			trustees.push(TrusteeEntry {
				index: j,
				account: AccountId::from(pairs[j as usize - 1].public()).to_ss58check(),
				transport_key: to_hex(&transport_key.encode()),
				dealing: to_hex(&dealings[j as usize - 1].encode()),
				decryption_share: share,
				disqualified_by: None,
			});
		}
		let result = Some(
			(0..spec.options)
				.map(|o| if o == 0 { ballots.len() as u64 } else { 0 })
				.collect(),
		);
		let mut record = ElectionRecord {
			election: to_hex(&election.encode()),
			trustees,
			key_commitments: aggregate.iter().map(|a| to_hex(a)).collect(),
			ballots,
			tally: to_hex(&tally.encode()),
			result,
			proof: Vec::new(),
			..genuine.clone()
		};

		// A state of its own making with exactly these values, and a header over it.
		let mut state = std::collections::BTreeMap::new();
		for (key, stored) in stored_values(&record).unwrap() {
			let value = match stored {
				Stored::Value(v) => v,
				Stored::OrDefault(d) => Some(d),
				Stored::Ballot(i) => {
					let b = &record.ballots[i];
					Some(
						CastBallotOf::<egov_runtime::Runtime> {
							voter: parse_voter(&b.voter).unwrap(),
							ballot: decode_hex(&b.ballot, "ballot").unwrap(),
							tracking_code: H256::from_slice(&unhex(&b.tracking_code).unwrap()),
							superseded: Default::default(),
							cast_at: b.cast_at,
							district: b.district,
						}
						.encode(),
					)
				},
			};
			if let Some(v) = value {
				state.insert(key, v);
			}
		}
		let keys: Vec<Vec<u8>> = state.keys().cloned().collect();
		let backend = InMemoryBackend::<BlakeTwo256>::from((
			std::collections::HashMap::from([(None, state)]),
			StateVersion::V1,
		));
		let genuine_header =
			egov_runtime::Header::decode_all(&mut &unhex(&genuine.header).unwrap()[..]).unwrap();
		let header = egov_runtime::Header::new(
			genuine_header.number,
			Default::default(),
			*backend.root(),
			genuine_header.parent_hash,
			Default::default(),
		);
		record.proof = prove_read(backend, &keys)
			.unwrap()
			.into_iter_nodes()
			.map(|n| to_hex(&n))
			.collect();
		record.header = to_hex(&header.encode());
		record.block_hash = to_hex(header.hash().as_bytes());
		record.digest = record.compute_digest().unwrap();
		record
	}

	#[test]
	fn a_forged_record_of_real_voters_fails_on_their_signatures() {
		let record = forged(false);
		let v = verify(&record, true, &Trusted::default()).expect("answers");
		assert!(!v.ok);
		// Everything else is the forger's own consistent making: only the voters'
		// signatures and the anchor give it away.
		assert!(
			v.failures.iter().all(|f| f.contains("its transaction casts another ballot")),
			"{:?}",
			v.failures
		);
		assert_eq!(v.failures.len(), record.ballots.len());
		let anchored = verify(&record, true, &checkpoint()).expect("answers");
		assert!(anchored.failures.iter().any(|f| f.contains("not the checkpoint")));
	}

	#[test]
	fn a_forged_record_of_the_forgers_own_voters_is_refused_only_by_the_checkpoint() {
		let record = forged(true);
		// Self-consistent down to the signatures: without an anchor the verdict is "sound
		// but not anchored", which is why a verifier pins a block hash it trusts.
		let v = verify(&record, true, &Trusted::default()).expect("answers");
		assert!(v.ok && !v.anchored, "{:?}", v.failures);
		assert_eq!(v.recomputed_counts, vec![record.ballots.len() as u64, 0]);
		let anchored = verify(&record, true, &checkpoint()).expect("answers");
		assert!(!anchored.ok);
		assert_eq!(anchored.failures.len(), 1, "{:?}", anchored.failures);
		assert!(anchored.failures[0].contains("not the checkpoint"));
	}

	/// `egov --json verify --record FILE args...`, as a user runs it: `Ok` for a verified
	/// record, `Err(Rejected)` (exit code 2) for a refused one.
	fn egov_verify(record: &ElectionRecord, args: &[&str]) -> Result<()> {
		use clap::Parser;
		let dir = std::env::temp_dir().join(format!("egov-record-{}", std::process::id()));
		std::fs::create_dir_all(&dir)?;
		let file = dir.join(format!("{}.json", record.block_hash));
		std::fs::write(&file, serde_json::to_string(record)?)?;
		let mut argv = vec!["egov", "--json", "verify", "--record"];
		let path = file.display().to_string();
		argv.push(&path);
		argv.extend_from_slice(args);
		let cli = crate::Cli::try_parse_from(argv)?;
		tokio::runtime::Runtime::new()?.block_on(crate::run(cli))
	}

	#[test]
	fn egov_verify_refuses_forged_records_and_accepts_the_genuine_one() {
		let genuine = genuine();
		let pin = ["--checkpoint", &genuine.block_hash, "--genesis", &genuine.genesis_hash];
		egov_verify(&genuine, &pin).expect("the genuine record verifies");
		for forged in [forged(false), forged(true)] {
			let refused = egov_verify(&forged, &pin).expect_err("a forged record is refused");
			assert!(refused.is::<crate::Rejected>(), "{refused:#}");
		}
		// Real voters' addresses and a false result: refused even without an anchor.
		let refused = egov_verify(&forged(false), &[]).expect_err("refused on the signatures");
		assert!(refused.is::<crate::Rejected>(), "{refused:#}");
		// One byte changed: refused, with a reason (not an error of the command).
		let mut doctored = genuine.clone();
		let flipped = if &doctored.header[10..11] == "0" { "1" } else { "0" };
		doctored.header.replace_range(10..11, flipped);
		let refused = egov_verify(&doctored, &pin).expect_err("a changed header is refused");
		assert!(refused.is::<crate::Rejected>(), "{refused:#}");
	}

	#[test]
	fn the_roll_is_read_from_the_registry_entry_and_a_lost_history_is_not_a_verdict() {
		let record = genuine();
		let election: StoredElection = decode_hex(&record.election, "election").unwrap();
		let roll = election.roll_fixed_at.expect("voting opened");
		let ballot = &record.ballots[0];
		let entry: CitizenRecord<AccountId, u32> =
			decode_hex(&ballot.citizen_record, "citizen").unwrap();
		let with = |change: &dyn Fn(&mut CitizenRecord<AccountId, u32>)| {
			let mut e = entry.clone();
			change(&mut e);
			let b = BallotEntry { citizen_record: to_hex(&e.encode()), ..ballot.clone() };
			roll_of(&b, &election)
		};
		assert!(with(&|_| ()) == Roll::On);
		// Registered after voting opened: not on the roll.
		assert!(with(&|e| e.registered_at = roll + 1) == Roll::Off);
		// Moved out of the ballot's district before the roll: not there on the roll.
		assert!(
			with(&|e| {
				e.district = ballot.district + 1;
				e.district_since = roll;
			}) == Roll::Off
		);
		// Moved after the roll (once: the entry remembers where it lived then).
		assert!(
			with(&|e| {
				e.previous_district = Some((ballot.district, e.registered_at));
				e.district = ballot.district + 1;
				e.district_since = roll + 1;
			}) == Roll::On
		);
		// Moved twice since: the entry no longer says; not a failure, not a pass.
		assert!(
			with(&|e| {
				e.previous_district = Some((ballot.district + 2, roll + 1));
				e.district = ballot.district + 1;
				e.district_since = roll + 2;
			}) == Roll::MovedOnSince
		);
	}

	#[test]
	fn a_trustee_index_of_zero_is_refused_not_a_panic() {
		let mut r = genuine();
		r.trustees[0].index = 0;
		assert!(!accepted(r));
	}

	#[test]
	fn a_threshold_of_zero_with_empty_commitments_is_refused_not_a_panic() {
		let mut r = genuine();
		let mut e: StoredElection = decode_hex(&r.election, "the election").expect("decodes");
		e.params.threshold = 0;
		r.election = to_hex(&e.encode());
		for t in &mut r.trustees {
			let mut d: Dealing = decode_hex(&t.dealing, "a dealing").expect("decodes");
			d.commitments = Default::default();
			t.dealing = to_hex(&d.encode());
		}
		r.key_commitments.clear();
		assert!(!accepted(r));
	}

	/// One step of a path into a JSON value.
	#[derive(Clone, Debug)]
	enum Step {
		Key(String),
		Index(usize),
	}

	fn paths(v: &Value, here: Vec<Step>, out: &mut Vec<Vec<Step>>) {
		out.push(here.clone());
		match v {
			Value::Object(m) => m.iter().for_each(|(k, x)| {
				paths(x, [here.clone(), vec![Step::Key(k.clone())]].concat(), out)
			}),
			Value::Array(a) => a
				.iter()
				.enumerate()
				.for_each(|(i, x)| paths(x, [here.clone(), vec![Step::Index(i)]].concat(), out)),
			_ => {},
		}
	}

	fn at<'a>(v: &'a mut Value, path: &[Step]) -> &'a mut Value {
		path.iter().fold(v, |v, s| match s {
			Step::Key(k) => &mut v[k.as_str()],
			Step::Index(i) => &mut v[*i],
		})
	}

	/// A change that says the same: the proof is a set of trie nodes, so one node twice
	/// proves what it proved once; a changed digest that is then recomputed is the original.
	fn benign(path: &[Step], how: u8, recompute_digest: bool) -> bool {
		(matches!(path, [Step::Key(k)] if k == "proof") && how % 3 == 1)
			|| (matches!(path, [Step::Key(k)] if k == "digest") && recompute_digest)
	}

	/// Changes the value at one place: a hex digit, a length, a number, an element.
	fn mutate(v: &mut Value, how: u8, pos: usize) {
		match v {
			Value::String(s) if s.starts_with("0x") && s.len() > 2 => {
				let i = 2 + pos % (s.len() - 2);
				match how % 3 {
					0 => {
						let c = s.as_bytes()[i];
						let flipped = if c == b'0' { '1' } else { '0' };
						s.replace_range(i..i + 1, &flipped.to_string());
					},
					1 => s.truncate(i),
					_ => s.push_str("00"),
				}
			},
			Value::String(s) => match how % 2 {
				0 => s.push('x'),
				_ => s.clear(),
			},
			Value::Number(n) => {
				let old = n.as_u64().unwrap_or_default();
				*v = Value::from(
					[0, 1, old.wrapping_add(1), u32::MAX as u64, u64::MAX][how as usize % 5],
				);
			},
			Value::Array(a) if !a.is_empty() => {
				let i = pos % a.len();
				match how % 3 {
					0 => {
						a.remove(i);
					},
					1 => {
						let copy = a[i].clone();
						a.push(copy);
					},
					_ => a.clear(),
				}
			},
			Value::Array(a) => a.push(Value::from(0)),
			Value::Null => *v = Value::from(0),
			_ => *v = Value::Null,
		}
	}

	proptest! {
		#![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

		/// Any one change anywhere in a genuine record, with or without a recomputed
		/// digest: the verifier answers (never panics) and accepts none, against the
		/// trusted block.
		#[test]
		fn a_changed_record_never_verifies_and_never_panics(
			which in any::<prop::sample::Index>(),
			how in any::<u8>(),
			pos in any::<usize>(),
			recompute_digest in any::<bool>(),
		) {
			let original: Value = serde_json::from_str(GENUINE).expect("parses");
			let mut all = Vec::new();
			paths(&original, Vec::new(), &mut all);
			let path = which.get(&all).clone();
			let mut changed = original.clone();
			mutate(at(&mut changed, &path), how, pos);
			if changed == original {
				return Ok(()); // e.g. a number set to the value it had
			}
			let Ok(mut record) = serde_json::from_value::<ElectionRecord>(changed) else {
				return Ok(()); // not a record at all: refused when read
			};
			if recompute_digest {
				record.digest = record.compute_digest().expect("serialises");
			}
			let verdict = verify(&record, true, &checkpoint());
			if !benign(&path, how, recompute_digest) {
				prop_assert!(
					verdict.map(|v| !v.ok).unwrap_or(true),
					"a change at {path:?} was accepted"
				);
			}
		}
	}
}
