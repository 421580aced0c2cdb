//! One act of an authority or a party, signed, sent and shown: what every registry, title
//! and deal command ends with.

use crate::{
	chain::{to_hex, Chain, Inclusion},
	elections::Output,
	secret::SignerArgs,
};
use anyhow::Result;
use egov_runtime::{RuntimeCall, RuntimeEvent};
use pallet_identity_registry::Event as RegistryEvent;
use pallet_property_registry::Event as TitleEvent;
use pallet_property_transfers::Event as DealEvent;
use serde_json::{json, Map, Value};

/// Signs and sends `call`, waits until it is finalized (or fails with the runtime's error
/// by name), and shows the ids it created (entity, title, encumbrance, deal), a settlement's
/// figures, and every event of the registries and deals.
pub async fn act(
	chain: &Chain,
	signer: &SignerArgs,
	call: impl Into<RuntimeCall>,
	out: &Output,
) -> Result<Inclusion> {
	let inc = chain.send(&signer.pair()?, call.into()).await?;
	let mut fields = Map::new();
	let mut events = Vec::new();
	for e in &inc.events {
		let text = match e {
			RuntimeEvent::IdentityRegistry(e) => {
				if let RegistryEvent::EntityRegistered { entity, .. } = e {
					fields.insert("entity".into(), json!(entity));
				}
				format!("{e:?}")
			},
			RuntimeEvent::PropertyRegistry(e) => {
				match e {
					TitleEvent::TitleCreated { title, .. } => {
						fields.insert("title".into(), json!(title));
					},
					TitleEvent::EncumbranceAdded { encumbrance, .. } => {
						fields.insert("encumbrance".into(), json!(encumbrance));
					},
					_ => {},
				}
				format!("{e:?}")
			},
			RuntimeEvent::PropertyTransfers(e) => {
				match e {
					DealEvent::DealOpened { deal, .. } => {
						fields.insert("deal".into(), json!(deal));
					},
					DealEvent::DealSettled { duty, to_seller, .. } => {
						fields.insert("duty".into(), json!(duty.to_string()));
						fields.insert("toSeller".into(), json!(to_seller.to_string()));
					},
					_ => {},
				}
				format!("{e:?}")
			},
			_ => continue,
		};
		events.push(text.trim_start_matches("Event::").to_string());
	}
	fields.insert("block".into(), json!(to_hex(inc.block_hash.as_bytes())));
	fields.insert("events".into(), json!(events));
	out.show(Value::Object(fields), || {
		format!("{} (block {:?})", events.join("; "), inc.block_hash)
	});
	Ok(inc)
}
