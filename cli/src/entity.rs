//! The business registry's tools: legal entities registered from their filings (only a
//! salted hash of the filing goes on chain; the salt stays in the registry's local store),
//! their status and their representatives.

use crate::{
	act::act,
	chain::{to_hex, Chain, Endpoint},
	council::by_name,
	elections::Output,
	registry::{citizen_id, salt, Store},
	secret::SignerArgs,
};
use anyhow::{anyhow, bail, Result};
use clap::Subcommand;
use codec::Encode;
use egov_primitives::{Commitment, EntityId};
use egov_runtime::{Runtime, RuntimeEvent};
use pallet_identity_registry::{
	Call as RegistryCall, Entities, EntityByCommitment, EntityRecord, EntityStatus,
	Event as RegistryEvent,
};
use polkadot_sdk::sp_crypto_hashing::blake2_256;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::path::PathBuf;

const STORE_FORMAT: &str = "egov-business-registry-store/v1";

#[derive(Subcommand)]
pub enum EntityCommand {
	/// Register a legal entity from its filing (a document file) with the citizens who
	/// represent it. Run again after an interruption: the same filing is never registered
	/// twice.
	Register {
		/// The company filing.
		filing: PathBuf,
		/// The registry's local store of filing salts (created, readable by its owner only).
		#[arg(long)]
		store: PathBuf,
		/// A representative: citizen id or account (repeat).
		#[arg(long = "representative")]
		representatives: Vec<String>,
		#[command(flatten)]
		signer: SignerArgs,
	},
	/// Set an entity's status: active, suspended or dissolved (final).
	SetStatus {
		entity: EntityId,
		#[arg(value_parser = by_name::<EntityStatus>)]
		status: EntityStatus,
		#[command(flatten)]
		signer: SignerArgs,
	},
	/// Let an active citizen act for an entity.
	AddRepresentative {
		entity: EntityId,
		/// Citizen id or account.
		citizen: String,
		#[command(flatten)]
		signer: SignerArgs,
	},
	/// Stop a citizen from acting for an entity.
	RemoveRepresentative {
		entity: EntityId,
		/// Citizen id or account.
		citizen: String,
		#[command(flatten)]
		signer: SignerArgs,
	},
	/// An entity's entry, read with a proof from the finalized head; with --store, the
	/// filing it opens to.
	Show {
		entity: EntityId,
		#[arg(long)]
		store: Option<PathBuf>,
	},
}

/// A filing in the registry's store, by the hash of its file.
#[derive(Clone, Debug, Deserialize, Serialize)]
struct Filing {
	file_name: String,
	salt: String,
	commitment: String,
	entity: Option<EntityId>,
}

/// The commitment the chain holds for a filing (by its file's hash) and its salt.
fn commitment(file_hash: &[u8; 32], salt: &[u8; 32]) -> Commitment {
	Commitment::from(blake2_256(&(b"egov/company-filing/v1", file_hash, salt).encode()))
}

pub async fn run(url: &Endpoint, cmd: EntityCommand, out: &Output) -> Result<()> {
	let chain = Chain::connect(url).await?;
	match cmd {
		EntityCommand::Register { filing, store, representatives, signer } => {
			register(&chain, &filing, &store, &representatives, &signer, out).await
		},
		EntityCommand::SetStatus { entity, status, signer } => {
			let call = RegistryCall::set_entity_status { entity, status };
			act(&chain, &signer, call, out).await.map(|_| ())
		},
		EntityCommand::AddRepresentative { entity, citizen, signer } => {
			let citizen = citizen_id(&chain, &citizen).await?;
			let call = RegistryCall::add_representative { entity, citizen };
			act(&chain, &signer, call, out).await.map(|_| ())
		},
		EntityCommand::RemoveRepresentative { entity, citizen, signer } => {
			let citizen = citizen_id(&chain, &citizen).await?;
			let call = RegistryCall::remove_representative { entity, citizen };
			act(&chain, &signer, call, out).await.map(|_| ())
		},
		EntityCommand::Show { entity, store } => show(&chain, entity, store, out).await,
	}
}

