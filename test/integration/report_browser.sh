#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The audit report in a real browser (issue 16): `make demo`'s script runs
# against its own sim token and ends by writing the report of its log;
# Debian's chromium renders it headless. The text of the rendered page must
# carry the figures `audit verify --format json` gives for the same log
# (certificates signed, requests refused, tree size and root, entries), and
# a screenshot is left in build/report.png. Chromium comes from `make deps`
# (the Makefile's APT_PKGS); if it is missing the test installs it that way,
# and fails if it still cannot run it.
#
# BIN (default build/host; build/asan for the ASan+UBSan build). Output: one
# line per check, "ok - what" or "not ok - what"; details go to stderr.
set -u
source "$(dirname "$0")/lib/preamble.sh"
SHOT=$ROOT/build/report.png

if ! command -v chromium >/dev/null; then
    echo "chromium missing: installing it through make deps" >&2
    make -C "$ROOT" --no-print-directory deps >&2
fi
check "chromium is installed (make deps)" command -v chromium

# The demo, isolated in $TMP (its own SBRGUARD_HOME, token and socket).
SBRGUARD_HOME=$TMP/demo BIN=$BIN bash "$ROOT/boards/sim/demo.sh" >"$TMP/demo.out" 2>&1
rc=$?
cat "$TMP/demo.out" >&2
REPORT=$(sed -n 's/^Audit report: //p' "$TMP/demo.out" | tail -1)
check "the demo ran (exit $rc) and ended by printing the report's path" test "$rc" -eq 0 -a -n "$REPORT" -a -s "$REPORT"
LOGDIR=$TMP/demo/work/log
sg audit verify "$LOGDIR" --key "$LOGDIR/log.pub" --format json >"$TMP/v.json" 2>/dev/null
check "audit verify --format json of the demo's log: ok" python3 -c '
import json, sys; assert json.load(open(sys.argv[1]))["result"] == "ok"' "$TMP/v.json"

# Chromium as root needs --no-sandbox; the page is our own local file.
chrome() { chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$TMP/chrome" "$@"; }
chrome --dump-dom "file://$REPORT" >"$TMP/dom.html" 2>"$TMP/chrome.err"
cat "$TMP/chrome.err" >&2
check "chromium renders the report (--dump-dom)" grep -q '</html>' "$TMP/dom.html"
cat >"$TMP/text.py" <<'PY'
import html.parser, json, re, sys
class Text(html.parser.HTMLParser):
    """The page's visible text, as rendered (style and SVG text aside)."""
    def __init__(s):
        super().__init__(); s.skip, s.out, s.ids, s.cur = 0, [], {}, None
    def handle_starttag(s, t, a):
        if t in ("style", "title", "svg"): s.skip += 1
        d = dict(a)
        if "id" in d: s.cur = d["id"]; s.ids[s.cur] = ""
    def handle_endtag(s, t):
        if t in ("style", "title", "svg"): s.skip -= 1
        s.cur = None
    def handle_data(s, d):
        if not s.skip: s.out.append(d)
        if s.cur: s.ids[s.cur] += d
t = Text(); t.feed(open(sys.argv[1]).read())
text = re.sub(r"\s+", " ", " ".join(t.out))
v = json.load(open(sys.argv[2])); s = v["summary"]
want = [
    "%d certificates signed" % s["accepted"],
    "%d requests refused" % s["refused"],
    "%d entries, root %s" % (v["checkpoint"]["size"], v["checkpoint"]["root"]),
    "%d of %d" % (s["entries"], s["entries"]),
    v["checkpoint"]["origin"],
    "The log verifies",
]
for code, n in s["refused_by_reason"].items():
    m = re.match(r"sbr\.((?:\d+\.)*\d+)\.", code)
    if m: want.append("SBR " + m.group(1))
    want.append(code)
missing = [w for w in want if w not in text]
assert not missing, (missing, text[:2000])
assert int(t.ids["t0-accepted"]) == s["accepted"] and int(t.ids["t0-refused"]) == s["refused"], t.ids
print("rendered text has: " + "; ".join(want), file=sys.stderr)
PY
check "the rendered text has verify's figures: signed, refused, tree size and root, entries, reasons with their SBR section" \
    python3 "$TMP/text.py" "$TMP/dom.html" "$TMP/v.json"
rm -f "$SHOT"
chrome --window-size=1100,3000 --screenshot="$SHOT" "file://$REPORT" >/dev/null 2>>"$TMP/chrome.err"
png_ok() { # a PNG of the window's size, with more than a blank page's bytes
    python3 - "$SHOT" <<'PY'
import struct, sys
b = open(sys.argv[1], "rb").read()
assert b[:8] == b"\x89PNG\r\n\x1a\n" and b[12:16] == b"IHDR", "not a PNG"
w, h = struct.unpack(">II", b[16:24])
assert (w, h) == (1100, 3000) and len(b) > 50000, (w, h, len(b))
PY
}
check "screenshot of the rendered report: build/report.png" png_ok
exit $failed
