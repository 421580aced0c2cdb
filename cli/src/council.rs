//! Council and technical committee motions: propose an act, see what each open motion will
//! do (decoded from the chain's state, with proofs), vote, close.
//!
//! The acts a ministry needs by name (appoint and remove authorities, announce an act under
//! public notice, whitelist a call), anything else as a SCALE-encoded call. Each named act
//! proposes the threshold its origin needs ([`Act::threshold`]): a motion with fewer ayes
//! than that would pass and then fail with `BadOrigin`.

use crate::{
	chain::{account_of, error_name, parse_account, to_hex, unhex, AccountId, Chain, Endpoint},
	elections::Output,
	secret::SignerArgs,
};
use anyhow::{anyhow, bail, Context, Result};
use clap::Subcommand;
use codec::{Decode, Encode};
use egov_primitives::{CredentialKind, Role};
use egov_runtime::configs::governance::CouncilThreeQuarters;
use egov_runtime::{Runtime, RuntimeCall, RuntimeEvent};
use polkadot_sdk::{
	frame_support::{traits::EitherOfDiverse, weights::Weight, BoundedVec},
	frame_system::EnsureRoot,
	pallet_collective::{self, Instance1, Instance2},
	pallet_whitelist,
	sp_core::{crypto::Ss58Codec, sr25519, H256},
	sp_runtime::traits::{BlakeTwo256, Hash},
};
use serde_json::json;
use std::any::TypeId;

/// Which collective a command speaks for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Collective {
	/// The council of ministries.
	Council,
	/// The technical committee.
	TechnicalCommittee,
}

impl Collective {
	fn name(self) -> &'static str {
		match self {
			Collective::Council => "council",
			Collective::TechnicalCommittee => "technical committee",
		}
	}
}

#[derive(Subcommand)]
pub enum MotionCommand {
	/// Propose a motion (a member): the act, and the number of ayes it needs.
	Propose {
		#[command(subcommand)]
		act: Act,
		/// Ayes needed to pass: by default what the act's origin requires of this
		/// collective's current members.
		#[arg(long, global = true)]
		threshold: Option<u32>,
		#[command(flatten)]
		signer: SignerArgs,
	},
	/// The open motions: what each will do, decoded, its votes and its deadline.
	Motions,
	/// Vote on an open motion (a member). Prints what the motion will do first.
	Vote {
		/// The motion's index or hash (`egov council motions`).
		motion: String,
		/// Vote for the motion.
		#[arg(long, required_unless_present = "nay", conflicts_with = "nay")]
		aye: bool,
		/// Vote against the motion.
		#[arg(long)]
		nay: bool,
		#[command(flatten)]
		signer: SignerArgs,
	},
	/// Close a motion (anyone): it is carried out if it has the ayes it needs, dropped if it
	/// cannot get them or its time ran out.
	Close {
		/// The motion's index or hash.
		motion: String,
		#[command(flatten)]
		signer: SignerArgs,
	},
}

/// A variant without fields of a registry enum (`Role`, `CredentialKind`) by its name in
/// kebab case (`civil-registry`), read off the enum's own encoding and names, so a new
/// variant needs no change here.
pub(crate) fn by_name<T: Decode + std::fmt::Debug>(name: &str) -> Result<T, String> {
	let kebab = |v: &T| {
		format!("{v:?}").chars().enumerate().fold(String::new(), |mut s, (i, c)| {
			if c.is_uppercase() && i > 0 {
				s.push('-');
			}
			s.push(c.to_ascii_lowercase());
			s
		})
	};
	let mut names = Vec::new();
	for v in (0..=u8::MAX).map_while(|i| T::decode(&mut &[i][..]).ok()) {
		if kebab(&v) == name {
			return Ok(v);
		}
		names.push(kebab(&v));
	}
	Err(format!("one of {}", names.join(", ")))
}

fn parse_role(name: &str) -> Result<Role, String> {
	by_name(name)
}

