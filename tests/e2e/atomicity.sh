#!/usr/bin/env bash
# A failed run leaves the output folder exactly as it was: no new files, no temp files,
# no half-replaced set.
source "$(dirname "$0")/lib.sh"

dest="$work/out"
run generate --matrix matrices/openwrt.yaml --out "$dest"
expect_status "first generate" 0
echo "user notes" >"$dest/NOTES.md"
before=$(tree_digest "$dest")

# Bad matrix: nothing touched.
run generate --matrix tests/data/matrices/bad/unknown-key.yaml --out "$dest"
expect_status "bad matrix" 2
expect_eq "bad matrix leaves the folder untouched" "$before" "$(tree_digest "$dest")"

# Two matrices, the second bad: the first one's files are not written either.
run generate --matrix matrices/openwrt.yaml --matrix tests/data/matrices/bad/duplicate-key.yaml --out "$work/fresh"
expect_status "one bad matrix of two" 2
[[ -e "$work/fresh" ]] && fail "one bad matrix of two: wrote $work/fresh"

# A write that fails half-way (the last target is a directory) rolls back the others.
cp matrices/openwrt.yaml "$work/m.yaml"
sed -i 's/^  - {arch: x86_64, sdk: x86-64}/  - {arch: x86_64, sdk: x86-64}\n  - {arch: mipsel_24kc, sdk: ramips-mt7621}/' "$work/m.yaml"
run generate --matrix "$work/m.yaml" --out "$work/half"
expect_status "generate for half-way test" 0
sed -i 's/mipsel_24kc/mips_24kc/; /mips_24kc, sdk: ramips-mt7621/d' "$work/m.yaml"
rm "$work/half/.docker/Dockerfile.dockerignore" && mkdir "$work/half/.docker/Dockerfile.dockerignore"
half_before=$(tree_digest "$work/half"; find "$work/half" | sort)
run generate --matrix "$work/m.yaml" --out "$work/half"
expect_status "write failure" 2
grep -q "^forgeline: error: $work/half/.docker/Dockerfile.dockerignore: cannot replace" <<<"$err" || fail "write failure: message was: $err"
expect_eq "write failure rolls back" "$half_before" "$(tree_digest "$work/half"; find "$work/half" | sort)"
finish
