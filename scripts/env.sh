# Sourced by the scripts: one persistent target dir outside the work tree, shared by the
# node build, the tests and CI, so nothing is built twice.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/egov-chain/target}"
export EGOV_NODE="${EGOV_NODE:-$CARGO_TARGET_DIR/release/egov-node}"
# The relay node, its workers and the relay spec for zombienet (zombienet/build-binaries.sh).
export EGOV_RELAY_BIN="${EGOV_RELAY_BIN:-$HOME/.cache/egov-chain/zombienet-bin}"
