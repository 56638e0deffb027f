#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Connections (issue 14 item 5): clients that hold every link connection of
# the sim token and send nothing. Over the limit the CLI says "token busy"
# and the PKCS#11 module answers CKR_DEVICE_ERROR with that detail; idle
# connections close after the token's --idle-timeout and service returns; a
# logged-in module idle that long is logged out and its sessions closed,
# one that was not logged in reconnects unnoticed. Starts its own token.
source "$(dirname "$0")/lib/preamble.sh"
IDLE=4

"$TOKEN" --socket "$TMP/token.sock" --flash "$TMP/flash.bin" --idle-timeout $IDLE 2>>"$TMP/token.log" &
TOKEN_PID=$!
for _ in $(seq 200); do [ -S "$TMP/token.sock" ] && break; sleep 0.05; done
check "token with --idle-timeout starts" test -S "$TMP/token.sock"
check "init" sg_init --label conn --so-pin $SO_PIN --pin $PIN
check "bad --idle-timeout is refused" bash -c "! '$TOKEN' --socket '$TMP/x.sock' --flash '$TMP/x.bin' --idle-timeout 0"

cat >"$TMP/conn.c" <<'EOF'
#include "p11drv.h"
static CK_RV waiter_rv = CKR_OK;
static void *waiter(void *arg)
{
    CK_SLOT_ID sl;
    (void)arg;
    waiter_rv = f->C_WaitForSlotEvent(0, &sl, NULL);
    return NULL;
}
int main(int argc, char **argv)
{
    if (argc < 4)
        return 2;
    if (p11drv_load(argv[1]))
        return 2;
    CK_TOKEN_INFO ti;
    CK_SESSION_HANDLE s, s2;
    CK_SESSION_INFO si;
    unsigned idle = (unsigned)atoi(argv[3]);
    if (!strcmp(argv[2], "events")) {
        /* argv[4]: stops the token, argv[5]: starts it again (in the background). */
        CK_SLOT_ID sl = 99;
        is("slot event: NULL slot", f->C_WaitForSlotEvent(CKF_DONT_BLOCK, NULL, NULL), CKR_ARGUMENTS_BAD);
        is("slot event: pReserved", f->C_WaitForSlotEvent(CKF_DONT_BLOCK, &sl, &sl), CKR_ARGUMENTS_BAD);
        is("slot event: none pending (CKF_DONT_BLOCK)", f->C_WaitForSlotEvent(CKF_DONT_BLOCK, &sl, NULL), CKR_NO_EVENT);
        if (system(argv[4]) != 0)
            printf("not ok - stop the token\n");
        is("slot event: the token stopped (blocking)", f->C_WaitForSlotEvent(0, &sl, NULL), CKR_OK);
        is("slot event: slot 0", sl == 0 ? CKR_OK : CKR_GENERAL_ERROR, CKR_OK);
        is("slot event: reported once", f->C_WaitForSlotEvent(CKF_DONT_BLOCK, &sl, NULL), CKR_NO_EVENT);
        is("slot event: C_GetTokenInfo without a token", f->C_GetTokenInfo(0, &ti), CKR_TOKEN_NOT_PRESENT);
        if (system(argv[5]) != 0)
            printf("not ok - start the token\n");
        sl = 99;
        is("slot event: the token is back (blocking)", f->C_WaitForSlotEvent(0, &sl, NULL), CKR_OK);
        is("slot event: back on slot 0", sl == 0 ? CKR_OK : CKR_GENERAL_ERROR, CKR_OK);
        is("slot event: C_GetTokenInfo again", f->C_GetTokenInfo(0, &ti), CKR_OK);
        pthread_t th;
        pthread_create(&th, NULL, waiter, NULL);
        usleep(300000);
        f->C_Finalize(NULL);
        pthread_join(th, NULL);
        is("slot event: C_Finalize ends a blocking wait", waiter_rv, CKR_CRYPTOKI_NOT_INITIALIZED);
        return failed;
    }
    if (!strcmp(argv[2], "busy")) {
        is("module over the limit: C_GetTokenInfo is CKR_DEVICE_ERROR", f->C_GetTokenInfo(0, &ti), CKR_DEVICE_ERROR);
        is("module over the limit: C_OpenSession is CKR_DEVICE_ERROR",
           f->C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &s), CKR_DEVICE_ERROR);
    } else {
        is("idle: session before", f->C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &s), CKR_OK);
        sleep(idle + 2);
        is("idle, not logged in: the module reconnects (C_GetTokenInfo)", f->C_GetTokenInfo(0, &ti), CKR_OK);
        is("idle, not logged in: the session stays", f->C_GetSessionInfo(s, &si), CKR_OK);
        is("login", f->C_Login(s, CKU_USER, (CK_UTF8CHAR_PTR)"4321", 4), CKR_OK);
        is("logged in: find works", f->C_FindObjectsInit(s, NULL, 0), CKR_OK);
        f->C_FindObjectsFinal(s);
        sleep(idle + 2);
        is("idle while logged in: next call is CKR_DEVICE_ERROR", f->C_FindObjectsInit(s, NULL, 0), CKR_DEVICE_ERROR);
        is("idle while logged in: the session is closed", f->C_GetSessionInfo(s, &si), CKR_SESSION_HANDLE_INVALID);
        is("after: a new session", f->C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &s2), CKR_OK);
        is("after: the new session logs in", f->C_Login(s2, CKU_USER, (CK_UTF8CHAR_PTR)"4321", 4), CKR_OK);
        f->C_GetSessionInfo(s2, &si);
        is("after: the session is a user session", si.state == CKS_RO_USER_FUNCTIONS ? CKR_OK : CKR_GENERAL_ERROR,
           CKR_OK);
    }
    f->C_Finalize(NULL);
    return failed;
}
EOF
gcc $CFLAGS -Iinclude -Itest/integration/lib -o "$TMP/conn" "$TMP/conn.c" -ldl -lpthread >&2
check "conn.c compiles" test -x "$TMP/conn"

