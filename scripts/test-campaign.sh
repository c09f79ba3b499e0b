# Shared by scripts/differential.sh and scripts/mutation-fuzz.sh (sourced, not run): builds the tests
# once in $SCRATCH with $CONFIGURATION and runs one test filter for a long campaign, with its log.
#
#   run_campaign LABEL WHAT LOG FILTER [VAR=value ...]
#
# LABEL names the campaign in the messages, WHAT says what it runs ("20000 pairs", "1800 s"), the
# VAR=value pairs are passed to the test. Returns the exit status of `swift test`.
scratch="${SCRATCH:-.build-diff}"
configuration="${CONFIGURATION:-release}"

run_campaign() {
    local label=$1 what=$2 log=$3 filter=$4
    shift 4
    echo "$label: $what, $configuration build, log $log"
    local args=(--scratch-path "$scratch" -c "$configuration")
    if [ "$configuration" = release ]; then
        # @testable import needs testability in a release build.
        args+=(-Xswiftc -enable-testing)
    fi
    swift build "${args[@]}" --build-tests
    mkdir -p "$scratch"
    local start status
    start=$(date +%s)
    set +e
    env "$@" swift test "${args[@]}" --skip-build --filter "$filter" 2>&1 | tee "$log"
    status=${PIPESTATUS[0]}
    set -e
    echo "$label: $what: exit $status after $(( $(date +%s) - start )) s (log $log)"
    return "$status"
}
