#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Integration test of `sbrguard evidence make|show` and `sbrguard lint
# --evidence` with validation-authority keys made by openssl (EC P-256,
# P-384, RSA-2048 with PKCS#1 v1.5 and PSS) on the corpus's valid
# certificates: the happy path of each method and key, one defect per make
# option with the exact reason codes lint reports, tampering, truncation,
# the text and JSON forms of show, and exit codes.
#
# Uses ${BIN:-build/host}/sbrguard (BIN=build/asan for the ASan+UBSan build).
# Output: one "ok - ..." / "not ok - ..." line per check.
set -u

. "$(dirname "${BASH_SOURCE[0]}")/lib/bin.sh"
V=$ROOT/test/vectors/smime
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}

fail=0
ok() { echo "ok - $*"; }
notok() {
    echo "not ok - $*"
    fail=1
}
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

if [ ! -x "$SG" ]; then
    notok "sbrguard ($SG) is built"
    exit 1
fi

# VA keys and another subscriber key, by openssl.
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$W/va256.pem" 2>/dev/null &&
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$W/va384.pem" 2>/dev/null &&
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$W/varsa.pem" 2>/dev/null &&
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$W/other.pem" 2>/dev/null &&
    openssl pkey -in "$W/va256.pem" -pubout -out "$W/va256.pub" 2>/dev/null &&
    openssl pkey -in "$W/other.pem" -pubout -out "$W/other.pub" 2>/dev/null
if [ $? -ne 0 ]; then
    notok "openssl makes the VA keys"
    exit 1
fi
ok "openssl made EC P-256, P-384 and RSA-2048 VA keys"

NOW=2025-10-01T00:00:00Z
SPONSOR=$V/valid-sponsor-strict-ec.der
MAILBOX=$V/valid-mailbox-strict-ec.der

# codes CERT EVIDENCE [lint options]: "accept" or the sorted finding codes.
codes() {
    local cert=$1 ev=$2
    shift 2
    "$SG" lint --now "$NOW" --format json --evidence "$ev" --va-key "$W/va256.pub" --caa-domain ca.example "$@" \
        "$cert" 2>"$W/lint.err" | python3 -c '
import json, sys
try:
    r = json.load(sys.stdin)[0]
except Exception as e:
    print("(no JSON: %s)" % e); sys.exit(0)
c = sorted(f["code"] for f in r["findings"])
print(",".join(c) if c else ("accept" if r["verdict"] == "accept" else "(refused without codes)"))'
}

# case WHAT CERT WANT make-options...: makes evidence (P-256 VA), lints it.
case_() {
    local what=$1 cert=$2 want=$3 got
    shift 3
    # The case's own options first: the first --at counts.
    if ! "$SG" evidence make "$@" --va-key "$W/va256.pem" --in "$cert" --out "$W/ev.der" --at "$NOW" 2>"$W/make.err"; then
        notok "$what: evidence make failed: $(cat "$W/make.err")"
        return
    fi
    got=$(codes "$cert" "$W/ev.der")
    if [ "$got" = "$want" ]; then ok "$what: $want"; else notok "$what: expected $want, got $got"; fi
}

# --- happy paths --------------------------------------------------------------
for m in domain email mail-server acme; do
    for c in valid-mailbox-strict-ec valid-organization-multipurpose-rsa valid-sponsor-strict-ec valid-individual-multipurpose-rsa; do
        case_ "method $m on $c" "$V/$c.der" accept --method "$m"
    done
done
for k in va384 varsa; do
    for pss in "" --pss; do
        [ "$k" = va384 ] && [ -n "$pss" ] && continue
        "$SG" evidence make --va-key "$W/$k.pem" $pss --in "$SPONSOR" --out "$W/ev-$k.der" --at "$NOW" 2>/dev/null
        got=$(codes "$SPONSOR" "$W/ev-$k.der" --va-key "$W/$k.pem")
        [ "$got" = accept ] && ok "VA key $k ${pss:-(default padding)}: accept" || notok "VA key $k $pss: got $got"
    done
done
case_ "certificate (DER)" "$MAILBOX" accept
openssl x509 -inform der -in "$MAILBOX" -out "$W/cert.pem" 2>/dev/null
case_ "PEM input" "$W/cert.pem" accept
case_ "TBS bound by its hash too (--bind-tbs)" "$MAILBOX" accept --bind-tbs
case_ "issuemail naming the CA (ca.example)" "$MAILBOX" accept --caa-issuer CA.example

