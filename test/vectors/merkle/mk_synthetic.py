#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""A synthetic exported log, written independently of sbrguard's C code.

Writes DIR in the C2SP tlog-tiles layout that `sbrguard audit verify` reads:
entry bundles and hash tiles (the tree from gen_kat.py's hashlib-only
implementation), a C2SP checkpoint signed with a throwaway ECDSA P-256 key
(signed-note type 0x02, key ID SHA-256(SPKI)[:4], DER signature over
SHA-256 of the note text, as docs/log.md), DIR/log.pub and DIR/log.vkey.
Entries follow docs/log.md format 2. Also writes CERTDIR with one fake
certificate per accepted issuance (their SHA-256 is in the entries) and
older checkpoints DIR.cp/<size> for the sizes given with --old.

Usage: mk_synthetic.py DIR CERTDIR [--entries N] [--old M,M2,...]
Needs python3-cryptography (a Debian package the build installs).
"""
import argparse
import base64
import hashlib
import os
import struct
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_kat  # noqa: E402  (MTH, tiles, paths)

from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402

ORIGIN = "sbrguard.invalid/53594e5448455449"


def der_len(n):
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def seq(*parts):
    body = b"".join(parts)
    return b"\x30" + der_len(len(body)) + body


def fake_cert(i):
    """SEQUENCE { tbs SEQUENCE { INTEGER i, ... }, alg SEQUENCE {}, BIT STRING }."""
    tbs = seq(b"\x02\x02" + i.to_bytes(2, "big"), b"\x0c\x10synthetic S/MIME")
    return seq(tbs, seq(), b"\x03\x02\x00\x00")


def entry(seq_no, event, t, *, mech=0, handle=0, key_type=0, flags=0, value=0, key_id=b"", tbs=b"",
          cert=b"", blocklist=b"", reasons=()):
    z = bytes(32)
    e = struct.pack(">BBQQIHBBQ", 2, event, seq_no, t, mech, handle, key_type, flags, value)
    e += (key_id or z) + z + (tbs or z) + z + (cert or z)
    e += (blocklist or z) + z  # blocklist_hash, batch_root (reserved: zeros)
    e += bytes([len(reasons)])
    for count, code in reasons:
        e += struct.pack(">IB", count, len(code)) + code.encode()
    return e


def build(n):
    """n entries: init, key generation, CA binding, then a mix of accepted,
    refused, authorizations and a refusal summary; returns entries and certs."""
    kid = hashlib.sha256(b"synthetic CA key").digest()
    t0 = 1767225600  # 2026-01-01T00:00:00Z
    out, certs = [], []
    out.append(entry(0, 0x01, t0, value=1))
    out.append(entry(1, 0x02, t0 + 1, handle=3, key_type=1, value=1, key_id=kid))
    out.append(entry(2, 0x03, t0 + 2, handle=3, key_type=1, value=4, key_id=kid,
                     cert=hashlib.sha256(b"synthetic CA certificate").digest()))
    i = 3
    while len(out) < n:
        t = t0 + 10 * i
        k = i % 7
        if k in (0, 2, 4):
            c = fake_cert(i)
            certs.append(c)
            tbs = hashlib.sha256(c[2:2 + 2 + c[3]]).digest()
            out.append(entry(i, 0x10, t, mech=0x1044, handle=3, key_type=1, key_id=kid, tbs=tbs,
                             cert=hashlib.sha256(c).digest()))
        elif k == 1:
            out.append(entry(i, 0x11, t, mech=0x1044, handle=3, key_type=1, key_id=kid,
                             tbs=hashlib.sha256(b"bad %d" % i).digest(),
                             reasons=[(1, "sbr.7.1.2.3.eku.prohibited")]))
        elif k == 3:
            out.append(entry(i, 0x12, t, mech=0x1044, handle=3, key_type=1, key_id=kid, value=t + 60,
                             tbs=hashlib.sha256(b"authz %d" % i).digest()))
        elif k == 5:
            out.append(entry(i, 0x14, t, value=40,
                             reasons=[(40, "sbr.7.1.6.1.policy.absent"), (40, "sbr.7.1.2.3.cp.absent")]))
        else:
            out.append(entry(i, 0x13, t, mech=0x1044, handle=3, key_type=1, key_id=kid,
                             tbs=hashlib.sha256(b"authz bad %d" % i).digest(),
                             reasons=[(1, "sbr.7.1.2.3.eku.prohibited"), (1, "sbr.7.1.4.2.san.absent")]))
        i += 1
    return out, certs


def put(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def checkpoint(key, spki, entries):
    root = gen_kat.mth(entries)
    text = "%s\n%d\n%s\n" % (ORIGIN, len(entries), base64.b64encode(root).decode())
    sig = key.sign(text.encode(), ec.ECDSA(hashes.SHA256()))
    kid = hashlib.sha256(spki).digest()[:4]
    return (text + "\n\u2014 %s %s\n" % (ORIGIN, base64.b64encode(kid + sig).decode())).encode()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("certdir")
    ap.add_argument("--entries", type=int, default=300)
    ap.add_argument("--old", default="")
    a = ap.parse_args()
    key = ec.generate_private_key(ec.SECP256R1())
    spki = key.public_key().public_bytes(serialization.Encoding.DER,
                                         serialization.PublicFormat.SubjectPublicKeyInfo)
    entries, certs = build(a.entries)
    n = len(entries)
    for level, idx, w in gen_kat.tiles_of(n):
        p = gen_kat.tile_path(level, idx, 0 if w == 256 else w)
        put(os.path.join(a.dir, p), b"".join(gen_kat.tile_hashes(entries, level, idx, w)))
        if level == 0:
            b = b"".join(len(e).to_bytes(2, "big") + e for e in entries[idx * 256:idx * 256 + w])
            put(os.path.join(a.dir, gen_kat.tile_path("entries", idx, 0 if w == 256 else w)), b)
    put(os.path.join(a.dir, "checkpoint"), checkpoint(key, spki, entries))
    put(os.path.join(a.dir, "log.pub"), key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    kid = hashlib.sha256(spki).digest()[:4]
    put(os.path.join(a.dir, "log.vkey"), ("%s+%s+%s\n" % (ORIGIN, kid.hex(), base64.b64encode(
        b"\x02" + spki).decode())).encode())
    for m in [int(x) for x in a.old.split(",") if x]:
        put(os.path.join(a.dir + ".cp", str(m)), checkpoint(key, spki, entries[:m]))
    for i, c in enumerate(certs):
        put(os.path.join(a.certdir, "cert%03d.der" % i), c)
    print("%s: %d entries, %d certificates" % (a.dir, n, len(certs)))


if __name__ == "__main__":
    main()
