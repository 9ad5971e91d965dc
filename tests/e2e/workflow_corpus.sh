#!/usr/bin/env bash
# The workflow corpus (tests/data/workflows/): every valid file passes `forgeline validate`
# silently; every invalid one gets exactly the stderr in the .expected beside it (exit 1 when a
# finding is an error, 0 when all are warnings, 1 for those with --strict), and for the kind of
# reason its header states: a `# class: lint` file with a lint's [rule] on every line, a
# `# class: schema` file with [schema] on every line.
source "$(dirname "$0")/lib.sh"

dir=tests/data/workflows
# file:line:col: error|warning: /pointer: message [rule]
located="^[^:]+:[0-9]+:[0-9]+: (error|warning): .* \[[a-z-]+\]$"

# All valid files in one run (each file is checked on its own; one process is faster than 38):
# any finding would name its file.
valid=("$dir"/valid/*.yml)
run validate "${valid[@]}"
expect_status "valid workflows" 0
expect_eq "valid workflows: output" "" "$out$err"
((${#valid[@]} == 38)) || fail "expected 38 valid workflows, found ${#valid[@]}"

invalid=0
for f in "$dir"/invalid/*.yml; do
  reason=$(sed -n 1p "$f")
  if [[ $reason == "# helper:"* ]]; then
    run validate "$f"
    expect_status "$f (helper)" 0
    expect_eq "$f (helper): output" "" "$out$err"
    continue
  fi
  [[ $reason == "# reason: "* ]] || fail "$f: line 1 is neither '# reason:' nor '# helper:'"
  expected="${f%.yml}.expected"
  [[ -f $expected ]] || { fail "$f: no $expected"; continue; }
  run validate "$f"
  if grep -q ': error: ' "$expected"; then expect_status "$f" 1; else expect_status "$f" 0; fi
  expect_eq "$f: stdout" "" "$out"
  expect_eq "$f: stderr" "$(cat "$expected")" "$err"
  run validate --strict "$f"
  expect_status "$f (--strict)" 1
  [[ -n $err ]] || continue
  while IFS= read -r line; do
    [[ $line =~ $located ]] || fail "$f: not file:line:col: severity: ... [rule]: $line"
  done <<<"$err"
  class=$(sed -n 2p "$f")
  case $class in
    "# class: lint")
      if [[ $reason == *"(YAML duplicate key)"* ]]; then
        # Read with last-key-wins this file is clean; the YAML reader reports the duplicate itself.
        grep -q "error: duplicate key '.*\[yaml\]$" <<<"$err" || fail "$f: no duplicate key error"
      elif grep -qE ' \[(schema|yaml)\]$' <<<"$err"; then
        fail "$f: class lint, but a finding is the schema's"
      fi
      ;;
    "# class: schema")
      grep -qvE ' \[schema\]$' <<<"$err" && fail "$f: class schema, but a finding is not the schema's"
      ;;
    *) fail "$f: line 2 is neither '# class: schema' nor '# class: lint'" ;;
  esac
  invalid=$((invalid + 1))
done
((invalid == 39)) || fail "expected 39 invalid workflows (and a helper), found $invalid"

for expected in "$dir"/invalid/*.expected; do
  [[ -f ${expected%.expected}.yml ]] || fail "$expected: no workflow beside it"
done

# Several files: findings of all of them, sorted by file and line; exit 1, as one is an error.
run validate "$dir/invalid/29-timeout-over-hosted-limit.yml" "$dir/valid/01-node-ci-matrix.yml" \
  "$dir/invalid/22-needs-unknown-job.yml"
expect_status "several files" 1
expect_eq "several files: stderr" "$(cat "$dir/invalid/22-needs-unknown-job.expected" \
  "$dir/invalid/29-timeout-over-hosted-limit.expected")" "$err"

# An unreadable file is an input error (2), and the others are still checked.
run validate "$dir/invalid/no-such-file.yml" "$dir/invalid/22-needs-unknown-job.yml"
expect_status "missing file" 2
expect_eq "missing file: stderr" "$(cat "$dir/invalid/22-needs-unknown-job.expected")
$dir/invalid/no-such-file.yml: error: cannot read workflow: No such file or directory" "$err"

run validate
expect_status "no files" 2
# Machine-readable output and GitHub annotations.
run validate --format json "$dir/invalid/22-needs-unknown-job.yml" "$dir/valid/01-node-ci-matrix.yml"
expect_status "json" 1
expect_eq "json: one finding, as in the text form" "false 1 $(cat "$dir/invalid/22-needs-unknown-job.expected")" \
  "$(python3 -c 'import json,sys; d=json.load(sys.stdin); f=d["findings"][0]
print(str(d["clean"]).lower(), len(d["findings"]), "%s:%d:%d: %s: %s [%s]" % (f["file"], f["line"], f["column"], f["severity"], f["message"], f["rule"]))' <<<"$out")"
run validate --format json "$dir/valid/01-node-ci-matrix.yml"
expect_eq "json: clean" '{
  "clean": true,
  "findings": [],
  "passed": true
}' "$out"
GITHUB_ACTIONS=true run validate "$dir/invalid/22-needs-unknown-job.yml"
line=$(cut -d: -f2 "$dir/invalid/22-needs-unknown-job.expected")
grep -q "^::error file=$dir/invalid/22-needs-unknown-job.yml,line=$line,col=" <<<"$out" || fail "no annotation: $out"
finish
