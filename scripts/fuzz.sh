#!/usr/bin/env bash
# Parser fuzzing with libFuzzer: the whole input pipeline (reading, classification, CloudFormation,
# Terraform and account-export extraction, decoding), validation and one evaluation per policy, on
# arbitrary bytes (Sources/PolicyFuzz/FuzzEntry.swift).
#
#   scripts/fuzz.sh [SECONDS]        default 1800 (30 minutes)
#
# Builds `policyprover-fuzz` with -sanitize=fuzzer,address in its own scratch path (.build-fuzz), seeds
# the corpus from Policies/, the test fixtures and every 7th AWS managed policy (../shared, when
# present), and runs for SECONDS. New coverage is kept in .fuzz/corpus; a crash is written to
# .fuzz/artifacts/ and the run stops with a non-zero status. Turn a crash into a regression test by
# copying the file into Tests/EndToEndTests/Fixtures/fuzz-regressions/ (FuzzReplayTests replays every
# file there through the normally built binary), then fix the code.
set -euo pipefail

cd "$(dirname "$0")/.."
seconds="${1:-1800}"
case "$seconds" in ''|*[!0-9]*) echo "usage: $0 [SECONDS]" >&2; exit 2 ;; esac

scratch="${SCRATCH:-.build-fuzz}"
swift build --product policyprover-fuzz -c release --scratch-path "$scratch" \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING
binary="$scratch/release/policyprover-fuzz"

mkdir -p .fuzz/corpus .fuzz/seeds .fuzz/artifacts
find Policies Tests/EndToEndTests/Fixtures Tests/PolicyAuditTests/Fixtures/inputs -type f \
    \( -name '*.json' -o -name '*.yaml' -o -name '*.yml' -o -name '*.template' \) -size -64k \
    -exec cp {} .fuzz/seeds/ \; 2>/dev/null || true
if [ -d ../shared/corpus/aws-managed ]; then
    ls ../shared/corpus/aws-managed/*.json | awk 'NR % 7 == 0' | xargs -I{} cp {} .fuzz/seeds/
fi

echo "fuzzing for $seconds s with $(ls .fuzz/seeds | wc -l) seeds; crashes go to .fuzz/artifacts/"
"$binary" -max_total_time="$seconds" -max_len=65536 -print_final_stats=1 \
    -artifact_prefix=.fuzz/artifacts/ .fuzz/corpus .fuzz/seeds
