//! Builds the runtime's WASM blob.
//!
//! Our target dir lives outside the work tree, so wasm-builder would not find the
//! workspace's `Cargo.lock` by walking up from `OUT_DIR` and would resolve dependency
//! versions afresh. Pointing it at the workspace keeps the WASM build pinned to the lock.
//! The checkout's path is remapped so the blob does not depend on where it was cloned.

#[cfg(feature = "std")]
fn main() {
	// Read at run time, not baked in with `env!`: the compiled build script is reused by
	// clones at other paths that share the target dir.
	let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
	let workspace = std::path::Path::new(&manifest).join("..");
	let workspace = std::fs::canonicalize(&workspace).unwrap_or(workspace);
	std::env::set_var("WASM_BUILD_WORKSPACE_HINT", &workspace);
	// Source paths end up in the blob (panic locations): strip the checkout's location so
	// every clone builds the same WASM, and the committed chain specs stay comparable.
	std::env::set_var(
		"WASM_BUILD_RUSTFLAGS",
		format!("--remap-path-prefix={}=egov-chain", workspace.display()),
	);
	build_wasm();
}

#[cfg(all(feature = "std", feature = "metadata-hash"))]
fn build_wasm() {
	// The metadata hash lets offline signers check what they sign (RFC-78).
	substrate_wasm_builder::WasmBuilder::init_with_defaults()
		.enable_metadata_hash("EGOV", 12)
		.build();
}

#[cfg(all(feature = "std", not(feature = "metadata-hash")))]
fn build_wasm() {
	substrate_wasm_builder::WasmBuilder::build_using_defaults();
}

#[cfg(not(feature = "std"))]
fn main() {}
