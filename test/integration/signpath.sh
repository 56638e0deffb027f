#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The sign path of CA keys, end to end with unmodified clients: CA keys
# (EC P-256, RSA-2048) generated on the token, their CA certificates
# self-signed through OpenSSL's pkcs11 engine before binding (the private key
# never leaves the token), subscriber TBSCertificates that conform to the SBR
# (mailbox strict), then
#   (a) inline: `sbrguard sign` and `pkcs11-tool --sign` of the whole TBS,
#       `sbrguard cert assemble`, `openssl verify`;
#   (b) non-conforming TBSs refused, with their reason codes;
#   (c) pre-authorized: the TBS submitted first (`sbrguard authorize`, the
#       vendor mechanism, SBRGUARD_P11_AUTHORIZE), then one raw-digest
#       signature (`openssl pkeyutl -engine pkcs11`, a PKCS#11 client);
#       without authorization, a second time, another digest: refused.
#
# How the TBSs are made: `openssl x509 -req` signs a CSR with a throwaway
# "shadow" CA whose subject and subjectKeyIdentifier are those of the real CA
# certificate (same -subj, SKI given explicitly), so issuer and
# authorityKeyIdentifier come out byte-identical to what the token's CA
# binding expects. Only that certificate's TBSCertificate is kept (openssl
# asn1parse -strparse 4); the throwaway signature is discarded and the
# token judges the TBS itself.
#
# BIN (default build/host; build/asan for the ASan+UBSan build). Output: one
# line per check on stdout, "ok - what" or "not ok - what"; details go to
# stderr. Exit status is non-zero if any check failed.
set -u
source "$(dirname "$0")/lib/preamble.sh"

p11() { LD_PRELOAD=$PRELOAD pkcs11-tool --module "$MOD" "$@"; }
ossl_engine() { OPENSSL_CONF=$TMP/engine.cnf LD_PRELOAD=$PRELOAD openssl "$@"; }
verify() { openssl verify -CAfile "$1" "$2"; }
# issued TBS SIG CA: assembles the certificate (TBS.pem next to SIG) and verifies it.
issued() { sg cert assemble --tbs "$1" --sig "$2" --out "$2.pem" && verify "$3" "$2.pem"; }

# --- token, CA keys and their certificates -----------------------------------------
token_start
check "token starts" test -S "$TMP/token.sock"
check "init token with the SO policy key" sg_init --label signpath --so-pin $SO_PIN --pin $PIN
handle() { sed -n 's/.*handle \([0-9]*\).*/\1/p' "$TMP/out" | head -1; }
sg keygen --type ec-p256 --label ca-ec --id c1 --pin $PIN >"$TMP/out" 2>&1
EC=$(handle)
sg keygen --type rsa-2048 --label ca-rsa --id c2 --pin $PIN >"$TMP/out" 2>&1
RSA=$(handle)
check "CA keys generated on the token (EC P-256 handle ${EC:-?}, RSA-2048 handle ${RSA:-?})" test -n "$EC" -a -n "$RSA"

sed "s|@MOD@|$MOD|" test/integration/lib/engine.cnf.in >"$TMP/engine.cnf"
ECKEY="pkcs11:object=ca-ec;type=private;pin-value=$PIN"
RSAKEY="pkcs11:object=ca-rsa;type=private;pin-value=$PIN"
ca_cert() { # KEYURI SUBJECT OUT
    ossl_engine req -new -x509 -engine pkcs11 -keyform engine -key "$1" -subj "$2" -days 3650 -sha256 \
        -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
        -addext "subjectKeyIdentifier=hash" -out "$3"
}
EC_SUBJ="/O=sbrguard tests/CN=sbrguard Test EC Issuing CA"
RSA_SUBJ="/O=sbrguard tests/CN=sbrguard Test RSA Issuing CA"
check "EC CA certificate self-signed through the OpenSSL pkcs11 engine" ca_cert "$ECKEY" "$EC_SUBJ" "$TMP/ca-ec.pem"
check "RSA CA certificate self-signed through the OpenSSL pkcs11 engine" ca_cert "$RSAKEY" "$RSA_SUBJ" "$TMP/ca-rsa.pem"
check "openssl verifies both self-signed CA certificates" \
    eval 'verify "$TMP/ca-ec.pem" "$TMP/ca-ec.pem" && verify "$TMP/ca-rsa.pem" "$TMP/ca-rsa.pem"'
