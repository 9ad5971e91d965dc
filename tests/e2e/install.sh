#!/usr/bin/env bash
# `meson install` installs a stripped forgeline (no symbol table, no debug sections) that runs.
source "$(dirname "$0")/lib.sh"
: "${BUILD_ROOT:?set by meson test}"

meson install -C "$BUILD_ROOT" --no-rebuild --destdir "$work/dest" >"$work/install.log" 2>&1 ||
  { fail "meson install:"; cat "$work/install.log" >&2; }
installed=$(find "$work/dest" -type f -name forgeline | head -n1)
[[ -n "$installed" ]] || fail "no forgeline installed under $work/dest"
if [[ -n "$installed" ]]; then
  sections=$(readelf -S --wide "$installed" | grep -Eo '\.(symtab|debug_[a-z]+)' | sort -u | tr '\n' ' ')
  expect_eq "symbol and debug sections in the installed binary" "" "$sections"
  "$installed" --version >/dev/null || fail "installed forgeline does not run"
fi
finish
