#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# sbrguard audit report (issue 16): a sim token issues and refuses, its log is
# exported; the report's figures equal `audit verify --format json`'s for the
# same log (JSON, and the numbers in the HTML); --period and --since narrow
# the scope; CSV and JSON parse; a tampered log gets no report; two tokens'
# exports give one report with a section each; certificates given with
# --certs are found in the log or flagged. The HTML is self-contained (no
# script, nothing fetched). The rendering in a real browser is
# report_browser.sh.
#
# BIN (default build/host; build/asan for the ASan+UBSan build). Output: one
# line per check, "ok - what" or "not ok - what"; details go to stderr.
set -u
source "$(dirname "$0")/lib/preamble.sh"

# fails WHAT CODE PATTERN CMD...: CMD exits CODE and its output matches PATTERN.
fails() {
    local what=$1 code=$2 pat=$3
    shift 3
    "$@" >"$TMP/out" 2>&1
    local rc=$?
    cat "$TMP/out" >&2
    if [ $rc -eq "$code" ] && grep -qE -- "$pat" "$TMP/out"; then ok "$what"; else notok "$what (exit $rc)"; fi
}

# --- a CA on the token (as audit.sh) ------------------------------------------------------
token_start
check "token starts" test -S "$TMP/token.sock"
check "init token" sg_init --label report --so-pin $SO_PIN --pin $PIN
sg keygen --type ec-p256 --label ca --id c1 --pubout "$TMP/ca.pub.pem" --pin $PIN >"$TMP/out" 2>&1
EC=$(sed -n 's/.*handle \([0-9]*\).*/\1/p' "$TMP/out" | head -1)
CA_SUBJ="/O=sbrguard tests/CN=sbrguard Report CA"
check "CA key ${EC:-?} with its CA certificate" mk_ca Report
check "policy bundle loaded" policy_load_for "$TMP/ca.pub.pem"
openssl ecparam -name prime256v1 -genkey -noout -out "$TMP/ee.key" 2>/dev/null
openssl req -new -key "$TMP/ee.key" -subj "/CN=alice@example.com" -out "$TMP/ee.csr" 2>/dev/null
ext_conf() { # OUT EKU
    printf '%s\n' "certificatePolicies=2.23.140.1.5.1.3" "crlDistributionPoints=URI:http://crl.example.com/ca.crl" \
        "authorityInfoAccess=caIssuers;URI:http://ca.example.com/ca.crt,OCSP;URI:http://ocsp.example.com" \
        "keyUsage=critical,digitalSignature" "extendedKeyUsage=$2" "authorityKeyIdentifier=keyid" \
        "subjectKeyIdentifier=hash" "subjectAltName=email:alice@example.com" >"$1"
}
ext_conf "$TMP/good.cnf" emailProtection
ext_conf "$TMP/eku.cnf" emailProtection,serverAuth
SKI=$(openssl x509 -in "$TMP/ca.pem" -noout -ext subjectKeyIdentifier 2>/dev/null | tail -1 | tr -d ' :')
openssl ecparam -name prime256v1 -genkey -noout -out "$TMP/shadow.key" 2>/dev/null
openssl req -new -x509 -key "$TMP/shadow.key" -subj "$CA_SUBJ" -days 30 -addext "subjectKeyIdentifier=$SKI" \
    -addext "basicConstraints=critical,CA:TRUE" -out "$TMP/shadow.pem" 2>/dev/null