/// What a motion does.
#[derive(Subcommand)]
pub enum Act {
	/// Appoint an account to a role in the identity registry (two thirds of the council).
	AppointAuthority {
		/// SS58 address (or a dev URI such as //Eve).
		account: String,
		/// civil-registry, business-registry, credential-issuer, land-registry, notary,
		/// court, election-commission, election-trustee.
		#[arg(value_parser = parse_role)]
		role: Role,
		/// For a credential issuer: a kind of credential it may issue (repeat): diploma,
		/// professional-licence, driving-licence, certificate, permit, other:CODE.
		#[arg(long = "credential-kind")]
		credential_kinds: Vec<String>,
	},
	/// Remove an account from a role (two thirds of the council).
	RemoveAuthority {
		account: String,
		#[arg(value_parser = parse_role)]
		role: Role,
	},
	/// Announce an act under public notice: it takes effect when the notice period ends
	/// unless cancelled (three quarters of the council). The act as SCALE-encoded call data.
	Announce { call: String },
	/// Whitelist a call that needs Root, e.g. `System.authorize_upgrade` (two thirds of the
	/// technical committee). The call as SCALE-encoded call data.
	Whitelist { call: String },
	/// Any call, as SCALE-encoded call data (e.g. copied from Polkadot.js Apps): give
	/// --threshold, since the origin it needs is not known here.
	Call { call: String },
}

/// The fewest ayes of a collective's `members` that an origin accepts, read off the
/// origin's type: the runtime's own origins, not a copy of their proportions.
trait AyesNeeded {
	/// `None` when no number of the collective's ayes makes the origin.
	fn ayes(collective: TypeId, members: u32) -> Option<u32>;
}

impl<A, I: 'static, const N: u32, const D: u32> AyesNeeded
	for pallet_collective::EnsureProportionAtLeast<A, I, N, D>
{
	fn ayes(collective: TypeId, members: u32) -> Option<u32> {
		// `n·D ≥ N·m`: the fewest `n` is `⌈N·m / D⌉`.
		(TypeId::of::<I>() == collective).then(|| (N * members).div_ceil(D))
	}
}

impl<A> AyesNeeded for EnsureRoot<A> {
	fn ayes(_: TypeId, _: u32) -> Option<u32> {
		None
	}
}

impl<L: AyesNeeded, R: AyesNeeded> AyesNeeded for EitherOfDiverse<L, R> {
	fn ayes(collective: TypeId, members: u32) -> Option<u32> {
		[L::ayes(collective, members), R::ayes(collective, members)]
			.into_iter()
			.flatten()
			.min()
	}
}

impl Act {
	/// The call, as this runtime encodes it.
	fn call(&self) -> Result<RuntimeCall> {
		use pallet_identity_registry::Call as Registry;
		Ok(match self {
			Act::AppointAuthority { account, role, credential_kinds } => {
				let kinds = credential_kinds
					.iter()
					.map(|k| credential_kind(k))
					.collect::<Result<Vec<_>>>()?;
				RuntimeCall::IdentityRegistry(Registry::appoint_authority {
					who: parse_account(account)?,
					role: *role,
					credential_kinds: BoundedVec::try_from(kinds)
						.map_err(|_| anyhow!("too many credential kinds"))?,
				})
			},
			Act::RemoveAuthority { account, role } => {
				RuntimeCall::IdentityRegistry(Registry::remove_authority {
					who: parse_account(account)?,
					role: *role,
				})
			},
			Act::Announce { call } => announce(decode_call(call)?)?,
			Act::Whitelist { call } => {
				RuntimeCall::Whitelist(pallet_whitelist::Call::whitelist_call {
					call_hash: BlakeTwo256::hash(&decode_call(call)?.encode()),
				})
			},
			Act::Call { call } => decode_call(call)?,
		})
	}

	/// The ayes the act's origin, as the runtime configures it, needs of `members` of the
	/// collective `I`.
	fn threshold<I: 'static>(&self, members: u32) -> Option<u32> {
		let c = TypeId::of::<I>();
		match self {
			Act::AppointAuthority { .. } | Act::RemoveAuthority { .. } => {
				<Runtime as pallet_identity_registry::Config>::GovernanceOrigin::ayes(c, members)
			},
			Act::Announce { .. } => CouncilThreeQuarters::ayes(c, members),
			Act::Whitelist { .. } => {
				<Runtime as pallet_whitelist::Config>::WhitelistOrigin::ayes(c, members)
			},
			Act::Call { .. } => None,
		}
	}
}

/// A credential kind by name (`diploma`, `driving-licence`, ...), or `other:CODE` (a code
/// the council publishes).
pub(crate) fn credential_kind(name: &str) -> Result<CredentialKind> {
	match name.strip_prefix("other:") {
		Some(code) => Ok(CredentialKind::Other(
			code.parse().map_err(|_| anyhow!("other:CODE takes a number: {name}"))?,
		)),
		None => by_name(name)
			.map_err(|e| anyhow!("unknown credential kind {name:?}: {e} or other:CODE")),
	}
}

