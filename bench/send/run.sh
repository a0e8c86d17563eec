#!/usr/bin/env bash
# Send throughput (issue 3). Usage, as root:  bash bench/send/run.sh [MESSAGES] [CONNECTIONS...]
# (default 20000 messages, 1 and 4 connections). Compares, against the same two servers,
#   * Postfix's C load generator smtp-source (the physical reference),
#   * certstat send (every outcome recorded in its database),
#   * Python mailmerge (only when `mailmerge` is on PATH),
# servers: Postfix's C smtp-sink (measures the client) and the Postfix of .ci/mta.sh delivering
# to Maildir (measures the whole path: accept + deliver; the clock stops when the queue is empty).
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-20000}
shift || true
conns=("${@:-1 4}")
# shellcheck disable=SC2206
conns=(${conns[*]})
work=$(mktemp -d /tmp/certstat-bench-send.XXXXXX)
sink_pid=
cleanup() { [ -n "$sink_pid" ] && kill "$sink_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
cargo build --release --quiet
bin=$PWD/target/release/certstat
bash .ci/mta.sh start >/dev/null
# shellcheck disable=SC1090
. "$(bash .ci/mta.sh env)"
sink_port=2628
smtp-sink -u postfix -c 127.0.0.1:$sink_port 256 >/dev/null 2>&1 &
sink_pid=$!
sleep 0.5

echo "machine: $(nproc) cores, $(uname -sr); $n messages per run"
now() { date +%s.%N; }
rate() { python3 -c "import sys; print(f'{int(sys.argv[1])/(float(sys.argv[3])-float(sys.argv[2])):.0f} msg/s')" "$n" "$1" "$2"; }
drain() {  # wait until Postfix has delivered everything
  until postqueue -c "$CERTSTAT_TEST_POSTFIX_CONFIG" -p | grep -q 'Mail queue is empty'; do sleep 0.1; done
}

certstat_run() {  # certstat_run PORT CONNECTIONS
  local d=$work/cs-$1-$2
  mkdir -p "$d"
  export CERTSTAT_DB=$d/c.db CERTSTAT_CONFIG=$d/config.toml
  printf '[sender]\nfrom = "Bench <bench@example.test>"\nbounce_address = "bounces@localhost"\n[serve]\nbase_url = "https://certs.example.test"\n[smtp]\nhost = "127.0.0.1"\nport = %s\nsecurity = "none"\n' "$1" > "$CERTSTAT_CONFIG"
  python3 - "$d/r.csv" "$n" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("email,name,course\n")
    for i in range(int(sys.argv[2])):
        f.write(f"bench-{i}@example.test,Person {i},Rust\n")
PY
  $bin -q cert create Bench
  $bin -q recipients import Bench "$d/r.csv"
  local t0 t1
  t0=$(now)
  $bin -q send Bench --connections "$2" >/dev/null
  [ "$1" = "$sink_port" ] || drain
  t1=$(now)
  local sent
  sent=$(sqlite3 "$CERTSTAT_DB" "select count(*) from events where kind='sent'" 2>/dev/null || echo '?')
  echo "  certstat send --connections $2: $(rate "$t0" "$t1")  (sent events recorded: $sent)"
}

source_run() {  # source_run PORT SESSIONS
  local t0 t1
  t0=$(now)
  smtp-source -s "$2" -m "$n" -l 2000 -f bounces@localhost -t bench@example.test "127.0.0.1:$1"
  [ "$1" = "$sink_port" ] || drain
  t1=$(now)
  echo "  smtp-source -s $2: $(rate "$t0" "$t1")"
}

for server in "smtp-sink:$sink_port" "postfix-maildir:$CERTSTAT_TEST_SMTP_PORT"; do
  name=${server%%:*} port=${server##*:}
  echo "--- $name (127.0.0.1:$port)"
  for c in "${conns[@]}"; do
    source_run "$port" "$c"
    certstat_run "$port" "$c"
  done
  if command -v mailmerge >/dev/null; then
    echo "  (mailmerge: see BENCHMARKS.md for the command)"
  fi
done
