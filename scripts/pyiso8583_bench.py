#!/usr/bin/env python3
"""pyiso8583's decode rate on frames posdiag encoded, for benches/iso8583_throughput.rs.

  pyiso8583_bench.py FILE MS   FILE: one frame a line, hex with the 2-byte length prefix.
                               Decodes each frame (CUP spec of pyiso8583_oracle.py) for about
                               MS milliseconds and prints one line per frame: messages/s.
  pyiso8583_bench.py FILE --serve
                               Stays up: for each line "INDEX MS" read from stdin, decodes
                               frame INDEX for about MS milliseconds and prints its rate, so
                               the caller can measure in turns without a start-up each time.

Dev only: posdiag itself never runs Python. Every frame must decode; one that does not is an
error (exit 1), so a spec mismatch is never timed as a fast failure.
"""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import iso8583  # noqa: E402
from pyiso8583_oracle import CUP  # noqa: E402


def rate(body, budget):
    iso8583.decode(body, CUP)
    n = 0
    started = time.perf_counter()
    while time.perf_counter() - started < budget:
        for _ in range(100):
            iso8583.decode(body, CUP)
        n += 100
    return n / (time.perf_counter() - started)


def main(argv):
    if len(argv) != 3:
        print(__doc__)
        return 2
    with open(argv[1], encoding="ascii") as f:
        frames = [bytes.fromhex(line.strip()) for line in f if line.strip()]
    for frame in frames:
        try:
            iso8583.decode(frame[2:], CUP)
        except iso8583.DecodeError as e:
            print("pyiso8583 cannot decode %s: %s" % (frame.hex().upper(), e), file=sys.stderr)
            return 1
    if argv[2] == "--serve":
        print("ready", flush=True)
        for line in sys.stdin:
            index, ms = line.split()
            print("%.0f" % rate(frames[int(index)][2:], int(ms) / 1000.0), flush=True)
        return 0
    budget = int(argv[2]) / 1000.0
    for frame in frames:
        print("%.0f" % rate(frame[2:], budget))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
