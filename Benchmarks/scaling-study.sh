#!/usr/bin/env bash
# The scaling study: generated policies, 1 → 1,000 statements per policy, 10 → 10,000 policies per
# audit, 0 → 50 condition keys; writes results/scaling.tsv and scaling.svg (plot-scaling.py).
#
#   Benchmarks/scaling-study.sh [REPEAT]      REPEAT runs per point, the median kept (default 3)
set -euo pipefail
cd "$(dirname "$0")"
repeat="${1:-3}"
swift build -c release --product ScalingStudy >/dev/null
study="$(swift build -c release --show-bin-path)/ScalingStudy"
mkdir -p results
{
    printf 'sweep\tx\tmeasure\tseconds\tdetail\n'
    "$study" statements "$repeat"
    "$study" keys "$repeat"
    "$study" audit "$repeat"
} | tee results/scaling.tsv
python3 plot-scaling.py results/scaling.tsv scaling.svg
echo "wrote results/scaling.tsv and scaling.svg"
