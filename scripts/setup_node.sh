#!/usr/bin/env bash
# Installs the independent nexo peer — Adyen's @adyen/api-library at the exact version pinned in
# scripts/nexo_peer/package-lock.json, plus its small driver — under the build directory
# (target/nexo-peer, or $CARGO_TARGET_DIR/nexo-peer), from npm. Prints the peer directory as the
# last line of stdout: export POSDIAG_NODE_PEER="$(bash scripts/setup_node.sh | tail -n 1)".
# Dev/CI only: posdiag itself never runs Node. Any failure (no node/npm, npm unreachable) exits
# non-zero: CI must fail loudly rather than skip the peer.
set -euo pipefail
cd "$(dirname "$0")/.."

target_dir="${CARGO_TARGET_DIR:-$PWD/target}"
case "$target_dir" in /*) ;; *) target_dir="$PWD/$target_dir" ;; esac
peer="$target_dir/nexo-peer"
src="scripts/nexo_peer"

for tool in node npm; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "setup_node: '$tool' not found: install Node.js 18+ (node and npm)" >&2
        exit 1
    fi
done

mkdir -p "$peer"
cp "$src/package.json" "$src/package-lock.json" "$src/driver.js" "$peer/"
want="$(node -p "require('./$src/package.json').dependencies['@adyen/api-library']")"
have="$(node -p "try { require('$peer/node_modules/@adyen/api-library/package.json').version } catch (e) { '' }")"
if [ "$have" != "$want" ]; then
    echo "setup_node: installing @adyen/api-library@$want into $peer" >&2
    (cd "$peer" && npm ci --no-audit --no-fund --loglevel=error >&2)
fi

(cd "$peer" && node -e "require('@adyen/api-library').TerminalLocalAPI" >&2)
echo "$peer"
