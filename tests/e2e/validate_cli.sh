#!/usr/bin/env bash
# forgeline validate as a linter: severities and exit codes, --strict, --disable/--enable,
# .forgeline.yaml, inline ignores, JSON and GitHub annotations, each with its exact output.
source "$(dirname "$0")/lib.sh"

repo=$work/repo
mkdir -p "$repo/.git" "$repo/.github/workflows"
wf=.github/workflows/ci.yml
cat >"$repo/$wf" <<'EOF'
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    timeout-minutes: 400
    steps:
      - uses: actions/checkout@v5
      - run: echo "${{ github.event.head_commit.message }}"
EOF

# in_repo ARGS...: runs forgeline in the repository folder (where .forgeline.yaml is found).
in_repo() {
  (cd "$repo" && "$FORGELINE" "$@") >"$work/.stdout" 2>"$work/.stderr"
  status=$?
  out=$(cat "$work/.stdout")
  err=$(cat "$work/.stderr")
}

permissions="$wf:1:1: warning: /: no permissions: for the workflow, so every job gets the repository's default token permissions; add one granting the least the jobs need (e.g. permissions: {contents: read}) [permissions]"
timeout_line="$wf:5:22: warning: /jobs/build/timeout-minutes: 400 minutes is over the 360-minute job limit of GitHub-hosted runners [timeout]"
untrusted="$wf:8:24: warning: /jobs/build/steps/1/run: github.event.head_commit.message is expanded into the script, where it can inject commands; pass it through env: and use the variable instead [untrusted-input]"

# Warnings only: printed, exit 0; --strict makes them fail.
in_repo validate "$wf"
expect_status "warnings" 0
expect_eq "warnings: stderr" "$permissions
$timeout_line
$untrusted" "$err"
in_repo validate --strict "$wf"
expect_status "--strict" 1

# --disable (repeated or comma-separated) and --enable.
in_repo validate --disable permissions --disable timeout,untrusted-input --enable action-pin "$wf"
expect_status "--disable/--enable" 0
expect_eq "--disable/--enable: stderr" "$wf:7:15: warning: /jobs/build/steps/0/uses: actions/checkout@v5 is used by tag or branch, which its owner can move; pin it as actions/checkout@<commit SHA> [action-pin]" "$err"
in_repo validate --disable permision "$wf"
expect_status "unknown rule" 2
expect_eq "unknown rule: stderr" "forgeline: error: --disable permision: unknown rule 'permision' (rules: yaml, schema, event-setting, duplicate-key, env-name, needs, reusable-call, step-id, action-ref, outdated-action, retired-action, shell, disabled-command, deprecated-command, matrix-size, matrix-exclude, exclude-matches-nothing, matrix-context, needs-context, steps-context, inputs-context, jobs-context, cron, cron-interval, glob, filters, dispatch-inputs, choice-default, required-default, runner-label, unknown-runner-label, timeout, permissions, untrusted-input, credentials, expression, context-availability, fromjson, expression-type, if-always-true, if-constant, action-pin, unused-ignore)" "$err"

# .forgeline.yaml at the repository root, found from a folder below it; --no-config ignores it.
cat >"$repo/.forgeline.yaml" <<'EOF'
validate:
  disable: [permissions, untrusted-input]
  strict: true
EOF
(cd "$repo/.github" && "$FORGELINE" validate "workflows/ci.yml") >"$work/.stdout" 2>"$work/.stderr"
status=$?
expect_status "config from a subfolder" 1
expect_eq "config: stderr" "workflows/ci.yml:5:22: warning: /jobs/build/timeout-minutes: 400 minutes is over the 360-minute job limit of GitHub-hosted runners [timeout]" "$(cat "$work/.stderr")"
in_repo validate --no-config "$wf"
expect_status "--no-config" 0
expect_eq "--no-config: all three warnings" 3 "$(grep -c ': warning: ' <<<"$err")"
cat >"$work/other.yaml" <<'EOF'
validate:
  disable: [timeout]
  enabel: [action-pin]
EOF
in_repo validate --config "$work/other.yaml" "$wf"
expect_status "config error" 2
expect_eq "config error: stderr" "$work/other.yaml:3:3: error: /validate/enabel: unknown key (did you mean enable?)" "$err"
printf 'validate:\n  disable: [timeouts]\n' >"$work/bad-rule.yaml"
in_repo validate --config "$work/bad-rule.yaml" "$wf"
expect_status "config unknown rule" 2
[[ $err == "$work/bad-rule.yaml:2:13: error: /validate/disable/0: unknown rule 'timeouts' (rules: "* ]] || fail "config unknown rule: $err"
rm "$repo/.forgeline.yaml"

# Inline ignores: on the line, or alone on the line above; one that suppresses nothing is a note.
cat >"$repo/$wf" <<'EOF'
on: push  # forgeline-ignore: permissions
jobs:
  build:
    runs-on: ubuntu-latest
    # forgeline-ignore: timeout
    timeout-minutes: 400
    steps:
      - run: echo hi  # forgeline-ignore: untrusted-input
EOF
in_repo validate "$wf"
expect_status "ignores" 0
expect_eq "ignores: stderr" "$wf:8:23: note: forgeline-ignore: untrusted-input suppresses nothing on line 8 [unused-ignore]" "$err"

# An error fails; JSON carries the rule and severity of every finding.
cat >"$repo/$wf" <<'EOF'
on: push
permissions: {}
jobs:
  build:
    needs: test
    runs-on: ubuntu-latest
    timeout-minutes: 400
    steps:
      - run: make
EOF
in_repo validate --format json "$wf"
expect_status "json" 1
expect_eq "json: stdout" '{
  "clean": false,
  "findings": [
    {
      "column": 12,
      "file": ".github/workflows/ci.yml",
      "line": 5,
      "message": "/jobs/build/needs: job '"'"'test'"'"' does not exist (jobs: build)",
      "rule": "needs",
      "severity": "error"
    },
    {
      "column": 22,
      "file": ".github/workflows/ci.yml",
      "line": 7,
      "message": "/jobs/build/timeout-minutes: 400 minutes is over the 360-minute job limit of GitHub-hosted runners",
      "rule": "timeout",
      "severity": "warning"
    }
  ],
  "passed": false
}' "$out"

# GitHub annotations name the severity as workflow commands do (error, warning, notice).
printf 'on: push  # forgeline-ignore: permissions, shell\npermissions: {}\njobs:\n  build:\n    needs: test\n    runs-on: ubuntu-latest\n    timeout-minutes: 400\n    steps: [{run: make}]\n' >"$repo/$wf"
(cd "$repo" && GITHUB_ACTIONS=true "$FORGELINE" validate "$wf") >"$work/.stdout" 2>/dev/null
expect_eq "annotations" "::notice file=.github/workflows/ci.yml,line=1,col=11::forgeline-ignore: permissions suppresses nothing on line 1 [unused-ignore]
::notice file=.github/workflows/ci.yml,line=1,col=11::forgeline-ignore: shell suppresses nothing on line 1 [unused-ignore]
::error file=.github/workflows/ci.yml,line=5,col=12::/jobs/build/needs: job 'test' does not exist (jobs: build) [needs]
::warning file=.github/workflows/ci.yml,line=7,col=22::/jobs/build/timeout-minutes: 400 minutes is over the 360-minute job limit of GitHub-hosted runners [timeout]" "$(cat "$work/.stdout")"

finish
