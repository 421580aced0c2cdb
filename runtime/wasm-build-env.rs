// Shared by the build scripts that build a WASM of the runtime (`runtime/build.rs`,
// `try-runtime/build.rs`), through `include!`.
//
// Our target dir lives outside the work tree, so wasm-builder would not find the
// workspace's `Cargo.lock` by walking up from `OUT_DIR` and would resolve dependency
// versions afresh. Pointing it at the workspace keeps the WASM build pinned to the lock.
// The checkout's path is remapped so the blob does not depend on where it was cloned.

/// Points wasm-builder at this workspace and strips the checkout's path from the blob.
fn pin_wasm_build_to_workspace() {
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
}
