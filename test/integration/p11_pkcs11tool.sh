#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# libsbrguard-pkcs11.so driven by tools nobody here wrote: OpenSC pkcs11-tool,
# GnuTLS p11tool and OpenSSL. Starts its own sbrguard-token in a temporary
# folder. BIN (default build/host; build/asan for the ASan+UBSan build) holds
# the token and the module.
#
# Output: one line per check on stdout, "ok - what" or "not ok - what";
# details go to stderr. Exit status is non-zero if any check failed.
set -u
cd "$(dirname "$0")/../.."
BIN=${BIN:-build/host}
MOD=$PWD/$BIN/libsbrguard-pkcs11.so
TOKEN=$PWD/$BIN/sbrguard-token
SO_PIN=12345678
PIN=1234

. test/integration/lib/tmp.sh

# An ASan module needs the ASan runtime loaded first into tools built without it.
PRELOAD=
if ldd "$MOD" 2>/dev/null | grep -q libasan; then
    PRELOAD=$(gcc -print-file-name=libasan.so)
    # The tools themselves leak at exit; module leaks are checked by p11_api.sh.
    export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
fi
export SBRGUARD_SOCKET=$TMP/token.sock
export SBRGUARD_HOME=$TMP

failed=0
# check WHAT CMD... : runs CMD, its output to stderr, prints ok / not ok.
check() {
    local what=$1
    shift
    if "$@" >&2 2>&2; then
        echo "ok - $what"
    else
        echo "not ok - $what"
        failed=1
    fi
}
p11() { LD_PRELOAD=$PRELOAD pkcs11-tool --module "$MOD" "$@"; }
# out FILE CMD... : runs CMD with its stdout and stderr in FILE (and on stderr).
out() {
    local f=$1
    shift
    "$@" >"$f" 2>&1
    local rc=$?
    cat "$f" >&2
    return $rc
}

start_token() {
    "$TOKEN" --socket "$TMP/token.sock" --flash "$TMP/flash.bin" 2>>"$TMP/token.log" &
    TOKEN_PID=$!
    for _ in $(seq 100); do
        [ -S "$TMP/token.sock" ] && return 0
        sleep 0.05
    done
    return 1
}
check "token starts" start_token

check "pkcs11-tool --show-info" \
    out "$TMP/info" p11 --show-info
check "module reports Cryptoki 2.40 and manufacturer sbrguard" \
    bash -c "grep -q 'Cryptoki version 2.40' '$TMP/info' && grep -q 'Manufacturer *sbrguard' '$TMP/info'"
check "pkcs11-tool --list-slots shows the sbrguard slot" \
    bash -c "LD_PRELOAD=$PRELOAD pkcs11-tool --module '$MOD' --list-slots 2>&1 | grep -q 'sbrguard token'"
check "pkcs11-tool --init-token" \
    p11 --init-token --label p11test --so-pin $SO_PIN
check "pkcs11-tool --init-pin" \
    p11 --init-pin --so-pin $SO_PIN --pin $PIN
check "token info: label, model, initialized PIN" \
    bash -c "LD_PRELOAD=$PRELOAD pkcs11-tool --module '$MOD' --list-token-slots 2>&1 |
             grep -q 'token label *: p11test' &&
             LD_PRELOAD=$PRELOAD pkcs11-tool --module '$MOD' --list-token-slots 2>&1 |
             grep -q 'PIN initialized'"
check "wrong PIN is CKR_PIN_INCORRECT" \
    bash -c "! LD_PRELOAD=$PRELOAD pkcs11-tool --module '$MOD' --login --pin 9999 --list-objects \
             >'$TMP/badpin' 2>&1; cat '$TMP/badpin' >&2; grep -q CKR_PIN_INCORRECT '$TMP/badpin'"
check "login with the user PIN" \
    p11 --login --pin $PIN --list-objects
check "keypair generation EC P-256" \
    p11 --login --pin $PIN --keypairgen --key-type EC:prime256v1 --id 01 --label ec256
check "keypair generation RSA 2048" \
    p11 --login --pin $PIN --keypairgen --key-type rsa:2048 --id 02 --label rsa2048
check "private keys visible only after login" \
    bash -c "! (LD_PRELOAD=$PRELOAD pkcs11-tool --module '$MOD' --list-objects 2>&1 | grep -q 'Private Key') &&
             LD_PRELOAD=$PRELOAD pkcs11-tool --module '$MOD' --login --pin $PIN --list-objects 2>&1 |
             grep -q 'Private Key'"

printf 'sbrguard pkcs11 test data\n' >"$TMP/data"
check "sign ECDSA-SHA256" \
    p11 --login --pin $PIN --sign -m ECDSA-SHA256 --id 01 --signature-format openssl \
    -i "$TMP/data" -o "$TMP/ec.sig"
if [ -z "$PRELOAD" ]; then
    check "export EC public key" \
        bash -c "pkcs11-tool --module '$MOD' --read-object --type pubkey --id 01 -o '$TMP/ec.der' &&
                 openssl pkey -pubin -inform DER -in '$TMP/ec.der' -out '$TMP/ec.pem'"