/// `PublicNotice.announce(call)`, built from its encoding: the pallet's index in this
/// runtime, the call's index (0), the boxed call.
fn announce(call: RuntimeCall) -> Result<RuntimeCall> {
	use polkadot_sdk::frame_support::traits::PalletInfoAccess;
	let index = egov_runtime::PublicNotice::index() as u8;
	let encoded = [vec![index, 0], call.encode()].concat();
	codec::DecodeAll::decode_all(&mut &encoded[..]).context("an announcement of this act")
}

/// A runtime call from its SCALE encoding (the whole input).
fn decode_call(hex: &str) -> Result<RuntimeCall> {
	let bytes = unhex(hex).context("call data is hex")?;
	codec::DecodeAll::decode_all(&mut &bytes[..])
		.map_err(|e| anyhow!("not a call of this runtime ({e}): {hex}"))
}

/// The votes on a motion, as `pallet_collective::Votes` stores them (its fields are
/// private upstream; the encoding is the contract).
#[derive(Decode)]
struct MotionVotes {
	index: u32,
	threshold: u32,
	ayes: Vec<AccountId>,
	nays: Vec<AccountId>,
	end: u32,
}

/// An open motion as read from the chain.
struct Motion {
	hash: H256,
	call: RuntimeCall,
	votes: MotionVotes,
}

impl Motion {
	fn to_json(&self) -> serde_json::Value {
		let ss58 = |a: &Vec<AccountId>| a.iter().map(|a| a.to_ss58check()).collect::<Vec<_>>();
		json!({
			"index": self.votes.index,
			"hash": to_hex(self.hash.as_bytes()),
			"call": format!("{:?}", self.call),
			"callData": to_hex(&self.call.encode()),
			"threshold": self.votes.threshold,
			"ayes": ss58(&self.votes.ayes),
			"nays": ss58(&self.votes.nays),
			"end": self.votes.end,
		})
	}

	fn describe(&self) -> String {
		format!(
			"motion {} ({}): {:?}\n  ayes {} of {} needed, nays {}, voting ends at block #{}",
			self.votes.index,
			to_hex(self.hash.as_bytes()),
			self.call,
			self.votes.ayes.len(),
			self.votes.threshold,
			self.votes.nays.len(),
			self.votes.end
		)
	}
}

pub async fn run(
	url: &Endpoint,
	collective: Collective,
	cmd: MotionCommand,
	out: &Output,
) -> Result<()> {
	let chain = Chain::connect(url).await?;
	match collective {
		Collective::Council => run_in::<Instance1>(&chain, collective, cmd, out).await,
		Collective::TechnicalCommittee => run_in::<Instance2>(&chain, collective, cmd, out).await,
	}
}

