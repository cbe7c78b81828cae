#!/usr/bin/env bash
# The city benchmark on SQLite, end to end, in a temporary data directory: the demo district (for the seed-001
# report), `duban gen --scale city` on top, then benchmarks/scale.py (rewrites its section of BENCHMARKS.md).
set -euo pipefail
cd "$(dirname "$0")/.."
DATA_DIR=$(mktemp -d /tmp/duban-bench-city.XXXXXX)
trap 'rm -rf "$DATA_DIR"' EXIT
export DUBAN_DATA_DIR="$DATA_DIR"
unset DATABASE_URL
.venv/bin/duban demo --no-serve
time .venv/bin/duban gen --scale city --seed "${SEED:-1}" --force
.venv/bin/python benchmarks/scale.py --scale city "$@"
