//! Governance: the council of ministries, the technical committee, public notice, the
//! whitelist of upgrades and the treasury.
//!
//! Who can do what (the README's origins table is this list):
//!
//! | act | origin |
//! |-----|--------|
//! | appoint authorities, manage collators, cancel an announced act, spend from the treasury | [`GovernanceOrigin`]: two thirds of the council |
//! | announce an act ([`crate::PublicNotice`]): it takes effect after the notice period | [`CouncilThreeQuarters`] |
//! | change the members of the council or of the technical committee | an announced act whose notice ran ([`RootOrAfterNotice`]) |
//! | whitelist (or un-whitelist) the hash of a call that needs Root, e.g. `System::authorize_upgrade` | [`TechnicalTwoThirds`] |
//! | dispatch a whitelisted call as Root | an announced act whose notice ran, or (emergency, no notice) [`CouncilUnanimous`] |
//!
//! Root is reached only through the whitelist, i.e. only with both the technical committee
//! and the council, and in dev/local genesis through sudo. A council motion's abstentions
//! count as nays ([`AbstentionIsNay`]): a threshold is met by members who voted for it.

use crate::{
	configs::RuntimeBlockWeights, AccountId, Balance, Balances, BlockNumber, Council, OriginCaller,
	Preimage, Runtime, RuntimeCall, RuntimeEvent, RuntimeHoldReason, RuntimeOrigin, System,
	TechnicalCommittee, DAYS, UNIT,
};
use frame_support::{
	parameter_types,
	traits::{
		fungible::HoldConsideration,
		tokens::{pay::PayFromAccount, UnityAssetBalanceConversion},
		ConstU32, EitherOf, EitherOfDiverse, EqualPrivilegeOnly, LinearStoragePrice,
	},
	weights::Weight,
	PalletId,
};
use frame_system::{EnsureRoot, EnsureWithSuccess};
use pallet_collective::{EnsureProportionAtLeast, MemberCount};
use pallet_public_notice::EnsureNoticeServed;
use polkadot_sdk::*;
use sp_runtime::{
	traits::{AccountIdConversion, IdentityLookup},
	Perbill,
};

/// The council of ministries as a collective.
pub type CouncilCollective = pallet_collective::Instance1;
/// The technical committee (e.g. the national CERT and independent auditors).
pub type TechnicalCollective = pallet_collective::Instance2;

/// Root, or at least two thirds of the council of ministries.
pub type GovernanceOrigin = EitherOfDiverse<
	EnsureRoot<AccountId>,
	EnsureProportionAtLeast<AccountId, CouncilCollective, 2, 3>,
>;
/// At least three quarters of the council: may announce an act.
pub type CouncilThreeQuarters = EnsureProportionAtLeast<AccountId, CouncilCollective, 3, 4>;
/// Every member of the council: may dispatch a whitelisted call without notice.
pub type CouncilUnanimous = EnsureProportionAtLeast<AccountId, CouncilCollective, 1, 1>;
/// At least two thirds of the technical committee: may whitelist a call.
pub type TechnicalTwoThirds = EnsureProportionAtLeast<AccountId, TechnicalCollective, 2, 3>;
/// Root (dev/local sudo, or a whitelisted call), or an act announced by the council whose
/// notice ran.
pub type RootOrAfterNotice = EitherOf<EnsureRoot<AccountId>, EnsureNoticeServed<RuntimeOrigin>>;

/// A member who did not vote counts as voting against. Upstream's `PrimeDefaultVote` lets
/// the prime's silence decide for everyone who stayed silent, so a prime plus a minority
/// could pass a motion the majority never voted for.
pub struct AbstentionIsNay;
impl pallet_collective::DefaultVote for AbstentionIsNay {
	fn default_vote(_: Option<bool>, _: MemberCount, _: MemberCount, _: MemberCount) -> bool {
		false
	}
}

parameter_types! {
	pub const CouncilMotionDuration: BlockNumber = 3 * DAYS;
	pub const CouncilMaxProposals: u32 = 100;
	pub const CouncilMaxMembers: u32 = 64;
	pub MaxProposalWeight: Weight = Perbill::from_percent(50) * RuntimeBlockWeights::get().max_block;
}

