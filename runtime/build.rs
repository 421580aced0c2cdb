//! Builds the runtime's WASM blob, and the next release's (see `next_release` in lib.rs).

#[cfg(feature = "std")]
include!("wasm-build-env.rs");

#[cfg(feature = "std")]
fn main() {
	pin_wasm_build_to_workspace();
	build_wasm();
}

#[cfg(all(feature = "std", feature = "metadata-hash"))]
fn build_wasm() {
	// The metadata hash lets offline signers check what they sign (RFC-78). A release
	// build: no next-release blob.
	substrate_wasm_builder::WasmBuilder::init_with_defaults()
		.enable_metadata_hash("EGOV", 12)
		.build();
}

#[cfg(all(feature = "std", not(feature = "metadata-hash")))]
fn build_wasm() {
	use substrate_wasm_builder::WasmBuilder;
	WasmBuilder::build_using_defaults();
	// The same wasm project and target dir, one more feature: only this crate and
	// pallet-elections compile a second time, the dependencies are shared.
	WasmBuilder::init_with_defaults()
		.enable_feature("next-release")
		.set_file_name("egov_runtime_next_release")
		.build();
}

#[cfg(not(feature = "std"))]
fn main() {}
