#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Several tokens (issue 14 item 2): two sim tokens named in one config file
# are two slots of the PKCS#11 module (distinct labels and serials, each with
# its own login and sessions, signing in parallel); a token stopping and
# starting is a slot event of its slot; `sbrguard --token LABEL|SERIAL`
# picks one; `audit verify` checks both exports in one run.
source "$(dirname "$0")/lib/preamble.sh"
unset SBRGUARD_SOCKET
A=$TMP/a B=$TMP/b C=$TMP/c
mkdir -p "$A" "$B" "$C"
PIDS=()
# tok_start DIR: a sim token on DIR/token.sock; its pid in DIR/pid.
tok_start() {
    rm -f "$1/token.sock"
    "$TOKEN" --socket "$1/token.sock" --flash "$1/flash.bin" 2>>"$1/token.log" &
    echo $! >"$1/pid"
    PIDS+=($!)
    for _ in $(seq 200); do [ -S "$1/token.sock" ] && return 0; sleep 0.05; done
    return 1
}
tok_stop() { kill "$(cat "$1/pid")" && while [ -S "$1/token.sock" ]; do sleep 0.05; done; }
stop_all() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; }
trap 'stop_all; cleanup' EXIT

check "token alpha starts" tok_start "$A"
check "token beta starts" tok_start "$B"
check "token alpha-twin starts" tok_start "$C"
SBRGUARD_SOCKET=$A/token.sock check "init alpha" sg_init --label alpha --so-pin $SO_PIN --pin $PIN
SBRGUARD_SOCKET=$B/token.sock check "init beta" sg_init --label beta --so-pin $SO_PIN --pin $PIN
SBRGUARD_SOCKET=$C/token.sock check "init alpha-twin (same label as alpha)" sg_init --label alpha --so-pin $SO_PIN --pin $PIN

export SBRGUARD_CONF=$TMP/sbrguard.conf
printf '# two tokens\nsocket = %s\ntoken = %s   # the second slot\n' "$A/token.sock" "$B/token.sock" >"$SBRGUARD_CONF"

p11() { LD_PRELOAD=$PRELOAD pkcs11-tool --module "$MOD" "$@"; }
# --- two slots through a real client ---------------------------------------------------------------
p11 --list-slots >"$TMP/slots" 2>&1
cat "$TMP/slots" >&2
check "pkcs11-tool --list-slots: two slots" test "$(grep -c '^Slot [0-9]' "$TMP/slots")" -eq 2
check "slot 0 is alpha, slot 1 is beta" bash -c "grep -A12 '^Slot 0' '$TMP/slots' | grep -q 'token label *: alpha' &&
    grep -A12 '^Slot 1' '$TMP/slots' | grep -q 'token label *: beta'"
SER_A=$(grep -A14 '^Slot 0' "$TMP/slots" | sed -n 's/.*serial num *: *//p' | head -1)
SER_B=$(grep -A14 '^Slot 1' "$TMP/slots" | sed -n 's/.*serial num *: *//p' | head -1)
check "the two tokens have distinct serials ('$SER_A', '$SER_B')" bash -c "[ -n '$SER_A' ] && [ -n '$SER_B' ] && [ '$SER_A' != '$SER_B' ]"
check "key pair on beta (sbrguard keygen --token beta)" sg keygen --token beta --type ec-p256 --id 0b --label kb --pubout "$TMP/b.pem" --pin $PIN
check "key pair on slot 0 (alpha)" p11 --slot 0 --login --pin $PIN --keypairgen --key-type EC:prime256v1 --id 0a --label ka
check "slot 0 does not list beta's key" bash -c "! LD_PRELOAD=$PRELOAD pkcs11-tool --module '$MOD' --slot 0 --list-objects 2>/dev/null | grep -q 'label: *kb'"
head -c 1000 /dev/urandom >"$TMP/data"
check "pkcs11-tool signs on slot 1" p11 --slot 1 --login --pin $PIN --sign -m ECDSA-SHA256 --id 0b \
    --signature-format openssl -i "$TMP/data" -o "$TMP/b.sig"
check "openssl verifies slot 1's signature" openssl dgst -sha256 -verify "$TMP/b.pem" -signature "$TMP/b.sig" "$TMP/data"

