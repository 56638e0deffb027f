#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The auditor's side of the enforcement log, end to end (docs/log.md):
# a sim token issues S/MIME certificates (inline and pre-authorized) and
# refuses non-conforming TBSs; `sbrguard audit export` writes the log as C2SP
# tlog-tiles; `sbrguard audit verify` checks it offline, and fails, naming
# the place, on every tampering: a flipped byte in an entry bundle, a hash
# tile or the checkpoint, a dropped or reordered entry, an older checkpoint
# presented as newer, a certificate the token never signed. Proofs
# (inclusion of a certificate, consistency of two checkpoints) verify.
# Independent checks: OpenSSL verifies the checkpoint's signature with the
# exported key, a hashlib-only Python tree (test/vectors/merkle/gen_kat.py)
# recomputes every tile and the root, and a log written by Python
# (mk_synthetic.py) passes `audit verify`.
#
# TBSs are made as in signpath.sh: a throwaway "shadow" CA with the real CA
# certificate's subject and subjectKeyIdentifier issues them; only the
# TBSCertificate is kept and the token judges it.
#
# BIN (default build/host; build/asan for the ASan+UBSan build). Output: one
# line per check on stdout, "ok - what" or "not ok - what"; details go to
# stderr. Exit status is non-zero if any check failed.
set -u
source "$(dirname "$0")/lib/preamble.sh"
VEC=$ROOT/test/vectors/merkle

# fails WHAT PATTERN CMD...: CMD exits 1 and its output matches PATTERN.
fails() {
    local what=$1 pat=$2
    shift 2
    "$@" >"$TMP/out" 2>&1
    local rc=$?
    cat "$TMP/out" >&2
    if [ $rc -eq 1 ] && grep -qE -- "$pat" "$TMP/out"; then ok "$what"; else notok "$what (exit $rc)"; fi
}
verify() { sg audit verify "$@"; }

# Byte-level edits of exported files: flip FILE OFFSET, entry_off BUNDLE K
# (offset of entry K's bytes), drop BUNDLE K, swap BUNDLE K (K and K+1).
# flip FILE OFFSET MASK xors MASK instead of 0x01.
cat >"$TMP/edit.py" <<'EOF'
import sys
op, path = sys.argv[1], sys.argv[2]
b = bytearray(open(path, "rb").read())
def split(b):
    es, o = [], 0
    while o < len(b):
        n = b[o] << 8 | b[o + 1]
        es.append(bytes(b[o:o + 2 + n]))
        o += 2 + n
    return es
if op == "flip":
    b[int(sys.argv[3])] ^= int(sys.argv[4], 0) if len(sys.argv) > 4 else 0x01
elif op == "entry_off":
    es = split(b)
    print(sum(len(e) for e in es[:int(sys.argv[3])]) + 2)
    sys.exit(0)
else:
    es, k = split(b), int(sys.argv[3])
    if op == "drop":
        del es[k]
    elif op == "swap":
        es[k], es[k + 1] = es[k + 1], es[k]
    b = b"".join(es)
open(path, "wb").write(b)
EOF
edit() { python3 "$TMP/edit.py" "$@"; }

# A minimal link client (docs/protocol.md, docs/log.md) for what the CLI
# does one process at a time: many inline signatures, and LOG_ACK.
cat >"$TMP/tok.py" <<'PYEOF'
import socket, struct, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
def tlv(t, v):
    return struct.pack(">BH", t, len(v)) + v
def call(cmd, payload=b""):
    s.sendall(b"SG" + bytes([1, cmd]) + struct.pack(">I", len(payload)) + payload)
    h = b""
    while len(h) < 8:
        h += s.recv(8 - len(h))
    n = struct.unpack(">I", h[4:8])[0]
    body = b""
    while len(body) < n:
        body += s.recv(n - len(body))
    if h[3]:
        sys.exit("command 0x%02x: status %d" % (cmd, h[3]))
    return body
call(0x17, tlv(0x6D, b"\x01"))  # HELLO: on a serial link, the last host's login ends here
op = sys.argv[2]
if op == "sign":  # SOCK sign PIN HANDLE TBS COUNT EVIDENCE: COUNT inline ECDSA-SHA256 signatures of TBS
    call(0x03, tlv(0x04, b"\x01") + tlv(0x02, sys.argv[3].encode()))
    req = tlv(0x05, struct.pack(">H", int(sys.argv[4]))) + tlv(0x0B, struct.pack(">I", 0x1044)) + \
        tlv(0x0C, open(sys.argv[5], "rb").read()) + tlv(0x13, open(sys.argv[7], "rb").read())
    for _ in range(int(sys.argv[6])):
        call(0x0A, req)
