//! Performance tools: the verifier benchmark and the end-to-end load generator.

use crate::{
	chain::{account_of, AccountId, Chain, Endpoint},
	elections::{progress as bar, Output},
	record::verify_ballots,
	secret::signer,
};
use anyhow::{anyhow, bail, Result};
use clap::Args;
use codec::{Decode, Encode};
use egov_ballot::{BallotContext, BallotSpec, EncryptedBallot};
use egov_runtime::{RuntimeCall, UncheckedExtrinsic};
use indicatif::ProgressBar;
use pallet_elections::ElectionStatus;
use polkadot_sdk::{
	pallet_balances, pallet_timestamp, pallet_utility,
	sp_core::{sr25519, H256},
	sp_crypto_hashing::blake2_256,
};
use rand_core::{OsRng, RngCore};
use serde_json::json;
use std::{
	collections::HashSet,
	time::{Duration, Instant},
};

/// Lifetime of the transactions the load and flood generators sign before submitting any:
/// they must outlive the whole run (~17 min at the dev chain's 1 s blocks).
const PRESIGNED_LIFETIME: u64 = 1024;

/// Builds `n` valid ballots for distinct voters, on every core.
fn make_ballots(
	n: usize,
	spec: &BallotSpec,
	ctx_of: impl Fn(usize) -> BallotContext + Sync,
	pb: &ProgressBar,
) -> Vec<(BallotContext, EncryptedBallot)> {
	let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
	let mut out: Vec<Option<(BallotContext, EncryptedBallot)>> = (0..n).map(|_| None).collect();
	let per = n.div_ceil(threads).max(1);
	std::thread::scope(|s| {
		for (t, slot) in out.chunks_mut(per).enumerate() {
			let ctx_of = &ctx_of;
			s.spawn(move || {
				for (k, cell) in slot.iter_mut().enumerate() {
					let i = t * per + k;
					let ctx = ctx_of(i);
					let pick = (OsRng.next_u32() % spec.options) as usize;
					let choices: Vec<bool> = (0..spec.options as usize)
						.map(|o| if spec.max_selections == 0 { false } else { o == pick })
						.collect();
					if let Ok((b, _)) =
						egov_ballot::encrypt_ballot(&ctx, spec, &choices, &mut OsRng)
					{
						*cell = Some((ctx, b));
					}
					pb.inc(1);
				}
			});
		}
	});
	out.into_iter().flatten().collect()
}

/// Generates ballots and measures how many the verifier checks per second.
pub fn bench_verify(n: usize, options: u32, out: &Output) -> Result<()> {
	let spec = BallotSpec::single_choice(options);
	let key = egov_ballot::keypair(&mut OsRng).1;
	let pb = bar(n as u64, "building ballots", out.json);
	let ballots = make_ballots(
		n,
		&spec,
		|i| BallotContext {
			genesis_hash: [1; 32],
			election_id: 1,
			voter: (i as u64).encode(),
			public_key: key,
		},
		&pb,
	);
	pb.finish_and_clear();
	let pb = bar(n as u64, "verifying", out.json);
	let started = Instant::now();
	let bad = verify_ballots(&ballots, &spec, &pb);
	let secs = started.elapsed().as_secs_f64();
	pb.finish_and_clear();
	if !bad.is_empty() {
		bail!("{} valid ballots failed verification", bad.len());
	}
	let rate = n as f64 / secs;
	let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
	out.show(
		json!({ "ballots": n, "options": options, "seconds": secs, "ballotsPerSecond": rate, "threads": threads }),
		|| format!("verified {n} {options}-option ballots in {secs:.2} s on {threads} threads: {rate:.0} ballots/s"),
	);
	Ok(())
}

/// A loopback node with an election whose key is ready and whose voting has not opened,
/// the civil registry's key to add voters and the commission's to open it: the roll is
/// fixed when voting opens, so the voters are registered first.
struct LoadTarget {
	chain: Chain,
	registry: sr25519::Pair,
	commission: sr25519::Pair,
	key: [u8; 32],
	spec: BallotSpec,
	district: u32,
}

