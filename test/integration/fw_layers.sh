#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The firmware's layering (issue 15): every firmware/*.c has a row in the
# layer table of firmware/README.md ("| layer | `file` | ..." under "## Layers,
# bottom up"), and calls, by the symbols its object file takes from the
# others, only functions of a lower layer, or of its own layer in a file
# listed above it. Either way no cycle. The objects are those of
# ${BIN:-build/host}/obj/firmware (make build); FW_OBJ overrides the folder.
#
# Output: one line per file, "ok - ..." or "not ok - ..." naming each call
# that goes up or sideways; exits non-zero if any failed.
set -u
cd "$(dirname "$0")/../.."
BIN=${BIN:-build/host}
OBJ=${FW_OBJ:-$BIN/obj/firmware}
README=firmware/README.md
fail=0
if ! ls "$OBJ"/*.o >/dev/null 2>&1; then
    echo "not ok - no firmware objects in $OBJ (make build first)"
    exit 1
fi

# file -> layer and its position in the table.
declare -A layer pos def
n=0
while IFS='|' read -r _ l f _; do
    l=${l// /}
    f=${f//[ \`]/}
    [[ $l =~ ^[0-9]+$ && $f == fw_*.c ]] || continue
    n=$((n + 1))
    layer[${f%.c}]=$l
    pos[${f%.c}]=$n
done < <(sed -n '/^## Layers, bottom up/,/^## /p' "$README")
if [ "$n" -eq 0 ]; then
    echo "not ok - no layer table in $README"
    exit 1
fi

for c in firmware/*.c; do
    f=$(basename "$c" .c)
    if [ -z "${layer[$f]:-}" ]; then
        echo "not ok - $f.c has no row in the layer table of $README"
        fail=1
    fi
done

# Objects of the sources there are now (a stale one of a removed file is not).
objs=()
for c in firmware/*.c; do
    o=$OBJ/$(basename "$c" .c).o
    if [ -f "$o" ]; then objs+=("$o"); else echo "not ok - no object $o"; fail=1; fi
done
for o in "${objs[@]}"; do
    f=$(basename "$o" .o)
    for s in $(nm --defined-only -g "$o" | awk '{print $3}'); do def[$s]=$f; done
done

for o in "${objs[@]}"; do
    f=$(basename "$o" .o)
    [ -n "${layer[$f]:-}" ] || continue
    bad=
    for s in $(nm -u "$o" | awk '{print $2}'); do
        t=${def[$s]:-}
        [ -n "$t" ] && [ "$t" != "$f" ] || continue
        if [ -z "${layer[$t]:-}" ] || [ "${layer[$t]}" -gt "${layer[$f]}" ] ||
            { [ "${layer[$t]}" -eq "${layer[$f]}" ] && [ "${pos[$t]}" -gt "${pos[$f]}" ]; }; then
            bad="$bad $t.$s(layer ${layer[$t]:-?})"
        fi
    done
    if [ -n "$bad" ]; then
        echo "not ok - $f.c (layer ${layer[$f]}) calls up or sideways:$bad"
        fail=1
    else
        echo "ok - $f.c (layer ${layer[$f]}) calls only below it"
    fi
done
exit $fail
