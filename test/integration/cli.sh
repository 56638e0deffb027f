#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Integration test of the `sbrguard` CLI against the sim token.
#
# Uses ${BIN:-build/host}/sbrguard (BIN=build/asan for the ASan+UBSan build)
# with a fresh SBRGUARD_HOME, and checks: --help and option errors, token
# start/status/stop, init, key generation for every key type, list, signing
# with every mechanism (each signature verified by openssl against the
# --pubout PEM), CA keys and CA-certificate binding, PIN lockout across a
# restart, re-initialization, and persistence across a SIGKILL of the token.
#
# Output: one line per check on stdout ("ok - ..." / "not ok - ...");
# everything else goes to stderr. Exits non-zero if any check failed.
set -u

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BIN=${BIN:-build/host}
[ -d "$BIN" ] || BIN=$ROOT/$BIN
BIN=$(cd "$BIN" 2>/dev/null && pwd || echo "$BIN")
SG=$BIN/sbrguard

SO_PIN=87654321
PIN=123456
NEW_PIN=24681357

pass=0 fail=0
ok() { echo "ok - $*"; pass=$((pass + 1)); }
notok() { echo "not ok - $*"; fail=$((fail + 1)); }
log() { echo "$*" >&2; }
# check WHAT COMMAND...: one line for the result of a command.
check() {
    local what=$1
    shift
    if "$@" >&2; then ok "$what"; else notok "$what"; fi
}

# --- workspace and cleanup ------------------------------------------------------
unset SBRGUARD_SOCKET SBRGUARD_CONF SBRGUARD_PIN SBRGUARD_SO_PIN SBRGUARD_TOKEN_BIN
SBRGUARD_HOME=$(mktemp -d)
WORK=$(mktemp -d)
export SBRGUARD_HOME
# A config file of the user's must not point the CLI at another token.
export HOME=$WORK
if grep -qs '^[[:space:]]*socket' /etc/sbrguard/sbrguard.conf; then
    export SBRGUARD_SOCKET=$SBRGUARD_HOME/token.sock
fi
OUT=$WORK/stdout
ERR=$WORK/stderr
ALLERR=$WORK/cli-stderr.all
: >"$ALLERR"

token_pid() { cat "$SBRGUARD_HOME/token.pid" 2>/dev/null; }
# gone PID: the process exits (or is a zombie) within 3 s.
gone() {
    local i
    for i in $(seq 30); do
        kill -0 "$1" 2>/dev/null || return 0
        [ "$(awk '/^State:/ {print $2}' "/proc/$1/status" 2>/dev/null)" = Z ] && return 0
        sleep 0.1
    done
    return 1
}