# --- one defect per option ----------------------------------------------------
case_ "mailbox record dropped" "$MAILBOX" sbr.3.2.2.evidence.mailbox-missing --drop alice@example.com
case_ "unknown method 3225" "$MAILBOX" sbr.3.2.2.evidence.method-unknown --method 3225
case_ "retired TLS BR method 3.2.2.4.6" "$MAILBOX" sbr.3.2.2.1.evidence.tls-method --method domain --tls-method 6
case_ "3.2.2.1 validated 398 days ago" "$MAILBOX" accept --method domain --validated-at -398d
case_ "3.2.2.1 validated 398 days and 1 s ago" "$MAILBOX" sbr.4.2.1.evidence.mailbox-stale --method domain --validated-at -398d-1s
case_ "3.2.2.2 started 30 days and 1 s ago" "$MAILBOX" sbr.4.2.1.evidence.mailbox-stale \
    --rv-created -30d-1s --rv-used -30d --validated-at -30d
case_ "3.2.2.2 without Random Value" "$MAILBOX" sbr.3.2.2.2.evidence.random-value-missing --no-random-value
case_ "Random Value used after 24 h 1 s" "$MAILBOX" sbr.3.2.2.2.evidence.random-value-expired --rv-created -24h-1h-1s --rv-used -1h
case_ "Random Value of 111 bits" "$MAILBOX" sbr.3.2.2.2.evidence.random-value-entropy --entropy 111
case_ "ACME token-part1 of 127 bits" "$MAILBOX" sbr.3.2.2.4.evidence.token-entropy --method acme --entropy 127
case_ "ACME Random Value used after 24 h 1 s" "$MAILBOX" sbr.3.2.2.4.evidence.random-value-expired --method acme \
    --rv-created -25h-1s --rv-used -1h
case_ "no CAA check" "$MAILBOX" sbr.4.2.2.1.evidence.caa-missing --no-caa
case_ "issuemail naming another CA" "$MAILBOX" sbr.4.2.2.1.evidence.caa-forbidden --caa-issuer other-ca.example
case_ "CAA checked 8 h ago (TTL 1 h)" "$MAILBOX" accept --caa-checked-at -8h
case_ "CAA checked 8 h 1 s ago (TTL 1 h)" "$MAILBOX" sbr.4.2.2.1.evidence.caa-stale --caa-checked-at -8h-1s
case_ "CAA checked 1 day 1 s ago (TTL 1 day)" "$MAILBOX" sbr.4.2.2.1.evidence.caa-stale --caa-checked-at -1d-1s --caa-ttl 86400
case_ "3.2.2.1 without MPIC" "$MAILBOX" sbr.4.2.2.2.evidence.mpic-missing --method domain --no-mpic
case_ "MPIC 5 remote, 3 corroborating" "$MAILBOX" sbr.4.2.2.2.evidence.mpic-quorum --method domain --perspectives 5 --corroborated 3
case_ "MPIC 1 remote perspective" "$MAILBOX" sbr.4.2.2.2.evidence.mpic-perspectives --method domain --perspectives 1 --rirs 1
NOW=2026-04-01T00:00:00Z case_ "MPIC in 2026-04: 3 remote in 1 RIR" "$MAILBOX" sbr.4.2.2.2.evidence.mpic-rirs --method domain \
    --perspectives 3 --rirs 1
case_ "MPIC 398 days 1 s old" "$MAILBOX" sbr.4.2.2.2.evidence.mpic-stale --method domain --mpic-at -398d-1s
case_ "organizationName record dropped" "$SPONSOR" sbr.3.2.3.evidence.organization-missing --drop O
case_ "givenName record dropped" "$SPONSOR" sbr.3.2.4.evidence.individual-missing --drop GN
case_ "authority record dropped" "$SPONSOR" sbr.3.2.6.evidence.authority-missing --drop authority
case_ "identity validated 825 days 1 s ago" "$SPONSOR" \
    sbr.4.2.1.evidence.authority-stale,sbr.4.2.1.evidence.individual-stale,sbr.4.2.1.evidence.organization-stale \
    --identity-validated-at -825d-1s
case_ "bound to another subscriber key" "$MAILBOX" sbr.3.2.evidence.other-key --bind-key "$W/other.pub"
case_ "format version 2" "$MAILBOX" sbrguard.evidence.version --format-version 2
case_ "produced one second after the clock" "$MAILBOX" sbr.4.2.1.evidence.future --at 2025-10-01T00:00:01Z \
    --validated-at -2h --rv-created -3h --rv-used -2h --caa-checked-at -2h

# Bound to one TBS, presented with another of the same subscriber key.
"$SG" evidence make --va-key "$W/va256.pem" --in "$MAILBOX" --out "$W/ev.der" --at "$NOW" --bind-tbs 2>/dev/null
got=$(codes "$V/ok-mailbox-plus-tag.der" "$W/ev.der")
[ "$got" = sbr.3.2.evidence.other-tbs ] && ok "evidence bound to another TBS of the same key: $got" ||
    notok "other TBS: got $got"

