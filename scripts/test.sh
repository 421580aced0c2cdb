#!/usr/bin/env bash
# Sets up the machine, builds, and runs every test: Rust unit and runtime tests, the
# chain-spec drift check, and the end-to-end tests against a dev node.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
. scripts/env.sh
step() { printf '\n==> %s\n' "$*"; }

step "build (release profile, shared target dir $CARGO_TARGET_DIR)"
cargo build --release --locked --workspace
step "Rust tests"
cargo test --release --locked --workspace
step "chain specs match the runtime"
./chain-spec/generate.sh --check
step "end-to-end tests (@polkadot/api against egov-node --dev)"
(cd tests && npm test)
echo
echo "all tests passed"