mk_tbs() { # OUT EXTFILE
    openssl x509 -req -in "$TMP/ee.csr" -CA "$TMP/shadow.pem" -CAkey "$TMP/shadow.key" \
        -set_serial "0x$(openssl rand -hex 16)" -days 365 -extfile "$2" -sha256 -outform DER -out "$1.shadow.der" 2>/dev/null &&
        openssl asn1parse -inform DER -in "$1.shadow.der" -strparse 4 -noout -out "$1"
}
mkdir -p "$TMP/issued"
issue() { # N
    mk_tbs "$TMP/tbs$1.der" "$TMP/good.cnf" &&
        sg sign --key "${EC:-0}" --mech ecdsa-sha256 --in "$TMP/tbs$1.der" --out "$TMP/sig$1" --evidence "$(ev "$TMP/tbs$1.der")" --pin $PIN &&
        sg cert assemble --tbs "$TMP/tbs$1.der" --sig "$TMP/sig$1" --format der --out "$TMP/issued/cert$1.der"
}
refuse() { # N: a TBS with serverAuth, refused
    mk_tbs "$TMP/bad$1.der" "$TMP/eku.cnf" &&
        ! sg sign --key "${EC:-0}" --mech ecdsa-sha256 --in "$TMP/bad$1.der" --out "$TMP/badsig" --evidence "$(ev "$TMP/bad$1.der")" --pin $PIN
}
check "two certificates issued" eval 'issue 1 && issue 2'
batched() { # one issuance with batched evidence (docs/evidence.md): its entry carries the VA tree's root
    mk_tbs "$TMP/tbsb.der" "$TMP/good.cnf" && mk_tbs "$TMP/tbsc.der" "$TMP/good.cnf" && va_key &&
        mkdir -p "$TMP/evs" && sg evidence make --batch --va-key "$VA_KEY" --in "$TMP/tbsb.der" --in "$TMP/tbsc.der" --out-dir "$TMP/evs" &&
        sg sign --key "${EC:-0}" --mech ecdsa-sha256 --in "$TMP/tbsb.der" --out "$TMP/sigb" --evidence "$TMP/evs/0.der" --pin $PIN &&
        sg cert assemble --tbs "$TMP/tbsb.der" --sig "$TMP/sigb" --format der --out "$TMP/issued/certb.der"
}
check "one more with batched evidence" batched
E1=$TMP/e1
check "first export" sg audit export "$E1" --pin $PIN
# The period boundary: whole seconds of token time (the sim clock is the host's).
sleep 1.2
B=$(date +%s)
sleep 1.2
check "after the boundary: one more issued, two refused" eval 'issue 3 && refuse 1 && refuse 2'
E2=$TMP/e2
check "second export" sg audit export "$E2" --pin $PIN

# --- figures: report JSON = verify JSON ---------------------------------------------------------
sg audit verify "$E2" --key "$E2/log.pub" --format json >"$TMP/v.json" 2>/dev/null
check "audit report --format json" sg audit report "$E2" --format json --out "$TMP/r.json"
same_figures() {
    python3 - "$TMP/v.json" "$TMP/r.json" <<'PY'
import json, sys
v, r = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
s, t = v["summary"], r["tokens"][0]
assert v["result"] == "ok" and t["verification"]["result"] == "ok", (v, t)
assert t["verification"]["checkpoint"]["size"] == v["checkpoint"]["size"] == s["entries"] == t["entries_in_scope"], t
assert t["verification"]["checkpoint"]["root"] == v["checkpoint"]["root"], t
assert t["accepted"] == s["accepted"] == 4 and t["refused"] == s["refused"] == 2, (t, s)
assert t["preauthorized"] == s["preauthorized"], t
assert {x["code"]: x["count"] for x in t["by_reason"]} == s["refused_by_reason"], (t["by_reason"], s)
assert all(x["section"] == "SBR 7.1.2.3(f)" for x in t["by_reason"] if x["code"] == "sbr.7.1.2.3.eku.prohibited"), t
assert sum(k["accepted"] for k in t["by_ca_key"]) == 4 and sum(k["refused"] for k in t["by_ca_key"]) == 2, t
assert len(t["policy_history"]) == 2 and t["policy_history"][0]["sha256"] is None, t["policy_history"]
assert t["policy_history"][1]["version"] == 1, t["policy_history"]
ev = [e["event"] for e in t["key_events"]]
assert ev.count("key-gen") == 1 and ev.count("ca-bind") == 1, ev
PY
}
check "report JSON: tree size, root, accepted 4, refused 2, per reason (with SBR 7.1.2.3(f)), per CA key = verify JSON" same_figures

# --- HTML: self-contained, and its numbers are verify's ---------------------------------------------
check "audit report --out report.html (--certs)" sg audit report "$E2" --certs "$TMP/issued" --out "$TMP/report.html"
cat >"$TMP/check_html.py" <<'PY'
import html.parser, json, sys
class P(html.parser.HTMLParser):
    def __init__(s):
        super().__init__(); s.ids, s.cur, s.tags, s.attrs = {}, None, set(), []
    def handle_starttag(s, t, a):
        s.tags.add(t); s.attrs += a
        d = dict(a)
        if "id" in d: s.cur = d["id"]; s.ids[s.cur] = ""
    def handle_data(s, d):
        if s.cur: s.ids[s.cur] += d
    def handle_endtag(s, t):
        s.cur = None
p = P(); p.feed(open(sys.argv[1]).read())
v = json.load(open(sys.argv[2])); s = v["summary"]
assert "script" not in p.tags and "link" not in p.tags and "img" not in p.tags and "iframe" not in p.tags, p.tags
for k, val in p.attrs:
    assert k not in ("src", "srcset", "action"), (k, val)
    assert not (k == "href" and not val.startswith("#")), (k, val)
    assert not (val or "").lower().startswith("javascript:"), val
