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

. "$ROOT/test/integration/lib/tmp.sh"

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
# refused WHAT PATTERN CMD...: CMD fails and its output (to stderr) matches PATTERN.
refused() {
    local what=$1 pat=$2
    shift 2
    "$@" >"$TMP/out" 2>&1
    local rc=$?
    cat "$TMP/out" >&2
    if [ $rc -ne 0 ] && grep -qE -- "$pat" "$TMP/out"; then ok "$what"; else notok "$what"; fi
}

# --- the CA's policy bundle (docs/bundle.md): the one fixture for every
# script that signs with a CA key ("with no bundle loaded, CA keys refuse").
# The security officer's policy key is made here by openssl; sg_init gives
# it to the token; policy_load_for signs and loads a bundle that lets the
# given CA keys issue every profile for up to 825 days.
POLICY_KEY=$TMP/policy-so.pem
POLICY_PUB=$TMP/policy-so.pub.pem
policy_key() {
    [ -s "$POLICY_PUB" ] || { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$POLICY_KEY" 2>/dev/null &&
        openssl pkey -in "$POLICY_KEY" -pubout -out "$POLICY_PUB"; }
}
# --- validation evidence (docs/evidence.md): the bundle trusts one
# validation authority, whose key is made here by openssl. `ev TBS [OPTS]`
# makes evidence for TBS now (sbrguard evidence make OPTS) and prints its
# file name: `sg sign ... --evidence "$(ev tbs.der)"`.
VA_KEY=$TMP/va.pem
VA_PUB=$TMP/va.pub.pem
va_key() {
    [ -s "$VA_PUB" ] || { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$VA_KEY" 2>/dev/null &&
        openssl pkey -in "$VA_KEY" -pubout -out "$VA_PUB"; }
}
ev() {
    local tbs=$1
    shift
    va_key && sg evidence make --va-key "$VA_KEY" --in "$tbs" --out "$tbs.ev" "$@" >/dev/null && echo "$tbs.ev"
}
# sg_init ARGS...: `sbrguard init ARGS --policy-key` with the SO's policy key.
sg_init() { policy_key && sg init "$@" --policy-key "$POLICY_PUB"; }
# policy_load_for [--extra LINES] [--so-pin P] KEY...: KEY is a CA key's public key or its
# certificate (PEM). A new version every call. Prints the token's answer.
policy_load_for() {
    local extra="" so=$SO_PIN n f
    while [ $# -gt 0 ]; do
        case $1 in
        --extra) extra=$2; shift 2 ;;
        --so-pin) so=$2; shift 2 ;;
        *) break ;;
        esac
    done
    policy_key && va_key || return 1
    n=$(($(cat "$TMP/policy.version" 2>/dev/null || echo 0) + 1))
    echo $n >"$TMP/policy.version"
    {
        echo "version = $n"
        local i=0
        for f in "$@"; do
            i=$((i + 1))
            if grep -q "BEGIN CERTIFICATE" "$f"; then openssl x509 -in "$f" -pubkey -noout >"$TMP/policy-ca$i.pub"; else cp "$f" "$TMP/policy-ca$i.pub"; fi
            printf '[ca]\nkey = policy-ca%s.pub\nva-key = va.pub.pem\ncaa-domain = ca.example\nprofiles = mailbox-legacy mailbox-multipurpose mailbox-strict organization-legacy organization-multipurpose organization-strict sponsor-legacy sponsor-multipurpose sponsor-strict individual-legacy individual-multipurpose individual-strict\nmax-validity-days = 825\n%b\n' "$i" "$extra"
        done
    } >"$TMP/policy.conf"
    sg policy sign --key "$POLICY_KEY" --in "$TMP/policy.conf" --out "$TMP/policy.der" >/dev/null &&
        sg policy load --in "$TMP/policy.der" --so-pin "$so"
}
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

# mk_ca NAME: a software root "NAME Root" and, under it, a CA certificate
# with subject $CA_SUBJ for the token key $EC (public key $TMP/ca.pub.pem),
# imported and bound on the token (audit.sh, audit_report.sh).
mk_ca() {
    openssl ecparam -name prime256v1 -genkey -noout -out "$TMP/root.key" &&
        openssl req -new -x509 -key "$TMP/root.key" -subj "/O=sbrguard tests/CN=$1 Root" -days 30 \
            -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign -out "$TMP/root.pem" &&
        openssl ecparam -name prime256v1 -genkey -noout -out "$TMP/csr.key" &&
        openssl req -new -key "$TMP/csr.key" -subj "$CA_SUBJ" -out "$TMP/ca.csr" &&
        printf 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n' >"$TMP/ca.ext" &&
        openssl x509 -req -in "$TMP/ca.csr" -CA "$TMP/root.pem" -CAkey "$TMP/root.key" -CAcreateserial \
            -force_pubkey "$TMP/ca.pub.pem" -days 30 -extfile "$TMP/ca.ext" -out "$TMP/ca.pem" &&
        sg cert import --key "${EC:-0}" --cert "$TMP/ca.pem" --pin $PIN
}
