//! Runtime configuration, one module per area.
//!
//! - [`system`]: frame-system, timestamp, parachain system and info, weight reclaim.
//! - [`monetary`]: balances and transaction payment.
//! - [`governance`]: the council, the technical committee, public notice, the whitelist of
//!   Root acts, the treasury, and sudo (dev/local genesis only).
//! - [`collators`]: authorship, collator selection, session, Aura.
//! - [`xcm_config`]: the XCM and message-queue plumbing a parachain needs.
//! - [`institutions`]: utility, multisig and proxy for ministries and companies.
//! - [`registry`]: the identity registry and feeless civic acts.
//! - [`elections`]: secret-ballot elections run by the commission and trustees.
//! - [`property`]: the land registry (titles, encumbrances, court orders, history).

use polkadot_sdk::*;

pub mod collators;
pub mod elections;
pub mod governance;
pub mod institutions;
pub mod monetary;
pub mod property;
pub mod registry;
pub mod system;
pub mod xcm_config;

pub use frame_support::weights::constants::{
	BlockExecutionWeight, ExtrinsicBaseWeight, RocksDbWeight,
};
pub use governance::GovernanceOrigin;
pub use system::RuntimeBlockWeights;
