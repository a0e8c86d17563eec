#!/usr/bin/env bash
# Import, listing and export benchmarks (issue: foundation). Usage:
#   bash bench/import/run.sh [ROWS]        (default 1000000)
# Needs: a release build (built here), sqlite3, GNU time, hyperfine (Debian packages).
set -euo pipefail
cd "$(dirname "$0")/../.."
rows=${1:-1000000}
work=$(mktemp -d /tmp/certstat-bench-import.XXXXXX)
trap 'rm -rf "$work"' EXIT
cargo build --release --quiet
bin=$PWD/target/release/certstat
export CERTSTAT_DB=$work/certstat.db CERTSTAT_CONFIG=$work/config.toml

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr); load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "generating $rows rows (email, name, two fields)"
python3 - "$work/people.csv" "$rows" <<'PY'
import sys
path, n = sys.argv[1], int(sys.argv[2])
with open(path, "w", newline="") as f:
    f.write("email,name,course,grade\r\n")
    for i in range(n):
        f.write(f"person{i}@example{i % 97}.org,Person Number {i},Rust {i % 7},{'ABCDE'[i % 5]}\r\n")
PY
ls -la "$work/people.csv" | awk '{print "file size:", $5, "bytes"}'

t() { /usr/bin/time -f "%e s wall, %U s user, %S s sys, %M KB peak RSS" "$@"; }

echo "--- reference: sqlite3 .import --csv into a plain table"
t sqlite3 "$work/ref.db" ".import --csv $work/people.csv people" 2>&1 | tail -1

echo "--- certstat recipients import (validation + duplicate detection on)"
$bin init -q >/dev/null
$bin cert create Bench -q
t $bin -q recipients import Bench "$work/people.csv" 2>&1 | tail -1

echo "--- certstat recipients import, the same rows in random order (a fresh database)"
(head -1 "$work/people.csv"; tail -n +2 "$work/people.csv" | shuf --random-source=<(yes)) > "$work/shuffled.csv"
CERTSTAT_DB=$work/shuffled.db $bin init -q >/dev/null
CERTSTAT_DB=$work/shuffled.db $bin cert create Bench -q
CERTSTAT_DB=$work/shuffled.db t $bin -q recipients import Bench "$work/shuffled.csv" 2>&1 | tail -1

echo "--- certstat recipients list --format csv (rows/s = rows / wall)"
t sh -c "$bin recipients list Bench --format csv > /dev/null" 2>&1 | tail -1

echo "--- certstat export (csv)"
t sh -c "$bin export Bench > /dev/null" 2>&1 | tail -1

echo "--- startup: --help and cert list on an empty database"
export CERTSTAT_DB=$work/empty.db
$bin init -q >/dev/null
hyperfine -N --warmup 5 --runs 50 "$bin --help" "$bin cert list" 2>&1 | grep -E "Time|±" || true
