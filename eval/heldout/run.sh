#!/usr/bin/env bash
# Run the pipeline on the held-out sources and score them. Usage: eval/heldout/run.sh [OUT]
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-/tmp/heldout_out}
.venv/bin/python -m flows run --raw eval/heldout/raw --out "$OUT"
.venv/bin/python /work/shared/eval/score.py --warehouse "$OUT/warehouse.duckdb" \
    --gold eval/heldout/gold.yaml --show-misses --json "$OUT/heldout_report.json"
.venv/bin/python eval/heldout/field_misses.py "$OUT/warehouse.duckdb" eval/heldout/gold.yaml
