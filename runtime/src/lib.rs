//! # egov-chain runtime
//!
//! The parachain runtime of a national registry: consensus and collators run by
//! ministries, balances and fees, multisig/proxy/utility for institutions, XCM plumbing a
//! parachain needs, and the council of ministries as the governance origin.
//!
//! Configuration lives in [`configs`], one module per area; runtime APIs in [`apis`];
//! genesis presets in [`genesis_config_presets`].

#![cfg_attr(not(feature = "std"), no_std)]
// `construct_runtime` expands deeply.
#![recursion_limit = "256"]

// Make the WASM binary available.
#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

/// The next release's runtime (the `next-release` feature: `spec_version + 1` and its
/// migrations), which the network tests enact through governance on a running chain.
#[cfg(feature = "std")]
pub mod next_release {
	include!(concat!(env!("OUT_DIR"), "/egov_runtime_next_release"));
}

extern crate alloc;

mod token;
pub use token::{TOKEN_DECIMALS, TOKEN_SYMBOL};

// Declared before `apis` so that its `list_benchmarks!`/`add_benchmarks!` are in scope there.
#[cfg(feature = "runtime-benchmarks")]
#[macro_use]
mod benchmarks;
pub mod apis;
pub mod configs;
pub mod feeless;
pub mod genesis_config_presets;

use alloc::vec::Vec;
use polkadot_sdk::{staging_parachain_info as parachain_info, *};
use smallvec::smallvec;

use frame_support::weights::{
	constants::WEIGHT_REF_TIME_PER_SECOND, Weight, WeightToFeeCoefficient, WeightToFeeCoefficients,
	WeightToFeePolynomial,
};
use sp_runtime::{
	generic, impl_opaque_keys,
	traits::{BlakeTwo256, IdentifyAccount, Verify},
	MultiSignature,
};
use sp_version::RuntimeVersion;

pub use sp_consensus_aura::sr25519::AuthorityId as AuraId;
pub use sp_runtime::{MultiAddress, Perbill, Permill};

/// Alias to 512-bit hash when used in the context of a transaction signature on the chain.
pub type Signature = MultiSignature;

/// Some way of identifying an account on the chain. We intentionally make it equivalent
/// to the public key of our transaction signing scheme.
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;

/// Balance of an account.
pub type Balance = u128;

/// Index of a transaction in the chain.
pub type Nonce = u32;

/// A hash of some data used by the chain.
pub type Hash = sp_core::H256;

/// An index to a block.
pub type BlockNumber = u32;

/// The address format for describing accounts.
pub type Address = MultiAddress<AccountId, ()>;

/// Block header type as expected by this runtime.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;

/// Block type as expected by this runtime.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;

/// The extensions every signed transaction carries, checked in this order.
///
/// `CheckBallot` keeps ballots that would not count out of the pool and out of blocks;
/// `CheckMetadataHash` lets offline signers verify the call they sign against the
/// runtime's metadata; `StorageWeightReclaim` refunds unused proof size.
pub type TxExtension = cumulus_pallet_weight_reclaim::StorageWeightReclaim<
	Runtime,
	(
		frame_system::AuthorizeCall<Runtime>,
		frame_system::CheckNonZeroSender<Runtime>,
		frame_system::CheckSpecVersion<Runtime>,
		frame_system::CheckTxVersion<Runtime>,
		frame_system::CheckGenesis<Runtime>,
		frame_system::CheckEra<Runtime>,
		frame_system::CheckNonce<Runtime>,
		frame_system::CheckWeight<Runtime>,
		// A ballot that would not count is refused by the pool and invalid in a block,
		// so feeless ballots cannot be used to fill blocks for free.
		pallet_elections::CheckBallot<Runtime>,
		// Civic acts a registry asks of a citizen are feeless (`#[pallet::feeless_if]`),
		// and the block is not charged for the payment check they skip.
		feeless::SkipPaymentIfFeeless<
			Runtime,
			pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
		>,
		frame_metadata_hash_extension::CheckMetadataHash<Runtime>,
	),
>;

/// The extensions of a signed transaction at `nonce`, valid in `era`, with no tip (ballots
/// and civic acts are feeless) and without the metadata-hash check (which a hardware
/// signer turns on): what the `egov` CLI signs, and what the runtime tests apply.
pub fn tx_extension(nonce: Nonce, era: generic::Era) -> TxExtension {
	cumulus_pallet_weight_reclaim::StorageWeightReclaim::new((
		frame_system::AuthorizeCall::<Runtime>::new(),
		frame_system::CheckNonZeroSender::<Runtime>::new(),
		frame_system::CheckSpecVersion::<Runtime>::new(),
		frame_system::CheckTxVersion::<Runtime>::new(),
		frame_system::CheckGenesis::<Runtime>::new(),
		frame_system::CheckEra::<Runtime>::from(era),
		frame_system::CheckNonce::<Runtime>::from(nonce),
		frame_system::CheckWeight::<Runtime>::new(),
		pallet_elections::CheckBallot::<Runtime>::new(),
		feeless::SkipPaymentIfFeeless::from(
			pallet_transaction_payment::ChargeTransactionPayment::<Runtime>::from(0),
		),
		frame_metadata_hash_extension::CheckMetadataHash::<Runtime>::new(false),
	))
}

