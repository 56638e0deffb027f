#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Makes base.der: a conforming mailbox/strict certificate (SBR 7.1.2.3,
# 7.1.6.1) from a throwaway CA, the valid starting point of the malformed-DER
# tests (test/unit/test_policy_der.c). Run once; the output is checked in.
set -euo pipefail
cd "$(dirname "$0")"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
openssl ecparam -name prime256v1 -genkey -noout -out "$t/ca.key"
openssl req -new -x509 -key "$t/ca.key" -subj "/O=sbrguard tests/CN=Test Issuing CA" -days 3650 \
    -addext subjectKeyIdentifier=hash -out ca.pem
openssl ecparam -name prime256v1 -genkey -noout -out "$t/ee.key"
openssl req -new -key "$t/ee.key" -subj "/CN=alice@example.com" -out "$t/ee.csr"
cat > "$t/ext.cnf" <<'EXT'
certificatePolicies=2.23.140.1.5.1.3
crlDistributionPoints=URI:http://crl.example.com/ca.crl
authorityInfoAccess=caIssuers;URI:http://ca.example.com/ca.crt,OCSP;URI:http://ocsp.example.com
keyUsage=critical,digitalSignature
extendedKeyUsage=emailProtection
authorityKeyIdentifier=keyid
subjectKeyIdentifier=hash
subjectAltName=email:alice@example.com
EXT
openssl x509 -req -in "$t/ee.csr" -CA ca.pem -CAkey "$t/ca.key" -set_serial 0x4f3a9b1c2d7e8f6a5b4c3d2e1f0a9b8c \
    -days 365 -extfile "$t/ext.cnf" -sha256 -outform DER -out base.der
