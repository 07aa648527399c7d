#!/usr/bin/env bash
# Creates the Python virtual environment the test oracles run in — python-escpos (printer),
# pyiso8583 (host) and pyTeliumManager (an Ingenico Concert cash register) — under the build
# directory (target/python-venv, or $CARGO_TARGET_DIR/python-venv), with pinned versions from
# PyPI. Prints the venv's python as the last line of stdout: export POSDIAG_PYTHON="$(bash scripts/setup_python.sh | tail -n 1)".
# Dev/CI only: posdiag itself never runs Python. Any failure (no python3, no venv module, PyPI
# unreachable) exits non-zero: CI must fail loudly rather than skip an oracle.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON_ESCPOS_VERSION="3.1"
PYISO8583_VERSION="4.0.1"
PYTELIUMMANAGER_VERSION="2.4.2"
target_dir="${CARGO_TARGET_DIR:-$PWD/target}"
case "$target_dir" in /*) ;; *) target_dir="$PWD/$target_dir" ;; esac
venv="$target_dir/python-venv"
python="${PYTHON:-python3}"

if ! command -v "$python" >/dev/null 2>&1; then
    echo "setup_python: '$python' not found: install Python 3.8+ (python3 and its venv module)" >&2
    exit 1
fi

if [ ! -x "$venv/bin/python" ]; then
    echo "setup_python: creating $venv" >&2
    mkdir -p "$target_dir"
    "$python" -m venv "$venv" >&2
fi

installed() { # package version
    "$venv/bin/python" -c "import importlib.metadata as m; assert m.version('$1') == '$2'" >/dev/null 2>&1
}
if ! installed python-escpos "$PYTHON_ESCPOS_VERSION" || ! installed pyiso8583 "$PYISO8583_VERSION" \
    || ! installed pyTeliumManager "$PYTELIUMMANAGER_VERSION"; then
    echo "setup_python: installing python-escpos==$PYTHON_ESCPOS_VERSION pyiso8583==$PYISO8583_VERSION pyTeliumManager==$PYTELIUMMANAGER_VERSION" >&2
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
        "python-escpos==$PYTHON_ESCPOS_VERSION" "pyiso8583==$PYISO8583_VERSION" \
        "pyTeliumManager==$PYTELIUMMANAGER_VERSION" >&2
fi

"$venv/bin/python" -c "import escpos.printer, iso8583, telium" >&2
echo "$venv/bin/python"