cleanup() {
    local pid
    trap - EXIT INT TERM HUP
    pid=$(token_pid)
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        "$SG" token stop >&2 2>&1
        kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
    fi
    rm -rf "$SBRGUARD_HOME" "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# openssl is not ours: it runs without leak detection (matters for ASan builds).
ossl() { ASAN_OPTIONS=detect_leaks=0 openssl "$@"; }

# sg ARGS...: runs the CLI; stdout in $OUT, stderr in $ERR, status in $RC.
sg() {
    "$SG" "$@" >"$OUT" 2>"$ERR"
    RC=$?
    {
        echo "\$ sbrguard $* -> exit $RC"
        sed 's/^/  out: /' "$OUT"
        sed 's/^/  err: /' "$ERR"
    } >&2
    cat "$ERR" >>"$ALLERR"
}
# expect_ok WHAT ARGS...: the command succeeds.
expect_ok() {
    local what=$1
    shift
    sg "$@"
    if [ "$RC" -eq 0 ]; then ok "$what"; else notok "$what"; fi
}
# expect_fail WHAT REGEX ARGS...: the command fails (without crashing) and its
# stderr matches REGEX (case-insensitive, extended).
expect_fail() {
    local what=$1 re=$2
    shift 2
    sg "$@"
    if [ "$RC" -ne 0 ] && [ "$RC" -lt 128 ] && grep -qiE -- "$re" "$ERR"; then
        ok "$what"
    else
        log "  expected a failure with stderr matching /$re/"
        notok "$what"
    fi
}
out_has() { grep -qE -- "$1" "$OUT"; }
handle_of() { sed -n 's/.*handle \([0-9][0-9]*\).*/\1/p' "$OUT" | head -n1; }

if [ ! -x "$SG" ] || [ ! -x "$BIN/sbrguard-token" ]; then
    notok "binaries $SG and sbrguard-token exist (build with make all / make SAN=1 all)"
    exit 1
fi
log "BIN=$BIN SBRGUARD_HOME=$SBRGUARD_HOME WORK=$WORK"

# --- help, usage errors ------------------------------------------------------------
for verb in token init keygen list cert sign; do
    sg "$verb" --help
    if [ "$RC" -eq 0 ] && grep -q "usage: sbrguard $verb" "$OUT"; then
        ok "sbrguard $verb --help exits 0 and prints usage"
    else
        notok "sbrguard $verb --help exits 0 and prints usage"
    fi
done
sg --help
if [ "$RC" -eq 0 ] && grep -q "usage: sbrguard" "$OUT"; then ok "sbrguard --help exits 0 and prints usage"; else notok "sbrguard --help exits 0 and prints usage"; fi
expect_fail "sbrguard without a verb fails with usage on stderr" "usage"
expect_fail "unknown verb fails naming it" "frobnicate" frobnicate
expect_fail "unknown option fails naming it (list --bogus)" "--bogus" list --bogus
expect_fail "unknown option fails naming it (keygen --colour)" "--colour" keygen --type ec-p256 --label x --colour red
expect_fail "unknown token subcommand fails" "usage|restart" token restart
expect_fail "token without a subcommand fails" "usage" token
expect_fail "option without its value fails naming it (sign --key)" "--key" sign --key
expect_fail "keygen without --type fails naming --type" "--type" keygen --label x
expect_fail "keygen with an unknown --type fails naming --type" "--type" keygen --type ec-p999 --label x
expect_fail "keygen without --label fails naming --label" "--label" keygen --type ec-p256
expect_fail "keygen with a 33-character label fails" "label" keygen --type ec-p256 --label 123456789012345678901234567890123
expect_fail "init without --so-pin fails naming it" "--so-pin" init --label x --pin 1234
expect_fail "sign without --key fails naming --key" "--key" sign --mech ecdsa --in /dev/null --out "$WORK/x"
expect_fail "sign with an unknown --mech fails naming it" "rot13" sign --key 1 --mech rot13 --in /dev/null --out "$WORK/x"
expect_fail "sign without --in fails naming --in" "--in" sign --key 1 --mech ecdsa-sha256 --out "$WORK/x"
expect_fail "cert without 'import' fails" "usage|import" cert --key 1 --cert /dev/null
expect_fail "cert import without --cert fails naming --cert" "--cert" cert import --key 1
expect_fail "cert import with a non-numeric --key fails" "--key" cert import --key abc --cert /dev/null

# --- token start / status ----------------------------------------------------------
sg token status
if [ "$RC" -eq 3 ]; then ok "token status before start exits 3"; else notok "token status before start exits 3"; fi
expect_fail "list before start fails: cannot connect" "connect|start" list
expect_ok "token start" token start
pid1=$(token_pid)
check "token start writes token.pid with a live pid" kill -0 "${pid1:-0}"
check "token socket and flash are in SBRGUARD_HOME" test -S "$SBRGUARD_HOME/token.sock" -a -f "$SBRGUARD_HOME/flash.bin"
expect_ok "token start again while running exits 0" token start
check "second token start keeps the same token" test "$(token_pid)" = "$pid1"
sg token status
if [ "$RC" -eq 0 ] && out_has "initialized: no"; then ok "token status exits 0 and shows a blank token"; else notok "token status exits 0 and shows a blank token"; fi

# --- init ------------------------------------------------------------------------------
expect_fail "list on a blank token fails: not initialized" "not initialized" list
expect_ok "init" init --label cli-test --so-pin "$SO_PIN" --pin "$PIN"
sg token status
if [ "$RC" -eq 0 ] && out_has "initialized: yes" && out_has "user PIN: set" && out_has "label: cli-test"; then
    ok "token status shows the token initialized with a user PIN"
else notok "token status shows the token initialized with a user PIN"; fi
expect_fail "init with a wrong SO PIN fails" "PIN incorrect" init --label x --so-pin 11112222 --pin "$PIN"
expect_ok "init with the right SO PIN again" init --label cli-test --so-pin "$SO_PIN" --pin "$PIN"
expect_fail "keygen with a wrong PIN fails: PIN incorrect" "PIN incorrect" keygen --type ec-p256 --label x --pin 99999999
expect_fail "keygen without a PIN fails asking for it" "PIN" keygen --type ec-p256 --label x

# --- keys ------------------------------------------------------------------------------
declare -A H=()
declare -A PEMINFO=([ec-p256]="prime256v1|P-256" [ec-p384]="secp384r1|P-384" [ec-p521]="secp521r1|P-521"
    [rsa-2048]="\(2048 bit" [rsa-3072]="\(3072 bit" [rsa-4096]="\(4096 bit")
for t in ec-p256 ec-p384 ec-p521 rsa-2048 rsa-3072 rsa-4096; do
    sg keygen --type "$t" --label "key-$t" --id "$(printf '%s' "$t" | od -An -tx1 | tr -d ' \n')" \
        --pubout "$WORK/$t.pem" --pin "$PIN"
    h=$(handle_of)
    if [ "$RC" -eq 0 ] && [ -n "$h" ]; then ok "keygen $t prints a handle"; H[$t]=$h; else notok "keygen $t prints a handle"; fi
    if ossl pkey -pubin -in "$WORK/$t.pem" -noout -text 2>&1 | grep -qE "${PEMINFO[$t]}"; then
        ok "keygen $t --pubout writes a $t public key PEM"
    else notok "keygen $t --pubout writes a $t public key PEM"; fi
done
SBRGUARD_PIN=$PIN sg keygen --type ec-p256 --label env-pin-key --pubout "$WORK/env.pem"
if [ "$RC" -eq 0 ]; then ok "keygen takes the PIN from SBRGUARD_PIN"; else notok "keygen takes the PIN from SBRGUARD_PIN"; fi
H[env]=$(handle_of)

sg list
list_ok=1
for t in ec-p256 ec-p384 ec-p521 rsa-2048 rsa-3072 rsa-4096; do
    grep -qE "^${H[$t]:-none} +key +$t +.*key-$t\$" "$OUT" || { list_ok=0; log "  list lacks $t (handle ${H[$t]:-none})"; }
done
if [ "$RC" -eq 0 ] && [ $list_ok = 1 ]; then ok "list shows every generated key with its type and label"; else notok "list shows every generated key with its type and label"; fi
sg list --pin "$PIN"
if [ "$RC" -eq 0 ] && grep -qE "^${H[rsa-4096]:-none} +key +rsa-4096" "$OUT"; then ok "list --pin works"; else notok "list --pin works"; fi
if grep -q "^${H[ec-p256]:-none} .*$(printf 'ec-p256' | od -An -tx1 | tr -d ' \n' | cut -c1-16)" "$OUT"; then
    ok "list shows the key id"
else notok "list shows the key id"; fi

# --- signatures, verified by openssl ------------------------------------------------
head -c 1000 /dev/urandom >"$WORK/msg"
: >"$WORK/empty"
ossl dgst -sha256 -binary "$WORK/msg" >"$WORK/msg.sha256"
ossl dgst -sha384 -binary "$WORK/msg" >"$WORK/msg.sha384"
ossl dgst -sha512 -binary "$WORK/msg" >"$WORK/msg.sha512"
# DigestInfo of SHA-256 (RFC 8017 9.2 note 1) around the digest.
{ printf '\x30\x31\x30\x0d\x06\x09\x60\x86\x48\x01\x65\x03\x04\x02\x01\x05\x00\x04\x20'; cat "$WORK/msg.sha256"; } >"$WORK/msg.di256"
TESTED_MECHS=" "
n=0
# sign KEY MECH INPUT [--salt-len N]: signs INPUT with key ${H[KEY]} into $SIG.
sign() {
    local t=$1 mech=$2 in=$3
    shift 3
    n=$((n + 1))
    SIG=$WORK/sig.$n
    TESTED_MECHS="$TESTED_MECHS$mech "
    sg sign --key "${H[$t]:-0}" --mech "$mech" --in "$in" --out "$SIG" --pin "${SIGN_PIN:-$PIN}" "$@"
    [ "$RC" -eq 0 ] && [ -s "$SIG" ]
}
verified() { # WHAT COMMAND...: sign already ran; COMMAND verifies $SIG
    local what=$1
    shift
    if [ "$RC" -eq 0 ] && [ -s "$SIG" ] && "$@" >&2 2>&1; then ok "$what"; else notok "$what"; fi
}
for t in ec-p256 ec-p384 ec-p521; do
    pem=$WORK/$t.pem
    for hsh in sha256 sha384 sha512; do
        sign "$t" "ecdsa-$hsh" "$WORK/msg"
        verified "sign $t ecdsa-$hsh verifies with openssl dgst -$hsh" \
            ossl dgst "-$hsh" -verify "$pem" -signature "$SIG" "$WORK/msg"
    done
    sign "$t" ecdsa "$WORK/msg.sha256"
    verified "sign $t raw ecdsa of a SHA-256 digest verifies with openssl pkeyutl" \
        ossl pkeyutl -verify -pubin -inkey "$pem" -in "$WORK/msg.sha256" -sigfile "$SIG"
done
sign ec-p384 ecdsa "$WORK/msg.sha384"
verified "sign ec-p384 raw ecdsa of a SHA-384 digest verifies with openssl pkeyutl" \
    ossl pkeyutl -verify -pubin -inkey "$WORK/ec-p384.pem" -in "$WORK/msg.sha384" -sigfile "$SIG"
sign ec-p256 ecdsa-sha256 "$WORK/empty"
verified "sign ec-p256 ecdsa-sha256 of an empty file verifies" \
    ossl dgst -sha256 -verify "$WORK/ec-p256.pem" -signature "$SIG" "$WORK/empty"
sign ec-p256 ecdsa-sha256 "$WORK/msg"
cp "$SIG" "$WORK/sig.keep"
if ! ossl dgst -sha256 -verify "$WORK/ec-p384.pem" -signature "$WORK/sig.keep" "$WORK/msg" >&2 2>&1 &&
    ! ossl dgst -sha256 -verify "$WORK/ec-p256.pem" -signature "$WORK/sig.keep" "$WORK/msg.sha256" >&2 2>&1; then
    ok "openssl rejects an ECDSA signature against the wrong key or data (sanity)"
else notok "openssl rejects an ECDSA signature against the wrong key or data (sanity)"; fi

pem=$WORK/rsa-2048.pem
for hsh in sha256 sha384 sha512; do
    sign rsa-2048 "$hsh-rsa-pkcs" "$WORK/msg"
    verified "sign rsa-2048 $hsh-rsa-pkcs verifies with openssl dgst -$hsh" \
        ossl dgst "-$hsh" -verify "$pem" -signature "$SIG" "$WORK/msg"
done
sign rsa-2048 rsa-pkcs "$WORK/msg.di256"
verified "sign rsa-2048 raw rsa-pkcs of a SHA-256 DigestInfo verifies with openssl pkeyutl -pkeyopt digest:sha256" \
    ossl pkeyutl -verify -pubin -inkey "$pem" -in "$WORK/msg.sha256" -sigfile "$SIG" -pkeyopt digest:sha256
recovers() { ossl pkeyutl -verifyrecover -pubin -inkey "$1" -in "$2" | cmp - "$3"; }
verified "sign rsa-2048 raw rsa-pkcs recovers the exact DigestInfo (openssl pkeyutl -verifyrecover)" \
    recovers "$pem" "$SIG" "$WORK/msg.di256"
for hsh in sha256 sha384 sha512; do
    sign rsa-2048 "$hsh-rsa-pkcs-pss" "$WORK/msg"
    slen=$(($(wc -c <"$WORK/msg.$hsh")))
    verified "sign rsa-2048 $hsh-rsa-pkcs-pss (salt $slen) verifies with openssl dgst" \
        ossl dgst "-$hsh" -sigopt rsa_padding_mode:pss -sigopt "rsa_pss_saltlen:$slen" -verify "$pem" -signature "$SIG" "$WORK/msg"
done
for salt in 0 20; do
    sign rsa-2048 sha256-rsa-pkcs-pss "$WORK/msg" --salt-len "$salt"
    verified "sign rsa-2048 sha256-rsa-pkcs-pss --salt-len $salt verifies with openssl dgst" \
        ossl dgst -sha256 -sigopt rsa_padding_mode:pss -sigopt "rsa_pss_saltlen:$salt" -verify "$pem" -signature "$SIG" "$WORK/msg"
done
for hsh in sha256 sha512; do
    sign rsa-2048 rsa-pkcs-pss "$WORK/msg.$hsh"
    slen=$(($(wc -c <"$WORK/msg.$hsh")))
    verified "sign rsa-2048 raw rsa-pkcs-pss of a ${hsh^^} digest verifies with openssl pkeyutl" \
        ossl pkeyutl -verify -pubin -inkey "$pem" -in "$WORK/msg.$hsh" -sigfile "$SIG" \
        -pkeyopt rsa_padding_mode:pss -pkeyopt "rsa_pss_saltlen:$slen" -pkeyopt "digest:$hsh"
done
sign rsa-3072 sha384-rsa-pkcs "$WORK/msg"
verified "sign rsa-3072 sha384-rsa-pkcs verifies with openssl dgst" \
    ossl dgst -sha384 -verify "$WORK/rsa-3072.pem" -signature "$SIG" "$WORK/msg"
sign rsa-3072 sha256-rsa-pkcs-pss "$WORK/msg"
verified "sign rsa-3072 sha256-rsa-pkcs-pss verifies with openssl dgst" \
    ossl dgst -sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32 -verify "$WORK/rsa-3072.pem" -signature "$SIG" "$WORK/msg"
sign rsa-4096 sha512-rsa-pkcs "$WORK/msg"
verified "sign rsa-4096 sha512-rsa-pkcs verifies with openssl dgst" \
    ossl dgst -sha512 -verify "$WORK/rsa-4096.pem" -signature "$SIG" "$WORK/msg"
sign rsa-4096 sha512-rsa-pkcs-pss "$WORK/msg"
verified "sign rsa-4096 sha512-rsa-pkcs-pss verifies with openssl dgst" \
    ossl dgst -sha512 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:64 -verify "$WORK/rsa-4096.pem" -signature "$SIG" "$WORK/msg"

# Every mechanism `sign --help` offers was exercised above.
"$SG" sign --help 2>/dev/null | tr '\n' ' ' | sed 's/.*MECH://; s/(raw.*//' | tr ' ' '\n' |
    grep -E '^[a-z0-9-]+$' | sort -u >"$WORK/mechs.help"
missing=""
while read -r m; do case "$TESTED_MECHS" in *" $m "*) ;; *) missing="$missing $m" ;; esac; done <"$WORK/mechs.help"
if [ -s "$WORK/mechs.help" ] && [ -z "$missing" ]; then
    ok "every mechanism listed by sign --help ($(wc -l <"$WORK/mechs.help")) was signed with and verified"
