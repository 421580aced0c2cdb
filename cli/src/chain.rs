//! Talking to an egov-chain node over JSON-RPC: signing and submitting extrinsics built
//! from the runtime's own types, reading storage, events and runtime APIs.

use anyhow::{anyhow, bail, Context, Result};
use codec::{Decode, Encode};
use egov_runtime::{Runtime, RuntimeCall, RuntimeEvent, TxExtension, UncheckedExtrinsic};
use jsonrpsee::{
	core::client::{ClientT, SubscriptionClientT},
	rpc_params,
	ws_client::{WsClient, WsClientBuilder},
};
use polkadot_sdk::{
	frame_system::{self, EventRecord, Phase},
	sp_core::{crypto::Ss58Codec, sr25519, Pair, H256},
	sp_crypto_hashing::{twox_128, twox_64},
	sp_runtime::{
		generic::Era, AccountId32, ApplyExtrinsicResult, DispatchError, MultiAddress,
		MultiSignature,
	},
};
use serde_json::Value;
use std::time::Duration;

pub type AccountId = AccountId32;
pub type Event = EventRecord<RuntimeEvent, H256>;

/// A connection to one node.
pub struct Chain {
	client: WsClient,
	pub genesis_hash: H256,
	spec_version: u32,
	transaction_version: u32,
}

/// A signing key from a secret URI: `//Alice`, a mnemonic, or `0x…` seed, with optional
/// derivation paths.
pub fn signer(suri: &str) -> Result<sr25519::Pair> {
	sr25519::Pair::from_string(suri, None).map_err(|e| anyhow!("bad secret URI: {e:?}"))
}

pub fn account_of(pair: &sr25519::Pair) -> AccountId {
	pair.public().into()
}

pub fn parse_account(s: &str) -> Result<AccountId> {
	if s.starts_with("//") {
		return Ok(account_of(&signer(s)?));
	}
	AccountId::from_ss58check(s).map_err(|e| anyhow!("bad account {s}: {e:?}"))
}

/// Bytes from `0x`-prefixed (or bare) hex.
pub fn unhex(s: &str) -> Result<Vec<u8>> {
	Ok(hex::decode(s.trim_start_matches("0x"))?)
}

fn hex_bytes(v: &Value) -> Result<Vec<u8>> {
	unhex(v.as_str().ok_or_else(|| anyhow!("expected a hex string, got {v}"))?)
}

fn hex_h256(v: &Value) -> Result<H256> {
	let b = hex_bytes(v)?;
	(b.len() == 32)
		.then(|| H256::from_slice(&b))
		.ok_or_else(|| anyhow!("not a 32-byte hash"))
}

pub fn to_hex(b: &[u8]) -> String {
	format!("0x{}", hex::encode(b))
}

/// Storage key prefix of a pallet item.
pub fn storage_prefix(pallet: &str, item: &str) -> Vec<u8> {
	[twox_128(pallet.as_bytes()), twox_128(item.as_bytes())].concat()
}

/// A `Twox64Concat` key part.
pub fn twox64_concat(k: &impl Encode) -> Vec<u8> {
	let e = k.encode();
	[twox_64(&e).to_vec(), e].concat()
}

/// What happened to a submitted extrinsic.
pub struct Inclusion {
	pub block_hash: H256,
	pub events: Vec<RuntimeEvent>,
}

/// A named runtime error (e.g. `Elections.InvalidBallotProof`) for a dispatch error.
pub fn error_name(err: &DispatchError) -> String {
	if let DispatchError::Module(m) = err {
		let bytes = m.error;
		let name = match m.index {
			50 => pallet_identity_registry::Error::<Runtime>::decode(&mut &bytes[..])
				.map(|e| format!("IdentityRegistry.{e:?}")),
			51 => pallet_elections::Error::<Runtime>::decode(&mut &bytes[..])
				.map(|e| format!("Elections.{e:?}")),
			_ => Err(codec::Error::from("other pallet")),
		};
		if let Ok(n) = name {
			return n;
		}
	}
	format!("{err:?}")
}

