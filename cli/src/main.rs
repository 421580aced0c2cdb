//! `egov`: the command-line client of egov-chain.
//!
//! - the council and the technical committee propose, vote on and close motions;
//! - the civil registry registers citizens in bulk from its records;
//! - the election commission creates, opens, closes and cancels elections;
//! - trustees generate the joint key (transport key, dealing) and post decryption shares;
//! - voters seal a ballot, see its tracking code, then cast or audit it (Benaloh challenge),
//!   and look up their tracking codes;
//! - anyone exports an election record and verifies it, recounting from chain data;
//! - anyone takes a provable extract of a land title and checks it offline;
//! - before an upgrade is proposed, anyone runs its checks against the live state.
//!
//! Transactions are built from the runtime's own types, signed locally and mortal (64
//! blocks); secrets never come from the command line. Ballots are encrypted locally with OS
//! randomness: the node only ever sees ciphertexts. What a command decides on is read with
//! storage proofs against the finalized block, and commands wait for finality.

mod act;
mod chain;
mod council;
mod credential;
mod elections;
mod entity;
mod land;
mod load;
mod property;
mod record;
mod registry;
mod rotation;
mod secret;
mod upgrade;
mod voter;

use anyhow::Result;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser)]
#[command(name = "egov", version, about = "egov-chain client: elections, ballots, verification")]
struct Cli {
	/// The node's RPC endpoint (ignored with a light client).
	#[arg(long, global = true, default_value = "ws://127.0.0.1:9944")]
	url: String,
	/// Follow the chain with this machine's own light client instead of believing a node:
	/// the relay chain's spec (its boot nodes are where it connects). Needs --para-spec.
	#[arg(long, global = true, requires = "para_spec", value_name = "FILE")]
	relay_spec: Option<PathBuf>,
	/// Our chain's spec, for the light client (see --relay-spec).
	#[arg(long, global = true, requires = "relay_spec", value_name = "FILE")]
	para_spec: Option<PathBuf>,
	/// Print results as JSON (for scripts and tests).
	#[arg(long, global = true)]
	json: bool,
	#[command(subcommand)]
	command: Command,
}

#[derive(Subcommand)]
enum Command {
	/// Council of ministries: propose an act (appoint an authority, announce an act), list
	/// open motions decoded, vote, close.
	#[command(subcommand)]
	Council(council::MotionCommand),
	/// Technical committee: the same, for the acts it takes (whitelisting a call).
	#[command(subcommand)]
	TechnicalCommittee(council::MotionCommand),
	/// Civil registry: register citizens (one, or in bulk from the civil records; personal
	/// data and salts stay in a local store, only commitments go on chain), correct, move,
	/// suspend, restore, record deaths and majorities, remove, show.
	#[command(subcommand)]
	Registry(registry::RegistryCommand),
	/// Business registry: legal entities from their filings, their status and
	/// representatives.
	#[command(subcommand)]
	Entity(entity::EntityCommand),
	/// Credentials: issue (one document or a folder), revoke, and check a document.
	#[command(subcommand)]
	Credential(credential::CredentialCommand),
	/// Key rotation of a citizen: started by the civil registry, accepted and completed
	/// with the new key, objected to with the old one, confirmed or cancelled by a court.
	#[command(subcommand)]
	KeyRotation(rotation::RotationCommand),
	/// Election commission: create, open, close, cancel, show, publish, export.
	#[command(subcommand)]
	Election(elections::ElectionCommand),
	/// Trustees: key generation and decryption shares.
	#[command(subcommand)]
	Trustee(elections::TrusteeCommand),
	/// Vote: seal a ballot and see its tracking code, then cast it or audit it (open it to
	/// check that it encrypts your choices; an audited ballot is never cast).
	Vote(voter::VoteArgs),
	/// Check an audited ballot (from `egov vote --audit`) on any device: it encrypts exactly
	/// the choices shown, under the election's key, and (with --against-chain) was never cast.
	VerifyAudit(voter::VerifyAuditArgs),
	/// Property: titles, encumbrances, court freezes, escrow deals, and provable extracts
	/// checked offline.
	#[command(subcommand)]
	Property(property::PropertyCommand),
	/// Look up a ballot's tracking code: counted, superseded or unknown (proven against the
	/// finalized block).
	Track {
		/// The tracking code printed when the ballot was cast.
		code: String,
	},
	/// The finalized head and what this connection trusts for it.
	Head,
	/// Whether an account may vote in an election.
	Eligibility {
		election: u64,
		/// SS58 address or dev URI (//Alice).
		account: String,
	},
	/// Recount an election from chain data (or from an exported record) and check the
	/// published result.
	Verify(elections::VerifyArgs),
	/// Measure the verifier: ballots verified per second on this machine.
	BenchVerify {
		/// How many ballots to generate and verify.
		#[arg(long, default_value_t = 20_000)]
		ballots: usize,
		/// Options per ballot (2 = referendum).
		#[arg(long, default_value_t = 2)]
		options: u32,
	},
	/// Load generator (loopback dev node only): many voters casting ballots next to plain
	/// balance transfers; reports ballots/s, transfers/s and their ratio.
	Load(load::LoadArgs),
	/// Flood test (loopback dev node only): one citizen sends thousands of junk ballots,
	/// then honest voters vote; fails unless no junk is included and every honest ballot is.
	Flood(load::FloodArgs),
	/// Run a candidate runtime's upgrade checks (migrations, every pallet's try_state)
	/// against the node's state, before the upgrade is proposed. Reads only.
	TryUpgrade(upgrade::TryUpgradeArgs),
}

