#!/usr/bin/env bash
# check: 0 when current; 1 with an explanation and a diff when a file is stale, missing or
# edited by hand; it never writes. generate refuses to overwrite a hand edit without --force.
source "$(dirname "$0")/lib.sh"

dest="$work/out"
matrix="$work/openwrt.yaml"
cp matrices/openwrt.yaml "$matrix"
run generate --matrix "$matrix" --out "$dest"
expect_status "generate" 0

run check --matrix "$matrix" --out "$dest"
expect_status "current" 0
expect_eq "current: stdout" "5 files current" "$out"

# Stale: the matrix gained an architecture.
before=$(tree_digest "$dest")
sed -i 's/^  - {arch: x86_64, sdk: x86-64}/  - {arch: x86_64, sdk: x86-64}\n  - {arch: mipsel_24kc, sdk: ramips-mt7621}/' "$matrix"
run check --matrix "$matrix" --out "$dest"
expect_status "stale" 1
expect_eq "stale: first line" "$dest/.github/workflows/publish-builder-image.yml: stale: architecture 'mipsel_24kc' added ($matrix:15:5)" "$(head -n1 <<<"$out")"
grep -qx -- "--- a/$dest/.github/workflows/build-package.yml" <<<"$out" || fail "stale: no diff header"
grep -q -- "^+.*mipsel_24kc" <<<"$out" || fail "stale: diff does not show the new architecture"
expect_eq "stale: last line" "5 of 5 generated files need forgeline generate" "$(tail -n1 <<<"$out")"
expect_eq "check writes nothing" "$before" "$(tree_digest "$dest")"
cp matrices/openwrt.yaml "$matrix"

# Missing.
rm "$dest/.docker/Dockerfile.dockerignore"
run check --matrix "$matrix" --out "$dest"
expect_status "missing" 1
expect_eq "missing: first line" "$dest/.docker/Dockerfile.dockerignore: missing: run forgeline generate (from $matrix)" "$(head -n1 <<<"$out")"
expect_eq "missing: diff from nothing" "--- /dev/null" "$(sed -n 2p <<<"$out")"
run generate --matrix "$matrix" --out "$dest"
expect_status "regenerate" 0

# Edited by hand: reported by check, protected from generate.
sed -i 's/cancel-in-progress: false/cancel-in-progress: true/' "$dest/.github/workflows/build-package.yml"
edited=$(tree_digest "$dest")
run check --matrix "$matrix" --out "$dest"
expect_status "edited" 1
expect_eq "edited: first line" "$dest/.github/workflows/build-package.yml: edited by hand: move the change into $matrix or a template, then regenerate" "$(head -n1 <<<"$out")"
grep -q -- "^-  cancel-in-progress: true" <<<"$out" || fail "edited: diff does not show the edit"

sed -i 's/^  - {arch: x86_64, sdk: x86-64}/  - {arch: x86_64, sdk: x86-64}\n  - {arch: mipsel_24kc, sdk: ramips-mt7621}/' "$matrix"
run generate --matrix "$matrix" --out "$dest"
expect_status "generate over a hand edit" 1
expect_eq "generate over a hand edit: stderr" "$dest/.github/workflows/build-package.yml:1:1: error: edited by hand since forgeline wrote it; move the change into the matrix or a template, or pass --force to overwrite it
forgeline: nothing written" "$err"
expect_eq "generate over a hand edit writes nothing" "$edited" "$(tree_digest "$dest")"

run generate --matrix "$matrix" --out "$dest" --force
expect_status "generate --force" 0
run check --matrix "$matrix" --out "$dest"
expect_status "current after --force" 0
finish
