#!/usr/bin/env bash
# Runs the local network by hand: a relay chain (validators dave, eve) and egov-chain
# with the ministry collators alice, bob and charlie. Ctrl-C stops it. Everything binds to
# loopback; zombienet prints each node's RPC address.
#
#   zombienet/spawn.sh [network dir]     (default: a fresh temp dir)
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
. scripts/env.sh
cargo build --release --locked
zombienet/build-binaries.sh
export EGOV_PARA_SPEC="$PWD/chain-spec/local-raw.json"
dir="${1:-$(mktemp -d -t egov-zombienet-XXXXXX)}"
exec tests/node_modules/.bin/zombienet spawn --provider native --force --dir "$dir" zombienet/network.toml
