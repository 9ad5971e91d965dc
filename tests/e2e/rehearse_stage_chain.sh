#!/usr/bin/env bash
# The stage chain (matrices/arm64-qt.yaml, generated as committed) rehearsed on a real dockerd
# and registry with small stand-in Dockerfiles: what a first push, a second push, a change to
# a stage and a forced rebuild build, skip and tag; and a split stage's parts.
source "$(dirname "$0")/docker_lib.sh"

engine_start chain
base_image

defect chain-app-rebuilt "the application stage is built on every run: it has no input hash to skip on"
defect chain-copy-hash "a stage's input hash covers its Dockerfile only, not the files the Dockerfile COPYs"
defect chain-split-target "the last part of a split stage builds --target <last split point>, not the Dockerfile's end"

# stand_ins DIR: the three stage Dockerfiles; qt COPYs a file, the application its source.
stand_ins() {
  mkdir -p "$1/docker" "$1/src"
  printf 'FROM debian:trixie\nRUN echo base > /base.txt\n' >"$1/docker/Dockerfile.arm64-base"
  printf 'ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\nARG QT\nCOPY docker/qt-config.txt /qt-config.txt\nRUN echo "qt $QT" > /qt.txt\n' \
    >"$1/docker/Dockerfile.arm64-qt"
  echo "-release" >"$1/docker/qt-config.txt"
  printf 'ARG QT_IMAGE\nFROM ${QT_IMAGE}\nCOPY src/ /src/\nRUN mkdir -p /build && cat /base.txt /qt.txt /qt-config.txt /src/main.txt > /build/openterfaceQT\n' \
    >"$1/docker/Dockerfile.arm64"
  echo "main v1" >"$1/src/main.txt"
}

# generated DIR MATRIX: DIR holds MATRIX (as matrices/arm64-qt.yaml) and what forgeline generates from it.
generated() {
  mkdir -p "$1/matrices"
  cp "$2" "$1/matrices/arm64-qt.yaml"
  (cd "$1" && "$FORGELINE" generate --matrix matrices/arm64-qt.yaml >/dev/null) || fail "generate in $1"
}

# rehearse NAME ARGS...: rehearses $repo; the JSON report is $work/NAME.json.
rehearse() {
  local name=$1
  shift
  "$FORGELINE" rehearse --out "$repo" --work-dir "$work/runs" --registry "$REGISTRY" --repository acme/widget \
    --format json "$@" >"$work/$name.json" 2>"$work/$name.err"
  status=$?
  report="$work/$name.json"
  explain "$name" "$report"
}

# built JOB: what the job's build step did (success: built; skipped: the image was there).
built() { query "$report" "step(r, '$1', 'Build and push')['result']"; }
retagged() { query "$report" "step(r, '$1', 'Tag the existing image for this branch and commit')['result']"; }

repo="$work/chain"
generated "$repo" matrices/arm64-qt.yaml
stand_ins "$repo"
new_repo "$repo"

rehearse first-push
expect_eq "first push: exit status" 0 "$status"
check first-builds "first push builds base, qt and app" \
  is "success success success" "$(built 'base / build') $(built 'qt / build') $(built 'app / build')"
base_digest=$(registry_digest acme/widget/arm64-base:main)
check first-pushed "first push pushes the branch tags" test -n "$base_digest" -a -n "$(registry_digest acme/widget/arm64-qt:6.5.3-main)"
artifact=$(query "$report" "step(r, 'app / build', 'Upload build/openterfaceQT')['outputs'].get('artifact-url', '')")
check first-artifact "the application's artifact holds what every stage added" \
  is "base qt 6.5.3 -release main v1" "$(tr '\n' ' ' <"$artifact/openterfaceQT" | sed 's/ $//')"

