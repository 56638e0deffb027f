#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Generates the policy engine's S/MIME test corpus in test/vectors/smime/.

Deterministic: every key is derived from a label (and kept as PEM under
keys/), times and serials are fixed, and ECDSA signatures use RFC 6979
nonces, so a rerun writes byte-identical files.

What it writes:
  * a test CA (ECDSA P-256 with a subjectKeyIdentifier), plus two CAs for the
    binding cases (P-384; same name and key but no subjectKeyIdentifier);
  * for each of the 12 profiles of SBR 7.1.6.1, a valid subscriber
    certificate with an RSA-2048 key and one with an ECDSA P-256 key, and
    further valid certificates at the edges of what the SBR allows;
  * for every rule row of the engine's tables (policy/pol_rules_*.c, read at
    generation time: `{ "code", "section", "message", fn }` rows and
    `X(fn, "code", "section", "message")` X-macro rows), at least one
    certificate that breaks that rule,
    derived from the SBR 1.0.11 text, with the reason codes it must get;
  * TBSCertificates that are not DER (refused with sbr.7.1.2.4.der.malformed);
  * expected.tsv: <file> <accept|refuse> <codes> <options> <section: reason>.

Exits 1 (after writing) when a rule row of the engine has no failing case.
A case whose expected code is not in the engine's tables yet is left out
with a warning (the name rules are being written in parallel).

Runs with python3-cryptography 38 (Debian bookworm) or later; the DER is
built here, not by cryptography's x509 builder, so that bad inputs stay bad.

The code is the package smime_gen/ (one module a concern: der, oids, ecdsa,
keys, names, exts, certs, profiles, the case groups cases_*, rules, main);
this script runs it. Importing this module gives every name of the package
(test/fuzz/run.sh reads g.oid, g.OID, g.tlv).
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from smime_gen import *  # noqa: E402,F401,F403
from smime_gen.main import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
