#!/usr/bin/env python3
"""pyiso8583 as an independent oracle for posdiag's ISO 8583 codec (China UnionPay POS dialect).

Dev/CI only. Driven by tests/iso8583_oracle.rs:

  pyiso8583_oracle.py check FILE   decode every frame in FILE (posdiag encoded them) with
                                   pyiso8583 and compare with the fields posdiag says it wrote;
                                   also re-encode with pyiso8583 and compare the bytes
  pyiso8583_oracle.py encode FILE  write frames pyiso8583 encodes from its own documents
                                   (odd-length PANs, GBK merchant names, field 55) to FILE,
                                   for posdiag to decode

A message in FILE: {"name", "frame": hex with the 2-byte length prefix, "mti", "header": hex of
TPDU + CUP header, "fields": {"2": "...", ...}} with values as pyiso8583 writes them: digits for
BCD fields (track separator as "D"), text for ASCII/GBK, upper-case hex for binary.

The spec below is written from docs/protocols/iso8583-cup.md §3 and §12 (project-authored),
with posdiag's acquirer-configurable fields at their CUP defaults (63 as GBK text).
"""

import json
import sys

import iso8583

B = lambda n: {"data_enc": "b", "len_enc": "bcd", "len_type": 0, "max_len": n}
A = lambda n, enc="ascii": {"data_enc": enc, "len_enc": "bcd", "len_type": 0, "max_len": n}
NIB = lambda lt, n, pad: {
    "data_enc": "b",
    "len_enc": "bcd",
    "len_type": lt,
    "max_len": n,
    "len_count": "nibbles",
    pad: "0",
}
V = lambda enc, lt, n: {"data_enc": enc, "len_enc": "bcd", "len_type": lt, "max_len": n}

CUP = {
    "h": B(11),  # TPDU (5) + CUP header (6)
    "t": B(2),  # BCD MTI
    "p": B(8),  # binary primary bitmap
    "2": NIB(1, 19, "right_pad"),
    "3": B(3),
    "4": B(6),
    "11": B(3),
    "12": B(3),
    "13": B(2),
    "14": B(2),
    "15": B(2),
    "22": NIB(0, 3, "right_pad"),
    "23": NIB(0, 3, "left_pad"),
    "25": B(1),
    "26": B(1),
    "32": NIB(1, 11, "right_pad"),
    "35": NIB(1, 37, "right_pad"),
    "36": NIB(2, 104, "right_pad"),
    "37": A(12),
    "38": A(6),
    "39": A(2),
    "41": A(8),
    "42": A(15),
    "43": A(40, "gbk"),
    "44": V("ascii", 1, 25),
    "45": V("ascii", 1, 76),
    "46": V("ascii", 2, 999),
    "48": NIB(2, 322, "right_pad"),
    "49": A(3),
    "52": B(8),
    "53": B(8),
    "54": V("ascii", 2, 20),
    "55": V("b", 2, 255),
    "56": V("gbk", 2, 999),
    "59": V("ascii", 2, 600),
    "60": NIB(2, 17, "right_pad"),
    "61": NIB(2, 29, "right_pad"),
    "62": V("b", 2, 512),
    "63": V("gbk", 2, 163),
    "64": B(8),
}

# Fields whose value is hex or nibbles: compared case-insensitively.
HEXLIKE = {k for k, v in CUP.items() if v["data_enc"] == "b"}

HEADER = "6000030000603100310000"


def gbk40(text):
    """A fixed 40-byte GBK field, space padded."""
    return text.encode("gbk").ljust(40, b" ").decode("gbk")


def tlv(tag, value_hex):
    value = bytes.fromhex(value_hex)
    return tag + "%02X" % len(value) + value.hex().upper()


ICC = (
    tlv("9F26", "1122334455667788")
    + tlv("9F27", "80")
    + tlv("5A", "6212345678901234567F")
    + tlv("5F2A", "0156")
    + tlv("9F02", "000000012345")
)

