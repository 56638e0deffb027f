#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The module under the real clients (issue 14 item 4), each from Debian
# (`make deps`): python3-pykcs11 (sessions, find, sign, verify, digest), the
# p11-kit proxy with the module in a private p11-kit config ($HOME is the
# test's folder: no system file is touched), NSS (modutil -add, certutil -L/-K,
# a CSR with the token's key) and Java 17 SunPKCS11 (keytool -list, a
# signature openssl verifies, an inline enforced issuance with evidence and
# its refusal). A missing client is a skip, not a pass.
source "$(dirname "$0")/lib/preamble.sh"
PY=/usr/bin/python3
MK="$PY $ROOT/test/integration/lib/mkca.py"
skip() { echo "skip - $*"; }
run_pre() { LD_PRELOAD=$PRELOAD "$@"; }

# --- token, a plain key with a self-signed certificate, a P-384 CA key --------
token_start
check "token starts" test -S "$TMP/token.sock"
check "init" sg_init --label clients --so-pin $SO_PIN --pin $PIN
handle() { sed -n 's/.*handle \([0-9]*\).*/\1/p' "$TMP/out" | head -1; }
sg keygen --type ec-p256 --label plain --id e1 --pubout "$TMP/plain.pub" --pin $PIN >"$TMP/out" 2>&1
check "plain P-256 key" test -s "$TMP/plain.pub"
sg keygen --type ec-p384 --label ca384 --id c3 --pubout "$TMP/ca.pub" --pin $PIN >"$TMP/out" 2>&1
CA=$(handle)
check "P-384 CA key (handle ${CA:-?})" test -n "$CA" -a -s "$TMP/ca.pub"
check "CA certificate (mkca.py)" $MK ca "$TMP/ca.pub" "$TMP/ca.pem"
check "cert import binds it" sg cert import --key "${CA:-0}" --cert "$TMP/ca.pem" --pin $PIN
check "policy bundle for the CA" policy_load_for "$TMP/ca.pem"
check "conforming TBS (ecdsa-with-SHA384)" env MKCA_HASH=sha384 $MK tbs "$TMP/ca.pem" "$TMP/tbs.der"
check "TBS with EKU serverAuth" env MKCA_HASH=sha384 $MK tbs "$TMP/ca.pem" "$TMP/bad.der" bad
check "evidence for the TBS" ev "$TMP/tbs.der"
EV=$TMP/tbs.der.ev
# The plain key gets a certificate (Java lists keys with certificates only).
$MK ca "$TMP/plain.pub" "$TMP/plain.pem" && openssl x509 -in "$TMP/plain.pem" -outform DER -out "$TMP/plain.der"
check "certificate object for the plain key (pkcs11-tool --write-object)" run_pre pkcs11-tool --module "$MOD" \
    --login --pin $PIN --write-object "$TMP/plain.der" --type cert --id e1 --label plain
printf 'data signed by every client' >"$TMP/data"

# --- python3-pykcs11 --------------------------------------------------------------
if $PY -c "import PyKCS11" 2>/dev/null; then
    # PyKCS11 is C++: with the ASan runtime preloaded, libstdc++ must come
    # right after it (its __cxa_throw interceptor).
    PYPRE=$PRELOAD
    [ -n "$PRELOAD" ] && PYPRE="$PRELOAD $(gcc -print-file-name=libstdc++.so.6)"
    LD_PRELOAD=$PYPRE $PY "$ROOT/test/integration/lib/pykcs11_check.py" "$MOD" $PIN "$TMP/plain.pub" "$TMP/bad.der" ||
        notok "pykcs11_check.py exited non-zero"
else
    skip "python3-pykcs11 not installed (make deps)"
fi

