#!/usr/bin/env bash
# The province benchmark end to end: a private PostgreSQL server in a temporary directory, `duban gen --scale
# province` into it (on top of the demo district, whose seed-001 report is timed), then benchmarks/scale.py (which rewrites its section of BENCHMARKS.md).
# Usage: benchmarks/run_province.sh [--keep]   (--keep leaves the server and data for further runs; its
# DATABASE_URL is printed). Runs as root: the server runs as the postgres user. PGPORT defaults to 54330.
set -euo pipefail
cd "$(dirname "$0")/.."
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)}
PGPORT=${PGPORT:-54330}
PGDATA=$(mktemp -d /tmp/duban-bench-pg.XXXXXX)
DATA_DIR=$(mktemp -d /tmp/duban-bench-data.XXXXXX)
chown postgres "$PGDATA"
runuser -u postgres -- "$PGBIN/initdb" -D "$PGDATA" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w \
  -o "-p $PGPORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off \
      -c shared_buffers=1GB -c work_mem=32MB -c maintenance_work_mem=512MB -c max_wal_size=4GB \
      -c random_page_cost=1.1 -c effective_cache_size=4GB" start
if [[ "${1:-}" != "--keep" ]]; then
  trap 'runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA" -m fast stop >/dev/null || true; rm -rf "$PGDATA" "$DATA_DIR"' EXIT
fi
psql -h 127.0.0.1 -p "$PGPORT" -U postgres -q -c "CREATE ROLE duban LOGIN CREATEDB PASSWORD 'duban'"
psql -h 127.0.0.1 -p "$PGPORT" -U postgres -q -c "CREATE DATABASE duban OWNER duban"
export DATABASE_URL="postgres://duban:duban@127.0.0.1:$PGPORT/duban" DUBAN_DATA_DIR="$DATA_DIR"
.venv/bin/duban demo --no-serve   # seed 001 too, so its report can be timed among the province's data
time .venv/bin/duban gen --scale province --seed "${SEED:-1}" --force
# As after any bulk load: set the visibility map and statistics now, rather than have autovacuum do it while
# the pages are being timed.
psql -h 127.0.0.1 -p "$PGPORT" -U postgres -d duban -q -c "VACUUM (ANALYZE)"
.venv/bin/python benchmarks/scale.py --scale province
echo "DATABASE_URL=$DATABASE_URL DUBAN_DATA_DIR=$DATA_DIR (server data in $PGDATA)"
