#!/usr/bin/env bash
# Send throughput by message size (issue 13): a stall that depends on where a message's end
# falls against the server's 4 KiB reads shows up as one slow size. Usage, as root:
#   bash bench/send/sweep.sh [SINK_MESSAGES] [POSTFIX_MESSAGES]     (default 2000 500)
# For each size (SEND_BENCH_SIZES, bytes of the whole rendered message; default 1 KiB to 16 KiB
# crossing every 4 KiB boundary from both sides, and 200 KiB), against Postfix's smtp-sink and a
# private Postfix of .ci/mta.sh delivering to Maildir, at 1 and 4 connections: smtp-source -d -s C
# with the same message size, smtp-source -F with certstat's own message (the same bytes for the
# server to parse: multipart, longer headers), and certstat send --connections C; the ratios
# certstat/smtp-source and certstat/smtp-source -F.
# Each client runs SEND_BENCH_REPS times a cell (default 3; the order rotates): the medians,
# the ratios, the share of the CPUs' time the hypervisor gave to other guests during the cell
# (steal: on a shared VM, a cell with much of it is noise), and every run's rate
# (smtp-source's | -F's | certstat's) after them.
# SEND_BENCH_DSN (success | failure | off; default success, certstat's default) is certstat's
# [smtp] dsn: with "success" Postfix also writes a delivery report per message, which
# smtp-source never asks for; "failure" gives both clients the same server work.
# Ports: SEND_BENCH_SINK_PORT (2684), SEND_BENCH_MTA_PORT (2681, and +2). CERTSTAT_BIN skips the
# build. Every process started here is stopped by its PID / pid file on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
[ "$(id -u)" = 0 ] || { echo "run as root (Postfix)" >&2; exit 2; }
sink_n=${1:-2000}
mta_n=${2:-500}
reps=${SEND_BENCH_REPS:-3}
sizes=(${SEND_BENCH_SIZES:-1024 2048 3994 4198 6144 8090 8294 10240 12186 12390 14336 16282 16486 204800})
sink_port=${SEND_BENCH_SINK_PORT:-2684}
run_timeout=${SEND_BENCH_TIMEOUT:-120}
work=$(mktemp -d /tmp/certstat-bench-sweep.XXXXXX)
chmod 755 "$work"
export CERTSTAT_MTA_DIR=$work/mta
export CERTSTAT_MTA_PORT=${SEND_BENCH_MTA_PORT:-2681}
poll=0.05
# shellcheck source=bench/send/common.sh
. bench/send/common.sh

# A database of COUNT recipients whose message is SIZE bytes (the text body padded), at
# CERTSTAT_DB / CERTSTAT_CONFIG in DIR (exported by the caller: this runs in a subshell).
certstat_db() {  # certstat_db DIR PORT COUNT SIZE
  local d=$1 port=$2 count=$3 size=$4 pad got base
  rm -rf "$d"; mkdir -p "$d"
  printf '[sender]\nfrom = "Bench <bench@example.test>"\nbounce_address = "bounces@localhost"\n[serve]\nbase_url = "https://certs.example.test"\n[smtp]\nhost = "127.0.0.1"\nport = %s\nsecurity = "none"\n%b' "$port" "${SEND_BENCH_DSN:+dsn = \"$SEND_BENCH_DSN\"\n}" > "$CERTSTAT_CONFIG"
  python3 - "$d/r.csv" "$count" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("email,name\n")
    for i in range(int(sys.argv[2])):
        f.write(f"bench-{i:06}@example.test,Person {i:06}\n")
PY
  body() { python3 -c "import sys; n=int(sys.argv[1]); print('Hello {{ recipient.name }}, your certificate: {{ claim_url }}\n' + ('x'*74+'\n')*(n//75) + 'y'*(n%75))" "$1" > "$d/body.txt"; }
  body 0
  "$bin" -q init >/dev/null
  "$bin" -q cert create Bench --body "$d/body.txt" >/dev/null
  "$bin" -q recipients import Bench "$d/r.csv" >/dev/null
  # The padding shows in the text and the HTML part: measure bytes per padding byte, then aim.
  base=$("$bin" preview Bench bench-000000@example.test --eml | wc -c)
  body 3000
  "$bin" -q cert edit Bench --body "$d/body.txt" >/dev/null
  got=$("$bin" preview Bench bench-000000@example.test --eml | wc -c)
  pad=$(( (size - base) * 3000 / (got - base) )); [ "$pad" -ge 0 ] || pad=0
  for _ in 1 2 3; do
    body "$pad"
    "$bin" -q cert edit Bench --body "$d/body.txt" >/dev/null
    got=$("$bin" preview Bench bench-000000@example.test --eml | wc -c)
    [ "$got" = "$size" ] && break
    pad=$(( pad + (size - got) / 2 )); [ "$pad" -ge 0 ] || pad=0
  done
  "$bin" preview Bench bench-000000@example.test --eml | wc -c
}

