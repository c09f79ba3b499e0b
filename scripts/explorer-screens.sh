#!/usr/bin/env bash
# Captures the explorer's screens from a real run in tmux (for the README): each key pressed on the
# public bucket policy of Policies/access/, as text. Usage: scripts/explorer-screens.sh [OUT.md]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-/dev/stdout}
bin=$(swift build --show-bin-path)/policyprover
[ -x "$bin" ] || swift build --product policyprover
work=$(mktemp -d)
cp Policies/access/bucket-public-read.json "$work/bucket.json"
socket="$work/tmux.sock"
tmux -D -S "$socket" -f /dev/null </dev/null >/dev/null 2>&1 &
server=$!
trap 'tmux -S "$socket" kill-server 2>/dev/null || true; kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 50); do [ -S "$socket" ] && break; sleep 0.1; done
t() { tmux -S "$socket" "$@"; }
t new-session -d -s s -x 100 -y 30 -c "$work" "env -i PATH=$PATH TERM=xterm-256color NO_COLOR=1 PS1='$ ' bash --norc --noprofile"
sleep 0.5
shot() {  # title, keys...
  local title=$1; shift
  for key in "$@"; do t send-keys -t s "$key"; sleep 1.5; done
  { echo "#### $title"; echo; echo '```text'; t capture-pane -p -t s | sed -e 's/[[:space:]]*$//' | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'; echo '```'; echo; } >> "$out"
}
: > "$out"
launch() {
  t send-keys -t s C-l
  t send-keys -t s "policyprover explore --no-public bucket.json" ""
  t send-keys -t s C-u "PATH=\"$(dirname "$bin"):\$PATH\"; clear; policyprover explore --no-public bucket.json" Enter
  sleep 4
}
launch
shot "The first counterexample (the screen on start)"
shot "n: the next distinct counterexample" n
shot "g: generalize it" g
shot "w: why (the evaluator's trace)" w
shot "f: a fix, applied and re-proved (the next counterexample is shown)" f
shot "f again: the last way in closed, PASS (unsat)" f
shot "?: the keys" "?"
t send-keys -t s Escape; sleep 0.5
shot "s: the edited policy saved" s
shot "q: the shell is back, with a summary" q
launch
shot "x: exclude a value from the question" x
shot "a: the action excluded, the search goes on" a
for _ in $(seq 20); do t capture-pane -p -t s | grep -q " DONE " && break; t send-keys -t s n; sleep 1.2; done
shot "n until the end: no counterexample left outside the exclusion (unsat)"
shot "e: the counterexamples exported" e
t send-keys -t s q; sleep 1
{ echo "#### The export (bucket.counterexamples.json, first lines)"; echo; echo '```json'; head -24 "$work/bucket.counterexamples.json"; echo '  …'; echo '```'; } >> "$out"