check "cert import binds the EC CA certificate" sg cert import --key "${EC:-0}" --cert "$TMP/ca-ec.pem" --pin $PIN
check "cert import binds the RSA CA certificate" sg cert import --key "${RSA:-0}" --cert "$TMP/ca-rsa.pem" --pin $PIN
check "policy bundle for both CA keys loaded (lib/preamble.sh)" policy_load_for "$TMP/ca-ec.pem" "$TMP/ca-rsa.pem"

# --- subscriber TBSCertificates ---------------------------------------------------------
openssl ecparam -name prime256v1 -genkey -noout -out "$TMP/ee.key" 2>/dev/null
openssl req -new -key "$TMP/ee.key" -subj "/CN=alice@example.com" -out "$TMP/ee.csr" 2>/dev/null
ext_conf() { # OUT [EKU] [extra line] [no-cp]
    {
        [ "${4:-}" = no-cp ] || echo "certificatePolicies=2.23.140.1.5.1.3"
        echo "crlDistributionPoints=URI:http://crl.example.com/ca.crl"
        echo "authorityInfoAccess=caIssuers;URI:http://ca.example.com/ca.crt,OCSP;URI:http://ocsp.example.com"
        echo "keyUsage=critical,digitalSignature"
        echo "extendedKeyUsage=${2:-emailProtection}"
        echo "authorityKeyIdentifier=keyid"
        echo "subjectKeyIdentifier=hash"
        echo "subjectAltName=email:alice@example.com"
        [ -n "${3:-}" ] && echo "$3"
    } >"$1"
}
# mk_tbs OUT CA_PEM SUBJECT KEYTYPE(ec|rsa) EXTFILE [x509 -req options...]
mk_tbs() {
    local out=$1 ca=$2 subj=$3 kt=$4 ext=$5 ski d
    shift 5
    d=$(mktemp -d -p "$TMP")
    ski=$(openssl x509 -in "$ca" -noout -ext subjectKeyIdentifier | tail -1 | tr -d ' :')
    if [ "$kt" = ec ]; then
        openssl ecparam -name prime256v1 -genkey -noout -out "$d/shadow.key"
    else
        openssl genrsa -out "$d/shadow.key" 2048
    fi
    openssl req -new -x509 -key "$d/shadow.key" -subj "$subj" -days 30 -addext "subjectKeyIdentifier=$ski" \
        -addext "basicConstraints=critical,CA:TRUE" -out "$d/shadow.pem" &&
        openssl x509 -req -in "$TMP/ee.csr" -CA "$d/shadow.pem" -CAkey "$d/shadow.key" \
            -set_serial "0x$(openssl rand -hex 16)" -days 365 -extfile "$ext" -sha256 "$@" \
            -outform DER -out "$d/ee.der" &&
        openssl asn1parse -inform DER -in "$d/ee.der" -strparse 4 -noout -out "$out" &&
        cmp <(openssl x509 -in "$ca" -noout -subject -nameopt RFC2253) \
            <(openssl x509 -in "$d/shadow.pem" -noout -subject -nameopt RFC2253)
}
ext_conf "$TMP/good.cnf"
ext_conf "$TMP/eku.cnf" "emailProtection,serverAuth"
ext_conf "$TMP/nocp.cnf" "" "" no-cp
check "conforming EC-issued TBS built (shadow CA with the CA's subject and SKI)" \
    mk_tbs "$TMP/tbs-ec.der" "$TMP/ca-ec.pem" "$EC_SUBJ" ec "$TMP/good.cnf"