impl pallet_collective::Config<CouncilCollective> for Runtime {
	type RuntimeOrigin = RuntimeOrigin;
	type Proposal = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type MotionDuration = CouncilMotionDuration;
	type MaxProposals = CouncilMaxProposals;
	type MaxMembers = CouncilMaxMembers;
	type DefaultVote = AbstentionIsNay;
	type WeightInfo = pallet_collective::weights::SubstrateWeight<Runtime>;
	// Members are set through `CouncilMembership` only.
	type SetMembersOrigin = EnsureRoot<AccountId>;
	type MaxProposalWeight = MaxProposalWeight;
	type DisapproveOrigin = GovernanceOrigin;
	type KillOrigin = GovernanceOrigin;
	// Ministries do not pay a deposit to table a motion.
	type Consideration = ();
}

impl pallet_membership::Config<pallet_membership::Instance1> for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type AddOrigin = RootOrAfterNotice;
	type RemoveOrigin = RootOrAfterNotice;
	type SwapOrigin = RootOrAfterNotice;
	type ResetOrigin = RootOrAfterNotice;
	type PrimeOrigin = RootOrAfterNotice;
	type MembershipInitialized = Council;
	type MembershipChanged = Council;
	type MaxMembers = CouncilMaxMembers;
	type WeightInfo = pallet_membership::weights::SubstrateWeight<Runtime>;
}

impl pallet_collective::Config<TechnicalCollective> for Runtime {
	type RuntimeOrigin = RuntimeOrigin;
	type Proposal = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type MotionDuration = CouncilMotionDuration;
	type MaxProposals = CouncilMaxProposals;
	type MaxMembers = CouncilMaxMembers;
	type DefaultVote = AbstentionIsNay;
	type WeightInfo = pallet_collective::weights::SubstrateWeight<Runtime>;
	// Members are set through `TechnicalMembership` only.
	type SetMembersOrigin = EnsureRoot<AccountId>;
	type MaxProposalWeight = MaxProposalWeight;
	// The committee's motions are its own business: only Root may throw one out.
	type DisapproveOrigin = EnsureRoot<AccountId>;
	type KillOrigin = EnsureRoot<AccountId>;
	type Consideration = ();
}

/// The council appoints the technical committee, with notice.
impl pallet_membership::Config<pallet_membership::Instance2> for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type AddOrigin = RootOrAfterNotice;
	type RemoveOrigin = RootOrAfterNotice;
	type SwapOrigin = RootOrAfterNotice;
	type ResetOrigin = RootOrAfterNotice;
	type PrimeOrigin = RootOrAfterNotice;
	type MembershipInitialized = TechnicalCommittee;
	type MembershipChanged = TechnicalCommittee;
	type MaxMembers = CouncilMaxMembers;
	type WeightInfo = pallet_membership::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	pub const PreimageBaseDeposit: Balance = UNIT;
	pub const PreimageByteDeposit: Balance = UNIT / 1_000;
	pub const PreimageHoldReason: RuntimeHoldReason =
		RuntimeHoldReason::Preimage(pallet_preimage::HoldReason::Preimage);
}

/// Holds the text of calls too long to be scheduled or whitelisted inline (a runtime
/// upgrade's `authorize_upgrade` is short; a batch of acts may not be). Whoever notes an
/// unrequested preimage leaves a deposit.
impl pallet_preimage::Config for Runtime {
	type WeightInfo = pallet_preimage::weights::SubstrateWeight<Runtime>;
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type ManagerOrigin = EnsureRoot<AccountId>;
	type Consideration = HoldConsideration<
		AccountId,
		Balances,
		PreimageHoldReason,
		LinearStoragePrice<PreimageBaseDeposit, PreimageByteDeposit, Balance>,
	>;
}

parameter_types! {
	pub MaximumSchedulerWeight: Weight =
		Perbill::from_percent(80) * RuntimeBlockWeights::get().max_block;
	pub const MaxScheduledPerBlock: u32 = 50;
}

/// Dispatches announced acts when their notice has run. Only Root schedules directly.
impl pallet_scheduler::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeOrigin = RuntimeOrigin;
	type PalletsOrigin = OriginCaller;
	type RuntimeCall = RuntimeCall;
	type MaximumWeight = MaximumSchedulerWeight;
	type ScheduleOrigin = EnsureRoot<AccountId>;
	type OriginPrivilegeCmp = EqualPrivilegeOnly;
	type MaxScheduledPerBlock = MaxScheduledPerBlock;
	type WeightInfo = pallet_scheduler::weights::SubstrateWeight<Runtime>;
	type Preimages = Preimage;
	type BlockNumberProvider = System;
}

