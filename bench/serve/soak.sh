#!/usr/bin/env bash
# Soak: `certstat serve` under wrk on many links and on the claim pages, while send, refresh,
# events import and stats run in a loop on the same database, for DURATION.
#
#   bench/serve/soak.sh [DURATION] [CONNECTIONS] [RECIPIENTS]
#
# Needs: a release build (cargo build --release), wrk, python3. Reports requests/s and latency
# p50/p99 of the links and of the pages, the CLI loop's rounds and failures, serve's peak RSS,
# the database's growth, and lost events: every link request wrk saw answered must be counted
# in the log (repeats are one event with a count), so recorded − answered is 0 up to the
# requests in flight when wrk stopped (at most one per connection).
set -euo pipefail

DURATION=${1:-60s}
CONNS=${2:-64}
RECIPIENTS=${3:-1000}
PAGE_CONNS=${PAGE_CONNS:-8}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${CERTSTAT_BIN:-$ROOT/target/release/certstat}
WORK=$(mktemp -d /tmp/certstat-soak.XXXXXX)
SERVE_PID=""; LOOP_PID=""; RSS_PID=""
cleanup() {
  for p in "$LOOP_PID" "$RSS_PID" "$SERVE_PID"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

export CERTSTAT_DB=$WORK/data/certstat.db CERTSTAT_CONFIG=$WORK/config.toml
"$BIN" -q init
mkdir -p "$WORK/maildir/"{cur,new,tmp}
cat > "$CERTSTAT_CONFIG" <<TOML
[sender]
from = "Bench <bench@example.org>"

[serve]
base_url = "http://127.0.0.1:18090"

[outbox]
dir = "$WORK/outbox"
TOML
"$BIN" -q cert create "Soak" --issuer "Bench Org"
"$BIN" -q cert create "Mail" --issuer "Bench Org"
python3 - "$WORK" "$RECIPIENTS" <<'PY'
import sys
work, n = sys.argv[1], int(sys.argv[2])
with open(f"{work}/recipients.csv", "w") as f:
    f.write("email,name\n")
    for i in range(n):
        f.write(f"r{i}@example.org,Recipient {i}\n")
PY
"$BIN" -q recipients import Soak "$WORK/recipients.csv"

# Tokens as `send` computes them (src/tokens.rs); links alternate pixel and click.
python3 - "$CERTSTAT_DB" "$WORK" <<'PY'
import base64, hashlib, hmac, sqlite3, sys
db, work = sys.argv[1], sys.argv[2]
secret = open(db + ".secret", "rb").read()
uids = [r[0] for r in sqlite3.connect(db).execute("SELECT uid FROM recipients ORDER BY id")]
def tok(u):
    raw = bytes.fromhex(u)
    mac = hmac.new(secret, b"recipient-token\0" + raw, hashlib.sha256).digest()[:16]
    return base64.urlsafe_b64encode(raw + mac).rstrip(b"=").decode()
with open(f"{work}/links.txt", "w") as l, open(f"{work}/pages.txt", "w") as p:
    for u in uids:
        t = tok(u)
        l.write(f"/o/{t}.gif\n/c/{t}\n")
        p.write(f"/r/{t}\n")
PY

db_bytes() { du -cb "$CERTSTAT_DB"* | tail -1 | cut -f1; }
q() { python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])" "$CERTSTAT_DB" "$1"; }
WEB_COUNT="SELECT coalesce(sum(coalesce(json_extract(detail,'\$.count'),1)),0) FROM events WHERE source='web' AND kind IN ('opened','clicked')"
bytes0=$(db_bytes); rows0=$(q "SELECT count(*) FROM events")

"$BIN" serve --listen 127.0.0.1:18090 2> "$WORK/serve.log" &
SERVE_PID=$!
for _ in $(seq 100); do grep -qs "listening on" "$WORK/serve.log" && break; sleep 0.1; done

# serve's resident memory, sampled every second.
( peak=0; while kill -0 "$SERVE_PID" 2>/dev/null; do
    r=$(awk '/VmRSS/ {print $2}' "/proc/$SERVE_PID/status" 2>/dev/null || echo 0)
    [ "${r:-0}" -gt "$peak" ] && peak=$r && echo "$peak" > "$WORK/rss.peak"
    sleep 1; done ) &
RSS_PID=$!