else
    log "  untested mechanisms:$missing"
    notok "every mechanism listed by sign --help was signed with and verified"
fi

# Mismatched mechanism and key.
expect_fail "ecdsa-sha256 on an RSA key fails: mechanism" "mechanism" sign --key "${H[rsa-2048]:-0}" --mech ecdsa-sha256 --in "$WORK/msg" --out "$WORK/bad.sig" --pin "$PIN"
expect_fail "raw ecdsa on an RSA key fails: mechanism" "mechanism" sign --key "${H[rsa-2048]:-0}" --mech ecdsa --in "$WORK/msg.sha256" --out "$WORK/bad.sig" --pin "$PIN"
expect_fail "sha256-rsa-pkcs on an EC key fails: mechanism" "mechanism" sign --key "${H[ec-p256]:-0}" --mech sha256-rsa-pkcs --in "$WORK/msg" --out "$WORK/bad.sig" --pin "$PIN"
expect_fail "sign with a handle that does not exist fails" "no such object" sign --key 999 --mech ecdsa-sha256 --in "$WORK/msg" --out "$WORK/bad.sig" --pin "$PIN"
expect_fail "sign --salt-len with a non-number fails naming --salt-len" "salt" sign --key "${H[rsa-2048]:-0}" --mech sha256-rsa-pkcs-pss --salt-len abc --in "$WORK/msg" --out "$WORK/bad.sig" --pin "$PIN"
expect_fail "sign --salt-len too large for the key fails" "param|salt" sign --key "${H[rsa-2048]:-0}" --mech sha256-rsa-pkcs-pss --salt-len 300 --in "$WORK/msg" --out "$WORK/bad.sig" --pin "$PIN"
head -c 7000 /dev/urandom >"$WORK/big"
expect_fail "sign of more than 6144 bytes fails: data length" "length" sign --key "${H[ec-p256]:-0}" --mech ecdsa-sha256 --in "$WORK/big" --out "$WORK/bad.sig" --pin "$PIN"
expect_fail "raw ecdsa of a 65-byte digest fails: data length" "length" sign --key "${H[ec-p256]:-0}" --mech ecdsa --in <(head -c 65 /dev/zero) --out "$WORK/bad.sig" --pin "$PIN"
expect_fail "raw rsa-pkcs-pss with a 20-byte digest fails" "length|param" sign --key "${H[rsa-2048]:-0}" --mech rsa-pkcs-pss --in <(head -c 20 /dev/zero) --out "$WORK/bad.sig" --pin "$PIN"

