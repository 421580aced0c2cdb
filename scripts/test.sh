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
step "end-to-end tests (@polkadot/api against egov-node --dev)"
(cd tests && npm test)
step "zombienet network tests (relay chain + three collators)"
# The relay node and its workers are built once per machine (~12.5 min on top of the
# node's build; a no-op when they are current), so a fresh machine runs these tests too.
zombienet/build-binaries.sh
(cd tests && npm run test:zombienet)
echo
echo "all tests passed (Rust, chain specs, end-to-end, zombienet network)"
