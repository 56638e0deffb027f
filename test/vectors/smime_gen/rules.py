# SPDX-License-Identifier: Apache-2.0
"""The engine's rule tables, read from policy/pol_rules_*.c at generation time."""
import os
import re

from .paths import POLICY

STR = r'"(?:[^"\\]|\\.)*"'
# { "code", "section", "message" "..." , fn }
ROW = re.compile(r'\{\s*"((?:sbr|sbrguard)\.[^"]+)"\s*,\s*"([^"]*)"\s*,\s*((?:%s\s*)+),\s*([A-Za-z_]\w*)\s*\}' % STR)
# X(fn, "code", "section", "message" "...") inside an X-macro list of rows
XROW = re.compile(r'\bX\(\s*([A-Za-z_]\w*)\s*,\s*"((?:sbr|sbrguard)\.[^"]+)"\s*,\s*"([^"]*)"\s*,\s*((?:%s\s*)+)\)' % STR)


def engine_rules():
    """(code, section, message, function) of every row of policy/pol_rules_*.c."""
    rows = []
    for fn in sorted(os.listdir(POLICY)):
        if re.match(r"pol_rules_\w+\.c$", fn):
            with open(os.path.join(POLICY, fn)) as f:
                src = re.sub(r"/\*.*?\*/", "", f.read(), flags=re.S).replace("\\\n", " ")
            rows += [m.groups() + (fn,) for m in ROW.finditer(src)]
            rows += [(m.group(2), m.group(3), m.group(4), m.group(1), fn) for m in XROW.finditer(src)]
    return rows
