#!/usr/bin/env bash
# PolicyProver side by side with parliament and cloudsplaining, in one run, on the same corpus (the
# 1,390 AWS managed policies in ../../shared/corpus/aws-managed by default), plus the parse floors.
#
#   Benchmarks/compare-peers.sh [RUNS]        RUNS per command (default 3); hyperfine from apt
#
# Installs parliament 1.6.4 and cloudsplaining 0.9.1 from PyPI into Benchmarks/.venv (once), builds
# `policyprover` in release, and times with hyperfine:
#   - python3 json.load of every file (the floor of any Python tool),
#   - `ScalingStudy parse-floor`: PolicyProver's own reading and decoding of every file, nothing else,
#   - `policyprover audit --no-cache --jobs 2` (validation, no public access, admin-equivalence and
#     privilege escalation, every answer proved or certified),
#   - `parliament --directory` (lints; proves nothing),
#   - `cloudsplaining scan` of one authorization-details export holding every policy as a customer
#     managed policy (cloudsplaining reads policies from such an export; pattern checks, no proofs).
# It prints the mean times and each one's ratio to the audit and to the floors.
set -euo pipefail
cd "$(dirname "$0")"
runs="${1:-3}"
corpus="${POLICYPROVER_CORPUS:-$(cd ../.. && pwd)/shared/corpus/aws-managed}"
[ -d "$corpus" ] || { echo "no corpus at $corpus (set POLICYPROVER_CORPUS)" >&2; exit 2; }
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install -y hyperfine)" >&2; exit 2; }

if [ ! -x .venv/bin/cloudsplaining ] || [ ! -x .venv/bin/parliament ]; then
    python3 -m venv .venv
    .venv/bin/pip install -q parliament==1.6.4 cloudsplaining==0.9.1
fi
(cd .. && swift build -c release --product policyprover >/dev/null)
swift build -c release --product ScalingStudy >/dev/null
policyprover="$(cd .. && swift build -c release --show-bin-path)/policyprover"
study="$(swift build -c release --show-bin-path)/ScalingStudy"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 - "$corpus" "$work/export.json" <<'PY'
import glob, json, os, sys
corpus, out = sys.argv[1], sys.argv[2]
policies = []
for index, path in enumerate(sorted(glob.glob(os.path.join(corpus, "*.json")))):
    name = os.path.basename(path)[:-5]
    with open(path) as handle:
        document = json.load(handle)
    policies.append({
        "PolicyName": name, "PolicyId": "ANPA%016d" % index, "Arn": "arn:aws:iam::111122223333:policy/" + name,
        "Path": "/", "DefaultVersionId": "v1", "AttachmentCount": 1, "PermissionsBoundaryUsageCount": 0,
        "IsAttachable": True, "CreateDate": "2024-01-01T00:00:00Z", "UpdateDate": "2024-01-01T00:00:00Z",
        "PolicyVersionList": [{"Document": document, "VersionId": "v1", "IsDefaultVersion": True, "CreateDate": "2024-01-01T00:00:00Z"}],
    })
with open(out, "w") as handle:
    json.dump({"UserDetailList": [], "GroupDetailList": [], "RoleDetailList": [], "Policies": policies}, handle)
PY
mkdir -p "$work/cloudsplaining"
files=$(ls "$corpus"/*.json | wc -l)
echo "corpus: $files files in $corpus; $(nproc) cores; $runs runs each"

hyperfine --runs "$runs" --warmup 1 --ignore-failure --export-json "$work/times.json" \
    -n "python json.load (floor)" "python3 -c 'import glob,json,sys; [json.load(open(p)) for p in glob.glob(sys.argv[1]+\"/*.json\")]' '$corpus'" \
    -n "policyprover parse (floor)" "'$study' parse-floor '$corpus'" \
    -n "policyprover audit --jobs 2" "'$policyprover' audit --no-cache --jobs 2 --format json --output /dev/null '$corpus'" \
    -n "parliament" "'$PWD/.venv/bin/parliament' --directory '$corpus' > /dev/null" \
    -n "cloudsplaining scan" "'$PWD/.venv/bin/cloudsplaining' scan --input-file '$work/export.json' --output '$work/cloudsplaining' --skip-open-report > /dev/null"

# Peak memory, one run each (hyperfine 1.15 does not record it).
peak() { /usr/bin/time -f %M "$@" >/dev/null 2>"$work/rss" || true; tail -1 "$work/rss"; }
{
    echo "policyprover audit --jobs 2	$(peak "$policyprover" audit --no-cache --jobs 2 --format json --output /dev/null "$corpus")"
    echo "parliament	$(peak .venv/bin/parliament --directory "$corpus")"
    echo "cloudsplaining scan	$(peak .venv/bin/cloudsplaining scan --input-file "$work/export.json" --output "$work/cloudsplaining" --skip-open-report)"
} > "$work/peaks.tsv"

python3 - "$work/times.json" "$work/peaks.tsv" <<'PY'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
peaks = dict(line.rstrip("\n").split("\t") for line in open(sys.argv[2]) if "\t" in line)
audit = results["policyprover audit --jobs 2"]["mean"]
python_floor = results["python json.load (floor)"]["mean"]
own_floor = results["policyprover parse (floor)"]["mean"]
print()
print(f"{'command':32} {'mean s':>8} {'± s':>6} {'max RSS MB':>10} {'÷ audit':>8} {'÷ python floor':>15} {'÷ own floor':>12}")
for name, r in results.items():
    rss = f"{int(peaks[name]) / 1024:.0f}" if peaks.get(name, "").isdigit() else "-"
    print(f"{name:32} {r['mean']:8.3f} {r['stddev'] or 0:6.3f} {rss:>10} {r['mean'] / audit:8.2f} {r['mean'] / python_floor:15.1f} {r['mean'] / own_floor:12.1f}")
PY
