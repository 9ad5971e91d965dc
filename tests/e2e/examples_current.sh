#!/usr/bin/env bash
# The committed examples/ are exactly what the reference matrices generate.
source "$(dirname "$0")/lib.sh"

n=0
for m in matrices/*.yaml; do
  name=$(basename "$m" .yaml)
  run check --matrix "$m" --out "examples/$name"
  expect_status "examples/$name is current ($out)" 0
  n=$((n + 1))
done
((n >= 1)) || fail "no reference matrices"
finish
