#[cfg(all(feature = "std", feature = "metadata-hash"))]
fn main() {
	// The metadata hash lets offline signers check what they sign (RFC-78).
	substrate_wasm_builder::WasmBuilder::init_with_defaults()
		.enable_metadata_hash("EGOV", 12)
		.build();
}

#[cfg(all(feature = "std", not(feature = "metadata-hash")))]
fn main() {
	substrate_wasm_builder::WasmBuilder::build_using_defaults();
}

#[cfg(not(feature = "std"))]
fn main() {}