/// Unchecked extrinsic type as expected by this runtime.
pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;

/// Migrations run by the next runtime upgrade, before the pallets' own `on_runtime_upgrade`.
/// A storage change lands with its migration here (a `VersionedMigration` on the pallet's
/// `StorageVersion`), and `egov try-upgrade` runs each one's pre- and post-upgrade checks
/// and every pallet's `try_state` against the live chain before the upgrade is proposed.
/// One-off migrations leave this list in the release after the one that enacted them.
#[cfg(not(feature = "next-release"))]
pub type Migrations = (
	// Permanent: moves stored XCM versions to the latest one the runtime speaks.
	pallet_xcm::migration::MigrateToLatestXcmVersion<Runtime>,
);

/// The next release's: elections to storage version 2 (re-votes per district).
#[cfg(feature = "next-release")]
pub type Migrations = (
	pallet_xcm::migration::MigrateToLatestXcmVersion<Runtime>,
	pallet_elections::migrations::v2::MigrateToV2<Runtime>,
);

/// Executive: handles dispatch to the various modules.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	Migrations,
>;

/// Converts a weight to a fee: 1 unit of extrinsic base weight costs one milli-unit
/// (a tenth of a cent-sized fee), so spam costs money while civic acts stay affordable.
pub struct WeightToFee;
impl WeightToFeePolynomial for WeightToFee {
	type Balance = Balance;
	fn polynomial() -> WeightToFeeCoefficients<Self::Balance> {
		let p = MILLIUNIT / 10;
		let q = 100 * Balance::from(configs::ExtrinsicBaseWeight::get().ref_time());
		smallvec![WeightToFeeCoefficient {
			degree: 1,
			negative: false,
			coeff_frac: Perbill::from_rational(p % q, q),
			coeff_integer: p / q,
		}]
	}
}

/// Opaque types, used by the CLI to instantiate machinery that does not need to know the
/// specifics of the runtime.
pub mod opaque {
	use super::*;
	pub use polkadot_sdk::sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;
	use polkadot_sdk::sp_runtime::{
		generic,
		traits::{BlakeTwo256, Hash as HashT},
	};

	/// Opaque block header type.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// Opaque block type.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;
	/// Opaque block identifier type.
	pub type BlockId = generic::BlockId<Block>;
	/// Opaque block hash type.
	pub type Hash = <BlakeTwo256 as HashT>::Output;
}

impl_opaque_keys! {
	pub struct SessionKeys {
		pub aura: Aura,
		/// Lets collators find each other's addresses (cumulus collator discovery).
		pub authority_discovery: AuthorityDiscovery,
	}
}

#[cfg(not(feature = "next-release"))]
#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("egov-chain"),
	impl_name: alloc::borrow::Cow::Borrowed("egov-chain"),
	authoring_version: 1,
	spec_version: 1,
	impl_version: 0,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 1,
	system_version: 1,
};

/// The next release: the same, one `spec_version` up (the macro takes literals only).
#[cfg(feature = "next-release")]
#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("egov-chain"),
	impl_name: alloc::borrow::Cow::Borrowed("egov-chain"),
	authoring_version: 1,
	spec_version: 2,
	impl_version: 0,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 1,
	system_version: 1,
};

/// Target block time. Blocks are produced once per relay-chain slot.
pub const MILLI_SECS_PER_BLOCK: u64 = 6000;

// NOTE: Currently it is not possible to change the slot duration after the chain has started.
// Attempting to do so will brick block production.
pub const SLOT_DURATION: u64 = MILLI_SECS_PER_BLOCK;

// Time is measured by number of blocks.
pub const MINUTES: BlockNumber = 60_000 / (MILLI_SECS_PER_BLOCK as BlockNumber);
pub const HOURS: BlockNumber = MINUTES * 60;
pub const DAYS: BlockNumber = HOURS * 24;

/// The chain's unit of account, with [`TOKEN_DECIMALS`] decimals.
pub const UNIT: Balance = 1_000_000_000_000;
const _: () = assert!(UNIT == 10u128.pow(TOKEN_DECIMALS as u32), "UNIT must be 10^TOKEN_DECIMALS");
pub const MILLIUNIT: Balance = 1_000_000_000;
pub const MICROUNIT: Balance = 1_000_000;

/// The existential deposit. Set to 1/10 of the Connected Relay Chain.
pub const EXISTENTIAL_DEPOSIT: Balance = MILLIUNIT;

/// We assume that ~5% of the block weight is consumed by `on_initialize` handlers. This is
/// used to limit the maximal weight of a single extrinsic.
const AVERAGE_ON_INITIALIZE_RATIO: Perbill = Perbill::from_percent(5);

