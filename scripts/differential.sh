#!/usr/bin/env bash
# Differential campaign: the SMT encoding (RequestEncoding) against the concrete evaluator.
#
#   scripts/differential.sh [PAIRS] [SEED]
#
# Runs `DifferentialTests.randomPairsAgreeWithTheEvaluator` (Tests/PolicyVerifierTests/Encoding/) on
# PAIRS random (policies, request) pairs (default 20000) drawn from SEED (default: the current time, printed
# so that a run can be replayed). The test suite itself runs 3000 pairs from a fixed seed; this script is
# for longer runs. Every pair whose request the encoding can represent must be sat under the encoding's
# domain, and the encoding's `allows` and per-statement `applies` must equal the evaluator's answer.
# Failures are printed with the policies' JSON, the request, the seed that replays them, and (for the
# first pair of the first DIFFERENTIAL_MINIMISE kinds) a minimised pair. Failures are grouped in kinds: an
# unsat by the request variables whose fixing the domain contradicts, a disagreement by role and answer.
#
# Environment (passed through to the test):
#   DIFFERENTIAL_REQUESTS  requests per encoding (default 20)
#   DIFFERENTIAL_MINIMISE  kinds of failure whose first pair is minimised (default 4)
#   DIFFERENTIAL_VERBOSE   set to print per-policy timings and checks slower than a second
#   SCRATCH                SwiftPM scratch path (default .build-diff)
#   CONFIGURATION          debug or release (default release; Z3 dominates either way, but the
#                          evaluator and the encoder run faster; the first release build takes minutes)
#
# The output goes to the terminal and to $SCRATCH/differential-<seed>.log. Exit status:
# that of `swift test` (non-zero when a pair disagrees).
set -euo pipefail

cd "$(dirname "$0")/.."

pairs="${1:-20000}"
seed="${2:-$(date +%s)}"
case "$pairs" in ''|*[!0-9]*) echo "usage: $0 [PAIRS] [SEED]" >&2; exit 2 ;; esac
case "$seed" in ''|*[!0-9]*) echo "usage: $0 [PAIRS] [SEED]" >&2; exit 2 ;; esac

source scripts/test-campaign.sh
status=0
run_campaign "differential campaign" "$pairs pairs, seed $seed" "${scratch}/differential-${seed}.log" \
    'DifferentialTests/randomPairsAgreeWithTheEvaluator' DIFFERENTIAL_PAIRS="$pairs" DIFFERENTIAL_SEED="$seed" || status=$?
exit "$status"
