#!/usr/bin/env bash
# Creates the Python venv for the pyiso8583 test oracle under the build directory and prints
# the interpreter's path. Dev/CI only: posdiag never runs Python. Fails loudly when pip fails.
set -euo pipefail
cd "$(dirname "$0")/.."

PYISO8583_VERSION="4.0.1"
VENV="${CARGO_TARGET_DIR:-$PWD/target}/pyiso8583-venv"
case "$VENV" in /*) ;; *) VENV="$PWD/$VENV" ;; esac
PYTHON_BIN="${PYTHON:-python3}"

if ! command -v "$PYTHON_BIN" >/dev/null 2>&1; then
    echo "setup_python_iso: '$PYTHON_BIN' not found: install Python 3 (3.8 or newer)" >&2
    exit 1
fi

want="pyiso8583==${PYISO8583_VERSION}"
if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -m pip show pyiso8583 2>/dev/null | grep -qx "Version: ${PYISO8583_VERSION}"; then
    echo "$VENV/bin/python"
    exit 0
fi

rm -rf "$VENV"
"$PYTHON_BIN" -m venv "$VENV" >&2
"$VENV/bin/python" -m pip install --disable-pip-version-check --quiet "$want" >&2
"$VENV/bin/python" -c "import iso8583" >&2
echo "$VENV/bin/python"
