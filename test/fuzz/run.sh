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
mkdir -p "$seeds/policy" "$seeds/frame" "$seeds/bundle"
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
for t in policy frame bundle; do
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