# --- the API: own login and sessions per slot, parallel signing, hot-plug --------------------------
cat >"$TMP/slots.c" <<'CEOF'
#include "p11drv.h"
static CK_SESSION_HANDLE sess[2];
static CK_OBJECT_HANDLE key[2];
static CK_RV sign_many(int slot, int n)
{
    CK_MECHANISM m = {CKM_ECDSA_SHA256, NULL, 0};
    for (int i = 0; i < n; i++) {
        CK_BYTE sig[64];
        CK_ULONG sl = sizeof sig;
        CK_RV rv = f->C_SignInit(sess[slot], &m, key[slot]);
        if (rv == CKR_OK)
            rv = f->C_Sign(sess[slot], (CK_BYTE_PTR)"tbs", 3, sig, &sl);
        if (rv != CKR_OK)
            return rv;
    }
    return CKR_OK;
}
static void *signer(void *arg) { return (void *)(long)sign_many((int)(long)arg, 30); }
static CK_ULONG slot_list(CK_BBOOL present, CK_SLOT_ID *out)
{
    CK_ULONG n = 8;
    return f->C_GetSlotList(present, out, &n) == CKR_OK ? n : 99;
}
int main(int argc, char **argv)
{
    if (argc < 4)
        return 2;
    if (p11drv_load(argv[1]))
        return 2;
    CK_SLOT_ID sl[8], ev = 99;
    CK_SLOT_INFO si;
    CK_TOKEN_INFO ti;
    CK_SESSION_INFO ssi;
    yes("C_GetSlotList(FALSE): slots 0 and 1", slot_list(CK_FALSE, sl) == 2 && sl[0] == 0 && sl[1] == 1);
    yes("C_GetSlotList(TRUE): both present", slot_list(CK_TRUE, sl) == 2);
    is("slot 2 does not exist", f->C_GetSlotInfo(2, &si), CKR_SLOT_ID_INVALID);
    is("C_OpenSession on slot 2", f->C_OpenSession(2, CKF_SERIAL_SESSION, NULL, NULL, &sess[0]), CKR_SLOT_ID_INVALID);
    for (int i = 0; i < 2; i++) {
        CK_OBJECT_CLASS cls = CKO_PRIVATE_KEY;
        CK_ATTRIBUTE t[] = {{CKA_CLASS, &cls, sizeof cls}};
        CK_ULONG n = 0;
        is("C_OpenSession", f->C_OpenSession(i, CKF_SERIAL_SESSION, NULL, NULL, &sess[i]), CKR_OK);
        f->C_GetSessionInfo(sess[i], &ssi);
        yes("the session is on its slot", ssi.slotID == (CK_SLOT_ID)i && ssi.state == CKS_RO_PUBLIC_SESSION);
        if (i == 0) {
            is("login on slot 0", f->C_Login(sess[0], CKU_USER, (CK_UTF8CHAR_PTR)argv[3], strlen(argv[3])), CKR_OK);
            f->C_GetSessionInfo(sess[1 - i], &ssi);
        }
        if (i == 1) {
            f->C_GetSessionInfo(sess[1], &ssi);
            yes("slot 0's login is not slot 1's", ssi.state == CKS_RO_PUBLIC_SESSION);
            is("login on slot 1", f->C_Login(sess[1], CKU_USER, (CK_UTF8CHAR_PTR)argv[3], strlen(argv[3])), CKR_OK);
        }
        f->C_FindObjectsInit(sess[i], t, 1);
        f->C_FindObjects(sess[i], &key[i], 1, &n);
        f->C_FindObjectsFinal(sess[i]);
        yes("a private key on the slot", n == 1);
    }
    yes("session handles differ between slots", sess[0] != sess[1]);
    pthread_t th[2];
    void *r[2];
    for (long i = 0; i < 2; i++)
        pthread_create(&th[i], NULL, signer, (void *)i);
    for (int i = 0; i < 2; i++)
        pthread_join(th[i], &r[i]);
    is("30 signatures on slot 0, in parallel with slot 1", (CK_RV)(long)r[0], CKR_OK);
    is("30 signatures on slot 1, in parallel with slot 0", (CK_RV)(long)r[1], CKR_OK);
    is("C_CloseAllSessions(0)", f->C_CloseAllSessions(0), CKR_OK);
    is("slot 0's session is closed", f->C_GetSessionInfo(sess[0], &ssi), CKR_SESSION_HANDLE_INVALID);
    is("slot 1's session stays", f->C_GetSessionInfo(sess[1], &ssi), CKR_OK);
    yes("and stays logged in", ssi.state == CKS_RO_USER_FUNCTIONS);

    /* Hot-plug: argv[2] is the token directory of slot 1's token. */
    char cmd[4096];
    is("no slot event yet (CKF_DONT_BLOCK)", f->C_WaitForSlotEvent(CKF_DONT_BLOCK, &ev, NULL), CKR_NO_EVENT);
    snprintf(cmd, sizeof cmd, "kill $(cat %s/pid) && while [ -S %s/token.sock ]; do sleep 0.05; done", argv[2], argv[2]);
    if (system(cmd) != 0)
        printf("not ok - stop slot 1's token\n");
    is("slot event when slot 1's token stops (blocking)", f->C_WaitForSlotEvent(0, &ev, NULL), CKR_OK);
    yes("the event names slot 1", ev == 1);
    is("reported once", f->C_WaitForSlotEvent(CKF_DONT_BLOCK, &ev, NULL), CKR_NO_EVENT);
    yes("C_GetSlotList(TRUE): only slot 0", slot_list(CK_TRUE, sl) == 1 && sl[0] == 0);
    yes("C_GetSlotList(FALSE): still both", slot_list(CK_FALSE, sl) == 2);
    is("C_GetSlotInfo(1)", f->C_GetSlotInfo(1, &si), CKR_OK);
    yes("slot 1: no token present, removable", !(si.flags & CKF_TOKEN_PRESENT) && (si.flags & CKF_REMOVABLE_DEVICE));
    is("C_GetTokenInfo(1) without its token", f->C_GetTokenInfo(1, &ti), CKR_TOKEN_NOT_PRESENT);
    is("slot 0 works on: C_GetTokenInfo(0)", f->C_GetTokenInfo(0, &ti), CKR_OK);
    yes("slot 0 is still alpha", !memcmp(ti.label, "alpha ", 6));
    snprintf(cmd, sizeof cmd, "(sleep 1; %s --socket %s/token.sock --flash %s/flash.bin 2>>%s/token.log & echo $! >%s/pid) &",
             getenv("TOKEN"), argv[2], argv[2], argv[2], argv[2]);
    if (system(cmd) != 0)
        printf("not ok - start slot 1's token\n");
    ev = 99;
    is("slot event when slot 1's token is back (blocking)", f->C_WaitForSlotEvent(0, &ev, NULL), CKR_OK);
    yes("the event names slot 1 again", ev == 1);
    yes("C_GetSlotList(TRUE): both again", slot_list(CK_TRUE, sl) == 2);
    f->C_GetSlotInfo(1, &si);
    yes("slot 1: token present", (si.flags & CKF_TOKEN_PRESENT) != 0);
    is("C_GetTokenInfo(1) again", f->C_GetTokenInfo(1, &ti), CKR_OK);
    yes("slot 1 is beta", !memcmp(ti.label, "beta ", 5));
    f->C_Finalize(NULL);
    return failed;
}
CEOF
gcc $CFLAGS -Iinclude -Itest/integration/lib -o "$TMP/slots" "$TMP/slots.c" -ldl -lpthread >&2
check "slots.c compiles" test -x "$TMP/slots"
[ -x "$TMP/slots" ] && TOKEN=$TOKEN LD_PRELOAD=$PRELOAD "$TMP/slots" "$MOD" "$B" "$PIN"
PIDS+=($(cat "$B/pid"))

