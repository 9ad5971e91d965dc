#!/usr/bin/env bash
# --templates DIR replaces built-in templates file by file; a broken one is reported with
# its file, line and column, and nothing is written.
source "$(dirname "$0")/lib.sh"

tpl="$work/templates"
mkdir -p "$tpl/openwrt"
sed 's/^name: Build package$/name: Build package (custom)/' templates/openwrt/build-package.yml.mustache \
  >"$tpl/openwrt/build-package.yml.mustache"
run generate --matrix matrices/openwrt.yaml --out "$work/out" --templates "$tpl"
expect_status "override" 0
grep -qx "name: Build package (custom)" "$work/out/.github/workflows/build-package.yml" || fail "override not used"
grep -qx "name: Publish builder images" "$work/out/.github/workflows/publish-builder-image.yml" ||
  fail "other templates must stay built-in"
grep -qx "# To change it, edit the matrix and run: forgeline generate --matrix matrices/openwrt.yaml --out $work/out --templates $tpl" \
  "$work/out/.github/workflows/build-package.yml" || fail "header must say how to regenerate with the override"

# Generated workflows are held to no finding of any severity: a warning alone stops the run.
sed 's/^    timeout-minutes: <%timeout%>$/    timeout-minutes: 400/' templates/openwrt/build-package.yml.mustache \
  >"$tpl/openwrt/build-package.yml.mustache"
run generate --matrix matrices/openwrt.yaml --out "$work/warned" --templates "$tpl"
expect_status "a warning in generated output" 1
grep -q "^$work/warned/.github/workflows/build-package.yml:[0-9]*:22: warning: /jobs/build-package/timeout-minutes: 400 minutes is over the 360-minute job limit of GitHub-hosted runners \[timeout\]$" <<<"$err" ||
  fail "a warning in generated output: $err"
[[ -e "$work/warned" ]] && fail "a warning in generated output: wrote output"

printf 'name: x\non: push\n<%%#jobs%%>\njobs: {}\n' >"$tpl/openwrt/build-package.yml.mustache"
run generate --matrix matrices/openwrt.yaml --out "$work/broken" --templates "$tpl"
expect_status "broken template" 2
expect_eq "broken template: stderr" "$tpl/openwrt/build-package.yml.mustache:3:1: error: template: Unclosed section \"jobs\"" "$err"
[[ -e "$work/broken" ]] && fail "broken template: wrote output"
finish
