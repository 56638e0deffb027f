# SPDX-License-Identifier: Apache-2.0
"""A tiny DER encoder (X.690), and the reader of one TLV."""
import datetime


def der_len(n):
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def tlv(tag, content):
    return bytes([tag]) + der_len(len(content)) + content


def seq(*items):
    return tlv(0x30, b"".join(items))


def set_of(*items):
    # DER: SET OF elements sorted by their encodings (X.690 11.6).
    return tlv(0x31, b"".join(sorted(items)))


def oid(dotted):
    arcs = [int(x) for x in dotted.split(".")]
    first = arcs[0] * 40 + arcs[1]
    out = b""
    for a in [first] + arcs[2:]:
        chunk = [a & 0x7F]
        a >>= 7
        while a:
            chunk.append(0x80 | (a & 0x7F))
            a >>= 7
        out += bytes(reversed(chunk))
    return tlv(0x06, out)


def int_content(n):
    """Minimal two's-complement content octets of an INTEGER."""
    if n == 0:
        return b"\x00"
    if n > 0:
        return n.to_bytes(n.bit_length() // 8 + 1, "big", signed=True)
    return n.to_bytes((n + 1).bit_length() // 8 + 1, "big", signed=True)


def integer(n):
    return tlv(0x02, int_content(n))


def octets(b):
    return tlv(0x04, b)


def bits(b, unused=0):
    return tlv(0x03, bytes([unused]) + b)


def boolean(v):
    return tlv(0x01, b"\xff" if v else b"\x00")


NULL = b"\x05\x00"


def utf8(s):
    return tlv(0x0C, s.encode("utf-8"))


def printable(s):
    return tlv(0x13, s.encode("ascii"))


def ia5(s):
    return tlv(0x16, s.encode("ascii"))


def ctx(n, content, constructed=True):
    return tlv((0xA0 if constructed else 0x80) | n, content)


def der_time(t):
    """RFC 5280 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050."""
    if t.year < 2050:
        return tlv(0x17, t.strftime("%y%m%d%H%M%SZ").encode())
    return tlv(0x18, t.strftime("%Y%m%d%H%M%SZ").encode())


def named_bits(positions):
    """A DER named-bit BIT STRING (X.690 11.2.2: trailing zero bits removed)."""
    if not positions:
        return bits(b"")
    top = max(positions)
    buf = bytearray(top // 8 + 1)
    for p in positions:
        buf[p // 8] |= 0x80 >> (p % 8)
    return bits(bytes(buf), 7 - top % 8)


def t(s):
    return datetime.datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ")


def read_tlv(b, off=0):
    """(tag, header length, content length) of the TLV at off."""
    tag, n = b[off], b[off + 1]
    if n < 0x80:
        return tag, 2, n
    k = n & 0x7F
    return tag, 2 + k, int.from_bytes(b[off + 2:off + 2 + k], "big")
