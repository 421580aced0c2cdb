#!/usr/bin/env bash
# Regenerates the weights of our pallets from their benchmarks, run on the WASM runtime.
#   scripts/benchmark.sh                       every custom pallet
#   scripts/benchmark.sh pallet_identity_registry
# Steps/repeats can be lowered for a quick look: STEPS=2 REPEAT=1 scripts/benchmark.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
STEPS="${STEPS:-50}"
REPEAT="${REPEAT:-20}"

# 1. A runtime WASM with the benchmarks compiled in. It is built into the shared wbuild
#    directory, so copy it aside before the normal build replaces it.
cargo build --release --locked --features egov-runtime/runtime-benchmarks
bench_wasm="$CARGO_TARGET_DIR/egov_runtime.benchmarks.compact.compressed.wasm"
cp "$CARGO_TARGET_DIR/release/wbuild/egov-runtime/egov_runtime.compact.compressed.wasm" "$bench_wasm"
# 2. Back to the normal build (the node embeds the runtime without benchmarks).
cargo build --release --locked

pallets=("$@")
[ ${#pallets[@]} -gt 0 ] || pallets=(pallet_identity_registry pallet_elections pallet_property_registry)
for pallet in "${pallets[@]}"; do
	dir="pallets/$(echo "${pallet#pallet_}" | tr _ -)"
	echo "==> $pallet -> $dir/src/weights.rs"
	"$EGOV_NODE" benchmark pallet \
		--runtime "$bench_wasm" \
		--genesis-builder runtime \
		--genesis-builder-preset development \
		--pallet "$pallet" --extrinsic '*' \
		--steps "$STEPS" --repeat "$REPEAT" \
		--wasm-execution compiled \
		--template scripts/weight-template.hbs \
		--header scripts/weight-header.txt \
		--output "$dir/src/weights.rs"
done
