#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `make demo`: the sim token end to end, with the sbrguard CLI and OpenSSL.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${BIN:-build/host}
export SBRGUARD_HOME=${SBRGUARD_HOME:-$PWD/build/demo}
unset SBRGUARD_SOCKET SBRGUARD_CONF
SG="$BIN/sbrguard"
W=$SBRGUARD_HOME/work
SO_PIN=demo-so-pin PIN=demo-pin

step() { printf '\n== %s\n' "$*"; }
"$SG" token stop >/dev/null 2>&1 || true
rm -rf "$SBRGUARD_HOME"
mkdir -p "$W"
trap '"$SG" token stop >/dev/null 2>&1 || true' EXIT

step "Start the simulated token (firmware as a host process; flash in $SBRGUARD_HOME/flash.bin)"
"$SG" token start

step "Initialize it: label, security officer PIN, user PIN, the SO's policy-signing key"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$W/policy-so.pem" 2>/dev/null
openssl pkey -in "$W/policy-so.pem" -pubout -out "$W/policy-so.pub.pem"
"$SG" init --label "sbrguard demo" --so-pin "$SO_PIN" --pin "$PIN" --policy-key "$W/policy-so.pub.pem"

step "Generate an ECDSA P-256 and an RSA-2048 signing key on the token"
"$SG" keygen --type ec-p256 --label "demo EC key" --id 01 --pubout "$W/ec.pub.pem" --pin "$PIN"
"$SG" keygen --type rsa-2048 --label "demo RSA key" --id 02 --pubout "$W/rsa.pub.pem" --pin "$PIN"

step "Sign a document on the token; verify with OpenSSL against the exported public keys"
echo "sbrguard demo document, $(date -u +%FT%TZ)" > "$W/doc.txt"
"$SG" sign --key 1 --mech ecdsa-sha256 --in "$W/doc.txt" --out "$W/doc.ec.sig" --pin "$PIN"
openssl dgst -sha256 -verify "$W/ec.pub.pem" -signature "$W/doc.ec.sig" "$W/doc.txt"
"$SG" sign --key 2 --mech sha256-rsa-pkcs-pss --in "$W/doc.txt" --out "$W/doc.rsa.sig" --pin "$PIN"
openssl dgst -sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32 \
    -verify "$W/rsa.pub.pem" -signature "$W/doc.rsa.sig" "$W/doc.txt"

step "Generate the issuing CA key (P-384) on the token"
"$SG" keygen --type ec-p384 --label "demo issuing CA" --id ca01 --pubout "$W/ca.pub.pem" --pin "$PIN"

step "An offline root (software key, demo only) certifies the token's CA key"
openssl ecparam -name prime256v1 -genkey -noout -out "$W/root.key" 2>/dev/null
openssl req -new -x509 -key "$W/root.key" -subj "/O=sbrguard demo/CN=Demo Root CA" -days 30 \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
    -out "$W/root.pem"
openssl ecparam -name prime256v1 -genkey -noout -out "$W/csr.key" 2>/dev/null
openssl req -new -key "$W/csr.key" -subj "/O=sbrguard demo/CN=Demo S\\/MIME Issuing CA" -out "$W/ca.csr"
printf 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n' > "$W/ca.ext"
openssl x509 -req -in "$W/ca.csr" -CA "$W/root.pem" -CAkey "$W/root.key" -CAcreateserial \
    -force_pubkey "$W/ca.pub.pem" -days 30 -extfile "$W/ca.ext" -out "$W/ca.pem" 2>/dev/null
openssl verify -CAfile "$W/root.pem" "$W/ca.pem"

step "Bind the CA certificate to the key: from now on it is a CA key"
"$SG" cert import --key 3 --cert "$W/ca.pem" --label "demo issuing CA" --pin "$PIN"
"$SG" list --pin "$PIN"

step "The validation authority (VA) whose signed evidence the CA trusts (docs/evidence.md); its key, demo only"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$W/va.pem" 2>/dev/null
openssl pkey -in "$W/va.pem" -pubout -out "$W/va.pub.pem"

step "The CA's own policy: a bundle signed by the security officer (docs/bundle.md); without it CA keys refuse"
cat > "$W/policy.conf" <<'CONF'
version = 1
[ca]
key = ca.pub.pem
va-key = va.pub.pem
profiles = mailbox-strict mailbox-multipurpose
max-validity-days = 398
crldp-prefix = http://crl.example.com/
aia-prefix = http://ca.example.com/ http://ocsp.example.com/
caa-domain = example.com
skew-seconds = 3600
authz-seconds = 60
[escrow]
profiles = mailbox-strict
period-days = 3650
wrap = token-aes256
key-types = rsa-2048
recovery = yes
encryption-only = yes
CONF
"$SG" policy sign --key "$W/policy-so.pem" --in "$W/policy.conf" --out "$W/policy.der"
"$SG" policy load --in "$W/policy.der" --so-pin "$SO_PIN"
"$SG" policy show

