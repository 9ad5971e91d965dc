#!/usr/bin/env bash
# Same inputs, same bytes: two runs in two directories, the second with another locale,
# time zone and umask, produce identical trees (and match the committed examples).
source "$(dirname "$0")/lib.sh"

for side in a b; do
  mkdir -p "$work/$side/matrices"
  cp matrices/*.yaml "$work/$side/matrices/"
  for m in matrices/*.yaml; do copy_inputs "examples/$(basename "$m" .yaml)" "$work/$side/examples/$(basename "$m" .yaml)"; done
done
for m in matrices/*.yaml; do
  name=$(basename "$m" .yaml)
  (cd "$work/a" && "$FORGELINE" generate --matrix "$m" --out "examples/$name" >/dev/null) || fail "$name: first run"
  (cd "$work/b" && umask 077 && LC_ALL=C TZ=Pacific/Apia "$FORGELINE" generate --matrix "$m" --out "examples/$name" >/dev/null) ||
    fail "$name: second run"
done
first=$(cd "$work/a" && tree_digest examples)
[[ -n "$first" ]] || fail "nothing generated"
expect_eq "two runs, same bytes" "$first" "$(cd "$work/b" && tree_digest examples)"
finish