# The CPU time the hypervisor gave to other guests (steal), in clock ticks, all CPUs together:
# a cell with much of it measured the host's load, not the two clients.
steal_ticks() { awk '/^cpu /{print $9}' /proc/stat; }
steal_pct() {  # steal_pct TICKS0 TICKS1 T0 T1 -> percent of the CPUs' time in the interval
  python3 -c "import os, sys; t=int(sys.argv[2])-int(sys.argv[1]); w=float(sys.argv[4])-float(sys.argv[3]); print(round(100*t/os.sysconf('SC_CLK_TCK')/(w*os.cpu_count())))" "$@"
}

# The median of the rates given (FAILED when any run failed).
median() { python3 -c "import sys, statistics; v=sys.argv[1:]; print('FAILED' if 'FAILED' in v else round(statistics.median(int(x) for x in v)))" "$@"; }

rate_of() { python3 -c "import sys; print(round(int(sys.argv[1])/(float(sys.argv[3])-float(sys.argv[2]))))" "$@"; }

source_rate() {  # source_rate PORT COUNT CONNS SIZE [FILE] -> msg/s
  local port=$1 count=$2 c=$3 size=$4 file=${5:-} t0 t1 what
  # smtp-source adds about 250 bytes of headers to its -l bytes of body; -F sends a file whole.
  if [ -n "$file" ]; then what=(-F "$file"); else what=(-l $((size - 250))); fi
  [ "$port" = "$sink_port" ] || empty_maildir
  sync
  t0=$(now)
  bounded smtp-source -N -d -s "$c" -m "$count" "${what[@]}" -f bench@example.test -t bench@example.test "127.0.0.1:$port" || { echo FAILED; return; }
  [ "$port" = "$sink_port" ] || wait_delivered "$count" || { echo FAILED; return; }
  t1=$(now)
  rate_of "$count" "$t0" "$t1"
}

certstat_rate() {  # certstat_rate PORT COUNT CONNS (database prepared) -> msg/s
  local port=$1 count=$2 c=$3 t0 t1
  [ "$port" = "$sink_port" ] || empty_maildir
  sync
  t0=$(now)
  bounded "$bin" -q send Bench --connections "$c" >/dev/null || { echo FAILED; return; }
  [ "$port" = "$sink_port" ] || wait_delivered "$count" || { echo FAILED; return; }
  t1=$(now)
  rate_of "$count" "$t0" "$t1"
}

start_servers

echo "machine: $(nproc) cores, $(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo), $(uname -sr)"
echo "certstat: $("$bin" --version); Postfix $(postconf -d -h mail_version 2>/dev/null)"
echo "certstat [smtp] dsn = ${SEND_BENCH_DSN:-success (the default)}"
echo "load before: $(uptime)"
echo "runs per cell: $reps (medians; each run's rate after them)"
printf '%-8s %-7s %-6s %10s %10s %10s %6s %6s %6s   %s\n' server size conns smtp-source "source -F" certstat ratio "ratio-F" steal "runs: smtp-source | -F | certstat"
for server in "smtp-sink:$sink_port:$sink_n" "postfix:$CERTSTAT_TEST_SMTP_PORT:$mta_n"; do
  IFS=: read -r name port count <<<"$server"
  for size in "${sizes[@]}"; do
    for c in 1 4; do
      export CERTSTAT_DB=$work/db/c.db CERTSTAT_CONFIG=$work/db/config.toml
      actual=$(certstat_db "$work/db" "$port" "$count" "$size")
      cp "$CERTSTAT_DB" "$work/db/fresh.db"
      # certstat's own message, for smtp-source -F: the same bytes for Postfix to parse.
      "$bin" preview Bench bench-000000@example.test --eml | tr -d '\r' > "$work/msg.eml"
      ss=() fs=() rs=()
      st0=$(steal_ticks) w0=$(now)
      for ((i = 0; i < reps; i++)); do
        # Each certstat run starts from the same fresh database (everyone Not Sent).
        cp "$work/db/fresh.db" "$CERTSTAT_DB"; rm -f "$CERTSTAT_DB-wal" "$CERTSTAT_DB-shm"
        # Rotate which client goes first, so that none always meets another's leftovers.
        for k in 0 1 2; do
          case $(((i + c + k) % 3)) in
            0) ss+=("$(source_rate "$port" "$count" "$c" "$actual")") ;;
            1) fs+=("$(source_rate "$port" "$count" "$c" "$actual" "$work/msg.eml")") ;;
            2) rs+=("$(certstat_rate "$port" "$count" "$c")") ;;
          esac
        done
      done
      stolen=$(steal_pct "$st0" "$(steal_ticks)" "$w0" "$(now)")
      s=$(median "${ss[@]}") f=$(median "${fs[@]}") r=$(median "${rs[@]}")
      ratio() { python3 -c "import sys; print(f'{int(sys.argv[2])/int(sys.argv[1]):.2f}')" "$1" "$2" 2>/dev/null || echo '?'; }
      printf '%-8s %-7s %-6s %10s %10s %10s %6s %6s %6s   %s | %s | %s\n' "$name" "$actual" "$c" "$s" "$f" "$r" "$(ratio "$s" "$r")" "$(ratio "$f" "$r")" "$stolen%" "${ss[*]}" "${fs[*]}" "${rs[*]}"
    done
  done
done
echo "load after: $(uptime)"
