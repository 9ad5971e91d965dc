#!/usr/bin/env bash
# The composite action (action.yml) runs three scripts; each is run here as the runner would,
# with GITHUB_OUTPUT, GITHUB_PATH and GITHUB_ACTIONS set. The build step reuses this build
# directory, so nothing is compiled again.
source "$(dirname "$0")/lib.sh"
: "${BUILD_ROOT:?set by meson test}"

export GITHUB_OUTPUT="$work/github_output" GITHUB_PATH="$work/github_path" RUNNER_TEMP="$work/tmp"
: >"$GITHUB_OUTPUT"
: >"$GITHUB_PATH"

# Every run: step of action.yml calls one of these scripts, and nothing else.
expect_eq "action.yml run: lines" \
  $'run: \'"$GITHUB_ACTION_PATH/scripts/action/key"\'\nrun: \'"$GITHUB_ACTION_PATH/scripts/action/install"\'\nrun: \'"$GITHUB_ACTION_PATH/scripts/action/run"\'' \
  "$(grep -Eo 'run: .*' action.yml)"

scripts/action/key || fail "key step"
grep -qx "build-dir=$work/tmp/forgeline-build" "$GITHUB_OUTPUT" || fail "key: build-dir: $(cat "$GITHUB_OUTPUT")"
grep -Eqx 'source=[0-9a-f]{16}' "$GITHUB_OUTPUT" || fail "key: source: $(cat "$GITHUB_OUTPUT")"
first=$(cat "$GITHUB_OUTPUT")
: >"$GITHUB_OUTPUT"
scripts/action/key
expect_eq "key is stable" "$first" "$(cat "$GITHUB_OUTPUT")"

FORGELINE_BUILD_DIR="$BUILD_ROOT" scripts/action/install >"$work/install.out" 2>&1 ||
  { fail "install step"; cat "$work/install.out" >&2; }
expect_eq "install: PATH entry" "$BUILD_ROOT" "$(cat "$GITHUB_PATH")"
grep -q '^forgeline [0-9.]* (commit ' "$work/install.out" || fail "install: no version line: $(cat "$work/install.out")"

# The run step, in a repository with generated files: current, then edited by hand.
mkdir -p "$work/repo/matrices"
cp matrices/openwrt.yaml "$work/repo/matrices/"
(cd "$work/repo" && "$FORGELINE" generate >/dev/null) || fail "generate"
export PATH="$BUILD_ROOT:$PATH" GITHUB_ACTIONS=true
run_step() { (cd "$work/repo" && FORGELINE_COMMAND=$1 FORGELINE_ARGS=$2 "$SOURCE_ROOT/scripts/action/run") \
  >"$work/run.out" 2>"$work/run.err"; status=$?; }

: >"$GITHUB_OUTPUT"
run_step check ""
expect_status "run check (current)" 0
expect_eq "run check (current): output" "exit-code=0" "$(cat "$GITHUB_OUTPUT")"

echo "# a hand edit" >>"$work/repo/.github/workflows/build-package.yml"
: >"$GITHUB_OUTPUT"
run_step check "--matrix matrices/openwrt.yaml"
expect_status "run check (edited)" 1
expect_eq "run check (edited): output" "exit-code=1" "$(cat "$GITHUB_OUTPUT")"
grep -q '^::error file=.github/workflows/build-package.yml' "$work/run.out" ||
  fail "run check (edited): no annotation: $(cat "$work/run.out")"

# validate expands globs in its arguments; a command substitution stays text.
: >"$GITHUB_OUTPUT"
run_step validate ".github/workflows/publish-*.yml"
expect_status "run validate (glob)" 0
run_step validate '$(touch pwned) .github/workflows/publish-builder-image.yml'
expect_status "run validate (substitution is a file name)" 2
[[ -e "$work/repo/pwned" ]] && fail "run: a command substitution in args ran"

run_step generate ""
expect_status "run: other command" 2
expect_eq "run: other command" "::error::forgeline action: command must be check or validate, not 'generate'" "$(cat "$work/run.out")"
finish
