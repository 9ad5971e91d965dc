#!/usr/bin/env bash
# The real pre-commit framework with this repository's .pre-commit-hooks.yaml: a commit that
# edits a matrix without regenerating is refused with check's explanation; after
# forgeline generate it goes through.
source "$(dirname "$0")/lib.sh"

command -v pre-commit >/dev/null || { echo "FAIL: pre-commit missing: run scripts/bootstrap" >&2; exit 1; }
rev=$(git -C "$SOURCE_ROOT" rev-parse HEAD 2>/dev/null) || { echo "FAIL: $SOURCE_ROOT is not a git checkout" >&2; exit 1; }
git -C "$SOURCE_ROOT" cat-file -e "$rev:.pre-commit-hooks.yaml" 2>/dev/null ||
  { echo "FAIL: .pre-commit-hooks.yaml is not committed at $rev" >&2; exit 1; }

mkdir -p "$work/bin" "$work/repo/matrices"
ln -s "$FORGELINE" "$work/bin/forgeline"
export PATH="$work/bin:$PATH" PRE_COMMIT_HOME="$work/cache"
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.invalid GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.invalid
cd "$work/repo"
git init -q -b main .
cp "$SOURCE_ROOT/matrices/openwrt.yaml" matrices/
cat >.pre-commit-config.yaml <<YAML
repos:
  - repo: $SOURCE_ROOT
    rev: $rev
    hooks:
      - id: forgeline-check
YAML
forgeline generate >/dev/null || fail "generate"
pre-commit install >/dev/null || fail "pre-commit install"
git add -A
git commit -qm "generated" >"$work/log" 2>&1 || { fail "first commit refused"; cat "$work/log" >&2; }

sed -i 's/^  - {arch: x86_64, sdk: x86-64}/  - {arch: x86_64, sdk: x86-64}\n  - {arch: mipsel_24kc, sdk: ramips-mt7621}/' matrices/openwrt.yaml
git add matrices/openwrt.yaml
if git commit -qm "edit matrix only" >"$work/log" 2>&1; then
  fail "a commit with a stale workflow went through"
fi
grep -q "^.github/workflows/build-package.yml: stale: architecture 'mipsel_24kc' added (matrices/openwrt.yaml:15:5)$" "$work/log" ||
  { fail "refusal does not explain the drift:"; cat "$work/log" >&2; }

forgeline generate >/dev/null || fail "regenerate"
git add -A
git commit -qm "edit matrix and regenerate" >"$work/log" 2>&1 || { fail "commit after generate refused"; cat "$work/log" >&2; }
expect_eq "commits" "2" "$(git rev-list --count HEAD)"
finish
