#!/usr/bin/env bash
# The stage chain (matrices/arm64-qt.yaml with the stand-in Dockerfiles and sources of
# examples/arm64-qt, generated at test time) rehearsed on a real dockerd and registry: what a
# first push, a second push, a change to a stage, to a file a stage copies and to the sources,
# and a forced rebuild build, skip and tag; and a split stage's parts.
source "$(dirname "$0")/docker_lib.sh"

engine_start chain
# The stand-in base stage builds on debian:bookworm; any Debian does for what it runs, so the
# trixie image every rehearsal test shares stands in for it.
base_image debian:bookworm

# generated DIR MATRIX: a git work tree holding MATRIX (as matrices/arm64-qt.yaml), the inputs
# of examples/arm64-qt and what forgeline generates from them.
generated() {
  mkdir -p "$1/matrices"
  cp "$2" "$1/matrices/arm64-qt.yaml"
  copy_inputs examples/arm64-qt "$1"
  (cd "$1" && "$FORGELINE" generate --matrix matrices/arm64-qt.yaml >/dev/null) || fail "generate in $1"
  new_repo "$1"
}

# rehearse NAME ARGS...: rehearses $repo as the GitHub repository $github_repo; the JSON report
# is $work/NAME.json.
github_repo=acme/widget
rehearse() {
  local name=$1
  shift
  "$FORGELINE" rehearse --out "$repo" --work-dir "$work/runs" --registry "$REGISTRY" --repository "$github_repo" \
    --format json "$@" >"$work/$name.json" 2>"$work/$name.err"
  status=$?
  report="$work/$name.json"
  explain "$name" "$report"
}

# built JOB: what the job's build step did (success: built; skipped: the image was there).
built() { query "$report" "step(r, '$1', 'Build and push')['result']"; }
retagged() { query "$report" "step(r, '$1', 'Tag the existing image for this branch and commit')['result']"; }
# builds: "base qt app" as built (b) or skipped (-), e.g. "b - b".
builds() {
  local out=() job
  for job in 'base / build' 'qt / build' 'app / build'; do
    case $(built "$job") in success) out+=(b) ;; skipped) out+=(-) ;; *) out+=("?") ;; esac
  done
  echo "${out[*]}"
}
# artifact: the application's artifact of the last rehearsal, one line.
artifact() {
  local dir
  dir=$(query "$report" "step(r, 'app / build', 'Upload build/openterfaceQT')['outputs'].get('artifact-url', '')")
  tr '\n' ' ' <"$dir/openterfaceQT" 2>/dev/null | sed 's/ $//'
}

repo="$work/chain"
generated "$repo" matrices/arm64-qt.yaml

rehearse first-push
expect_eq "first push: exit status" 0 "$status"
check first-builds "first push builds base, qt and app" is "b b b" "$(builds)"
base_digest=$(registry_digest acme/widget/arm64-base:main)
check first-pushed "first push pushes the branch tags" \
  test -n "$base_digest" -a -n "$(registry_digest acme/widget/arm64-qt:6.5.3-main)" -a -n "$(registry_digest acme/widget/arm64-app:6.5.3-main)"
main_cpp="$(tr '\n' ' ' <"$repo/src/main.cpp" | sed 's/ $//')"
check first-artifact "the application's artifact holds what the qt stage and the sources gave it" \
  is "qtmultimedia qtserialport 6.5.3 $main_cpp" "$(artifact)"

git -C "$repo" commit -q --allow-empty -m "nothing changed"
rehearse second-push
expect_eq "second push: exit status" 0 "$status"
check second-skips "second push: no stage is built, each is only tagged" \
  is "- - - success success success" \
  "$(builds) $(retagged 'base / build') $(retagged 'qt / build') $(retagged 'app / build')"
check second-same-base "second push: the base image is the same image" is "$base_digest" "$(registry_digest acme/widget/arm64-base:main)"
check second-sha-tag "second push: the new commit's tag points at the existing base image" \
  is "$base_digest" "$(registry_digest "acme/widget/arm64-base:sha-$(git -C "$repo" rev-parse --short=12 HEAD)")"
check second-artifact "second push: the artifact is copied out of the existing application image" \
  is "qtmultimedia qtserialport 6.5.3 $main_cpp" "$(artifact)"

sed -i 's/RUN echo "qtmultimedia qtserialport ${QT}"/RUN echo "qtmultimedia qtserialport qtwebsockets ${QT}"/' \
  "$repo/docker/Dockerfile.arm64-qt"
commit "$repo" "qt: one more module"
rehearse qt-changed
expect_eq "qt changed: exit status" 0 "$status"
check qt-rebuilds "a qt Dockerfile change rebuilds qt and app, not base" is "- b b" "$(builds)"
check qt-artifact "the application is built on the new qt image" \
  is "qtmultimedia qtserialport qtwebsockets 6.5.3 $main_cpp" "$(artifact)"

echo "-debug" >>"$repo/docker/qt/configure-options.txt"
commit "$repo" "qt: a file its Dockerfile copies"
rehearse copied-changed
expect_eq "copied file changed: exit status" 0 "$status"
check copy-rebuilds "a change to a file the qt Dockerfile COPYs rebuilds qt (and so app), not base" is "- b b" "$(builds)"

echo "// v2" >>"$repo/src/main.cpp"
commit "$repo" "app: a source change"
rehearse source-changed
expect_eq "source changed: exit status" 0 "$status"
check source-rebuilds "a change to the application's sources rebuilds the application only" is "- - b" "$(builds)"
check source-artifact "the artifact has the new sources" \
  is "qtmultimedia qtserialport qtwebsockets 6.5.3 $main_cpp // v2" "$(artifact)"

rehearse forced --event workflow_dispatch --workflow arm64-pipeline.yml --input rebuild_base=true
expect_eq "rebuild_base: exit status" 0 "$status"
check forced-chain "workflow_dispatch with rebuild_base=true rebuilds the whole chain" is "b b b" "$(builds)"

# A qt stage longer than a job, split at two of the Dockerfile's named stages whose estimates
# cover it all; the Dockerfile has a last stage (qt, adding /opt/qt/modules) after them. In a
# repository of its own, so that no image of the chain above is found and every part builds.
repo="$work/split"
github_repo=acme/split
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
      - {target: qt-configure, estimate: 4h}
      - {target: qtbase, estimate: 3h}
  - {name: app, from: qt, dockerfile: docker/Dockerfile.arm64, estimate: 10m, artifact: build/openterfaceQT}
YAML
generated "$repo" "$work/split.yaml"
rehearse split
expect_eq "split: exit status" 0 "$status"
check split-runs "the split stage's parts run in order, each succeeding" \
  is "base / build:success qt / part-1:success qt / part-2:success app / build:success" \
  "$(query "$report" "' '.join(j['id'] + ':' + j['result'] for j in r['jobs'])")"
check split-context "part 2 builds on part 1's image through the named build context" \
  grep -q 'FROM qt-configure.*builds on the named build context' "$report"
final=$("$DOCKER" pull -q "$REGISTRY/acme/split/arm64-qt:6.5.3-main" >/dev/null &&
  "$DOCKER" run --rm --network none "$REGISTRY/acme/split/arm64-qt:6.5.3-main" cat /opt/qt/configured /opt/qt/modules 2>&1)
check split-target "the split stage's final tag is the image built to the Dockerfile's last stage, on part 1's" \
  is "Qt 6.5.3 configured with $(cat "$repo/docker/qt/configure-options.txt") qtmultimedia qtserialport 6.5.3" \
  "$(tr '\n' ' ' <<<"$final" | sed 's/ $//')"
finish
