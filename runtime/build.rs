//! Builds the runtime's WASM blob with its metadata hash, and the next release's (see
//! `next_release` in lib.rs).

#[cfg(feature = "std")]
include!("wasm-build-env.rs");

#[cfg(feature = "std")]
#[allow(dead_code)]
mod token {
	include!("src/token.rs");
}

#[cfg(feature = "std")]
fn main() {
	use substrate_wasm_builder::WasmBuilder;
	pin_wasm_build_to_workspace();
	// The metadata hash (RFC-78) that `CheckMetadataHash` adds to what a signature covers, so
	// that offline signers (Ledger, Polkadot Vault) can show and check what they sign.
	// wasm-builder compiles the runtime, reads its metadata, and compiles it again with the
	// hash embedded: every runtime we build, dev or production, carries it.
	WasmBuilder::init_with_defaults()
		.enable_metadata_hash(token::TOKEN_SYMBOL, token::TOKEN_DECIMALS)
		.build();
	// The same wasm project and target dir, one more feature: only this crate and
	// pallet-elections compile a second time, the dependencies are shared. Without the
	// metadata hash: the blob exists for the network's upgrade test, and a third compile of
	// the runtime on every change is not worth it there.
	WasmBuilder::init_with_defaults()
		.enable_feature("next-release")
		.set_file_name("egov_runtime_next_release")
		.build();
}

#[cfg(not(feature = "std"))]
fn main() {}