elif op == "ack":  # SOCK ack SOPIN CHECKPOINT: LOG_ACK of a signed checkpoint; prints LOG_MIN
    call(0x03, tlv(0x04, b"\x00") + tlv(0x02, sys.argv[3].encode()))
    r = call(0x16, tlv(0x56, open(sys.argv[4], "rb").read()))
    o = 0
    while o < len(r):
        t, n = r[o], r[o + 1] << 8 | r[o + 2]
        if t == 0x53:
            print("min", int.from_bytes(r[o + 3:o + 3 + n], "big"))
        o += 3 + n
PYEOF
tok() { python3 "$TMP/tok.py" "$TMP/token.sock" "$@"; }

# --- token, CA key, CA certificate -------------------------------------------------------
token_start
check "token starts" test -S "$TMP/token.sock"
check "init token with the SO policy key" sg_init --label audit --so-pin $SO_PIN --pin $PIN
sg keygen --type ec-p256 --label ca-ec --id c1 --pubout "$TMP/ca.pub.pem" --pin $PIN >"$TMP/out" 2>&1
EC=$(sed -n 's/.*handle \([0-9]*\).*/\1/p' "$TMP/out" | head -1)
check "CA key generated on the token (handle ${EC:-?})" test -n "$EC"
CA_SUBJ="/O=sbrguard tests/CN=sbrguard Audit CA"
check "CA certificate (token's key, software root) bound to the key" mk_ca Audit
check "policy bundle for the CA key loaded (lib/preamble.sh)" policy_load_for "$TMP/ca.pub.pem"

# --- TBSs, issuance, refusals ---------------------------------------------------------------
openssl ecparam -name prime256v1 -genkey -noout -out "$TMP/ee.key" 2>/dev/null
openssl req -new -key "$TMP/ee.key" -subj "/CN=alice@example.com" -out "$TMP/ee.csr" 2>/dev/null
ext_conf() { # OUT EKU [no-cp]
    {
        [ "${3:-}" = no-cp ] || echo "certificatePolicies=2.23.140.1.5.1.3"
        echo "crlDistributionPoints=URI:http://crl.example.com/ca.crl"
        echo "authorityInfoAccess=caIssuers;URI:http://ca.example.com/ca.crt,OCSP;URI:http://ocsp.example.com"
        echo "keyUsage=critical,digitalSignature"
        echo "extendedKeyUsage=$2"
        echo "authorityKeyIdentifier=keyid"
        echo "subjectKeyIdentifier=hash"
        echo "subjectAltName=email:alice@example.com"
    } >"$1"
}
ext_conf "$TMP/good.cnf" emailProtection
ext_conf "$TMP/eku.cnf" emailProtection,serverAuth
ext_conf "$TMP/nocp.cnf" emailProtection no-cp
SKI=$(openssl x509 -in "$TMP/ca.pem" -noout -ext subjectKeyIdentifier 2>/dev/null | tail -1 | tr -d ' :')
openssl ecparam -name prime256v1 -genkey -noout -out "$TMP/shadow.key" 2>/dev/null
openssl req -new -x509 -key "$TMP/shadow.key" -subj "$CA_SUBJ" -days 30 -addext "subjectKeyIdentifier=$SKI" \
    -addext "basicConstraints=critical,CA:TRUE" -out "$TMP/shadow.pem" 2>/dev/null
