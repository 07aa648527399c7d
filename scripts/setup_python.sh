#!/usr/bin/env bash
# Creates the Python virtual environment the python-escpos oracle test runs in, under the
# build directory (target/python-venv, or $CARGO_TARGET_DIR/python-venv), and installs a pinned
# python-escpos from PyPI into it. Prints the venv's python as the last line of stdout, so
# callers can do: export POSDIAG_PYTHON="$(bash scripts/setup_python.sh | tail -n 1)".
# Any failure (no python3, no venv module, PyPI unreachable) exits non-zero: CI must fail
# loudly rather than skip the oracle.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON_ESCPOS_VERSION="3.1"
target_dir="${CARGO_TARGET_DIR:-$PWD/target}"
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

if ! "$venv/bin/python" -c "import escpos, importlib.metadata as m; assert m.version('python-escpos') == '$PYTHON_ESCPOS_VERSION'" >/dev/null 2>&1; then
    echo "setup_python: installing python-escpos==$PYTHON_ESCPOS_VERSION" >&2
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
        "python-escpos==$PYTHON_ESCPOS_VERSION" >&2
fi

"$venv/bin/python" -c "import escpos.printer" >&2
echo "$venv/bin/python"
