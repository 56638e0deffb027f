#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The SBR 6.1.1.3 compromised-key blocklist with the CLI and OpenSSL
# (docs/blocklist.md): `blocklist build` from an openssl-made public key, a
# certificate and a hex list, signed with the SO's policy key; `load`, `show`;
# a TBS whose key is listed is refused by the token and by `lint --blocklist`
# with the same code, an unlisted one passes; rollback and tampering refused;
# `audit verify` accepts the log with its blocklist-load entry.
# BIN (default build/host; build/asan for the ASan+UBSan build).
set -u
source "$(dirname "$0")/lib/preamble.sh"
CODE=sbr.6.1.1.3.key.compromised

token_start
check "token starts" test -S "$TMP/token.sock"
check "init with the SO's policy key (openssl P-256)" sg_init --label blocklist --so-pin $SO_PIN --pin $PIN
sg keygen --type ec-p256 --label ca --id ca --pubout "$TMP/ca.pub" --pin $PIN >"$TMP/out" 2>&1
CA=$(sed -n 's/.*handle \([0-9]*\).*/\1/p' "$TMP/out" | head -1)
MK="python3 $ROOT/test/integration/lib/mkca.py"
# Subscriber keys made by openssl: one compromised, one not.
for k in bad good; do
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$TMP/$k.pem" 2>/dev/null
    openssl pkey -in "$TMP/$k.pem" -pubout -out "$TMP/$k.pub.pem"
done
setup() {
    $MK ca "$TMP/ca.pub" "$TMP/ca.pem" && sg cert import --key "${CA:-0}" --cert "$TMP/ca.pem" --pin $PIN &&
        $MK tbs "$TMP/ca.pem" "$TMP/bad.der" - "$TMP/bad.pub.pem" && $MK tbs "$TMP/ca.pem" "$TMP/good.der" - "$TMP/good.pub.pem" &&
        policy_load_for "$TMP/ca.pem" && ev "$TMP/bad.der" >/dev/null && ev "$TMP/good.der" >/dev/null
}
check "CA bound, bundle loaded, TBSs for the two openssl keys and their evidence" setup

# Inputs of three kinds: a public key, a certificate, a hex list.
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$TMP/other.pem" 2>/dev/null
openssl req -new -x509 -key "$TMP/other.pem" -subj "/CN=other" -days 2 -out "$TMP/other.crt" 2>/dev/null
for i in 1 2 3; do printf 'filler %s' $i | openssl dgst -sha256 -r | cut -c1-64; done >"$TMP/hex.txt"
openssl pkey -pubin -in "$TMP/bad.pub.pem" -outform DER | openssl dgst -sha256 -r | cut -c1-64 >"$TMP/bad.hash"
check "blocklist build signs a list from a key, a certificate and a hex list" \
    sg blocklist build --out "$TMP/bl.bin" --key "$POLICY_KEY" --seq 5 "$TMP/bad.pub.pem" "$TMP/other.crt" "$TMP/hex.txt"
check "blocklist build without --key writes the plain list, holding the key's SPKI hash" \
    eval 'sg blocklist build --out "$TMP/bl.txt" "$TMP/bad.pub.pem" "$TMP/other.crt" "$TMP/hex.txt" >&2 && grep -qx "$(cat "$TMP/bad.hash")" "$TMP/bl.txt"'
check "blocklist show --in --key: signed, sequence 5, 5 keys, signature verified" \
    eval 'sg blocklist show --in "$TMP/bl.bin" --key "$POLICY_PUB" | grep -q "sequence 5, 5 keys, signature verified"'
check "blocklist load: the token takes it" sg blocklist load --in "$TMP/bl.bin" --so-pin $SO_PIN
check "blocklist show: the token's list, sequence 5, 5 keys" eval 'sg blocklist show | grep -q "sequence 5, 5 keys"'

refused "the token refuses the TBS with the listed key ($CODE)" "$CODE" \
    sg sign --key "${CA:-0}" --mech ecdsa-sha256 --in "$TMP/bad.der" --out "$TMP/bad.sig" --evidence "$TMP/bad.der.ev" --pin $PIN
refused "lint --blocklist (signed file) refuses it with the same code" "$CODE" sg lint --blocklist "$TMP/bl.bin" "$TMP/bad.der"
refused "lint --blocklist (plain list) refuses it with the same code" "$CODE" sg lint --blocklist "$TMP/bl.txt" "$TMP/bad.der"
check "the token signs the TBS with the unlisted key" \
    sg sign --key "${CA:-0}" --mech ecdsa-sha256 --in "$TMP/good.der" --out "$TMP/good.sig" --evidence "$TMP/good.der.ev" --pin $PIN
check "lint --blocklist accepts it" sg lint --blocklist "$TMP/bl.bin" "$TMP/good.der"
check "lint without --blocklist accepts the listed key's TBS" sg lint "$TMP/bad.der"
check "lint confirms the hit: the key's whole SHA-256 is listed" \
    eval 'sg lint --blocklist "$TMP/bl.txt" "$TMP/bad.der" 2>&1 | grep -q "blocklist hit confirmed"'
# A list entry sharing the good key's 8-byte prefix, not its hash: the
# token's prefix lookup refuses (docs/blocklist.md), the host says collision.
openssl pkey -pubin -in "$TMP/good.pub.pem" -outform DER | openssl dgst -sha256 -r | cut -c1-64 |
    python3 -c 'import sys; h = sys.stdin.read().strip(); print(h[:62] + ("00" if h[62:] != "00" else "01"))' >"$TMP/collide.txt"
refused "a prefix collision refuses too (the token compares prefixes) ..." "$CODE" sg lint --blocklist "$TMP/collide.txt" "$TMP/good.der"
check "... and lint says the hit is NOT confirmed" grep -q "NOT confirmed: only the 8-byte prefix matches" "$TMP/out"

refused "the same sequence again: rollback refused" "rollback" sg blocklist load --in "$TMP/bl.bin" --so-pin $SO_PIN
sg blocklist build --out "$TMP/bl6.bin" --key "$POLICY_KEY" --seq 6 "$TMP/hex.txt" >/dev/null
python3 -c 'import sys; b = bytearray(open(sys.argv[1], "rb").read()); b[20] ^= 1; open(sys.argv[2], "wb").write(b)' \
    "$TMP/bl6.bin" "$TMP/bl6x.bin"
refused "a tampered list: refused" "signature|malformed" sg blocklist load --in "$TMP/bl6x.bin" --so-pin $SO_PIN
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$TMP/mallory.pem" 2>/dev/null
sg blocklist build --out "$TMP/blm.bin" --key "$TMP/mallory.pem" --seq 7 "$TMP/hex.txt" >/dev/null
refused "a list signed by another key: refused" "signature" sg blocklist load --in "$TMP/blm.bin" --so-pin $SO_PIN
check "sequence 6 loads; the key is no longer listed and the token signs its TBS" \
    eval 'sg blocklist load --in "$TMP/bl6.bin" --so-pin $SO_PIN >&2 && sg sign --key "${CA:-0}" --mech ecdsa-sha256 --in "$TMP/bad.der" --out "$TMP/bad.sig" --evidence "$TMP/bad.der.ev" --pin $PIN >&2'

check "audit export and verify: the log with its blocklist-load entries verifies" \
    eval 'sg audit export "$TMP/exp" --pin $PIN >&2 && sg audit verify "$TMP/exp" --key "$TMP/exp/log.pub" >&2'
exit $failed