/// Why the node's pool refused a transaction, with a ballot's refusal named: `CheckBallot`
/// (the only extension of this runtime with custom codes) refuses a ballot with
/// `Custom(i)`, `i` the index of the `Elections` error it would fail with.
pub fn refusal(err: impl std::fmt::Display) -> String {
	let text = err.to_string();
	let code = text
		.split("Custom error: ")
		.nth(1)
		.and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
		.and_then(|digits| digits.parse::<u8>().ok());
	match code.and_then(|i| pallet_elections::Error::<Runtime>::decode(&mut &[i][..]).ok()) {
		Some(e) => format!("refused by the pool: Elections.{e:?} ({text})"),
		None => text,
	}
}

impl Chain {
	pub async fn connect(url: &str) -> Result<Self> {
		let client = WsClientBuilder::default()
			.request_timeout(Duration::from_secs(120))
			.max_request_size(64 << 20)
			.max_response_size(256 << 20)
			.build(url)
			.await
			.with_context(|| format!("cannot connect to {url}"))?;
		let genesis: Value = client.request("chain_getBlockHash", rpc_params![0]).await?;
		let version: Value = client.request("state_getRuntimeVersion", rpc_params![]).await?;
		Ok(Chain {
			client,
			genesis_hash: hex_h256(&genesis)?,
			spec_version: version["specVersion"].as_u64().unwrap_or_default() as u32,
			transaction_version: version["transactionVersion"].as_u64().unwrap_or_default() as u32,
		})
	}

	pub async fn finalized_head(&self) -> Result<(H256, u32)> {
		let hash: Value = self.client.request("chain_getFinalizedHead", rpc_params![]).await?;
		let hash = hex_h256(&hash)?;
		Ok((hash, self.block_number(hash).await?))
	}

	pub async fn best_head(&self) -> Result<(H256, u32)> {
		let header: Value = self.client.request("chain_getHeader", rpc_params![]).await?;
		let number = u32::from_str_radix(
			header["number"].as_str().unwrap_or("0x0").trim_start_matches("0x"),
			16,
		)?;
		let hash: Value = self.client.request("chain_getBlockHash", rpc_params![number]).await?;
		Ok((hex_h256(&hash)?, number))
	}

	pub async fn block_number(&self, hash: H256) -> Result<u32> {
		let header: Value = self
			.client
			.request("chain_getHeader", rpc_params![to_hex(hash.as_bytes())])
			.await?;
		Ok(u32::from_str_radix(
			header["number"].as_str().unwrap_or("0x0").trim_start_matches("0x"),
			16,
		)?)
	}

	pub async fn nonce(&self, who: &AccountId) -> Result<u32> {
		let n: u64 = self
			.client
			.request("system_accountNextIndex", rpc_params![who.to_ss58check()])
			.await?;
		Ok(n as u32)
	}

	/// Signs `call` with `pair` at `nonce` (immortal, no tip).
	pub fn sign(&self, pair: &sr25519::Pair, call: RuntimeCall, nonce: u32) -> UncheckedExtrinsic {
		let extension: TxExtension = egov_runtime::tx_extension(nonce, Era::Immortal);
		// What the extensions add to the signed payload without being sent.
		let implicit = (
			(),
			(),
			self.spec_version,
			self.transaction_version,
			self.genesis_hash,
			self.genesis_hash,
			(),
			(),
			(),
			(),
			None::<[u8; 32]>,
		);
		let payload = (&call, &extension, &implicit).encode();
		let signature = if payload.len() > 256 {
			pair.sign(&polkadot_sdk::sp_crypto_hashing::blake2_256(&payload))
		} else {
			pair.sign(&payload)
		};
		UncheckedExtrinsic::new_signed(
			call,
			MultiAddress::Id(account_of(pair)),
			MultiSignature::Sr25519(signature),
			extension,
		)
	}

	/// Submits without waiting; returns the extrinsic hash.
	pub async fn submit(&self, xt: &UncheckedExtrinsic) -> Result<H256> {
		let hash: Value = self
			.client
			.request("author_submitExtrinsic", rpc_params![to_hex(&xt.encode())])
			.await
			.map_err(|e| anyhow!("the node refused the transaction: {}", refusal(e)))?;
		hex_h256(&hash)
	}

