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

# A stage chain: each stage workflow's header lists only the entries it is made from (its
# stage, axis values, parent, next stage, Dockerfile, settings), so a change names its entry
# in the files it touches and leaves the other stage workflows current.
chain="$work/chain"
chain_matrix="$work/arm64-qt.yaml"
copy_inputs examples/arm64-qt "$chain"
cp matrices/arm64-qt.yaml "$chain_matrix"
run generate --matrix "$chain_matrix" --out "$chain"
expect_status "chain: generate" 0
expect_eq "chain: the base stage's header" "# forgeline-inputs: stage/base@4d56b2d8 stage/qt@a8c4ccc2 settings@aa39a5e1 dockerfile/docker/Dockerfile.arm64-base@e26b29d7" \
  "$(grep '^# forgeline-inputs:' "$chain/.github/workflows/arm64-base-build.yml")"
sed -i 's|dockerfile: docker/Dockerfile.arm64, estimate: 10m|dockerfile: docker/Dockerfile.arm64, estimate: 20m|' "$chain_matrix"
run check --matrix "$chain_matrix" --out "$chain"
expect_status "chain: app changed" 1
expect_eq "chain: app changed: what is stale and why" "$chain/.github/workflows/arm64-qt-build.yml: stale: stage 'app' changed ($chain_matrix:13:5)
$chain/.github/workflows/arm64-linux-build.yml: stale: stage 'app' changed ($chain_matrix:13:5)
$chain/.github/workflows/arm64-pipeline.yml: stale: stage 'app' changed ($chain_matrix:13:5)
$chain/docker/arm64-bake.hcl: stale: stage 'app' changed ($chain_matrix:13:5)
$chain/docker/test-arm64-build.sh: stale: stage 'app' changed ($chain_matrix:13:5)
$chain/scripts/trigger-arm64-build.sh: stale: stage 'app' changed ($chain_matrix:13:5)
6 of 7 generated files need forgeline generate" "$(grep -v '^[-+@ \\]' <<<"$out")"
cp matrices/arm64-qt.yaml "$chain_matrix"
sed -i 's/"6.8.4"/"6.9.0"/' "$chain_matrix"
run check --matrix "$chain_matrix" --out "$chain"
expect_status "chain: a Qt version replaced" 1
expect_eq "chain: a Qt version replaced: the stages built for it" "$chain/.github/workflows/arm64-qt-build.yml: stale: qt '6.9.0' added ($chain_matrix:12:27); qt '6.8.4' removed
$chain/.github/workflows/arm64-linux-build.yml: stale: qt '6.9.0' added ($chain_matrix:12:27); qt '6.8.4' removed" \
  "$(grep 'build.yml: stale' <<<"$out")"
finish
