//! The land registry's, courts', notaries', banks' and owners' acts on titles: creating a
//! title, registering and releasing encumbrances, freezing under a court case, and every
//! step of an escrow deal. Amounts are in tokens (`1000`, `0.5`), shares in percent (`50%`)
//! or parts per million (`500000`).

use crate::{
	act::act,
	chain::{parse_account, to_hex, AccountId, Chain, Endpoint},
	credential::document_hash,
	elections::Output,
	registry::party,
	secret::SignerArgs,
};
use anyhow::{anyhow, bail, Result};
use clap::Subcommand;
use egov_primitives::Subject;
use egov_runtime::{Runtime, TOKEN_DECIMALS};
use pallet_property_registry::{
	Call as TitleCall, EncumbranceKind, Owner, Ppm, TitleId, TitleOf, Titles, WHOLE,
};
use pallet_property_transfers::{Call as DealCall, DealId, DealOf, DealTerms, Deals};
use polkadot_sdk::{sp_core::H256, sp_crypto_hashing::blake2_256};
use serde_json::{json, Value};

#[derive(Subcommand)]
pub enum TitleCommand {
	/// Create a title for a parcel (land registry).
	CreateTitle {
		/// The parcel's cadastral id, e.g. CZ-600001-1234/5.
		cadastral_id: String,
		/// The parcel data (survey, deed) as a file, or its hash (0x…).
		#[arg(long)]
		parcel: String,
		/// An owner and share: `OWNER=SHARE` (`citizen:7=50%`, `entity:2=500000`), or just
		/// `OWNER` for the whole; an owner is `citizen:ID`, `entity:ID` or an account. Repeat
		/// for co-owners: the shares make a whole.
		#[arg(long = "owner", required = true)]
		owners: Vec<String>,
		#[command(flatten)]
		signer: SignerArgs,
	},
	/// Register a mortgage held by a bank (land registry).
	Mortgage {
		title: TitleId,
		/// The bank: `entity:ID` or its id.
		#[arg(long)]
		creditor: String,
		/// In tokens.
		#[arg(long)]
		amount: String,
		#[command(flatten)]
		signer: SignerArgs,
	},
	/// Register a lien (land registry).
	Lien {
		title: TitleId,
		/// `citizen:ID`, `entity:ID` or an account.
		#[arg(long)]
		holder: String,
		/// In tokens.
		#[arg(long)]
		amount: String,
		#[command(flatten)]
		signer: SignerArgs,
	},
	/// Register an easement (land registry).
	Easement {
		title: TitleId,
		/// `citizen:ID`, `entity:ID` or an account.
		#[arg(long)]
		beneficiary: String,
		/// The easement's terms as a file, or their hash (0x…).
		#[arg(long)]
		terms: String,
		#[command(flatten)]
		signer: SignerArgs,
	},
	/// Release an encumbrance: the land registry (a lien or easement), the bank that holds
	/// a mortgage, or a court.
	Release {
		title: TitleId,
		encumbrance: u32,
		#[command(flatten)]
		signer: SignerArgs,
	},
	/// Freeze a title under a court case (court): no sale, encumbrance or release until
	/// unfrozen.
	Freeze {
		title: TitleId,
		/// The case reference (only its hash goes on chain).
		#[arg(long)]
		case: String,
		#[command(flatten)]
		signer: SignerArgs,
	},
	/// Lift a freeze (the court that froze the title).
	Unfreeze {
		title: TitleId,
		/// The case reference of the order lifting it.
		#[arg(long)]
		case: String,
		#[command(flatten)]
		signer: SignerArgs,
	},
	/// A title: owners, encumbrances, freeze; read with a proof from the finalized head.
	Show { title: TitleId },
	/// Escrow deals: open, consent, deposit, approve, settle, cancel, reject, expire, show.
	#[command(subcommand)]
	Deal(DealCommand),
}