assert int(p.ids["t0-accepted"]) == s["accepted"], p.ids
assert int(p.ids["t0-refused"]) == s["refused"], p.ids
assert int(p.ids["t0-tree-size"]) == v["checkpoint"]["size"], p.ids
assert int(p.ids["t0-in-scope"]) == s["entries"], p.ids
assert "svg" in p.tags and "style" in p.tags, p.tags
PY
check "HTML: no script, link, image or external reference; accepted, refused, tree size = verify's" \
    python3 "$TMP/check_html.py" "$TMP/report.html" "$TMP/v.json"
check "HTML: the reason in words with its section (SBR 7.1.2.3(f)) and the timeline as inline SVG" \
    sh -c "grep -q 'SBR 7.1.2.3(f)' '$TMP/report.html' && grep -q '<svg xmlns=\"http://www.w3.org/2000/svg\"' '$TMP/report.html'"
check "HTML: the four issued certificates are each shown as included" \
    test "$(grep -o ">included</span>" "$TMP/report.html" | wc -l)" -eq 4

# --- --period, --since -------------------------------------------------------------------------------
period_json() { # ARGS... then python checks on stdin
    sg audit report "$E2" --format json "$@"
}
after() {
    period_json --period "$B.." | python3 -c '
import json, sys
t = json.load(sys.stdin)["tokens"][0]
assert t["accepted"] == 1 and t["refused"] == 2, t'
}
check "--period FROM.. (after the boundary): 1 accepted, 2 refused" after
before() {
    period_json --period "..$B" | python3 -c '
import json, sys
t = json.load(sys.stdin)["tokens"][0]
assert t["accepted"] == 3 and t["refused"] == 0 and t["by_reason"] == [], t'
}
check "--period ..TO (before the boundary): 3 accepted, 0 refused" before
iso=$(date -u -d "@$B" +%Y-%m-%dT%H:%M:%SZ)
check "--period with ISO times gives the same as seconds" \
    sh -c "[ \"\$('$SG' audit report '$E2' --format json --period '$iso..' | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"tokens\"][0][\"accepted\"])')\" = 1 ]"
fails "--period with the end before the start: usage error" 2 'not after the start' \
    sg audit report "$E2" --period "$B..$((B - 10))"
since() {
    local n1
    n1=$(sed -n 2p "$E1/checkpoint")
    sg audit report "$E2" --since "$E1/checkpoint" --format json | python3 -c '
import json, sys
t = json.load(sys.stdin)["tokens"][0]
n1, n2 = int(sys.argv[1]), t["verification"]["checkpoint"]["size"]
assert t["verification"]["since"]["size"] == n1 and t["entries_in_scope"] == n2 - n1, (t, n1)
assert t["accepted"] == 1 and t["refused"] == 2, t' "$n1"
}
check "--since the first checkpoint: only the entries after it (consistency proof verified)" since

# --- gaps in time (issue 16): flagged by verify and shown by the report --------------------------------
gap() {
    sg audit verify "$E2" --key "$E2/log.pub" --format json --max-gap 1 | python3 -c '
import json, sys
f = [x for x in json.load(sys.stdin)["clock_findings"] if x["kind"] == "time-gap"]
assert len(f) >= 1 and all(x["to"] - x["from"] > 1 for x in f), f' &&
        sg audit verify "$E2" --key "$E2/log.pub" --max-gap 1 | grep -q "clock: FLAGGED .*time-gap" &&
        sg audit verify "$E2" --key "$E2/log.pub" --format json | python3 -c '
import json, sys
assert not [x for x in json.load(sys.stdin)["clock_findings"] if x["kind"] == "time-gap"]' &&
        sg audit report "$E2" --max-gap 1 --format json | python3 -c '
import json, sys
t = json.load(sys.stdin)["tokens"][0]
assert any(e.get("finding") == "time-gap" for e in t["state_events"]), t["state_events"]'
}
check "a gap in time: verify --max-gap 1 flags the 2 s pause (text and JSON), the default 7 days does not; the report lists it" gap
fails "--max-gap with a bad duration: usage error" 2 'max-gap' sg audit verify "$E2" --key "$E2/log.pub" --max-gap 5x