async fn register(
	chain: &Chain,
	filing: &PathBuf,
	store_path: &PathBuf,
	representatives: &[String],
	signer: &SignerArgs,
	out: &Output,
) -> Result<()> {
	let bytes = std::fs::read(filing).map_err(|e| anyhow!("reading {}: {e}", filing.display()))?;
	let file_hash = blake2_256(&bytes);
	let mut store =
		Store::<Filing>::load(store_path, STORE_FORMAT, &to_hex(chain.genesis_hash.as_bytes()))?;
	let key = to_hex(&file_hash);
	let entry = match store.entries.get(&key) {
		Some(Filing { entity: Some(entity), .. }) => {
			bail!("{} is already registered as entity {entity}", filing.display())
		},
		Some(f) => f.clone(),
		None => {
			let salt = salt();
			Filing {
				file_name: filing
					.file_name()
					.map(|n| n.to_string_lossy().into())
					.unwrap_or_default(),
				salt: to_hex(&salt),
				commitment: to_hex(commitment(&file_hash, &salt).as_bytes()),
				entity: None,
			}
		},
	};
	let salt: [u8; 32] = crate::chain::unhex(&entry.salt)?
		.try_into()
		.map_err(|_| anyhow!("a salt is 32 bytes"))?;
	let c = commitment(&file_hash, &salt);
	// The salt is saved before anything is sent: a registration that lands while this
	// machine fails is found again by its commitment.
	store.entries.insert(key.clone(), entry.clone());
	store.save(store_path)?;
	let (at, _) = chain.finalized_head().await?;
	let existing: Option<EntityId> =
		chain.proven(&EntityByCommitment::<Runtime>::hashed_key_for(c), at).await?;
	let entity = match existing {
		Some(entity) => entity,
		None => {
			let mut reps = Vec::new();
			for r in representatives {
				reps.push(citizen_id(chain, r).await?);
			}
			let representatives =
				reps.try_into().map_err(|_| anyhow!("too many representatives"))?;
			let call = RegistryCall::register_entity { commitment: c, representatives };
			chain
				.send(&signer.pair()?, call.into())
				.await?
				.events
				.iter()
				.find_map(|e| match e {
					RuntimeEvent::IdentityRegistry(RegistryEvent::EntityRegistered {
						entity,
						..
					}) => Some(*entity),
					_ => None,
				})
				.ok_or_else(|| anyhow!("the chain did not register the entity"))?
		},
	};
	store.entries.insert(key, Filing { entity: Some(entity), ..entry });
	store.save(store_path)?;
	out.show(
		json!({ "entity": entity, "commitment": to_hex(c.as_bytes()), "registeredBefore": existing.is_some() }),
		|| match existing {
			Some(_) => format!("{} was registered before, as entity {entity}", filing.display()),
			None => format!("entity {entity} registered (commitment {})", to_hex(c.as_bytes())),
		},
	);
	Ok(())
}

async fn show(chain: &Chain, entity: EntityId, store: Option<PathBuf>, out: &Output) -> Result<()> {
	let (at, _) = chain.finalized_head().await?;
	type Record = EntityRecord<
		egov_runtime::BlockNumber,
		<Runtime as pallet_identity_registry::Config>::MaxRepresentatives,
	>;
	let r: Record = chain
		.proven(&Entities::<Runtime>::hashed_key_for(entity), at)
		.await?
		.ok_or_else(|| anyhow!("entity {entity} is not in the registry"))?;
	let mut value = json!({
		"entity": entity,
		"status": format!("{:?}", r.status),
		"representatives": r.representatives.to_vec(),
		"commitment": to_hex(r.commitment.as_bytes()),
		"registeredAt": r.registered_at,
		"trust": chain.trust(),
	});
	if let Some(path) = store {
		let store =
			Store::<Filing>::load(&path, STORE_FORMAT, &to_hex(chain.genesis_hash.as_bytes()))?;
		let filing = store.entries.values().find(|f| f.entity == Some(entity));
		value["filing"] = json!(filing.map(|f| &f.file_name));
		value["opens"] =
			json!(filing.is_some_and(|f| f.commitment == to_hex(r.commitment.as_bytes())));
	}
	out.show(value.clone(), || {
		format!(
			"entity {entity}: {:?}, representatives (citizens) {:?}, commitment {}{}",
			r.status,
			r.representatives.to_vec(),
			to_hex(r.commitment.as_bytes()),
			match (&value["filing"], &value["opens"]) {
				(serde_json::Value::String(f), serde_json::Value::Bool(true)) =>
					format!("\nopens to the filing {f}"),
				(serde_json::Value::String(f), _) => format!("\nDOES NOT open to the filing {f}"),
				(serde_json::Value::Null, serde_json::Value::Bool(_)) =>
					"\nthe store holds no filing for this entity".into(),
				_ => String::new(),
			}
		)
	});
	Ok(())
}