check "TBS with EKU serverAuth added" mk_tbs "$TMP/bad-eku.der" "$TMP/ca-ec.pem" "$EC_SUBJ" ec "$TMP/eku.cnf"
check "TBS without certificatePolicies" mk_tbs "$TMP/bad-cp.der" "$TMP/ca-ec.pem" "$EC_SUBJ" ec "$TMP/nocp.cnf"
rsa_tbss() {
    mk_tbs "$TMP/tbs-rsa.der" "$TMP/ca-rsa.pem" "$RSA_SUBJ" rsa "$TMP/good.cnf" &&
        mk_tbs "$TMP/tbs-pss.der" "$TMP/ca-rsa.pem" "$RSA_SUBJ" rsa "$TMP/good.cnf" \
            -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32 -sigopt rsa_mgf1_md:sha256
}
check "conforming RSA-issued TBSs built (sha256WithRSAEncryption, RSASSA-PSS)" rsa_tbss
check "sbrguard lint --ca accepts the conforming TBSs on the host" \
    sg lint --ca "$TMP/ca-ec.pem" "$TMP/tbs-ec.der"
# Every TBS here is for the same subscriber key and mailbox (ee.csr): one
# piece of evidence by the bundle's VA covers them all. The CLI sends it with
# --evidence; the module, for clients that cannot create the vendor object,
# from SBRGUARD_P11_EVIDENCE.
check "validation evidence for alice@example.com made by the trusted VA" ev "$TMP/tbs-ec.der"
EV=$TMP/tbs-ec.der.ev
export SBRGUARD_P11_EVIDENCE=$EV
refused "inline without evidence: refused (sbr.3.2.evidence.absent [SBR 3.2])" \
    'sbr\.3\.2\.evidence\.absent \[SBR 3\.2\]' \
    sg sign --key "${EC:-0}" --mech ecdsa-sha256 --in "$TMP/tbs-ec.der" --out "$TMP/a0.sig" --pin $PIN

# --- (a) inline: the whole TBS goes to the token -------------------------------------------
check "inline: sbrguard sign --mech ecdsa-sha256 of the TBS with the EC CA key" \
    sg sign --key "${EC:-0}" --mech ecdsa-sha256 --in "$TMP/tbs-ec.der" --out "$TMP/a1.sig" --evidence "$EV" --pin $PIN
check "cert assemble (DER ECDSA signature)" \
    sg cert assemble --tbs "$TMP/tbs-ec.der" --sig "$TMP/a1.sig" --alg-from-tbs --out "$TMP/a1.pem"
check "openssl verify -CAfile ca-ec.pem: the issued certificate is OK" verify "$TMP/ca-ec.pem" "$TMP/a1.pem"
check "openssl verify -purpose smimesign: an S/MIME signing certificate" \
    openssl verify -purpose smimesign -CAfile "$TMP/ca-ec.pem" "$TMP/a1.pem"
check "the certificate carries the TBS byte for byte" \
    cmp "$TMP/tbs-ec.der" <(openssl asn1parse -in "$TMP/a1.pem" -strparse 4 -noout -out /dev/stdout)
check "inline: pkcs11-tool --sign -m ECDSA-SHA256 of the TBS (raw r||s)" \
    p11 --login --pin $PIN --sign -m ECDSA-SHA256 --id c1 -i "$TMP/tbs-ec.der" -o "$TMP/a2.sig"
check "cert assemble (r||s signature) and openssl verify" issued "$TMP/tbs-ec.der" "$TMP/a2.sig" "$TMP/ca-ec.pem"
inline_rsa() {
    sg sign --key "${RSA:-0}" --mech "$1" --in "$2" --out "$3" --evidence "$EV" --pin $PIN && issued "$2" "$3" "$TMP/ca-rsa.pem"
}
check "inline RSA: sha256-rsa-pkcs, assemble, openssl verify" inline_rsa sha256-rsa-pkcs "$TMP/tbs-rsa.der" "$TMP/a3.sig"
check "inline RSA-PSS: sha256-rsa-pkcs-pss (salt 32), assemble, openssl verify" \
    inline_rsa sha256-rsa-pkcs-pss "$TMP/tbs-pss.der" "$TMP/a4.sig"
