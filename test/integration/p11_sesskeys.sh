#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Session key pairs (CKA_TOKEN = FALSE, issue 14 items 1 and 6) with a real
# client: python3-pykcs11 generates an EC and an RSA pair in a read-only
# session and signs; openssl verifies the signatures with the public keys
# the module gave; the keys are gone after the session closed; the token's
# object slots in flash.bin did not change and hold neither public key;
# the enforcement log has their KEY_GEN entries. A missing client is a skip.
# With SBRGUARD_BOARD=mps2-an386 (qemu_token.sh) the token holds one EC
# session pair only: the RSA pair is CKR_DEVICE_MEMORY.
source "$(dirname "$0")/lib/preamble.sh"
PY=/usr/bin/python3
if ! $PY -c "import PyKCS11" 2>/dev/null; then
    echo "skip - python3-pykcs11 not installed (make deps)"
    exit 0
fi
token_start
check "init" sg_init --label sesskeys --so-pin $SO_PIN --pin $PIN
# Object slots 1..32 of the store (docs/protocol.md, flash layout): 4 KiB
# records, two copies per slot, after slot 0 (the token's metadata, which
# a login rewrites for its PIN counter).
FLASH=$TMP/flash.bin KEYS="ec rsa" MODE=
[ "$BOARD" = mps2-an386 ] && FLASH=$TMP/mps2-flash.bin KEYS=ec MODE=ec-only
slots() { dd if="$FLASH" bs=4096 skip=2 count=64 2>/dev/null | sha256sum; }
BEFORE=$(slots)
PYPRE=$PRELOAD
[ -n "$PRELOAD" ] && PYPRE="$PRELOAD $(gcc -print-file-name=libstdc++.so.6)"
LD_PRELOAD=$PYPRE $PY "$ROOT/test/integration/lib/pykcs11_sesskey.py" "$MOD" $PIN "$TMP" $MODE ||
    notok "pykcs11_sesskey.py exited non-zero"
for k in $KEYS; do
    check "openssl verifies the $k session key's signature" bash -c \
        "openssl pkey -pubin -inform DER -in '$TMP/$k.pub.der' -out '$TMP/$k.pub.pem' &&
         openssl dgst -sha256 -verify '$TMP/$k.pub.pem' -signature '$TMP/$k.sig' '$TMP/data'"
done
check "the object slots in flash did not change" test "$BEFORE" = "$(slots)"
check "no session public key is anywhere in flash" $PY -c "
import sys
f = open('$FLASH', 'rb').read()
sys.exit(any(open('$TMP/%s.pub.der' % k, 'rb').read() in f for k in '$KEYS'.split()))"
sg audit export "$TMP/audit" --pin $PIN >&2
N=$(wc -w <<<"$KEYS")
check "the log verifies and holds the session key generations (key-gen $N)" bash -c \
    "'$SG' audit verify '$TMP/audit' --key '$TMP/audit/log.pub' | tee /dev/stderr | grep -q 'key-gen $N'"
check "pkcs11-tool (another application) lists no session key" bash -c \
    "! LD_PRELOAD=$PRELOAD pkcs11-tool --module '$MOD' --login --pin $PIN --list-objects 2>/dev/null | grep -q 'label: *session'"
exit $failed