# --- sbrguard --token ------------------------------------------------------------------------------
sg token list >"$TMP/list" 2>&1
rc=$?
cat "$TMP/list" >&2
check "sbrguard token list: both, in slot order, with label and serial" bash -c "[ $rc -eq 0 ] &&
    grep -q \"^slot 0: $A/token.sock: label 'alpha' serial $SER_A\" '$TMP/list' && grep -q \"^slot 1: $B/token.sock: label 'beta' serial $SER_B\" '$TMP/list'"
check "sbrguard list --token beta: beta's key" bash -c "'$SG' list --token beta --pin $PIN | grep -q kb"
check "sbrguard list --token $SER_B (serial): beta's key" bash -c "'$SG' list --token '$SER_B' --pin $PIN | grep -q kb"
check "sbrguard list --token alpha: alpha's key, not beta's" bash -c "out=\$('$SG' list --token alpha --pin $PIN) && grep -q ka <<<\"\$out\" && ! grep -q kb <<<\"\$out\""
check "no --token: the first token (alpha)" bash -c "'$SG' list --pin $PIN | grep -q ka"
fails() { # WHAT PATTERN CMD...: CMD exits 1 and says PATTERN on stderr
    local what=$1 pat=$2 rc
    shift 2
    "$@" >"$TMP/out" 2>"$TMP/err"
    rc=$?
    cat "$TMP/err" >&2
    if [ $rc -eq 1 ] && grep -Eq -e "$pat" "$TMP/err"; then ok "$what"; else notok "$what (exit $rc)"; fi
}
fails "--token nosuch: no token, the configured ones listed" \
    "--token nosuch: no configured token has this label or serial number \(.*label 'alpha'.*label 'beta'" sg list --token nosuch --pin $PIN
"$SG" token stop --token beta 2>"$TMP/err"
check "token stop --token: refused (exit 2), beta still runs" bash -c "[ $? -eq 2 ] && grep -q 'takes no --token' '$TMP/err' && '$SG' token status --token beta >/dev/null"
fails "--token without a value" "option --token needs a value" sg list --token
fails "--token twice" "--token given twice" sg list --token alpha --token beta
printf 'socket = %s\ntoken = %s\n' "$A/token.sock" "$C/token.sock" >"$TMP/twins.conf"
fails "--token alpha with two tokens labelled alpha: ambiguous, give the serial" \
    "--token alpha: 2 configured tokens have this label; give the serial number" env SBRGUARD_CONF="$TMP/twins.conf" "$SG" list --token alpha --pin $PIN