p11_rsa() {
    p11 --login --pin $PIN --sign -m SHA256-RSA-PKCS --id c2 -i "$TMP/tbs-rsa.der" -o "$TMP/a5.sig" &&
        issued "$TMP/tbs-rsa.der" "$TMP/a5.sig" "$TMP/ca-rsa.pem"
}
check "inline: pkcs11-tool --sign -m SHA256-RSA-PKCS of the RSA TBS, assemble, verify" p11_rsa

# --- (b) non-conforming TBSs -------------------------------------------------------------------
refused "refused: EKU serverAuth, the CLI names sbr.7.1.2.3.eku.prohibited with its section" \
    'sbr\.7\.1\.2\.3\.eku\.prohibited \[SBR 7\.1\.2\.3\(f\)\]' \
    sg sign --key "${EC:-0}" --mech ecdsa-sha256 --in "$TMP/bad-eku.der" --out "$TMP/b1.sig" --evidence "$EV" --pin $PIN
refused "refused: no certificatePolicies, the CLI lists every code (policy.absent, cp.absent)" \
    'sbr\.7\.1\.6\.1\.policy\.absent \[SBR 7\.1\.6\.1\].*' \
    sg sign --key "${EC:-0}" --mech ecdsa-sha256 --in "$TMP/bad-cp.der" --out "$TMP/b2.sig" --evidence "$EV" --pin $PIN
check "  ... and sbr.7.1.2.3.cp.absent on its own line" grep -q '^  sbr\.7\.1\.2\.3\.cp\.absent \[SBR 7\.1\.2\.3(a)\]' "$TMP/out"
refused "refused: a TBS for the EC CA signed by the RSA CA key (issuer, AKI, signature algorithm)" \
    'sbr\.7\.1\.4\.1\.issuer\.mismatch' \
    sg sign --key "${RSA:-0}" --mech sha256-rsa-pkcs --in "$TMP/tbs-ec.der" --out "$TMP/b3.sig" --evidence "$EV" --pin $PIN
refused "refused: ecdsa-sha384 with the P-256 CA key (sbrguard.sign.hash-curve)" 'sbrguard\.sign\.hash-curve' \
    sg sign --key "${EC:-0}" --mech ecdsa-sha384 --in "$TMP/tbs-ec.der" --out "$TMP/b4.sig" --evidence "$EV" --pin $PIN
refused "refused: pkcs11-tool --sign of the serverAuth TBS fails (CKR_FUNCTION_REJECTED)" \
    'CKR_FUNCTION_REJECTED|0x200|rv = ' \
    p11 --login --pin $PIN --sign -m ECDSA-SHA256 --id c1 -i "$TMP/bad-eku.der" -o "$TMP/b5.sig"
refused "SBRGUARD_P11_DEBUG=1 shows the reason codes of a PKCS#11 refusal" \
    'reason sbr\.7\.1\.2\.3\.eku\.prohibited \[SBR 7\.1\.2\.3\(f\)\]' \
    env SBRGUARD_P11_DEBUG=1 LD_PRELOAD="$PRELOAD" pkcs11-tool --module "$MOD" --login --pin $PIN \
    --sign -m ECDSA-SHA256 --id c1 -i "$TMP/bad-eku.der" -o "$TMP/b6.sig"
refused "without a debug variable: one stderr line per refusal with the codes and sections (p11-log)" \
    "sbrguard-pkcs11: sign: refused by the token's policy: .*sbr\.7\.1\.2\.3\.eku\.prohibited \[SBR 7\.1\.2\.3\(f\)\]" \
    p11 --login --pin $PIN --sign -m ECDSA-SHA256 --id c1 -i "$TMP/bad-eku.der" -o "$TMP/b7.sig"
echo "p11-log = off" >"$TMP/quiet.conf"
SBRGUARD_CONF=$TMP/quiet.conf p11 --login --pin $PIN --sign -m ECDSA-SHA256 --id c1 -i "$TMP/bad-eku.der" \
    -o "$TMP/b8.sig" >"$TMP/out" 2>&1
