#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `make bench BOARD=mps2-an386`: the firmware in QEMU with -icount shift=0
# (the emulated clock advances 1 ns per instruction), so the board's
# BOARD_COST figures are instruction counts: one policy check (pol_check of
# a mailbox-strict TBS) and one ECDSA P-256 signature (mbedtls_pk_sign),
# timed with SysTick around the firmware's own calls. Then the worst
# operations (RSA-4096 key generation and signatures, P-521) for the
# deepest stack (painted at reset) and mbedTLS's arena peak; these go to
# build/mps2-an386/measured.txt, which `make footprint` prints too.
# Measurements, not tests: nothing here fails on a number.
set -eu
cd "$(dirname "$0")/../.."
ROOT=$PWD
SG=$ROOT/build/host/sbrguard
OUT=$ROOT/build/mps2-an386
TMP=$(mktemp -d)
QPID=
trap '[ -n "$QPID" ] && kill $QPID 2>/dev/null; rm -rf "$TMP"' EXIT
export SBRGUARD_HOME=$TMP SBRGUARD_SOCKET=$TMP/token.sock HOME=$TMP
unset SBRGUARD_CONF SBRGUARD_PIN SBRGUARD_SO_PIN
head -c 32 /dev/urandom >"$TMP/mps2-seed.bin"
(cd "$TMP" && exec qemu-system-arm -M mps2-an386 -nographic -monitor none -icount shift=0 \
    -semihosting-config enable=on,target=native -serial chardev:link -kernel "$OUT/sbrguard-fw.elf" \
    -chardev socket,id=link,path="$TMP/token.sock",server=on,wait=off) 2>"$TMP/qemu.log" &
QPID=$!
for _ in $(seq 100); do [ -S "$TMP/token.sock" ] && break; sleep 0.05; done
PIN=1234
q() { "$SG" "$@" >/dev/null 2>&1; }
board() { # prints "policy_ns sign_ns stack_used stack_size arena_peak arena_blocks arena_size"
    python3 - "$TMP/token.sock" <<'PY'
import struct, sys
sys.path.insert(0, "test/integration/lib")
import sglink
l = sglink.Link(sys.argv[1], 600)
l.hello()
st, p = l.call(0x1F)
t = sglink.tlvs(p)
print(*struct.unpack(">II", t[0x6C][0][:8]), *struct.unpack(">II", t[0x6A][0]), *struct.unpack(">III", t[0x6B][0]))
PY
}
cost() { # prints "policy_ns sign_ns evidence_ns command_ns" of the last SIGN
    python3 - "$TMP/token.sock" <<'PY'
import struct, sys
sys.path.insert(0, "test/integration/lib")
import sglink
l = sglink.Link(sys.argv[1], 600)
l.hello()
st, p = l.call(0x1F)
print(*struct.unpack(">IIII", sglink.tlvs(p)[0x6C][0]))
PY
}
handle() { sed -n 's/.*handle \([0-9]*\).*/\1/p' "$TMP/out" | head -1; }

# A CA key signs only under the SO's bundle and with a trusted VA's evidence.
for k in so va; do
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$TMP/$k.pem" 2>/dev/null
    openssl pkey -in "$TMP/$k.pem" -pubout -out "$TMP/$k.pub.pem"
done
q init --label bench --so-pin 12345678 --pin $PIN --policy-key "$TMP/so.pub.pem"
"$SG" keygen --type ec-p256 --label ca --pubout "$TMP/ca.pub" --pin $PIN >"$TMP/out"
CA=$(handle)
python3 test/integration/lib/mkca.py ca "$TMP/ca.pub" "$TMP/ca.pem"
q cert import --key "$CA" --cert "$TMP/ca.pem" --pin $PIN
python3 test/integration/lib/mkca.py tbs "$TMP/ca.pem" "$TMP/tbs.der"
printf 'version = 1\n[ca]\nkey = ca.pub\nva-key = va.pub.pem\nprofiles = mailbox-strict mailbox-multipurpose mailbox-legacy\nmax-validity-days = 825\n' >"$TMP/p.conf"
q policy sign --key "$TMP/so.pem" --in "$TMP/p.conf" --out "$TMP/p.der"
q policy load --in "$TMP/p.der" --so-pin 12345678
q evidence make --va-key "$TMP/va.pem" --in "$TMP/tbs.der" --out "$TMP/ev.der"
board >/dev/null
q sign --key "$CA" --mech ecdsa-sha256 --in "$TMP/tbs.der" --out "$TMP/sig" --evidence "$TMP/ev.der" --pin $PIN
read -r pol sig _ <<<"$(board)"
# The same TBS with an RSA-2048 subscriber key: the difference is the SBR
# 6.1.1.3 weak-key checks (factors < 2^16, Fermat, ROCA) and the RSA parse.
python3 test/integration/lib/mkca.py tbs "$TMP/ca.pem" "$TMP/tbs-rsa.der" rsa
q evidence make --va-key "$TMP/va.pem" --in "$TMP/tbs-rsa.der" --out "$TMP/ev-rsa.der"
q sign --key "$CA" --mech ecdsa-sha256 --in "$TMP/tbs-rsa.der" --out "$TMP/sig" --evidence "$TMP/ev-rsa.der" --pin $PIN
read -r pol_rsa _ <<<"$(board)"
echo "mps2-an386 (Cortex-M4, QEMU -icount shift=0: 1 instruction = 1 emulated ns)"
printf '  policy check of a mailbox-strict TBS (%d bytes): %d instructions\n' "$(stat -c %s "$TMP/tbs.der")" "$pol"
printf '  the same with an RSA-2048 key (%d bytes):      %d instructions (+%d: weak-key checks, SBR 6.1.1.3)\n' \
    "$(stat -c %s "$TMP/tbs-rsa.der")" "$pol_rsa" $((pol_rsa - pol))
