#!/usr/bin/env bash
# Credentials built and signed, per proof type: VC-JWT (EdDSA and ES256) and Data Integrity
# (eddsa-rdfc-2022: JSON-LD to RDF over the bundled contexts, RDFC-1.0, Ed25519), plus the
# time to verify one Data Integrity proof. Release build.
# usage: bash bench/credentials/run.sh [N]   (default 10000)
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-10000}
CERTSTAT_BENCH_N=$n cargo test --release --locked --lib bench_credentials_build_and_sign \
  -- --ignored --nocapture 2>&1 | grep -E '^credentials='