check "p11-log = off: no refusal line" bash -c "! grep -q 'sbrguard-pkcs11:' '$TMP/out'"
check "no signature file was left by a refusal" test ! -s "$TMP/b1.sig" -a ! -s "$TMP/b2.sig"

# --- (c) pre-authorized: the TBS first, then one raw-digest signature --------------------------
openssl dgst -sha256 -binary "$TMP/tbs-ec.der" >"$TMP/d-ec.bin"
printf 'something else' | openssl dgst -sha256 -binary >"$TMP/d-other.bin"
pkeyutl_ec() { # DIGEST OUT [env...]
    local in=$1 out=$2
    shift 2
    env "$@" OPENSSL_CONF="$TMP/engine.cnf" LD_PRELOAD="$PRELOAD" openssl pkeyutl -engine pkcs11 -keyform engine \
        -inkey "$ECKEY" -sign -in "$in" -out "$out"
}
refused "openssl pkeyutl -engine pkcs11 of the digest without an authorization: refused (authz.none)" \
    'reason sbrguard\.authz\.none' pkeyutl_ec "$TMP/d-ec.bin" "$TMP/c0.sig" SBRGUARD_P11_DEBUG=1
cli_digest() {
    sg authorize --key "${EC:-0}" --mech ecdsa-sha256 --tbs "$TMP/tbs-ec.der" --evidence "$EV" --digest-out "$TMP/d-tok.bin" \
        --pin $PIN && cmp "$TMP/d-tok.bin" "$TMP/d-ec.bin"
}
check "sbrguard authorize: the token's digest is the one openssl dgst computes" cli_digest
refused "an authorization made by another connection (the CLI's, now closed) does not reach the engine" \
    'reason sbrguard\.authz\.none' pkeyutl_ec "$TMP/d-ec.bin" "$TMP/c0.sig" SBRGUARD_P11_DEBUG=1
check "sbrguard authorize -- openssl pkeyutl -engine pkcs11: the engine's raw ECDSA signs the digest" \
    "$SG" authorize --key "${EC:-0}" --mech ecdsa-sha256 --tbs "$TMP/tbs-ec.der" --evidence "$EV" --pin $PIN -- \
    env OPENSSL_CONF="$TMP/engine.cnf" LD_PRELOAD="$PRELOAD" openssl pkeyutl -engine pkcs11 -keyform engine \
    -inkey "$ECKEY" -sign -in "$TMP/d-ec.bin" -out "$TMP/c1.sig"
check "assemble the pre-authorized signature, openssl verify OK" issued "$TMP/tbs-ec.der" "$TMP/c1.sig" "$TMP/ca-ec.pem"
env_ec() {
    pkeyutl_ec "$TMP/d-ec.bin" "$TMP/c2.sig" SBRGUARD_P11_AUTHORIZE="$TMP/tbs-ec.der" &&
        issued "$TMP/tbs-ec.der" "$TMP/c2.sig" "$TMP/ca-ec.pem"
}
check "SBRGUARD_P11_AUTHORIZE=tbs openssl pkeyutl: signs, assembles, verifies" env_ec
refused "authorized TBS but another digest given to pkeyutl: refused (digest-mismatch)" \
    'reason sbrguard\.authz\.digest-mismatch' \
    pkeyutl_ec "$TMP/d-other.bin" "$TMP/c3.sig" SBRGUARD_P11_AUTHORIZE="$TMP/tbs-ec.der" SBRGUARD_P11_DEBUG=1
refused "authorizing a non-conforming TBS: refused, the module never signs" \
    'reason sbr\.7\.1\.2\.3\.eku\.prohibited' \
    pkeyutl_ec "$TMP/d-ec.bin" "$TMP/c4.sig" SBRGUARD_P11_AUTHORIZE="$TMP/bad-eku.der" SBRGUARD_P11_DEBUG=1