#[tokio::main]
async fn main() {
	let cli = Cli::parse();
	if let Err(e) = run(cli).await {
		// A verdict of "rejected" has been printed already; exit 2 tells scripts it was the
		// evidence that failed, not the command.
		if e.is::<Rejected>() {
			std::process::exit(2);
		}
		eprintln!("error: {e:#}");
		std::process::exit(1);
	}
}

/// A verifier's verdict: the evidence it checked does not hold (exit code 2).
#[derive(Debug)]
pub struct Rejected;

impl std::fmt::Display for Rejected {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		f.write_str("rejected")
	}
}

impl std::error::Error for Rejected {}

async fn run(cli: Cli) -> Result<()> {
	let out = elections::Output { json: cli.json };
	let light = match (cli.relay_spec, cli.para_spec) {
		(Some(relay), Some(parachain)) => Some(chain::LightSpecs { relay, parachain }),
		_ => None,
	};
	let endpoint = chain::Endpoint { url: cli.url, light };
	let url = &endpoint;
	match cli.command {
		Command::Head => chain::head(url, &out).await,
		Command::Council(c) => council::run(url, council::Collective::Council, c, &out).await,
		Command::TechnicalCommittee(c) => {
			council::run(url, council::Collective::TechnicalCommittee, c, &out).await
		},
		Command::Registry(c) => registry::run(url, c, &out).await,
		Command::Entity(c) => entity::run(url, c, &out).await,
		Command::Credential(c) => credential::run(url, c, &out).await,
		Command::KeyRotation(c) => rotation::run(url, c, &out).await,
		Command::Election(c) => elections::election(url, c, &out).await,
		Command::Trustee(c) => elections::trustee(url, c, &out).await,
		Command::Vote(a) => voter::vote(url, a, &out).await,
		Command::VerifyAudit(a) => voter::verify_audit(url, a, &out).await,
		Command::Track { code } => voter::track(url, &code, &out).await,
		Command::Eligibility { election, account } => {
			voter::eligibility(url, election, &account, &out).await
		},
		Command::Verify(a) => elections::verify(url, a, &out).await,
		Command::BenchVerify { ballots, options } => load::bench_verify(ballots, options, &out),
		Command::Load(a) => load::run(url, a, &out).await,
		Command::Flood(a) => load::flood(url, a, &out).await,
		Command::Property(c) => property::run(url, c, &out).await,
		Command::TryUpgrade(a) => upgrade::try_upgrade(url, a, &out).await,
	}
}
