#!/usr/bin/env bash
# Two builds side by side, in instructions (valgrind's callgrind counts instructions, not seconds:
# the same count on a busy machine as on a quiet one), over the CPU-bound jobs of certstat:
# import, composing and writing messages to the outbox, refresh of a Maildir, provider events,
# stats, export, and one certificate rendered to PDF and PNG. Usage:
#   bash bench/compare/instructions.sh OLD_BINARY NEW_BINARY [SCALE]
# SCALE (default 1) multiplies the sizes: 20,000 imported rows, 1,000 messages sent to the
# outbox, 1,000 bounce messages from tests/fixtures/bounces, 20,000 SendGrid events.
# The time is pinned (CERTSTAT_NOW) so both builds do the same work. Prints one row per job:
# instructions of each build and new/old.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ $# -ge 2 ] || { echo "usage: $0 OLD_BINARY NEW_BINARY [SCALE]" >&2; exit 2; }
old=$(realpath "$1"); new=$(realpath "$2"); scale=${3:-1}
command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install valgrind)" >&2; exit 2; }
work=$(mktemp -d /tmp/certstat-bench-compare.XXXXXX)
trap 'rm -rf "$work"' EXIT
export CERTSTAT_NOW=2026-11-30T12:00:00Z CERTSTAT_NO_SYSTEM_FONTS=1

python3 - "$work" "$scale" tests/fixtures/bounces <<'PY'
import json, os, re, sys
work, scale, corpus = sys.argv[1], int(sys.argv[2]), sys.argv[3]
people, mailed, bounces, events = 20000 * scale, 1000 * scale, 1000 * scale, 20000 * scale
with open(f"{work}/people.csv", "w") as f:
    f.write("email,name,course\n")
    for i in range(people):
        f.write(f"p{i}@example{i % 97}.org,Person Nguyễn {i},Course {i % 7}\n")
with open(f"{work}/mailed.csv", "w") as f:
    f.write("email,name\n")
    for i in range(mailed):
        f.write(f"m{i}@example{i % 13}.org,Ana María {i}\n")
with open(f"{work}/sent.jsonl", "w") as f:
    for i in range(people):
        f.write(json.dumps({"certificate": "Bench", "email": f"p{i}@example{i % 97}.org",
                            "kind": "sent", "at": "2026-11-01T10:00:00Z", "source": "smtp",
                            "detail": {"provider_message_id": f"sg{i}.filter0001"}}) + "\n")
kinds = ["delivered", "open", "click", "open", "bounce"]
with open(f"{work}/sendgrid.json", "w") as f:
    f.write("[\n")
    for n in range(events):
        i = (n * 7919) % people
        e = {"email": f"p{i}@example{i % 97}.org", "event": kinds[n % len(kinds)],
             "timestamp": 1793700000 + n, "sg_message_id": f"sg{i}.filter0001"}
        if e["event"] == "click":
            e["url"] = "https://example.org/c"
        if e["event"] == "bounce":
            e["reason"] = "550 5.1.1 The email account that you tried to reach does not exist"
            e["status"] = "5.1.1"
        f.write(("," if n else "") + json.dumps(e) + "\n")
    f.write("]\n")
md = f"{work}/md"
for sub in ("new", "cur", "tmp"):
    os.makedirs(os.path.join(md, sub), exist_ok=True)
files = sorted(x for x in os.listdir(corpus) if x.endswith(".eml"))
blobs = [open(os.path.join(corpus, x), "rb").read() for x in files]
for i in range(bounces):
    raw = blobs[i % len(blobs)]
    head, sep, body = raw.partition(b"\n\n")
    mid = b"Message-ID: <compare-%d@certstat.bench>" % i
    new, k = re.subn(rb"(?im)^message-id:[^\n]*(\n[ \t][^\n]*)*", mid, head, count=1)
    open(os.path.join(md, "new", "%06d.eml" % i), "wb").write((new if k else mid + b"\n" + head) + sep + body)
PY

# instructions BINARY ARGS… -> the instruction count of one run (stdout and stderr discarded).
instructions() {
  local out=$work/cg.out
  valgrind --tool=callgrind --callgrind-out-file="$out" "$@" >/dev/null 2>"$work/vg.err" \
    || { echo "failed: $* (see below)" >&2; tail -5 "$work/vg.err" >&2; echo 0; return; }
  awk '/^summary:/{print $2}' "$out"
}

# run_jobs BINARY -> lines "job instructions", each job on a database set up by the one before.
run_jobs() {
  local bin=$1 d
  d=$(mktemp -d "$work/run.XXXXXX")
  export CERTSTAT_DB=$d/c.db CERTSTAT_CONFIG=$d/config.toml
  printf '[sender]\nfrom = "Bench <bench@example.test>"\n[serve]\nbase_url = "https://certs.example.test"\n[outbox]\ndir = "%s"\n' "$d/outbox" > "$CERTSTAT_CONFIG"
  "$bin" -q init >/dev/null
  "$bin" -q cert create Bench >/dev/null
  "$bin" -q cert create Mailed >/dev/null
  echo "import $(instructions "$bin" -q recipients import Bench "$work/people.csv")"
  "$bin" -q recipients import Mailed "$work/mailed.csv" >/dev/null
  echo "send-outbox $(instructions "$bin" -q send Mailed)"
  echo "refresh $(instructions "$bin" -q refresh --maildir "$work/md")"
  echo "events-jsonl $(instructions "$bin" -q events import "$work/sent.jsonl")"
  echo "events-sendgrid $(instructions "$bin" -q events import --format sendgrid "$work/sendgrid.json")"
  echo "stats-json $(instructions "$bin" stats --format json)"
  echo "export-csv $(instructions "$bin" export Bench -o "$d/export.csv")"
  local who
  who=$("$bin" recipients list Mailed --format csv | sed -n 2p | cut -d, -f1)
  echo "render-pdf $(instructions "$bin" -q render Mailed "$who" --out "$d/pdf" --format pdf)"
  echo "render-png $(instructions "$bin" -q render Mailed "$who" --out "$d/png" --format png)"
}

echo "machine: $(nproc) cores, $(uname -sr); valgrind $(valgrind --version); scale $scale"
echo "old: $old ($("$old" --version))"
echo "new: $new ($("$new" --version))"
run_jobs "$old" > "$work/old.txt"
run_jobs "$new" > "$work/new.txt"
printf '%-16s %16s %16s %8s\n' job old new new/old
paste -d" " "$work/old.txt" <(cut -d" " -f2 "$work/new.txt") | while read -r job a b; do
  ratio=$(python3 -c "import sys; a,b=int(sys.argv[1]),int(sys.argv[2]); print(f'{b/a:.3f}' if a else '?')" "$a" "$b")
  printf '%-16s %16s %16s %8s\n' "$job" "$a" "$b" "$ratio"
done