# pyiso8583's own messages for every MTI the simulator uses.
SAMPLES = [
    ("0800 sign-on", {"t": "0800", "11": "000017", "41": "29001006", "42": "898310048990001",
                      "60": "00000001003", "63": "001"}),
    ("0810 sign-on", {"t": "0810", "11": "000017", "39": "00", "41": "29001006",
                      "42": "898310048990001", "60": "00000001003",
                      "62": "00112233445566778899AABBCCDDEEFF0102030400112233445566778899AABBCCDDEEFF05060708"}),
    ("0820 echo", {"t": "0820", "11": "000018", "41": "29001006", "42": "898310048990001",
                   "60": "00000001301", "64": "4142434445464748"}),
    ("0830 echo", {"t": "0830", "11": "000018", "39": "00", "41": "29001006",
                   "42": "898310048990001", "60": "00000001301", "64": "3132333435363738"}),
    ("0200 sale, 19-digit PAN, GBK name, ICC", {
        "t": "0200", "2": "6212345678901234567", "3": "000000", "4": "000000012345",
        "11": "000019", "14": "2912", "22": "051", "23": "001", "25": "00", "26": "12",
        "35": "6212345678901234567D29121011234", "41": "29001006", "42": "898310048990001",
        "43": gbk40("上海浦东测试商户"), "49": "156", "52": "0102030405060708",
        "53": "2600000000000000", "55": ICC, "60": "22000001000500", "64": "3031323334353637"}),
    ("0210 sale", {"t": "0210", "2": "62258801234567891", "3": "000000", "4": "000000012345",
                   "11": "000019", "12": "101530", "13": "0301", "15": "0301", "25": "00",
                   "32": "48430000", "37": "000000000042", "38": "123456", "39": "00",
                   "41": "29001006", "42": "898310048990001", "44": "0309       4843       ",
                   "49": "156", "60": "22000001000500", "64": "3031323334353637"}),
    ("0200 void", {"t": "0200", "2": "62258801234567891", "3": "200000", "4": "000000012345",
                   "11": "000020", "25": "00", "41": "29001006", "42": "898310048990001",
                   "49": "156", "60": "23000001000500", "61": "000001000019"}),
    ("0210 balance", {"t": "0210", "2": "622588012345678", "3": "310000", "11": "000021",
                      "39": "00", "41": "29001006", "42": "898310048990001",
                      "54": "1002156C000000123456", "60": "01000001"}),
    ("0400 reversal", {"t": "0400", "2": "6212345678901234567", "3": "000000",
                       "4": "000000012345", "11": "000019", "22": "051", "25": "00",
                       "39": "98", "41": "29001006", "42": "898310048990001", "49": "156",
                       "55": ICC, "60": "22000001"}),
    ("0410 reversal", {"t": "0410", "3": "000000", "4": "000000012345", "11": "000019",
                       "39": "00", "41": "29001006", "42": "898310048990001", "49": "156",
                       "60": "22000001"}),
    ("0500 settlement", {"t": "0500", "11": "000022", "41": "29001006", "42": "898310048990001",
                         "48": "000000012345001000000000000000" + "0" + "0" * 30 + "0",
                         "49": "156", "60": "00000001201"}),
    ("0510 settlement", {"t": "0510", "11": "000022", "39": "00", "41": "29001006",
                         "42": "898310048990001",
                         "48": "000000012345001000000000000000" + "1" + "0" * 30 + "1",
                         "60": "00000001201"}),
    ("0320 batch upload", {"t": "0320", "11": "000023", "41": "29001006",
                           "42": "898310048990001", "48": "0001", "60": "00000001207"}),
    ("0330 batch upload", {"t": "0330", "11": "000023", "39": "00", "41": "29001006",
                           "42": "898310048990001", "60": "00000001207"}),
]


def with_length(body):
    return len(body).to_bytes(2, "big") + body


def encode_samples(path):
    out = []
    for name, fields in SAMPLES:
        doc = dict(fields)
        doc["h"] = HEADER
        body, _ = iso8583.encode(doc, CUP)
        out.append({
            "name": name,
            "frame": with_length(bytes(body)).hex().upper(),
            "mti": fields["t"],
            "header": HEADER,
            "fields": {k: v for k, v in fields.items() if k != "t"},
        })
    with open(path, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)
    print("pyiso8583 encoded %d messages" % len(out))


def same(field, a, b):
    if field in HEXLIKE:
        return a.upper() == b.upper()
    return a == b


def check(path):
    with open(path, encoding="utf-8") as f:
        messages = json.load(f)
    problems = []
    for m in messages:
        name = m["name"]
        frame = bytes.fromhex(m["frame"])
        declared = int.from_bytes(frame[:2], "big")
        body = frame[2:]
        if declared != len(body):
            problems.append("%s: length prefix %d, body %d bytes" % (name, declared, len(body)))
            continue
        try:
            doc, _ = iso8583.decode(body, CUP)
        except iso8583.DecodeError as e:
            problems.append("%s: pyiso8583 cannot decode: %s" % (name, e))
            continue
        if doc["t"] != m["mti"]:
            problems.append("%s: MTI %s, posdiag wrote %s" % (name, doc["t"], m["mti"]))
        if doc["h"].upper() != m["header"].upper():
            problems.append("%s: header %s, posdiag wrote %s" % (name, doc["h"], m["header"]))
        expected = m["fields"]
        got = {k: v for k, v in doc.items() if k not in ("h", "t", "p")}
        for k in sorted(set(expected) | set(got), key=int):
            if k not in got:
                problems.append("%s: field %s missing in pyiso8583's decode" % (name, k))
            elif k not in expected:
                problems.append("%s: pyiso8583 found field %s posdiag did not write" % (name, k))
            elif not same(k, got[k], expected[k]):
                problems.append("%s: field %s: pyiso8583 %r, posdiag %r" % (name, k, got[k], expected[k]))
        try:
            again, _ = iso8583.encode(dict(doc), CUP)
            if bytes(again) != body:
                problems.append("%s: pyiso8583 re-encodes to different bytes:\n  %s\n  %s"
                                % (name, bytes(again).hex().upper(), body.hex().upper()))
        except iso8583.EncodeError as e:
            problems.append("%s: pyiso8583 cannot re-encode: %s" % (name, e))
    for p in problems:
        print("MISMATCH " + p)
    print("pyiso8583 checked %d messages, %d mismatches" % (len(messages), len(problems)))
    return 1 if problems else 0


def main(argv):
    if len(argv) != 3 or argv[1] not in ("check", "encode"):
        print(__doc__)
        return 2
    if argv[1] == "encode":
        encode_samples(argv[2])
        return 0
    return check(argv[2])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