# --- the p11-kit proxy, the module in a private p11-kit config ----------------------
# p11-kit reads user configs ($HOME/.config/pkcs11/modules) except as root:
# there the clients run as nobody, with this folder's HOME.
PROXY=$(ls /usr/lib/*/p11-kit-proxy.so 2>/dev/null | head -1)
if [ -n "$PROXY" ] && command -v p11-kit >/dev/null; then
    KIT=$TMP/kit
    mkdir -p "$KIT/.config/pkcs11/modules"
    printf 'module: %s\n' "$MOD" >"$KIT/.config/pkcs11/modules/sbrguard.module"
    cp "$TMP/data" "$TMP/bad.der" "$KIT/"
    kit() { HOME=$KIT LD_PRELOAD=$PRELOAD "$@"; }
    if [ "$(id -u)" = 0 ]; then
        chmod 711 "$TMP"
        chmod 666 "$TMP/token.sock"
        chown -R nobody "$KIT"
        kit() { setpriv --reuid=nobody --regid=nogroup --clear-groups env HOME=$KIT LD_PRELOAD=$PRELOAD "$@"; }
    fi
    if [ -n "$PRELOAD" ]; then
        # The p11-kit tool itself hangs with the ASan runtime preloaded (any module).
        skip "p11-kit list-modules under the ASan runtime"
    else
        kit timeout 60 p11-kit list-modules >"$TMP/kit.out" 2>&1
        cat "$TMP/kit.out" >&2
        check "p11-kit list-modules: the module from the private config, with its token" \
            grep -Pzq "sbrguard: $MOD\n(.*\n)*    token: clients" "$TMP/kit.out"
    fi
    kit pkcs11-tool --module "$PROXY" -L >"$TMP/kit.out" 2>&1
    cat "$TMP/kit.out" >&2
    check "pkcs11-tool through the proxy lists the token" grep -q "token label *: clients" "$TMP/kit.out"
    kit pkcs11-tool --module "$PROXY" --token-label clients --login --pin $PIN --sign -m ECDSA-SHA256 --id e1 \
        --signature-format openssl -i "$KIT/data" -o "$KIT/data.sig" >&2
    check "a signature through the proxy verifies (openssl)" \
        openssl dgst -sha256 -verify "$TMP/plain.pub" -signature "$KIT/data.sig" "$KIT/data"
    kit pkcs11-tool --module "$PROXY" --token-label clients --login --pin $PIN --sign -m ECDSA-SHA384 --id c3 \
        -i "$KIT/bad.der" -o "$KIT/bad.sig" >"$TMP/kit.out" 2>&1
    rc=$?
    cat "$TMP/kit.out" >&2
    check "through the proxy the CA key still refuses the serverAuth TBS" test $rc -ne 0 -a ! -s "$KIT/bad.sig"
    check "... and the refusal line names the reason" grep -q "eku.prohibited" "$TMP/kit.out"
    check "no system p11-kit file names the module" bash -c "! grep -rqs libsbrguard /etc/pkcs11 /usr/share/p11-kit/modules"
else
    skip "p11-kit proxy not installed (make deps)"
fi

# --- NSS: modutil, certutil -L/-K, a CSR with the token's key -------------------------
if command -v modutil >/dev/null && command -v certutil >/dev/null; then
    NSS=sql:$TMP/nss
    mkdir -p "$TMP/nss"
    echo $PIN >"$TMP/pin.txt"
    nss() { LD_PRELOAD=$PRELOAD "$@"; }
    check "certutil -N: an empty NSS database" nss certutil -N -d $NSS --empty-password
    check "modutil -add the module" bash -c "echo | LD_PRELOAD=$PRELOAD modutil -dbdir $NSS -add sbrguard -libfile '$MOD' -force"
    nss modutil -dbdir $NSS -list >"$TMP/nss.out" 2>&1
    check "modutil -list: the module is loaded with the token" grep -Pzq "sbrguard\n(.*\n)*\tstatus: loaded\n(.*\n)*\ttoken: clients" "$TMP/nss.out"
    nss certutil -L -d $NSS -h clients -f "$TMP/pin.txt" >"$TMP/nss.out" 2>&1
    cat "$TMP/nss.out" >&2
    check "certutil -L: both certificates of the token" grep -Pzq "clients:CA certificate.*\n(.*\n)*clients:plain" "$TMP/nss.out"
    nss certutil -K -d $NSS -h clients -f "$TMP/pin.txt" >"$TMP/nss.out" 2>&1
    cat "$TMP/nss.out" >&2
    check "certutil -K: both private keys (ec, CKA_ID, label)" \
        bash -c "grep -Eq 'ec +e1 +plain' '$TMP/nss.out' && grep -Eq 'ec +c3 +ca384' '$TMP/nss.out'"
    nss certutil -R -d $NSS -h clients -f "$TMP/pin.txt" -k e1 -s "CN=nss csr,O=sbrguard tests" -a \
        -o "$TMP/nss.csr" >&2
    check "certutil -R: a CSR signed with the token's key verifies (openssl req -verify)" \
        openssl req -in "$TMP/nss.csr" -noout -verify
    check "... and carries the token key's public key" \
        cmp <(openssl req -in "$TMP/nss.csr" -noout -pubkey | openssl pkey -pubin -outform DER) \
        <(openssl pkey -pubin -in "$TMP/plain.pub" -outform DER)
    nss certutil -R -d $NSS -h clients -f "$TMP/pin.txt" -k ffff -s "CN=x" -a -o "$TMP/nss2.csr" >&2
    check "certutil -R with a key id the token does not have fails" test ! -s "$TMP/nss2.csr"
else
    skip "NSS tools not installed (make deps)"
fi

# --- Java 17 SunPKCS11 ---------------------------------------------------------------
if command -v java >/dev/null && command -v keytool >/dev/null &&
    java -version 2>&1 | grep -q 'version "\(1[7-9]\|[2-9][0-9]\)'; then
    printf 'name = sbrguard\nlibrary = %s\nslot = 0\n' "$MOD" >"$TMP/java.cfg"
    jv() { LD_PRELOAD=$PRELOAD "$@"; }
    jv keytool -list -keystore NONE -storetype PKCS11 -providerClass sun.security.pkcs11.SunPKCS11 \
        -providerArg "$TMP/java.cfg" -storepass $PIN >"$TMP/java.out" 2>&1
    cat "$TMP/java.out" >&2
    check "keytool -list: two private key entries" grep -q "Your keystore contains 2 entries" "$TMP/java.out"
    check "keytool -list: the CA key and the plain key" \
        bash -c "grep -q '^CA certificate, PrivateKeyEntry' '$TMP/java.out' && grep -q '^plain, PrivateKeyEntry' '$TMP/java.out'"
    JSIGN="$ROOT/test/integration/lib/P11Sign.java"
    jv java "$JSIGN" "$TMP/java.cfg" $PIN plain SHA256withECDSA "$TMP/data" "$TMP/java.sig" >&2
    check "SHA256withECDSA through SunPKCS11: openssl verifies the signature" \
        openssl dgst -sha256 -verify "$TMP/plain.pub" -signature "$TMP/java.sig" "$TMP/data"
    SBRGUARD_P11_EVIDENCE=$EV jv java "$JSIGN" "$TMP/java.cfg" $PIN "CA certificate" SHA384withECDSA \
        "$TMP/tbs.der" "$TMP/issued.sig" >&2
    check "inline issuance: a Java CA signs the TBS with SHA384withECDSA (evidence by SBRGUARD_P11_EVIDENCE)" \
        test -s "$TMP/issued.sig"
    check "... the assembled certificate verifies under the CA (openssl verify)" \
        bash -c "'$SG' cert assemble --tbs '$TMP/tbs.der' --sig '$TMP/issued.sig' --out '$TMP/issued.pem' && openssl verify -CAfile '$TMP/ca.pem' '$TMP/issued.pem'"
    SBRGUARD_P11_EVIDENCE=$EV jv java "$JSIGN" "$TMP/java.cfg" $PIN "CA certificate" SHA384withECDSA \
        "$TMP/bad.der" "$TMP/bad.sig" >"$TMP/java.out" 2>&1
    rc=$?
    cat "$TMP/java.out" >&2
    check "the serverAuth TBS is refused: CKR_FUNCTION_REJECTED in Java, no signature" \
        bash -c "[ $rc -eq 3 ] && grep -q CKR_FUNCTION_REJECTED '$TMP/java.out' && test ! -s '$TMP/bad.sig'"
    check "... with its reason on stderr" grep -q "sbr.7.1.2.3.eku.prohibited" "$TMP/java.out"
    jv java "$JSIGN" "$TMP/java.cfg" $PIN "CA certificate" SHA384withECDSA "$TMP/tbs.der" "$TMP/noev.sig" \
        >"$TMP/java.out" 2>&1
    rc=$?
    cat "$TMP/java.out" >&2
    check "the conforming TBS without evidence is refused (sbr.3.2.evidence.absent)" \
        bash -c "[ $rc -eq 3 ] && grep -q 'evidence.absent' '$TMP/java.out'"
    check "the enforcement log holds the Java issuance (audit export, proof --inclusion)" \
        bash -c "'$SG' audit export '$TMP/audit' >&2 && '$SG' audit proof --inclusion '$TMP/issued.pem' '$TMP/audit' --key '$TMP/audit/log.pub' >&2"
else
    skip "Java 17 not installed (make deps)"
fi
exit $failed