impl LoadTarget {
	async fn connect(
		url: &Endpoint,
		election: u64,
		registry_seed: &str,
		commission_seed: &str,
	) -> Result<Self> {
		let host = url.url.split("://").nth(1).unwrap_or(&url.url);
		if url.light.is_some() {
			bail!("load and flood tests run against a loopback node's RPC, not a light client");
		}
		if !(host.starts_with("127.0.0.1")
			|| host.starts_with("localhost")
			|| host.starts_with("[::1]"))
		{
			bail!("load and flood tests only run against a loopback node");
		}
		let chain = Chain::connect(url).await?;
		let registry = signer(registry_seed)?;
		let commission = signer(commission_seed)?;
		let e = chain
			.runtime_call::<Option<crate::record::StoredElection>>(
				"ElectionsApi_election",
				election,
				None,
			)
			.await?
			.ok_or_else(|| anyhow!("no election {election}"))?;
		if e.status != ElectionStatus::Ready {
			bail!(
				"election {election} is {:?}: pass one whose key is ready and whose voting has \
				 not opened (the tool registers its voters, then opens it: the roll is fixed \
				 when voting opens)",
				e.status
			);
		}
		let key = e.public_key.ok_or_else(|| anyhow!("election key not ready"))?;
		let spec = e.params.kind.spec(e.params.options.len() as u32);
		let district = e.params.districts.first().copied().unwrap_or(1);
		Ok(LoadTarget { chain, registry, commission, key, spec, district })
	}

	/// Opens voting with the commission's key, after the voters were registered.
	async fn open_voting(&self, election: u64) -> Result<()> {
		let call = RuntimeCall::Elections(pallet_elections::Call::open_voting { election });
		self.chain.send(&self.commission, call).await.map(|_| ())
	}

	/// One valid ballot from each of `voters`, encrypted on every core and signed.
	async fn signed_ballots(
		&self,
		election: u64,
		voters: &[sr25519::Pair],
		out: &Output,
	) -> Result<Vec<UncheckedExtrinsic>> {
		let pb = bar(voters.len() as u64, "encrypting ballots", out.json);
		let accounts: Vec<AccountId> = voters.iter().map(account_of).collect();
		let ballots =
			make_ballots(voters.len(), &self.spec, |i| self.context(election, &accounts[i]), &pb);
		pb.finish_and_clear();
		let mut xts = Vec::with_capacity(ballots.len());
		let mortality = self.chain.mortality(PRESIGNED_LIFETIME).await?;
		for (pair, (_, ballot)) in voters.iter().zip(ballots) {
			let call =
				RuntimeCall::Elections(pallet_elections::Call::cast_ballot { election, ballot });
			let nonce = self.chain.nonce(&account_of(pair)).await?;
			xts.push(self.chain.sign(pair, call, nonce, &mortality));
		}
		Ok(xts)
	}

	fn context(&self, election: u64, voter: &AccountId) -> BallotContext {
		BallotContext {
			genesis_hash: self.chain.genesis_hash.0,
			election_id: election,
			voter: voter.encode(),
			public_key: self.key,
		}
	}
}

/// `n` new keys, unique to this run.
fn fresh_voters(run: &str, n: usize) -> Result<Vec<sr25519::Pair>> {
	(0..n).map(|i| signer(&format!("//{run}/voter/{i}"))).collect()
}

/// Registers `voters` as adult citizens of `district`, 250 per batch.
async fn register_voters(
	chain: &Chain,
	registry: &sr25519::Pair,
	voters: &[sr25519::Pair],
	district: u32,
	out: &Output,
) -> Result<()> {
	let pb = bar(voters.len() as u64, "registering voters", out.json);
	for chunk in voters.chunks(250) {
		let calls: Vec<RuntimeCall> = chunk
			.iter()
			.map(|p| {
				let who = account_of(p);
				RuntimeCall::IdentityRegistry(pallet_identity_registry::Call::register_citizen {
					account: who.clone(),
					commitment: H256(blake2_256(&(b"load", &who).encode())),
					district,
					majority: egov_primitives::Majority::Adult,
				})
			})
			.collect();
		chain
			.send(registry, RuntimeCall::Utility(pallet_utility::Call::batch_all { calls }))
			.await?;
		pb.inc(chunk.len() as u64);
	}
	pb.finish_and_clear();
	Ok(())
}

