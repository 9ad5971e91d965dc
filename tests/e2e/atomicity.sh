#!/usr/bin/env bash
# A failed run leaves the output folder exactly as it was: no new files, no temp files,
# no half-replaced set. A run killed while writing is finished by the next generate (and
# reported by check); its temporary files are cleaned up, never taken for orphans.
# Concurrent runs on one folder take turns. Read-only folders and full file systems fail
# cleanly.
source "$(dirname "$0")/lib.sh"

dest="$work/out"
run generate --matrix matrices/openwrt.yaml --out "$dest"
expect_status "first generate" 0
echo "user notes" >"$dest/NOTES.md"
before=$(tree_digest "$dest")

# Bad matrix: nothing touched.
run generate --matrix tests/data/matrices/bad/unknown-key.yaml --out "$dest"
expect_status "bad matrix" 2
expect_eq "bad matrix leaves the folder untouched" "$before" "$(tree_digest "$dest")"

# Two matrices, the second bad: the first one's files are not written either.
run generate --matrix matrices/openwrt.yaml --matrix tests/data/matrices/bad/duplicate-key.yaml --out "$work/fresh"
expect_status "one bad matrix of two" 2
[[ -e "$work/fresh" ]] && fail "one bad matrix of two: wrote $work/fresh"

# A write that fails half-way (the last target is a directory) rolls back the others.
cp matrices/openwrt.yaml "$work/m.yaml"
sed -i 's/^  - {arch: x86_64, sdk: x86-64}/  - {arch: x86_64, sdk: x86-64}\n  - {arch: mipsel_24kc, sdk: ramips-mt7621}/' "$work/m.yaml"
run generate --matrix "$work/m.yaml" --out "$work/half"
expect_status "generate for half-way test" 0
sed -i 's/mipsel_24kc/mips_24kc/; /mips_24kc, sdk: ramips-mt7621/d' "$work/m.yaml"
rm "$work/half/.docker/Dockerfile.dockerignore" && mkdir "$work/half/.docker/Dockerfile.dockerignore"
half_before=$(tree_digest "$work/half"; find "$work/half" | sort)
run generate --matrix "$work/m.yaml" --out "$work/half"
expect_status "write failure" 2
grep -q "^forgeline: error: $work/half/.docker/Dockerfile.dockerignore: cannot replace" <<<"$err" || fail "write failure: message was: $err"
expect_eq "write failure rolls back" "$half_before" "$(tree_digest "$work/half"; find "$work/half" | sort)"

add_arch() { sed -i 's/^  - {arch: x86_64, sdk: x86-64}/  - {arch: x86_64, sdk: x86-64}\n  - {arch: mipsel_24kc, sdk: ramips-mt7621}/' "$1"; }
drop_arch() { sed -i '/mipsel_24kc, sdk: ramips-mt7621/d' "$1"; }
# leftovers DIR: forgeline's temporary files and journal under DIR, one a line.
leftovers() { (cd "$1" && find . -name '.*.forgeline-*.tmp*' -o -name '.forgeline-journal' | sort); }

# Killed after two of five renames: a mixed set and the journal. check reports it; the
# next generate finishes the write, and says so.
crash="$work/crash"
cp matrices/openwrt.yaml "$work/c.yaml"
run generate --matrix "$work/c.yaml" --out "$crash"
expect_status "crash: first generate" 0
add_arch "$work/c.yaml"
FORGELINE_TEST_KILL_AT=2 run generate --matrix "$work/c.yaml" --out "$crash"
expect_status "crash: killed while renaming" 137
grep -q mipsel_24kc "$crash/.github/workflows/publish-builder-image.yml" || fail "crash: the first rename did not happen"
grep -q mipsel_24kc "$crash/.docker/Dockerfile" && fail "crash: the third rename happened"
run check --matrix "$work/c.yaml" --out "$crash"
expect_status "crash: check" 1
grep -qx "$crash/.forgeline-journal: interrupted: a forgeline run was killed while making 5 changes here; forgeline generate finishes them" <<<"$out" ||
  fail "crash: check does not report the interrupted write: $out"
run generate --matrix "$work/c.yaml" --out "$crash"
expect_status "crash: generate after" 0
expect_eq "crash: generate finishes the write" "finished the write an interrupted forgeline run began in $crash: 3 put in place, 0 removed
5 files: 0 written, 5 unchanged" "$out"
expect_eq "crash: nothing left over" "" "$(leftovers "$crash")"
run check --matrix "$work/c.yaml" --out "$crash"
expect_status "crash: check after" 0

