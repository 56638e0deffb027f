#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The token on mps2-an386: the real firmware image on an emulated Cortex-M4
# in QEMU, reached through its UART. First the sim scripts' own steps run
# against it (signpath.sh, audit.sh with SBRGUARD_BOARD=mps2-an386: init,
# login, EC key generation, accepted and refused issuances inline and
# pre-authorized, log export, audit verify and its tamper checks), then what
# only this board has: HELLO ending the last host's login, the SO-set clock
# kept across a restart, RSA-4096 and P-521 on the board with its stack use,
# and (with the test image) a HardFault, a watchdog reset, and a reset at
# every flash write of an issuance, after each of which the log verifies and
# holds every entry committed before.
#
# Runs once, with the plain build (BIN=build/host); skips without QEMU or
# the image (`make firmware BOARD=mps2-an386`). Output: "ok - / not ok - /
# skip -" lines on stdout, details on stderr.
set -u
source "$(dirname "$0")/lib/preamble.sh"
BOARD=mps2-an386
TEST_FW=$ROOT/build/mps2-an386/sbrguard-fw-test.elf
if [ "$BIN" != build/host ]; then
    echo "skip - QEMU tests run once, with the plain build"
    exit 0
fi
if ! command -v qemu-system-arm >/dev/null || [ ! -s "$FIRMWARE" ] || [ ! -s "$TEST_FW" ]; then
    echo "skip - mps2-an386: qemu-system-arm or the firmware image is missing (make firmware BOARD=mps2-an386)"
    exit 0
fi

# --- the sim scripts, against the QEMU token -----------------------------------------------
for t in ${QEMU_SIM_SCRIPTS-signpath audit p11_sesskeys}; do
    out=$(SBRGUARD_BOARD=mps2-an386 bash "$ROOT/test/integration/$t.sh")
    rc=$?
    sed -n 's/^\(ok\|not ok\|skip\) - /\1 - mps2-an386 '"$t"': /p' <<<"$out"
    grep -q '^not ok' <<<"$out" && failed=1
    [ $rc -eq 0 ] || notok "mps2-an386 $t exited with $rc"
done

# --- board checks ---------------------------------------------------------------------------
token_stop() {
    kill "$TOKEN_PID" 2>/dev/null && wait "$TOKEN_PID" 2>/dev/null
    TOKEN_PID=
}
# link ARGS... <<PYTHON: a raw link client (lib/sglink.py) as `l`, argv[2:] = ARGS.
link() {
    { printf 'import struct, sys\nsys.path.insert(0, "%s")\nimport sglink\nfrom sglink import tlv, tlvs\n' \
        "$ROOT/test/integration/lib"
      printf 'l = sglink.Link(sys.argv[1], 120)\n'
      cat; } >"$TMP/link.py"
    python3 "$TMP/link.py" "$TMP/token.sock" "$@"
}
info_field() { sg token status | sed -n "s/^$1: //p"; }
reason() { sg token status | grep -q "^last reset: $1"; }

token_start
check "the firmware boots in QEMU and answers over the UART" sg token status
check "BOARD_INFO: mps2-an386, reset cause power-on" \
    eval 'sg token status | grep -q "^board: mps2-an386" && reason power-on'
check "init token (with the SO policy key)" sg_init --label qemu --so-pin $SO_PIN --pin $PIN

hello_logout() {
    link <<'PY'
l.hello()
st, _ = l.call(0x03, tlv(0x04, b"\x01") + tlv(0x02, b"4321"))
assert st == 0, st
l.close()
l = sglink.Link(sys.argv[1], 120)
st, p = l.call(0x01)  # no HELLO: a UART cannot tell one host from the next
assert st == 0 and tlvs(p)[0x28][0] == b"\x02", tlvs(p).get(0x28)
l.hello()
st, p = l.call(0x01)
assert st == 0 and tlvs(p)[0x28][0] == b"\x00", tlvs(p).get(0x28)
PY
}
check "a host that opens with HELLO finds no login of the previous one (without HELLO it would)" hello_logout
refused_time() {
    link <<'PY'
l.hello()
st, _ = l.call(0x1E, tlv(0x26, struct.pack(">Q", 1900000000)))
assert st == 9, st  # SG_ST_NOT_LOGGED_IN
PY
}
check "SET_TIME without the SO logged in is refused" refused_time
T=1900000000
check "sbrguard token set-time --time $T (SO)" sg token set-time --time $T --so-pin $SO_PIN
token_stop
token_start
t=$(info_field "token time")
check "the SO-set clock survives a restart and counts on (token time ${t:-?})" \
    test "${t:-0}" -ge $T -a "${t:-0}" -lt $((T + 600))
