#!/usr/bin/env bash
# Mutation fuzzing: valid policies mutated structurally, checked end to end (issue 11, "Robustness").
#
#   scripts/mutation-fuzz.sh [SECONDS] [SEED]
#
# Runs `MutationFuzzTests.mutatedPoliciesHoldTheirProperties` (Tests/PolicyVerifierTests/Fuzz/) for
# SECONDS (default 1800) from SEED (default: the current time, printed so that a run can be replayed).
# Each mutant of a seed policy (Policies/, ../shared/corpus when present) is validated, simulated on
# requests near it and near its seed, and checked: the SMT encoding must agree with the evaluator on
# those requests (`Differential.run`), noNewAccess between seed and mutant (both ways), neverAllows
# (identity-side) or noPublicAccess (resource-side) must not crash, must not report an internal error,
# and must hold up against the evaluator (FAIL counterexamples re-certified, PASS checked on the samples).
# The suite itself runs 16 mutants from a fixed seed; this script is for long campaigns.
#
# Mutant i of a run is drawn from SEED + i: a failure prints MUTATION_SEED=<mutant seed> MUTATION_COUNT=1
# MUTATION_WORKERS=1, which replays it alone. Each mutant's text is written to .fuzz/mutation/current.json
# (current-<worker>.json for the other workers) before it is processed, so a crash leaves the input
# behind; failures are written to .fuzz/mutation/failures/<mutant seed>.json.
#
# Environment (passed through to the test):
#   MUTATION_WORKERS   parallel workers (default: the cores, at most 8)
#   MUTATION_REQUESTS  near requests per mutant (default 10)
#   MUTATION_VERBOSE   set to print every mutant, its timings and the requests outside the request space
#   SCRATCH            SwiftPM scratch path (default .build-diff)
#   CONFIGURATION      debug or release (default release, built with -enable-testing for @testable)
#
# The output goes to the terminal and to $SCRATCH/mutation-fuzz-<seed>.log. Exit status: that of
# `swift test` (non-zero when a property fails or the test process crashes).
set -euo pipefail

cd "$(dirname "$0")/.."

seconds="${1:-1800}"
seed="${2:-$(date +%s)}"
case "$seconds" in ''|*[!0-9]*) echo "usage: $0 [SECONDS] [SEED]" >&2; exit 2 ;; esac
case "$seed" in ''|*[!0-9]*) echo "usage: $0 [SECONDS] [SEED]" >&2; exit 2 ;; esac

source scripts/test-campaign.sh
status=0
run_campaign "mutation fuzzing" "$seconds s, seed $seed" "${scratch}/mutation-fuzz-${seed}.log" \
    'MutationFuzzTests/mutatedPoliciesHoldTheirProperties' MUTATION_SECONDS="$seconds" MUTATION_SEED="$seed" || status=$?
if [ "$status" -ne 0 ]; then
    echo "mutation fuzzing failed: failures in .fuzz/mutation/failures/ (if any); the input of a crash is in .fuzz/mutation/current*.json (with current*.txt)"
fi
exit "$status"