check "--token SERIAL picks one of the twins" bash -c "SBRGUARD_CONF='$TMP/twins.conf' '$SG' list --token '$SER_A' --pin $PIN | grep -q ka"
fails "SBRGUARD_SOCKET is the one token: --token beta does not match alpha" "no configured token" \
    env SBRGUARD_SOCKET="$A/token.sock" "$SG" list --token beta --pin $PIN
printf 'token = %s\ntoken = %s\n' "$A/token.sock" "$A/token.sock" >"$TMP/dup.conf"
fails "a config naming one socket twice: the line is named" "dup.conf:2: the same socket names two tokens" \
    env SBRGUARD_CONF="$TMP/dup.conf" "$SG" list --token alpha --pin $PIN
check "the module refuses that config at C_Initialize" bash -c "! SBRGUARD_CONF='$TMP/dup.conf' LD_PRELOAD=$PRELOAD pkcs11-tool --module '$MOD' --list-slots 2>'$TMP/dup.err'; grep -q 'config: .*dup.conf:2' '$TMP/dup.err'"

# --- audit verify over both exports ----------------------------------------------------------------
check "audit export of alpha" sg audit export "$TMP/ea" --token alpha --pin $PIN
check "audit export of beta" sg audit export "$TMP/eb" --token beta --pin $PIN
check "the exports are of two logs" bash -c "[ \"\$(head -1 '$TMP/ea/checkpoint')\" != \"\$(head -1 '$TMP/eb/checkpoint')\" ]"
sg audit verify "$TMP/ea" "$TMP/eb" --key "$TMP/ea/log.pub" --key "$TMP/eb/log.pub" >"$TMP/v.out" 2>&1
rc=$?
cat "$TMP/v.out" >&2
check "audit verify of both exports: exit 0" test $rc -eq 0
check "one section per export, each OK, then one line" bash -c "grep -q '^== export 1 of 2: $TMP/ea' '$TMP/v.out' &&
    grep -q '^== export 2 of 2: $TMP/eb' '$TMP/v.out' && [ \$(grep -c '^audit verify: OK' '$TMP/v.out') -eq 2 ] &&
    grep -q '^audit verify: all 2 exports OK' '$TMP/v.out'"
check "--format json: both reports, result ok" bash -c "sg() { '$SG' \"\$@\"; }; sg audit verify '$TMP/ea' '$TMP/eb' --key '$TMP/ea/log.pub' --key '$TMP/eb/log.pub' --format json |
    python3 -c 'import json,sys; d=json.load(sys.stdin); assert d[\"result\"]==\"ok\" and len(d[\"exports\"])==2 and all(e[\"report\"][\"result\"]==\"ok\" for e in d[\"exports\"])'"
cp -a "$TMP/eb" "$TMP/eb-t"
python3 -c 'import sys
p = sys.argv[1]; b = bytearray(open(p, "rb").read()); o = b.index(b"\n", b.index(b"\n") + 1) + 5
b[o] = ord("A") if b[o] != ord("A") else ord("B"); open(p, "wb").write(bytes(b))' "$TMP/eb-t/checkpoint"
sg audit verify "$TMP/ea" "$TMP/eb-t" --key "$TMP/ea/log.pub" --key "$TMP/eb/log.pub" >"$TMP/v.out" 2>"$TMP/v.err"
rc=$?
cat "$TMP/v.out" "$TMP/v.err" >&2
check "one export tampered: exit 1" test $rc -eq 1
check "alpha's section OK, beta's FAILED, overall 1 of 2" bash -c "grep -q '^audit verify: OK' '$TMP/v.out' &&
    grep -q '^audit verify: FAILED: checkpoint' '$TMP/v.out' && grep -q '^audit verify: 1 of 2 exports FAILED' '$TMP/v.out' &&
    grep -q 'eb-t: checkpoint' '$TMP/v.err'"
fails "beta's export with alpha's key: fails" "exports FAILED|audit verify: .*eb" \
    sg audit verify "$TMP/ea" "$TMP/eb" --key "$TMP/ea/log.pub" --key "$TMP/ea/log.pub"
sg audit verify "$TMP/ea" "$TMP/eb" --key "$TMP/ea/log.pub" >/dev/null 2>"$TMP/v.err"
check "two exports, one --key: usage error (exit 2)" bash -c "[ $? -eq 2 ] && grep -q 'one --key per DIR' '$TMP/v.err'"
exit $failed
