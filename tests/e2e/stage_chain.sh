#!/usr/bin/env bash
# A stage chain's helper scripts are written executable, pass shellcheck when it is
# installed, and get their exec bit back from generate when they lose it.
source "$(dirname "$0")/lib.sh"

dest="$work/out"
copy_inputs examples/arm64-qt "$dest"
scripts=("$dest/docker/test-arm64-build.sh" "$dest/scripts/trigger-arm64-build.sh")
run generate --matrix matrices/arm64-qt.yaml --out "$dest"
expect_status "generate" 0
for s in "${scripts[@]}"; do
  [[ -x "$s" ]] || fail "$s is not executable"
  expect_eq "$s: shebang first" "#!/usr/bin/env bash" "$(head -n1 "$s")"
done
if command -v shellcheck >/dev/null; then
  report=$(shellcheck "${scripts[@]}" 2>&1) || fail "shellcheck:"$'\n'"$report"
fi

chmod -x "${scripts[1]}"
run generate --matrix matrices/arm64-qt.yaml --out "$dest"
expect_status "generate after chmod -x" 0
expect_eq "only the script that lost its bit is written" "wrote ${scripts[1]}
7 files: 1 written, 6 unchanged" "$out"
[[ -x "${scripts[1]}" ]] || fail "${scripts[1]} did not get its exec bit back"

run check --matrix matrices/arm64-qt.yaml --out "$dest"
expect_status "check" 0

# The trigger script refuses a value the pipeline does not offer, before calling gh.
status=0
errors=$("${scripts[1]}" --qt 9.9 2>&1) || status=$?
expect_eq "trigger: unknown qt exit status" 2 "$status"
expect_eq "trigger: unknown qt message" "--qt must be one of: 6.5.3 6.8.4" "$errors"
finish