mk_tbs() { # OUT EXTFILE: the TBS (and OUT.shadow.der, the shadow CA's certificate over it)
    openssl x509 -req -in "$TMP/ee.csr" -CA "$TMP/shadow.pem" -CAkey "$TMP/shadow.key" \
        -set_serial "0x$(openssl rand -hex 16)" -days 365 -extfile "$2" -sha256 -outform DER -out "$1.shadow.der" &&
        openssl asn1parse -inform DER -in "$1.shadow.der" -strparse 4 -noout -out "$1"
}
issue() { # N: inline issuance of a fresh conforming TBS into $TMP/issued/certN.der
    mk_tbs "$TMP/tbs$1.der" "$TMP/good.cnf" &&
        sg sign --key "${EC:-0}" --mech ecdsa-sha256 --in "$TMP/tbs$1.der" --out "$TMP/sig$1" --evidence "$(ev "$TMP/tbs$1.der")" --pin $PIN &&
        sg cert assemble --tbs "$TMP/tbs$1.der" --sig "$TMP/sig$1" --format der --out "$TMP/issued/cert$1.der" &&
        openssl verify -CAfile "$TMP/root.pem" -untrusted "$TMP/ca.pem" <(openssl x509 -inform DER -in "$TMP/issued/cert$1.der")
}
mkdir -p "$TMP/issued" "$TMP/never"
check "inline issuance: 3 conforming TBSs signed by the CA key, certificates verify" \
    eval 'issue 1 && issue 2 && issue 3'
preauth() { # pre-authorized: AUTHORIZE the TBS, then one raw ECDSA signature of its digest
    mk_tbs "$TMP/tbs4.der" "$TMP/good.cnf" &&
        openssl dgst -sha256 -binary "$TMP/tbs4.der" >"$TMP/d4.bin" &&
        sg authorize --key "${EC:-0}" --mech ecdsa-sha256 --tbs "$TMP/tbs4.der" --evidence "$(ev "$TMP/tbs4.der")" --sign "$TMP/d4.bin" \
            --out "$TMP/sig4" --pin $PIN &&
        sg cert assemble --tbs "$TMP/tbs4.der" --sig "$TMP/sig4" --format der --out "$TMP/issued/cert4.der"
}
check "pre-authorized issuance: authorize, raw signature, certificate assembled" preauth
mk_tbs "$TMP/bad-eku.der" "$TMP/eku.cnf" 2>/dev/null
mk_tbs "$TMP/bad-cp.der" "$TMP/nocp.cnf" 2>/dev/null
fails "refusal: EKU serverAuth (sbr.7.1.2.3.eku.prohibited)" 'eku\.prohibited' \
    sg sign --key "${EC:-0}" --mech ecdsa-sha256 --in "$TMP/bad-eku.der" --out "$TMP/bad1" --evidence "$(ev "$TMP/bad-eku.der")" --pin $PIN
fails "refusal: no certificatePolicies" 'policy\.absent' \
    sg sign --key "${EC:-0}" --mech ecdsa-sha256 --in "$TMP/bad-cp.der" --out "$TMP/bad2" --evidence "$(ev "$TMP/bad-cp.der")" --pin $PIN

# --- export and verify ---------------------------------------------------------------------------
E1=$TMP/export1 E2=$TMP/export2
check "audit export (with the PIN: the export is logged)" sg audit export "$E1" --pin $PIN
N1=$(sed -n 2p "$E1/checkpoint" 2>/dev/null)
layout() { # DIR N: exactly the files tlog-tiles lays out for a tree of N < 256 entries
    local want got
    want=$(printf '%s\n' checkpoint log.pub log.vkey "tile/0/000.p/$2" "tile/entries/000.p/$2" | sort)
    got=$(cd "$1" && find . -type f | sed 's|^\./||' | sort)
    [ "$want" = "$got" ] || { echo "want: $want / got: $got"; return 1; }
}
check "export layout: checkpoint, tile/0/000.p/$N1, tile/entries/000.p/$N1, log.pub, log.vkey" layout "$E1" "$N1"
check "audit verify of the export with its key: OK" verify "$E1" --key "$E1/log.pub"
verify "$E1" --key "$E1/log.pub" >"$TMP/v1.txt" 2>&1
summary_ok() {
    grep -q 'issuances accepted: 4 (pre-authorized: 1)' "$TMP/v1.txt" &&
        grep -qE 'requests refused: 2 ' "$TMP/v1.txt" && grep -qE '^ +sbr\.7\.1\.2\.3\.eku\.prohibited +1$' "$TMP/v1.txt" &&
        grep -q 'first time: ' "$TMP/v1.txt" && grep -q 'log-export 1' "$TMP/v1.txt"
}
check "summary: 4 accepted (1 pre-authorized), 2 refused, per reason code, times, events" summary_ok
json_ok() {
    verify "$E1" --key "$E1/log.vkey" --format json | python3 -c '
import json, sys
d = json.load(sys.stdin)
s = d["summary"]
assert d["result"] == "ok" and s["accepted"] == 4 and s["preauthorized"] == 1, d
assert s["refused_by_reason"]["sbr.7.1.2.3.eku.prohibited"] == 1 and s["events"]["ca-bind"] == 1, s
assert d["checkpoint"]["size"] == s["entries"]'
}
check "--format json (verifier key as a signed-note vkey): result, counts, reasons" json_ok
check "--certs: every issued certificate (inline by hash, pre-authorized by TBS hash) is in the log" \
    verify "$E1" --key "$E1/log.pub" --certs "$TMP/issued"

