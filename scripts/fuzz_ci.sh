#!/usr/bin/env bash
# The fuzz targets of the codecs, briefly, for CI: each decoder target in fuzz/ that needs only
# posdiag-proto runs for SECONDS_PER_TARGET seconds (default 5: about a minute in all) from its
# committed seeds. Built without cargo-fuzz (nothing to install): the nightly toolchain with
# the coverage flags cargo-fuzz passes itself (`--sanitizer none --debug-assertions`), so a
# crash here reproduces with `cargo fuzz run` (docs/fuzzing.md).
#
# The targets that read user files or go through the tap (capture_reader, profile_loader,
# privacy_oracle) build the whole program, which takes minutes instrumented: `cargo test`
# runs their bodies over seeds and mutations (tests/fuzz_app_targets.rs), and
# `bash scripts/fuzz.sh` fuzzes them with coverage guidance.
#
#   bash scripts/fuzz_ci.sh [SECONDS_PER_TARGET]
set -euo pipefail
cd "$(dirname "$0")/.."

SECS="${1:-5}"
TARGETS=(zvt_deframer zvt_apdu zvt_explain zvt_redact escpos_stream escpos_explain
    iso8583_decode iso8583_redact concert_decode nexo_decode)

if ! command -v rustup >/dev/null 2>&1 || ! rustup toolchain list | grep -q '^nightly'; then
    echo "fuzzing skipped: no nightly toolchain (rustup toolchain install nightly to run it)"
    exit 0
fi

HOST="$(rustc +nightly -vV | sed -n 's/^host: //p')"
export CARGO_TARGET_DIR="$PWD/target/fuzz-ci"
export RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Cdebug-assertions -Coverflow-checks"
echo "== building ${#TARGETS[@]} fuzz targets (nightly, release, coverage instrumented)"
bins=()
for t in "${TARGETS[@]}"; do bins+=(--bin "$t"); done
(cd fuzz && cargo +nightly build --locked --release --target "$HOST" "${bins[@]}")

mkdir -p fuzz/artifacts
for target in "${TARGETS[@]}"; do
    corpus="$(mktemp -d)"
    log="$(mktemp)"
    echo "== fuzz $target for ${SECS}s"
    if "$CARGO_TARGET_DIR/$HOST/release/$target" "$corpus" "fuzz/seeds/$target" \
        -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="fuzz/artifacts/$target-" >"$log" 2>&1; then
        grep -E '^Done|stat::number_of_executed_units' "$log" || tail -n 1 "$log"
    else
        status=$?
        tail -n 60 "$log"
        echo "fuzz target $target failed (exit $status): the input is fuzz/artifacts/$target-*; see docs/fuzzing.md"
        exit 1
    fi
    rm -rf "$corpus" "$log"
done
echo "== fuzzing done: ${#TARGETS[@]} targets ran ${SECS}s each without a crash"
