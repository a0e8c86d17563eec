#!/usr/bin/env bash
# Benchmark of `certstat stats` (issue 5): a certificate with N recipients (default 1,000,000)
# and about 5 events each, built with direct SQL; then `certstat stats 1` (a new process each
# run, warm page cache) against the same figures as aggregate SQL over the events (stats.sql)
# and as the queries certstat runs (figures.sql) in the sqlite3 CLI; and `cert list` with 100
# certificates of 10,000 recipients. Prints min and median of RUNS runs.
#   bench/stats/run.sh [N] [RUNS]        (needs sqlite3; builds certstat --release)
#   BENCH_DIR=/tmp/dir keeps the databases elsewhere (they are built once and reused).
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-1000000}
RUNS=${2:-7}
DIR=${BENCH_DIR:-/tmp/certstat-bench-stats}
# CERTSTAT_BIN=path runs another build (e.g. an older one, for before/after figures).
if [ -z "${CERTSTAT_BIN:-}" ]; then cargo build --release --quiet; fi
BIN=${CERTSTAT_BIN:-$PWD/target/release/certstat}
mkdir -p "$DIR"
export CERTSTAT_CONFIG=$DIR/config.toml CERTSTAT_NOW=2026-11-01T00:00:00Z

# time_ms CMD…: run RUNS times, print "min median" in milliseconds.
time_ms() {
  local t=()
  for _ in $(seq "$RUNS"); do
    local a b
    a=$(date +%s%N); "$@" >/dev/null; b=$(date +%s%N)
    t+=($(( (b - a) / 1000000 )))
  done
  printf '%s\n' "${t[@]}" | sort -n | awk '{v[NR]=$1} END {printf "min %d ms, median %d ms\n", v[1], v[int((NR+1)/2)]}'
}

DB=$DIR/stats-$N.db
if [ ! -f "$DB" ]; then
  rm -f "$DB" "$DB-wal" "$DB-shm"
  CERTSTAT_DB=$DB "$BIN" -q init >/dev/null
  CERTSTAT_DB=$DB "$BIN" cert create "Bench" --issuer "ACME" >/dev/null
  sed "s/@N@/$N/" bench/stats/build.sql | sqlite3 "$DB" >/dev/null
fi
echo "recipients: $(sqlite3 "$DB" 'SELECT count(*) FROM recipients')," \
     "events: $(sqlite3 "$DB" 'SELECT count(*) FROM events')," \
     "file: $(du -h "$DB" | cut -f1)"
CERTSTAT_DB=$DB "$BIN" stats 1 --format json >/dev/null   # warm the page cache
echo "certstat stats 1 --format json: $(CERTSTAT_DB=$DB time_ms "$BIN" stats 1 --format json)"
echo "certstat stats 1 (table):       $(CERTSTAT_DB=$DB COLUMNS=120 time_ms "$BIN" stats 1)"
echo "sqlite3 (bench/stats/stats.sql): $(time_ms sqlite3 "$DB" ".read bench/stats/stats.sql")"
echo "sqlite3 (bench/stats/figures.sql): $(time_ms sqlite3 "$DB" ".read bench/stats/figures.sql")"

DB2=$DIR/certlist.db
if [ ! -f "$DB2" ]; then
  CERTSTAT_DB=$DB2 "$BIN" -q init >/dev/null
  for c in $(seq 100); do CERTSTAT_DB=$DB2 "$BIN" cert create "Course $c" >/dev/null; done
  sqlite3 "$DB2" >/dev/null <<SQL
PRAGMA journal_mode=WAL;
BEGIN;
WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i+1 FROM s WHERE i < 999999)
INSERT INTO recipients (id, certificate_id, email, email_key, name, fields, uid, created_at, status, status_at,
                        activity)
SELECT i+1, i/10000+1, 'r'||i||'@example.org', 'r'||i||'@example.org', '', '{}', 'u'||i,
       '2026-11-01T00:00:00Z', CASE WHEN i%3=0 THEN 'claimed' ELSE 'delivered' END, '2026-11-01T00:00:00Z',
       1 FROM s;  -- activity: sent (the one event below)
INSERT INTO events (certificate_id, recipient_id, kind, at, source, detail)
SELECT certificate_id, id, 'sent', '2026-11-01T00:00:00Z', 'smtp', '{}' FROM recipients;
COMMIT;
SQL
fi
echo "certstat cert list (100 x 10,000): $(CERTSTAT_DB=$DB2 time_ms "$BIN" cert list --format json)"
echo "certstat stats (100 x 10,000):     $(CERTSTAT_DB=$DB2 time_ms "$BIN" stats --format json)"
