#!/usr/bin/env bash
# Regenerates the committed chain specs from the runtime presets compiled into egov-node.
#   chain-spec/generate.sh            write chain-spec/{dev,local}-{plain,raw}.json
#   chain-spec/generate.sh --check    fail if the committed files differ from what the
#                                     node produces now, or if the production spec has a
#                                     sudo key or a notice under two days (run by the test
#                                     command)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
target="${CARGO_TARGET_DIR:-$HOME/.cache/egov-chain/target}"
node="${EGOV_NODE:-$target/release/egov-node}"
[ -x "$node" ] || { echo "egov-node not found at $node; build it first" >&2; exit 1; }

out="$here"
if [ "${1:-}" = "--check" ]; then
	out="$(mktemp -d)"
	trap 'rm -rf "$out"' EXIT
fi

for chain in dev local; do
	"$node" build-spec --chain "$chain" --disable-default-bootnode 2>/dev/null > "$out/$chain-plain.json"
	"$node" build-spec --chain "$out/$chain-plain.json" --raw --disable-default-bootnode 2>/dev/null > "$out/$chain-raw.json"
done

if [ "${1:-}" = "--check" ]; then
	drift=0
	for f in dev-plain dev-raw local-plain local-raw; do
		# The WASM blob depends on the checkout's path (crate hashes), so it is left out;
		# the genesis configuration and every other storage entry must match exactly.
		if ! python3 "$here/compare.py" "$out/$f.json" "$here/$f.json"; then
			echo "chain-spec/$f.json drifted from the runtime: run chain-spec/generate.sh and commit" >&2
			drift=1
		fi
	done
	[ $drift -eq 0 ] && echo "chain specs: committed files match the runtime"
	# A spec built from the production preset must hand no one sudo and keep the public
	# notice of governance acts at two days or more.
	"$node" build-spec --chain production --disable-default-bootnode 2>/dev/null > "$out/production-plain.json"
	if ! python3 - "$out/production-plain.json" <<'PY'
import json, sys
patch = json.load(open(sys.argv[1]))["genesis"]["runtimeGenesis"]["patch"]
assert patch["sudo"]["key"] is None, f"production spec has a sudo key: {patch['sudo']['key']}"
notice = patch["publicNotice"]["noticePeriod"]
assert notice >= 28800, f"production notice period {notice} blocks is under two days"
PY
	then
		echo "the production spec gives someone sudo or shortens the notice" >&2
		drift=1
	else
		echo "production spec: no sudo key, notice period of two days or more"
	fi
	exit $drift
fi
echo "chain specs written to $out"
