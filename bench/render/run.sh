#!/usr/bin/env bash
# Render time per certificate: `certstat render` of 105 recipients, one process, in PDF and
# PNG, for Latin names (drawn with the bundled font) and for names in 15 scripts (system
# fonts, fallback per character).
#
#   bench/render/run.sh            # CERTSTAT_BIN=path/to/certstat to time another build
#
# Needs: a release build (cargo build --release), python3; for the world names Debian's
# fonts-noto-core, fonts-noto-cjk, fonts-noto-color-emoji. Each figure includes process start,
# the database, and loading the font database once.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${CERTSTAT_BIN:-$ROOT/target/release/certstat}
WORK=$(mktemp -d /tmp/certstat-bench-render.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
export CERTSTAT_DB=$WORK/data/certstat.db CERTSTAT_CONFIG=$WORK/config.toml
: > "$CERTSTAT_CONFIG"
"$BIN" -q init >/dev/null

python3 - "$WORK" <<'PY'
import sys
work = sys.argv[1]
latin = ["Zoë Ångström-Núñez", "Ana Silva", "Björn Þórsson", "Nguyễn Văn An", "Анна Каренина",
         "Ελένη Παπαδοπούλου", "Maria Fernanda Gutiérrez"]
world = ["Nguyễn Văn An", "Дмитрий Иванов", "Ελένη Παπαδοπούλου", "محمد علي", "زهرا رضایی",
         "דוד כהן", "राहुल शर्मा", "সৌমিত্র চট্টোপাধ্যায়", "கார்த்திக் சுப்பிரமணியம்", "สมชาย ใจดี",
         "王晓明", "陳國華", "山田 太郎", "김민준", "Ana 🎉 Lima"]
for name, names in (("latin", latin), ("world", world)):
    with open(f"{work}/{name}.csv", "w", encoding="utf-8") as f:
        f.write("email,name\n")
        for i in range(105):
            f.write(f"r{i}@example.org,{names[i % len(names)]}\n")
PY

for set in latin world; do
  "$BIN" -q cert create "$set" --issuer "Bench Org" >/dev/null
  "$BIN" -q recipients import "$set" "$WORK/$set.csv" >/dev/null 2>&1
  for format in pdf png; do
    sync
    start=$(date +%s.%N)
    if "$BIN" -q render "$set" --out "$WORK/$set-$format" --format "$format" >/dev/null 2>"$WORK/err"; then
      result=ok
    else
      result="FAILED: $(tail -1 "$WORK/err")"
    fi
    end=$(date +%s.%N)
    n=$(find "$WORK/$set-$format" -type f | wc -l)
    python3 -c "import sys; t=float(sys.argv[2])-float(sys.argv[1]); n=int(sys.argv[5]); print(f'{sys.argv[3]:5} {sys.argv[4]}: {n} documents in {t:.2f} s = {t*1000/max(n,1):.1f} ms each ({sys.argv[6]})')" "$start" "$end" "$set" "$format" "$n" "$result"
  done
done