# --- CA keys and CA certificates -----------------------------------------------------------
sg keygen --type ec-p256 --label ca-key --ca --pubout "$WORK/ca-key.pem" --pin "$PIN"
H[ca]=$(handle_of)
if [ "$RC" -eq 0 ] && [ -n "${H[ca]}" ] && grep -q "CA key" "$OUT"; then ok "keygen --ca"; else notok "keygen --ca"; fi
sg list
if grep -qE "^${H[ca]:-none} +key +ec-p256 .* ca +ca-key\$" "$OUT"; then ok "list flags the --ca key as ca"; else notok "list flags the --ca key as ca"; fi
expect_fail "a --ca key refuses to sign (policy)" "policy" sign --key "${H[ca]:-0}" --mech ecdsa-sha256 --in "$WORK/msg" --out "$WORK/bad.sig" --pin "$PIN"
expect_fail "a --ca key refuses raw ecdsa too (policy)" "policy" sign --key "${H[ca]:-0}" --mech ecdsa --in "$WORK/msg.sha256" --out "$WORK/bad.sig" --pin "$PIN"

# Token keys to bind: the certificates carry the token's public keys, issued by
# a throwaway openssl CA; the private keys never leave the token.
sg keygen --type ec-p256 --label bind-me --pubout "$WORK/bind.pem" --pin "$PIN"
H[bind]=$(handle_of)
sg keygen --type ec-p256 --label other-key --pubout "$WORK/other.pem" --pin "$PIN"
H[other]=$(handle_of)
sg keygen --type rsa-2048 --label bind-der --pubout "$WORK/bind-der.pem" --pin "$PIN"
H[bindder]=$(handle_of)
if [ -n "${H[bind]}" ] && [ -n "${H[other]}" ] && [ -n "${H[bindder]}" ]; then ok "keygen of the keys to bind"; else notok "keygen of the keys to bind"; fi
sign bind ecdsa-sha256 "$WORK/msg"
verified "key to bind signs before binding" ossl dgst -sha256 -verify "$WORK/bind.pem" -signature "$SIG" "$WORK/msg"
cat >"$WORK/ca.ext" <<'EOF'
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOF
mkcert() { # PUBKEY_PEM SUBJECT_CN OUT
    ossl req -new -key "$WORK/throwaway.key" -subj "/CN=$2" -out "$WORK/req.csr" &&
        ossl x509 -req -in "$WORK/req.csr" -CA "$WORK/throwaway.crt" -CAkey "$WORK/throwaway.key" \
            -force_pubkey "$1" -set_serial "0x$(ossl rand -hex 16)" -days 365 -extfile "$WORK/ca.ext" -out "$3"
}
if ossl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$WORK/throwaway.key" \
        -subj "/CN=throwaway root" -days 2 -out "$WORK/throwaway.crt" >&2 2>&1 &&
    mkcert "$WORK/bind.pem" "sbrguard test CA" "$WORK/bind.crt" >&2 2>&1 &&
    mkcert "$WORK/other.pem" "other CA" "$WORK/other.crt" >&2 2>&1 &&
    mkcert "$WORK/bind-der.pem" "sbrguard DER CA" "$WORK/bind-der.crt" >&2 2>&1 &&
    ossl x509 -in "$WORK/bind-der.crt" -outform DER -out "$WORK/bind-der.der" &&
    [ "$(ossl x509 -in "$WORK/bind.crt" -noout -pubkey)" = "$(cat "$WORK/bind.pem")" ]; then
    ok "openssl issues CA certificates carrying the token keys' public keys"
else notok "openssl issues CA certificates carrying the token keys' public keys"; fi

expect_fail "cert import of a certificate for a different key fails: public key" "public key" \
    cert import --key "${H[bind]:-0}" --cert "$WORK/other.crt" --pin "$PIN"
head -c 600 /dev/urandom >"$WORK/garbage.der"
expect_fail "cert import of garbage fails" "certificate|DER|PEM|argument" cert import --key "${H[bind]:-0}" --cert "$WORK/garbage.der" --pin "$PIN"
printf -- '-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n' >"$WORK/garbage.pem"
expect_fail "cert import of a malformed PEM fails" "PEM|certificate" cert import --key "${H[bind]:-0}" --cert "$WORK/garbage.pem" --pin "$PIN"
expect_fail "cert import of a missing file fails" "nonexistent" cert import --key "${H[bind]:-0}" --cert "$WORK/nonexistent.pem" --pin "$PIN"
expect_fail "cert import onto a handle that does not exist fails" "no such object|object" cert import --key 999 --cert "$WORK/bind.crt" --pin "$PIN"
sg list
if ! grep -qE "^${H[bind]:-none} .* ca +bind-me\$" "$OUT" && ! grep -q "ca-crt" "$OUT"; then
    ok "failed imports bound nothing"
else notok "failed imports bound nothing"; fi
sign bind ecdsa-sha256 "$WORK/msg"
verified "key still signs after failed imports" ossl dgst -sha256 -verify "$WORK/bind.pem" -signature "$SIG" "$WORK/msg"

