#!/usr/bin/env python3
"""python-escpos as an independent client of posdiag's simulated printer.

For each printer fault, starts `posdiag sim --printer-tcp 127.0.0.1:0 --fault F`, asks the
simulated printer with python-escpos (PyPI) over TCP, and checks that `is_online()` and
`paper_status()` report the state the fault stands for (docs/protocols/escpos.md §12). Exits
non-zero on any disagreement. Run by tests/printer_checks.rs with the venv of scripts/setup_python.sh.

    python scripts/escpos_oracle.py --posdiag target/debug/posdiag
"""

import argparse
import json
import socket
import subprocess
import sys

from escpos.printer import Network

# fault -> (is_online(), paper_status()); paper_status: 2 adequate, 1 near end, 0 no paper.
# None: the printer does not answer at all (python-escpos then times out on its socket).
EXPECTED = {
    None: (True, 2),
    "printer.paper_near_end": (True, 1),
    "printer.paper_out": (False, 0),
    "printer.cover_open": (False, 2),
    "printer.offline": (False, 2),
    "printer.cutter_error": (False, 2),
    "printer.overheat": (False, 2),
    "printer.paper_jam": (False, 2),
    "printer.unrecoverable_error": (False, 2),
    "printer.no_reply": None,
}

TIMEOUT_S = 2


def start_sim(posdiag, fault):
    args = [posdiag, "sim", "--printer-tcp", "127.0.0.1:0", "--format", "json"]
    if fault:
        args += ["--fault", fault]
    proc = subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL
    )
    line = proc.stdout.readline().decode()
    try:
        endpoint = json.loads(line)["printer_tcp"]
    except (ValueError, KeyError, TypeError):
        proc.kill()
        raise SystemExit(f"posdiag sim printed no printer endpoint: {line!r}")
    host, port = endpoint.rsplit(":", 1)
    return proc, host, int(port)


def ask(host, port):
    """(is_online, paper_status), or None when the printer does not answer."""
    printer = Network(host, port=port, timeout=TIMEOUT_S)
    printer.open()
    try:
        return printer.is_online(), printer.paper_status()
    except (socket.timeout, TimeoutError):
        return None
    finally:
        printer.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posdiag", required=True, help="path to the posdiag binary")
    args = parser.parse_args()

    failures = 0
    for fault, expected in EXPECTED.items():
        proc, host, port = start_sim(args.posdiag, fault)
        try:
            got = ask(host, port)
        finally:
            proc.kill()
            proc.wait()
        ok = got == expected
        failures += 0 if ok else 1
        name = fault or "(no fault)"
        print(f"{'ok  ' if ok else 'FAIL'} {name:<30} python-escpos: {got}  expected: {expected}")
    total = len(EXPECTED)
    print(f"{total - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
