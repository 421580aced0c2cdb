//! Genesis presets: `development`, `local_testnet` and the `production` template.
//!
//! - `development`: one collator (Alice), the council of ministries Alice/Bob/Charlie, the
//!   technical committee Dave/Eve/Ferdie, a notice period of [`DEV_NOTICE_PERIOD`], sudo
//!   held by Alice. For `egov-node --dev`.
//! - `local_testnet`: three ministry collators (Alice, Bob, Charlie), the same council,
//!   committee and notice, and **no sudo**: as in production, only governance reaches
//!   Root (the network tests upgrade it that way). A spec made from it must never run a
//!   real registry: its keys are the public dev keys.
//! - `production`: the named ministries are both the council and the collators; there
//!   is **no sudo**: governance is the council and the technical committee it appoints,
//!   with a notice period of [`PRODUCTION_NOTICE_PERIOD`]. The public keys below are a template
//!   (their secrets were discarded); each ministry replaces them with its own keys before
//!   the genesis of a real network.

use crate::{
	configs::collators::PotId, AccountId, AuraId, BalancesConfig, BlockNumber,
	CollatorSelectionConfig, CouncilMembershipConfig, ParachainInfoConfig, PolkadotXcmConfig,
	PublicNoticeConfig, RuntimeGenesisConfig, SessionConfig, SessionKeys, SudoConfig,
	TechnicalMembershipConfig, DAYS, EXISTENTIAL_DEPOSIT, UNIT,
};
use alloc::{vec, vec::Vec};
use polkadot_sdk::{staging_xcm as xcm, *};
use sp_authority_discovery::AuthorityId as AuthorityDiscoveryId;
use sp_genesis_builder::PresetId;
use sp_keyring::Sr25519Keyring;
use sp_runtime::traits::AccountIdConversion;

/// The parachain id this chain registers under on its relay chain.
pub const PARACHAIN_ID: u32 = 2000;

/// Name of the production template preset.
pub const PRODUCTION_RUNTIME_PRESET: &str = "production";

/// Blocks between a council announcement and its enactment in production: two days for
/// citizens, observers and the minority to see it and, if it is wrong, to stop it.
pub const PRODUCTION_NOTICE_PERIOD: BlockNumber = 2 * DAYS;

/// The same on dev and local networks: one minute, so tests and demos can watch it run.
pub const DEV_NOTICE_PERIOD: BlockNumber = 10;

/// Balance given to each collator so it can pay for its own housekeeping transactions.
const COLLATOR_ENDOWMENT: u128 = 1_000 * UNIT;

/// A ministry in the production template: its name, its account and its collator's
/// session keys (aura for authoring, authority discovery for its network addresses).
struct Ministry {
	#[allow(dead_code)]
	name: &'static str,
	account: [u8; 32],
	aura: [u8; 32],
	discovery: [u8; 32],
}

/// The ministries of the production template (public keys only).
const PRODUCTION_MINISTRIES: [Ministry; 5] = [
	Ministry {
		name: "Ministry of the Interior (civil registry)",
		account: hex_literal::hex!(
			"da5202f495b35f2bdca6584eacf2b7323e253098a358cca43e9597b2c24bfe5b"
		),
		aura: hex_literal::hex!("c2b67a5703db21be72f36109083da6be844c76d555766a91244c1dee23da840b"),
		discovery: hex_literal::hex!(
			"6443500a8e15220e0eb16c41663c3a54ada8104b29867b48ddbef46cffea5f59"
		),
	},
	Ministry {
		name: "Ministry of Justice (land registry, courts)",
		account: hex_literal::hex!(
			"08e546e4967239093c962268062a52ac51c947b8feb750eafde122c02b315659"
		),
		aura: hex_literal::hex!("c0d372aaea64f0b7a4211a7fda56c70970ac0e5f396d4d3777529258636c703c"),
		discovery: hex_literal::hex!(
			"ac8ea6af0acb5520c60d2a497daa4863ab3925a8074fa506e6e67b1904cfda03"
		),
	},
	Ministry {
		name: "Ministry of Finance (business registry, treasury)",
		account: hex_literal::hex!(
			"f6272cefc2d64d91b61fced36997d4e059c539d0686822abf56f3b846eef1e30"
		),
		aura: hex_literal::hex!("e29460b355c3ff313b6113147ccc5a36ff490c333ce2377773db530e90adf91c"),
		discovery: hex_literal::hex!(
			"680344068f405e42d6248f4dcd9e2d5bd88ca91be41c03b71dadec8493e30d4e"
		),
	},
	Ministry {
		name: "Ministry of Education (credentials)",
		account: hex_literal::hex!(
			"faa34c26eddd3e9bd6fbc1cfd794e1fdaa3505d88869e2f3e15e3db0bfa06a12"
		),
		aura: hex_literal::hex!("c4522de3b5066a29a13df2ce6992bd1e54c265701f3d2ce6cad76308824c4e21"),
		discovery: hex_literal::hex!(
			"be3348b6494c4ada63101cf9794d95f22300d42072fc4591a967bdac1bb8b17d"
		),
	},
	Ministry {
		name: "Ministry of Digital Affairs (election commission)",
		account: hex_literal::hex!(
			"7cd259f04733ac3462b19e8a9833fbd546d0684e137e7a02e781c79d3d176e38"
		),
		aura: hex_literal::hex!("9a64976bda494394e4bdf7136af1be15e58e65b6b8d58c42ff15f859d9cf8f16"),
		discovery: hex_literal::hex!(
			"aac181c40c5ec2048cdb07487eb501a8a8c88efdf60b8355887afe6571c93404"
		),
	},
];