refused "sbrguard authorize of the serverAuth TBS lists its reasons" \
    'sbr\.7\.1\.2\.3\.eku\.prohibited \[SBR 7\.1\.2\.3\(f\)\]' \
    sg authorize --key "${EC:-0}" --mech ecdsa-sha256 --tbs "$TMP/bad-eku.der" --evidence "$EV" --pin $PIN
cli_sign() {
    sg authorize --key "${EC:-0}" --mech ecdsa-sha256 --tbs "$TMP/tbs-ec.der" --evidence "$EV" --sign "$TMP/d-ec.bin" \
        --out "$TMP/c5.sig" --pin $PIN && issued "$TMP/tbs-ec.der" "$TMP/c5.sig" "$TMP/ca-ec.pem"
}
check "sbrguard authorize --sign: the one raw signature on the CLI's connection, verifies" cli_sign

# RSA through the engine: pkeyutl hands the module a DigestInfo (CKM_RSA_PKCS).
openssl dgst -sha256 -binary "$TMP/tbs-rsa.der" >"$TMP/d-rsa.bin"
pkeyutl_rsa() { # DIGEST OUT [env...]
    local in=$1 out=$2
    shift 2
    env "$@" OPENSSL_CONF="$TMP/engine.cnf" LD_PRELOAD="$PRELOAD" openssl pkeyutl -engine pkcs11 -keyform engine \
        -inkey "$RSAKEY" -sign -pkeyopt digest:sha256 -in "$in" -out "$out"
}
refused "RSA: pkeyutl without an authorization: refused (authz.none)" \
    'reason sbrguard\.authz\.none' pkeyutl_rsa "$TMP/d-rsa.bin" "$TMP/r0.sig" SBRGUARD_P11_DEBUG=1
env_rsa() {
    pkeyutl_rsa "$TMP/d-rsa.bin" "$TMP/r1.sig" SBRGUARD_P11_AUTHORIZE="$TMP/tbs-rsa.der" &&
        issued "$TMP/tbs-rsa.der" "$TMP/r1.sig" "$TMP/ca-rsa.pem"
}
check "RSA: SBRGUARD_P11_AUTHORIZE=tbs pkeyutl (DigestInfo, CKM_RSA_PKCS): signs, assembles, verifies" env_rsa

# The vendor mechanism: authorize and sign in one PKCS#11 session; the
# authorization is single-use and bound to its digest.
cat >"$TMP/authz.c" <<'EOF'
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <p11-kit-1/p11-kit/pkcs11.h>
#include "sbrguard/pkcs11_vendor.h"

static int failed;
static void check(const char *what, int cond)
{
    printf("%s - %s\n", cond ? "ok" : "not ok", what);
    fflush(stdout);
    failed |= !cond;
}
static size_t slurp(const char *path, CK_BYTE *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    size_t n = f ? fread(buf, 1, cap, f) : 0;
    if (f)
        fclose(f);
    return n;
}