check "set-time back to this host's clock" sg token set-time --so-pin $SO_PIN

rsa_big() {
    sg keygen --type rsa-4096 --label r4 --id 04 --pubout "$TMP/r4.pub" --pin $PIN >"$TMP/out" &&
        h=$(sed -n 's/.*handle \([0-9]*\).*/\1/p' "$TMP/out") && head -c 3000 /dev/urandom >"$TMP/doc" &&
        sg sign --key "$h" --mech sha256-rsa-pkcs --in "$TMP/doc" --out "$TMP/r4.sig" --pin $PIN &&
        openssl dgst -sha256 -verify "$TMP/r4.pub" -signature "$TMP/r4.sig" "$TMP/doc"
}
check "RSA-4096 key generated on the board, PKCS#1 signature verified by openssl" rsa_big
ec_big() {
    sg keygen --type ec-p521 --label e5 --id 05 --pubout "$TMP/e5.pub" --pin $PIN >"$TMP/out" &&
        h=$(sed -n 's/.*handle \([0-9]*\).*/\1/p' "$TMP/out") &&
        sg sign --key "$h" --mech ecdsa-sha512 --in "$TMP/doc" --out "$TMP/e5.sig" --pin $PIN &&
        openssl dgst -sha512 -verify "$TMP/e5.pub" -signature "$TMP/e5.sig" "$TMP/doc"
}
check "P-521 key generated on the board, ECDSA signature verified by openssl" ec_big
sg token status >"$TMP/status" 2>&1
cat "$TMP/status" >&2
stk=$(sed -n 's/^stack: deepest \([0-9]*\) of \([0-9]*\).*/\1 \2/p' "$TMP/status")
check "stack: deepest use since reset (${stk% *} bytes, painted) below the stack's ${stk#* }" \
    test "${stk% *}" -lt "${stk#* }"
token_stop

# --- faults (the test image: the same firmware plus fault injection) -------------------------
FIRMWARE=$TEST_FW
token_start
inject() { # KIND ARG: once the token rebooted, the waiting host reads SG_ST_RESET (40)
    link "$@" <<'PY'
l.hello()
l.send(0x1F, tlv(0x6E, struct.pack(">BI", int(sys.argv[2]), int(sys.argv[3]))))
st, _ = l.recv()
assert st == 40, st
PY
}
check "HardFault: the host waiting for an answer learns of the reset (SG_ST_RESET)" inject 1 0
check "... the token rebooted, names the cause (hardfault) and serves, objects intact" \
    eval 'reason hardfault && sg list --pin $PIN | grep -q r4'
check "watchdog: a hung core is reset (2 s watchdog), the host learns of it" inject 2 2
check "... the token names the cause (watchdog) and serves" eval 'reason watchdog && sg list --pin $PIN >/dev/null'

