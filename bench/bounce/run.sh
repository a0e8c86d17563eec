#!/usr/bin/env bash
# Recall and precision of certstat's bounce reading, next to flufl.bounce 6.0 (PyPI) on the
# same files: the sisimai-derived corpus and the project's own (tests/fixtures/bounces/own:
# real Postfix and Exim bounces, messages written by class), each with its ground truth.
#   bash bench/bounce/run.sh
# Needs: cargo, python3 with venv (flufl.bounce goes into a throwaway venv).
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d /tmp/certstat-bench-bounce.XXXXXX)
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q 'flufl.bounce==6.0'
echo "machine: $(nproc) cores, $(uname -sr); flufl.bounce $("$work/venv/bin/python" -c 'import importlib.metadata as m; print(m.version("flufl.bounce"))')"

echo "--- certstat: per-class recall and precision (the corpus test)"
CERTSTAT_BOUNCE_REPORTS=$work/certstat.tsv cargo test --quiet --test cli \
  recall_and_precision_per_class_meet_the_goals -- --nocapture 2>/dev/null | grep -v '^running\|^test \|^$'

echo "--- the failed address, both classifiers, the same files"
"$work/venv/bin/python" bench/bounce/score.py tests/fixtures/bounces "$work/certstat.tsv"

echo "--- speed: certstat refresh --dry-run over a Maildir of the same files (release, 2 cores)"
mkdir -p "$work/md/new" "$work/md/cur" "$work/md/tmp"
i=0
for f in tests/fixtures/bounces/*.eml tests/fixtures/bounces/own/*.eml; do
  cp "$f" "$work/md/new/$(printf %05d $i).eml"; i=$((i + 1))
done
cargo build --release --quiet
export CERTSTAT_DB=$work/certstat.db CERTSTAT_CONFIG=$work/config.toml
./target/release/certstat -q init >/dev/null
./target/release/certstat -q cert create Bench
a=${EPOCHREALTIME/,/.}
./target/release/certstat refresh --dry-run --maildir "$work/md" 2>&1 | tail -1
b=${EPOCHREALTIME/,/.}
python3 -c "n=$i; a=$a; b=$b; print(f'certstat: {n} files in {b-a:.3f} s: {n/(b-a):.0f} msg/s (one process start included)')"
echo "(the 10,000-message throughput comparison is bench/refresh/run.sh)"
