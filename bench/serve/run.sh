#!/usr/bin/env bash
# certstat serve vs nginx on loopback: the open pixel and the click redirect under wrk.
#
#   bench/serve/run.sh [DURATION] [CONNECTIONS] [RECIPIENTS]
#
# Needs: a release build (cargo build --release), wrk, nginx (Debian: apt-get install wrk
# nginx-light), python3. Every figure is printed; the number of `opened` events recorded must
# equal the number of requests wrk completed (non-2xx count as failures).
set -euo pipefail

DURATION=${1:-10s}
CONNS=${2:-64}
RECIPIENTS=${3:-1000}
THREADS=${THREADS:-2}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${CERTSTAT_BIN:-$ROOT/target/release/certstat}
WORK=$(mktemp -d /tmp/certstat-bench.XXXXXX)
SERVE_PID=""; NGINX_STARTED=""
cleanup() {
  [ -n "$SERVE_PID" ] && kill "$SERVE_PID" 2>/dev/null || true
  [ -n "$NGINX_STARTED" ] && nginx -c "$WORK/nginx.conf" -p "$WORK" -s stop 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

export CERTSTAT_DB=$WORK/data/certstat.db CERTSTAT_CONFIG=$WORK/config.toml
: > "$CERTSTAT_CONFIG"
"$BIN" -q init >/dev/null
"$BIN" -q cert create "Bench" --issuer "Bench Org"
python3 - "$WORK/recipients.csv" "$RECIPIENTS" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("email,name\n")
    for i in range(int(sys.argv[2])):
        f.write(f"r{i}@example.org,Recipient {i}\n")
PY
"$BIN" -q recipients import Bench "$WORK/recipients.csv"

# The recipients' tokens, computed as `send` computes them (src/tokens.rs): base64url of the
# uid's 16 bytes followed by the first 16 bytes of HMAC-SHA256(secret, "recipient-token" NUL uid
# bytes).
python3 - "$CERTSTAT_DB" "$WORK" <<'PY'
import base64, hashlib, hmac, sqlite3, sys
db, work = sys.argv[1], sys.argv[2]
secret = open(db + ".secret", "rb").read()
uids = [r[0] for r in sqlite3.connect(db).execute("SELECT uid FROM recipients ORDER BY id")]
def tok(u):
    raw = bytes.fromhex(u)
    mac = hmac.new(secret, b"recipient-token\0" + raw, hashlib.sha256).digest()[:16]
    return base64.urlsafe_b64encode(raw + mac).rstrip(b"=").decode()
with open(f"{work}/pixel.txt", "w") as p, open(f"{work}/click.txt", "w") as c, \
     open(f"{work}/static.txt", "w") as s:
    for u in uids:
        t = tok(u)
        p.write(f"/o/{t}.gif\n"); c.write(f"/c/{t}\n"); s.write(f"/o/{t}.gif\n")
PY

# nginx: the same URLs, every one answered with a static 1x1 GIF.
mkdir -p "$WORK/www" "$WORK/logs"; chmod 755 "$WORK" "$WORK/www"  # nginx workers run as another user
printf 'GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;' > "$WORK/www/pixel.gif"; chmod 644 "$WORK/www/pixel.gif"
cat > "$WORK/nginx.conf" <<NGINX
worker_processes auto;
pid $WORK/nginx.pid;
error_log $WORK/logs/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $WORK/tmp; proxy_temp_path $WORK/tmp; fastcgi_temp_path $WORK/tmp;
  uwsgi_temp_path $WORK/tmp; scgi_temp_path $WORK/tmp;
  server {
    listen 127.0.0.1:18081;
    location /o/ { root $WORK/www; default_type image/gif; add_header Cache-Control no-store; rewrite ^ /pixel.gif break; }
  }
}
NGINX
mkdir -p "$WORK/tmp"
nginx -c "$WORK/nginx.conf" -p "$WORK"; NGINX_STARTED=1

"$BIN" serve --listen 127.0.0.1:18080 --base-url http://127.0.0.1:18080 2> "$WORK/serve.log" &
SERVE_PID=$!
for _ in $(seq 100); do grep -qs "listening on" "$WORK/serve.log" && break; sleep 0.1; done
# CPU time (user + system, all threads) of the serve process so far, in clock ticks.
serve_ticks() { awk '{print $14 + $15}' "/proc/$SERVE_PID/stat"; }

