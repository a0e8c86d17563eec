#!/usr/bin/env bash
# `certstat refresh` over a Maildir of 10,000 real bounce messages (the corpus in
# tests/fixtures/bounces repeated, each copy with its own Message-ID), against Python
# flufl.bounce 6.0 (PyPI) scanning the same files and a bare mail-parser parse of them.
#   bash bench/refresh/run.sh [MESSAGES]      (default 10000)
# Needs: cargo, python3 with venv (flufl.bounce is installed into a throwaway venv).
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-10000}
work=$(mktemp -d /tmp/certstat-bench-refresh.XXXXXX)
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet
bin=$PWD/target/release/certstat
cargo build --release --quiet --offline --manifest-path bench/refresh/parse-baseline/Cargo.toml \
  --target-dir target/bench-parse-baseline
baseline=$PWD/target/bench-parse-baseline/release/parse-baseline
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q 'flufl.bounce==6.0'

echo "machine: $(nproc) cores, $(uname -sr); certstat $("$bin" --version | cut -d' ' -f2); flufl.bounce $("$work/venv/bin/python" -c 'import importlib.metadata as m; print(m.version("flufl.bounce"))')"
python3 - "$work/md" "$n" tests/fixtures/bounces <<'PY'
import os, re, sys
out, n, corpus = sys.argv[1], int(sys.argv[2]), sys.argv[3]
for sub in ("new", "cur", "tmp"):
    os.makedirs(os.path.join(out, sub), exist_ok=True)
files = sorted(f for f in os.listdir(corpus) if f.endswith(".eml"))
blobs = [open(os.path.join(corpus, f), "rb").read() for f in files]
for i in range(n):
    raw = blobs[i % len(blobs)]
    mid = b"Message-ID: <bench-%d@certstat.bench>" % i
    head, sep, body = raw.partition(b"\n\n")
    new, k = re.subn(rb"(?im)^message-id:[^\n]*(\n[ \t][^\n]*)*", mid, head, count=1)
    if k == 0:
        new = mid + b"\n" + head
    open(os.path.join(out, "new", "%06d.bench" % i), "wb").write(new + sep + body)
print(f"{n} messages from {len(files)} corpus files, {sum(os.path.getsize(os.path.join(out, 'new', f)) for f in os.listdir(os.path.join(out, 'new'))) // 1024} KiB")
PY
sync

# The clock is bash's own ($EPOCHREALTIME): starting a timer process (python3 takes ≈ 0.1 s to
# start here) between the two readings would count its start-up against certstat.
secs() { echo "${EPOCHREALTIME/,/.}"; }
rate() { python3 -c "import sys; n,a,b=$n,$1,$2; print(f'{b-a:.3f} s: {n/(b-a):.0f} msg/s')"; }

echo "--- bare mail-parser parse (the floor)"
"$baseline" "$work/md"
"$baseline" "$work/md"

echo "--- python flufl.bounce 6.0: email.message_from_binary_file + scan_message"
"$work/venv/bin/python" bench/refresh/flufl_scan.py "$work/md"

echo "--- certstat refresh --maildir (fresh database: read, hash, analyse, match, record)"
export CERTSTAT_DB=$work/certstat.db CERTSTAT_CONFIG=$work/config.toml
"$bin" -q init >/dev/null
"$bin" -q cert create Bench
a=$(secs); "$bin" refresh --maildir "$work/md" 2>&1 | tail -1; b=$(secs); echo "  $(rate "$a" "$b")"
echo "--- certstat refresh again (everything already read)"
a=$(secs); "$bin" refresh --maildir "$work/md" 2>&1 | tail -1; b=$(secs); echo "  $(rate "$a" "$b")"
echo "--- certstat refresh --dry-run on a fresh database, one core (taskset)"
rm -f "$work/certstat.db"*
"$bin" -q cert create Bench
a=$(secs); taskset -c 0 "$bin" refresh --dry-run --maildir "$work/md" 2>&1 | tail -1; b=$(secs); echo "  $(rate "$a" "$b")"
