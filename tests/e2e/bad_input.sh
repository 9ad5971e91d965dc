#!/usr/bin/env bash
# Every bad matrix under tests/data/matrices/bad/ fails with its exact message (the .stderr
# beside it), exit status 2, and nothing written.
source "$(dirname "$0")/lib.sh"

# A stage chain's Dockerfiles are there, so each matrix fails for its own fault alone: copied
# once, then given to each matrix as a fresh copy.
copy_inputs examples/arm64-qt "$work/inputs"
before=$(tree_digest "$work/inputs")
count=0
for matrix in tests/data/matrices/bad/*.yaml; do
  name=$(basename "$matrix" .yaml)
  expected="tests/data/matrices/bad/$name.stderr"
  [[ -f "$expected" ]] || { fail "$name: no $expected"; continue; }
  cp -a "$work/inputs" "$work/out-$name"
  for command in generate check; do
    run "$command" --matrix "$matrix" --out "$work/out-$name"
    expect_status "$name ($command)" 2
    expect_eq "$name ($command): stderr" "$(cat "$expected")" "$err"
    expect_eq "$name ($command): stdout" "" "$out"
    expect_eq "$name ($command): nothing written" "$before" "$(tree_digest "$work/out-$name")"
  done
  count=$((count + 1))
done
((count >= 12)) || fail "expected at least 12 bad matrices, found $count"

run generate --matrix tests/data/matrices/bad/no-such-file.yaml --out "$work/out"
expect_status "missing matrix" 2
expect_eq "missing matrix: stderr" \
  "tests/data/matrices/bad/no-such-file.yaml: error: cannot read matrix: No such file or directory" "$err"

# Two copies of a matrix write the same files and would share caches: refused before anything
# is written, at the files (the caches of matrices that already clash are not listed again).
mkdir -p "$work/twins/matrices"
cp matrices/rust-builder.yaml "$work/twins/matrices/a.yaml"
cp matrices/rust-builder.yaml "$work/twins/matrices/b.yaml"
(cd "$work/twins" && "$FORGELINE" generate --out out-a >"$work/twins.out" 2>"$work/twins.err")
status=$?
expect_status "shared caches" 2
expect_eq "shared caches: first line" "matrices/b.yaml:5:9: error: out-a/.docker/rust-builder/Dockerfile is also produced by matrices/a.yaml; generate one of them into another --out folder" \
  "$(head -n1 "$work/twins.err")"
expect_eq "shared caches: only the files" "" "$(grep -F "cache scope" "$work/twins.err")"
[[ -e "$work/twins/out-a" ]] && fail "shared caches: wrote output"

run generate --bogus
expect_status "unknown flag" 2
expect_eq "unknown flag: stderr" $'forgeline: error: The following argument was not expected: --bogus\nRun \'forgeline --help\' for usage.' "$err"

run
expect_status "no command" 2
finish
