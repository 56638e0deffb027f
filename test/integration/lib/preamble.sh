# SPDX-License-Identifier: Apache-2.0
# Sourced by integration tests that run their own sim token: paths, an
# isolated environment in a temporary folder (removed on exit, token
# stopped), ASan runtime for tools that load an ASan module, and the
# "ok - / not ok -" output protocol (check WHAT CMD...).
cd "$(dirname "$0")/../.."
ROOT=$PWD
BIN=${BIN:-build/host}
SG=$ROOT/$BIN/sbrguard
MOD=$ROOT/$BIN/libsbrguard-pkcs11.so
TOKEN=$ROOT/$BIN/sbrguard-token
SO_PIN=12345678
PIN=4321

TMP=$(mktemp -d)
TOKEN_PID=
cleanup() {
    [ -n "$TOKEN_PID" ] && kill "$TOKEN_PID" 2>/dev/null && wait "$TOKEN_PID" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT

unset SBRGUARD_CONF SBRGUARD_PIN SBRGUARD_SO_PIN SBRGUARD_P11_AUTHORIZE SBRGUARD_P11_DEBUG
export SBRGUARD_HOME=$TMP SBRGUARD_SOCKET=$TMP/token.sock HOME=$TMP
# Tools built without ASan need its runtime first to load an ASan module;
# their own leaks are not ours.
PRELOAD=
CFLAGS="-std=c11 -D_GNU_SOURCE -O1 -g -Wall -Wextra -Werror"
if ldd "$MOD" 2>/dev/null | grep -q libasan; then
    PRELOAD=$(gcc -print-file-name=libasan.so)
    CFLAGS="$CFLAGS -fsanitize=address,undefined -fno-omit-frame-pointer"
fi
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}

failed=0
ok() { echo "ok - $*"; }
notok() {
    echo "not ok - $*"
    failed=1
}
# check WHAT CMD...: runs CMD (its output to stderr), one line for the result.
check() {
    local what=$1
    shift
    if "$@" >&2 2>&2; then ok "$what"; else notok "$what"; fi
}
sg() { "$SG" "$@"; }