#[derive(Args)]
pub struct LoadArgs {
	/// A referendum whose key is ready, not yet open: the tool opens it once its voters
	/// are registered (they must be on the roll).
	#[arg(long)]
	pub election: u64,
	/// A civil-registry authority, to register the load's voters.
	#[arg(long)]
	pub registry_seed: String,
	/// The commission account that created the election, to open it.
	#[arg(long)]
	pub commission_seed: String,
	/// Voters casting one ballot each.
	#[arg(long, default_value_t = 2_000)]
	pub voters: usize,
	/// Balance transfers submitted alongside.
	#[arg(long, default_value_t = 2_000)]
	pub transfers: usize,
	/// Funded accounts sending the transfers (dev URIs), comma-separated.
	#[arg(
		long,
		default_value = "//Alice,//Bob,//Charlie,//Dave,//Eve,//Ferdie",
		value_delimiter = ','
	)]
	pub senders: Vec<String>,
	/// Give up waiting for inclusion after this many seconds.
	#[arg(long, default_value_t = 600)]
	pub timeout: u64,
}

enum Kind {
	Ballot,
	Transfer,
	Other,
}

fn kind_of(xt: &[u8]) -> Kind {
	match UncheckedExtrinsic::decode(&mut &xt[..]).map(|x| x.function) {
		Ok(RuntimeCall::Elections(pallet_elections::Call::cast_ballot { .. })) => Kind::Ballot,
		Ok(RuntimeCall::Balances(_)) => Kind::Transfer,
		_ => Kind::Other,
	}
}

fn block_time(xts: &[Vec<u8>]) -> Option<u64> {
	xts.iter()
		.find_map(|x| match UncheckedExtrinsic::decode(&mut &x[..]).ok()?.function {
			RuntimeCall::Timestamp(pallet_timestamp::Call::set { now }) => Some(now),
			_ => None,
		})
}

/// Registers voters, then submits their ballots interleaved with transfers as fast as the
/// node takes them, and measures what the chain includes per second.
pub async fn run(url: &Endpoint, args: LoadArgs, out: &Output) -> Result<()> {
	let target =
		LoadTarget::connect(url, args.election, &args.registry_seed, &args.commission_seed).await?;
	let chain = &target.chain;
	let run_id = OsRng.next_u32();
	let voters = fresh_voters(&format!("load-{run_id}"), args.voters)?;

	// 1. Register the voters, then open voting: they are on its roll.
	register_voters(chain, &target.registry, &voters, target.district, out).await?;
	target.open_voting(args.election).await?;

	// 2. Build and sign everything before submitting anything.
	let ballot_xts = target.signed_ballots(args.election, &voters, out).await?;
	let senders: Vec<sr25519::Pair> =
		args.senders.iter().map(|s| signer(s)).collect::<Result<_>>()?;
	let mut nonces = Vec::new();
	for s in &senders {
		nonces.push(chain.nonce(&account_of(s)).await?);
	}
	let mortality = chain.mortality(PRESIGNED_LIFETIME).await?;
	let payees: Vec<AccountId> = (0..100)
		.map(|i| signer(&format!("//load-{run_id}/payee/{i}")).map(|p| account_of(&p)))
		.collect::<Result<_>>()?;
	let transfer_xts: Vec<UncheckedExtrinsic> = (0..args.transfers)
		.map(|i| {
			let k = i % senders.len();
			let dest = payees[i % payees.len()].clone();
			let call = RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
				dest: dest.into(),
				value: 1_000_000_000_000,
			});
			let xt = chain.sign(&senders[k], call, nonces[k], &mortality);
			nonces[k] += 1;
			xt
		})
		.collect();

	// 3. Submit, interleaved.
	let (_, start_block) = chain.best_head().await?;
	let total = ballot_xts.len() + transfer_xts.len();
	let pb = bar(total as u64, "submitting", out.json);
	let submitted_at = Instant::now();
	let mut refused = 0usize;
	let mut b = ballot_xts.iter();
	let mut t = transfer_xts.iter();
	loop {
		let (nb, nt) = (b.next(), t.next());
		if nb.is_none() && nt.is_none() {
			break;
		}
		for xt in [nb, nt].into_iter().flatten() {
			if chain.submit(xt).await.is_err() {
				refused += 1;
			}
			pb.inc(1);
		}
	}
	pb.finish_and_clear();
	let submit_secs = submitted_at.elapsed().as_secs_f64();

	// 4. Count what the chain includes, block by block, by the blocks' own timestamps.
	let pb = bar(total as u64, "included", out.json);
	let (mut ballots_in, mut transfers_in) = (0usize, 0usize);
	let mut next = start_block + 1;
	let (mut first_time, mut last_time): (Option<u64>, u64) = (None, 0);
	let mut prev_time = None;
	let mut blocks = Vec::new();
	let deadline = Instant::now() + Duration::from_secs(args.timeout);
	while ballots_in + transfers_in + refused < total && Instant::now() < deadline {
		let (_, best) = chain.best_head().await?;
		if next > best {
			tokio::time::sleep(Duration::from_millis(500)).await;
			continue;
		}
		let hash = chain.block_hash(next).await?;
		let xts = chain.block_extrinsics(hash).await?;
		let time = block_time(&xts).unwrap_or_default();
		let (mut nb, mut nt) = (0, 0);
		for x in &xts {
			match kind_of(x) {
				Kind::Ballot => nb += 1,
				Kind::Transfer => nt += 1,
				Kind::Other => {},
			}
		}
		if nb + nt > 0 {
			first_time.get_or_insert(prev_time.unwrap_or(time));
			last_time = time;
			blocks.push(json!({ "block": next, "ballots": nb, "transfers": nt }));
		}
		prev_time = Some(time);
		ballots_in += nb;
		transfers_in += nt;
		pb.inc((nb + nt) as u64);
		next += 1;
	}
	pb.finish_and_clear();
	let span = (last_time.saturating_sub(first_time.unwrap_or(last_time))) as f64 / 1000.0;
	let (bps, tps) = if span > 0.0 {
		(ballots_in as f64 / span, transfers_in as f64 / span)
	} else {
		(0.0, 0.0)
	};
	let ratio = if tps > 0.0 { bps / tps } else { 0.0 };
	out.show(
		json!({
			"voters": args.voters, "transfers": args.transfers, "refused": refused,
			"ballotsIncluded": ballots_in, "transfersIncluded": transfers_in,
			"seconds": span, "submitSeconds": submit_secs,
			"ballotsPerSecond": bps, "transfersPerSecond": tps, "ratio": ratio,
			"maxBallotsInABlock": blocks.iter().filter_map(|b| b["ballots"].as_u64()).max(),
			"blocks": blocks,
		}),
		|| {
			format!(
				"included {ballots_in} ballots and {transfers_in} transfers ({refused} refused) over {span:.1} s of chain time:\n  {bps:.1} ballots/s, {tps:.1} transfers/s, ratio {ratio:.2}\n  per block: {}",
				blocks.iter().map(|b| format!("{}b/{}t", b["ballots"], b["transfers"])).collect::<Vec<_>>().join(" ")
			)
		},
	);
	Ok(())
}

