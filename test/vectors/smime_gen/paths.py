# SPDX-License-Identifier: Apache-2.0
"""Where the generator reads (policy/) and writes (test/vectors/smime/)."""
import os

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # test/vectors
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
OUT = os.path.join(HERE, "smime")
KEYS = os.path.join(OUT, "keys")
POLICY = os.path.join(ROOT, "policy")