/// One collective's commands; `I` is its instance in the runtime.
async fn run_in<I: 'static>(
	chain: &Chain,
	collective: Collective,
	cmd: MotionCommand,
	out: &Output,
) -> Result<()>
where
	Runtime: pallet_collective::Config<I, Proposal = RuntimeCall>,
	RuntimeCall: From<pallet_collective::Call<Runtime, I>>,
	RuntimeEvent: TryInto<pallet_collective::Event<Runtime, I>>,
{
	use pallet_collective::{Call, Event};
	let (at, _) = chain.finalized_head().await?;
	let name = collective.name();
	// The signer, refused before anything is sent unless a member; and the members.
	let member = |signer: SignerArgs| async move {
		let members: Vec<AccountId> = chain
			.storage(&pallet_collective::Members::<Runtime, I>::hashed_key(), Some(at))
			.await?
			.unwrap_or_default();
		let pair = signer.pair()?;
		if !members.contains(&account_of(&pair)) {
			bail!("{} is not a member of the {name}", account_of(&pair).to_ss58check());
		}
		Ok((pair, members))
	};
	match cmd {
		MotionCommand::Propose { act, threshold, signer } => {
			let (pair, members) = member(signer).await?;
			let call = act.call()?;
			let threshold =
				threshold.or_else(|| act.threshold::<I>(members.len() as u32)).ok_or_else(
					|| anyhow!("give --threshold: the ayes this act needs are not known here"),
				)?;
			let length_bound = call.encoded_size() as u32;
			let proposal = Box::new(call.clone());
			let events =
				send(chain, &pair, Call::propose { threshold, proposal, length_bound }).await?;
			let mut proposed = None;
			for e in events {
				match e {
					Event::Proposed { proposal_index, proposal_hash, .. } => {
						proposed = Some((proposal_index, proposal_hash))
					},
					// A threshold below two: carried out at once, as one member's act.
					Event::Executed { result: Err(err), .. } => {
						bail!("the act failed as one member's: {}", error_name(&err))
					},
					Event::Executed { result: Ok(()), .. } => {
						out.show(json!({ "outcome": "executed", "threshold": threshold }), || {
							format!("carried out at once (threshold {threshold}): {call:?}")
						});
						return Ok(());
					},
					_ => {},
				}
			}
			let (index, hash) =
				proposed.ok_or_else(|| anyhow!("the {name} did not record the motion"))?;
			out.show(
				json!({
					"motion": index,
					"hash": to_hex(hash.as_bytes()),
					"threshold": threshold,
					"call": format!("{call:?}"),
				}),
				|| {
					format!(
						"motion {index} ({}) proposed to the {name}: {call:?}\n  it needs \
						 {threshold} ayes of {} members",
						to_hex(hash.as_bytes()),
						members.len()
					)
				},
			);
		},
		MotionCommand::Motions => {
			let motions = motions::<I>(chain, at).await?;
			out.show(
				json!({ "motions": motions.iter().map(Motion::to_json).collect::<Vec<_>>() }),
				|| {
					if motions.is_empty() {
						return format!("no open motions in the {name}");
					}
					motions.iter().map(Motion::describe).collect::<Vec<_>>().join("\n")
				},
			);
		},
		MotionCommand::Vote { motion, aye, nay: _, signer } => {
			let (pair, _) = member(signer).await?;
			let m = find(motions::<I>(chain, at).await?, &motion)?;
			if !out.json {
				println!("{}", m.describe());
			}
			let vote = Call::vote { proposal: m.hash, index: m.votes.index, approve: aye };
			let (yes, no) = send(chain, &pair, vote)
				.await?
				.into_iter()
				.find_map(|e| match e {
					Event::Voted { yes, no, .. } => Some((yes, no)),
					_ => None,
				})
				.ok_or_else(|| anyhow!("the {name} did not record the vote"))?;
			out.show(
				json!({ "motion": m.votes.index, "aye": aye, "ayes": yes, "nays": no, "threshold": m.votes.threshold }),
				|| {
					format!(
						"voted {} on motion {}: {yes} ayes of {} needed, {no} nays",
						if aye { "aye" } else { "nay" },
						m.votes.index,
						m.votes.threshold
					)
				},
			);
		},
		MotionCommand::Close { motion, signer } => {
			let pair = signer.pair()?;
			let m = find(motions::<I>(chain, at).await?, &motion)?;
			let length_bound = m.call.encoded_size() as u32;
			// The weight bound the chain checks the motion's call against, from the runtime
			// the chain runs now (the one that will execute it).
			let info: polkadot_sdk::pallet_transaction_payment::RuntimeDispatchInfo<u128, Weight> =
				chain
					.runtime_call(
						"TransactionPaymentCallApi_query_call_info",
						(&m.call, length_bound),
						None,
					)
					.await?;
			let close = Call::close {
				proposal_hash: m.hash,
				index: m.votes.index,
				proposal_weight_bound: info.weight,
				length_bound,
			};
			let events = send(chain, &pair, close).await?;
			let mut outcome = "disapproved";
			for e in events {
				if let Event::Executed { result, .. } = e {
					outcome = "executed";
					if let Err(err) = result {
						bail!(
							"motion {} passed but its act failed: {}",
							m.votes.index,
							error_name(&err)
						);
					}
				}
			}
			out.show(json!({ "motion": m.votes.index, "outcome": outcome }), || {
				format!("motion {} closed: {outcome}\n  {:?}", m.votes.index, m.call)
			});
		},
	}
	Ok(())
}