# Independent checks: OpenSSL and a hashlib-only tree.
openssl_sig() {
    local d=$1
    head -3 "$d/checkpoint" >"$TMP/note.txt" &&
        sed -n '5p' "$d/checkpoint" | sed 's/^\xe2\x80\x94 [^ ]* //' | base64 -d >"$TMP/sig.bin" &&
        tail -c +5 "$TMP/sig.bin" >"$TMP/sig.der" &&
        openssl dgst -sha256 -verify "$d/log.pub" -signature "$TMP/sig.der" "$TMP/note.txt" &&
        [ "$(head -c 4 "$TMP/sig.bin" | od -An -tx1 | tr -d ' \n')" = \
            "$(openssl pkey -pubin -in "$d/log.pub" -outform DER | openssl dgst -sha256 -binary | head -c 4 | od -An -tx1 | tr -d ' \n')" ]
}
check "OpenSSL verifies the checkpoint signature (ECDSA, SHA-256, DER) with log.pub; key ID = SHA-256(SPKI)[:4]" \
    openssl_sig "$E1"
cat >"$TMP/tiles.py" <<'EOF'
import base64, os, sys
sys.dont_write_bytecode = True
sys.path.insert(0, sys.argv[2])
import gen_kat
d = sys.argv[1]
lines = open(os.path.join(d, "checkpoint")).read().split("\n")
n, root = int(lines[1]), base64.b64decode(lines[2])
entries = []
for level, idx, w in gen_kat.tiles_of(n):
    if level == 0:
        b, o = open(os.path.join(d, gen_kat.tile_path("entries", idx, 0 if w == 256 else w)), "rb").read(), 0
        while o < len(b):
            k = b[o] << 8 | b[o + 1]
            entries.append(b[o + 2:o + 2 + k])
            o += 2 + k
assert len(entries) == n, (len(entries), n)
assert gen_kat.mth(entries) == root, "root"
for level, idx, w in gen_kat.tiles_of(n):
    p = gen_kat.tile_path(level, idx, 0 if w == 256 else w)
    assert open(os.path.join(d, p), "rb").read() == b"".join(gen_kat.tile_hashes(entries, level, idx, w)), p
print("%d entries, %d tiles, root ok" % (n, len(gen_kat.tiles_of(n))))
EOF
check "a hashlib-only tree (gen_kat.py) recomputes every tile and the checkpoint's root" \
    python3 "$TMP/tiles.py" "$E1" "$VEC"

# --- more entries, a second export, consistency --------------------------------------------------
check "one more inline issuance after the first export" issue 5
check "second export" sg audit export "$E2" --pin $PIN
check "verify the second export --since the first checkpoint: consistent" \
    verify "$E2" --key "$E1/log.pub" --since "$E1/checkpoint" --certs "$TMP/issued"

# --- proofs ----------------------------------------------------------------------------------------
fails_not() { ! "$@"; }
incl() {
    sg audit proof --inclusion "$TMP/issued/$1" "$E2" --key "$E1/log.pub" --out "$TMP/$1.tlog-proof" >"$TMP/p.txt" &&
        cat "$TMP/p.txt" && grep -q '^inclusion: OK' "$TMP/p.txt" &&
        head -1 "$TMP/$1.tlog-proof" | grep -qx 'c2sp.org/tlog-proof@v1'
}
check "proof --inclusion of an inline-issued certificate: index, leaf hash, proof, verified; tlog-proof file" \
    incl cert2.der