printf '  ECDSA P-256 signature (mbedtls_pk_sign):        %d instructions\n' "$sig"
awk -v p="$pol" -v r="$pol_rsa" -v s="$sig" 'BEGIN { printf "  policy check / signature:                        %.4f (RSA-2048 key: %.4f)\n", p / s, r / s }'

# Enforcement overhead per issuance with batched evidence (docs/evidence.md
# "Batched evidence"): the CA key's SIGN command less its signature, against
# a plain key's SIGN of the same TBS less its signature. A batch's root is
# verified on its first request (cold), the others hit the cache (warm):
# per issuance (cold + (B - 1) warm) / B, plus the log checkpoint's ECDSA
# signature shared by 256 entries.
"$SG" keygen --type ec-p256 --label plain --pin $PIN >"$TMP/out"
PLAIN=$(handle)
q sign --key "$PLAIN" --mech ecdsa-sha256 --in "$TMP/tbs.der" --out "$TMP/sig" --pin $PIN
read -r _ psig _ pcmd <<<"$(cost)"
base=$((pcmd - psig))
AT=$(($(date +%s) - 60))
q sign --key "$CA" --mech ecdsa-sha256 --in "$TMP/tbs.der" --out "$TMP/sig" --evidence "$TMP/ev.der" --pin $PIN
read -r _ ssig sev scmd <<<"$(cost)"
echo "enforcement overhead per issuance (SIGN command less its signature, less a plain key's; checkpoint share 1/256):"
awk -v o=$((scmd - ssig - base)) -v e="$sev" -v s="$psig" 'BEGIN {
    printf "  single evidence:  %9d instructions (evidence check %8d): %6.2f %% of the signature\n", o, e, 100 * (o + s / 256) / s }'
for B in 1 16 256; do
    ins=()
    for _ in $(seq $B); do ins+=(--in "$TMP/tbs.der"); done
    mkdir -p "$TMP/b$B"
    "$SG" evidence make --batch --va-key "$TMP/va.pem" "${ins[@]}" --out-dir "$TMP/b$B" --at $AT 2>/dev/null
    q sign --key "$CA" --mech ecdsa-sha256 --in "$TMP/tbs.der" --out "$TMP/sig" --evidence "$TMP/b$B/0.der" --pin $PIN
    read -r _ csig cev ccmd <<<"$(cost)"
    wsig=$csig wev=$cev wcmd=$ccmd
    if [ $B -gt 1 ]; then
        q sign --key "$CA" --mech ecdsa-sha256 --in "$TMP/tbs.der" --out "$TMP/sig" --evidence "$TMP/b$B/1.der" --pin $PIN
        read -r _ wsig wev wcmd <<<"$(cost)"
    fi
    awk -v b=$B -v c=$((ccmd - csig - base)) -v w=$((wcmd - wsig - base)) -v ce="$cev" -v we="$wev" -v s="$psig" 'BEGIN {
        o = (c + (b - 1) * w) / b
        printf "  batches of %-4d %9d instructions (first %d, evidence %d; then %d, evidence %d): %6.2f %% of the signature\n",
            b, o, c, ce, w, we, 100 * (o + s / 256) / s }'
done

# The worst operations, for the stack and arena peaks.
head -c 3000 /dev/urandom >"$TMP/doc"
peak=0 peak_op=
measure() { # WHAT CMD...
    local what=$1 s
    shift
    s=$(date +%s%N)
    "$@" >"$TMP/out" 2>&1
    read -r _ _ su ss ap ab as <<<"$(board)"
    printf '  %-34s arena peak %6d B in %2d blocks (%6d B with headers)  %.1f s\n' "$what" "$ap" "$ab" \
        $((ap + 32 * ab)) "$(awk -v a="$s" -v b="$(date +%s%N)" 'BEGIN { print (b - a) / 1e9 }')"
    if [ $((ap + 32 * ab)) -gt $peak ]; then peak=$((ap + 32 * ab)) peak_op=$what; fi
    STACK="$su $ss" ARENA=$as
}
echo "worst operations on the board (wall time under -icount):"
measure "P-256 inline issuance" "$SG" sign --key "$CA" --mech ecdsa-sha256 --in "$TMP/tbs.der" --out "$TMP/sig" \
    --evidence "$TMP/ev.der" --pin $PIN
measure "P-521 key generation" "$SG" keygen --type ec-p521 --label e5 --pin $PIN
h=$(handle)
measure "P-521 ECDSA-SHA512 signature" "$SG" sign --key "$h" --mech ecdsa-sha512 --in "$TMP/doc" --out "$TMP/s" --pin $PIN
measure "RSA-4096 key generation" "$SG" keygen --type rsa-4096 --label r4 --pin $PIN
h=$(handle)
measure "RSA-4096 PKCS#1 v1.5 signature" "$SG" sign --key "$h" --mech sha256-rsa-pkcs --in "$TMP/doc" --out "$TMP/s" --pin $PIN
measure "RSA-4096 PSS signature" "$SG" sign --key "$h" --mech sha256-rsa-pkcs-pss --in "$TMP/doc" --out "$TMP/s" --pin $PIN
{
    echo "  measured by make bench BOARD=mps2-an386 ($(date -u +%F)):"
    echo "  worst-case stack: ${STACK% *} of ${STACK#* } bytes (painted at reset; deepest over every operation above)"
    echo "  mbedTLS arena: peak $peak bytes with headers ($peak_op) of $ARENA"
} | tee "$OUT/measured.txt"
