//! Tools for institutions: batches (utility), shared accounts (multisig) and delegation
//! (proxy), e.g. a ministry's officers acting for the ministry.

use crate::{
	Balance, Balances, OriginCaller, Runtime, RuntimeCall, RuntimeEvent, System, MILLIUNIT,
};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{parameter_types, traits::InstanceFilter};
use polkadot_sdk::*;
use scale_info::TypeInfo;

impl pallet_utility::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type PalletsOrigin = OriginCaller;
	type WeightInfo = pallet_utility::weights::SubstrateWeight<Runtime>;
}

/// Deposit for storing `bytes` bytes under `items` keys.
pub const fn deposit(items: u32, bytes: u32) -> Balance {
	(items as Balance) * 20 * MILLIUNIT + (bytes as Balance) * 100 * 1_000_000
}

parameter_types! {
	pub const DepositBase: Balance = deposit(1, 88);
	pub const DepositFactor: Balance = deposit(0, 32);
	pub const MaxSignatories: u32 = 100;
}

impl pallet_multisig::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type Currency = Balances;
	type DepositBase = DepositBase;
	type DepositFactor = DepositFactor;
	type MaxSignatories = MaxSignatories;
	type WeightInfo = pallet_multisig::weights::SubstrateWeight<Runtime>;
	type BlockNumberProvider = System;
}

/// What a proxy may do for the account that appointed it.
#[derive(
	Copy,
	Clone,
	Eq,
	PartialEq,
	Ord,
	PartialOrd,
	Encode,
	Decode,
	DecodeWithMemTracking,
	Debug,
	MaxEncodedLen,
	TypeInfo,
	Default,
)]
pub enum ProxyType {
	/// Anything.
	#[default]
	Any,
	/// The registries' and governance's business, never money or title: no balance
	/// transfer, no escrow deal (a deposit, a sale paying the proxy, a creditor's payoff),
	/// no multisig approval, no XCM, no treasury call, no collator bond.
	NonTransfer,
	/// Council and technical committee business only (an officer voting for a ministry).
	Governance,
	/// Only cancel announced proxy calls.
	CancelProxy,
	/// The principal's escrow deals only (a lawyer handling a sale): open, consent,
	/// deposit, approve as creditor, cancel, settle. It moves the principal's money and
	/// title, which is what it is given for.
	Property,
}

impl InstanceFilter<RuntimeCall> for ProxyType {
	fn filter(&self, c: &RuntimeCall) -> bool {
		// A ballot is cast by the voter's own key, never through a proxy of any kind: a
		// ballot's proofs bind only the voter's account, so a proxy could otherwise vote
		// in their name. (The filter also applies inside batches the proxy dispatches.)
		if matches!(c, RuntimeCall::Elections(pallet_elections::Call::cast_ballot { .. })) {
			return false;
		}
		match self {
			ProxyType::Any => true,
			// An allow-list, so that a pallet added later is outside until it is judged.
			ProxyType::NonTransfer => matches!(
				c,
				RuntimeCall::System(..)
					| RuntimeCall::Session(..)
					| RuntimeCall::Council(..)
					| RuntimeCall::CouncilMembership(..)
					| RuntimeCall::TechnicalCommittee(..)
					| RuntimeCall::TechnicalMembership(..)
					| RuntimeCall::Utility(..)
					| RuntimeCall::Proxy(..)
					| RuntimeCall::IdentityRegistry(..)
					| RuntimeCall::Elections(..)
					| RuntimeCall::PropertyRegistry(..)
					| RuntimeCall::PublicNotice(..)
					| RuntimeCall::Preimage(..)
			),
			ProxyType::Governance => matches!(
				c,
				RuntimeCall::Council(..)
					| RuntimeCall::CouncilMembership(..)
					| RuntimeCall::TechnicalCommittee(..)
					| RuntimeCall::TechnicalMembership(..)
					| RuntimeCall::Utility(..)
			),
			ProxyType::CancelProxy => matches!(
				c,
				RuntimeCall::Proxy(pallet_proxy::Call::reject_announcement { .. })
					| RuntimeCall::Utility(..)
					| RuntimeCall::Multisig(..)
			),
			ProxyType::Property => {
				matches!(c, RuntimeCall::PropertyTransfers(..) | RuntimeCall::Utility(..))
			},
		}
	}
	fn is_superset(&self, o: &Self) -> bool {
		match (self, o) {
			(x, y) if x == y => true,
			(ProxyType::Any, _) => true,
			(_, ProxyType::Any) => false,
			(ProxyType::NonTransfer, ProxyType::Governance) => true,
			_ => false,
		}
	}
}

parameter_types! {
	pub const ProxyDepositBase: Balance = deposit(1, 8);
	pub const ProxyDepositFactor: Balance = deposit(0, 33);
	pub const AnnouncementDepositBase: Balance = deposit(1, 8);
	pub const AnnouncementDepositFactor: Balance = deposit(0, 66);
	pub const MaxProxies: u32 = 32;
	pub const MaxPending: u32 = 32;
}

impl pallet_proxy::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type Currency = Balances;
	type ProxyType = ProxyType;
	type ProxyDepositBase = ProxyDepositBase;
	type ProxyDepositFactor = ProxyDepositFactor;
	type MaxProxies = MaxProxies;
	type WeightInfo = pallet_proxy::weights::SubstrateWeight<Runtime>;
	type MaxPending = MaxPending;
	type CallHasher = sp_runtime::traits::BlakeTwo256;
	type AnnouncementDepositBase = AnnouncementDepositBase;
	type AnnouncementDepositFactor = AnnouncementDepositFactor;
	type BlockNumberProvider = System;
}