# --- authenticity -------------------------------------------------------------
"$SG" evidence make --va-key "$W/va256.pem" --in "$MAILBOX" --out "$W/ev.der" --at "$NOW" 2>/dev/null
got=$(codes "$MAILBOX" "$W/ev.der" --va-key "$W/va384.pem")
[ "$got" = accept ] && ok "two trusted VA keys, the right one among them: accept" || notok "two VA keys: $got"
got=$("$SG" lint --now "$NOW" --format json --evidence "$W/ev.der" --va-key "$W/va384.pem" "$MAILBOX" |
    python3 -c 'import json,sys; print(",".join(f["code"] for f in json.load(sys.stdin)[0]["findings"]))')
[ "$got" = sbr.3.2.2.evidence.va-untrusted ] && ok "VA key not trusted by lint: $got" || notok "untrusted VA: $got"
python3 - "$W/ev.der" "$W/tampered.der" <<'EOF'
import sys
d = bytearray(open(sys.argv[1], "rb").read())
i = d.find(b"alice@")
d[i] = ord("b")
open(sys.argv[2], "wb").write(d)
EOF
got=$(codes "$MAILBOX" "$W/tampered.der")
[ "$got" = sbr.3.2.2.evidence.signature ] && ok "mailbox changed after signing: $got" || notok "tampered: $got"
: > "$W/empty.der"
got=$(codes "$MAILBOX" "$W/empty.der")
[ "$got" = sbr.3.2.evidence.absent ] && ok "empty evidence file: $got" || notok "empty evidence: $got"
head -c 100 "$W/ev.der" > "$W/trunc.der"
got=$(codes "$MAILBOX" "$W/trunc.der")
[ "$got" = sbrguard.evidence.malformed ] && ok "truncated evidence: $got" || notok "truncated: $got"

# --- show ---------------------------------------------------------------------
"$SG" evidence make --va-key "$W/va256.pem" --in "$SPONSOR" --out "$W/ev.der" --at "$NOW" --method domain \
    --caa-issuer ca.example --bind-tbs 2>/dev/null
if "$SG" evidence show --json "$W/ev.der" | python3 -c '
import json, sys
e = json.load(sys.stdin)
m = e["mailboxes"][0]
assert e["version"] == 1 and len(e["va_key_id"]) == 64 and "tbs_hash" in e, e
assert e["signature_algorithm"] == "ecdsa-with-SHA256"
assert m["mailbox"] == "alice.liddell@example.com" and m["method"] == "3.2.2.1" and m["tls_br_method"] == "3.2.2.4.7"
assert m["caa"]["issuemail"] == ["ca.example"] and m["mpic"]["remote_perspectives"] == 6, m
names = sorted((i.get("name"), i["method"]) for i in e["identities"])
assert ("O", "3.2.6") in names and ("GN", "3.2.4") in names and ("O", "3.2.3") in names, names
' 2>"$W/py.err"; then
    ok "show --json: version, key id, TBS hash, method 3.2.2.1 via 3.2.2.4.7, CAA, MPIC, identities with sections"
else
    notok "show --json: $(cat "$W/py.err")"
fi
out=$("$SG" evidence show "$W/ev.der")
grep -q "mailbox: alice.liddell@example.com" <<<"$out" && grep -q "tls_br_method: 3.2.2.4.7" <<<"$out" &&
    grep -q "method: 3.2.6" <<<"$out" && ok "show (text): one field per line" || notok "show text: $out"
"$SG" evidence show "$W/trunc.der" >/dev/null 2>&1
[ $? -eq 1 ] && ok "show of truncated evidence: exit 1" || notok "show truncated: exit not 1"

# --- text output and exit codes -----------------------------------------------
"$SG" evidence make --va-key "$W/va256.pem" --in "$MAILBOX" --out "$W/ev.der" --at "$NOW" --no-caa 2>/dev/null
out=$("$SG" lint --now "$NOW" --evidence "$W/ev.der" --va-key "$W/va256.pub" "$MAILBOX")
rc=$?
[ $rc -eq 1 ] && grep -q "sbr.4.2.2.1.evidence.caa-missing \[SBR 4.2.2.1\]" <<<"$out" &&
    ok "lint text: refused (exit 1), finding with its SBR section" || notok "lint text: rc=$rc $out"
"$SG" lint --evidence "$W/ev.der" "$MAILBOX" >/dev/null 2>&1
[ $? -eq 2 ] && ok "--evidence without --va-key: exit 2" || notok "--evidence without --va-key"
"$SG" lint --va-key "$W/va256.pub" "$MAILBOX" >/dev/null 2>&1
[ $? -eq 2 ] && ok "--va-key without --evidence: exit 2" || notok "--va-key without --evidence"
"$SG" evidence make --va-key "$W/va256.pub" --in "$MAILBOX" --out "$W/x.der" >/dev/null 2>&1
[ $? -eq 2 ] && ok "make with a public key as VA key: exit 2" || notok "make with a public key"
"$SG" evidence make --va-key "$W/va256.pem" --in "$MAILBOX" --out "$W/x.der" --drop nobody@example.com >/dev/null 2>&1
[ $? -eq 2 ] && ok "make --drop of a record that is not there: exit 2" || notok "--drop unknown"
"$SG" lint --rules | grep -q "^sbr.4.2.2.2.evidence.mpic-quorum" && ok "lint --rules lists the evidence rows" ||
    notok "lint --rules without evidence rows"