step "A subscriber TBSCertificate (mailbox-validated, strict) for alice@example.com"
# openssl builds the TBS from a throwaway issuer with the CA's subject and
# key identifier; only the TBS is kept: the token judges it and signs it.
openssl ecparam -name prime256v1 -genkey -noout -out "$W/alice.key" 2>/dev/null
openssl req -new -key "$W/alice.key" -subj "/CN=alice@example.com" -out "$W/alice.csr"
mk_tbs() { # OUT EXTRA-EKU
    local ski
    ski=$(openssl x509 -in "$W/ca.pem" -noout -ext subjectKeyIdentifier | tail -1 | tr -d ' :')
    openssl ecparam -name prime256v1 -genkey -noout -out "$W/shadow.key" 2>/dev/null
    openssl req -new -x509 -key "$W/shadow.key" -subj "/O=sbrguard demo/CN=Demo S\\/MIME Issuing CA" -days 1 \
        -addext "subjectKeyIdentifier=$ski" -out "$W/shadow.pem"
    printf '%s\n' "certificatePolicies=2.23.140.1.5.1.3" "crlDistributionPoints=URI:http://crl.example.com/ca.crl" \
        "authorityInfoAccess=caIssuers;URI:http://ca.example.com/ca.crt" "keyUsage=critical,digitalSignature" \
        "extendedKeyUsage=emailProtection$2" "authorityKeyIdentifier=keyid" "subjectKeyIdentifier=hash" \
        "subjectAltName=email:alice@example.com" > "$W/alice.ext"
    openssl x509 -req -in "$W/alice.csr" -CA "$W/shadow.pem" -CAkey "$W/shadow.key" -sha384 -days 365 \
        -set_serial "0x$(openssl rand -hex 16)" -extfile "$W/alice.ext" -outform DER -out "$W/shadow-issued.der" 2>/dev/null
    openssl asn1parse -inform DER -in "$W/shadow-issued.der" -strparse 4 -noout -out "$1"
}
mk_tbs "$W/alice.tbs" ""
"$SG" lint --ca "$W/ca.pem" "$W/alice.tbs"

step "The VA's evidence: alice@example.com controlled by e-mail random value (SBR 3.2.2.2), CAA issuemail names the CA"
"$SG" evidence make --va-key "$W/va.pem" --in "$W/alice.tbs" --method email --caa-issuer example.com --out "$W/alice.ev"
"$SG" evidence show "$W/alice.ev"

step "Without evidence the CA key refuses a perfect TBS (nobody showed the mailbox was validated)"
if "$SG" sign --key 3 --mech ecdsa-sha384 --in "$W/alice.tbs" --out "$W/alice.sig" --pin "$PIN"; then
    echo "demo: the CA key signed without evidence" >&2
    exit 1
fi

step "Stale evidence: the random value was sent 45 days ago, over the 30-day reuse limit of SBR 4.2.1"
"$SG" evidence make --va-key "$W/va.pem" --in "$W/alice.tbs" --method email --caa-issuer example.com \
    --rv-created -45d --rv-used -45d+10m --validated-at -45d+10m --out "$W/alice-stale.ev"
if "$SG" sign --key 3 --mech ecdsa-sha384 --in "$W/alice.tbs" --out "$W/alice.sig" --evidence "$W/alice-stale.ev" --pin "$PIN"; then
    echo "demo: the CA key signed with stale evidence" >&2
    exit 1
fi

step "With fresh evidence the token judges TBS and evidence, signs, and OpenSSL verifies the certificate"
"$SG" sign --key 3 --mech ecdsa-sha384 --in "$W/alice.tbs" --out "$W/alice.sig" --evidence "$W/alice.ev" --pin "$PIN"
"$SG" cert assemble --tbs "$W/alice.tbs" --sig "$W/alice.sig" --out "$W/alice.pem"
openssl verify -CAfile "$W/root.pem" -untrusted "$W/ca.pem" "$W/alice.pem"

step "A TBS that breaks the SBR (serverAuth in extKeyUsage): the CA key refuses, naming the rule"
mk_tbs "$W/bad.tbs" ",serverAuth"
"$SG" evidence make --va-key "$W/va.pem" --in "$W/bad.tbs" --caa-issuer example.com --out "$W/bad.ev"
if "$SG" sign --key 3 --mech ecdsa-sha384 --in "$W/bad.tbs" --out "$W/bad.sig" --evidence "$W/bad.ev" --pin "$PIN"; then
    echo "demo: the CA key signed a non-conforming TBS" >&2
    exit 1
fi

step "Export the enforcement log: every decision above, as C2SP tlog-tiles with a signed checkpoint"
"$SG" audit export "$W/log" --pin "$PIN"

step "Token state"
"$SG" token status
"$SG" token stop

step "The auditor, offline (token stopped): verify the exported log, and that alice's certificate is in it"
mkdir -p "$W/issued"
cp "$W/alice.pem" "$W/issued/"
"$SG" audit verify "$W/log" --key "$W/log/log.pub" --certs "$W/issued"
"$SG" audit proof --inclusion "$W/alice.pem" "$W/log" --key "$W/log/log.pub"

step "The auditor's report: one self-contained HTML file (no script, charts as inline SVG), drawn only over a verified log"
REPORT=$SBRGUARD_HOME/report.html
"$SG" audit report "$W/log" --key "$W/log/log.pub" --certs "$W/issued" --out "$REPORT"
cat <<'EOS'

What happened: the firmware ran as the sim token, generated three key pairs
whose private keys never left it, signed a document with ECDSA P-256 and
RSA-PSS (both verified by OpenSSL), and became the issuing CA's HSM: once the
CA certificate and the security officer's signed policy bundle were loaded,
the CA key signed alice's S/MIME certificate only after its own policy engine
had judged the TBS against the S/MIME Baseline Requirements and the VA's
signed evidence that her mailbox was validated recently enough; it refused
the same TBS without evidence and with stale evidence, and refused the TBS
that broke the SBR. Every decision went into
the token's enforcement log first; the exported log (RFC 9162 Merkle tree,
C2SP checkpoint signed by the token's log key) was verified offline, with the
certificate's inclusion proof. (A real auditor takes the log key from the
token's setup record, not from the export.)
EOS
printf '\nAudit report: %s\n' "$REPORT"
