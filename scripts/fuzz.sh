#!/usr/bin/env bash
# Runs every fuzz target in fuzz/ for SECONDS_PER_TARGET seconds each (default 6: all targets
# in about a minute, plus the build). A crash stops the run with libFuzzer's report and the
# input under fuzz/artifacts/TARGET/; docs/fuzzing.md says how to reproduce it and how to run
# the targets for hours.
#
#   bash scripts/fuzz.sh [SECONDS_PER_TARGET]
set -euo pipefail
cd "$(dirname "$0")/.."

SECS="${1:-6}"
CARGO_FUZZ_VERSION="0.13.2"
# Panics are what we look for: no sanitizer (the crate has no unsafe code), but overflow and
# debug assertions on, so arithmetic that wraps silently in release is found too.
FLAGS=(--sanitizer none --debug-assertions)

if ! command -v rustup >/dev/null 2>&1 || ! rustup toolchain list | grep -q '^nightly'; then
    echo "fuzzing skipped: no nightly toolchain"
    exit 0
fi
if ! cargo fuzz --version 2>/dev/null | grep -qF "$CARGO_FUZZ_VERSION"; then
    echo "== installing cargo-fuzz $CARGO_FUZZ_VERSION"
    cargo install cargo-fuzz --locked --version "$CARGO_FUZZ_VERSION"
fi

cd fuzz
echo "== cargo +nightly fuzz build"
cargo +nightly fuzz build "${FLAGS[@]}" --features app
for target in $(cargo +nightly fuzz list); do
    mkdir -p "corpus/$target"
    echo "== fuzz $target for ${SECS}s"
    # New inputs go to corpus/ (ignored by git); the committed seeds are only read.
    log="$(mktemp)"
    if cargo +nightly fuzz run "${FLAGS[@]}" --features app "$target" "corpus/$target" "seeds/$target" -- \
        -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        >"$log" 2>&1; then
        grep -E '(DONE|stat::number_of_executed_units)' "$log" || true
        rm -f "$log"
    else
        status=$?
        tail -n 80 "$log"
        rm -f "$log"
        echo "fuzz target $target failed (exit $status): the input is in fuzz/artifacts/$target/; see docs/fuzzing.md"
        exit 1
    fi
done
echo "== fuzzing done: every target ran ${SECS}s without a crash"
