# Shared by the rehearsal tests: git work trees to rehearse, queries on the JSON report, and
# checks that fail today because of a defect issue 9 §3 lists (expected failures, named).
# shellcheck shell=bash
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Commits are made with fixed names and dates, so their hashes are the same on every run.
export GIT_AUTHOR_NAME=forgeline GIT_AUTHOR_EMAIL=forgeline@example.invalid
export GIT_COMMITTER_NAME=forgeline GIT_COMMITTER_EMAIL=forgeline@example.invalid
export GIT_AUTHOR_DATE="2026-01-01T00:00:00Z" GIT_COMMITTER_DATE="2026-01-01T00:00:00Z"

# new_repo DIR: a git work tree on branch main with everything in DIR committed.
new_repo() {
  git -C "$1" init -q -b main && git -C "$1" add -A && git -C "$1" commit -qm "initial" || fail "git init in $1"
}

# commit DIR MESSAGE: commits every change in DIR.
commit() {
  git -C "$1" add -A && git -C "$1" commit -qm "$2" || fail "git commit in $1"
}

# query REPORT.json EXPRESSION: a Python expression over `r` (the report) printed as text;
# jobs(r) lists the jobs, job(r, id) finds one, step(r, id, name) one of its steps.
query() {
  python3 - "$1" "$2" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
def job(r, ident):
    return next((j for j in r["jobs"] if j["id"] == ident), {"result": "absent", "steps": [], "outputs": {}})
def step(r, ident, name):
    return next((s for s in job(r, ident)["steps"] if s["name"] == name), {"result": "absent", "notes": []})
value = eval(sys.argv[2])
print("\n".join(value) if isinstance(value, list) else value)
PY
}

# explain NAME REPORT.json: each failed job of a rehearsal, why, and the last lines of its
# failed step, on stderr: the log shows that an expected failure fails for the reason it names.
explain() {
  python3 - "$1" "$2" <<'PY' >&2
import json, sys
name, report = sys.argv[1], json.load(open(sys.argv[2]))
for j in report["jobs"]:
    if j["result"] != "failure":
        continue
    print(f"{name}: {j['id']} failed: {j['why']}")
    for s in j["steps"]:
        lines = s["tail"].splitlines()
        # The lines that say what went wrong, else the last ones.
        said = [l for l in lines if "rror" in l or "No rule" in l or "not support" in l][-3:] or lines[-3:]
        for line in said:
            print(f"{name}:     {line}")
PY
}

# Known defects: a check named here fails today for the reason given; it is reported as an
# expected failure. Once a fix makes it pass, the test fails until the line is removed, so
# every fixed defect is noticed.
declare -A known_defects=()
expected_failures=0

# defect ID REASON
defect() { known_defects[$1]=$2; }

# check ID WHAT COMMAND...: COMMAND must succeed.
check() {
  local id=$1 what=$2
  shift 2
  if "$@"; then
    [[ -z "${known_defects[$id]:-}" ]] ||
      fail "$what: passes now; remove the known defect '$id' (${known_defects[$id]}) from $(basename "$0")"
  elif [[ -n "${known_defects[$id]:-}" ]]; then
    echo "expected failure: $what (known defect '$id': ${known_defects[$id]})" >&2
    expected_failures=$((expected_failures + 1))
  else
    fail "$what"
  fi
}

# is EXPECTED ACTUAL: for check; prints both when they differ.
is() {
  [[ "$1" == "$2" ]] && return 0
  echo "    expected: $1" >&2
  echo "    actual:   $2" >&2
  return 1
}
