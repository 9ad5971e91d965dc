#!/usr/bin/env bash
# forgeline rehearse --dry-run: no Docker. A fixture pipeline's whole report (job order,
# if: results, outputs, tags, the commands each step would run), its JSON form, dispatch
# inputs, input errors at file:line:col, and the generated stage chain's first run.
source "$(dirname "$0")/rehearse_lib.sh"

# rehearse DIR ARGS...: a dry rehearsal of the work tree DIR; the work folder reads as WORK.
rehearse() {
  local dir=$1
  shift
  run rehearse --dry-run --out "$dir" --work-dir "$work/runs" --repository Acme/Widget "$@"
  out=${out//$work/WORK}
  err=${err//$work/WORK}
}

cp -r tests/data/rehearse/fixture "$work/fixture"
new_repo "$work/fixture"

rehearse "$work/fixture"
expect_status "fixture" 1
expect_eq "fixture: the report" "$(cat tests/data/rehearse/fixture-dry-run.txt)" "$out"
expect_eq "fixture: nothing on stderr in a dry run" "" "$err"

rehearse "$work/fixture" --format json
"$FORGELINE" rehearse --dry-run --out "$work/fixture" --work-dir "$work/runs" --repository Acme/Widget --format json \
  >"$work/fixture.json"
expect_eq "json: jobs in order with results" \
  "setup success
build (x86_64) success
build (mips_24kc, true) failure
stage / tag success
stage / in-container success
report skipped
after-build skipped
lint skipped
cleanup skipped
notify success" \
  "$(query "$work/fixture.json" '[j["id"] + " " + j["result"] for j in r["jobs"]]')"
expect_eq "json: the called workflow's output reaches the caller's needs" "ghcr.io/acme/widget:main" \
  "$(query "$work/fixture.json" 'job(r, "stage / tag")["outputs"]["tag"]')"
expect_eq "json: would push" "ghcr.io/acme/widget:main" "$(query "$work/fixture.json" '[p["tag"] for p in r["pushed"]]')"

# A dispatch: typed inputs; force=true means the stage does not ask the registry.
rehearse "$work/fixture" --event workflow_dispatch --workflow pipeline.yml --input flavour=fancy --input force=true
expect_status "dispatch" 1
expect_eq "dispatch: the header" "rehearsal (dry run) of workflow_dispatch on main in Acme/Widget at $(git -C "$work/fixture" rev-parse --short=12 HEAD)" \
  "$(head -n1 <<<"$out")"
expect_eq "dispatch: inputs reach the scripts" '    | echo "$GREETING from $GITHUB_JOB on $GITHUB_REF_NAME (fancy)"' \
  "$(grep -m1 'from $GITHUB_JOB' <<<"$out")"
expect_eq "dispatch: forced, the registry is not asked" "" "$(grep 'recorded: docker buildx imagetools inspect' <<<"$out")"

# Bad input: exit 2, the place and the reason, nothing run.
rehearse "$work/fixture" --event workflow_dispatch --input flavour=odd
expect_status "bad choice" 2
expect_eq "bad choice" ".github/workflows/pipeline.yml:11:7: error: --input: input 'flavour' must be one of plain, fancy; got 'odd'" "$err"
rehearse "$work/fixture" --input force=true
expect_status "inputs on push" 2
expect_eq "inputs on push" "forgeline rehearse: error: --input is for --event workflow_dispatch" "$err"
run rehearse --out "$work/fixture" --work-dir "$work/runs"
expect_status "no registry" 2
expect_eq "no registry" "forgeline rehearse: error: --registry HOST:PORT is needed to rehearse with Docker (or pass --dry-run)" "$err"
rehearse "$work/fixture" --image-map nothing
expect_status "bad image map" 2
expect_eq "bad image map" "forgeline rehearse: error: --image-map 'nothing': expected FROM=TO, e.g. openwrt/sdk=127.0.0.1:5000/stand-in/sdk" "$err"
mkdir -p "$work/plain/.github/workflows"
cp tests/data/rehearse/fixture/.github/workflows/*.yml "$work/plain/.github/workflows/"
rehearse "$work/plain"
expect_status "not a work tree" 2
expect_eq "not a work tree" "forgeline rehearse: error: WORK/plain is not a git work tree: rehearse checks out HEAD plus uncommitted changes" "$err"

# An unknown action and a broken expression are found before anything runs.
cp -r "$work/fixture" "$work/broken"
sed -i 's|      - uses: actions/checkout@v7|      - uses: actions/cache@v5|; s|tags: ${{ steps.t.outputs.tag }}|tags: ${{ steps.t.outputs.tag ) }}|' \
  "$work/broken/.github/workflows/stage.yml"
runs_before=$(ls "$work/runs")
rehearse "$work/broken"
expect_status "broken" 2
expect_eq "broken: unknown action and expression, sorted" \
  ".github/workflows/stage.yml:23:15: error: the action actions/cache@v5 has no local equivalent in forgeline rehearse (it knows actions/checkout, docker/login-action, docker/setup-buildx-action, docker/setup-qemu-action, docker/metadata-action, docker/build-push-action, actions/upload-artifact, actions/download-artifact)
.github/workflows/stage.yml:38:41: error: unexpected symbol ')'" "$err"
expect_eq "broken: no run folder was made" "$runs_before" "$(ls "$work/runs")"

# The generated stage chain, as committed (with the stand-in Dockerfiles and sources of
# examples/arm64-qt): its first push builds the three stages in order.
mkdir -p "$work/chain/matrices"
cp matrices/arm64-qt.yaml "$work/chain/matrices/"
copy_inputs examples/arm64-qt "$work/chain"
(cd "$work/chain" && "$FORGELINE" generate --matrix matrices/arm64-qt.yaml >/dev/null) || fail "generate arm64-qt"
new_repo "$work/chain"
rehearse "$work/chain"
expect_status "chain" 0
expect_eq "chain: jobs in order" "job base / build \"base image\": success
job qt / build \"qt image (6.5.3)\": success
job app / build \"app image (6.5.3)\": success" "$(grep '^job ' <<<"$out")"
expect_eq "chain: the registry is asked for the base image only (a rebuilt parent forces the rest)" \
  "inspect ghcr.io/acme/widget/arm64-base:HASH" \
  "$(grep -o 'inspect ghcr.io/[^ ]*' <<<"$out" | sed 's/:[0-9a-f]\{16\}$/:HASH/')"

# --matrix picks the workflows generated from it, named as in their headers or by a path.
rehearse "$work/chain" --matrix "$work/chain/matrices/arm64-qt.yaml"
expect_status "chain by matrix path" 0
rehearse "$work/chain" --matrix matrices/openwrt.yaml
expect_status "no workflow from that matrix" 2
expect_eq "no workflow from that matrix" \
  "forgeline rehearse: error: no workflow in WORK/chain/.github/workflows was generated from matrices/openwrt.yaml" "$err"

# Section 3 of issue 9: a change to the application's sources starts the pipeline; a change
# to a file no stage reads does not.
rehearse "$work/chain" --changed src/main.cpp
expect_eq "chain: a source change starts the pipeline" \
  ".github/workflows/arm64-pipeline.yml: triggered: push to main; src/main.cpp matches paths" \
  "$(grep '^.github/workflows/arm64-pipeline.yml:' <<<"$out")"
rehearse "$work/chain" --changed README.md
expect_eq "chain: a change no stage reads does not" \
  ".github/workflows/arm64-pipeline.yml: not triggered: no changed file matches paths" \
  "$(grep -o '^.github/workflows/arm64-pipeline.yml: not triggered: no changed file matches paths' <<<"$out")"
finish