expect_ok "cert import of a PEM CA certificate carrying the key's public key" \
    cert import --key "${H[bind]:-0}" --cert "$WORK/bind.crt" --label bound-cert --pin "$PIN"
H[bindcert]=$(sed -n 's/.*certificate handle \([0-9]*\).*/\1/p' "$OUT")
sg list
if grep -qE "^${H[bind]:-none} +key +ec-p256 .* ca +bind-me\$" "$OUT"; then ok "list shows the bound key flagged ca"; else notok "list shows the bound key flagged ca"; fi
if grep -qE "^${H[bindcert]:-none} +cert +- .* ca-crt +bound-cert\$" "$OUT"; then ok "list shows the CA certificate"; else notok "list shows the CA certificate"; fi
expect_fail "a key bound to a CA certificate refuses to sign (policy)" "policy" \
    sign --key "${H[bind]:-0}" --mech ecdsa-sha256 --in "$WORK/msg" --out "$WORK/bad.sig" --pin "$PIN"
expect_fail "binding a second certificate to a bound key fails" "bound|prohibited" \
    cert import --key "${H[bind]:-0}" --cert "$WORK/bind.crt" --pin "$PIN"
expect_ok "cert import of a DER CA certificate (RSA key)" cert import --key "${H[bindder]:-0}" --cert "$WORK/bind-der.der" --pin "$PIN"
expect_fail "the RSA key bound by DER refuses to sign (policy)" "policy" \
    sign --key "${H[bindder]:-0}" --mech sha256-rsa-pkcs --in "$WORK/msg" --out "$WORK/bad.sig" --pin "$PIN"