# A CA key and what it issues (mkca.py: no signing client needed).
sg keygen --type ec-p256 --label ca --id ca --pubout "$TMP/ca.pub" --pin $PIN >"$TMP/out" 2>&1
CA=$(sed -n 's/.*handle \([0-9]*\).*/\1/p' "$TMP/out")
ca_bound() {
    python3 "$ROOT/test/integration/lib/mkca.py" ca "$TMP/ca.pub" "$TMP/ca.pem" &&
        sg cert import --key "${CA:-0}" --cert "$TMP/ca.pem" --pin $PIN &&
        python3 "$ROOT/test/integration/lib/mkca.py" tbs "$TMP/ca.pem" "$TMP/tbs.der" &&
        policy_load_for "$TMP/ca.pem" && ev "$TMP/tbs.der" >/dev/null
}
check "CA key bound to its CA certificate, bundle loaded, TBS and its evidence made" ca_bound
# cut_sign N: logs in, arms a cut at the N-th flash operation from then on
# (half of it done, then the core faults), signs the TBS inline on the same
# link. Prints "cut" (SG_ST_RESET came back) or "signed" (signature in c.sig).
cut_sign() {
    link "$1" "${CA:-0}" "$TMP/tbs.der" "$TMP/c.sig" "$TMP/tbs.der.ev" <<'PY'
l.hello()
st, _ = l.call(0x03, tlv(0x04, b"\x01") + tlv(0x02, b"4321"))
assert st == 0, st
st, _ = l.call(0x1F, tlv(0x6E, struct.pack(">BI", 3, int(sys.argv[2]))))
assert st == 0, st
st, p = l.call(0x0A, tlv(0x05, struct.pack(">H", int(sys.argv[3]))) + tlv(0x0B, struct.pack(">I", 0x1044)) +
               tlv(0x0C, open(sys.argv[4], "rb").read()) + tlv(0x13, open(sys.argv[6], "rb").read()))
if st == 40:
    print("cut")
else:
    assert st == 0, st
    r = tlvs(p)[0x0D][0]
    def i(b):
        b = b.lstrip(b"\0") or b"\0"
        b = b"\0" + b if b[0] & 0x80 else b
        return b"\x02" + bytes([len(b)]) + b
    body = i(r[:32]) + i(r[32:])
    open(sys.argv[5], "wb").write(b"\x30" + bytes([len(body)]) + body)
    st, _ = l.call(0x1F, tlv(0x6E, struct.pack(">BI", 3, 0)))  # the cut was not reached: disarm
    assert st == 0, st
    print("signed")
PY
}
log_size() { sed -n '2p' "$1/checkpoint"; }
sg audit export "$TMP/e0" >&2
prev=$TMP/e0 cuts=0 lost=0 issued=0
for n in $(seq 1 16); do
    r=$(cut_sign "$n")
    case $r in
    signed) issued=1 ;;
    cut) cuts=$((cuts + 1)); reason hardfault || lost=1 ;;
    *) notok "inline issuance with a cut armed at flash operation $n ($r)"; break ;;
    esac
    if ! sg audit export "$TMP/e$n" >&2 ||
        ! sg audit verify "$TMP/e$n" --key "$TMP/e0/log.pub" --since "$prev/checkpoint" >&2 ||
        [ "$(log_size "$TMP/e$n")" -lt "$(log_size "$prev")" ]; then
        lost=1
        echo "cut at flash operation $n: the log lost or altered what the checkpoint before committed" >&2
    fi
    prev=$TMP/e$n
    [ $issued = 1 ] && break
done
check "an issuance cut by a reset at each of its flash operations ($cuts), then completed" test $cuts -ge 1 -a $issued = 1
check "after every cut the log verifies and is consistent with the checkpoint before it" test $lost = 0
in_log() {
    mkdir -p "$TMP/certs" && sg cert assemble --tbs "$TMP/tbs.der" --sig "$TMP/c.sig" --out "$TMP/certs/c.pem" &&
        sg audit verify "$prev" --key "$TMP/e0/log.pub" --certs "$TMP/certs"
}
check "the certificate issued at last is in the log (audit verify --certs)" in_log
resets_logged() { # issue 16: each reset of the initialized token is an entry with its cause (docs/log.md RESET)
    sg audit report "$prev" --key "$TMP/e0/log.pub" --format json | python3 -c '
import json, sys
ev = [e for e in json.load(sys.stdin)["tokens"][0]["state_events"] if e["event"] == "reset"]
assert any("HardFault" in e["description"] for e in ev) and any("watchdog" in e["description"] for e in ev), ev
print("%d reset entries" % len(ev), file=sys.stderr)'
}
check "the log has a RESET entry for each reset since init, with its cause (HardFault, watchdog)" resets_logged
token_stop
exit $failed
