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

step "Initialize it: label, security officer PIN, user PIN"
"$SG" init --label "sbrguard demo" --so-pin "$SO_PIN" --pin "$PIN"

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

step "A CA key signs only what the S/MIME BR policy accepts; without a decision it refuses"
if "$SG" sign --key 3 --mech ecdsa-sha384 --in "$W/doc.txt" --out "$W/refused.sig" --pin "$PIN"; then
    echo "demo: the CA key signed without a policy decision" >&2
    exit 1
fi

step "Token state"
"$SG" token status
"$SG" token stop
cat <<'EOS'

What happened: the firmware ran as the sim token, generated three key pairs
whose private keys never left it, signed a document with ECDSA P-256 and
RSA-PSS (both verified by OpenSSL), and became the issuing CA's HSM: once the
CA certificate was bound, the CA key refused to sign anything the policy
engine had not accepted.
EOS
