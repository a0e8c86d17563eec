# Shared by bench/send/run.sh and bench/send/sweep.sh (sourced, not run). The caller sets
# root, work, sink_port and run_timeout (and may set poll, the Maildir polling interval).
# Provides: the exit trap that stops every process started here, the binary under test
# ($bin, a copy), bounded runs, the Maildir helpers and start_servers.

export CERTSTAT_MTA_PEER_PORT=$((CERTSTAT_MTA_PORT + 2))
sink_pid= client_pid= mta_started=0
poll=${poll:-0.2}
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ -n "$client_pid" ] && kill -0 "$client_pid" 2>/dev/null; then
    kill "$client_pid" 2>/dev/null || true   # a `timeout` process: it stops its child
    wait "$client_pid" 2>/dev/null || true
  fi
  if [ -n "$sink_pid" ]; then
    kill "$sink_pid" 2>/dev/null || true
    wait "$sink_pid" 2>/dev/null || true
  fi
  [ "$mta_started" = 1 ] && { bash .ci/mta.sh stop >/dev/null || true; }
  if [ "${SEND_BENCH_KEEP:-0}" = 1 ]; then echo "kept $work" >&2; else rm -rf "$work"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ -n "${CERTSTAT_BIN:-}" ]; then
  bin=$CERTSTAT_BIN
else
  cargo build --release --quiet
  bin=$root/target/release/certstat
fi
# A copy: a build started by someone else during the runs must not replace the binary under test.
cp "$bin" "$work/certstat"
bin=$work/certstat

# Run a client in the background, bounded in time, remembering its PID for the trap.
bounded() {
  timeout "$run_timeout" "$@" &
  client_pid=$!
  local rc=0
  wait "$client_pid" || rc=$?
  client_pid=
  [ "$rc" = 124 ] && echo "    (timed out after ${run_timeout}s)" >&2
  return "$rc"
}
now() { date +%s.%N; }
maildir=
delivered() { find "$maildir/new" "$maildir/cur" -type f 2>/dev/null | wc -l; }
# Each run starts with new, empty Maildir directories, as the first run does: deleting the
# files of a run would leave directories that once held 20,000 entries (ext4 does not shrink
# them), which make every later delivery slower than the first run's.
empty_maildir() {
  local d owner mode
  for d in "$maildir/new" "$maildir/cur" "$maildir/tmp"; do
    [ -d "$d" ] || continue
    owner=$(stat -c %u:%g "$d") mode=$(stat -c %a "$d")
    rm -rf "$d" && mkdir "$d" && chown "$owner" "$d" && chmod "$mode" "$d"
  done
}
wait_delivered() {  # wait_delivered COUNT: until COUNT messages are in the Maildir (bounded)
  local deadline=$((SECONDS + run_timeout))
  while [ "$(delivered)" -lt "$1" ]; do
    [ "$SECONDS" -lt "$deadline" ] || { echo "    (only $(delivered) of $1 delivered after ${run_timeout}s)" >&2; return 1; }
    sleep "$poll"
  done
}

# The private Postfix (its own state directory and ports) and smtp-sink on $sink_port.
start_servers() {
  bash .ci/mta.sh start >/dev/null
  mta_started=1
  # shellcheck disable=SC1090
  . "$(bash .ci/mta.sh env)"
  maildir=$CERTSTAT_TEST_MAILDIR
  smtp-sink -u postfix -c "127.0.0.1:$sink_port" 256 >/dev/null 2>&1 &
  sink_pid=$!
  for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$sink_port") 2>/dev/null && break; sleep 0.1; done
}