int main(int argc, char **argv)
{
    /* module pin tbs digest other-digest sig-out */
    if (argc != 7)
        return 2;
    void *lib = dlopen(argv[1], RTLD_NOW);
    CK_C_GetFunctionList gfl = lib ? (CK_C_GetFunctionList)dlsym(lib, "C_GetFunctionList") : NULL;
    CK_FUNCTION_LIST_PTR f;
    if (!gfl || gfl(&f) != CKR_OK || f->C_Initialize(NULL) != CKR_OK)
        return 2;
    static CK_BYTE tbs[8192], digest[64], other[64], out[128], sig[128], sig2[128];
    CK_ULONG tl = slurp(argv[3], tbs, sizeof tbs), dl = slurp(argv[4], digest, sizeof digest);
    CK_ULONG ol = slurp(argv[5], other, sizeof other);
    CK_SESSION_HANDLE s;
    CK_OBJECT_HANDLE key;
    CK_ULONG n = 0;
    CK_OBJECT_CLASS cls = CKO_PRIVATE_KEY;
    CK_ATTRIBUTE t[] = {{CKA_CLASS, &cls, sizeof cls}, {CKA_LABEL, "ca-ec", 5}};
    f->C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &s);
    f->C_Login(s, CKU_USER, (CK_UTF8CHAR_PTR)argv[2], strlen(argv[2]));
    f->C_FindObjectsInit(s, t, 2);
    f->C_FindObjects(s, &key, 1, &n);
    f->C_FindObjectsFinal(s);
    check("vendor: the EC CA private key is found", n == 1);
    CK_MECHANISM az = {CKM_SBRGUARD_AUTHORIZE(CKM_ECDSA_SHA256), NULL, 0}, raw = {CKM_ECDSA, NULL, 0};
    CK_ULONG outl = sizeof out, sl = sizeof sig, sl2 = sizeof sig2;
    check("vendor: C_SignInit(CKM_SBRGUARD_AUTHORIZE(CKM_ECDSA_SHA256))", f->C_SignInit(s, &az, key) == CKR_OK);
    check("vendor: C_Sign submits the TBS and returns its SHA-256",
          f->C_Sign(s, tbs, tl, out, &outl) == CKR_OK && outl == dl && !memcmp(out, digest, dl));
    f->C_SignInit(s, &raw, key);
    check("vendor: CKM_ECDSA of another digest is CKR_FUNCTION_REJECTED",
          f->C_Sign(s, other, ol, sig, &sl) == CKR_FUNCTION_REJECTED);
    sl = sizeof sig;
    f->C_SignInit(s, &raw, key);
    check("vendor: CKM_ECDSA of the authorized digest signs", f->C_Sign(s, digest, dl, sig, &sl) == CKR_OK && sl == 64);
    f->C_SignInit(s, &raw, key);
    check("vendor: a second use of the same authorization is CKR_FUNCTION_REJECTED",
          f->C_Sign(s, digest, dl, sig2, &sl2) == CKR_FUNCTION_REJECTED);
    FILE *o = fopen(argv[6], "wb");
    if (o) {
        fwrite(sig, 1, sl, o);
        fclose(o);
    }
    CK_BYTE junk[] = "not a TBSCertificate";
    outl = sizeof out;
    f->C_SignInit(s, &az, key);
    check("vendor: authorizing bytes that are no TBS is CKR_FUNCTION_REJECTED",
          f->C_Sign(s, junk, sizeof junk - 1, out, &outl) == CKR_FUNCTION_REJECTED);
    f->C_Finalize(NULL);
    return failed;
}
EOF
# shellcheck disable=SC2086
if gcc $CFLAGS -Iinclude -o "$TMP/authz" "$TMP/authz.c" -ldl >&2; then
    ok "compile the vendor-mechanism PKCS#11 client"
    "$TMP/authz" "$MOD" $PIN "$TMP/tbs-ec.der" "$TMP/d-ec.bin" "$TMP/d-other.bin" "$TMP/v.sig" || failed=1
    check "vendor: the raw signature assembles into a certificate openssl verifies" \
        issued "$TMP/tbs-ec.der" "$TMP/v.sig" "$TMP/ca-ec.pem"
else
    notok "compile the vendor-mechanism PKCS#11 client"
fi

# --- assembly input errors ------------------------------------------------------------------------
refused "cert assemble refuses an RSA signature for an ECDSA TBS" 'neither|not one' \
    sg cert assemble --tbs "$TMP/tbs-ec.der" --sig "$TMP/a3.sig" --out "$TMP/x.pem"
refused "cert assemble refuses an ECDSA signature for an RSA TBS" 'RSA signature' \
    sg cert assemble --tbs "$TMP/tbs-rsa.der" --sig "$TMP/a1.sig" --out "$TMP/x.pem"
refused "cert assemble refuses a file that is no TBS" 'not a DER TBSCertificate' \
    sg cert assemble --tbs "$TMP/a1.sig" --sig "$TMP/a1.sig" --out "$TMP/x.pem"

kill "$TOKEN_PID" 2>/dev/null && wait "$TOKEN_PID" 2>/dev/null
TOKEN_PID=
exit $failed