else
    # pkcs11-tool 0.23 itself reads freed memory when it exports an EC key
    # (same with SoftHSM2), which ASan stops; GnuTLS exports it instead.
    check "export EC public key (p11tool, ASan run)" \
        bash -c "GNUTLS_PIN=$PIN LD_PRELOAD=$PRELOAD p11tool --provider '$MOD' --login \
                 --export-pubkey 'pkcs11:id=%01;type=public' --outfile '$TMP/ec.pem'"
fi
check "openssl verifies the ECDSA-SHA256 signature" \
    openssl dgst -sha256 -verify "$TMP/ec.pem" -signature "$TMP/ec.sig" "$TMP/data"
check "sign SHA256-RSA-PKCS" \
    p11 --login --pin $PIN --sign -m SHA256-RSA-PKCS --id 02 -i "$TMP/data" -o "$TMP/rsa.sig"
check "export RSA public key" \
    bash -c "LD_PRELOAD=$PRELOAD pkcs11-tool --module '$MOD' --read-object --type pubkey --id 02 \
             -o '$TMP/rsa.der' && openssl pkey -pubin -inform DER -in '$TMP/rsa.der' -out '$TMP/rsa.pem'"
check "openssl verifies the SHA256-RSA-PKCS signature" \
    openssl dgst -sha256 -verify "$TMP/rsa.pem" -signature "$TMP/rsa.sig" "$TMP/data"
check "sign SHA256-RSA-PKCS-PSS" \
    p11 --login --pin $PIN --sign -m SHA256-RSA-PKCS-PSS --id 02 -i "$TMP/data" -o "$TMP/pss.sig"
check "openssl verifies the SHA256-RSA-PKCS-PSS signature" \
    openssl dgst -sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32 \
    -verify "$TMP/rsa.pem" -signature "$TMP/pss.sig" "$TMP/data"

openssl req -new -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$TMP/other.key" \
    -subj /CN=sbrguard-p11-test -days 30 -outform DER -out "$TMP/cert.der" 2>/dev/null
check "write a certificate object" \
    p11 --login --pin $PIN --write-object "$TMP/cert.der" --type cert --id 05 --label cert
check "read the certificate back unchanged" \
    bash -c "LD_PRELOAD=$PRELOAD pkcs11-tool --module '$MOD' --read-object --type cert --id 05 \
             -o '$TMP/cert.out' && cmp '$TMP/cert.der' '$TMP/cert.out'"
check "certificate subject parsed from the DER" \
    bash -c "LD_PRELOAD=$PRELOAD pkcs11-tool --module '$MOD' --list-objects --type cert 2>&1 |
             grep -q 'CN=sbrguard-p11-test'"
check "write a private data object" \
    p11 --login --pin $PIN --write-object "$TMP/data" --type data --label secret --private
check "private data object hidden without login" \
    bash -c "! (LD_PRELOAD=$PRELOAD pkcs11-tool --module '$MOD' --list-objects --type data 2>&1 | grep -q secret) &&
             LD_PRELOAD=$PRELOAD pkcs11-tool --module '$MOD' --login --pin $PIN --list-objects \
             --type data 2>&1 | grep -q secret"
check "delete the data object" \
    p11 --login --pin $PIN --delete-object --type data --label secret

# --test: every failure must concern a mechanism the token does not offer
# (it has no verify, encrypt or decrypt mechanisms; digests run on the host).
check "pkcs11-tool --test" \
    bash -c "LD_PRELOAD=$PRELOAD pkcs11-tool --module '$MOD' --login --pin $PIN --test \
             >'$TMP/test' 2>&1; rc=\$?; cat '$TMP/test' >&2; [ \$rc = 0 ] && grep -q 'No errors' '$TMP/test' &&
             ! grep -q 'Digests: not implemented' '$TMP/test'"
for h in SHA256 SHA384 SHA512; do
    check "pkcs11-tool --hash -m $h equals openssl dgst" \
        bash -c "printf 'sbrguard digest' >'$TMP/dg'; LD_PRELOAD=$PRELOAD pkcs11-tool --module '$MOD' \
                 --hash -m $h -i '$TMP/dg' -o '$TMP/dg.p11' 2>/dev/null &&
                 openssl dgst -$(echo $h | tr A-Z a-z) -binary '$TMP/dg' | cmp - '$TMP/dg.p11'"
done
check "p11tool --list-all" \
    bash -c "LD_PRELOAD=$PRELOAD p11tool --provider '$MOD' --list-all >'$TMP/p11tool' 2>&1;
             rc=\$?; cat '$TMP/p11tool' >&2; [ \$rc = 0 ] &&
             grep -q 'object=ec256;type=public' '$TMP/p11tool' &&
             grep -q 'object=rsa2048;type=public' '$TMP/p11tool'"
check "p11tool --login --list-privkeys" \
    bash -c "GNUTLS_PIN=$PIN LD_PRELOAD=$PRELOAD p11tool --provider '$MOD' --login --list-privkeys \
             >'$TMP/p11priv' 2>&1; rc=\$?; cat '$TMP/p11priv' >&2; [ \$rc = 0 ] &&
             grep -q 'object=ec256;type=private' '$TMP/p11priv'"

exit $failed
