# Shared by the end-to-end tests: run the binary, compare exact output, clean up.
set -uo pipefail
: "${FORGELINE:?set by meson test}" "${SOURCE_ROOT:?set by meson test}"
cd "$SOURCE_ROOT"

failures=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Each script starts with an empty validation cache of its own.
export XDG_CACHE_HOME="$work/.cache"

# run ARGS...: runs forgeline; sets $status, $out (stdout) and $err (stderr).
run() {
  "$FORGELINE" "$@" >"$work/.stdout" 2>"$work/.stderr"
  status=$?
  out=$(cat "$work/.stdout")
  err=$(cat "$work/.stderr")
}

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# expect_eq WHAT EXPECTED ACTUAL
expect_eq() {
  if [[ "$2" != "$3" ]]; then
    fail "$1"
    diff -u <(printf '%s\n' "$2") <(printf '%s\n' "$3") | sed 's/^/    /' >&2
  fi
}

expect_status() { expect_eq "$1: exit status" "$2" "$status"; }

# tree_digest DIR: every file's path and content hash, so a test can tell "untouched".
tree_digest() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 -r sha256sum); }

finish() {
  if ((failures)); then
    echo "$failures check(s) failed" >&2
    exit 1
  fi
  echo "ok"
}
