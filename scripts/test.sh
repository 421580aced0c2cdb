#!/usr/bin/env bash
# Sets up the machine, builds, and runs every test: Rust unit and runtime tests, the
# chain-spec drift check, the end-to-end tests against a dev node, and the zombienet
# network tests (a local relay chain and three collators).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
. scripts/env.sh
step() { printf '\n==> %s\n' "$*"; }

step "build (release profile, shared target dir $CARGO_TARGET_DIR)"
cargo build --release --locked
step "Rust tests"
cargo test --release --locked
# The next release's storage and migration (the `next-release` feature, off in the
# workspace build): the elections pallet's tests again with it.
cargo test --release --locked -p pallet-elections --features next-release
step "chain specs match the runtime"
./chain-spec/generate.sh --check
# The relay node and its workers for the network tests are built once per machine (~10 min
# on top of the node's build; a no-op when they are current). On a fresh machine they build
# while the end-to-end tests run, which mostly wait for blocks: at the lowest CPU priority,
# so the dev node keeps its slots. The last cargo command above has finished.
relay_log=$(mktemp)
nice -n 19 zombienet/build-binaries.sh >"$relay_log" 2>&1 &
relay_build=$!
trap 'pkill -P $relay_build 2>/dev/null; kill $relay_build 2>/dev/null || true' EXIT
step "end-to-end tests (@polkadot/api against egov-node --dev)"
(cd tests && npm test)
step "zombienet network tests (relay chain + three collators)"
relay_ok=0
wait $relay_build || relay_ok=$?
trap - EXIT
cat "$relay_log"
[ "$relay_ok" -eq 0 ] || { echo "building the relay binaries failed"; exit 1; }
(cd tests && npm run test:zombienet)
echo
echo "all tests passed (Rust, chain specs, end-to-end, zombienet network)"
