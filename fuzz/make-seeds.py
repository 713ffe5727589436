#!/usr/bin/env python3
"""Write the hand-made seed inputs of fuzz/corpus/ (run from anywhere).

    fuzz/make-seeds.py            # malformed BER, display hints, small MIBs
    fuzz/make-seeds.py --capture  # also real snmpd responses (needs snmpd,
                                  # snmpget; writes corpus/ber/snmpd-*)

Every file is written here from text in this script (or, with --capture,
from what a local snmpd answers); nothing is copied from elsewhere.  The
malformed BER messages are modelled on the kinds of input behind published
crash reports of SNMP decoders (oversized and negative lengths, lengths
running past their container, long-form length abuse, indefinite lengths,
OID sub-identifier overflow, empty and oversized INTEGERs, Opaque-wrapped
floats with wrong inner lengths, GetBulk with negative repetitions, many
varbinds).  The files are committed: the replay test needs no Python.
"""
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")


def tlv(tag, body):
    """One definite, minimal-length TLV."""
    n = len(body)
    if n < 0x80:
        head = bytes([n])
    elif n < 0x100:
        head = bytes([0x81, n])
    else:
        head = bytes([0x82, n >> 8, n & 0xFF])
    return bytes([tag]) + head + body


def integer(v, tag=0x02):
    n = 1
    while not -(1 << (8 * n - 1)) <= v < (1 << (8 * n - 1)):
        n += 1
    return tlv(tag, (v & ((1 << (8 * n)) - 1)).to_bytes(n, "big"))