/// Everything a preset decides.
struct GenesisParams {
	collators: Vec<(AccountId, SessionKeys)>,
	council: Vec<AccountId>,
	technical_committee: Vec<AccountId>,
	notice_period: BlockNumber,
	endowed: Vec<(AccountId, u128)>,
	sudo: Option<AccountId>,
}

fn genesis(params: GenesisParams) -> serde_json::Value {
	let GenesisParams { collators, council, technical_committee, notice_period, endowed, sudo } =
		params;
	let config = RuntimeGenesisConfig {
		balances: BalancesConfig { balances: endowed, ..Default::default() },
		parachain_info: ParachainInfoConfig {
			parachain_id: PARACHAIN_ID.into(),
			..Default::default()
		},
		collator_selection: CollatorSelectionConfig {
			invulnerables: collators.iter().map(|(acc, _)| acc.clone()).collect(),
			candidacy_bond: EXISTENTIAL_DEPOSIT * 16,
			..Default::default()
		},
		session: SessionConfig {
			keys: collators.into_iter().map(|(acc, keys)| (acc.clone(), acc, keys)).collect(),
			..Default::default()
		},
		council_membership: CouncilMembershipConfig {
			members: council.try_into().unwrap_or_default(),
			..Default::default()
		},
		technical_membership: TechnicalMembershipConfig {
			members: technical_committee.try_into().unwrap_or_default(),
			..Default::default()
		},
		public_notice: PublicNoticeConfig { notice_period },
		polkadot_xcm: PolkadotXcmConfig {
			safe_xcm_version: Some(xcm::prelude::XCM_VERSION),
			..Default::default()
		},
		sudo: SudoConfig { key: sudo },
		..Default::default()
	};
	serde_json::to_value(config).unwrap_or_default()
}

fn dev_account(k: Sr25519Keyring) -> AccountId {
	k.to_account_id()
}

fn dev_collator(k: Sr25519Keyring) -> (AccountId, SessionKeys) {
	(
		k.to_account_id(),
		SessionKeys { aura: k.public().into(), authority_discovery: k.public().into() },
	)
}

/// Every well-known dev account, endowed so tests and demos can pay fees.
fn dev_endowment() -> Vec<(AccountId, u128)> {
	Sr25519Keyring::iter().map(|k| (k.to_account_id(), 1_000_000 * UNIT)).collect()
}

/// The technical committee of dev and local networks: Dave, Eve and Ferdie.
fn dev_technical_committee() -> Vec<AccountId> {
	[Sr25519Keyring::Dave, Sr25519Keyring::Eve, Sr25519Keyring::Ferdie]
		.into_iter()
		.map(dev_account)
		.collect()
}

fn development() -> serde_json::Value {
	genesis(GenesisParams {
		collators: vec![dev_collator(Sr25519Keyring::Alice)],
		council: vec![
			dev_account(Sr25519Keyring::Alice),
			dev_account(Sr25519Keyring::Bob),
			dev_account(Sr25519Keyring::Charlie),
		],
		technical_committee: dev_technical_committee(),
		notice_period: DEV_NOTICE_PERIOD,
		endowed: dev_endowment(),
		sudo: Some(dev_account(Sr25519Keyring::Alice)),
	})
}

fn local_testnet() -> serde_json::Value {
	genesis(GenesisParams {
		collators: vec![
			dev_collator(Sr25519Keyring::Alice),
			dev_collator(Sr25519Keyring::Bob),
			dev_collator(Sr25519Keyring::Charlie),
		],
		council: vec![
			dev_account(Sr25519Keyring::Alice),
			dev_account(Sr25519Keyring::Bob),
			dev_account(Sr25519Keyring::Charlie),
		],
		technical_committee: dev_technical_committee(),
		notice_period: DEV_NOTICE_PERIOD,
		endowed: dev_endowment(),
		sudo: None,
	})
}

fn production() -> serde_json::Value {
	let accounts: Vec<AccountId> =
		PRODUCTION_MINISTRIES.iter().map(|m| AccountId::from(m.account)).collect();
	// The collator reward pot must exist so that fee shares can be paid into it.
	let pot: AccountId = PotId::get().into_account_truncating();
	let mut endowed: Vec<(AccountId, u128)> =
		accounts.iter().map(|a| (a.clone(), COLLATOR_ENDOWMENT)).collect();
	endowed.push((pot, EXISTENTIAL_DEPOSIT));
	genesis(GenesisParams {
		collators: PRODUCTION_MINISTRIES
			.iter()
			.map(|m| {
				let keys = SessionKeys {
					aura: AuraId::from(sp_core::sr25519::Public::from_raw(m.aura)),
					authority_discovery: AuthorityDiscoveryId::from(
						sp_core::sr25519::Public::from_raw(m.discovery),
					),
				};
				(AccountId::from(m.account), keys)
			})
			.collect(),
		council: accounts,
		// The council appoints the committee (the national CERT, independent auditors) by
		// an announced act once the chain runs: its members are not ministries.
		technical_committee: Vec::new(),
		notice_period: PRODUCTION_NOTICE_PERIOD,
		endowed,
		sudo: None,
	})
}

/// Provides the JSON representation of a predefined genesis config for the given `id`.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		sp_genesis_builder::DEV_RUNTIME_PRESET => development(),
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_testnet(),
		PRODUCTION_RUNTIME_PRESET => production(),
		_ => return None,
	};
	serde_json::to_string(&patch).ok().map(|s| s.into_bytes())
}

/// List of the supported genesis presets.
pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET),
		PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET),
		PresetId::from(PRODUCTION_RUNTIME_PRESET),
	]
}
