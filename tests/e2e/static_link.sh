#!/usr/bin/env bash
# Where the build links statically (meson option `static`, auto), forgeline is a static PIE:
# no program interpreter, no shared library to load, and it runs with an empty environment.
# Skipped (77) in builds that link dynamically (sanitizers, fuzzing, -Dstatic=disabled).
source "$(dirname "$0")/lib.sh"
: "${FORGELINE_STATIC:?set by meson test}"
[[ $FORGELINE_STATIC == true ]] || { echo "dynamically linked build: skipped"; exit 77; }

headers=$(readelf --program-headers --wide "$FORGELINE")
grep -q "Requesting program interpreter" <<<"$headers" && fail "forgeline names a program interpreter"
needed=$(readelf --dynamic --wide "$FORGELINE" | grep -o "Shared library: \[[^]]*\]" | tr '\n' ' ')
expect_eq "shared libraries forgeline needs" "" "$needed"
readelf --file-header "$FORGELINE" | grep -q "Type: *DYN" || fail "forgeline is not a PIE"
env -i "$FORGELINE" --version >"$work/version" || fail "forgeline does not run with an empty environment"
grep -q "^forgeline " "$work/version" || fail "unexpected --version output: $(cat "$work/version")"
finish