# The CLI loop: add 20 recipients to Mail and send them (outbox), refresh, import 100 events
# for Soak's recipients, and stats, round after round until stopped.
( round=0; fails=0
  while :; do
    round=$((round + 1))
    python3 - "$WORK" "$round" "$RECIPIENTS" <<'PY'
import json, sys
work, r, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(f"{work}/mail.csv", "w") as f:
    f.write("email,name\n")
    for i in range(20):
        f.write(f"m{r}-{i}@example.org,Mail {r} {i}\n")
with open(f"{work}/events.jsonl", "w") as f:
    for i in range(100):
        f.write(json.dumps({"certificate": "Soak", "email": f"r{(r * 100 + i) % n}@example.org",
            "kind": "opened", "at": "2026-12-01T10:00:00Z", "source": "cli",
            "detail": {"machine": False}}) + "\n")
PY
    for cmd in "recipients import Mail $WORK/mail.csv" "send Mail" \
               "refresh --maildir $WORK/maildir" "events import $WORK/events.jsonl" \
               "stats Soak --format json"; do
      # shellcheck disable=SC2086
      "$BIN" -q $cmd > /dev/null 2>> "$WORK/loop.err" || fails=$((fails + 1))
    done
    echo "$round $fails" > "$WORK/loop.state"
  done ) &
LOOP_PID=$!

BENCH_PATHS=$WORK/pages.txt wrk -t1 -c"$PAGE_CONNS" -d"$DURATION" --latency \
  -s "$ROOT/bench/serve/paths.lua" http://127.0.0.1:18090 > "$WORK/pages.out" &
PAGES_WRK=$!
BENCH_PATHS=$WORK/links.txt wrk -t2 -c"$CONNS" -d"$DURATION" --latency \
  -s "$ROOT/bench/serve/paths.lua" http://127.0.0.1:18090 > "$WORK/links.out"
wait "$PAGES_WRK"
kill "$LOOP_PID" 2>/dev/null || true; wait "$LOOP_PID" 2>/dev/null || true; LOOP_PID=""
kill -TERM "$SERVE_PID"; wait "$SERVE_PID" || true; SERVE_PID=""
kill "$RSS_PID" 2>/dev/null || true; RSS_PID=""

summary() { # name file
  local rps total errs p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' "$2")
  total=$(awk '/requests in/ {print $1}' "$2")
  errs=$(awk '/Non-2xx/ {print $5}' "$2"); errs=${errs:-0}
  p50=$(awk '$1=="50%" {print $2}' "$2"); p99=$(awk '$1=="99%" {print $2}' "$2")
  printf '%-6s %10s req/s  %9s requests  %5s errors  p50 %-8s p99 %s\n' "$1" "$rps" "$total" "$errs" "$p50" "$p99"
  grep -E "Socket errors" "$2" || true
  eval "${1}_total=$total; ${1}_errs=$errs"
}
echo "soak: $DURATION, links wrk -t2 -c$CONNS, pages wrk -t1 -c$PAGE_CONNS, $RECIPIENTS recipients, $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $(uname -sr)"
summary links "$WORK/links.out"
summary pages "$WORK/pages.out"
read -r rounds fails < "$WORK/loop.state" || { rounds=0; fails=0; }
echo "cli loop: $rounds rounds (import + send + refresh + events import + stats), $fails failed commands"
[ -s "$WORK/loop.err" ] && { echo "cli loop errors:"; sort "$WORK/loop.err" | uniq -c | head; }
echo "serve peak RSS: $(( $(cat "$WORK/rss.peak" 2>/dev/null || echo 0) / 1024 )) MiB"
bytes1=$(db_bytes); rows1=$(q "SELECT count(*) FROM events")
web_rows=$(q "SELECT count(*) FROM events WHERE source='web'")
recorded=$(q "$WEB_COUNT")
echo "database: $((bytes0 / 1024)) KiB -> $((bytes1 / 1024)) KiB; events $rows0 -> $rows1 ($web_rows from serve, counting $recorded requests)"
answered=$((links_total - links_errs))
extra=$((recorded - answered))
echo "link requests answered $answered, counted in the log $recorded: recorded - answered = $extra (in flight when wrk stopped: at most $CONNS)"
if [ "$extra" -lt 0 ] || [ "$extra" -gt "$CONNS" ]; then
  echo "LOST OR INVENTED EVENTS" >&2; exit 1
fi