sign other ecdsa-sha256 "$WORK/msg"
verified "an unbound key still signs" ossl dgst -sha256 -verify "$WORK/other.pem" -signature "$SIG" "$WORK/msg"

# --- SIGKILL in the middle of a key generation: committed objects survive ------------
sg list
sort "$OUT" >"$WORK/list.before"
pid=$(token_pid)
"$SG" keygen --type rsa-4096 --label inflight --pin "$PIN" >&2 2>&1 &
kg=$!
sleep 0.15
kill -9 "$pid" 2>/dev/null
check "token killed with SIGKILL during a keygen" gone "${pid:-0}"
wait "$kg" 2>/dev/null
sg token status
if [ "$RC" -eq 3 ]; then ok "token status exits 3 after SIGKILL"; else notok "token status exits 3 after SIGKILL"; fi
expect_ok "token start after SIGKILL" token start
check "token start after SIGKILL runs a new token" test "$(token_pid)" != "$pid"
sg list
sort "$OUT" >"$WORK/list.after"
# Every object from before is still there, unchanged; the interrupted keygen
# left at most one complete new key.
extra=$(comm -13 "$WORK/list.before" "$WORK/list.after")
if [ "$RC" -eq 0 ] && [ -z "$(comm -23 "$WORK/list.before" "$WORK/list.after")" ] &&
    { [ -z "$extra" ] || { [ "$(printf '%s\n' "$extra" | wc -l)" -eq 1 ] && grep -qE ' key +rsa-4096 .*inflight$' <<<"$extra"; }; }; then
    ok "every object created before the SIGKILL is still listed"
else
    log "  before/after differ: $(diff "$WORK/list.before" "$WORK/list.after")"
    notok "every object created before the SIGKILL is still listed"
fi
for t in ec-p256 ec-p384 ec-p521 rsa-2048 rsa-3072 rsa-4096 env; do
    case $t in ec-*|env) mech=ecdsa-sha256 ;; *) mech=sha256-rsa-pkcs ;; esac
    sign "$t" "$mech" "$WORK/msg"
    verified "key $t still signs after the SIGKILL (verified)" \
        ossl dgst -sha256 -verify "$WORK/$t.pem" -signature "$SIG" "$WORK/msg"
done
expect_fail "bound key still refuses to sign after the SIGKILL (policy)" "policy" \
    sign --key "${H[bind]:-0}" --mech ecdsa-sha256 --in "$WORK/msg" --out "$WORK/bad.sig" --pin "$PIN"
expect_fail "--ca key still refuses to sign after the SIGKILL (policy)" "policy" \
    sign --key "${H[ca]:-0}" --mech ecdsa-sha256 --in "$WORK/msg" --out "$WORK/bad.sig" --pin "$PIN"

