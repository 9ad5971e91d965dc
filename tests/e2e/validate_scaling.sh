#!/usr/bin/env bash
# Inputs that made `forgeline validate` run away (issues 10 and 12), each with its exact
# output. A generous time limit only catches a hang; how fast they are is measured by
# scripts/bench-validate, not here.
source "$(dirname "$0")/lib.sh"

limit=60

# check NAME FILE EXPECTED_STATUS EXPECTED_STDERR
check() {
  timeout "$limit" "$FORGELINE" validate --no-config "$2" >"$work/.stdout" 2>"$work/.stderr"
  status=$?
  ((status == 124)) && { fail "$1: did not finish within ${limit}s"; return; }
  expect_status "$1" "$3"
  # Compared whole; a difference is shown by its first 300 characters (a cycle names 4,000 jobs).
  local actual
  actual=$(cat "$work/.stderr")
  [[ $actual == "$4" ]] || fail "$1: stderr differs: expected '${4:0:300}…', got '${actual:0:300}…'"
}

head() { printf 'on: push\npermissions: {}\njobs:\n'; }

# 20,000 repository_dispatch types (uniqueItems was quadratic: over 90 s). GitHub does not ask
# them to be unique, so only the schema engine's own test still repeats one.
{
  printf 'on:\n  repository_dispatch:\n    types:\n'
  for ((i = 0; i < 20000; i++)); do printf '      - t%d\n' "$i"; done
  printf 'permissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n'
} >"$work/types.yml"
check "20,000 dispatch types" "$work/types.yml" 0 ""

# 28 matrix keys, each excluded on one value: the count doubled its work per key.
{
  head
  printf '  t:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n'
  for ((i = 0; i < 28; i++)); do printf '        a%d: [0, 1]\n' "$i"; done
  printf '        exclude:\n'
  for ((i = 0; i < 28; i++)); do printf '          - {a%d: 1}\n' "$i"; done
  printf '    steps: [{run: make}]\n'
} >"$work/axes.yml"
check "28 excluded keys" "$work/axes.yml" 0 ""

# 24 keys and one exclude entry over 20 of them: 2^24 - 2^4 jobs, counted exactly.
{
  head
  printf '  t:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n'
  for ((i = 0; i < 24; i++)); do printf '        a%d: [0, 1]\n' "$i"; done
  printf '        exclude:\n          - {'
  for ((i = 0; i < 20; i++)); do printf '%sa%d: 0' "$([[ $i -gt 0 ]] && echo ', ')" "$i"; done
  printf '}\n    steps: [{run: make}]\n'
} >"$work/exclude.yml"
# The keys are listed in the order the document holds them: sorted as bytes.
sizes=$(for ((i = 0; i < 24; i++)); do echo "a$i 2"; done | LC_ALL=C sort | paste -sd'#' | sed 's/#/ × /g')
check "an exclude over 20 keys" "$work/exclude.yml" 1 "$work/exclude.yml:8:9: error: /jobs/t/strategy/matrix: expands to 16777200 jobs ($sizes with include/exclude), over GitHub's limit of 256 per matrix; split the job or shard the matrix [matrix-size]"

# 4,000 jobs chained by needs (a search per job: 10.9 s), then the same chain closed into a cycle.
chain() {
  head
  for ((i = 0; i < 4000; i++)); do
    printf '  j%d:\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n' "$i"
    if ((i > 0)); then printf '    needs: j%d\n' $((i - 1)); elif [[ $1 == closed ]]; then printf '    needs: j3999\n'; fi
  done
}
chain open >"$work/chain.yml"
check "4,000 chained jobs" "$work/chain.yml" 0 ""
chain closed >"$work/cycle.yml"
path="j0"
for ((i = 3999; i >= 0; i--)); do path+=" → j$i"; done
check "4,000 jobs in one cycle" "$work/cycle.yml" 1 "$work/cycle.yml:4:3: error: /jobs/j0: needs cycle: $path [needs]"

finish
