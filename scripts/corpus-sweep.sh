#!/usr/bin/env bash
# Proves two properties on every AWS managed policy in ../shared/corpus/aws-managed, in a release build,
# and prints how many were decided, how many UNKNOWN, and the median / p99 time per policy:
#   - never iam:PassRole on * (a `never` invariant),
#   - each policy against itself (`diff`, must be equivalent).
# Usage: scripts/corpus-sweep.sh      (about 2 minutes on 2 cores after the build)
set -euo pipefail
cd "$(dirname "$0")/.."
POLICYPROVER_FULL_CORPUS=1 swift test -c release --scratch-path .build-release-tests --no-parallel \
  --filter ManagedCorpusProofTests 2>&1 | grep -E "policies,|✔|✘"