/// We allow `Normal` extrinsics to fill up the block up to 75%, the rest can be used by
/// `Operational` extrinsics.
const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(75);

/// We allow for 2 seconds of compute with a 6 second average block time.
const MAXIMUM_BLOCK_WEIGHT: Weight = Weight::from_parts(
	WEIGHT_REF_TIME_PER_SECOND.saturating_mul(2),
	cumulus_primitives_core::relay_chain::MAX_POV_SIZE as u64,
);

/// Maximum number of blocks simultaneously accepted by the runtime, not yet included into
/// the relay chain.
pub const UNINCLUDED_SEGMENT_CAPACITY: u32 = 3;
/// How many parachain blocks are processed by the relay chain per parent. Limits the
/// number of blocks authored per slot.
pub const BLOCK_PROCESSING_VELOCITY: u32 = 1;
/// Relay chain slot duration, in milliseconds.
pub const RELAY_CHAIN_SLOT_DURATION_MILLIS: u32 = 6000;

// Pallets grouped by area, with index gaps so each area can grow in place.
#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	// System support.
	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type ParachainSystem = cumulus_pallet_parachain_system;
	#[runtime::pallet_index(2)]
	pub type Timestamp = pallet_timestamp;
	#[runtime::pallet_index(3)]
	pub type ParachainInfo = parachain_info;
	#[runtime::pallet_index(4)]
	pub type WeightReclaim = cumulus_pallet_weight_reclaim;

	// Monetary.
	#[runtime::pallet_index(10)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(11)]
	pub type TransactionPayment = pallet_transaction_payment;
	#[runtime::pallet_index(12)]
	pub type SkipFeelessPayment = pallet_skip_feeless_payment;

	#[runtime::pallet_index(13)]
	pub type Treasury = pallet_treasury;

	// Governance: the council of ministries. Sudo exists only in dev/local genesis.
	#[runtime::pallet_index(15)]
	pub type Sudo = pallet_sudo;
	#[runtime::pallet_index(16)]
	pub type Council = pallet_collective<Instance1>;
	#[runtime::pallet_index(17)]
	pub type CouncilMembership = pallet_membership<Instance1>;
	#[runtime::pallet_index(18)]
	pub type TechnicalCommittee = pallet_collective<Instance2>;
	#[runtime::pallet_index(19)]
	pub type TechnicalMembership = pallet_membership<Instance2>;

	// Collator support. The order of these 4 is important and shall not change.
	#[runtime::pallet_index(20)]
	pub type Authorship = pallet_authorship;
	#[runtime::pallet_index(21)]
	pub type CollatorSelection = pallet_collator_selection;
	#[runtime::pallet_index(22)]
	pub type Session = pallet_session;
	#[runtime::pallet_index(23)]
	pub type Aura = pallet_aura;
	#[runtime::pallet_index(24)]
	pub type AuraExt = cumulus_pallet_aura_ext;
	#[runtime::pallet_index(25)]
	pub type AuthorityDiscovery = pallet_authority_discovery;

	// XCM helpers.
	#[runtime::pallet_index(30)]
	pub type XcmpQueue = cumulus_pallet_xcmp_queue;
	#[runtime::pallet_index(31)]
	pub type PolkadotXcm = pallet_xcm;
	#[runtime::pallet_index(32)]
	pub type CumulusXcm = cumulus_pallet_xcm;
	#[runtime::pallet_index(33)]
	pub type MessageQueue = pallet_message_queue;

	// Institutions acting together: batches, shared accounts, delegation.
	#[runtime::pallet_index(40)]
	pub type Utility = pallet_utility;
	#[runtime::pallet_index(41)]
	pub type Multisig = pallet_multisig;
	#[runtime::pallet_index(42)]
	pub type Proxy = pallet_proxy;

	// The registry.
	#[runtime::pallet_index(50)]
	pub type IdentityRegistry = pallet_identity_registry;
	#[runtime::pallet_index(51)]
	pub type Elections = pallet_elections;
	#[runtime::pallet_index(52)]
	pub type PropertyRegistry = pallet_property_registry;
	#[runtime::pallet_index(53)]
	pub type PropertyTransfers = pallet_property_transfers;

	// Governance machinery: Root acts need the technical committee's whitelist and the
	// council; acts that change who governs take effect after public notice.
	#[runtime::pallet_index(60)]
	pub type Whitelist = pallet_whitelist;
	#[runtime::pallet_index(61)]
	pub type PublicNotice = pallet_public_notice;
	#[runtime::pallet_index(62)]
	pub type Scheduler = pallet_scheduler;
	#[runtime::pallet_index(63)]
	pub type Preimage = pallet_preimage;
}

cumulus_pallet_parachain_system::register_validate_block! {
	Runtime = Runtime,
	BlockExecutor = cumulus_pallet_aura_ext::BlockExecutor::<Runtime, Executive>,
}