# Batched evidence (docs/evidence.md "Batched evidence"): 16 inputs (TBSs
# of the corpus and a single-form evidence), one VA signature.
mkdir -p "$W/batch"
ins=()
for c in valid-mailbox-strict-ec valid-sponsor-strict-ec valid-organization-strict-ec; do
    for _ in 1 2 3 4 5; do ins+=(--in "$V/$c.der"); done
done
"$SG" evidence make --va-key "$W/va256.pem" --in "$MAILBOX" --out "$W/single.der" --at "$NOW" 2>/dev/null
ins+=(--in "$W/single.der")
if "$SG" evidence make --batch --va-key "$W/va256.pem" "${ins[@]}" --out-dir "$W/batch" --at "$NOW" 2>"$W/make.err" &&
    [ -s "$W/batch/15.der" ]; then
    ok "evidence make --batch: 16 records under one root ($(tail -1 "$W/make.err" | cut -c1-60)...)"
else
    notok "evidence make --batch: $(cat "$W/make.err")"
fi
all=1
for i in 0 4 15; do [ "$(codes "$MAILBOX" "$W/batch/$i.der")" = accept ] || all=0; done
for i in 5 9; do [ "$(codes "$SPONSOR" "$W/batch/$i.der")" = accept ] || all=0; done
[ $all = 1 ] && ok "lint --evidence accepts batched records 0, 4, 5, 9, 15 for their certificates" ||
    notok "batched records not accepted"
got=$(codes "$SPONSOR" "$W/batch/0.der")
grep -q sbr.3.2.2.evidence.mailbox-missing <<<"$got" && ok "a batched record for another certificate: refused ($got)" ||
    notok "other record: $got"
"$SG" evidence show --json "$W/batch/15.der" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["batch"]["leaf_index"] == 15 and d["batch"]["tree_size"] == 16 and d["batch"]["path_hashes"] == 4
assert d["mailboxes"]' && ok "evidence show: batch (leaf 15 of 16, 4 path hashes) and the record" || notok "show of a batch"
got=$(codes "$MAILBOX" "$W/batch/0.der" --va-key "$W/va384.pem")
[ "$got" = accept ] && ok "two VA keys, the batch's among them: accept" || notok "two keys: $got"
"$SG" lint --now "$NOW" --format json --evidence "$W/batch/0.der" --va-key "$W/va384.pem" "$MAILBOX" >"$W/l.json"
grep -q sbr.3.2.2.evidence.batch-va-untrusted "$W/l.json" && ok "root of a VA lint does not trust: batch-va-untrusted" ||
    notok "untrusted batch root: $(cat "$W/l.json")"
"$SG" evidence make --batch --va-key "$W/va256.pem" --in "$MAILBOX" --in "$MAILBOX" --out-dir "$W/batch" --at "$NOW" \
    --signed-at -25h 2>/dev/null
got=$(codes "$MAILBOX" "$W/batch/1.der")
[ "$got" = sbrguard.evidence.batch-stale ] && ok "root signed 25 h before the clock: $got" || notok "stale root: $got"
"$SG" evidence make --batch --va-key "$W/va256.pem" --in "$MAILBOX" --in "$MAILBOX" --out-dir "$W/batch" --at "$NOW" 2>/dev/null
python3 -c '
import sys
b = bytearray(open(sys.argv[1], "rb").read())
def tlv(i):  # (start of value, end) of the TLV at i
    n = b[i + 1]
    if n < 0x80:
        return i + 2, i + 2 + n
    k = n & 0x7F
    return i + 2 + k, i + 2 + k + int.from_bytes(b[i + 2:i + 2 + k], "big")
i, _ = tlv(0)           # BatchedEvidence contents
i = tlv(i)[1]           # past version
i = tlv(i)[1]           # past the record
i = tlv(i)[1]           # past leafIndex
i, _ = tlv(i)           # into the path
b[tlv(i)[0] + 5] ^= 1   # a byte of its one hash
open(sys.argv[1], "wb").write(b)' "$W/batch/1.der"
got=$(codes "$MAILBOX" "$W/batch/1.der")
[ "$got" = sbr.3.2.2.evidence.batch-proof ] && ok "a path byte flipped: $got" || notok "flipped path: $got"

exit $fail
