#!/usr/bin/env bash
# The fuzz targets of the codecs, briefly, for CI: each decoder target in fuzz/ that needs only
# posdiag-proto runs for SECONDS_PER_TARGET seconds (default 5) from its committed seeds, one
# target per core at a time. Built without cargo-fuzz (nothing to install): the nightly toolchain with
# the coverage flags cargo-fuzz passes itself (`--sanitizer none --debug-assertions`), so a
# crash here reproduces with `cargo fuzz run` (docs/fuzzing.md).
#
# The targets that read user files or go through the tap (capture_reader, profile_loader,
# privacy_oracle) build the whole program, which takes minutes instrumented: `cargo test`
# runs their bodies over seeds and mutations (tests/fuzz_app_targets.rs), and
# `bash scripts/fuzz.sh` fuzzes them with coverage guidance.
#
#   bash scripts/fuzz_ci.sh [SECONDS_PER_TARGET]
#   bash scripts/fuzz_ci.sh --build-only     (CI builds them early, in the background)
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_ONLY=0
if [ "${1:-}" = "--build-only" ]; then BUILD_ONLY=1; shift; fi
SECS="${1:-5}"
TARGETS=(zvt_deframer zvt_apdu zvt_explain zvt_redact escpos_stream escpos_explain
    iso8583_decode iso8583_redact concert_decode nexo_decode)

if ! command -v rustup >/dev/null 2>&1 || ! rustup toolchain list | grep -q '^nightly'; then
    echo "fuzzing skipped: no nightly toolchain (rustup toolchain install nightly to run it)"
    exit 0
fi

HOST="$(rustc +nightly -vV | sed -n 's/^host: //p')"
export CARGO_TARGET_DIR="$PWD/target/fuzz-ci"
# File and line in a crash's stack trace need line tables only; full debug info (the fuzz
# crate's own profile) made the build slower.
export CARGO_PROFILE_RELEASE_DEBUG=line-tables-only
export RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Cdebug-assertions -Coverflow-checks"
echo "== building ${#TARGETS[@]} fuzz targets (nightly, release, coverage instrumented)"
bins=()
for t in "${TARGETS[@]}"; do bins+=(--bin "$t"); done
(cd fuzz && cargo +nightly build --locked --release --target "$HOST" "${bins[@]}")
[ "$BUILD_ONLY" = 0 ] || exit 0

mkdir -p fuzz/artifacts
# The targets run side by side, one per core (FUZZ_JOBS to change it): each is one process.
jobs_max="${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 2)}"
logs="$(mktemp -d)"
for target in "${TARGETS[@]}"; do
    while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do wait -n || true; done
    echo "== fuzz $target for ${SECS}s"
    (
        corpus="$(mktemp -d)"
        status=0
        "$CARGO_TARGET_DIR/$HOST/release/$target" "$corpus" "fuzz/seeds/$target" \
            -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 \
            -artifact_prefix="fuzz/artifacts/$target-" >"$logs/$target.log" 2>&1 || status=$?
        rm -rf "$corpus"
        echo "$status" >"$logs/$target.status"
    ) &
done
wait
failed=0
for target in "${TARGETS[@]}"; do
    status="$(cat "$logs/$target.status" 2>/dev/null || echo "no status")"
    if [ "$status" = 0 ]; then
        echo "$target: $(grep -E '^Done' "$logs/$target.log" || tail -n 1 "$logs/$target.log")"
    else
        tail -n 60 "$logs/$target.log"
        echo "fuzz target $target failed (exit $status): the input is fuzz/artifacts/$target-*; see docs/fuzzing.md"
        failed=1
    fi
done
rm -rf "$logs"
[ "$failed" = 0 ] || exit 1
echo "== fuzzing done: ${#TARGETS[@]} targets ran ${SECS}s each without a crash"
