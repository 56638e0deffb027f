#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Generates the policy engine's value lists from Debian packages (never
typed in by hand): ISO 3166-1 alpha-2 and ISO 3166-2 subdivision codes from
iso-codes, public suffixes from publicsuffix. Writes C to stdout.

Formats (read by policy/pol_rules_name_*.c, pol_domain.c and pol_iso3166.c; see
policy/pol_tables.h):

- ISO 3166-1: the alpha-2 codes, sorted, two bytes each.
- ISO 3166-2: per alpha-2 code (same index), its subdivision codes (the part
  after "CC-", 1 to 3 of [0-9A-Z]) as numbers, ascending, delta-coded in
  LEB128 (7 bits a byte, high bit = more).  Number of a code: the length
  bucket (0, 36, 36 + 36^2) plus its base-36 value, digits before letters.
- ISO 639-1: the two-letter language codes (those ISO 639-2 entries of
  iso-codes that have an alpha_2) as a bitmap, bit (a - 'a') * 26 + (b - 'a')
  for the code "ab", least significant bit first in each byte.
- Public suffixes: the ICANN section only (the PRIVATE section lists
  domains that companies sell subdomains of, not the DNS's own delegation
  points; "real domain" in SBR 7.1.4.2.1 is about the latter).  Each rule
  becomes a key of its labels, rightmost first, joined with '.', in A-label
  form, lowercase ("uk.co", "jp.kawasaki").  Normal rules, plus every TLD that
  only occurs under a wildcard, go to the main list; "*.X" rules give the
  wildcard list (key of X), "!X" rules the exception list.
  The main list is sorted bytewise and front-coded: an entry is a header
  byte (bits 0-4: bytes shared with the previous key, 31 = the count follows
  in a byte; bits 5-7: number of suffix tokens, 0 = the count follows in a
  byte) and the tokens of the rest of the key.  Every RESTART-th entry
  shares nothing and its byte offset is in the restart table (binary
  search; pol_psl_first[i] is the first block whose first key starts
  with the letter a+i or later, so a key's search spans few blocks, and
  pol_psl_head[b] holds the 2nd and 3rd bytes of block b's first key, so
  that most steps of the search compare integers).
  Tokens are byte-pair codes learnt here: token t stands for the
  string tok[off[t]:off[t+1]].
  Wildcard and exception lists are short: sorted keys, NULL-terminated.
