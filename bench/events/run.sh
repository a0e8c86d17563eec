#!/usr/bin/env bash
# `events import` at scale: provider events matched by the provider's message id, read as a
# stream. Usage:
#   bash bench/events/run.sh [EVENTS] [RECIPIENTS]      (default 1000000 100000)
#   CERTSTAT_BIN=target/debug/certstat bash bench/events/run.sh 100000 10000
# Needs: a release build (built here), python3, GNU time (/usr/bin/time).
# Each recipient first gets a `sent` event carrying a SendGrid message id (certstat's jsonl,
# itself a streamed import); then EVENTS SendGrid events (delivered, opens, clicks; one JSON
# array, as SendGrid posts it), spread evenly over the recipients, are imported in one run.
set -euo pipefail
cd "$(dirname "$0")/../.."
events=${1:-1000000}
people=${2:-100000}
work=$(mktemp -d /tmp/certstat-bench-events.XXXXXX)
trap 'rm -rf "$work"' EXIT
# CERTSTAT_BIN runs an already built binary instead (its build profile is printed).
if [ -z "${CERTSTAT_BIN:-}" ]; then
  cargo build --release --quiet
fi
bin=${CERTSTAT_BIN:-$PWD/target/release/certstat}
echo "binary: $bin"
export CERTSTAT_DB=$work/certstat.db CERTSTAT_CONFIG=$work/config.toml CERTSTAT_NOW=2026-11-30T12:00:00Z

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr); load: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$work" "$events" "$people" <<'PY'
import json, sys
work, events, people = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(f"{work}/people.csv", "w") as f:
    f.write("email,name\n")
    for i in range(people):
        f.write(f"p{i}@example{i % 97}.org,Person {i}\n")
with open(f"{work}/sent.jsonl", "w") as f:
    for i in range(people):
        f.write(json.dumps({"certificate": "Bench", "email": f"p{i}@example{i % 97}.org",
                            "kind": "sent", "at": "2026-11-01T10:00:00Z", "source": "smtp",
                            "detail": {"provider_message_id": f"sg{i}.filter0001"}}) + "\n")
kinds = ["delivered", "open", "open", "click", "open", "click", "open", "open", "click", "open"]
with open(f"{work}/sendgrid.json", "w") as f:
    f.write("[\n")
    for n in range(events):
        i, round_ = n % people, n // people
        e = {"email": f"p{i}@example{i % 97}.org", "event": kinds[round_ % len(kinds)],
             "timestamp": 1793700000 + round_ * 60 + i % 60, "sg_event_id": f"ev{n}",
             "sg_message_id": f"sg{i}.filter0001"}
        if e["event"] == "click":
            e["url"] = "https://example.org/c"
        f.write(("," if n else "") + json.dumps(e) + "\n")
    f.write("]\n")
PY
ls -la "$work/sendgrid.json" | awk '{print "sendgrid.json:", $5, "bytes"}'

t() { /usr/bin/time -f "%e s wall, %U s user, %S s sys, %M KB peak RSS" "$@"; }

$bin init -q >/dev/null
$bin cert create Bench -q
$bin -q recipients import Bench "$work/people.csv"
echo "--- events import (jsonl): one sent event per recipient ($people)"
t $bin events import "$work/sent.jsonl" 2>&1 | tail -2
echo "--- events import --format sendgrid: $events events on $people recipients"
t $bin events import --format sendgrid "$work/sendgrid.json" 2>&1 | tail -2
echo "--- the same file again (every event already applied)"
t $bin events import --format auto "$work/sendgrid.json" 2>&1 | tail -2