# --- PIN lockout ------------------------------------------------------------------------
expect_fail "wrong PIN, attempt 1: PIN incorrect" "PIN incorrect" list --pin 00000001
expect_fail "wrong PIN, attempt 2: PIN incorrect" "PIN incorrect" list --pin 00000002
expect_fail "wrong PIN, attempt 3: PIN incorrect" "PIN incorrect" list --pin 00000003
expect_fail "wrong PIN, attempt 4: locked" "locked" list --pin 00000004
expect_fail "right PIN after the lockout: locked" "locked" sign --key "${H[ec-p256]:-0}" --mech ecdsa-sha256 --in "$WORK/msg" --out "$WORK/bad.sig" --pin "$PIN"
sg token status
if [ "$RC" -eq 0 ] && out_has "user PIN: locked"; then ok "token status shows user PIN: locked"; else notok "token status shows user PIN: locked"; fi
sg list
sort "$OUT" >"$WORK/list.locked"
expect_ok "token stop with the user PIN locked" token stop
expect_ok "token start after the lockout" token start
sg token status
if [ "$RC" -eq 0 ] && out_has "user PIN: locked"; then ok "after a restart, token status still shows user PIN: locked"; else notok "after a restart, token status still shows user PIN: locked"; fi
expect_fail "after a restart, the right PIN is refused as locked" "locked" list --pin "$PIN"
sg list
sort "$OUT" >"$WORK/list.restarted"
if [ "$RC" -eq 0 ] && cmp -s "$WORK/list.locked" "$WORK/list.restarted"; then ok "public objects listed the same after token stop/start"; else notok "public objects listed the same after token stop/start"; fi

# --- re-initialization with the SO PIN ------------------------------------------------------
expect_ok "init with the SO PIN unlocks the token" init --label reinit --so-pin "$SO_PIN" --pin "$NEW_PIN"
sg token status
if [ "$RC" -eq 0 ] && out_has "user PIN: set" && out_has "user PIN tries left: 3" && out_has "label: reinit"; then
    ok "token status after re-init: user PIN set, 3 tries, new label"
else notok "token status after re-init: user PIN set, 3 tries, new label"; fi
sg list --pin "$NEW_PIN"
if [ "$RC" -eq 0 ] && [ "$(wc -l <"$OUT")" -eq 1 ]; then ok "re-init wiped every object (list empty)"; else notok "re-init wiped every object (list empty)"; fi
expect_fail "the old user PIN is refused after re-init" "PIN incorrect" list --pin "$PIN"
expect_fail "an old key handle is gone after re-init" "no such object" sign --key "${H[ec-p256]:-0}" --mech ecdsa-sha256 --in "$WORK/msg" --out "$WORK/bad.sig" --pin "$NEW_PIN"
sg keygen --type ec-p256 --label fresh --pubout "$WORK/fresh.pem" --pin "$NEW_PIN"
H[fresh]=$(handle_of)
SIGN_PIN=$NEW_PIN sign fresh ecdsa-sha256 "$WORK/msg"
verified "a new key signs after re-init" ossl dgst -sha256 -verify "$WORK/fresh.pem" -signature "$SIG" "$WORK/msg"

# A full object store refuses cleanly.
full_at=""
for i in $(seq 2 40); do
    if ! "$SG" keygen --type ec-p256 --label "fill-$i" --pin "$NEW_PIN" >/dev/null 2>"$ERR"; then full_at=$i; break; fi
done
cat "$ERR" >>"$ALLERR"
log "store full at key $full_at: $(cat "$ERR")"
if [ "$full_at" = 33 ] && grep -q "storage full" "$ERR"; then ok "the 33rd object is refused: token storage full"; else notok "the 33rd object is refused: token storage full"; fi
sg token status
if out_has "object slots: 0 free of 32"; then ok "token status shows 0 free object slots"; else notok "token status shows 0 free object slots"; fi
SIGN_PIN=$NEW_PIN sign fresh ecdsa-sha256 "$WORK/msg"
verified "signing still works with a full store" ossl dgst -sha256 -verify "$WORK/fresh.pem" -signature "$SIG" "$WORK/msg"

# --- stop ---------------------------------------------------------------------------------
pid=$(token_pid)
expect_ok "token stop" token stop
check "token process is gone after token stop" gone "${pid:-0}"
sg token status
if [ "$RC" -eq 3 ]; then ok "token status after stop exits 3"; else notok "token status after stop exits 3"; fi
expect_ok "token stop when not running exits 0" token stop

# --- sanitizer reports ----------------------------------------------------------------------
if grep -qE "ERROR: (Address|Leak)Sanitizer|runtime error:" "$SBRGUARD_HOME/token.log" 2>/dev/null; then
    grep -E -A20 "ERROR: (Address|Leak)Sanitizer|runtime error:" "$SBRGUARD_HOME/token.log" >&2
    notok "token log has no AddressSanitizer/UBSan report"
else ok "token log has no AddressSanitizer/UBSan report"; fi
if grep -qE "ERROR: (Address|Leak)Sanitizer|runtime error:" "$ALLERR"; then
    grep -E -A20 "ERROR: (Address|Leak)Sanitizer|runtime error:" "$ALLERR" >&2
    notok "CLI stderr has no AddressSanitizer/UBSan report"
else ok "CLI stderr has no AddressSanitizer/UBSan report"; fi

log "cli.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
