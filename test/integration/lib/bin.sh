# SPDX-License-Identifier: Apache-2.0
# Sourced by scripts that need only the paths, not the whole preamble: the
# repository root, the build folder (BIN: build/host by default, relative to
# the root or absolute) and the CLI in it.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
BIN=${BIN:-build/host}
[ -d "$BIN" ] || BIN=$ROOT/$BIN
BIN=$(cd "$ROOT" && cd "$BIN" 2>/dev/null && pwd || echo "$BIN")
SG=$BIN/sbrguard
