#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The CA's signed policy bundle and key escrow with the CLI and OpenSSL
# (docs/bundle.md): the SO's policy key from openssl, `policy sign|load|show`
# (text and JSON), rollback, tampered and foreign-key bundles refused, a CA
# key that refuses without a bundle and signs with one; `escrow generate`,
# `deliver` and `recover` whose output OpenSSL decrypts (RSA-OAEP-SHA256 +
# id-aes256-wrap-pad) to the escrowed key; refusals with reason codes;
# `audit verify` names the policy and escrow events.
# BIN (default build/host; build/asan for the ASan+UBSan build).
set -u
source "$(dirname "$0")/lib/preamble.sh"

token_start
check "token starts" test -S "$TMP/token.sock"
check "init with the SO's policy key (openssl P-256)" sg_init --label policy --so-pin $SO_PIN --pin $PIN
sg keygen --type ec-p256 --label ca --ca --pubout "$TMP/ca.pub.pem" --pin $PIN >"$TMP/out" 2>&1
CA=$(sed -n 's/.*handle \([0-9]*\).*/\1/p' "$TMP/out" | head -1)
check "CA key generated (handle ${CA:-?})" test -n "$CA"
echo x >"$TMP/msg"
refused "without a bundle the CA key refuses (sbrguard.bundle.none)" "sbrguard.bundle.none" \
    sg sign --key "${CA:-0}" --mech ecdsa-sha256 --in "$TMP/msg" --out "$TMP/sig" --pin $PIN

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$TMP/transport.pem" 2>/dev/null
openssl pkey -in "$TMP/transport.pem" -pubout -out "$TMP/transport.pub.pem"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$TMP/agent.pem" 2>/dev/null
openssl pkey -in "$TMP/agent.pem" -pubout -out "$TMP/agent.pub.pem"
mkconf() { # VERSION OUT
    cat >"$2" <<CONF
version = $1
[ca]
key = ca.pub.pem
profiles = mailbox-strict organization-strict
max-validity-days = 398
crldp-prefix = http://crl.example.com/
caa-domain = example.com
[escrow]
profiles = mailbox-strict
period-days = 3650
wrap = token-aes256
key-types = rsa-2048
recovery = yes
encryption-only = yes
[escrow]
profiles = organization-strict
period-days = 365
wrap = agent-rsa-oaep
agent-key = agent.pub.pem
recovery = yes
encryption-only = no
CONF
}
policy_key
mkconf 5 "$TMP/p5.conf"
check "policy sign (source format of docs/bundle.md)" sg policy sign --key "$POLICY_KEY" --in "$TMP/p5.conf" --out "$TMP/b5.der"
check "openssl parses the bundle as DER" openssl asn1parse -inform DER -in "$TMP/b5.der" -noout
check "policy show --in --key verifies the signature and lists the escrow rules" \
    bash -c "'$SG' policy show --in '$TMP/b5.der' --key '$POLICY_PUB' | grep -q 'escrow: mailbox-strict for 3650 days'"
check "policy load" sg policy load --in "$TMP/b5.der" --so-pin $SO_PIN
check "policy show --json of the token's bundle: version 5, verified with the token's policy key" \
    bash -c "'$SG' policy show --json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d[\"version\"]==5 and \"token\" in d[\"signature\"] and d[\"cas\"][0][\"escrow\"][1][\"wrap\"]==\"agent-rsa-oaep\"'"
refused "the same bundle again: rollback refused" "rollback" sg policy load --in "$TMP/b5.der" --so-pin $SO_PIN
mkconf 4 "$TMP/p4.conf"
sg policy sign --key "$POLICY_KEY" --in "$TMP/p4.conf" --out "$TMP/b4.der" >/dev/null
refused "an older version: rollback refused" "rollback" sg policy load --in "$TMP/b4.der" --so-pin $SO_PIN
mkconf 6 "$TMP/p6.conf"
sg policy sign --key "$POLICY_KEY" --in "$TMP/p6.conf" --out "$TMP/b6.der" >/dev/null
python3 -c "import sys; b=bytearray(open(sys.argv[1],'rb').read()); i=b.find(b'crl.example'); b[i]^=0x20; open(sys.argv[2],'wb').write(b)" \
    "$TMP/b6.der" "$TMP/b6t.der"
refused "a tampered bundle: signature refused" "signature" sg policy load --in "$TMP/b6t.der" --so-pin $SO_PIN
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$TMP/other.pem" 2>/dev/null
sg policy sign --key "$TMP/other.pem" --in "$TMP/p6.conf" --out "$TMP/b6o.der" >/dev/null
refused "a bundle signed by another key: signature refused" "signature" sg policy load --in "$TMP/b6o.der" --so-pin $SO_PIN
refused "policy load by the user PIN fails" "PIN|login" sg policy load --in "$TMP/b6.der" --so-pin $PIN

# --- escrow ---------------------------------------------------------------------------
echo "I, alice@example.com, authorize escrow of my encryption key" >"$TMP/consent.txt"
sg escrow generate --ca "${CA:-0}" --profile mailbox-strict --type rsa-2048 --consent "$TMP/consent.txt" \
    --pubout "$TMP/esc.pub.pem" --pin $PIN >"$TMP/out" 2>&1
ESC=$(sed -n 's/.*handle \([0-9]*\).*/\1/p' "$TMP/out" | head -1)
check "escrow generate: RSA-2048 for mailbox-strict, escrowed (handle ${ESC:-?})" test -n "$ESC" -a -s "$TMP/esc.pub.pem"
refused "escrow for a signing key under an encryption-only rule: refused" "sbrguard.escrow.encryption-only" \
    sg escrow generate --ca "${CA:-0}" --profile mailbox-strict --type rsa-2048 --usage sign --consent "$TMP/consent.txt" --pin $PIN
refused "escrow of a P-256 key where the rule allows RSA-2048: refused" "sbrguard.escrow.key-type" \
    sg escrow generate --ca "${CA:-0}" --profile mailbox-strict --type ec-p256 --consent "$TMP/consent.txt" --pin $PIN
refused "escrow for a profile without a rule: refused" "sbrguard.escrow.no-rule" \
    sg escrow generate --ca "${CA:-0}" --profile mailbox-multipurpose --type rsa-2048 --consent "$TMP/consent.txt" --pin $PIN

# decrypt WRAPPED PRIV OUT: RSA-OAEP-SHA256 then id-aes256-wrap-pad, with openssl only.
decrypt() {
    head -c 256 "$1" >"$1.k" && tail -c +257 "$1" >"$1.kwp" &&
        openssl pkeyutl -decrypt -inkey "$2" -in "$1.k" -out "$1.kbin" -pkeyopt rsa_padding_mode:oaep \
            -pkeyopt rsa_oaep_md:sha256 -pkeyopt rsa_mgf1_md:sha256 &&
        openssl enc -d -id-aes256-wrap-pad -K "$(xxd -p -c 64 "$1.kbin")" -iv A65959A6 -in "$1.kwp" -out "$1.p8" &&
        openssl pkey -inform DER -in "$1.p8" -pubout -out "$3"
}
check "escrow deliver to the subscriber's transport key" \
    sg escrow deliver --key "${ESC:-0}" --transport "$TMP/transport.pub.pem" --out "$TMP/delivered.bin" --pin $PIN
check "openssl decrypts the delivery (OAEP-SHA256 + AES-256 KWP) to the escrowed key" \
    bash -c "$(declare -f decrypt); decrypt '$TMP/delivered.bin' '$TMP/transport.pem' '$TMP/d.pub.pem' && cmp '$TMP/d.pub.pem' '$TMP/esc.pub.pem'"
refused "escrow recover with the user PIN: refused (SO only)" "PIN|login" \
    sg escrow recover --key "${ESC:-0}" --transport "$TMP/transport.pub.pem" --out "$TMP/r.bin" --so-pin $PIN
check "escrow recover by the SO" \
    sg escrow recover --key "${ESC:-0}" --transport "$TMP/transport.pub.pem" --out "$TMP/recovered.bin" --so-pin $SO_PIN
check "openssl decrypts the recovery to the escrowed key" \
    bash -c "$(declare -f decrypt); decrypt '$TMP/recovered.bin' '$TMP/transport.pem' '$TMP/r.pub.pem' && cmp '$TMP/r.pub.pem' '$TMP/esc.pub.pem'"
sg escrow generate --ca "${CA:-0}" --profile organization-strict --type rsa-2048 --usage sign --consent "$TMP/consent.txt" \
    --pubout "$TMP/agent-esc.pub.pem" --pin $PIN >"$TMP/out" 2>&1
AESC=$(sed -n 's/.*handle \([0-9]*\).*/\1/p' "$TMP/out" | head -1)
check "escrow to the agent (organization-strict, handle ${AESC:-?})" test -n "$AESC"
refused "the token cannot deliver an agent-wrapped key" "sbrguard.escrow.agent-wrapped" \
    sg escrow deliver --key "${AESC:-0}" --transport "$TMP/transport.pub.pem" --out "$TMP/x.bin" --pin $PIN
check "escrow recover of the agent-wrapped key: openssl decrypts it with the agent's private key" \
    bash -c "'$SG' escrow recover --key '${AESC:-0}' --out '$TMP/agent.bin' --so-pin $SO_PIN && $(declare -f decrypt); decrypt '$TMP/agent.bin' '$TMP/agent.pem' '$TMP/a.pub.pem' && cmp '$TMP/a.pub.pem' '$TMP/agent-esc.pub.pem'"

# --- the log --------------------------------------------------------------------------
check "audit export" sg audit export "$TMP/exp" --pin $PIN
sg audit verify "$TMP/exp" --key "$TMP/exp/log.pub" >"$TMP/verify.txt" 2>&1
cat "$TMP/verify.txt" >&2
check "audit verify: policy load, escrow, delivery, recovery and refusals named in the summary" \
    grep -qE "escrow events: 5 \(escrow 2, delivery 1, recovery 2, refused [1-9]" "$TMP/verify.txt"
check "audit verify: one policy load" grep -q "policy loads: 1" "$TMP/verify.txt"

# --- a token without a policy key ------------------------------------------------------
check "re-init without a policy key" sg init --label nokey --so-pin $SO_PIN --pin $PIN
refused "policy load on a token without a policy key: refused" "without a policy key" \
    sg policy load --in "$TMP/b6.der" --so-pin $SO_PIN
exit $failed
