#!/usr/bin/env bash
# Builds, once per machine, what the zombienet network needs besides our collator: the
# relay node `polkadot` and its PVF workers (crate relay/, on the same polkadot-sdk
# release and Cargo.lock as egov-node, so they share its compiled dependencies), and the
# relay chain's plain spec. Puts them in $EGOV_RELAY_BIN, outside the work tree.
#
# Builds only if they are missing or stale (a no-op otherwise), so scripts/test.sh and
# zombienet/spawn.sh call it every time.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh

# Current means: built from this polkadot-cli release (pinned in Cargo.lock), these relay
# sources and the workspace's build profiles.
version=$(awk '/^name = "polkadot-cli"$/ { getline; gsub(/"/, "", $3); print $3 }' Cargo.lock)
stamp="$EGOV_RELAY_BIN/STAMP"
sources=$( (cat relay/Cargo.toml relay/build.rs relay/src/*.rs relay/src/bin/*.rs; awk '/^\[profile/ { p = 1 } p' Cargo.toml) | sha256sum | cut -c1-16)
want="polkadot-cli $version; $sources"

if [ -x "$EGOV_RELAY_BIN/polkadot" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
	echo "relay binaries are current in $EGOV_RELAY_BIN ($want)"
	exit 0
fi

echo "building the relay node (polkadot-cli $version) and its workers; one-time, see zombienet/README.md for the time it takes"
start=$(date +%s)
# --workspace: the same feature set as the node's build, so only the relay crates are new.
cargo build --release --locked --workspace
mkdir -p "$EGOV_RELAY_BIN"
for bin in polkadot polkadot-prepare-worker polkadot-execute-worker; do
	install -m 0755 "$CARGO_TARGET_DIR/release/$bin" "$EGOV_RELAY_BIN/$bin"
done
"$CARGO_TARGET_DIR/release/egov-relay-spec" > "$EGOV_RELAY_BIN/westend-local-plain.json"
echo "$want" > "$stamp"
echo "relay binaries in $EGOV_RELAY_BIN after $(( $(date +%s) - start )) s: $("$EGOV_RELAY_BIN/polkadot" --version)"
