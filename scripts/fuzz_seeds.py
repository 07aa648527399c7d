#!/usr/bin/env python3
"""Rebuilds fuzz/seeds/TARGET/ from captures of the simulator and the test vectors in the repo.

Usage: python3 scripts/fuzz_seeds.py CAPTURE.jsonl...   (run from the repository root)

The captures come from `posdiag check --demo`, `posdiag txn pay --demo` and the like; their
frames are what the decoders meet on a live link (already redacted). Seeds are small files
named by content hash, so re-running adds nothing twice.
"""
import hashlib
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEEDS = os.path.join(ROOT, "fuzz", "seeds")


def put(target, data):
    d = os.path.join(SEEDS, target)
    os.makedirs(d, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def unstuff(frame):
    """APDU of a ZVT serial frame (DLE STX ... DLE ETX CRC CRC), or None."""
    if not frame.startswith(b"\x10\x02") or len(frame) < 6:
        return None
    body = frame[2:-4]
    out = bytearray()
    i = 0
    while i < len(body):
        out.append(body[i])
        if body[i] == 0x10 and i + 1 < len(body) and body[i + 1] == 0x10:
            i += 1
        i += 1
    return bytes(out)


HEX = re.compile(r'"((?:0x)?[0-9A-Fa-f]{2}(?:[ :,](?:0x)?[0-9A-Fa-f]{2})+)"')


def test_vectors(path):
    with open(path, encoding="utf-8") as f:
        for m in HEX.finditer(f.read()):
            digits = re.sub(r"0x|[ :,]", "", m.group(1))
            yield bytes.fromhex(digits)


def main(captures):
    terminal_stream = bytearray()
    for cap in captures:
        with open(cap, "rb") as f:
            text = f.read()
        lines = text.splitlines()
        # The capture reader: a short head of each capture and the whole header line.
        put("capture_reader", b"\n".join(lines[:12]) + b"\n")
        put("capture_reader", lines[0] + b"\n")
        for line in lines[1:]:
            r = json.loads(line)
            if r.get("type") != "frame":
                continue
            raw = bytes.fromhex(r["raw"])
            ch = r["channel"]
            if ch == "terminal":
                terminal_stream += raw
                put("zvt_deframer", b"\x05" + raw)
                apdu = unstuff(raw) or (raw if len(raw) >= 3 else None)
                if apdu:
                    for t in ("zvt_apdu", "zvt_explain", "zvt_redact"):
                        put(t, apdu)
            elif ch == "printer":
                put("escpos_stream", b"\x08" + raw)
                put("escpos_explain", b"\x00" + raw)
            elif ch == "host":
                # CUP as configured, and the body alone (selector 0x20: no length, TPDU or header).
                put("iso8583_decode", b"\x00\x00\x00\x00" + raw)
                put("iso8583_redact", b"\x00\x00\x00\x00" + raw)
                if len(raw) > 13:
                    put("iso8583_decode", b"\x20\x00\x00\x00" + raw[13:])
                    put("iso8583_redact", b"\x20\x00\x00\x00" + raw[13:])
    if terminal_stream:
        put("zvt_deframer", b"\x03" + bytes(terminal_stream[:2048]))
    for v in test_vectors(os.path.join(ROOT, "tests", "zvt_codec.rs")):
        if v.startswith(b"\x10\x02"):
            put("zvt_deframer", b"\x01" + v)
            v = unstuff(v) or v
        for t in ("zvt_apdu", "zvt_explain", "zvt_redact"):
            put(t, v)
    for v in test_vectors(os.path.join(ROOT, "tests", "escpos_codec.rs")):
        put("escpos_stream", b"\x09" + v)
        put("escpos_explain", b"\x00" + v)
    profiles = os.path.join(ROOT, "profiles")
    for name in sorted(os.listdir(profiles)):
        with open(os.path.join(profiles, name), "rb") as f:
            put("profile_loader", f.read())


if __name__ == "__main__":
    main(sys.argv[1:])