/// Sends one of the collective's calls and waits for finality: the collective's events.
async fn send<I: 'static>(
	chain: &Chain,
	pair: &sr25519::Pair,
	call: pallet_collective::Call<Runtime, I>,
) -> Result<Vec<pallet_collective::Event<Runtime, I>>>
where
	Runtime: pallet_collective::Config<I>,
	RuntimeCall: From<pallet_collective::Call<Runtime, I>>,
	RuntimeEvent: TryInto<pallet_collective::Event<Runtime, I>>,
{
	let inc = chain.send(pair, call.into()).await?;
	Ok(inc.events.into_iter().filter_map(|e| e.try_into().ok()).collect())
}

/// The collective's open motions at block `at`, each value proven.
async fn motions<I: 'static>(chain: &Chain, at: H256) -> Result<Vec<Motion>>
where
	Runtime: pallet_collective::Config<I, Proposal = RuntimeCall>,
{
	let hashes: Vec<H256> = chain
		.storage(&pallet_collective::Proposals::<Runtime, I>::hashed_key(), Some(at))
		.await?
		.unwrap_or_default();
	let mut motions = Vec::with_capacity(hashes.len());
	for hash in hashes {
		let keys = [
			pallet_collective::ProposalOf::<Runtime, I>::hashed_key_for(hash),
			pallet_collective::Voting::<Runtime, I>::hashed_key_for(hash),
		];
		let values = chain.proven_raw(&keys, at).await?;
		let (Some(call), Some(votes)) = (&values[0], &values[1]) else {
			bail!("motion {hash:?} is not whole in the state");
		};
		let call = RuntimeCall::decode(&mut &call[..]).context("a motion's call")?;
		let votes = MotionVotes::decode(&mut &votes[..]).context("a motion's votes")?;
		motions.push(Motion { hash, call, votes });
	}
	Ok(motions)
}

/// The motion named by its index or its hash.
fn find(motions: Vec<Motion>, name: &str) -> Result<Motion> {
	let by_index = name.parse::<u32>().ok();
	motions
		.into_iter()
		.find(|m| {
			Some(m.votes.index) == by_index || to_hex(m.hash.as_bytes()).eq_ignore_ascii_case(name)
		})
		.ok_or_else(|| anyhow!("no open motion {name} (see `motions`)"))
}

#[cfg(test)]
mod tests {
	use super::*;
	use polkadot_sdk::frame_support::traits::GetCallName;

	#[test]
	fn an_announcement_wraps_the_act() {
		let act = RuntimeCall::System(polkadot_sdk::frame_system::Call::remark { remark: vec![1] });
		let RuntimeCall::PublicNotice(notice) = announce(act.clone()).expect("builds") else {
			panic!("not a PublicNotice call");
		};
		assert_eq!(notice.get_call_name(), "announce");
		assert!(format!("{notice:?}").contains("remark"));
	}

	#[test]
	fn roles_are_named_as_the_registry_names_them() {
		assert_eq!(parse_role("civil-registry"), Ok(Role::CivilRegistry));
		assert_eq!(parse_role("election-trustee"), Ok(Role::ElectionTrustee));
		let refused = parse_role("king").expect_err("no such role");
		assert!(refused.contains("election-commission"), "{refused}");
	}

	#[test]
	fn credential_kinds_are_named_as_the_registry_names_them() {
		assert_eq!(credential_kind("diploma").ok(), Some(CredentialKind::Diploma));
		assert_eq!(credential_kind("driving-licence").ok(), Some(CredentialKind::DrivingLicence));
		assert_eq!(credential_kind("other:7").ok(), Some(CredentialKind::Other(7)));
		assert!(credential_kind("other").is_err() && credential_kind("other:x").is_err());
	}

	#[test]
	fn thresholds_are_read_off_the_runtimes_origins() {
		let appoint = Act::RemoveAuthority { account: "//Eve".into(), role: Role::Notary };
		let announce = Act::Announce { call: String::new() };
		let whitelist = Act::Whitelist { call: String::new() };
		// Two thirds of the council; three quarters to announce; the committee's two thirds.
		assert_eq!(appoint.threshold::<Instance1>(3), Some(2));
		assert_eq!(appoint.threshold::<Instance1>(4), Some(3));
		assert_eq!(announce.threshold::<Instance1>(3), Some(3));
		assert_eq!(announce.threshold::<Instance1>(8), Some(6));
		assert_eq!(whitelist.threshold::<Instance2>(3), Some(2));
		// No number of the other collective's ayes makes these origins.
		assert_eq!(appoint.threshold::<Instance2>(3), None);
		assert_eq!(whitelist.threshold::<Instance1>(3), None);
	}
}