check "proof --inclusion of the pre-authorized certificate (matched by its TBS hash)" incl cert4.der
cons() {
    sg audit proof --consistency "$E1/checkpoint" "$E2/checkpoint" "$E2" --key "$E1/log.pub" >"$TMP/p.txt" &&
        cat "$TMP/p.txt" && grep -q '^consistency: OK' "$TMP/p.txt"
}
check "proof --consistency first -> second checkpoint: verified" cons
fails "proof --consistency second -> first: refused (older presented as newer)" 'presented as newer' \
    sg audit proof --consistency "$E2/checkpoint" "$E1/checkpoint" "$E2" --key "$E1/log.pub"
openssl req -new -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$TMP/never.key" \
    -subj "/CN=bob@example.com" -days 1 -outform DER -out "$TMP/never/never.der" 2>/dev/null
fails "proof --inclusion of a certificate the token never signed fails" 'in no accepted-issuance entry' \
    sg audit proof --inclusion "$TMP/never/never.der" "$E2" --key "$E1/log.pub"

# --- tampering ----------------------------------------------------------------------------------------
N2=$(sed -n 2p "$E2/checkpoint")
B=tile/entries/000.p/$N2 H=tile/0/000.p/$N2
tamper() { rm -rf "$TMP/t" && cp -a "$E2" "$TMP/t"; }
# Entry 6 is an accepted issuance? Find the first accepted issuance (event 0x10) in the bundle.
K=$(python3 -c '
import sys
b, o, i = open(sys.argv[1], "rb").read(), 0, 0
while o < len(b):
    n = b[o] << 8 | b[o + 1]
    if b[o + 3] == 0x10:
        print(i); break
    o += 2 + n; i += 1' "$E2/$B")
tamper
OFF=$(edit entry_off "$TMP/t/$B" "${K:-0}")
edit flip "$TMP/t/$B" $((OFF + 100)) # inside the entry's tbs_hash
fails "flipped byte in entry $K's TBS hash (entry bundle): fails, names entry $K and the bundle" \
    "entry ${K:-x} \($B.*altered" verify "$TMP/t" --key "$E1/log.pub"
tamper
edit flip "$TMP/t/$B" $(($(edit entry_off "$TMP/t/$B" 1) + 1)) 0x80 # entry 1's event byte with its top bit set
fails "flipped event byte of entry 1: fails as a format error naming entry 1" "entry 1 \($B.*unknown event type 0x[89a-f][0-9a-f]" \
    verify "$TMP/t" --key "$E1/log.pub"
tamper
edit flip "$TMP/t/$H" $((32 * 3 + 7))
fails "flipped byte in hash tile $H: fails, names the tile and hash 3" "hash tile $H: hash 3 .*tile was altered" \
    verify "$TMP/t" --key "$E1/log.pub"
tamper
edit flip "$TMP/t/checkpoint" $(($(head -2 "$TMP/t/checkpoint" | wc -c) + 5)) # a root hash character
fails "flipped byte in the checkpoint's root line: fails, names the checkpoint" '^audit verify: FAILED: checkpoint' \
    verify "$TMP/t" --key "$E1/log.pub"
tamper
edit flip "$TMP/t/checkpoint" $(($(wc -c <"$TMP/t/checkpoint") - 20)) # inside the signature
fails "flipped byte in the checkpoint's signature: fails" '^audit verify: FAILED: (checkpoint|signed note)' \
    verify "$TMP/t" --key "$E1/log.pub"
tamper
edit drop "$TMP/t/$B" 4
fails "dropped entry 4: fails, names entry 4" 'index 4 carries sequence number 5' verify "$TMP/t" --key "$E1/log.pub"
tamper
edit drop "$TMP/t/$B" $((N2 - 1))
fails "dropped last entry: fails, names entry $((N2 - 1))" "entry $((N2 - 1)) is missing" verify "$TMP/t" --key "$E1/log.pub"
tamper
edit swap "$TMP/t/$B" 2
fails "entries 2 and 3 reordered: fails, names entry 2" 'entry 2 \(.*sequence number 3 at index 2' \
    verify "$TMP/t" --key "$E1/log.pub"
fails "older export verified --since the newer checkpoint: fails (older presented as newer)" \
    'presented as newer is older' verify "$E1" --key "$E1/log.pub" --since "$E2/checkpoint"
tamper
cp "$E1/checkpoint" "$TMP/t/checkpoint"
check "the older checkpoint over the newer tiles alone verifies (a genuine older state; wider partial tiles read)" \
    verify "$TMP/t" --key "$E1/log.pub"
fails "newer export with the older checkpoint swapped in, --since the newer: fails" 'presented as newer is older' \
    verify "$TMP/t" --key "$E1/log.pub" --since "$E2/checkpoint"
cp "$TMP/never/never.der" "$TMP/issued/"
fails "--certs with a certificate the token never signed: fails, names it" 'never\.der .*in no accepted-issuance entry' \
    verify "$E2" --key "$E1/log.pub" --certs "$TMP/issued"
rm -f "$TMP/issued/never.der"
mkdir -p "$TMP/shadow"
cp "$TMP/tbs1.der.shadow.der" "$TMP/shadow/shadow.der"
fails "--certs with the shadow CA's certificate over an issued TBS (other signature): fails" \
    'shadow\.der .*in no accepted-issuance entry' verify "$E2" --key "$E1/log.pub" --certs "$TMP/shadow"
openssl ecparam -name prime256v1 -genkey -noout -out "$TMP/other.key" 2>/dev/null
openssl pkey -in "$TMP/other.key" -pubout -out "$TMP/other.pub" 2>/dev/null
fails "verify with another key: fails (no signature by that key)" 'no signature by the given key' \
    verify "$E2" --key "$TMP/other.pub"
json_fail() {
    tamper
    edit swap "$TMP/t/$B" 2
    verify "$TMP/t" --key "$E1/log.pub" --format json | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["result"] == "failed" and d["failure"]["entry"] == 2 and d["failure"]["file"].startswith("tile/entries/"), d'
}
check "--format json on failure: result failed, failure.entry 2, failure.file the bundle" json_fail

# --- more than one tile: 256+ entries, level 1; then truncation ---------------------------------
E3=$TMP/export3 E4=$TMP/export4
check "270 more inline issuances (one link connection)" tok sign $PIN "${EC:-0}" "$TMP/tbs1.der" 270 "$TMP/tbs1.der.ev"
check "third export" sg audit export "$E3" --pin $PIN
N3=$(sed -n 2p "$E3/checkpoint" 2>/dev/null)
N3=${N3:-0}
W3=$((N3 % 256))
layout3() {
    local want got
    want=$(printf '%s\n' checkpoint log.pub log.vkey tile/0/000 "tile/0/001.p/$W3" tile/1/000.p/1 \
        tile/entries/000 "tile/entries/001.p/$W3" | sort)
    got=$(cd "$E3" && find . -type f | sed 's|^\./||' | sort)
    [ "$want" = "$got" ] || { echo "want: $want / got: $got"; return 1; }
}
check "layout of $N3 entries: full tile/0/000 and tile/entries/000, partials .p/$W3, tile/1/000.p/1" layout3
check "verify --since the second checkpoint: $N3 entries, every tile, consistent" \
    verify "$E3" --key "$E1/log.pub" --since "$E2/checkpoint" --certs "$TMP/issued"
check "the hashlib-only tree agrees with every tile of the $N3-entry export" python3 "$TMP/tiles.py" "$E3" "$VEC"
check "OpenSSL verifies the third checkpoint" openssl_sig "$E3"
cons3() {
    sg audit proof --consistency "$E1/checkpoint" "$E3/checkpoint" "$E3" --key "$E1/log.pub" >"$TMP/p.txt" &&
        grep -q '^consistency: OK' "$TMP/p.txt"
}
check "proof --consistency first -> third (across the tile boundary)" cons3
tamper3() { rm -rf "$TMP/t" && cp -a "$E3" "$TMP/t"; }
tamper3
edit flip "$TMP/t/tile/1/000.p/1" 17
fails "flipped byte in the level-1 tile tile/1/000.p/1: fails, names it" \
    'hash tile tile/1/000.p/1: hash 0 \(entries 0\.\.255\)' verify "$TMP/t" --key "$E1/log.pub"
tamper3
B3=tile/entries/001.p/$W3
edit flip "$TMP/t/$B3" $(($(edit entry_off "$TMP/t/$B3" 5) + 120))
fails "flipped byte in entry 261 (second bundle): fails, names entry 261" "entry 261 \($B3, position 5\)" \
    verify "$TMP/t" --key "$E1/log.pub"
fails "audit ack with a wrong SO PIN: refused, nothing freed" 'PIN incorrect' sg audit ack "$E3" --so-pin 87654321
ack() {
    sg audit ack "$E3" --so-pin $SO_PIN >"$TMP/ack.txt" && cat "$TMP/ack.txt" >&2 &&
        grep -q "entries below $N3 freed" "$TMP/ack.txt"
}
check "audit ack of the third export's checkpoint (SO): the token frees entries 0..$((N3 - 1))" ack
check "one more inline issuance after the truncation" issue 6
fails "export after the truncation without the earlier export: refused, asks for --prev" 'give that export with --prev' \
    sg audit export "$E4" --pin $PIN
check "export --prev the acknowledged export: the freed entries come from it, the tree matches the new checkpoint" \
    sg audit export "$E4" --pin $PIN --prev "$E3"
check "verify the export across the truncation --since the third checkpoint (the log-ack entry's root checked)" \
    verify "$E4" --key "$E1/log.pub" --since "$E3/checkpoint" --certs "$TMP/issued"
grep_ack() { verify "$E4" --key "$E1/log.pub" | grep -q 'log-ack 1'; }
check "the summary counts the acknowledgement" grep_ack
tamper3
edit flip "$TMP/t/tile/entries/000" $(($(edit entry_off "$TMP/t/tile/entries/000" 3) + 170))
fails "export --prev an altered earlier export: refused, nothing written" 'do not give the root' \
    sg audit export "$TMP/e5" --prev "$TMP/t"
check "  ... and no checkpoint was written" test ! -e "$TMP/e5/checkpoint"

# --- security-state events (issue 16): SET_TIME, PIN change; a clock set backwards is flagged -------
E6=$TMP/export6
NOW=$(date +%s)
check "set-time forward (SO)" sg token set-time --time $((NOW + 3600)) --so-pin $SO_PIN
check "set-time back by a day (SO)" sg token set-time --time $((NOW - 86400)) --so-pin $SO_PIN
check "user PIN changed (C_SetPIN through pkcs11-tool)" env LD_PRELOAD=$PRELOAD pkcs11-tool --module "$MOD" --login --pin $PIN --change-pin --new-pin $PIN
check "export after the clock changes (the earlier acknowledged export given with --prev)" sg audit export "$E6" --pin $PIN --prev "$E4"
verify "$E6" --key "$E1/log.pub" >"$TMP/v6.txt" 2>&1; cat "$TMP/v6.txt" >&2
verify "$E6" --key "$E1/log.pub" --format json >"$TMP/v6.json" 2>&1
clock_json() {
    python3 - "$TMP/v6.json" $NOW <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); now = int(sys.argv[2])
f = d["clock_findings"]; ev = d["summary"]["events"] if "events" in d["summary"] else d["summary"]
back = [x for x in f if x["kind"] == "clock-set-backwards"]
assert d["result"] == "ok", d
assert len(back) == 1 and back[0]["to"] == now - 86400 and back[0]["from"] >= now + 3600, f
PY
}
check "verify --format json: the backward SET_TIME is flagged with its old and new time, the forward one not" clock_json
check "verify text: the backward clock set is flagged" grep -q "clock: FLAGGED .*clock-set-backwards" "$TMP/v6.txt"
check "the summary counts two set-time entries and a pin-change" \
    sh -c "grep -qE 'set-time +2' '$TMP/v6.txt' && grep -qE 'pin-change +1' '$TMP/v6.txt'"

# --- a log written by someone else (Python, cryptography) -------------------------------------------
synth() {
    python3 "$VEC/mk_synthetic.py" "$TMP/syn" "$TMP/syncerts" --entries 300 --old 100 &&
        verify "$TMP/syn" --key "$TMP/syn/log.vkey" --since "$TMP/syn.cp/100" --certs "$TMP/syncerts"
}
check "a 300-entry log written by mk_synthetic.py (full tile, partial tiles, level 1) verifies" synth
rm -rf "$TMP/t" && cp -a "$TMP/syn" "$TMP/t" && edit flip "$TMP/t/tile/1/000.p/1" 9
fails "... and a flipped byte in its level-1 tile fails, naming tile/1/000.p/1" 'hash tile tile/1/000.p/1' \
    verify "$TMP/t" --key "$TMP/syn/log.pub"

kill "$TOKEN_PID" 2>/dev/null && wait "$TOKEN_PID" 2>/dev/null
TOKEN_PID=
exit $failed
