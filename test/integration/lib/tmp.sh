# SPDX-License-Identifier: Apache-2.0
# Sourced: a temporary folder TMP, removed on exit, and the token started
# into TOKEN_PID (if any) stopped first.
TMP=$(mktemp -d)
TOKEN_PID=
cleanup() {
    [ -n "$TOKEN_PID" ] && kill "$TOKEN_PID" 2>/dev/null && wait "$TOKEN_PID" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT
