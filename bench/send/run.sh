#!/usr/bin/env bash
# Send throughput (issue 3). Usage, as root:
#   bash bench/send/run.sh [MESSAGES] [CONNECTIONS...]            (default: 20000, connections 1 4)
#   SEND_BENCH_POSTFIX_N=5000 bash bench/send/run.sh 20000         (fewer messages for the Postfix rows)
#
# Clients, each sending MESSAGES messages of about the same size (the size of certstat's own
# rendered message, measured first):
#   * Postfix's C load generator smtp-source -N (a distinct recipient per message), with `-d`
#     (one connection per session, reused: what certstat does) and -s 1 and 4 sessions; also
#     without -d (a new connection per message, one session) for reference;
#   * certstat send --connections C (every send_attempt and sent event committed to SQLite);
#   * Python mailmerge 2.3 (installed into a venv in the temp dir; sends through smtplib, a new
#     connection per message, one at a time), its template being certstat's rendered message.
# Servers:
#   * Postfix's C smtp-sink (accepts and counts: measures the client);
#   * the Postfix of .ci/mta.sh delivering to Maildir (a private instance of the rig: own state
#     directory and ports, so a rig other people are using is never touched); the clock stops
#     when all MESSAGES messages are files in the Maildir (each run's count is checked).
# Every run is bounded (timeout), and every process the script starts (smtp-sink, the clients,
# the Postfix instance) is stopped by its PID / pid file on exit, also on failure or ^C.
#
# Settings (environment): CERTSTAT_BIN (skip the build, use this binary), SEND_BENCH_POSTFIX_N
# (messages for the Postfix rows, default MESSAGES), SEND_BENCH_TIMEOUT (seconds per run,
# default max(120, MESSAGES/40)), SEND_BENCH_SINK_PORT (2638), SEND_BENCH_MTA_PORT (2635),
# SEND_BENCH_MAILMERGE=0 (skip mailmerge), SEND_BENCH_KEEP=1 (keep the temp dir).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
[ "$(id -u)" = 0 ] || { echo "run as root (Postfix)" >&2; exit 2; }
n=${1:-20000}
shift || true
conns=("${@:-1 4}")
# shellcheck disable=SC2206
conns=(${conns[*]})
pn=${SEND_BENCH_POSTFIX_N:-$n}
sink_port=${SEND_BENCH_SINK_PORT:-2638}
run_timeout=${SEND_BENCH_TIMEOUT:-$(( n / 40 > 120 ? n / 40 : 120 ))}

work=$(mktemp -d /tmp/certstat-bench-send.XXXXXX)
chmod 755 "$work"
# A private instance of the .ci/mta.sh rig.
export CERTSTAT_MTA_DIR=$work/mta
export CERTSTAT_MTA_PORT=${SEND_BENCH_MTA_PORT:-2635}
# shellcheck source=bench/send/common.sh
. bench/send/common.sh
rate() {  # rate COUNT T0 T1
  python3 -c "import sys; print(f'{int(sys.argv[1])/(float(sys.argv[3])-float(sys.argv[2])):,.0f} msg/s ({float(sys.argv[3])-float(sys.argv[2]):.1f} s)')" "$@"
}
# Before each timed run: write back what the set-up and the previous run left dirty (the
# deleted Maildir files, a new database), so that no run pays for the writeback of another's.
settle() { sync; }
result() {  # result LABEL COUNT T0 T1 [NOTE]
  printf '  %-44s %s%s\n' "$1" "$(rate "$2" "$3" "$4")" "${5:+  $5}"
}

# ---- set-up: recipients, certstat's message, the mailmerge template, mailmerge itself
python3 - "$work/recipients.csv" "$n" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("email,name,course\n")
    for i in range(int(sys.argv[2])):
        f.write(f"bench-{i}@example.test,Person {i},Rust\n")
PY
certstat_db() {  # certstat_db DIR PORT COUNT: a fresh database of COUNT recipients
  local d=$1
  mkdir -p "$d"
  export CERTSTAT_DB=$d/c.db CERTSTAT_CONFIG=$d/config.toml
  printf '[sender]\nfrom = "Bench <bench@example.test>"\nbounce_address = "bounces@localhost"\n[serve]\nbase_url = "https://certs.example.test"\n[smtp]\nhost = "127.0.0.1"\nport = %s\nsecurity = "none"\n' "$2" > "$CERTSTAT_CONFIG"
  head -n $(($3 + 1)) "$work/recipients.csv" > "$d/r.csv"
  "$bin" -q init >/dev/null
  "$bin" -q cert create Bench >/dev/null
  "$bin" -q recipients import Bench "$d/r.csv" >/dev/null
}
certstat_db "$work/probe" 25 1
"$bin" preview Bench bench-0@example.test --eml > "$work/message.eml"
size=$(wc -c < "$work/message.eml")
# smtp-source adds about 250 bytes of headers to its -l bytes of body.
body_len=$((size > 600 ? size - 250 : 350))
# mailmerge: the same message, personalised by mailmerge (name, address); the headers certstat
# makes per message (Date, Message-ID, X-Certstat-Id) are left to smtplib/mailmerge.
python3 - "$work/message.eml" "$work/mm-template.txt" <<'PY'
import sys
text = open(sys.argv[1], encoding="utf-8").read()
head, sep, body = text.partition("\n\n")
head = "\n".join(l for l in head.split("\n")
                 if not l.startswith(("Date:", "Message-ID:", "X-Certstat-Id:")))
out = (head + sep + body).replace("bench-0@example.test", "{{email}}").replace("Person 0", "{{name}}")
open(sys.argv[2], "w", encoding="utf-8").write(out)
PY
mailmerge=
if [ "${SEND_BENCH_MAILMERGE:-1}" = 1 ]; then
  if python3 -m venv "$work/venv" >/dev/null 2>&1 \
    && timeout 300 "$work/venv/bin/pip" install -q 'mailmerge==2.3.*' >"$work/pip.log" 2>&1; then
    mailmerge=$work/venv/bin/mailmerge
  else
    echo "mailmerge 2.3 could not be installed (see $work/pip.log): its rows are skipped" >&2
    tail -3 "$work/pip.log" >&2 || true
  fi
fi

# ---- servers
start_servers

echo "machine: $(nproc) cores, $(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo), $(uname -sr)"
echo "certstat: $("$bin" --version) ($bin)"
echo "mailmerge: $([ -n "$mailmerge" ] && "$mailmerge" --version || echo 'not installed'); Postfix $(postconf -d -h mail_version 2>/dev/null)"
echo "message: $size bytes (certstat's rendered message; smtp-source -l $body_len)"
echo "load before: $(uptime)"

# ---- the runs
source_run() {  # source_run LABEL PORT COUNT SMTP-SOURCE-ARGS...
  local label=$1 port=$2 count=$3 t0 t1
  shift 3
  [ "$port" = "$sink_port" ] || empty_maildir
  settle
  t0=$(now)
  bounded smtp-source -N "$@" -m "$count" -l "$body_len" -f bench@example.test -t bench@example.test \
    "127.0.0.1:$port" || { echo "  $label: FAILED"; return 0; }
  if [ "$port" != "$sink_port" ]; then wait_delivered "$count" || { echo "  $label: FAILED"; return 0; }; fi
  t1=$(now)
  result "$label" "$count" "$t0" "$t1" "$([ "$port" = "$sink_port" ] || echo "delivered: $(delivered)")"
}

certstat_run() {  # certstat_run PORT CONNECTIONS COUNT
  local port=$1 c=$2 count=$3 t0 t1 sent
  certstat_db "$work/cs-$port-$c" "$port" "$count"
  [ "$port" = "$sink_port" ] || empty_maildir
  settle
  t0=$(now)
  bounded "$bin" -q send Bench --connections "$c" >/dev/null || { echo "  certstat send --connections $c: FAILED"; return 0; }
  if [ "$port" != "$sink_port" ]; then wait_delivered "$count" || { echo "  certstat: FAILED"; return 0; }; fi
  t1=$(now)
  sent=$(sqlite3 "$CERTSTAT_DB" "select count(*) from events where kind='sent'" 2>/dev/null || echo '?')
  result "certstat send --connections $c" "$count" "$t0" "$t1" \
    "sent events recorded: $sent$([ "$port" = "$sink_port" ] || echo ", delivered: $(delivered)")"
}

mailmerge_run() {  # mailmerge_run PORT COUNT
  local port=$1 count=$2 d=$work/mm-$1 t0 t1
  [ -n "$mailmerge" ] || { echo "  mailmerge: not installed, skipped"; return 0; }
  mkdir -p "$d"
  printf '[smtp_server]\nhost = 127.0.0.1\nport = %s\nsecurity = Never\n' "$port" > "$d/server.conf"
  cut -d, -f1,2 "$work/recipients.csv" | head -n $((count + 1)) > "$d/db.csv"
  [ "$port" = "$sink_port" ] || empty_maildir
  settle
  t0=$(now)
  bounded "$mailmerge" --no-limit --no-dry-run --output-format raw --template "$work/mm-template.txt" \
    --database "$d/db.csv" --config "$d/server.conf" >"$d/out.log" 2>&1 \
    || { echo "  mailmerge: FAILED ($(tail -n 2 "$d/out.log" | tr '\n' ' '))"; return 0; }
  if [ "$port" != "$sink_port" ]; then wait_delivered "$count" || { echo "  mailmerge: FAILED"; return 0; }; fi
  t1=$(now)
  result "mailmerge 2.3 (1 connection at a time)" "$count" "$t0" "$t1" \
    "$([ "$port" = "$sink_port" ] || echo "delivered: $(delivered)")"
}

for server in "smtp-sink:$sink_port:$n" "postfix-maildir:$CERTSTAT_TEST_SMTP_PORT:$pn"; do
  IFS=: read -r name port count <<<"$server"
  echo "--- $name (127.0.0.1:$port), $count messages per run"
  for c in "${conns[@]}"; do
    source_run "smtp-source -d -s $c" "$port" "$count" -d -s "$c"
    certstat_run "$port" "$c" "$count"
  done
  source_run "smtp-source -s 1 (no -d: connection per msg)" "$port" "$count" -s 1
  mailmerge_run "$port" "$count"
done
echo "load after: $(uptime)"
