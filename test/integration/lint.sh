#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Integration test of `sbrguard lint` against the S/MIME corpus
# (test/vectors/smime/, made by test/vectors/gen_smime.py).
#
# Uses ${BIN:-build/host}/sbrguard (BIN=build/asan for the ASan+UBSan build)
# and checks: every row of expected.tsv (verdict and exact set of reason
# codes, in JSON, one run per distinct option set with all its files), the
# profile reported for the valid certificates, the text output (one line per
# finding, with its SBR section), PEM input, several files in one run, exit
# codes 0/1/2 (2 for a missing file, malformed PEM, a directory, bad
# options), and the legacy sunset judged with --at.
#
# Output: one line per check on stdout ("ok - ..." / "not ok - ...");
# details go to stderr. Exits non-zero if any check failed.
set -u

. "$(dirname "${BASH_SOURCE[0]}")/lib/bin.sh"
VEC=$ROOT/test/vectors/smime
TSV=expected.tsv

pass=0 fail=0
ok() { echo "ok - $*"; pass=$((pass + 1)); }
notok() { echo "not ok - $*"; fail=$((fail + 1)); }
log() { echo "$*" >&2; }
# Counts the ok/not ok lines a python3 helper printed (read it with < <(...)).
tally() {
    local line
    while IFS= read -r line; do
        case $line in
        "ok - "*) ok "${line#ok - }" ;;
        "not ok - "*) notok "${line#not ok - }" ;;
        *) log "$line" ;;
        esac
    done
}

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

if [ ! -x "$SG" ] || [ ! -f "$VEC/$TSV" ]; then
    notok "sbrguard ($SG) and the corpus ($VEC/$TSV) are there"
    exit 1
fi
cd "$VEC" || exit 1

# lint_run OUT ARGS...: runs lint, stdout to OUT, stderr to the log; echoes rc.
lint_run() {
    local out=$1
    shift
    "$SG" lint "$@" >"$out" 2>"$WORK/stderr"
    local rc=$?
    sed 's/^/  sbrguard: /' "$WORK/stderr" >&2
    echo "$rc"
}

# --- every row of expected.tsv, one lint run per option set -----------------
# compare EXPECTED OPTS JSON RC: one check per row of the group, one for the exit code.
compare() {
    python3 - "$@" <<'EOF'
import json, re, sys
tsv, opts, out, rc = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
rows = []
for line in open(tsv, encoding="utf-8"):
    line = line.rstrip("\n")
    if not line or line.startswith("#"):
        continue
    f = line.split("\t")
    if len(f) == 5 and f[3] == opts:
        rows.append(f)
label = "" if opts == "-" else " [%s]" % opts
try:
    got = json.load(open(out, encoding="utf-8"))
except ValueError as e:
    print("not ok - lint --format json%s prints valid JSON (%s)" % (label, e))
    sys.exit(0)
by_file = {}
for r in got:
    by_file.setdefault(r["file"], []).append(r)
print(("ok" if len(got) == len(rows) else "not ok") +
      " - lint%s judged %d files in one run (expected %d)" % (label, len(got), len(rows)))
for f in rows:
    want = set() if f[2] == "-" else set(f[2].split(","))
    rs = by_file.get(f[0], [])
    if not rs:
        print("not ok - %s%s: no verdict in the JSON output" % (f[0], label))
        continue
    r = rs.pop(0)
    codes = {x["code"] for x in r["findings"]}
    good = r["verdict"] == f[1] and codes == want and r["dropped"] == 0
    m = re.match(r"valid-(\w+)-(\w+)-(rsa|ec)\.der$", f[0])
    if m and (r["type"], r["generation"]) != (m.group(1), m.group(2)):
        good = False
        print("  %s: profile %s/%s, expected %s/%s" % (f[0], r["type"], r["generation"], m.group(1), m.group(2)),
              file=sys.stderr)
    if good:
        print("ok - %s%s: %s %s" % (f[0], label, f[1], ",".join(sorted(codes)) or "-"))
    else:
        print("not ok - %s%s: expected %s %s, got %s %s (+%s -%s) -- %s" % (
            f[0], label, f[1], f[2], r["verdict"], ",".join(sorted(codes)) or "-",
            ",".join(sorted(codes - want)) or "", ",".join(sorted(want - codes)) or "", f[4]))
want_rc = 1 if any(f[1] == "refuse" for f in rows) else 0
print(("ok" if rc == want_rc else "not ok") + " - lint%s exit code %d (expected %d)" % (label, rc, want_rc))
EOF
}