def unsigned(tag, v):
    body = v.to_bytes(max(1, (v.bit_length() + 7) // 8), "big")
    if body[0] & 0x80:
        body = b"\0" + body
    return tlv(tag, body)


def oid_body(text):
    arcs = [int(a) for a in text.strip(".").split(".")]
    out = bytearray()
    subs = [arcs[0] * 40 + arcs[1]] + arcs[2:]
    for s in subs:
        chunk = [s & 0x7F]
        s >>= 7
        while s:
            chunk.append(0x80 | (s & 0x7F))
            s >>= 7
        out += bytes(reversed(chunk))
    return bytes(out)


def oid(text):
    return tlv(0x06, oid_body(text))


def varbind(name, value):
    return tlv(0x30, (oid(name) if isinstance(name, str) else name) + value)


def message(varbinds, version=1, community=b"public", pdu=0xA2, reqid=1,
            status=0, index=0):
    body = integer(reqid) + integer(status) + integer(index) + tlv(0x30, b"".join(varbinds))
    return tlv(0x30, integer(version) + tlv(0x04, community) + tlv(pdu, body))


def raw_message(vblist_body, version=b"\x02\x01\x01", pdu_tag=0xA2,
                head=b"\x02\x01\x01\x02\x01\x00\x02\x01\x00"):
    """A message around an already encoded varbind list body."""
    return tlv(0x30, version + tlv(0x04, b"public") + tlv(pdu_tag, head + tlv(0x30, vblist_body)))


SYSDESCR = "1.3.6.1.2.1.1.1.0"
IFDESCR = "1.3.6.1.2.1.2.2.1.2.1"


def ber_seeds():
    s = {}
    # well-formed: one of each value type, with descriptors that have hints
    s["ok-string"] = message([varbind(SYSDESCR, tlv(0x04, b"Linux fuzz 6.1"))])
    s["ok-integer"] = message([varbind("1.3.6.1.2.1.2.2.1.8.1", integer(1))])
    s["ok-physaddress"] = message([varbind("1.3.6.1.2.1.2.2.1.6.2", tlv(0x04, bytes.fromhex("001a2b3c4d5e")))])
    s["ok-dateandtime"] = message([varbind("1.3.6.1.2.1.25.1.2.0", tlv(0x04, bytes.fromhex("07ea0b18030405002b0000")))])
    s["ok-counters"] = message([
        varbind("1.3.6.1.2.1.2.2.1.10.1", unsigned(0x41, 0xFFFFFFFF)),
        varbind("1.3.6.1.2.1.2.2.1.5.1", unsigned(0x42, 1000000000)),
        varbind("1.3.6.1.2.1.1.3.0", unsigned(0x43, 123456789)),
        varbind("1.3.6.1.2.1.31.1.1.1.6.1", unsigned(0x46, (1 << 64) - 1)),
    ])
    s["ok-oid-ip"] = message([
        varbind("1.3.6.1.2.1.1.2.0", oid("1.3.6.1.4.1.8072.3.2.10")),
        varbind("1.3.6.1.2.1.4.20.1.1.127.0.0.1", tlv(0x40, bytes([127, 0, 0, 1]))),
    ])
    s["ok-exceptions"] = message([
        varbind(SYSDESCR, tlv(0x80, b"")), varbind(IFDESCR, tlv(0x81, b"")),
        varbind("1.3.6.1.2.1.99", tlv(0x82, b"")), varbind("1.3.6.1.2.1.1.5.0", tlv(0x05, b"")),
    ])
    s["ok-opaque-float"] = message([varbind("1.3.6.1.4.1.2021.10.1.6.1", tlv(0x44, bytes.fromhex("9f780440490fdb")))])
    s["ok-opaque-double"] = message([varbind("1.3.6.1.4.1.2021.10.1.6.2", tlv(0x44, bytes.fromhex("9f790840091eb851eb851f")))])
    s["ok-opaque-int64"] = message([varbind("1.3.6.1.4.1.2021.10.1.6.3", tlv(0x44, bytes.fromhex("9f7a08ffffffffffffff85")))])
    s["ok-ipnettomedia-index"] = message([varbind("1.3.6.1.2.1.4.35.1.4.2.1.4.192.0.2.1", tlv(0x04, bytes.fromhex("001a2b3c4d5e")))])
    s["ok-v1"] = message([varbind(SYSDESCR, tlv(0x04, b"v1"))], version=0)
    s["ok-getbulk"] = message([varbind("1.3.6.1.2.1.2.2", tlv(0x05, b""))], pdu=0xA5, status=0, index=10)
    s["ok-report"] = message([varbind("1.3.6.1.6.3.15.1.1.4.0", unsigned(0x41, 7))], pdu=0xA8)
    s["ok-upsmib"] = message([varbind("1.3.6.1.2.1.33.1.2.1.0", integer(2)), varbind("1.3.6.1.2.1.33.1.4.4.1.2.1", unsigned(0x42, 230))])
    # lengths
    s["len-huge-outer"] = bytes.fromhex("30 84 7f ff ff ff 02 01 01")
    s["len-negative-outer"] = bytes.fromhex("30 84 ff ff ff ff 02 01 01 04 06") + b"public"
    s["len-negative-inner"] = raw_message(b"", version=bytes.fromhex("02 84 ff ff ff fe 01"))
    s["len-five-octets"] = bytes.fromhex("30 85 00 00 00 00 10") + bytes(16)
    s["len-of-len-127"] = bytes.fromhex("30 ff") + bytes(8)
    s["len-long-form-zero"] = bytes.fromhex("30 80")
    s["len-indefinite"] = bytes.fromhex("30 80 02 01 01 04 06") + b"public" + bytes.fromhex("a2 80 02 01 01 02 01 00 02 01 00 30 80 00 00 00 00 00 00")
    s["len-nonminimal"] = bytes.fromhex("30 82 00 27 02 81 01 01 04 84 00 00 00 06") + b"public" + bytes.fromhex("a2 81 17 02 01 01 02 01 00 02 01 00 30 0c 30 0a 06 06 2b 06 01 02 01 01 05 00")
    body = varbind(SYSDESCR, tlv(0x04, b"x"))
    s["len-varbind-past-list"] = raw_message(body[:1] + bytes([body[1] + 8]) + body[2:])
    s["len-value-past-varbind"] = raw_message(bytes.fromhex("30 0c 06 08 2b 06 01 02 01 01 01 00 04 40 41"))
    s["len-oid-past-varbind"] = raw_message(bytes.fromhex("30 05 06 7f 2b 06 01"))
    s["len-community-past-end"] = bytes.fromhex("30 0a 02 01 01 04 ff 70 75 62 6c 69")
    m = bytearray(s["ok-string"])
    m[1] -= 3
    s["len-outer-short"] = bytes(m)
    s["len-truncated"] = s["ok-counters"][:-5]
    s["len-trailing"] = s["ok-string"] + b"\x00\x00"
    s["len-pdu-shorter-than-contents"] = tlv(0x30, integer(1) + tlv(0x04, b"public") + bytes.fromhex("a2 03 02 01 01 02 01 00 02 01 00 30 00"))
    # integers
    s["int-empty-version"] = raw_message(b"", version=b"\x02\x00")
    s["int-empty-reqid"] = raw_message(b"", head=b"\x02\x00\x02\x01\x00\x02\x01\x00")
    s["int-empty-value"] = raw_message(varbind(SYSDESCR, b"\x02\x00"))
    s["int-9-octets"] = raw_message(varbind(SYSDESCR, bytes.fromhex("02 09 00 ff ff ff ff ff ff ff ff")))
    s["int-5-octets-reqid"] = raw_message(b"", head=bytes.fromhex("02 05 00 80 00 00 00 02 01 00 02 01 00"))
    s["counter32-5-octets-nonzero"] = raw_message(varbind(SYSDESCR, bytes.fromhex("41 05 01 00 00 00 00")))
    s["counter64-10-octets"] = raw_message(varbind(SYSDESCR, bytes.fromhex("46 0a 00 00 ff ff ff ff ff ff ff ff")))
    s["counter64-empty"] = raw_message(varbind(SYSDESCR, b"\x46\x00"))
    s["timeticks-negative"] = raw_message(varbind("1.3.6.1.2.1.1.3.0", bytes.fromhex("43 04 ff ff ff ff")))
    s["getbulk-negative-repetitions"] = message([varbind("1.3.6.1.2.1.2.2", tlv(0x05, b""))], pdu=0xA5, status=-1, index=-2147483648)
    s["error-index-huge"] = message([varbind(SYSDESCR, tlv(0x05, b""))], status=2, index=2147483647)
    s["error-status-negative"] = message([varbind(SYSDESCR, tlv(0x05, b""))], status=-5, index=-1)
    # OIDs
    s["oid-subid-overflow"] = raw_message(varbind(tlv(0x06, bytes.fromhex("2b 06 01 ff ff ff ff ff ff ff ff ff 7f")), b"\x05\x00"))
    s["oid-subid-2pow32"] = raw_message(varbind(tlv(0x06, bytes.fromhex("2b 06 01 90 80 80 80 00")), b"\x05\x00"))
    s["oid-subid-max"] = raw_message(varbind(tlv(0x06, bytes.fromhex("2b 06 01 8f ff ff ff 7f")), b"\x05\x00"))
    s["oid-first-arc-huge"] = raw_message(varbind(tlv(0x06, bytes.fromhex("90 80 80 80 4f 01")), b"\x05\x00"))
    s["oid-padding"] = raw_message(varbind(tlv(0x06, bytes.fromhex("2b 06 80 01")), b"\x05\x00"))
    s["oid-unterminated"] = raw_message(varbind(tlv(0x06, bytes.fromhex("2b 06 01 81")), b"\x05\x00"))
    s["oid-empty-name"] = raw_message(bytes.fromhex("30 04 06 00 05 00"))
    s["oid-empty-value"] = raw_message(varbind(SYSDESCR, b"\x06\x00"))
    s["oid-129-subids"] = raw_message(varbind(tlv(0x06, b"\x2b" + b"\x01" * 128), b"\x05\x00"))
    s["oid-128-subids"] = raw_message(varbind(tlv(0x06, b"\x2b" + b"\x01" * 126), b"\x05\x00"))
    s["oid-value-overflow"] = raw_message(varbind(SYSDESCR, tlv(0x06, bytes.fromhex("2b 06 ff ff ff ff ff 7f"))))
    s["oid-value-long"] = raw_message(varbind("1.3.6.1.2.1.1.2.0", tlv(0x06, b"\x2b" + b"\x8f\xff\xff\xff\x7f" * 126)))
    # Opaque
    s["opaque-float-len-8"] = raw_message(varbind(SYSDESCR, bytes.fromhex("44 07 9f 78 08 40 49 0f db")))
    s["opaque-float-short"] = raw_message(varbind(SYSDESCR, bytes.fromhex("44 03 9f 78 04")))
    s["opaque-double-len-4"] = raw_message(varbind(SYSDESCR, bytes.fromhex("44 07 9f 79 04 40 49 0f db")))
    s["opaque-inner-long-form"] = raw_message(varbind(SYSDESCR, bytes.fromhex("44 08 9f 78 81 04 40 49 0f db")))
    s["opaque-inner-past-end"] = raw_message(varbind(SYSDESCR, bytes.fromhex("44 04 9f 78 7f 40")))
    s["opaque-counter64-empty"] = raw_message(varbind(SYSDESCR, bytes.fromhex("44 03 9f 76 00")))
    s["opaque-uint64-10"] = raw_message(varbind(SYSDESCR, bytes.fromhex("44 0d 9f 7b 0a 00 00 ff ff ff ff ff ff ff ff")))
    s["opaque-int64-9"] = raw_message(varbind(SYSDESCR, bytes.fromhex("44 0c 9f 7a 09 80 00 00 00 00 00 00 00 00")))
    s["opaque-nested-opaque"] = raw_message(varbind(SYSDESCR, bytes.fromhex("44 09 44 07 9f 78 04 40 49 0f db")))
    s["opaque-nan-float"] = raw_message(varbind(SYSDESCR, bytes.fromhex("44 07 9f 78 04 7f c0 00 01")))
    s["opaque-inf-double"] = raw_message(varbind(SYSDESCR, bytes.fromhex("44 0b 9f 79 08 7f f0 00 00 00 00 00 00")))
    s["opaque-max-double"] = raw_message(varbind(SYSDESCR, bytes.fromhex("44 0b 9f 79 08 7f ef ff ff ff ff ff ff")))
    # other values and structure
    s["ipaddress-5"] = raw_message(varbind("1.3.6.1.2.1.4.20.1.1.1.2.3.4", bytes.fromhex("40 05 01 02 03 04 05")))
    s["ipaddress-0"] = raw_message(varbind("1.3.6.1.2.1.4.20.1.1.1.2.3.4", b"\x40\x00"))
    s["null-with-contents"] = raw_message(varbind(SYSDESCR, b"\x05\x01\x00"))
    s["exception-with-contents"] = raw_message(varbind(SYSDESCR, b"\x81\x02\x00\x00"))
    s["value-tag-high-form"] = raw_message(varbind(SYSDESCR, bytes.fromhex("1f 81 00 01 00")))
    s["value-tag-constructed"] = raw_message(varbind(SYSDESCR, bytes.fromhex("24 03 04 01 41")))
    s["value-unknown-app"] = raw_message(varbind(SYSDESCR, bytes.fromhex("48 01 00")))
    s["varbind-extra"] = raw_message(bytes.fromhex("30 0f 06 08 2b 06 01 02 01 01 01 00 05 00 05 00 00")[:-1])
    s["varbind-not-sequence"] = raw_message(bytes.fromhex("31 0c 06 08 2b 06 01 02 01 01 01 00 05 00"))
    s["pdu-trap-v1"] = tlv(0x30, integer(0) + tlv(0x04, b"public") + tlv(0xA4, oid("1.3.6.1.4.1.8072") + tlv(0x40, bytes(4)) + integer(6) + integer(1) + unsigned(0x43, 5) + tlv(0x30, b"")))
    s["pdu-unknown"] = raw_message(b"", pdu_tag=0xAF)
    s["version-3"] = tlv(0x30, integer(3) + tlv(0x30, integer(1) + integer(65507) + tlv(0x04, b"\x04") + integer(3)) + tlv(0x04, b"") + tlv(0x30, b""))
    s["version-huge"] = raw_message(b"", version=bytes.fromhex("02 04 7f ff ff ff"))
    s["community-empty"] = tlv(0x30, integer(1) + tlv(0x04, b"") + tlv(0xA2, integer(1) + integer(0) + integer(0) + tlv(0x30, b"")))
    s["community-binary"] = message([varbind(SYSDESCR, tlv(0x04, bytes(range(256))))], community=bytes(range(256)))
    s["varbinds-1024"] = message([varbind("1.3.6.1.2.1.1.%d.0" % (i % 9 + 1), tlv(0x05, b"")) for i in range(1024)])
    s["varbinds-1025"] = message([varbind("1.3.6.1.2.1.1.%d.0" % (i % 9 + 1), tlv(0x05, b"")) for i in range(1025)])
    s["string-65535"] = message([varbind(SYSDESCR, tlv(0x04, b"A" * 65000))])
    s["empty"] = b""
    s["one-byte"] = b"\x30"
    s["two-bytes"] = b"\x30\x00"
    return s


def fmt(tag, shape, recipe, hint, value):
    """A format-target input: see fuzz-format.c for the layout."""
    return bytes([tag, shape, recipe]) + hint + b"\0" + value


# indexes into fuzz-format.c's tags[]
T_INT, T_STR, T_OID, T_IP, T_C32, T_G32, T_TT, T_OPQ, T_NSAP, T_C64 = range(10)
# shapes: the low 3 bits index types[]: 0 Integer32, 1 Unsigned32,
# 3 OCTET STRING, 5 enum, 6 BITS
S_I32, S_U32, S_STR, S_ENUM, S_BITS = 0, 1, 3, 5 | 8, 6 | 8


def format_seeds():
    s = {}
    mac = bytes.fromhex("001a2b3c4d5e")
    date = bytes.fromhex("07ea0b18030405002b0000")
    s["physaddress"] = fmt(T_STR, S_STR, 0, b"1x:", mac)
    s["dateandtime"] = fmt(T_STR, S_STR, 0, b"2d-1d-1d,1d:1d:1d.1d,1a1d:1d", date)
    s["displaystring"] = fmt(T_STR, S_STR | 0x10, 0, b"255a", b"eth0 \"uplink\"\\\n")
    s["utf8"] = fmt(T_STR, S_STR, 0, b"255t", "Zürich ✓".encode())
    s["ipv4-hint"] = fmt(T_STR, S_STR, 0, b"1d.1d.1d.1d", bytes([192, 0, 2, 1]))
    s["ipv6-hint"] = fmt(T_STR, S_STR, 0, b"2x:2x:2x:2x:2x:2x:2x:2x", bytes(range(16)))
    s["star-repeat"] = fmt(T_STR, S_STR, 0, b"*1x:", bytes([3, 1, 2, 3, 4, 5]))
    s["star-zero"] = fmt(T_STR, S_STR, 0, b"*1d.", bytes([0, 0, 0]))
    s["star-255"] = fmt(T_STR, S_STR, 0, b"*4d/", bytes([255]) + bytes(range(40)))
    s["wide-field"] = fmt(T_STR, S_STR, 0, b"16777216x", bytes(range(20)))
    s["octal-terminator"] = fmt(T_STR, S_STR, 0, b"1o-1d,", bytes(range(10)))
    s["bad-letter"] = fmt(T_STR, S_STR, 0, b"1z", b"abc")
    s["hint-empty-value"] = fmt(T_STR, S_STR, 0, b"1x:", b"")
    s["hint-digits-only"] = fmt(T_STR, S_STR, 0, b"255", b"abc")
    s["integer-d2"] = fmt(T_INT, S_I32 | 0x10, 0, b"d-2", (-12345).to_bytes(8, "big", signed=True))
    s["integer-d200"] = fmt(T_INT, S_I32, 0, b"d-200", (-(1 << 63)).to_bytes(8, "big", signed=True))
    s["integer-d999999"] = fmt(T_INT, S_I32, 0, b"d-99999999999", (123).to_bytes(8, "big"))
    s["integer-x"] = fmt(T_INT, S_I32, 0, b"x", (-1).to_bytes(8, "big", signed=True))
    s["integer-o"] = fmt(T_INT, S_I32, 0, b"o", (8).to_bytes(8, "big"))
    s["integer-b"] = fmt(T_INT, S_I32, 0, b"b", (5).to_bytes(8, "big"))
    s["integer-bad"] = fmt(T_INT, S_I32, 0, b"q", (5).to_bytes(8, "big"))
    s["gauge-d1"] = fmt(T_G32, S_U32 | 0x10, 0, b"d-1", (4294967295).to_bytes(8, "big"))
    s["enum"] = fmt(T_INT, S_ENUM, 0, b"", (2).to_bytes(8, "big"))
    s["enum-numeric"] = fmt(T_INT, S_ENUM | 0x80, 0, b"", (2).to_bytes(8, "big"))
    s["bits"] = fmt(T_STR, S_BITS, 0, b"", bytes([0xFF, 0x01, 0x80, 0, 0, 0, 0, 0x01]))
    s["timeticks"] = fmt(T_TT, S_U32, 0, b"", (4294967295).to_bytes(8, "big"))
    s["counter64"] = fmt(T_C64, S_U32, 0, b"", bytes([0xFF] * 8))
    s["opaque-float"] = fmt(T_OPQ, S_STR, 0, b"", bytes.fromhex("9f780440490fdb"))
    s["opaque-double-max"] = fmt(T_OPQ, S_STR, 0, b"", bytes.fromhex("9f79087fefffffffffffff"))
    s["opaque-int64"] = fmt(T_OPQ, S_STR, 0, b"", bytes.fromhex("9f7a0180"))
    s["opaque-raw"] = fmt(T_OPQ, S_STR, 0, b"", bytes(range(40)))
    s["nsap"] = fmt(T_NSAP, S_STR, 0, b"", bytes(range(20)))
    s["ipaddress-short"] = fmt(T_IP, S_STR, 0, b"", bytes([10, 0]))
    s["oid-value"] = fmt(T_OID, S_STR, 0, b"", bytes([0x2B, 6, 1, 4, 1, 0x8F, 0xFF, 0xFF, 0xFF, 0x7F]))
    s["wrong-type"] = fmt(T_STR, S_I32, 0, b"d-2", b"text")
    s["no-object"] = fmt(T_STR, S_STR | 0x20, 0, b"1x:", mac)
    # indexes: recipe bits 6-7 = elements, bits 0-3 the first kind, the
    # byte rotated right by 2 for each next one (fuzz-format.c elems[])
    s["index-integer"] = fmt(T_INT, S_I32, 0x40 | 0, b"", bytes([5]))
    s["index-string"] = fmt(T_STR, S_STR, 0x40 | 3, b"255a", bytes([4]) + b"eth0")
    s["index-string-too-long"] = fmt(T_STR, S_STR, 0x40 | 3, b"", bytes([0x8F, 0xFF, 0xFF, 0xFF, 0x7F, 1, 2]))
    s["index-implied"] = fmt(T_STR, S_STR, 0x40 | 5, b"", b"name")
    s["index-fixed"] = fmt(T_STR, S_STR, 0x40 | 4, b"", b"abcdefgh")
    s["index-ipaddress"] = fmt(T_STR, S_STR, 0x40 | 2, b"", bytes([10, 0, 0, 1]))
    s["index-oid"] = fmt(T_STR, S_STR, 0x40 | 6, b"", bytes([3, 1, 3, 6]))
    s["index-inet"] = fmt(T_STR, S_STR, 0x80 | (9 << 2 & 0x3C) | 8, b"", bytes([1, 4, 192, 0, 2, 1]))
    s["index-inet6z"] = fmt(T_STR, S_STR, 0x80 | (9 << 2 & 0x3C) | 8, b"", bytes([4, 20]) + bytes(range(20)))
    s["index-three"] = fmt(T_STR, S_STR, 0xC0 | 0x1B, b"", bytes([2, 3, 65, 66, 67, 1, 2, 3, 4]))
    return s


MIBS = {
    "FUZZ-SEED-TABLE-MIB": """FUZZ-SEED-TABLE-MIB DEFINITIONS ::= BEGIN
IMPORTS
    MODULE-IDENTITY, OBJECT-TYPE, Integer32, Unsigned32, Counter64,
    IpAddress, enterprises, NOTIFICATION-TYPE     FROM SNMPv2-SMI
    TEXTUAL-CONVENTION, DisplayString, RowStatus  FROM SNMPv2-TC
    MODULE-COMPLIANCE, OBJECT-GROUP               FROM SNMPv2-CONF;

fuzzSeedTableMib MODULE-IDENTITY
    LAST-UPDATED "202611240000Z"
    ORGANIZATION "mibc"
    CONTACT-INFO "mibc fuzzing"
    DESCRIPTION  "A seed for the MIB fuzz target: a table with string,
                  IpAddress and implied indexes, a TC with a hint."
    REVISION     "202611240000Z"
    DESCRIPTION  "First."
    ::= { enterprises 99999 9 }

FuzzLevel ::= TEXTUAL-CONVENTION
    DISPLAY-HINT "d-2"
    STATUS       current
    DESCRIPTION  "Hundredths."
    SYNTAX       Integer32 (-100000..100000)

FuzzState ::= TEXTUAL-CONVENTION
    STATUS       current
    DESCRIPTION  "States."
    SYNTAX       INTEGER { idle(1), busy(2), broken(3) }

fuzzObjects OBJECT IDENTIFIER ::= { fuzzSeedTableMib 1 }

fuzzTable OBJECT-TYPE
    SYNTAX      SEQUENCE OF FuzzEntry
    MAX-ACCESS  not-accessible
    STATUS      current
    DESCRIPTION "Rows."
    ::= { fuzzObjects 1 }

fuzzEntry OBJECT-TYPE
    SYNTAX      FuzzEntry
    MAX-ACCESS  not-accessible
    STATUS      current
    DESCRIPTION "A row."
    INDEX       { fuzzAddress, IMPLIED fuzzName }
    ::= { fuzzTable 1 }

FuzzEntry ::= SEQUENCE {
    fuzzAddress  IpAddress,
    fuzzName     DisplayString,
    fuzzLevel    FuzzLevel,
    fuzzState    FuzzState,
    fuzzOctets   Counter64,
    fuzzFlags    BITS,
    fuzzStatus   RowStatus
}

fuzzAddress OBJECT-TYPE
    SYNTAX      IpAddress
    MAX-ACCESS  not-accessible
    STATUS      current
    DESCRIPTION "Index."
    ::= { fuzzEntry 1 }

fuzzName OBJECT-TYPE
    SYNTAX      DisplayString (SIZE (1..32))
    MAX-ACCESS  not-accessible
    STATUS      current
    DESCRIPTION "Index."
    ::= { fuzzEntry 2 }

fuzzLevel OBJECT-TYPE
    SYNTAX      FuzzLevel
    UNITS       "percent"
    MAX-ACCESS  read-create
    STATUS      current
    DESCRIPTION "Level."
    DEFVAL      { 100 }
    ::= { fuzzEntry 3 }

fuzzState OBJECT-TYPE
    SYNTAX      FuzzState
    MAX-ACCESS  read-only
    STATUS      current
    DESCRIPTION "State."
    ::= { fuzzEntry 4 }

fuzzOctets OBJECT-TYPE
    SYNTAX      Counter64
    MAX-ACCESS  read-only
    STATUS      current
    DESCRIPTION "Octets."
    ::= { fuzzEntry 5 }

fuzzFlags OBJECT-TYPE
    SYNTAX      BITS { first(0), second(1), last(15) }
    MAX-ACCESS  read-create
    STATUS      current
    DESCRIPTION "Flags."
    DEFVAL      { { first, last } }
    ::= { fuzzEntry 6 }

fuzzStatus OBJECT-TYPE
    SYNTAX      RowStatus
    MAX-ACCESS  read-create
    STATUS      current
    DESCRIPTION "Row status."
    ::= { fuzzEntry 7 }

fuzzCount OBJECT-TYPE
    SYNTAX      Unsigned32 (0..10 | 20..30)
    MAX-ACCESS  read-only
    STATUS      current
    DESCRIPTION "A scalar."
    ::= { fuzzObjects 2 }

fuzzEvent NOTIFICATION-TYPE
    OBJECTS     { fuzzState, fuzzLevel }
    STATUS      current
    DESCRIPTION "Something happened."
    ::= { fuzzSeedTableMib 0 1 }

fuzzGroup OBJECT-GROUP
    OBJECTS     { fuzzLevel, fuzzState, fuzzOctets, fuzzFlags, fuzzStatus, fuzzCount }
    STATUS      current
    DESCRIPTION "All objects."
    ::= { fuzzSeedTableMib 2 1 }

fuzzCompliance MODULE-COMPLIANCE
    STATUS      current
    DESCRIPTION "Everything."
    MODULE
        MANDATORY-GROUPS { fuzzGroup }
    ::= { fuzzSeedTableMib 2 2 }

END
""",
    "FUZZ-SEED-V1-MIB": """FUZZ-SEED-V1-MIB DEFINITIONS ::= BEGIN
IMPORTS
    enterprises, Counter, Gauge, IpAddress FROM RFC1155-SMI
    OBJECT-TYPE                            FROM RFC-1212
    TRAP-TYPE                              FROM RFC-1215
    DisplayString                          FROM RFC1213-MIB;

fuzzV1 OBJECT IDENTIFIER ::= { enterprises 99999 10 }

fuzzV1Table OBJECT-TYPE
    SYNTAX  SEQUENCE OF FuzzV1Entry
    ACCESS  not-accessible
    STATUS  mandatory
    ::= { fuzzV1 1 }

fuzzV1Entry OBJECT-TYPE
    SYNTAX  FuzzV1Entry
    ACCESS  not-accessible
    STATUS  mandatory
    INDEX   { fuzzV1Index, fuzzV1Peer }
    ::= { fuzzV1Table 1 }

FuzzV1Entry ::= SEQUENCE { fuzzV1Index INTEGER, fuzzV1Peer IpAddress,
    fuzzV1Name DisplayString, fuzzV1In Counter }

fuzzV1Index OBJECT-TYPE
    SYNTAX  INTEGER (0..65535)
    ACCESS  read-only
    STATUS  mandatory
    ::= { fuzzV1Entry 1 }

fuzzV1Peer OBJECT-TYPE
    SYNTAX  IpAddress
    ACCESS  read-only
    STATUS  mandatory
    ::= { fuzzV1Entry 2 }

fuzzV1Name OBJECT-TYPE
    SYNTAX  DisplayString (SIZE (0..16))
    ACCESS  read-write
    STATUS  mandatory
    ::= { fuzzV1Entry 3 }

fuzzV1In OBJECT-TYPE
    SYNTAX  Counter
    ACCESS  read-only
    STATUS  mandatory
    ::= { fuzzV1Entry 4 }

fuzzV1Load OBJECT-TYPE
    SYNTAX  Gauge
    ACCESS  read-only
    STATUS  optional
    ::= { fuzzV1 2 }

fuzzV1Trap TRAP-TYPE
    ENTERPRISE fuzzV1
    VARIABLES  { fuzzV1Name, fuzzV1In }
    ::= 7

END
""",
    "FUZZ-SEED-AUGMENTS-MIB": """FUZZ-SEED-AUGMENTS-MIB DEFINITIONS ::= BEGIN
IMPORTS
    MODULE-IDENTITY, OBJECT-TYPE, Gauge32, mib-2 FROM SNMPv2-SMI
    ifIndex, ifEntry                         FROM IF-MIB
    InetAddressType, InetAddress             FROM INET-ADDRESS-MIB;

fuzzAugments MODULE-IDENTITY
    LAST-UPDATED "202611240000Z"
    ORGANIZATION "mibc"
    CONTACT-INFO "mibc fuzzing"
    DESCRIPTION  "AUGMENTS and an InetAddress index."
    ::= { mib-2 9999 }

fuzzIfTable OBJECT-TYPE
    SYNTAX      SEQUENCE OF FuzzIfEntry
    MAX-ACCESS  not-accessible
    STATUS      current
    DESCRIPTION "Per interface."
    ::= { fuzzAugments 1 }

fuzzIfEntry OBJECT-TYPE
    SYNTAX      FuzzIfEntry
    MAX-ACCESS  not-accessible
    STATUS      current
    DESCRIPTION "Augments ifEntry."
    AUGMENTS    { ifEntry }
    ::= { fuzzIfTable 1 }

FuzzIfEntry ::= SEQUENCE { fuzzIfLoad Gauge32 }

fuzzIfLoad OBJECT-TYPE
    SYNTAX      Gauge32
    MAX-ACCESS  read-only
    STATUS      current
    DESCRIPTION "Load."
    ::= { fuzzIfEntry 1 }

fuzzPeerTable OBJECT-TYPE
    SYNTAX      SEQUENCE OF FuzzPeerEntry
    MAX-ACCESS  not-accessible
    STATUS      current
    DESCRIPTION "Peers."
    ::= { fuzzAugments 2 }

fuzzPeerEntry OBJECT-TYPE
    SYNTAX      FuzzPeerEntry
    MAX-ACCESS  not-accessible
    STATUS      current
    DESCRIPTION "A peer."
    INDEX       { ifIndex, fuzzPeerType, fuzzPeerAddress }
    ::= { fuzzPeerTable 1 }

FuzzPeerEntry ::= SEQUENCE { fuzzPeerType InetAddressType,
    fuzzPeerAddress InetAddress, fuzzPeerRtt Gauge32 }

fuzzPeerType OBJECT-TYPE
    SYNTAX      InetAddressType
    MAX-ACCESS  not-accessible
    STATUS      current
    DESCRIPTION "Type."
    ::= { fuzzPeerEntry 1 }

fuzzPeerAddress OBJECT-TYPE
    SYNTAX      InetAddress (SIZE (4|16))
    MAX-ACCESS  not-accessible
    STATUS      current
    DESCRIPTION "Address."
    ::= { fuzzPeerEntry 2 }

fuzzPeerRtt OBJECT-TYPE
    SYNTAX      Gauge32
    UNITS       "milliseconds"
    MAX-ACCESS  read-only
    STATUS      current
    DESCRIPTION "Round trip."
    ::= { fuzzPeerEntry 3 }

END
""",
}


def write_dir(name, files):
    d = os.path.join(CORPUS, name)
    os.makedirs(d, exist_ok=True)
    for fname, data in files.items():
        with open(os.path.join(d, fname), "wb") as f:
            f.write(data if isinstance(data, bytes) else data.encode())
    print("%s: %d files" % (d, len(files)))


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def capture():
    """Real responses: snmpget/snmpbulkget -d against a local snmpd print
    every datagram in hex; keep the received ones."""
    snmpd = shutil.which("snmpd") or "/usr/sbin/snmpd"
    tmp = tempfile.mkdtemp(prefix="mibc-seeds-")
    port = free_port()
    conf = os.path.join(tmp, "snmpd.conf")
    with open(conf, "w") as f:
        f.write("rocommunity public 127.0.0.1\ndontLogTCPWrappersConnects yes\n"
                "override 1.3.6.1.4.1.2021.10.1.6.1 opaque 0x9f780440490fdb\n"
                "override 1.3.6.1.4.1.99999.1.0 counter64 18446744073709551615\n"
                "override 1.3.6.1.4.1.99999.2.0 ipaddress 192.0.2.1\n"
                "override 1.3.6.1.4.1.99999.3.0 octet_str \"\\x00\\xff binary\"\n")
    agent = subprocess.Popen([snmpd, "-f", "-Lf", os.path.join(tmp, "log"), "-C", "-c", conf,
                              "-p", os.path.join(tmp, "pid"), "udp:127.0.0.1:%d" % port])
    env = dict(os.environ, MIBS="", MIBDIRS=tmp, SNMPCONFPATH=tmp, HOME=tmp)
    requests = [
        ("sysgroup", ["snmpget", "-v2c", "-c", "public", "1.3.6.1.2.1.1.1.0", "1.3.6.1.2.1.1.2.0",
                      "1.3.6.1.2.1.1.3.0", "1.3.6.1.2.1.1.5.0"]),
        ("v1-sysdescr", ["snmpget", "-v1", "-c", "public", "1.3.6.1.2.1.1.1.0"]),
        ("v1-nosuchname", ["snmpget", "-v1", "-c", "public", "1.3.6.1.2.1.1.99.0"]),
        ("exceptions", ["snmpget", "-v2c", "-c", "public", "1.3.6.1.2.1.1.99.0", "1.3.6.1.2.1.1.1.1"]),
        ("iftable-bulk", ["snmpbulkget", "-v2c", "-c", "public", "-Cr20", "1.3.6.1.2.1.2.2.1"]),
        ("ifxtable-bulk", ["snmpbulkget", "-v2c", "-c", "public", "-Cr30", "1.3.6.1.2.1.31.1.1.1"]),
        ("hrstorage-bulk", ["snmpbulkget", "-v2c", "-c", "public", "-Cr40", "1.3.6.1.2.1.25.2.3.1"]),
        ("iptables-bulk", ["snmpbulkget", "-v2c", "-c", "public", "-Cr40", "1.3.6.1.2.1.4.34.1"]),
        ("overrides", ["snmpget", "-v2c", "-c", "public", "1.3.6.1.4.1.2021.10.1.6.1",
                       "1.3.6.1.4.1.99999.1.0", "1.3.6.1.4.1.99999.2.0", "1.3.6.1.4.1.99999.3.0"]),
        ("endofmib", ["snmpgetnext", "-v2c", "-c", "public", "1.3.6.1.6.3.99"]),
    ]
    got = {}
    try:
        time.sleep(1)
        for name, argv in requests:
            argv = argv[:1] + ["-d", "-r", "1", "-t", "3", "127.0.0.1:%d" % port] + argv[1:]
            run = subprocess.run(argv, env=env, capture_output=True, text=True)
            out = run.stdout + "\n" + run.stderr
            for block in re.split(r"\n(?=Received|Sending)", out):
                head = re.match(r"Received (\d+) byte packet", block)
                if not head:
                    continue
                data = bytearray()
                for line in block.splitlines()[1:]:
                    if not re.match(r"[0-9]{4}: ", line):
                        break
                    for token in line[6:].split()[:16]:
                        if not re.fullmatch(r"[0-9A-Fa-f]{2}", token):
                            break
                        data.append(int(token, 16))
                data = data[:int(head.group(1))]
                if data:
                    got["snmpd-%s" % name] = bytes(data)
    finally:
        agent.terminate()
        agent.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    if not got:
        sys.exit("make-seeds: snmpd answered nothing")
    write_dir("ber", got)


def main():
    write_dir("ber", ber_seeds())
    write_dir("format", format_seeds())
    write_dir("mib", MIBS)
    if "--capture" in sys.argv[1:]:
        capture()


if __name__ == "__main__":
    main()
