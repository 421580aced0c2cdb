//! Builds the runtime's WASM with its try-runtime checks (the `try-runtime` feature of
//! `egov-runtime`, through this crate's wasm32 dependency), as `runtime/build.rs` builds
//! the runtime itself: pinned to the workspace's lock, with the checkout's path stripped.

#[cfg(feature = "std")]
fn main() {
	let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
	let workspace = std::path::Path::new(&manifest).join("..");
	let workspace = std::fs::canonicalize(&workspace).unwrap_or(workspace);
	std::env::set_var("WASM_BUILD_WORKSPACE_HINT", &workspace);
	std::env::set_var(
		"WASM_BUILD_RUSTFLAGS",
		format!("--remap-path-prefix={}=egov-chain", workspace.display()),
	);
	substrate_wasm_builder::WasmBuilder::build_using_defaults();
}

#[cfg(not(feature = "std"))]
fn main() {}
