#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs each libFuzzer target for a fixed number of inputs from its seeds
# (test vectors), so a crash found by chance fails the test run. Longer
# runs: build/fuzz/fuzz/fuzz_X -max_total_time=600 DIR.
set -u
cd "$(dirname "$0")/../.."
RUNS=${FUZZ_RUNS:-20000}
F=build/fuzz/fuzz
seeds=$(mktemp -d)
ART=build/fuzz/artifacts
mkdir -p "$ART"
trap 'rm -rf "$seeds"' EXIT
mkdir -p "$seeds/policy" "$seeds/frame" "$seeds/bundle" "$seeds/evidence" "$seeds/blocklist"
# Blocklist seed: a header of an empty list, a 1-byte signature length prefix.
printf '\x00SGBL\x01\x06\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x01\x00' >"$seeds/blocklist/seed.bin"
for f in test/vectors/der/*.der test/vectors/smime/*.der; do [ -f "$f" ] && cp "$f" "$seeds/policy/"; done
# Frame seeds: INFO, and an INIT_TOKEN with PIN and label.
printf '\x00\x00\x08SG\x01\x01\x00\x00\x00\x00' > "$seeds/frame/info"
printf '\x00\x00\x19SG\x01\x02\x00\x00\x00\x11\x02\x00\x08so-pin-1\x01\x00\x03lab' > "$seeds/frame/init"
# Bundle seeds: signed bundles from the CLI's compiler (docs/bundle.md source format).
if openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$seeds/so.pem" 2>/dev/null; then
    printf 'version = 3\n[ca]\nkey-id = %064d\nprofiles = mailbox-strict organization-legacy\nmax-validity-days = 398\ncrldp-prefix = http://crl.example.com/\naia-prefix = http://ca.example.com/\ncaa-domain = example.com\n[escrow]\nprofiles = mailbox-strict\nperiod-days = 3650\nwrap = token-aes256\nkey-types = rsa-2048\nrecovery = yes\nencryption-only = yes\n' 1 >"$seeds/p.conf"
    build/host/sbrguard policy sign --key "$seeds/so.pem" --in "$seeds/p.conf" --out "$seeds/bundle/seed.der" >/dev/null 2>&1
fi
[ -s "$seeds/bundle/seed.der" ] || printf '\x30\x00' >"$seeds/bundle/seed.der"
rm -f "$seeds/so.pem" "$seeds/p.conf"
# Evidence seeds: 2-byte TBS length, TBS, evidence (made by the CLI for
# valid certificates of the corpus, several methods).
SG=build/host/sbrguard
n=0
for c in valid-mailbox-strict-ec valid-sponsor-strict-rsa valid-organization-strict-ec ok-san-dirname-too; do
    for m in domain email acme; do
        f=test/vectors/smime/$c.der
        [ -x "$SG" ] && "$SG" evidence make --va-key test/vectors/smime/keys/ca-p256.pem --in "$f" --method $m \
            --caa-issuer ca.example --bind-tbs --out "$seeds/ev.der" --at 2026-01-01T00:00:00Z 2>/dev/null || continue
        python3 -c '
import sys
cert = open(sys.argv[1], "rb").read()
i = 2 + (cert[1] & 0x7F if cert[1] & 0x80 else 0)  # the TBS: first element of the Certificate
k = cert[i + 1] & 0x7F if cert[i + 1] & 0x80 else 0
l = int.from_bytes(cert[i + 2:i + 2 + k], "big") if k else cert[i + 1]
tbs = cert[i:i + 2 + k + l]
open(sys.argv[3], "wb").write(len(tbs).to_bytes(2, "big") + tbs + open(sys.argv[2], "rb").read())
' "$f" "$seeds/ev.der" "$seeds/evidence/$n"
        n=$((n + 1))
    done
done
rm -f "$seeds/ev.der"
for t in policy frame bundle evidence blocklist; do
    if [ ! -x "$F/fuzz_$t" ]; then
        echo "not ok - fuzz_$t was not built"
        continue
    fi
    if "$F/fuzz_$t" -runs="$RUNS" -seed=1 -artifact_prefix="$ART/" "$seeds/$t" >&2 2>&1; then
        echo "ok - fuzz_$t: $RUNS inputs without a crash, leak or UB report"
    else
        echo "not ok - fuzz_$t found a failure (see the log above)"
    fi
done
