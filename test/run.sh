#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs every test and prints one summary line: "N passed, N failed, N skipped".
# A test program prints "ok - what", "not ok - what" or "skip - what" per
# check on stdout; anything else it prints goes to the log.
set -u
cd "$(dirname "$0")/.."
LOG=${SBRGUARD_TEST_LOG:-build/test.log}
mkdir -p "$(dirname "$LOG")"
: > "$LOG"
pass=0 fail=0 skip=0

run() { # name, command...
    local name=$1 out rc
    shift
    echo "### $name: $*" >> "$LOG"
    out=$("$@" 2>>"$LOG")
    rc=$?
    echo "$out" >> "$LOG"
    local p f s
    p=$(grep -c '^ok - ' <<<"$out")
    f=$(grep -c '^not ok - ' <<<"$out")
    s=$(grep -c '^skip - ' <<<"$out")
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1
        echo "not ok - $name exited with status $rc" >> "$LOG"
    fi
    pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
    grep '^not ok - ' <<<"$out" | sed "s/^/[$name] /"
    [ "$rc" -ne 0 ] && [ "$(grep -c '^not ok - ' <<<"$out")" -eq 0 ] && echo "[$name] exited with status $rc"
    printf '%-40s %3d passed, %d failed, %d skipped\n' "$name" "$p" "$f" "$s" >&2
}

for t in build/host/test/test_*; do run "unit $(basename "$t")" "$t"; done
for t in build/asan/test/test_*; do run "asan $(basename "$t")" "$t"; done
for t in test/integration/*.sh; do run "$(basename "$t" .sh)" bash "$t"; done
for t in test/integration/*.py; do run "$(basename "$t" .py)" python3 "$t"; done
run "fuzz" bash test/fuzz/run.sh
# Once more against the ASan+UBSan build of the token, module and CLI.
for t in test/integration/*.sh; do
    run "asan $(basename "$t" .sh)" env BIN=build/asan bash "$t"
done
for t in test/integration/*.py; do
    run "asan $(basename "$t" .py)" env BIN=build/asan python3 "$t"
done

echo "details: $LOG" >&2
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
