#!/usr/bin/env bash
# Sets up the machine, builds egov-node and starts a one-machine dev chain.
# RPC: ws://127.0.0.1:9944. Extra arguments go to the node (e.g. --dev-block-time 1000).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
. scripts/env.sh
cargo build --release --locked
exec "$EGOV_NODE" --dev --rpc-port 9944 "$@"
