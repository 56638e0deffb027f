# SPDX-License-Identifier: Apache-2.0
# Sourced by integration tests that run their own sim token: paths, an
# isolated environment in a temporary folder (removed on exit, token
# stopped), ASan runtime for tools that load an ASan module, and the
# "ok - / not ok -" output protocol (check WHAT CMD...). token_start starts
# the token of SBRGUARD_BOARD: sim (default) or mps2-an386 (the firmware in
# QEMU), so that one script's steps run against either.
cd "$(dirname "$0")/../.."
ROOT=$PWD
BIN=${BIN:-build/host}
SG=$ROOT/$BIN/sbrguard
MOD=$ROOT/$BIN/libsbrguard-pkcs11.so
TOKEN=$ROOT/$BIN/sbrguard-token
SO_PIN=12345678
PIN=4321

BOARD=${SBRGUARD_BOARD:-sim}
FIRMWARE=${SBRGUARD_FIRMWARE:-$ROOT/build/mps2-an386/sbrguard-fw.elf}

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

# token_start: the token on $TMP/token.sock (flash in $TMP), pid in TOKEN_PID.
token_start() {
    rm -f "$TMP/token.sock"
    if [ "$BOARD" = mps2-an386 ]; then
        [ -s "$TMP/mps2-seed.bin" ] || head -c 32 /dev/urandom >"$TMP/mps2-seed.bin"
        (cd "$TMP" && exec qemu-system-arm -M mps2-an386 -nographic -monitor none \
            -semihosting-config enable=on,target=native -serial chardev:link -kernel "$FIRMWARE" \
            -chardev socket,id=link,path="$TMP/token.sock",server=on,wait=off) 2>>"$TMP/token.log" &
    else
        "$TOKEN" --socket "$TMP/token.sock" --flash "$TMP/flash.bin" 2>>"$TMP/token.log" &
    fi
    TOKEN_PID=$!
    for _ in $(seq 200); do [ -S "$TMP/token.sock" ] && break; sleep 0.05; done
}