# hold N SECONDS: N silent connections for SECONDS; prints how many the
# token closed by then ("closed K").
cat >"$TMP/hold.py" <<'EOF'
import socket, sys, time
n, secs, path = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
ss = []
for _ in range(n):
    s = socket.socket(socket.AF_UNIX)
    s.connect(path)
    ss.append(s)
open(sys.argv[4], "w").write("held\n")
time.sleep(secs)
closed = 0
for s in ss:
    s.setblocking(False)
    try:
        closed += s.recv(1) == b""
    except BlockingIOError:
        pass
    except ConnectionResetError:
        closed += 1
print("closed", closed)
EOF
python3 "$TMP/hold.py" 8 $((IDLE * 2 + 3)) "$TMP/token.sock" "$TMP/held" >"$TMP/hold.out" &
HOLD=$!
for _ in $(seq 100); do [ -s "$TMP/held" ] && break; sleep 0.05; done

# Over the limit: the CLI and the module say why.
out=$(sg token status 2>&1); rc=$?
echo "$out" >&2
check "token status over the limit: exit 3" test $rc -eq 3
check "token status over the limit: 'token: busy' with the limit" grep -q "token: busy at .*all 8 connections in use" <<<"$out"
out=$(sg list --pin $PIN 2>&1); rc=$?
echo "$out" >&2
check "a verb over the limit fails" test $rc -ne 0
check "... with 'token busy'" grep -q "token busy" <<<"$out"

if [ -x "$TMP/conn" ]; then
    LD_PRELOAD=$PRELOAD "$TMP/conn" "$MOD" busy $IDLE 2>"$TMP/conn.err"
    cat "$TMP/conn.err" >&2
    check "module over the limit: one stderr line with the token's detail" \
        grep -q "sbrguard-pkcs11: .*token busy: all 8 connections in use" "$TMP/conn.err"
    SBRGUARD_CONF=$TMP/quiet.conf
    echo "p11-log = off" >"$SBRGUARD_CONF"
    SBRGUARD_CONF=$SBRGUARD_CONF LD_PRELOAD=$PRELOAD "$TMP/conn" "$MOD" busy $IDLE >/dev/null 2>"$TMP/conn.err"
    check "p11-log = off: the module is silent" test ! -s "$TMP/conn.err"
fi

# The silent connections close after the idle timeout: service returns
# while their holder still holds them.
sleep $((IDLE + 1))
check "service returns after the idle timeout (token status)" sg token status
check "a verb works again" sg list --pin $PIN
wait $HOLD
check "the token closed all 8 silent connections" grep -q "closed 8" "$TMP/hold.out"
check "the token logged why" grep -q "idle for .* closed" "$TMP/token.log"

# A raw link that logged in and then idles is closed (its login with it).
python3 - "$TMP/token.sock" $IDLE <<'EOF' >&2
import sys, time, struct
sys.path.insert(0, "test/integration/lib")
from sglink import Link, tlv
l = Link(sys.argv[1], timeout=10)
l.hello()
st, _ = l.call(0x03, tlv(0x04, bytes([1])) + tlv(0x02, b"4321"))
assert st == 0, st
time.sleep(int(sys.argv[2]) + 2)
try:
    l.call(0x01)
    sys.exit(1)
except (EOFError, BrokenPipeError, ConnectionResetError):
    pass
EOF
check "a logged-in raw link idle past the timeout is closed" test $? -eq 0

[ -x "$TMP/conn" ] && LD_PRELOAD=$PRELOAD "$TMP/conn" "$MOD" idle $IDLE

# Slot events: the token stopping and starting (C_WaitForSlotEvent).
cat >"$TMP/stop.sh" <<EOF
kill \$(cat "$TMP/tok.pid") && while [ -S "$TMP/token.sock" ]; do sleep 0.05; done
EOF
cat >"$TMP/start.sh" <<EOF
(sleep 1; "$TOKEN" --socket "$TMP/token.sock" --flash "$TMP/flash.bin" 2>>"$TMP/token.log" & echo \$! >"$TMP/tok.pid") &
EOF
echo "$TOKEN_PID" >"$TMP/tok.pid"
TOKEN_PID=
[ -x "$TMP/conn" ] && LD_PRELOAD=$PRELOAD "$TMP/conn" "$MOD" events $IDLE "sh $TMP/stop.sh" "sh $TMP/start.sh"
kill "$(cat "$TMP/tok.pid")" 2>/dev/null
exit $failed