#[derive(Subcommand)]
pub enum DealCommand {
	/// Offer a share of a title (signed for the seller). Every mortgage on the title is
	/// released by the deal unless `--release` lists them.
	Open {
		#[arg(long)]
		title: TitleId,
		/// `citizen:ID`, `entity:ID` or an account.
		#[arg(long)]
		seller: String,
		/// `citizen:ID`, `entity:ID` or an account.
		#[arg(long)]
		buyer: String,
		/// `50%` or parts per million; the whole title if not given.
		#[arg(long)]
		share: Option<String>,
		/// In tokens.
		#[arg(long)]
		price: String,
		/// Blocks from now until the deal can no longer settle; the runtime's maximum if
		/// not given.
		#[arg(long)]
		deadline_blocks: Option<u32>,
		/// The mortgages released (encumbrance ids); every mortgage of the title if none.
		#[arg(long = "release")]
		releases: Vec<u32>,
		/// The land registry must approve too.
		#[arg(long)]
		land_registry_approval: bool,
		/// Where the seller's proceeds go; the signer if not given.
		#[arg(long)]
		payout: Option<String>,
		#[command(flatten)]
		signer: SignerArgs,
	},
	/// Consent as a co-owner.
	Consent {
		deal: DealId,
		#[command(flatten)]
		signer: SignerArgs,
	},
	/// Pay the price into escrow (the buyer).
	Deposit {
		deal: DealId,
		/// In tokens: the price.
		#[arg(long)]
		amount: String,
		#[command(flatten)]
		signer: SignerArgs,
	},
	/// Approve as the notary.
	ApproveNotary {
		deal: DealId,
		#[command(flatten)]
		signer: SignerArgs,
	},
	/// Approve as the bank whose mortgages the deal releases, naming its payout account.
	ApproveCreditor {
		deal: DealId,
		#[arg(long)]
		payout: String,
		#[command(flatten)]
		signer: SignerArgs,
	},
	/// Approve as the land registry.
	ApproveLandRegistry {
		deal: DealId,
		#[command(flatten)]
		signer: SignerArgs,
	},
	/// Refuse the deal (an approver): the deposit is refunded.
	Reject {
		deal: DealId,
		#[command(flatten)]
		signer: SignerArgs,
	},
	/// Withdraw from the deal (a party): the deposit is refunded.
	Cancel {
		deal: DealId,
		#[command(flatten)]
		signer: SignerArgs,
	},
	/// Settle: title, payoffs, duty and proceeds in one dispatch (any party or approver).
	Settle {
		deal: DealId,
		#[command(flatten)]
		signer: SignerArgs,
	},
	/// End a deal past its deadline (anyone): the deposit is refunded.
	Expire {
		deal: DealId,
		#[command(flatten)]
		signer: SignerArgs,
	},
	/// A deal, read with a proof from the finalized head.
	Show { deal: DealId },
}

/// A decimal `s` with at most `places` fractional digits, scaled to an integer.
fn decimal(s: &str, places: u32) -> Result<u128> {
	let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
	if whole.is_empty() && frac.is_empty() || frac.len() > places as usize {
		bail!("{s:?} is not a number with at most {places} decimals");
	}
	let digits = |d: &str| d.is_empty() || d.chars().all(|c| c.is_ascii_digit());
	if !digits(whole) || !digits(frac) {
		bail!("{s:?} is not a number");
	}
	let scale = 10u128.pow(places);
	let whole: u128 = if whole.is_empty() { 0 } else { whole.parse()? };
	let frac: u128 = format!("{frac:0<width$}", width = places as usize).parse().unwrap_or(0);
	whole
		.checked_mul(scale)
		.and_then(|w| w.checked_add(frac))
		.ok_or_else(|| anyhow!("{s:?} is too large"))
}

/// Tokens, in the chain's smallest unit.
fn tokens(s: &str) -> Result<u128> {
	decimal(s, TOKEN_DECIMALS.into())
}

/// A share: `N%` (up to four decimals) or parts per million.
fn share(s: &str) -> Result<Ppm> {
	let ppm = match s.strip_suffix('%') {
		Some(percent) => decimal(percent, 4)?,
		None => s.parse().map_err(|_| anyhow!("share {s:?}: N% or parts per million"))?,
	};
	Ppm::try_from(ppm)
		.ok()
		.filter(|p| *p <= WHOLE)
		.ok_or_else(|| anyhow!("share {s:?} is more than the whole"))
}

