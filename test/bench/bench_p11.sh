#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# make bench-p11: starts a sim token (as the integration tests do) and a
# SoftHSM2 token, both in a temporary folder, sets up a CA key with a bound
# certificate, a policy bundle, a conforming S/MIME TBS and its evidence,
# then runs bench_p11 over both modules in one run. A measurement, not a test.
set -u
. "$(dirname "$0")/../integration/lib/preamble.sh"
BENCH=${BENCH_P11:-$ROOT/$BIN/bench/bench_p11}
SOFTHSM=${SOFTHSM_MODULE:-/usr/lib/softhsm/libsofthsm2.so}
[ -e "$SOFTHSM" ] || { echo "bench-p11: $SOFTHSM missing (make deps installs softhsm2)" >&2; exit 2; }
die() { echo "bench-p11: $*" >&2; cat "$TMP/out" >&2 2>/dev/null; exit 1; }

# SoftHSM2: its own config and token folder.
mkdir -p "$TMP/softhsm"
printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' "$TMP/softhsm" >"$TMP/softhsm2.conf"
export SOFTHSM2_CONF=$TMP/softhsm2.conf
softhsm2-util --init-token --free --label bench --so-pin $SO_PIN --pin $PIN >"$TMP/out" 2>&1 || die "softhsm2-util --init-token"

# Ours: token, CA key, its certificate, bundle, TBS and evidence.
token_start
[ -S "$TMP/token.sock" ] || die "the sim token did not start"
MK="python3 $ROOT/test/integration/lib/mkca.py"
sg_init --label bench --so-pin $SO_PIN --pin $PIN >"$TMP/out" 2>&1 || die "init"
sg keygen --type ec-p256 --label bench-ca --id ca --pubout "$TMP/ca.pub" --pin $PIN >"$TMP/out" 2>&1 || die "keygen"
CA=$(sed -n 's/.*handle \([0-9]*\).*/\1/p' "$TMP/out" | head -1)
{ $MK ca "$TMP/ca.pub" "$TMP/ca.pem" && sg cert import --key "$CA" --cert "$TMP/ca.pem" --pin $PIN &&
    $MK tbs "$TMP/ca.pem" "$TMP/tbs.der" && policy_load_for "$TMP/ca.pem" && ev "$TMP/tbs.der" &&
    mkdir -p "$TMP/evs" && sg evidence make --batch --va-key "$VA_KEY" --in "$TMP/tbs.der" --out-dir "$TMP/evs"; } >"$TMP/out" 2>&1 ||
    die "CA binding, bundle, TBS or evidence"
sg lint --ca "$TMP/ca.pem" "$TMP/tbs.der" >"$TMP/out" 2>&1 || die "lint refuses the bench TBS"

# Before each round of issuances the log is exported and acknowledged.
cat >"$TMP/between.sh" <<EOS
set -e
d=\$(mktemp -d -p "$TMP")
prev=\$(cat "$TMP/prev" 2>/dev/null || true)
"$SG" audit export "\$d" --pin $PIN \${prev:+--prev "\$prev"} >/dev/null 2>>"$TMP/between.log"
"$SG" audit ack "\$d" --so-pin $SO_PIN >/dev/null 2>>"$TMP/between.log"
echo "\$d" >"$TMP/prev"
EOS
LD_PRELOAD=$PRELOAD "$BENCH" "$SOFTHSM" $PIN "$MOD" $PIN "$TMP/tbs.der" "$TMP/tbs.der.ev" "$TMP/evs/0.der" bench-ca "bash $TMP/between.sh" ||
    { cat "$TMP/between.log" "$TMP/token.log" >&2 2>/dev/null; exit 1; }
