# SPDX-License-Identifier: Apache-2.0
"""The case registry (file, DER, codes, options, reason) and the case modules of smime_cases/."""
import os
import sys

from .paths import HERE
from .certs import CA, certificate

CASES = []  # dicts: file, der, codes, opts, why


def case(fname, der, codes, why, opts="-"):
    CASES.append(dict(file=fname, der=der, codes=sorted(set(codes)), opts=opts, why=why))


def issue(c):
    return certificate(c.tbs(), CA, c.sig_alg)


def mut(fname, b, fn, codes, why, opts="-"):
    """A case derived from base b by fn(cert) (fn returns nothing)."""
    fn(b)
    case(fname, issue(b), codes, why, opts)


def at(s):
    return "--at " + s


CA_OPT = "--ca ca.der"



def extra_cases():
    """Runs cases(g) of every test/vectors/smime_cases/*.py, in name order;
    g is the smime_gen package (every name of its modules), so a case module
    uses g.base, g.mut, g.case, g.ext ..."""
    import importlib.util
    folder = os.path.join(HERE, "smime_cases")
    if not os.path.isdir(folder):
        return
    g = sys.modules[__package__]
    for fn in sorted(os.listdir(folder)):
        if fn.endswith(".py") and not fn.startswith("_"):
            spec = importlib.util.spec_from_file_location("smime_cases_" + fn[:-3], os.path.join(folder, fn))
            mod = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(mod)
            mod.cases(g)