# --- CSV ---------------------------------------------------------------------------------------------
csv_ok() {
    sg audit report "$E2" --format csv --out "$TMP/r.csv" && python3 - "$TMP/r.csv" "$TMP/v.json" <<'PY'
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
v = json.load(open(sys.argv[2]))
assert len(rows) == v["summary"]["entries"], len(rows)
assert [int(r["entry"]) for r in rows] == list(range(len(rows)))
assert sum(r["event"] == "issue-accepted" for r in rows) == 4
ref = [r for r in rows if r["event"] == "issue-refused"]
assert len(ref) == 2 and all(r["outcome"] == "refused" and "SBR 7.1.2.3(f)" in r["sbr_sections"] for r in ref), ref
PY
}
check "--format csv parses: one row per entry, events, outcomes, SBR sections" csv_ok

# --- refusal over a log that does not verify ------------------------------------------------------------
rm -rf "$TMP/t" && cp -a "$E2" "$TMP/t"
N2=$(sed -n 2p "$E2/checkpoint")
python3 - "$TMP/t/tile/entries/000.p/$N2" <<'PY'
import sys
p = sys.argv[1]; b = bytearray(open(p, "rb").read())
b[2 + 120] ^= 1  # inside entry 0
open(p, "wb").write(b)
PY
fails "tampered entry bundle: report refused, says the log does not verify and why" 1 \
    'REFUSED: the log in .* does not verify.*|entry 0 .*altered' sg audit report "$TMP/t" --out "$TMP/bad.html"
check "  ... and no report file was written" test ! -e "$TMP/bad.html"
fails "a second, good export does not rescue a bad one: refused" 1 'does not verify' \
    sg audit report "$E2" "$TMP/t" --out "$TMP/bad.html"
openssl ecparam -name prime256v1 -genkey -noout -out "$TMP/other.key" 2>/dev/null
openssl pkey -in "$TMP/other.key" -pubout -out "$TMP/other.pub" 2>/dev/null
fails "report with another log key: refused" 1 'no signature by the given key' \
    sg audit report "$E2" --key "$TMP/other.pub" --format json
fails "--format xml: usage error" 2 'html, csv or json' sg audit report "$E2" --format xml

# --- a certificate the token never signed ----------------------------------------------------------------
openssl req -new -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$TMP/never.key" \
    -subj "/CN=bob@example.com" -days 1 -outform DER -out "$TMP/never.der" 2>/dev/null
never() {
    sg audit report "$E2" --format json --certs "$TMP/issued/cert1.der" "$TMP/never.der" | python3 -c '
import json, sys
c = json.load(sys.stdin)["certs"]
assert len(c) == 2 and c[0]["included"] and c[0]["in_scope"] and not c[1]["included"], c'
}
check "--certs FILE FILE: the issued one included, the never-signed one not" never

# --- two tokens, one report ---------------------------------------------------------------------------------
T2=$TMP/tok2
mkdir -p "$T2"
"$TOKEN" --socket "$T2/token.sock" --flash "$T2/flash.bin" 2>>"$TMP/token.log" &
PID2=$!
for _ in $(seq 200); do [ -S "$T2/token.sock" ] && break; sleep 0.05; done
two() {
    SBRGUARD_SOCKET=$T2/token.sock sg_init --label second --so-pin $SO_PIN --pin $PIN &&
        SBRGUARD_SOCKET=$T2/token.sock sg keygen --type ec-p384 --label k --id 02 --pin $PIN &&
        SBRGUARD_SOCKET=$T2/token.sock sg audit export "$T2/e" --pin $PIN
}
check "second token: initialized, a key generated, exported" two
kill "$PID2" 2>/dev/null && wait "$PID2" 2>/dev/null
multi() {
    sg audit report "$E2" "$T2/e" --format json --certs "$TMP/issued" | python3 -c '
import json, sys
d = json.load(sys.stdin); t = d["tokens"]
assert len(t) == 2 and t[0]["origin"] != t[1]["origin"], t
assert t[0]["accepted"] == 4 and t[1]["accepted"] == 0 and t[1]["key_events"][0]["event"] == "key-gen", t[1]
assert all(c["origin"] == t[0]["origin"] for c in d["certs"]), d["certs"]' &&
        sg audit report "$E2" "$T2/e" --out "$TMP/two.html" &&
        grep -q 'id="token-0"' "$TMP/two.html" && grep -q 'id="token-1"' "$TMP/two.html"
}
check "two tokens' exports: one report, a section per token, certificates matched to their token" multi
fails "--key count other than the DIRs': usage error" 2 'one per DIR' \
    sg audit report "$E2" "$T2/e" --key "$E2/log.pub"
fails "--since a checkpoint of neither log: usage error" 2 'none of the exports given' \
    sg audit report "$T2/e" --since "$E1/checkpoint"

kill "$TOKEN_PID" 2>/dev/null && wait "$TOKEN_PID" 2>/dev/null
TOKEN_PID=
exit $failed
