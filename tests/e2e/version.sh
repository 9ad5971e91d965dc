#!/usr/bin/env bash
# forgeline --version names the version and the commit it was built from.
source "$(dirname "$0")/lib.sh"

version=$(sed -n "s/^  version: '\(.*\)',$/\1/p" meson.build)
commit=$(git -C "$SOURCE_ROOT" describe --always --dirty 2>/dev/null || echo unknown)
run --version
expect_status "--version" 0
expect_eq "--version" "forgeline $version (commit $commit)" "$out"
[[ -n "$version" ]] || fail "no version in meson.build"
finish