# Killed before its journal: no target changed, only temporary files and backup links are
# left. check does not count them; generate removes them, saying so, then writes.
drop_arch "$work/c.yaml"
before=$(tree_digest "$crash" | grep -v forgeline-)
FORGELINE_TEST_KILL_AT=temps run generate --matrix "$work/c.yaml" --out "$crash"
expect_status "early crash: killed" 137
expect_eq "early crash: the targets are untouched" "$before" "$(tree_digest "$crash" | grep -v forgeline-)"
expect_eq "early crash: temporary files and backups left" "10" "$(leftovers "$crash" | wc -l)"
run check --matrix "$work/c.yaml" --out "$crash"
expect_status "early crash: check" 1
expect_eq "early crash: check counts the generated files only" "5 of 5 generated files need forgeline generate" "$(tail -n1 <<<"$out")"
grep -q orphan <<<"$out" && fail "early crash: check took a temporary file for an orphan"
run generate --matrix "$work/c.yaml" --out "$crash"
expect_status "early crash: generate after" 0
expect_eq "early crash: leftovers removed and named" "10" "$(grep -c '(left by a forgeline run that was killed)$' <<<"$out")"
expect_eq "early crash: then written" "5 files: 5 written, 0 unchanged" "$(tail -n1 <<<"$out")"
expect_eq "early crash: nothing left over" "" "$(leftovers "$crash")"

# An orphan counts among the generated files check looked at.
cp "$crash/.github/workflows/build-package.yml" "$crash/.github/workflows/old-name.yml"
run check --matrix "$work/c.yaml" --out "$crash"
expect_status "orphan count" 1
expect_eq "orphan count: last line" "1 of 6 generated files need forgeline generate" "$(tail -n1 <<<"$out")"
rm "$crash/.github/workflows/old-name.yml"

# Eight runs at once on one folder, five rounds, the matrix changing between rounds: each
# run succeeds, saying at most that it waited for another.
for round in 1 2 3 4 5; do
  if ((round % 2)); then add_arch "$work/c.yaml"; else drop_arch "$work/c.yaml"; fi
  pids=()
  for i in 1 2 3 4 5 6 7 8; do
    "$FORGELINE" generate --matrix "$work/c.yaml" --out "$crash" >"$work/par-$i.out" 2>"$work/par-$i.err" &
    pids+=($!)
  done
  for i in 1 2 3 4 5 6 7 8; do
    wait "${pids[$((i - 1))]}"
    expect_eq "round $round, run $i: exit status" 0 "$?"
    grep -v "^forgeline: another forgeline run is writing to $crash; waiting for it$" "$work/par-$i.err" &&
      fail "round $round, run $i: unexpected stderr"
  done
  run check --matrix "$work/c.yaml" --out "$crash"
  expect_status "round $round: check" 0
  expect_eq "round $round: nothing left over" "" "$(leftovers "$crash")"
done

# A read-only folder: nothing changes, and the message says why. (root ignores permissions,
# so as root the run drops to nobody.)
ro="$work/ro"
cp matrices/openwrt.yaml "$work/ro.yaml"
run generate --matrix "$work/ro.yaml" --out "$ro"
add_arch "$work/ro.yaml"
chmod -R a-w "$ro"
chmod 755 "$work"
chmod 644 "$work/ro.yaml"
ro_before=$(tree_digest "$ro"; find "$ro" | sort)
as_user=()
(($(id -u) == 0)) && as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
"${as_user[@]}" "$FORGELINE" generate --matrix "$work/ro.yaml" --out "$ro" >"$work/.stdout" 2>"$work/.stderr"
status=$?
expect_status "read-only" 2
expect_eq "read-only: stderr" "forgeline: error: $ro/.github/workflows/publish-builder-image.yml: cannot write: Permission denied" \
  "$(cat "$work/.stderr")"
expect_eq "read-only: untouched" "$ro_before" "$(tree_digest "$ro"; find "$ro" | sort)"
chmod -R u+w "$ro"

# A full file system: a small tmpfs where root may mount one, else a file size limit
# (EFBIG instead of ENOSPC, the same failure path).
full="$work/full"
mkdir "$full"
cp matrices/openwrt.yaml "$work/full.yaml"
if mount -t tmpfs -o size=64k tmpfs "$full" 2>/dev/null; then
  trap 'umount "$full" 2>/dev/null; rm -rf "$work"' EXIT
  run generate --matrix "$work/full.yaml" --out "$full"
  expect_status "full: first generate" 0
  add_arch "$work/full.yaml"
  head -c $((64 * 1024)) /dev/zero >"$full/filler" 2>/dev/null
  full_before=$(tree_digest "$full"; find "$full" | sort)
  run generate --matrix "$work/full.yaml" --out "$full"
  expect_status "full" 2
  expect_eq "full: stderr" "forgeline: error: $full/.github/workflows/publish-builder-image.yml: cannot write: No space left on device" "$err"
  expect_eq "full: untouched" "$full_before" "$(tree_digest "$full"; find "$full" | sort)"
  umount "$full"
else
  run generate --matrix "$work/full.yaml" --out "$full"
  add_arch "$work/full.yaml"
  full_before=$(tree_digest "$full"; find "$full" | sort)
  (trap '' XFSZ; ulimit -f 2; exec "$FORGELINE" generate --matrix "$work/full.yaml" --out "$full") >"$work/.stdout" 2>"$work/.stderr"
  status=$?
  expect_status "file size limit" 2
  expect_eq "file size limit: stderr" "forgeline: error: $full/.github/workflows/publish-builder-image.yml: cannot write: File too large" \
    "$(cat "$work/.stderr")"
  expect_eq "file size limit: untouched" "$full_before" "$(tree_digest "$full"; find "$full" | sort)"
fi
finish