git -C "$repo" commit -q --allow-empty -m "nothing changed"
rehearse second-push
expect_eq "second push: exit status" 0 "$status"
check second-skips "second push: base and qt are not built, only tagged" \
  is "skipped success skipped success" \
  "$(built 'base / build') $(retagged 'base / build') $(built 'qt / build') $(retagged 'qt / build')"
check chain-app-rebuilt "second push: app is not built either" is "skipped" "$(built 'app / build')"
check second-same-base "second push: the base image is the same image" is "$base_digest" "$(registry_digest acme/widget/arm64-base:main)"
check second-sha-tag "second push: the new commit's tag points at the existing base image" \
  is "$base_digest" "$(registry_digest "acme/widget/arm64-base:sha-$(git -C "$repo" rev-parse --short=12 HEAD)")"

sed -i 's/RUN echo "qt $QT"/RUN echo "qt $QT (patched)"/' "$repo/docker/Dockerfile.arm64-qt"
commit "$repo" "qt: patched"
rehearse qt-changed
expect_eq "qt changed: exit status" 0 "$status"
check qt-rebuilds "a qt Dockerfile change rebuilds qt and app, not base" \
  is "skipped success success" "$(built 'base / build') $(built 'qt / build') $(built 'app / build')"

echo "-debug" >"$repo/docker/qt-config.txt"
commit "$repo" "qt: a file its Dockerfile copies"
rehearse copied-changed
expect_eq "copied file changed: exit status" 0 "$status"
check chain-copy-hash "a change to a file the qt Dockerfile COPYs rebuilds qt" is "success" "$(built 'qt / build')"

rehearse forced --event workflow_dispatch --workflow arm64-pipeline.yml --input rebuild_base=true
expect_eq "rebuild_base: exit status" 0 "$status"
check forced-chain "workflow_dispatch with rebuild_base=true rebuilds the whole chain" \
  is "success success success" "$(built 'base / build') $(built 'qt / build') $(built 'app / build')"

# A qt stage longer than a job, split at two Dockerfile stages whose estimates cover it all;
# the Dockerfile has a last stage after the last split point.
repo="$work/split"
cat >"$work/split.yaml" <<'YAML'
forgeline: 1
family: stage-chain
name: arm64
platform: linux/arm64
runner: ubuntu-24.04-arm
stages:
  - {name: base, dockerfile: docker/Dockerfile.arm64-base, estimate: 30m}
  - name: qt
    from: base
    dockerfile: docker/Dockerfile.arm64-qt
    axes: {qt: ["6.5.3", "6.8.4"]}
    estimate: 7h
    split:
      - {target: qtbase, estimate: 4h}
      - {target: qtdeclarative, estimate: 3h}
  - {name: app, from: qt, dockerfile: docker/Dockerfile.arm64, estimate: 10m, artifact: build/openterfaceQT}
YAML
generated "$repo" "$work/split.yaml"
stand_ins "$repo"
printf '%s\n' 'ARG BASE_IMAGE' 'FROM ${BASE_IMAGE} AS qtbase' 'ARG QT' 'RUN echo "qtbase $QT" > /qt.txt' \
  'FROM qtbase AS qtdeclarative' 'RUN echo qtdeclarative > /qt-config.txt' 'FROM qtdeclarative' 'RUN echo final > /qt-final.txt' \
  >"$repo/docker/Dockerfile.arm64-qt"
new_repo "$repo"
rehearse split
check split-runs "the split stage's parts run in order, each succeeding" \
  is "base / build:success qt / part-1:success qt / part-2:success app / build:success" \
  "$(query "$report" "' '.join(j['id'] + ':' + j['result'] for j in r['jobs'])")"
check split-context "part 2 builds on part 1's image through the named build context" \
  grep -q 'FROM qtbase.*builds on the named build context' "$report"
final=$("$DOCKER" run --rm --network none "$REGISTRY/acme/widget/arm64-qt:6.5.3-main" cat /qt-final.txt 2>&1)
check chain-split-target "the split stage's final tag is the image built to the Dockerfile's end" is "final" "$final"
finish