async fn owner(chain: &Chain, s: &str) -> Result<Owner> {
	Ok(match party(chain, s).await? {
		Subject::Citizen(id) => Owner::Citizen(id),
		Subject::Entity(id) => Owner::Entity(id),
	})
}

/// The hash of a case reference: courts publish the reference, the chain holds its hash.
fn case(reference: &str) -> H256 {
	H256(blake2_256(reference.as_bytes()))
}

async fn title_record(chain: &Chain, title: TitleId) -> Result<TitleOf<Runtime>> {
	let (at, _) = chain.finalized_head().await?;
	chain
		.proven(&Titles::<Runtime>::hashed_key_for(title), at)
		.await?
		.ok_or_else(|| anyhow!("no title {title} at the finalized block"))
}

pub async fn run(url: &Endpoint, cmd: TitleCommand, out: &Output) -> Result<()> {
	let chain = Chain::connect(url).await?;
	match cmd {
		TitleCommand::CreateTitle { cadastral_id, parcel, owners, signer } => {
			let mut shares = Vec::new();
			for o in &owners {
				let (who, part) = match o.split_once('=') {
					Some((who, part)) => (who, share(part)?),
					None => (o.as_str(), WHOLE),
				};
				shares.push((owner(&chain, who).await?, part));
			}
			let call = TitleCall::create_title {
				cadastral_id: cadastral_id
					.into_bytes()
					.try_into()
					.map_err(|_| anyhow!("the cadastral id is too long"))?,
				parcel_hash: document_hash(&parcel)?,
				owners: shares.try_into().map_err(|_| anyhow!("too many owners"))?,
			};
			act(&chain, &signer, call, out).await.map(|_| ())
		},
		TitleCommand::Mortgage { title, creditor, amount, signer } => {
			let creditor = match party(&chain, &creditor).await {
				Ok(Subject::Entity(id)) => id,
				_ => creditor
					.parse()
					.map_err(|_| anyhow!("the creditor is a bank: entity:ID or its id"))?,
			};
			let kind = EncumbranceKind::Mortgage { creditor, amount: tokens(&amount)? };
			act(&chain, &signer, TitleCall::add_encumbrance { title, kind }, out)
				.await
				.map(|_| ())
		},
		TitleCommand::Lien { title, holder, amount, signer } => {
			let kind = EncumbranceKind::Lien {
				holder: owner(&chain, &holder).await?,
				amount: tokens(&amount)?,
			};
			act(&chain, &signer, TitleCall::add_encumbrance { title, kind }, out)
				.await
				.map(|_| ())
		},
		TitleCommand::Easement { title, beneficiary, terms, signer } => {
			let kind = EncumbranceKind::Easement {
				beneficiary: owner(&chain, &beneficiary).await?,
				terms: document_hash(&terms)?,
			};
			act(&chain, &signer, TitleCall::add_encumbrance { title, kind }, out)
				.await
				.map(|_| ())
		},
		TitleCommand::Release { title, encumbrance, signer } => {
			let call = TitleCall::release_encumbrance { title, encumbrance };
			act(&chain, &signer, call, out).await.map(|_| ())
		},
		TitleCommand::Freeze { title, case: reference, signer } => {
			let call = TitleCall::freeze_title { title, case: case(&reference) };
			act(&chain, &signer, call, out).await.map(|_| ())
		},
		TitleCommand::Unfreeze { title, case: reference, signer } => {
			let call = TitleCall::unfreeze_title { title, case: case(&reference) };
			act(&chain, &signer, call, out).await.map(|_| ())
		},
		TitleCommand::Show { title } => {
			let t = title_record(&chain, title).await?;
			let owners: Vec<Value> =
				t.owners.iter().map(|(o, s)| json!([format!("{o:?}"), s])).collect();
			let encumbrances: Vec<Value> = t
				.encumbrances
				.iter()
				.map(|e| json!({ "id": e.id, "kind": format!("{:?}", e.kind) }))
				.collect();
			let value = json!({
				"title": title,
				"cadastralId": String::from_utf8_lossy(&t.cadastral_id),
				"parcelHash": to_hex(t.parcel_hash.as_bytes()),
				"owners": owners,
				"encumbrances": encumbrances,
				"frozen": t.frozen.map(|c| to_hex(c.as_bytes())),
				"trust": chain.trust(),
			});
			out.show(value.clone(), || serde_json::to_string_pretty(&value).unwrap_or_default());
			Ok(())
		},
		TitleCommand::Deal(cmd) => deal(&chain, cmd, out).await,
	}
}