mapfile -t OPTSETS < <(awk -F'\t' '!/^#/ && NF == 5 { print $4 }' "$TSV" | sort -u)
for opts in "${OPTSETS[@]}"; do
    mapfile -t files < <(awk -F'\t' -v o="$opts" '!/^#/ && NF == 5 && $4 == o { print $1 }' "$TSV")
    args=()
    [ "$opts" != "-" ] && read -ra args <<<"$opts"
    rc=$(lint_run "$WORK/out.json" --format json "${args[@]}" "${files[@]}")
    tally < <(compare "$TSV" "$opts" "$WORK/out.json" "$rc")
done

# --- text output: one line per finding, with its section ---------------------
MULTI="bad-version-v1.der"
rc=$(lint_run "$WORK/out.txt" "$MULTI")
lint_run "$WORK/out.json" --format json "$MULTI" >/dev/null
tally < <(python3 - "$WORK/out.txt" "$WORK/out.json" "$MULTI" <<'EOF'

import json, sys
text = open(sys.argv[1], encoding="utf-8").read().splitlines()
found = json.load(open(sys.argv[2], encoding="utf-8"))[0]["findings"]
f = sys.argv[3]
print(("ok" if text and text[0].startswith(f + ": refused") else "not ok") + " - text output starts with '%s: refused'" % f)
lines = text[1:]
print(("ok" if len(lines) == len(found) and len(found) > 1 else "not ok") +
      " - text output has one line per finding (%d lines, %d findings)" % (len(lines), len(found)))
good = all(l.split()[0] == x["code"] and ("[SBR %s]" % x["section"]) in l and x["message"] in l
           for l, x in zip(lines, found))
print(("ok" if good else "not ok") + " - each text line names its code, [SBR section] and message")
if not good:
    print("\n".join(text), file=sys.stderr)
EOF
)
[ "$rc" = 1 ] && ok "text output: exit code 1 for a refusal" || notok "text output: exit code $rc for a refusal (expected 1)"
rc=$(lint_run "$WORK/out.txt" valid-mailbox-strict-ec.der)
if [ "$rc" = 0 ] && [ "$(cat "$WORK/out.txt")" = "valid-mailbox-strict-ec.der: accepted (mailbox/strict)" ]; then
    ok "text output of an accepted certificate: one line with its profile, exit code 0"
else
    notok "text output of an accepted certificate (rc=$rc): $(cat "$WORK/out.txt")"
fi

# --- PEM input ------------------------------------------------------------------
python3 -c '
import base64, sys
der = open(sys.argv[1], "rb").read()
b = base64.b64encode(der).decode()
open(sys.argv[2], "w").write("-----BEGIN CERTIFICATE-----\n" + "\n".join(b[i:i + 64] for i in range(0, len(b), 64)) +
                             "\n-----END CERTIFICATE-----\n")' valid-sponsor-strict-ec.der "$WORK/cert.pem"
rc=$(lint_run "$WORK/out.txt" "$WORK/cert.pem")
[ "$rc" = 0 ] && ok "a PEM certificate is accepted like its DER" || notok "PEM certificate: exit code $rc (expected 0)"

# --- several files in one run, exit codes ------------------------------------------
rc=$(lint_run "$WORK/out.json" --format json valid-mailbox-strict-rsa.der bad-eku-serverAuth.der valid-individual-multipurpose-ec.der)
if [ "$rc" = 1 ] && python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
sys.exit(not ([x["file"] for x in r] == ["valid-mailbox-strict-rsa.der", "bad-eku-serverAuth.der",
    "valid-individual-multipurpose-ec.der"] and [x["verdict"] for x in r] == ["accept", "refuse", "accept"]))' "$WORK/out.json"; then
    ok "three files in one run: three verdicts in order, exit code 1"
else
    notok "three files in one run (rc=$rc): $(cat "$WORK/out.json")"
fi
rc=$(lint_run "$WORK/out.txt" valid-mailbox-strict-rsa.der valid-organization-legacy-ec.der ok-p384.der)
[ "$rc" = 0 ] && ok "exit code 0 when every file is accepted" || notok "all accepted: exit code $rc (expected 0)"
rc=$(lint_run "$WORK/out.txt" does-not-exist.der)
[ "$rc" = 2 ] && ok "exit code 2 for a missing file" || notok "missing file: exit code $rc (expected 2)"
rc=$(lint_run "$WORK/out.txt" bad-ku-absent.der does-not-exist.der)
[ "$rc" = 2 ] && ok "exit code 2 for a refused and a missing file" || notok "refused + missing: exit code $rc (expected 2)"
rc=$(lint_run "$WORK/out.txt" does-not-exist.der valid-mailbox-strict-rsa.der)
if [ "$rc" = 2 ] && grep -q "^valid-mailbox-strict-rsa.der: accepted" "$WORK/out.txt"; then
    ok "exit code 2 for a missing file, and the next file is still judged"
else
    notok "missing then valid: exit code $rc, output: $(cat "$WORK/out.txt")"