/// An announcement is the scheduler's `schedule_named` plus, for a long call, noting its
/// preimage; a cancellation is `cancel_named` plus releasing it. Both are charged for a
/// full agenda.
pub struct PublicNoticeWeights;
impl pallet_public_notice::WeightInfo for PublicNoticeWeights {
	fn announce(call_len: u32) -> Weight {
		use pallet_preimage::WeightInfo as _;
		use pallet_scheduler::WeightInfo as _;
		type S = pallet_scheduler::weights::SubstrateWeight<Runtime>;
		type P = pallet_preimage::weights::SubstrateWeight<Runtime>;
		S::schedule_named(MaxScheduledPerBlock::get())
			.saturating_add(P::note_no_deposit_preimage(call_len))
			.saturating_add(P::unrequest_multi_referenced_preimage())
	}
	fn cancel() -> Weight {
		use pallet_preimage::WeightInfo as _;
		use pallet_scheduler::WeightInfo as _;
		type S = pallet_scheduler::weights::SubstrateWeight<Runtime>;
		type P = pallet_preimage::weights::SubstrateWeight<Runtime>;
		S::cancel_named(MaxScheduledPerBlock::get()).saturating_add(P::unrequest_preimage())
	}
	fn set_notice_period() -> Weight {
		<Runtime as frame_system::Config>::DbWeight::get()
			.writes(1)
			.saturating_add(Weight::from_parts(5_000_000, 0))
	}
}

impl pallet_public_notice::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type PalletsOrigin = OriginCaller;
	type Scheduler = crate::Scheduler;
	type Preimages = Preimage;
	type AnnounceOrigin = CouncilThreeQuarters;
	type CancelOrigin = GovernanceOrigin;
	// Shortening the notice is itself an act that needs notice.
	type AdminOrigin = RootOrAfterNotice;
	type WeightInfo = PublicNoticeWeights;
}

parameter_types! {
	/// A council approval of a call the committee has not whitelisted yet waits this long
	/// for the committee.
	pub const WhitelistDeferredExpiration: BlockNumber = 7 * DAYS;
}

/// Root acts (runtime upgrades first of all) need the technical committee to whitelist the
/// exact call and the council to dispatch it: after notice, or unanimously at once.
impl pallet_whitelist::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WhitelistOrigin = TechnicalTwoThirds;
	type DispatchWhitelistedOrigin = EitherOf<EnsureNoticeServed<RuntimeOrigin>, CouncilUnanimous>;
	type Preimages = Preimage;
	type DeferredDispatchExpiration = WhitelistDeferredExpiration;
	type BlockNumberProvider = System;
	type WeightInfo = pallet_whitelist::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	/// Receives transfer duties; the council spends from it.
	pub const TreasuryPalletId: PalletId = PalletId(*b"egov/try");
	pub TreasuryAccount: AccountId = TreasuryPalletId::get().into_account_truncating();
	/// The most one council motion may spend.
	pub const MaxTreasurySpend: Balance = 10_000_000 * UNIT;
	pub const SpendPeriod: BlockNumber = 6 * DAYS;
	pub const PayoutPeriod: BlockNumber = 30 * DAYS;
}

/// The treasury: a two-thirds council motion approves a spend (`Treasury::spend`), which
/// anyone then pays out (`Treasury::payout`). Nothing is burnt.
impl pallet_treasury::Config for Runtime {
	type Currency = Balances;
	type RejectOrigin = GovernanceOrigin;
	type RuntimeEvent = RuntimeEvent;
	type SpendPeriod = SpendPeriod;
	type Burn = ();
	type PalletId = TreasuryPalletId;
	type BurnDestination = ();
	type WeightInfo = pallet_treasury::weights::SubstrateWeight<Runtime>;
	type SpendFunds = ();
	type MaxApprovals = ConstU32<100>;
	type SpendOrigin = EnsureWithSuccess<GovernanceOrigin, AccountId, MaxTreasurySpend>;
	type AssetKind = ();
	type Beneficiary = AccountId;
	type BeneficiaryLookup = IdentityLookup<AccountId>;
	type Paymaster = PayFromAccount<Balances, TreasuryAccount>;
	type BalanceConverter = UnityAssetBalanceConversion;
	type PayoutPeriod = PayoutPeriod;
	egov_primitives::with_upstream_benchmarks! {
		type BenchmarkHelper = ();
	}
	type BlockNumberProvider = System;
}

impl pallet_sudo::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WeightInfo = pallet_sudo::weights::SubstrateWeight<Runtime>;
}