async fn deal(chain: &Chain, cmd: DealCommand, out: &Output) -> Result<()> {
	let (call, signer) = match cmd {
		DealCommand::Open {
			title,
			seller,
			buyer,
			share: part,
			price,
			deadline_blocks,
			releases,
			land_registry_approval,
			payout,
			signer,
		} => {
			let record = title_record(chain, title).await?;
			// Every mortgage, unless named: the runtime refuses a deal that leaves one.
			let releases = if releases.is_empty() {
				record
					.encumbrances
					.iter()
					.filter(|e| matches!(e.kind, EncumbranceKind::Mortgage { .. }))
					.map(|e| e.id)
					.collect()
			} else {
				releases
			};
			let max: u32 = <Runtime as pallet_property_transfers::Config>::MaxDealDuration::get();
			let (_, best) = chain.best_head().await?;
			let seller_payout: AccountId = match payout {
				Some(p) => parse_account(&p)?,
				None => crate::chain::account_of(&signer.pair()?),
			};
			let terms = DealTerms {
				title,
				seller: owner(chain, &seller).await?,
				buyer: owner(chain, &buyer).await?,
				share: part.as_deref().map(share).transpose()?.unwrap_or(WHOLE),
				price: tokens(&price)?,
				deadline: best.saturating_add(deadline_blocks.unwrap_or(max)),
				releases: releases.try_into().map_err(|_| anyhow!("too many releases"))?,
				land_registry_approval,
				seller_payout,
			};
			(DealCall::open_deal { terms }, signer)
		},
		DealCommand::Consent { deal, signer } => (DealCall::consent { deal }, signer),
		DealCommand::Deposit { deal, amount, signer } => {
			(DealCall::deposit { deal, amount: tokens(&amount)? }, signer)
		},
		DealCommand::ApproveNotary { deal, signer } => {
			(DealCall::approve_as_notary { deal }, signer)
		},
		DealCommand::ApproveCreditor { deal, payout, signer } => {
			(DealCall::approve_as_creditor { deal, payout: parse_account(&payout)? }, signer)
		},
		DealCommand::ApproveLandRegistry { deal, signer } => {
			(DealCall::approve_as_land_registry { deal }, signer)
		},
		DealCommand::Reject { deal, signer } => (DealCall::reject { deal }, signer),
		DealCommand::Cancel { deal, signer } => (DealCall::cancel { deal }, signer),
		DealCommand::Settle { deal, signer } => (DealCall::settle { deal }, signer),
		DealCommand::Expire { deal, signer } => (DealCall::expire { deal }, signer),
		DealCommand::Show { deal } => {
			let (at, _) = chain.finalized_head().await?;
			let d: DealOf<Runtime> = chain
				.proven(&Deals::<Runtime>::hashed_key_for(deal), at)
				.await?
				.ok_or_else(|| anyhow!("no deal {deal} at the finalized block"))?;
			let text = format!("{d:#?}");
			out.show(
				json!({ "deal": deal, "record": format!("{d:?}"), "trust": chain.trust() }),
				|| text,
			);
			return Ok(());
		},
	};
	act(chain, &signer, call, out).await.map(|_| ())
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn amounts_and_shares_are_exact_decimals() {
		let unit = 10u128.pow(TOKEN_DECIMALS.into());
		assert_eq!(tokens("1000").ok(), Some(1000 * unit));
		assert_eq!(tokens("0.5").ok(), Some(unit / 2));
		assert!(tokens("1.2.3").is_err() && tokens("").is_err() && tokens("-1").is_err());
		assert_eq!(share("50%").ok(), Some(500_000));
		assert_eq!(share("33.3333%").ok(), Some(333_333));
		assert_eq!(share("250000").ok(), Some(250_000));
		assert!(share("100.0001%").is_err() && share("33.33333%").is_err());
	}
}
