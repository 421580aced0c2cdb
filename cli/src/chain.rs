//! Talking to an egov-chain node over JSON-RPC: signing and submitting extrinsics built
//! from the runtime's own types, reading storage, events and runtime APIs.

use anyhow::{anyhow, bail, Context, Result};
use codec::{Decode, Encode};
use egov_runtime::{Header, Runtime, RuntimeCall, RuntimeEvent, TxExtension, UncheckedExtrinsic};
use futures::StreamExt;
use jsonrpsee::{
	core::client::{ClientT, SubscriptionClientT},
	ws_client::{WsClient, WsClientBuilder},
};
use polkadot_sdk::{
	frame_system::{self, EventRecord, Phase},
	pallet_collective,
	sp_core::{crypto::Ss58Codec, sr25519, Pair, H256},
	sp_crypto_hashing::{twox_128, twox_64},
	sp_runtime::{
		generic::Era,
		traits::{BlakeTwo256, Hash as _},
		AccountId32, ApplyExtrinsicResult, DispatchError, MultiAddress, MultiSignature,
	},
	sp_state_machine::read_proof_check,
	sp_trie::StorageProof,
};
use serde_json::{json, Value};
use std::time::Duration;
use subxt_lightclient::{LightClient, LightClientRpc};

pub type AccountId = AccountId32;
pub type Event = EventRecord<RuntimeEvent, H256>;

/// Where `egov` gets the chain from: a node's RPC endpoint, or this machine's own light
/// client following the relay chain's finality (with the relay chain's and our chain's
/// specs).
#[derive(Clone, Debug)]
pub struct Endpoint {
	pub url: String,
	pub light: Option<LightSpecs>,
}

#[derive(Clone, Debug)]
pub struct LightSpecs {
	pub relay: std::path::PathBuf,
	pub parachain: std::path::PathBuf,
}

enum Transport {
	/// A node's JSON-RPC: what it says is finalized is its word.
	Rpc(WsClient),
	/// smoldot, embedded: it syncs the relay chain, follows its GRANDPA finality, reads our
	/// chain's finalized head from the relay chain's state and checks every answer against
	/// it (headers, storage and call proofs, block bodies) from any peers.
	Light { rpc: LightClientRpc, _client: LightClient },
}

/// How long one request may take; a light client's first one waits for its sync.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(300);

/// A connection to the chain.
pub struct Chain {
	transport: Transport,
	url: String,
	/// State roots of headers already checked against their hashes.
	state_roots: std::sync::Mutex<std::collections::HashMap<H256, H256>>,
	pub genesis_hash: H256,
	spec_version: u32,
	transaction_version: u32,
}

pub fn account_of(pair: &sr25519::Pair) -> AccountId {
	pair.public().into()
}