	/// Signs, submits and waits until the extrinsic is in a block; fails with the runtime's
	/// error name if its dispatch failed.
	pub async fn send(&self, pair: &sr25519::Pair, call: RuntimeCall) -> Result<Inclusion> {
		let nonce = self.nonce(&account_of(pair)).await?;
		self.send_signed(self.sign(pair, call, nonce)).await
	}

	/// Signs `call` and applies it to the best block's state without broadcasting it
	/// (`BlockBuilder_apply_extrinsic` through `state_call`; nothing is kept): the signed
	/// extrinsic if the runtime would accept it, else its refusal by name.
	pub async fn dry_run(
		&self,
		pair: &sr25519::Pair,
		call: RuntimeCall,
	) -> Result<UncheckedExtrinsic> {
		let nonce = self.nonce(&account_of(pair)).await?;
		let xt = self.sign(pair, call, nonce);
		let outcome: ApplyExtrinsicResult =
			self.runtime_call("BlockBuilder_apply_extrinsic", &xt, None).await?;
		match outcome {
			Ok(Ok(())) => Ok(xt),
			Ok(Err(e)) => bail!("{}", error_name(&e)),
			Err(e) => bail!("invalid transaction: {e:?}"),
		}
	}

	/// Submits a signed extrinsic and waits as [`Chain::send`] does.
	pub async fn send_signed(&self, xt: UncheckedExtrinsic) -> Result<Inclusion> {
		let encoded = xt.encode();
		let mut sub = self
			.client
			.subscribe::<Value, _>(
				"author_submitAndWatchExtrinsic",
				rpc_params![to_hex(&encoded)],
				"author_unwatchExtrinsic",
			)
			.await
			.map_err(|e| anyhow!("the node refused the transaction: {}", refusal(e)))?;
		let block_hash = loop {
			let status = tokio::time::timeout(Duration::from_secs(120), sub.next())
				.await
				.map_err(|_| anyhow!("no block included the transaction within 120 s"))?
				.ok_or_else(|| anyhow!("the node closed the subscription"))??;
			if let Some(h) = status.get("inBlock").or_else(|| status.get("finalized")) {
				break hex_h256(h)?;
			}
			if let Some(s) = status.as_str() {
				if matches!(s, "dropped" | "invalid" | "usurped") {
					bail!("transaction {s}");
				}
			}
			if status.get("invalid").is_some() || status.get("dropped").is_some() {
				bail!("transaction not accepted: {status}");
			}
		};
		let _ = sub.unsubscribe().await;
		let index = self.extrinsic_index(block_hash, &encoded).await?;
		let events: Vec<RuntimeEvent> = self
			.events(block_hash)
			.await?
			.into_iter()
			.filter(|r| r.phase == Phase::ApplyExtrinsic(index))
			.map(|r| r.event)
			.collect();
		for e in &events {
			if let RuntimeEvent::System(frame_system::Event::ExtrinsicFailed {
				dispatch_error,
				..
			}) = e
			{
				bail!("{}", error_name(dispatch_error));
			}
		}
		Ok(Inclusion { block_hash, events })
	}

	async fn extrinsic_index(&self, block: H256, encoded: &[u8]) -> Result<u32> {
		let body: Value = self
			.client
			.request("chain_getBlock", rpc_params![to_hex(block.as_bytes())])
			.await?;
		let want = to_hex(encoded);
		body["block"]["extrinsics"]
			.as_array()
			.and_then(|xts| xts.iter().position(|x| x.as_str() == Some(&want)))
			.map(|i| i as u32)
			.ok_or_else(|| anyhow!("extrinsic not found in block {block:?}"))
	}

