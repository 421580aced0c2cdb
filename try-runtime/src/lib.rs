//! The egov runtime built with its try-runtime checks, and [`check_upgrade`]: runs a
//! runtime's upgrade checks (every migration's `pre_upgrade`/`post_upgrade`, then every
//! pallet's `try_state`) against a chain's state, as the relay chain would enact it.
//!
//! The runtime that chains run is built without these checks; this crate's WASM is the
//! same source with them, for checking an upgrade before it is proposed
//! (`egov try-upgrade`, and the runtime tests).

#![cfg_attr(not(feature = "std"), no_std)]

// In the WASM build: the runtime itself, with its checks.
#[cfg(not(feature = "std"))]
pub use egov_runtime::*;

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

/// The next release (`egov-runtime`'s `next-release` feature) with its checks.
#[cfg(feature = "std")]
pub mod next_release {
	include!(concat!(env!("OUT_DIR"), "/egov_try_runtime_next_release"));
}

#[cfg(feature = "std")]
mod check;
#[cfg(feature = "std")]
pub use check::*;