pub fn parse_account(s: &str) -> Result<AccountId> {
	if crate::secret::is_dev_uri(s) {
		return Ok(account_of(&crate::secret::signer(s)?));
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

/// How many blocks a transaction of this client stays valid: long enough to be included
/// under load, short enough that nobody can hold it back and replay it much later.
pub const TX_LIFETIME: u64 = 64;

/// How long a command waits for its transaction to be finalized.
const FINALITY_WAIT_SECS: u64 = 300;

/// A transaction's lifetime: its era and the hash of the block the era starts at (signed
/// along with it).
#[derive(Clone, Copy)]
pub struct Mortality {
	pub era: Era,
	pub birth: H256,
}

/// What a transaction's signature covers besides the extrinsic's own bytes: the values
/// the extensions add when the runtime checks it (the runtime's versions, the chain, the
/// era's birth block, and the metadata hash when the signer asked for that check).
#[derive(Clone, Debug, PartialEq)]
pub struct SignedContext {
	pub spec_version: u32,
	pub transaction_version: u32,
	pub genesis_hash: H256,
	pub birth: H256,
	pub metadata_hash: Option<[u8; 32]>,
}

impl SignedContext {
	/// The bytes signed for `call` (encoded) with `extension`: hashed when longer than
	/// 256 bytes, as the runtime checks them.
	pub fn payload(&self, call: &[u8], extension: &TxExtension) -> Vec<u8> {
		let implicit = (
			(),
			(),
			self.spec_version,
			self.transaction_version,
			self.genesis_hash,
			self.birth,
			(),
			(),
			(),
			(),
			self.metadata_hash,
		);
		let mut payload = call.to_vec();
		extension.encode_to(&mut payload);
		implicit.encode_to(&mut payload);
		if payload.len() > 256 {
			polkadot_sdk::sp_crypto_hashing::blake2_256(&payload).to_vec()
		} else {
			payload
		}
	}
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
			52 => pallet_property_registry::Error::<Runtime>::decode(&mut &bytes[..])
				.map(|e| format!("PropertyRegistry.{e:?}")),
			53 => pallet_property_transfers::Error::<Runtime>::decode(&mut &bytes[..])
				.map(|e| format!("PropertyTransfers.{e:?}")),
			16 => pallet_collective::Error::<Runtime, pallet_collective::Instance1>::decode(
				&mut &bytes[..],
			)
			.map(|e| format!("Council.{e:?}")),
			18 => pallet_collective::Error::<Runtime, pallet_collective::Instance2>::decode(
				&mut &bytes[..],
			)
			.map(|e| format!("TechnicalCommittee.{e:?}")),
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
	pub async fn connect(endpoint: &Endpoint) -> Result<Self> {
		let transport = match &endpoint.light {
			None => Transport::Rpc(
				WsClientBuilder::default()
					.request_timeout(Duration::from_secs(120))
					.max_request_size(64 << 20)
					.max_response_size(256 << 20)
					.build(&endpoint.url)
					.await
					.with_context(|| format!("cannot connect to {}", endpoint.url))?,
			),
			Some(specs) => {
				let read = |p: &std::path::PathBuf| {
					std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))
				};
				let (client, _relay) = LightClient::relay_chain(read(&specs.relay)?.as_str())
					.map_err(|e| anyhow!("the relay chain spec does not start: {e}"))?;
				let rpc = client
					.parachain(read(&specs.parachain)?.as_str())
					.map_err(|e| anyhow!("the parachain spec does not start: {e}"))?;
				Transport::Light { rpc, _client: client }
			},
		};
		let mut chain = Chain {
			transport,
			url: endpoint.url.clone(),
			state_roots: Default::default(),
			genesis_hash: H256::zero(),
			spec_version: 0,
			transaction_version: 0,
		};
		chain.genesis_hash = hex_h256(&chain.call("chain_getBlockHash", vec![json!(0)]).await?)?;
		let version = chain.call("state_getRuntimeVersion", vec![]).await?;
		chain.spec_version = version["specVersion"].as_u64().unwrap_or_default() as u32;
		chain.transaction_version =
			version["transactionVersion"].as_u64().unwrap_or_default() as u32;
		Ok(chain)
	}

	/// What this connection trusts for which block is final.
	pub fn trust(&self) -> String {
		match self.transport {
			Transport::Rpc(_) => format!(
				"the RPC node at {} for which block is finalized (values are proven against it)",
				self.url
			),
			Transport::Light { .. } => "the relay chain's finality, followed by this machine's \
			                            light client"
				.into(),
		}
	}

	/// Whether the finalized head comes from the relay chain's finality, checked here.
	pub fn is_light(&self) -> bool {
		matches!(self.transport, Transport::Light { .. })
	}

	/// One JSON-RPC request with positional parameters.
	pub async fn call(&self, method: &str, params: Vec<Value>) -> Result<Value> {
		match &self.transport {
			Transport::Rpc(client) => {
				let mut p = jsonrpsee::core::params::ArrayParams::new();
				for v in params {
					p.insert(v)?;
				}
				Ok(client.request(method, p).await?)
			},
			Transport::Light { rpc, .. } => {
				let params = serde_json::value::to_raw_value(&params)?;
				let answer =
					tokio::time::timeout(REQUEST_TIMEOUT, rpc.request(method.into(), Some(params)))
						.await
						.map_err(|_| anyhow!("the light client did not answer {method} in time"))?
						.map_err(|e| anyhow!("{method}: {e}"))?;
				Ok(serde_json::from_str(answer.get())?)
			},
		}
	}

	/// A JSON-RPC subscription, as a stream of notifications.
	async fn subscribe(
		&self,
		method: &str,
		params: Vec<Value>,
		unsubscribe: &str,
	) -> Result<futures::stream::BoxStream<'static, Result<Value>>> {
		use futures::StreamExt;
		match &self.transport {
			Transport::Rpc(client) => {
				let mut p = jsonrpsee::core::params::ArrayParams::new();
				for v in params {
					p.insert(v)?;
				}
				let sub = client
					.subscribe::<Value, _>(method, p, unsubscribe)
					.await
					.map_err(|e| anyhow!("the node refused the transaction: {}", refusal(e)))?;
				Ok(sub.map(|r| r.map_err(anyhow::Error::from)).boxed())
			},
			Transport::Light { rpc, .. } => {
				let params = serde_json::value::to_raw_value(&params)?;
				let sub = rpc
					.subscribe(method.into(), Some(params), unsubscribe.into())
					.await
					.map_err(|e| anyhow!("the light client refused the transaction: {e}"))?;
				Ok(sub
					.map(|r| {
						let raw = r.map_err(|e| anyhow!("{e}"))?;
						Ok(serde_json::from_str::<Value>(raw.get())?)
					})
					.boxed())
			},
		}
	}

	pub async fn finalized_head(&self) -> Result<(H256, u32)> {
		let hash: Value = self.call("chain_getFinalizedHead", vec![]).await?;
		let hash = hex_h256(&hash)?;
		Ok((hash, self.block_number(hash).await?))
	}

	pub async fn best_head(&self) -> Result<(H256, u32)> {
		// Without a number: the best block's hash (a light client knows no other numbers).
		let hash = hex_h256(&self.call("chain_getBlockHash", vec![]).await?)?;
		Ok((hash, self.block_number(hash).await?))
	}

	pub async fn block_number(&self, hash: H256) -> Result<u32> {
		let header: Value =
			self.call("chain_getHeader", vec![json!(to_hex(hash.as_bytes()))]).await?;
		Ok(u32::from_str_radix(
			header["number"].as_str().unwrap_or("0x0").trim_start_matches("0x"),
			16,
		)?)
	}

	pub async fn nonce(&self, who: &AccountId) -> Result<u32> {
		let n = self.call("system_accountNextIndex", vec![json!(who.to_ss58check())]).await?;
		Ok(n.as_u64().ok_or_else(|| anyhow!("not a nonce: {n}"))? as u32)
	}

	/// A lifetime of `period` blocks (rounded up to a power of two) from the finalized head:
	/// a transaction signed with it is refused after that, so it cannot be replayed later
	/// (e.g. after its account is reaped and re-created, when its nonce is free again).
	///
	/// The era starts at the finalized head's parent: the runtime knows a block's hash only
	/// once its child has begun, and a dry run on the finalized head's own state (the dev
	/// chain finalizes every block at once) would otherwise find no birth block.
	pub async fn mortality(&self, period: u64) -> Result<Mortality> {
		let (head, number) = self.finalized_head().await?;
		if number == 0 {
			return Ok(Mortality { era: Era::mortal(period, 0), birth: head });
		}
		let birth = self.header(head).await?.parent_hash;
		Ok(Mortality { era: Era::mortal(period, u64::from(number) - 1), birth })
	}

	/// Signs `call` with `pair` at `nonce` (mortal, no tip).
	pub fn sign(
		&self,
		pair: &sr25519::Pair,
		call: RuntimeCall,
		nonce: u32,
		mortality: &Mortality,
	) -> UncheckedExtrinsic {
		let extension: TxExtension = egov_runtime::tx_extension(nonce, mortality.era);
		let signed = SignedContext {
			spec_version: self.spec_version,
			transaction_version: self.transaction_version,
			genesis_hash: self.genesis_hash,
			birth: mortality.birth,
			metadata_hash: None,
		};
		let signature = pair.sign(&signed.payload(&call.encode(), &extension));
		UncheckedExtrinsic::new_signed(
			call,
			MultiAddress::Id(account_of(pair)),
			MultiSignature::Sr25519(signature),
			extension,
		)
	}

	/// The runtime's spec and transaction versions that executed block `block` (its
	/// parent's state holds the code that ran it).
	pub async fn versions_executing(&self, block: H256) -> Result<(u32, u32)> {
		let parent = self.header(block).await?.parent_hash;
		let v = self
			.call("state_getRuntimeVersion", vec![json!(to_hex(parent.as_bytes()))])
			.await?;
		let field = |name: &str| {
			v[name].as_u64().map(|n| n as u32).ok_or_else(|| anyhow!("no {name} in {v}"))
		};
		Ok((field("specVersion")?, field("transactionVersion")?))
	}

	/// Submits without waiting; returns the extrinsic hash.
	pub async fn submit(&self, xt: &UncheckedExtrinsic) -> Result<H256> {
		let hash: Value = self
			.call("author_submitExtrinsic", vec![json!(to_hex(&xt.encode()))])
			.await
			.map_err(|e| anyhow!("the node refused the transaction: {}", refusal(e)))?;
		hex_h256(&hash)
	}

	/// Signs, submits and waits until the extrinsic is in a block; fails with the runtime's
	/// error name if its dispatch failed.
	pub async fn send(&self, pair: &sr25519::Pair, call: RuntimeCall) -> Result<Inclusion> {
		let nonce = self.nonce(&account_of(pair)).await?;
		let mortality = self.mortality(TX_LIFETIME).await?;
		self.send_signed(self.sign(pair, call, nonce, &mortality)).await
	}

	/// Sends `calls` signed with consecutive nonces, up to `in_flight` awaiting finality at a
	/// time, and yields each one's inclusion in order: a bulk job waits for finality once per
	/// window rather than once per transaction. Each is signed when it is submitted, so its
	/// mortality runs from then however long the job takes.
	pub async fn send_pipelined<'a>(
		&'a self,
		pair: &'a sr25519::Pair,
		calls: Vec<RuntimeCall>,
		in_flight: usize,
	) -> Result<impl futures::Stream<Item = Result<Inclusion>> + 'a> {
		let first = self.nonce(&account_of(pair)).await?;
		Ok(futures::stream::iter(calls.into_iter().zip(first..))
			.map(move |(call, nonce)| async move {
				let mortality = self.mortality(TX_LIFETIME).await?;
				self.send_signed(self.sign(pair, call, nonce, &mortality)).await
			})
			.buffered(in_flight.max(1)))
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
		let xt = self.sign(pair, call, nonce, &self.mortality(TX_LIFETIME).await?);
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
			.subscribe(
				"author_submitAndWatchExtrinsic",
				vec![json!(to_hex(&encoded))],
				"author_unwatchExtrinsic",
			)
			.await?;
		// Until finality: a block that is only the best one can still be replaced, and with
		// it the transaction's effect.
		let block_hash = loop {
			let status = tokio::time::timeout(Duration::from_secs(FINALITY_WAIT_SECS), sub.next())
				.await
				.map_err(|_| {
					anyhow!("the transaction was not finalized within {FINALITY_WAIT_SECS} s")
				})?
				.ok_or_else(|| anyhow!("the node closed the subscription"))??;
			if let Some(h) = status.get("finalized") {
				break hex_h256(h)?;
			}
			if let Some(s) = status.as_str() {
				if matches!(s, "dropped" | "invalid" | "usurped") {
					bail!("transaction {s}");
				}
			}
			for bad in ["invalid", "dropped", "usurped", "finalityTimeout"] {
				if status.get(bad).is_some() {
					bail!("transaction not finalized: {status}");
				}
			}
		};
		drop(sub); // unsubscribes
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
		self.block_extrinsics(block)
			.await?
			.iter()
			.position(|x| x == encoded)
			.map(|i| i as u32)
			.ok_or_else(|| anyhow!("extrinsic not found in block {block:?}"))
	}

	/// Encoded extrinsics of a block, checked against its header's extrinsics root.
	pub async fn block_extrinsics(&self, block: H256) -> Result<Vec<Vec<u8>>> {
		let body: Value =
			self.call("chain_getBlock", vec![json!(to_hex(block.as_bytes()))]).await?;
		let xts: Vec<Vec<u8>> = body["block"]["extrinsics"]
			.as_array()
			.ok_or_else(|| anyhow!("no block body"))?
			.iter()
			.map(hex_bytes)
			.collect::<Result<_>>()?;
		let root = BlakeTwo256::ordered_trie_root(
			xts.clone(),
			egov_runtime::VERSION.extrinsics_root_state_version(),
		);
		if root != self.header(block).await?.extrinsics_root {
			bail!("the node's body of block {block:?} is not the one its header commits to");
		}
		Ok(xts)
	}

	/// The hash of block `number` on the chain of block `at`: proven from `at`'s state (the
	/// runtime keeps the last `BlockHashCount` hashes), for older blocks the node's word.
	pub async fn ancestor_hash(&self, number: u32, at: H256) -> Result<H256> {
		if number == 0 {
			return Ok(self.genesis_hash);
		}
		let key = frame_system::BlockHash::<Runtime>::hashed_key_for(number);
		match self.proven::<H256>(&key, at).await? {
			Some(hash) if !hash.is_zero() => Ok(hash),
			_ => self.block_hash(number).await,
		}
	}

	pub async fn block_hash(&self, number: u32) -> Result<H256> {
		let hash: Value = self.call("chain_getBlockHash", vec![json!(number)]).await?;
		hex_h256(&hash)
	}

	pub async fn events(&self, at: H256) -> Result<Vec<Event>> {
		Ok(self
			.storage(&storage_prefix("System", "Events"), Some(at))
			.await?
			.unwrap_or_default())
	}

	/// One storage value at block `at`, proven (see [`Chain::proven_raw`]), or, with no
	/// block, as the node reports it for its best block (for progress and status only:
	/// nothing a command decides on).
	pub async fn storage<T: Decode>(&self, key: &[u8], at: Option<H256>) -> Result<Option<T>> {
		if let Some(at) = at {
			return self.proven(key, at).await;
		}
		let v: Value = self.call("state_getStorage", vec![json!(to_hex(key))]).await?;
		if v.is_null() {
			return Ok(None);
		}
		Ok(Some(T::decode(&mut &hex_bytes(&v)?[..]).context("undecodable storage value")?))
	}

	/// Every `(key, value)` under `prefix` at block `at`, decoded and proven.
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
	/// the whole state). Each value is proven; the list of keys is the node's (a node can
	/// leave keys out: callers that need completeness check a proven count or sum).
	pub async fn storage_prefixed_raw(
		&self,
		prefix: &[u8],
		at: H256,
		progress: Option<&indicatif::ProgressBar>,
	) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
		let mut out = Vec::new();
		let mut start: Option<String> = None;
		loop {
			let keys: Vec<String> = serde_json::from_value(
				self.call(
					"state_getKeysPaged",
					vec![
						json!(to_hex(prefix)),
						json!(1000),
						json!(start.clone()),
						json!(to_hex(at.as_bytes())),
					],
				)
				.await?,
			)?;
			if keys.is_empty() {
				break;
			}
			start = keys.last().cloned();
			let raw: Vec<Vec<u8>> = keys.iter().map(|k| unhex(k)).collect::<Result<_>>()?;
			if raw.iter().any(|k| !k.starts_with(prefix)) {
				bail!("the node listed a key outside the prefix it was asked for");
			}
			let values = self.proven_raw(&raw, at).await?;
			out.extend(raw.into_iter().zip(values).filter_map(|(k, v)| Some((k, v?))));
			if let Some(p) = progress {
				p.inc(keys.len() as u64);
			}
			if keys.len() < 1000 {
				break;
			}
		}
		Ok(out)
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
				self.call(
					"state_call",
					vec![json!(method), json!(data), json!(to_hex(h.as_bytes()))],
				)
				.await?
			},
			None => self.call("state_call", vec![json!(method), json!(data)]).await?,
		};
		Ok(T::decode(&mut &hex_bytes(&v)?[..]).with_context(|| format!("undecodable {method}"))?)
	}

	/// The header of block `at`, checked to hash to `at`.
	pub async fn header(&self, at: H256) -> Result<Header> {
		let v: Value = self.call("chain_getHeader", vec![json!(to_hex(at.as_bytes()))]).await?;
		let num = |s: &Value| -> Result<u32> {
			Ok(u32::from_str_radix(s.as_str().unwrap_or("0x0").trim_start_matches("0x"), 16)?)
		};
		let h256 = |s: &Value| -> Result<H256> {
			let b = unhex(s.as_str().ok_or_else(|| anyhow!("bad header"))?)?;
			Ok(H256::from_slice(&b))
		};
		let logs: Vec<polkadot_sdk::sp_runtime::DigestItem> = v["digest"]["logs"]
			.as_array()
			.into_iter()
			.flatten()
			.map(|l| Ok(Decode::decode(&mut &unhex(l.as_str().unwrap_or_default())?[..])?))
			.collect::<Result<_>>()?;
		let header = Header {
			parent_hash: h256(&v["parentHash"])?,
			number: num(&v["number"])?,
			state_root: h256(&v["stateRoot"])?,
			extrinsics_root: h256(&v["extrinsicsRoot"])?,
			digest: polkadot_sdk::sp_runtime::Digest { logs },
		};
		if header.hash() != at {
			bail!("the node's header does not hash to the block it claims");
		}
		Ok(header)
	}

	/// The node's proof of `keys` in the state of block `at` (trie nodes, unchecked).
	pub async fn read_proof(&self, keys: &[Vec<u8>], at: H256) -> Result<Vec<Vec<u8>>> {
		// smoldot-light 1.3.2 panics re-encoding the proofs it checked, for some keys
		// (`proof_encode.rs:162`, seen on the local network, with one key at a time too).
		if self.is_light() {
			bail!(
				"the light client cannot hand out storage proofs (smoldot-light 1.3.2); it \
				 checks each value itself. Export a record with proofs through an RPC node \
				 (--url) and check it against the light client's head (`egov head`)"
			);
		}
		let keys: Vec<String> = keys.iter().map(|k| to_hex(k)).collect();
		let v: Value = self
			.call("state_getReadProof", vec![json!(keys), json!(to_hex(at.as_bytes()))])
			.await?;
		v["proof"]
			.as_array()
			.ok_or_else(|| anyhow!("no proof in the answer"))?
			.iter()
			.map(|n| unhex(n.as_str().unwrap_or_default()))
			.collect()
	}

	/// Storage values of `keys` at block `at`, proven: the node's read proof is checked
	/// against the state root of `at`'s header, and the header against the hash `at`. A
	/// node that changes a value cannot make its proof check (it would need a preimage of
	/// the state root); what stays trusted is that `at` is a block of this chain (the
	/// finalized head the node names, unless the caller pins it). Through the light
	/// client, smoldot does the same checks against the block it follows.
	pub async fn proven_raw(&self, keys: &[Vec<u8>], at: H256) -> Result<Vec<Option<Vec<u8>>>> {
		if self.is_light() {
			// smoldot checks each value against the state root of `at`, a block it follows
			// from the relay chain's finality, with a proof from its peers.
			let mut values = Vec::with_capacity(keys.len());
			for key in keys {
				let at = json!(to_hex(at.as_bytes()));
				let v = self.call("state_getStorage", vec![json!(to_hex(key)), at]).await?;
				values.push(if v.is_null() { None } else { Some(hex_bytes(&v)?) });
			}
			return Ok(values);
		}
		let cached = self.state_roots.lock().ok().and_then(|roots| roots.get(&at).copied());
		let state_root = match cached {
			Some(root) => root,
			None => {
				let root = self.header(at).await?.state_root;
				if let Ok(mut roots) = self.state_roots.lock() {
					roots.insert(at, root);
				}
				root
			},
		};
		let proof = StorageProof::new(self.read_proof(keys, at).await?);
		let mut values =
			read_proof_check::<BlakeTwo256, _>(state_root, proof, keys).map_err(|e| {
				anyhow!(
					"the node's storage proof does not check against the state root of block \
					 {at:?}: {e}; refusing what it reports"
				)
			})?;
		Ok(keys.iter().map(|k| values.remove(k).flatten()).collect())
	}

	/// One proven storage value at `at`, decoded (see [`Chain::proven_raw`]).
	pub async fn proven<T: Decode>(&self, key: &[u8], at: H256) -> Result<Option<T>> {
		let value = self.proven_raw(&[key.to_vec()], at).await?.pop().flatten();
		value
			.map(|v| T::decode(&mut &v[..]).context("undecodable storage value"))
			.transpose()
	}
}

/// `egov head`: the finalized head, and what it rests on.
pub async fn head(endpoint: &Endpoint, out: &crate::elections::Output) -> Result<()> {
	let chain = Chain::connect(endpoint).await?;
	let (hash, number) = chain.finalized_head().await?;
	let trust = chain.trust();
	out.show(
		json!({
			"finalized": number,
			"hash": to_hex(hash.as_bytes()),
			"genesis": to_hex(chain.genesis_hash.as_bytes()),
			"light": chain.is_light(),
			"trust": trust,
		}),
		|| format!("finalized #{number} {}\ntrusting {trust}", to_hex(hash.as_bytes())),
	);
	Ok(())
}
