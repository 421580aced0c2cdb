//! Builds the relay chain's runtime (Westend, `fast-runtime`: one-minute epochs) to WASM
//! for the local relay chain spec, and stamps the commit into the worker versions.
//!
//! Only the WASM is built: depending on `westend-runtime` natively would compile the whole
//! runtime a second time for the host (and its build script builds two WASM variants).

use std::{error::Error, path::PathBuf, process::Command};

fn main() -> Result<(), Box<dyn Error>> {
	substrate_build_script_utils::generate_cargo_keys();

	let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
	let workspace = PathBuf::from(&manifest).join("..");
	let workspace = std::fs::canonicalize(&workspace).unwrap_or(workspace);
	// Keep the WASM build on our Cargo.lock (the target dir is outside the work tree).
	std::env::set_var("WASM_BUILD_WORKSPACE_HINT", &workspace);

	let westend = westend_runtime_manifest(&workspace)?;
	println!("cargo:rerun-if-changed={}", workspace.join("Cargo.lock").display());
	substrate_wasm_builder::WasmBuilder::new()
		.with_project(westend)?
		.enable_feature("fast-runtime")
		.export_heap_base()
		.import_memory()
		.build();
	Ok(())
}

/// Where cargo keeps the source of the `westend-runtime` version our lockfile pins.
///
/// Read from `cargo metadata` by plain text search: a JSON dependency here would change
/// `serde_json`'s features for the whole workspace and rebuild the node's tree.
fn westend_runtime_manifest(workspace: &std::path::Path) -> Result<PathBuf, Box<dyn Error>> {
	let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
	let out = Command::new(cargo)
		.args(["metadata", "--format-version", "1", "--locked", "--manifest-path"])
		.arg(workspace.join("Cargo.toml"))
		.output()?;
	if !out.status.success() {
		return Err(format!("cargo metadata: {}", String::from_utf8_lossy(&out.stderr)).into());
	}
	let meta = String::from_utf8_lossy(&out.stdout);
	// `"manifest_path":"<registry>/westend-runtime-<version>/Cargo.toml"`; the version
	// starting with a digit tells it from `westend-runtime-constants`.
	meta.split("\"manifest_path\":\"")
		.filter_map(|rest| rest.split('"').next())
		.find(|path| {
			let dir = path.strip_suffix("/Cargo.toml").and_then(|p| p.rsplit('/').next());
			dir.and_then(|d| d.strip_prefix("westend-runtime-"))
				.is_some_and(|v| v.starts_with(|c: char| c.is_ascii_digit()))
		})
		.map(PathBuf::from)
		.ok_or_else(|| "westend-runtime is not in Cargo.lock".into())
}
