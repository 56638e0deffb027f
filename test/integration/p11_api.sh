#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# PKCS#11 API conformance of libsbrguard-pkcs11.so, checked call by call by a
# C client compiled here (lib/p11_api*.c): locking arguments, length queries and
# CKR_BUFFER_TOO_SMALL, attribute rules, sign state machine, session objects,
# many threads, and the token dying and coming back. Starts its own
# sbrguard-token. BIN (default build/host; build/asan for ASan+UBSan).
#
# Output: one line per check on stdout, "ok - what" or "not ok - what";
# details go to stderr. Exit status is non-zero if any check failed.
set -u
cd "$(dirname "$0")/../.."
BIN=${BIN:-build/host}
MOD=$PWD/$BIN/libsbrguard-pkcs11.so
TOKEN=$PWD/$BIN/sbrguard-token
TMP=$(mktemp -d)
cleanup() {
    [ -f "$TMP/token.pid" ] && kill "$(cat "$TMP/token.pid")" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT

CFLAGS="-std=c11 -D_GNU_SOURCE -O1 -g -Wall -Wextra -Werror"
RUN_ENV=()
if ldd "$MOD" 2>/dev/null | grep -q libasan; then
    CFLAGS="$CFLAGS -fsanitize=address,undefined -fno-omit-frame-pointer"
fi

# Token control for the client: start (waits for the socket) and kill -9.
cat >"$TMP/start" <<EOF
#!/bin/sh
rm -f "$TMP/token.sock"
"$TOKEN" --socket "$TMP/token.sock" --flash "$TMP/flash.bin" 2>>"$TMP/token.log" &
echo \$! >"$TMP/token.pid"
i=0; while [ ! -S "$TMP/token.sock" ] && [ \$i -lt 200 ]; do sleep 0.05; i=\$((i+1)); done
[ -S "$TMP/token.sock" ]
EOF
cat >"$TMP/kill" <<EOF
#!/bin/sh
kill -9 \$(cat "$TMP/token.pid") 2>/dev/null; rm -f "$TMP/token.pid"; sleep 0.1
EOF
chmod +x "$TMP/start" "$TMP/kill"

openssl req -new -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$TMP/k.pem" \
    -subj "/CN=p11 api test" -days 30 -outform DER -out "$TMP/cert.der" 2>/dev/null


# shellcheck disable=SC2086
L=test/integration/lib
if ! gcc $CFLAGS -Iinclude -o "$TMP/api" $L/p11_api.c $L/p11_api_setup.c $L/p11_api_ops.c -ldl -lpthread >&2; then
    echo "not ok - compile the API client"
    exit 1
fi
if ! "$TMP/start"; then
    echo "not ok - token starts"
    exit 1
fi
echo "ok - token starts"
SBRGUARD_SOCKET=$TMP/token.sock SBRGUARD_HOME=$TMP "$TMP/api" "$MOD" "$TMP"
rc=$?
[ $rc = 0 ] || [ $rc = 1 ] || { echo "not ok - API client ended with status $rc"; exit 1; }

# CA binding: a certificate for the token's key "r1", self-signed through
# OpenSSL's pkcs11 engine, then bound with CKA_SBRGUARD_CA.
PRELOAD=
if ldd "$MOD" 2>/dev/null | grep -q libasan; then
    PRELOAD=$(gcc -print-file-name=libasan.so)
fi
sed "s|@MOD@|$MOD|" test/integration/lib/engine.cnf.in >"$TMP/engine.cnf"
if SBRGUARD_SOCKET=$TMP/token.sock OPENSSL_CONF=$TMP/engine.cnf ASAN_OPTIONS=detect_leaks=0 \
    LD_PRELOAD=$PRELOAD openssl req -new -x509 -engine pkcs11 -keyform engine \
    -key "pkcs11:id=r1;type=private;pin-value=1234" -subj "/CN=p11 api CA" -days 30 \
    -outform DER -out "$TMP/ca.der" >&2 2>&1; then
    echo "ok - openssl engine self-signs with the token key"
else
    echo "not ok - openssl engine self-signs with the token key"
    rc=1
fi
SBRGUARD_SOCKET=$TMP/token.sock SBRGUARD_HOME=$TMP "$TMP/api" "$MOD" "$TMP" bind || rc=1
exit $rc