"""
import json
import sys

ISO1 = "/usr/share/iso-codes/json/iso_3166-1.json"
ISO2 = "/usr/share/iso-codes/json/iso_3166-2.json"
ISO639 = "/usr/share/iso-codes/json/iso_639-2.json"
PSL = "/usr/share/publicsuffix/public_suffix_list.dat"
RESTART = 16
B36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def sub_value(code):
    """Number of an ISO 3166-2 subdivision code (1 to 3 of [0-9A-Z])."""
    assert 1 <= len(code) <= 3 and all(c in B36 for c in code), code
    v = 0
    for c in code:
        v = v * 36 + B36.index(c)
    return (0, 0, 36, 36 + 36 * 36)[len(code)] + v


def leb128(v):
    out = []
    while True:
        b = v & 0x7F
        v >>= 7
        out.append(b | (0x80 if v else 0))
        if not v:
            return out


def iso_tables():
    with open(ISO1, encoding="utf-8") as f:
        alpha2 = sorted(e["alpha_2"] for e in json.load(f)["3166-1"])
    assert all(len(c) == 2 and c.isascii() and c.isupper() for c in alpha2)
    assert len(set(alpha2)) == len(alpha2)
    subs = {c: [] for c in alpha2}
    with open(ISO2, encoding="utf-8") as f:
        for e in json.load(f)["3166-2"]:
            cc, sub = e["code"].split("-", 1)
            subs[cc].append(sub_value(sub))
    data, off = [], []
    for c in alpha2:
        off.append(len(data))
        prev = -1
        for v in sorted(set(subs[c])):
            data += leb128(v - prev - 1)
            prev = v
    off.append(len(data))
    assert len(data) < 65536
    return alpha2, off, data


def iso639_bitmap():
    with open(ISO639, encoding="utf-8") as f:
        codes = sorted(e["alpha_2"] for e in json.load(f)["639-2"] if "alpha_2" in e)
    assert all(len(c) == 2 and c.isascii() and c.islower() for c in codes)
    bm = [0] * ((26 * 26 + 7) // 8)
    for c in codes:
        i = (ord(c[0]) - 97) * 26 + ord(c[1]) - 97
        bm[i >> 3] |= 1 << (i & 7)
    return len(set(codes)), bm


def a_label(label):
    if label.isascii():
        return label.lower()
    return "xn--" + label.encode("punycode").decode("ascii")


def psl_rules():
    normal, wild, exc = set(), set(), set()
    section = None
    with open(PSL, encoding="utf-8") as f:
        for line in f:
            s = line.strip()
            if "===BEGIN ICANN DOMAINS===" in s:
                section = "icann"
            elif "===END ICANN DOMAINS===" in s:
                section = None
            if section != "icann" or not s or s.startswith("//"):
                continue
            rule = s.split()[0]
            kind = normal
            if rule.startswith("!"):
                kind, rule = exc, rule[1:]
            labels = rule.split(".")
            if labels[0] == "*":
                assert kind is normal, rule
                kind, labels = wild, labels[1:]
            assert labels and all(labels) and "*" not in "".join(labels), rule
            key = ".".join(a_label(x) for x in reversed(labels))
            assert all(c.isascii() and (c.isalnum() or c in "-.") for c in key), key
            kind.add(key)
    main = set(normal)
    main |= {k.split(".")[0] for k in normal | wild | exc}  # every TLD
    return sorted(main), sorted(wild), sorted(exc)


def front_code(keys):
    """(shared, suffix) per key, sharing nothing at restart points."""
    out, prev = [], ""
    for i, k in enumerate(keys):
        if i % RESTART == 0:
            prev = ""
        p = 0
        while p < min(len(prev), len(k)) and prev[p] == k[p]:
            p += 1
        assert p < len(k)  # sorted, distinct: never a prefix of the previous
        out.append((p, k[p:]))
        prev = k
    return out


def byte_pairs(strings):
    """Learns up to 256 tokens by byte-pair merging; returns (token strings,
    the token sequence of each string)."""
    toks = sorted(set("".join(strings)))
    index = {c: i for i, c in enumerate(toks)}
    seqs = [[index[c] for c in s] for s in strings]
    count, where = {}, {}

    def account(i, sign):
        s = seqs[i]
        for pair in zip(s, s[1:]):
            count[pair] = count.get(pair, 0) + sign
            if sign > 0:
                where.setdefault(pair, set()).add(i)

    for i in range(len(seqs)):
        account(i, 1)
    while len(toks) < 256:
        best = max(count.items(), key=lambda kv: (kv[1], (-kv[0][0], -kv[0][1])), default=None)
        if best is None or best[1] < 2:
            break
        (a, b), _ = best
        new = len(toks)
        toks.append(toks[a] + toks[b])
        for i in sorted(where.pop((a, b))):
            s = seqs[i]
            account(i, -1)
            out, j = [], 0
            while j < len(s):
                if j + 1 < len(s) and s[j] == a and s[j + 1] == b:
                    out.append(new)
                    j += 2
                else:
                    out.append(s[j])
                    j += 1
            seqs[i] = out
            account(i, 1)
        for pair in [p for p, n in count.items() if n <= 0]:
            del count[pair]
            where.pop(pair, None)
    for s, q in zip(strings, seqs):
        assert "".join(toks[t] for t in q) == s
    return toks, seqs


def psl_tables():
    main, wild, exc = psl_rules()
    fc = front_code(main)
    toks, seqs = byte_pairs([s for _, s in fc])
    blob, restarts = [], []
    for i, ((p, _), q) in enumerate(zip(fc, seqs)):
        if i % RESTART == 0:
            restarts.append(len(blob))
        head = [(min(p, 31)) | (min(len(q), 8) % 8) << 5]
        if p >= 31:
            head.append(p)
        if len(q) >= 8:
            head.append(len(q))
        assert p < 256 and len(q) < 256
        blob += head + q
    assert len(blob) < 65536
    # Restart ranges by first letter: blocks [first[i], first[i+1]) start
    # with the letter a+i (every key starts with a letter).
    assert all("a" <= k[0] <= "z" for k in main)
    firsts = [main[i * RESTART][0] for i in range(len(restarts))]
    # The 2nd and 3rd bytes of each block's first key, big-endian, NUL-padded.
    heads = [int.from_bytes((main[i * RESTART][1:3] + "\0\0")[:2].encode(), "big") for i in range(len(restarts))]
    first = [sum(1 for f in firsts if f < chr(ord("a") + i)) for i in range(27)]
    off, chars = [0], ""
    for t in toks:
        chars += t
        off.append(len(chars))
    assert max(len(t) for t in toks) <= 32
    return main, wild, exc, blob, restarts, first, heads, toks, off, chars


def c_bytes(name, ctype, values, per_line=16, fmt="0x%02x"):
    print("const %s %s[%d] = {" % (ctype, name, len(values)))
    for i in range(0, len(values), per_line):
        print("    " + ", ".join(fmt % v for v in values[i:i + per_line]) + ",")
    print("};")


def c_string(s):
    out = '"'
    for ch in s:
        out += '\\0' if ch == "\0" else ch
    return out + '"'


def c_key_list(name, keys):
    print("const char *const %s[%d] = {" % (name, len(keys) + 1))
    for k in keys:
        print('    "%s",' % k)
    print("    0,")
    print("};")


def main():
    alpha2, off2, data2 = iso_tables()
    main_keys, wild, exc, blob, restarts, first, heads, toks, tok_off, tok_chars = psl_tables()
    assert len(wild) < 256 and len(exc) < 256
    print("/* Generated by policy/gen_tables.py from Debian's iso-codes and publicsuffix. Do not edit. */")
    print('#include "pol_tables.h"')
    print()
    print("/* ISO 3166-1 alpha-2: %d codes. */" % len(alpha2))
    print("const char pol_iso3166_1[%d][2] = {" % len(alpha2))
    for i in range(0, len(alpha2), 12):
        print("    " + " ".join("{ '%s', '%s' }," % (c[0], c[1]) for c in alpha2[i:i + 12]))
    print("};")
    print("const uint16_t pol_iso3166_1_n = %d;" % len(alpha2))
    print()
    print("/* ISO 3166-2: %d subdivisions. */" % sum(1 for b in data2 if not b & 0x80))
    c_bytes("pol_iso3166_2_off", "uint16_t", off2, 12, "%d")
    c_bytes("pol_iso3166_2", "uint8_t", data2)
    print()
    n639, bm639 = iso639_bitmap()
    print("/* ISO 639-1: %d language codes, bitmap. */" % n639)
    c_bytes("pol_iso639_1", "uint8_t", bm639)
    print()
    print("/* Public suffixes (ICANN section): %d keys in the main list, %d wildcard, %d exception. */"
          % (len(main_keys), len(wild), len(exc)))
    print("const uint16_t pol_psl_n = %d;" % len(main_keys))
    print("const uint16_t pol_psl_restart_n = %d;" % len(restarts))
    c_bytes("pol_psl_restart", "uint16_t", restarts, 12, "%d")
    c_bytes("pol_psl_first", "uint16_t", first, 14, "%d")
    c_bytes("pol_psl_head", "uint16_t", heads, 12, "0x%04x")
    c_bytes("pol_psl_blob", "uint8_t", blob)
    print("const uint16_t pol_psl_blob_n = %d;" % len(blob))
    c_bytes("pol_psl_tok_off", "uint16_t", tok_off, 12, "%d")
    print("const char pol_psl_tok[%d] =" % (len(tok_chars) + 1))
    for i in range(0, len(tok_chars), 96):
        print('    "%s"' % tok_chars[i:i + 96])
    print("    ;")
    c_key_list("pol_psl_wild", wild)
    c_key_list("pol_psl_exc", exc)


if __name__ == "__main__":
    sys.exit(main())