#[derive(Args)]
pub struct FloodArgs {
	/// An election to flood whose key is ready, not yet open: the tool opens it once the
	/// flooder and the honest voters are registered (they must be on the roll).
	#[arg(long)]
	pub election: u64,
	/// A civil-registry authority, to register the flooder and the honest voters.
	#[arg(long)]
	pub registry_seed: String,
	/// The commission account that created the election, to open it.
	#[arg(long)]
	pub commission_seed: String,
	/// Junk ballots (broken proofs) the one flooding citizen sends.
	#[arg(long, default_value_t = 10_000)]
	pub junk: usize,
	/// Honest voters casting one valid ballot each, right after the flood.
	#[arg(long, default_value_t = 20)]
	pub honest: usize,
	/// Give up waiting for the honest ballots after this many seconds.
	#[arg(long, default_value_t = 120)]
	pub timeout: u64,
}

/// One eligible citizen sends `junk` ballots with broken proofs (each a distinct
/// transaction, at consecutive nonces), then honest voters cast valid ones. Reports how
/// many junk ballots the pool accepted and the chain included, and in which block after
/// their submission the honest ballots landed.
pub async fn flood(url: &Endpoint, args: FloodArgs, out: &Output) -> Result<()> {
	let target =
		LoadTarget::connect(url, args.election, &args.registry_seed, &args.commission_seed).await?;
	let chain = &target.chain;
	let run = format!("flood-{}", OsRng.next_u32());
	let voters = fresh_voters(&run, args.honest + 1)?;
	register_voters(chain, &target.registry, &voters, target.district, out).await?;
	target.open_voting(args.election).await?;
	let (flooder, honest) = voters.split_first().ok_or_else(|| anyhow!("no voters"))?;

	// Junk: one valid ballot of the flooder's with a different proof response each time,
	// so every copy costs a full verification to refuse.
	let flooder_account = account_of(flooder);
	let choices: Vec<bool> = (0..target.spec.options).map(|o| o == 0).collect();
	let (valid, _) = egov_ballot::encrypt_ballot(
		&target.context(args.election, &flooder_account),
		&target.spec,
		&choices,
		&mut OsRng,
	)
	.map_err(|e| anyhow!("cannot build a ballot: {e:?}"))?;
	let base_nonce = chain.nonce(&flooder_account).await?;
	let mortality = chain.mortality(PRESIGNED_LIFETIME).await?;
	let pb = bar(args.junk as u64, "signing junk", out.json);
	let junk: Vec<UncheckedExtrinsic> = (0..args.junk)
		.map(|i| {
			let mut ballot = valid.clone();
			let wrong = egov_ballot::Scalar::from(i as u64 + 2).to_bytes();
			ballot.option_proofs[0].responses[0] = wrong;
			let call = RuntimeCall::Elections(pallet_elections::Call::cast_ballot {
				election: args.election,
				ballot,
			});
			pb.inc(1);
			chain.sign(flooder, call, base_nonce + i as u32, &mortality)
		})
		.collect();
	pb.finish_and_clear();
	let junk_hashes: HashSet<[u8; 32]> = junk.iter().map(|x| blake2_256(&x.encode())).collect();

	let honest_xts = target.signed_ballots(args.election, honest, out).await?;
	let honest_hashes: HashSet<[u8; 32]> =
		honest_xts.iter().map(|x| blake2_256(&x.encode())).collect();

	// The flood, then the honest ballots.
	let (_, start_block) = chain.best_head().await?;
	let pb = bar(args.junk as u64, "flooding", out.json);
	let started = Instant::now();
	let mut junk_accepted = 0usize;
	let mut refusals: std::collections::BTreeMap<String, usize> = Default::default();
	for xt in &junk {
		match chain.submit(xt).await {
			Ok(_) => junk_accepted += 1,
			Err(e) => {
				let reason = format!("{e:#}");
				let name = reason
					.split("Elections.")
					.nth(1)
					.and_then(|r| r.split(' ').next())
					.unwrap_or("other")
					.to_string();
				*refusals.entry(name).or_default() += 1;
			},
		}
		pb.inc(1);
	}
	pb.finish_and_clear();
	let flood_secs = started.elapsed().as_secs_f64();
	let (_, honest_from) = chain.best_head().await?;
	let mut honest_refused = 0usize;
	for xt in &honest_xts {
		if chain.submit(xt).await.is_err() {
			honest_refused += 1;
		}
	}

	// Every block from before the flood until the honest ballots are in (or time is up).
	let (mut junk_in, mut honest_in) = (0usize, 0usize);
	let mut honest_last_block = None;
	let mut next = start_block + 1;
	let deadline = Instant::now() + Duration::from_secs(args.timeout);
	while honest_in + honest_refused < honest_xts.len() && Instant::now() < deadline {
		let (_, best) = chain.best_head().await?;
		if next > best {
			tokio::time::sleep(Duration::from_millis(300)).await;
			continue;
		}
		for x in chain.block_extrinsics(chain.block_hash(next).await?).await? {
			let h = blake2_256(&x);
			if junk_hashes.contains(&h) {
				junk_in += 1;
			} else if honest_hashes.contains(&h) {
				honest_in += 1;
				honest_last_block = Some(next);
			}
		}
		next += 1;
	}
	// Blocks the honest ballots waited, counted from the best block when they were sent.
	let waited = honest_last_block.map(|b| b.saturating_sub(honest_from));
	out.show(
		json!({
			"junkSent": args.junk, "junkAcceptedByPool": junk_accepted, "junkIncluded": junk_in,
			"refusals": refusals, "floodSeconds": flood_secs,
			"honestSent": honest_xts.len(), "honestRefused": honest_refused,
			"honestIncluded": honest_in, "honestBlocksWaited": waited,
		}),
		|| {
			format!(
				"{} junk ballots from one citizen in {flood_secs:.1} s: {junk_accepted} accepted by the pool, {junk_in} included; refusals {refusals:?}\n{honest_in} of {} honest ballots included, the last {} block(s) after they were sent",
				args.junk,
				honest_xts.len(),
				waited.map_or("-".to_string(), |w| w.to_string()),
			)
		},
	);
	if junk_in > 0 || honest_in < honest_xts.len() {
		bail!("the flood got junk into blocks or kept honest ballots out");
	}
	Ok(())
}