	/// Encoded extrinsics of a block.
	pub async fn block_extrinsics(&self, block: H256) -> Result<Vec<Vec<u8>>> {
		let body: Value = self
			.client
			.request("chain_getBlock", rpc_params![to_hex(block.as_bytes())])
			.await?;
		body["block"]["extrinsics"]
			.as_array()
			.ok_or_else(|| anyhow!("no block body"))?
			.iter()
			.map(hex_bytes)
			.collect()
	}

	pub async fn block_hash(&self, number: u32) -> Result<H256> {
		let hash: Value = self.client.request("chain_getBlockHash", rpc_params![number]).await?;
		hex_h256(&hash)
	}

	pub async fn events(&self, at: H256) -> Result<Vec<Event>> {
		Ok(self
			.storage(&storage_prefix("System", "Events"), Some(at))
			.await?
			.unwrap_or_default())
	}

	/// Reads and decodes one storage value.
	pub async fn storage<T: Decode>(&self, key: &[u8], at: Option<H256>) -> Result<Option<T>> {
		let v: Value = match at {
			Some(h) => {
				self.client
					.request("state_getStorage", rpc_params![to_hex(key), to_hex(h.as_bytes())])
					.await?
			},
			None => self.client.request("state_getStorage", rpc_params![to_hex(key)]).await?,
		};
		if v.is_null() {
			return Ok(None);
		}
		Ok(Some(T::decode(&mut &hex_bytes(&v)?[..]).context("undecodable storage value")?))
	}

	/// Every `(key, value)` under `prefix` at block `at`, decoded.
	pub async fn storage_prefixed<T: Decode>(
		&self,
		prefix: &[u8],
		at: H256,
		progress: Option<&indicatif::ProgressBar>,
	) -> Result<Vec<(Vec<u8>, T)>> {
		self.storage_prefixed_raw(prefix, at, progress)
			.await?
			.into_iter()
			.map(|(key, value)| {
				let value = T::decode(&mut &value[..]).context("undecodable storage value")?;
				Ok((key, value))
			})
			.collect()
	}

	/// Every `(key, value)` under `prefix` at block `at`, as stored (an empty prefix is
	/// the whole state).
	pub async fn storage_prefixed_raw(
		&self,
		prefix: &[u8],
		at: H256,
		progress: Option<&indicatif::ProgressBar>,
	) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
		let mut out = Vec::new();
		let mut start: Option<String> = None;
		loop {
			let keys: Vec<String> = self
				.client
				.request(
					"state_getKeysPaged",
					rpc_params![to_hex(prefix), 1000, start.clone(), to_hex(at.as_bytes())],
				)
				.await?;
			if keys.is_empty() {
				break;
			}
			start = keys.last().cloned();
			let changes: Value = self
				.client
				.request("state_queryStorageAt", rpc_params![keys.clone(), to_hex(at.as_bytes())])
				.await?;
			for pair in changes[0]["changes"].as_array().into_iter().flatten() {
				if pair[1].is_null() {
					continue;
				}
				out.push((hex_bytes(&pair[0])?, hex_bytes(&pair[1])?));
			}
			if let Some(p) = progress {
				p.inc(keys.len() as u64);
			}
			if keys.len() < 1000 {
				break;
			}
		}
		Ok(out)
	}

	/// Any JSON-RPC method with positional parameters.
	pub async fn raw_request(&self, method: &str, params: Vec<Value>) -> Result<Value> {
		let mut p = jsonrpsee::core::params::ArrayParams::new();
		for v in params {
			p.insert(v)?;
		}
		Ok(self.client.request(method, p).await?)
	}

	/// Calls a runtime API function with SCALE-encoded arguments.
	pub async fn runtime_call<T: Decode>(
		&self,
		method: &str,
		args: impl Encode,
		at: Option<H256>,
	) -> Result<T> {
		let data = to_hex(&args.encode());
		let v: Value = match at {
			Some(h) => {
				self.client
					.request("state_call", rpc_params![method, data, to_hex(h.as_bytes())])
					.await?
			},
			None => self.client.request("state_call", rpc_params![method, data]).await?,
		};
		Ok(T::decode(&mut &hex_bytes(&v)?[..]).with_context(|| format!("undecodable {method}"))?)
	}
}