run() { # name url pathsfile
  local t0=""; [[ $1 == certstat-* ]] && t0=$(serve_ticks)
  BENCH_PATHS=$3 wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -s "$ROOT/bench/serve/paths.lua" "$2" > "$WORK/$1.out"
  local rps total non2xx p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' "$WORK/$1.out")
  total=$(awk '/requests in/ {print $1}' "$WORK/$1.out")
  non2xx=$(awk '/Non-2xx/ {print $5}' "$WORK/$1.out"); non2xx=${non2xx:-0}
  p50=$(awk '$1=="50%" {print $2}' "$WORK/$1.out"); p99=$(awk '$1=="99%" {print $2}' "$WORK/$1.out")
  local cpu=""
  if [ -n "$t0" ]; then
    cpu=$(python3 -c "import os,sys; print(f'  serve CPU {(int(sys.argv[2]) - int(sys.argv[1])) / os.sysconf(\"SC_CLK_TCK\") * 1e6 / int(sys.argv[3]):.1f} us/request')" "$t0" "$(serve_ticks)" "$total")
  fi
  printf '%-22s %12s req/s  %9s requests  %6s non-2xx  p50 %-8s p99 %s%s\n' "$1" "$rps" "$total" "$non2xx" "$p50" "$p99" "$cpu"
  eval "${1//-/_}_rps=$rps; ${1//-/_}_total=$total; ${1//-/_}_non2xx=$non2xx"
}

echo "wrk -t$THREADS -c$CONNS -d$DURATION, $RECIPIENTS recipients, $(nproc) CPUs, $(uname -sr)"
run nginx-static-gif http://127.0.0.1:18081 "$WORK/static.txt"
run certstat-pixel http://127.0.0.1:18080 "$WORK/pixel.txt"
run certstat-click http://127.0.0.1:18080 "$WORK/click.txt"   # 303 counts as non-2xx in wrk

kill -TERM "$SERVE_PID"; wait "$SERVE_PID" || true; SERVE_PID=""
# Repeated opens and clicks of a recipient are one event with a count (detail.count).
counted() { python3 -c "import sqlite3,sys;print(sqlite3.connect(sys.argv[1]).execute(\"SELECT coalesce(sum(coalesce(json_extract(detail,'\$.count'),1)),0) FROM events WHERE kind=?\", (sys.argv[2],)).fetchone()[0])" "$CERTSTAT_DB" "$1"; }
opened=$(counted opened)
clicked=$(counted clicked)
echo "opens counted in the log: $opened (wrk completed $certstat_pixel_total, non-2xx $certstat_pixel_non2xx)"
echo "clicks counted in the log: $clicked (wrk completed $certstat_click_total)"
python3 - "$certstat_pixel_rps" "$nginx_static_gif_rps" <<'PY'
import sys
c, n = float(sys.argv[1]), float(sys.argv[2])
print(f"certstat pixel / nginx static = {c / n:.2f}x")
PY
# wrk stops mid-flight: up to one request per connection may reach the server (and be
# recorded) without wrk counting its response. Anything else is a lost or invented event.
check() { # name recorded completed
  local extra=$(( $2 - $3 ))
  if [ "$extra" -lt 0 ] || [ "$extra" -gt "$CONNS" ]; then
    echo "MISMATCH: $1 events $2 vs $3 requests completed" >&2; exit 1
  fi
  echo "$1: recorded - completed = $extra (requests in flight when wrk stopped; at most $CONNS)"
}
check opened "$opened" "$certstat_pixel_total"

# Rendering: PDF documents for the first 100 recipients, one process.
head -101 "$WORK/recipients.csv" > "$WORK/first100.csv"
"$BIN" -q cert create "Render" --issuer "Bench Org"
"$BIN" -q recipients import Render "$WORK/first100.csv"
start=$(date +%s.%N)
"$BIN" -q render Render --out "$WORK/pdf" --format pdf
end=$(date +%s.%N)
python3 -c "import sys; t=float(sys.argv[2])-float(sys.argv[1]); print(f'render: 100 PDF certificates in {t:.2f} s = {t*10:.1f} ms each (process start and DB included)')" "$start" "$end"
check clicked "$clicked" "$certstat_click_total"
