#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs each libFuzzer target for a fixed number of inputs from its seeds
# (test vectors), so a crash found by chance fails the test run. Longer
# runs: build/fuzz/fuzz/fuzz_X -max_total_time=600 DIR.
set -u
cd "$(dirname "$0")/../.."
RUNS=${FUZZ_RUNS:-20000}
F=build/fuzz/fuzz
seeds=$(mktemp -d)
ART=build/fuzz/artifacts
mkdir -p "$ART"
trap 'rm -rf "$seeds"' EXIT
mkdir -p "$seeds/policy" "$seeds/frame" "$seeds/bundle" "$seeds/evidence" "$seeds/exts" "$seeds/mailbox_scan" "$seeds/weakkey" "$seeds/blocklist"
# Mailbox scan seeds: a string-type byte (0 UTF8String, 2 BMPString), then a value.
printf '\000Bob <bob@example.com>, mailto:b@x.org.' > "$seeds/mailbox_scan/utf8"
printf '\000"a b"@example.com' > "$seeds/mailbox_scan/quoted"
printf '\000J\303\274rgen \302\253j\303\274rgen@b\303\274cher.com\302\273' > "$seeds/mailbox_scan/ulabel"
printf '\002\000a\000@\000x\000.\000y' > "$seeds/mailbox_scan/bmp"
# Blocklist seed: a header of an empty list, a 1-byte signature length prefix.
printf '\x00SGBL\x01\x06\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x01\x00' >"$seeds/blocklist/seed.bin"
for f in test/vectors/der/*.der test/vectors/smime/*.der; do [ -f "$f" ] && cp "$f" "$seeds/policy/"; done
# Frame seeds: INFO, and an INIT_TOKEN with PIN and label.
printf '\x00\x00\x08SG\x01\x01\x00\x00\x00\x00' > "$seeds/frame/info"
printf '\x00\x00\x19SG\x01\x02\x00\x00\x00\x11\x02\x00\x08so-pin-1\x01\x00\x03lab' > "$seeds/frame/init"
# Bundle seeds: signed bundles from the CLI's compiler (docs/bundle.md source format).
if openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$seeds/so.pem" 2>/dev/null; then
    printf 'version = 3\n[ca]\nkey-id = %064d\nprofiles = mailbox-strict organization-legacy\nmax-validity-days = 398\ncrldp-prefix = http://crl.example.com/\naia-prefix = http://ca.example.com/\ncaa-domain = example.com\n[escrow]\nprofiles = mailbox-strict\nperiod-days = 3650\nwrap = token-aes256\nkey-types = rsa-2048\nrecovery = yes\nencryption-only = yes\n' 1 >"$seeds/p.conf"
    build/host/sbrguard policy sign --key "$seeds/so.pem" --in "$seeds/p.conf" --out "$seeds/bundle/seed.der" >/dev/null 2>&1
fi
[ -s "$seeds/bundle/seed.der" ] || printf '\x30\x00' >"$seeds/bundle/seed.der"
rm -f "$seeds/so.pem" "$seeds/p.conf"
# Evidence seeds: 2-byte TBS length, TBS, evidence (made by the CLI for
# valid certificates of the corpus, several methods).
SG=build/host/sbrguard
n=0
for c in valid-mailbox-strict-ec valid-sponsor-strict-rsa valid-organization-strict-ec ok-san-dirname-too; do
    for m in domain email acme; do
        f=test/vectors/smime/$c.der
        [ -x "$SG" ] && "$SG" evidence make --va-key test/vectors/smime/keys/ca-p256.pem --in "$f" --method $m \
            --caa-issuer ca.example --bind-tbs --out "$seeds/ev.der" --at 2026-01-01T00:00:00Z 2>/dev/null || continue
        python3 -c '
import sys
cert = open(sys.argv[1], "rb").read()
i = 2 + (cert[1] & 0x7F if cert[1] & 0x80 else 0)  # the TBS: first element of the Certificate
k = cert[i + 1] & 0x7F if cert[i + 1] & 0x80 else 0
l = int.from_bytes(cert[i + 2:i + 2 + k], "big") if k else cert[i + 1]
tbs = cert[i:i + 2 + k + l]
open(sys.argv[3], "wb").write(len(tbs).to_bytes(2, "big") + tbs + open(sys.argv[2], "rb").read())
' "$f" "$seeds/ev.der" "$seeds/evidence/$n"
        n=$((n + 1))
    done
done
rm -rf "$seeds/ev.der" "$seeds/b"
# Extension seeds: the extnValues of the corpus's optional extensions, each
# with the selector byte of its decoder (test/fuzz/fuzz_exts.c).
python3 - "$seeds/exts" <<'PY'
import hashlib, os, sys
sys.path.insert(0, "test/vectors")
import gen_smime as g
sel = {"qc": 0, "adobe_ts": 1, "adobe_archive": 2, "sda": 3, "smimecap": 4, "lei": 5, "lei_role": 6, "ski": 7, "san": 8, "crldp": 8}
oids = {g.oid(g.OID[k]): v for k, v in sel.items()}
def tlv_at(b, off):  # (tag, content, end) of the TLV at off
    tag, n = b[off], b[off + 1]
    h = 2
    if n & 0x80:
        k = n & 0x7F
        n, h = int.from_bytes(b[off + 2:off + 2 + k], "big"), 2 + k
    if off + h + n > len(b):
        raise ValueError
    return tag, b[off + h:off + h + n], off + h + n
def items(b):
    out, o = [], 0
    while o < len(b):
        t, c, o = tlv_at(b, o)
        out.append((t, c))
    return out
def walk(b, depth):  # every Extension SEQUENCE { OID, [BOOLEAN,] OCTET STRING } inside b
    try:
        parts = items(b)
    except (ValueError, IndexError):
        return
    for t, c in parts:
        if t not in (0x30, 0xA3) or depth > 8:
            continue
        try:
            inner = items(c)
        except (ValueError, IndexError):
            continue
        if 2 <= len(inner) <= 3 and inner[0][0] == 6 and inner[-1][0] == 4:
            k = oids.get(g.tlv(6, inner[0][1]))
            if k is not None:
                seed = bytes([k]) + inner[-1][1]
                open(os.path.join(sys.argv[1], hashlib.sha256(seed).hexdigest()[:16]), "wb").write(seed)
        walk(c, depth + 1)
for f in sorted(os.listdir("test/vectors/smime")):
    if f.endswith(".der"):
        walk(open(os.path.join("test/vectors/smime", f), "rb").read(), 0)
PY
# Weak-key seeds: the moduli of test/vectors/weakkey/vectors.txt as bytes.
python3 -c '
import sys
for i, l in enumerate(open("test/vectors/weakkey/vectors.txt")):
    if not l.startswith("#"):
        h = l.split()[0]
        open("%s/%d" % (sys.argv[1], i), "wb").write(bytes.fromhex(h.zfill(len(h) + len(h) % 2)))
' "$seeds/weakkey"
for t in policy frame bundle evidence exts mailbox_scan weakkey blocklist; do
    if [ ! -x "$F/fuzz_$t" ]; then
        echo "not ok - fuzz_$t was not built"
        continue
    fi
    if "$F/fuzz_$t" -runs="$RUNS" -seed=1 -artifact_prefix="$ART/" "$seeds/$t" >&2 2>&1; then
        echo "ok - fuzz_$t: $RUNS inputs without a crash, leak or UB report"
    else
        echo "not ok - fuzz_$t found a failure (see the log above)"
    fi
done