fi
printf -- '-----BEGIN CERTIFICATE-----\n%%%% not base64 %%%%\n-----END CERTIFICATE-----\n' >"$WORK/garbage.pem"
rc=$(lint_run "$WORK/out.txt" "$WORK/garbage.pem")
[ "$rc" = 2 ] && ok "exit code 2 for a garbage (malformed PEM) file" || notok "garbage PEM: exit code $rc (expected 2)"
mkdir -p "$WORK/adir"
rc=$(lint_run "$WORK/out.txt" "$WORK/adir")
[ "$rc" = 2 ] && ok "exit code 2 for an unreadable file (a directory)" || notok "a directory: exit code $rc (expected 2)"
rc=$(lint_run "$WORK/out.txt" der-not-der.der)
if [ "$rc" = 1 ] && grep -q "sbr.7.1.2.4.der.malformed" "$WORK/out.txt"; then
    ok "bytes that are not DER are refused with sbr.7.1.2.4.der.malformed, exit code 1"
else
    notok "non-DER bytes: exit code $rc: $(cat "$WORK/out.txt")"
fi
for bad in "--at yesterday" "--format xml" "--bogus" "--ca does-not-exist.der" "--ca der-not-der.der"; do
    read -ra args <<<"$bad"
    rc=$(lint_run "$WORK/out.txt" "${args[@]}" valid-mailbox-strict-rsa.der)
    [ "$rc" = 2 ] && ok "exit code 2 for '$bad'" || notok "'$bad': exit code $rc (expected 2)"
done
rc=$(lint_run "$WORK/out.txt")
[ "$rc" = 2 ] && ok "exit code 2 without a file" || notok "no file: exit code $rc (expected 2)"

# --- --at: the legacy sunset (SBR 7.1.6.1) -------------------------------------------
LEGACY=valid-individual-legacy-rsa.der
# at_check WHEN VERDICT CODES
at_check() {
    local when=$1 verdict=$2 codes=$3 rc
    rc=$(lint_run "$WORK/out.json" --format json --at "$when" "$LEGACY")
    if python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))[0]
want = set(sys.argv[3].split(",")) - {""}
sys.exit(not (r["verdict"] == sys.argv[2] and {x["code"] for x in r["findings"]} == want))' \
        "$WORK/out.json" "$verdict" "$codes" && [ "$rc" = "$([ "$verdict" = accept ] && echo 0 || echo 1)" ]; then
        ok "legacy certificate judged --at $when: $verdict ${codes:-}"
    else
        notok "legacy certificate judged --at $when (rc=$rc): expected $verdict ${codes:-}, got $(cat "$WORK/out.json")"
    fi
}
at_check 2025-07-14T00:00:00Z accept ""
at_check 2025-07-14T23:59:59Z accept ""
at_check 2025-07-15T00:00:00Z refuse sbr.7.1.6.1.legacy.sunset
at_check 1752537599 accept ""
at_check 1752537600 refuse sbr.7.1.6.1.legacy.sunset
at_check 2030-01-01T00:00:00Z refuse sbr.7.1.6.1.legacy.sunset
rc=$(lint_run "$WORK/out.txt" "$LEGACY")
[ "$rc" = 0 ] && ok "without --at a legacy certificate is judged at its notBefore (2025-03-01): accepted" ||
    notok "legacy certificate without --at: exit code $rc (expected 0)"
rc=$(lint_run "$WORK/out.txt" --at 2025-07-15T00:00:00Z valid-individual-strict-rsa.der)
[ "$rc" = 0 ] && ok "the sunset does not touch a strict certificate (--at 2025-07-15)" ||
    notok "strict certificate --at 2025-07-15: exit code $rc (expected 0)"

# --- the corpus covers every rule the CLI lists -------------------------------------
rc=$(lint_run "$WORK/rules.txt" --rules)
if [ "$rc" = 0 ] && [ -s "$WORK/rules.txt" ]; then
    # The CA's own rules (sbrguard.bundle.*) need a bundle: test_bundle.c fails and passes each.
    # Evidence rows judge the evidence that comes with a TBS, not the TBS:
    # test_evidence fires each of them (and evidence.sh runs them via lint).
    missing=$(awk '$1 !~ /^sbrguard\.bundle\./ && $1 !~ /\.evidence\./ { print $1 }' "$WORK/rules.txt" | while read -r code; do
        awk -F'\t' -v c="$code" '!/^#/ && $2 == "refuse" { n = split($3, a, ","); for (i = 1; i <= n; i++) if (a[i] == c) f = 1 }
            END { exit !f }' "$TSV" || echo "$code"; done)
    [ -z "$missing" ] && ok "every rule of 'lint --rules' has a refusing row in expected.tsv" ||
        notok "rules of 'lint --rules' without a refusing row in expected.tsv: $(echo $missing)"
else
    notok "lint --rules lists the rule table (rc=$rc)"
fi

log "lint.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
