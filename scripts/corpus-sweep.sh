#!/usr/bin/env bash
# Proves three properties on every AWS managed policy in ../shared/corpus/aws-managed, in a release build,
# and prints how many were decided, how many UNKNOWN, and the median / p99 time per policy:
#   - never iam:PassRole on * (a `never` invariant),
#   - each policy against itself (`diff`, must be equivalent),
#   - no public access of the policy opened to everyone (Principal "*" on every statement; findings
#     enumerated and certified).
# Usage: scripts/corpus-sweep.sh      (the first two take about 2 minutes on 2 cores after the build; the
#                                      third took 987 s in a debug build, most of it in the ~2% of
#                                      policies that reach the 20 s limit)
set -euo pipefail
cd "$(dirname "$0")/.."
POLICYPROVER_FULL_CORPUS=1 swift test -c release --scratch-path .build-release-tests --no-parallel \
  --filter ManagedCorpusProofTests 2>&1 | grep -E "policies,|✔|✘"
