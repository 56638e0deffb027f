#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The layers of host/cli and host/pkcs11 (their README.md), checked on the
# built objects: the call graph between a folder's files comes from `nm`
# (file A uses a symbol file B defines). Each file has a rank: the
# dispatcher 2 (cli: defines `main`; pkcs11: defines `C_GetFunctionList`),
# a verb or entry-point file 1 (defines a `cmd_*` or `C_*` function), a
# helper unit 0. A file may use only files of lower rank, helpers also
# other helpers; and no files form a cycle (tsort). So no verb calls another
# verb and no entry point another entry-point file, except through helpers.
#
# LAYERS_OBJ=DIR checks DIR/host/{cli,pkcs11} (default $BIN/obj).
# Output: one line per check ("ok - ..." / "not ok - ..."), the offending
# calls on stderr. Exits non-zero if any check failed.
set -u
. "$(dirname "$0")/lib/preamble.sh"
OBJ=${LAYERS_OBJ:-$ROOT/$BIN/obj}

# graph DIR: lines "FROM TO SYMBOL" for every symbol FROM.o uses that
# TO.o defines (FROM != TO).
# objs DIR NAME: the objects of DIR whose source is still in host/NAME
# (a stale object of a removed file does not count).
objs() {
    local o
    for o in "$1"/*.o; do [ -e "$ROOT/host/$2/$(basename "$o" .o).c" ] && echo "$o"; done
}
graph() {
    local o
    for o in $(objs "$1" "$2"); do nm --defined-only -g "$o" | awk -v f="$(basename "$o" .o)" 'NF == 3 { print "D", f, $3 }'; done
    for o in $(objs "$1" "$2"); do nm -u "$o" | awk -v f="$(basename "$o" .o)" '{ print "U", f, $NF }'; done
}
edges() {
    graph "$1" "$2" | awk '$1 == "D" { def[$3] = $2; next } ($3 in def) && def[$3] != $2 { print $2, def[$3], $3 }' | sort -u
}
# ranks DIR NAME TOP VERB: "FILE RANK" per object (TOP: the dispatcher's
# symbol; VERB: the prefix of a verb or entry-point function).
ranks() {
    local o f r
    for o in $(objs "$1" "$2"); do
        f=$(basename "$o" .o)
        r=0
        nm --defined-only -g "$o" | awk '$2 == "T" { print $3 }' | grep -q "^$4" && r=1
        nm --defined-only -g "$o" | awk '$2 == "T" { print $3 }' | grep -qx "$3" && r=2
        echo "$f $r"
    done
}

check_dir() { # NAME TOP VERB-PREFIX
    local name=$1 dir=$OBJ/host/$1 e r bad n
    if ! ls "$dir"/*.o >/dev/null 2>&1; then
        notok "$name: objects in $dir (run make build)"
        return
    fi
    e=$TMP/$name.edges r=$TMP/$name.ranks
    edges "$dir" "$name" >"$e"
    ranks "$dir" "$name" "$2" "$3" >"$r"
    # Not vacuous: a dispatcher, entry files and helpers, and calls between them.
    n=$(awk '{ c[$2]++ } END { printf "%d %d %d", c[2], c[1], c[0] }' "$r")
    read -r top mid low <<<"$n"
    if [ "$top" -eq 1 ] && [ "$mid" -ge 2 ] && [ "$low" -ge 1 ] && [ -s "$e" ]; then
        ok "$name: $mid verb/entry files, $low helpers, $(wc -l <"$e") calls between files"
    else
        notok "$name: expected one dispatcher, verb/entry files and helpers (got $top/$mid/$low)"
    fi
    bad=$(awk 'NR == FNR { rank[$1] = $2; next }
               { a = rank[$1]; b = rank[$2]; if (!(b < a || (a == 0 && b == 0))) print $1, "->", $2, ":", $3 }' "$r" "$e")
    if [ -z "$bad" ]; then
        ok "$name: every file calls only lower layers (no verb/entry file calls another, no helper calls up)"
    else
        notok "$name: $(wc -l <<<"$bad") calls across or up the layers"
        sed "s/^/$name: /" <<<"$bad" >&2
    fi
    if awk '{ print $1, $2 }' "$e" | sort -u | tsort >/dev/null 2>"$TMP/$name.tsort"; then
        ok "$name: no cycle among files"
    else
        notok "$name: files call each other in a cycle"
        cat "$TMP/$name.tsort" >&2
    fi
}

check_dir cli main cmd_
check_dir pkcs11 C_GetFunctionList C_
exit $failed
