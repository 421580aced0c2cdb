//! Builds the runtime's WASM with its try-runtime checks (the `try-runtime` feature of
//! `egov-runtime`, through this crate's wasm32 dependency), as `runtime/build.rs` builds
//! the runtime itself: pinned to the workspace's lock, with the checkout's path stripped.

#[cfg(feature = "std")]
include!("../runtime/wasm-build-env.rs");

#[cfg(feature = "std")]
fn main() {
	use substrate_wasm_builder::WasmBuilder;
	pin_wasm_build_to_workspace();
	// These blobs only check upgrades in tests and `egov try-upgrade`; they never run a
	// chain and no weight is measured on them. Built at opt-level 1 without LTO, the runtime
	// and all its dependencies compile in about half the time of the runtime's own blob
	// (opt-level 3, thin LTO), which matters on a fresh machine. Same code, same checks.
	std::env::set_var(
		"WASM_BUILD_CARGO_ARGS",
		"--config profile.release.opt-level=1 --config 'profile.release.lto=\"off\"'",
	);
	WasmBuilder::build_using_defaults();
	// The next release with its checks: same wasm project, only our crates compile again.
	WasmBuilder::init_with_defaults()
		.enable_feature("next-release")
		.set_file_name("egov_try_runtime_next_release")
		.build();
}

#[cfg(not(feature = "std"))]
fn main() {}
