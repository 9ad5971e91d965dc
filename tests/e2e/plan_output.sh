#!/usr/bin/env bash
# forgeline plan prints exactly the golden text, JSON and mermaid under tests/data/plan/ for
# the reference matrices and a chain whose Qt stage is split; README shows the diagrams.
source "$(dirname "$0")/lib.sh"

for m in matrices/arm64-qt.yaml matrices/openwrt-llvm.yaml tests/data/plan/arm64-long-qt.yaml; do
  name=$(basename "$m" .yaml)
  for format in text json mermaid; do
    case $format in text) ext=txt ;; json) ext=json ;; mermaid) ext=mmd ;; esac
    run plan --matrix "$m" --format "$format"
    expect_status "$name ($format)" 0
    expect_eq "$name ($format): stdout" "$(cat "tests/data/plan/$name.$ext")" "$out"
    expect_eq "$name ($format): stderr" "" "$err"
  done
done

# README shows each reference matrix's diagram, and the text example, as forgeline prints them.
for name in arm64-qt openwrt-llvm; do
  python3 - "tests/data/plan/$name.mmd" README.md <<'PY' || fail "README.md: no mermaid block equal to tests/data/plan/$name.mmd"
import sys
diagram = open(sys.argv[1], encoding="utf-8").read()
sys.exit(0 if "```mermaid\n" + diagram + "```" in open(sys.argv[2], encoding="utf-8").read() else 1)
PY
done

python3 - tests/data/plan/openwrt-llvm.txt README.md <<'PY' || fail "README.md: the forgeline plan example differs from tests/data/plan/openwrt-llvm.txt"
import sys
text = open(sys.argv[1], encoding="utf-8").read()
sys.exit(0 if "$ forgeline plan --matrix matrices/openwrt-llvm.yaml\n" + text + "```" in open(sys.argv[2], encoding="utf-8").read() else 1)
PY

# Text is the default; several matrices print one after another.
run plan --matrix matrices/arm64-qt.yaml
expect_eq "default format is text" "$(cat tests/data/plan/arm64-qt.txt)" "$out"
run plan --matrix matrices/arm64-qt.yaml --matrix matrices/openwrt-llvm.yaml --format json
expect_eq "two matrices: one JSON array" 2 "$(python3 -c 'import json,sys; print(len(json.load(sys.stdin)))' <<<"$out")"

# Input errors: the matrix's own diagnostics, exit 2, nothing on stdout.
run plan --matrix tests/data/matrices/bad/stage-over-budget.yaml
expect_status "over budget" 2
expect_eq "over budget: stderr" "$(cat tests/data/matrices/bad/stage-over-budget.stderr)" "$err"
expect_eq "over budget: stdout" "" "$out"
run plan --matrix matrices/arm64-qt.yaml --format yaml
expect_status "unknown format" 2
expect_eq "unknown format: stderr" $'forgeline: error: --format: yaml not in {text,json,mermaid}\nRun \'forgeline --help\' for usage.' "$err"
finish
