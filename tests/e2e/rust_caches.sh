#!/usr/bin/env bash
# The Rust builder's generated shell, run as GitHub would run it against fakes:
# - cleanup-cache.yml's gha step deletes stale and superseded indexes of its image, and a
#   layer blob only when no index left could name it (BuildKit's exporter never touches a
#   blob it finds, so "unused for a week" says nothing about a blob); a listing shorter
#   than the repository's cache count deletes nothing; the registry cleanup names the
#   package setting it needs when GitHub refuses a deletion;
# - rust-ci.yml seeds the cargo and sccache volumes from what the image pre-warmed, once
#   per image, keeping what a volume holds.
source "$(dirname "$0")/lib.sh"

repo="$work/repo"
run generate --matrix matrices/rust-builder.yaml --out "$repo"
expect_status "generate" 0

# step_script WORKFLOW JOB STEP-NAME-PREFIX: the run: text of that step.
step_script() {
  python3 - "$repo/.github/workflows/$1" "$2" "$3" <<'PY'
import sys, yaml
doc = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
for step in doc["jobs"][sys.argv[2]]["steps"]:
    if step.get("name", "").startswith(sys.argv[3]):
        print(step["run"])
        sys.exit(0)
sys.exit("no such step")
PY
}

# A fake gh: the repository's default branch and cache count, `cache list` as gh prints it
# with --jq (real jq over the fixture), and deletions recorded.
mkdir -p "$work/bin"
cat >"$work/bin/gh" <<'EOF'
#!/usr/bin/env bash
set -euo pipefail
case "$1 $2" in
  "api repos/acme/app") echo main ;;
  "api repos/acme/app/actions/caches?per_page=1") cat "$FAKE/total" ;;
  "cache list")
    while (($#)) && [[ $1 != --jq ]]; do shift; done
    jq -r "$2" "$FAKE/caches.json" ;;
  "cache delete") echo "$3" >>"$FAKE/deleted" ;;
  *) echo "fake gh: $*" >&2; exit 2 ;;
esac
EOF
chmod +x "$work/bin/gh"

# entry ID KEY REF CREATED LAST-USED: one element of `gh cache list --json …`.
entry() { printf '{"id":%s,"key":"%s","ref":"%s","createdAt":"%s","lastAccessedAt":"%s","sizeInBytes":1048576}' "$@"; }
old=2026-01-01T00:00:00Z    # before the cutoff
new=2026-02-20T00:00:00Z    # after it
newer=2026-02-21T00:00:00Z
main=index-rust-builder-1-0a1b2c3d
{
  echo "["
  # main: its live index (#4) and the one it superseded (#3); an old blob the live index
  # may well name, never touched since the exporter found it; a fresh blob.
  entry 1 "$main#3" refs/heads/main $old $new; echo ","
  entry 2 "$main#4" refs/heads/main $new $newer; echo ","
  entry 3 buildkit-blob-1-sha256:aaaa refs/heads/main $old $old; echo ","
  entry 4 buildkit-blob-1-sha256:ffff refs/heads/main $new $new; echo ","
  # a pull request nobody built for weeks: its index and blob go.
  entry 5 "index-rust-builder-pr-7-1-11111111#1" refs/pull/7/merge $old $old; echo ","
  entry 6 buildkit-blob-1-sha256:bbbb refs/pull/7/merge $old $old; echo ","
  # a branch whose index went stale: the index goes, but its blob stays, since another
  # image's index on another branch is still in use and a pull request could read it.
  entry 7 "index-rust-builder-feature-1-22222222#2" refs/heads/feature $old $old; echo ","
  entry 8 buildkit-blob-1-sha256:cccc refs/heads/feature $old $old; echo ","
  entry 9 "index-other-image-1-33333333#1" refs/heads/other $new $new; echo ","
  # another image's stale index is not this cleanup's to delete; other caches neither.
  entry 10 "index-other-image-1-44444444#1" refs/heads/main $old $old; echo ","
  entry 11 cargo-registry-0123 refs/heads/main $old $old
  echo "]"
} >"$work/caches.json"

# cleanup: runs the gha step; sets $status, $deleted (the ids it deleted, in order) and
# $log (what the step printed).
cleanup() {
  : >"$work/deleted"
  (cd "$work" && PATH="$work/bin:$PATH" FAKE="$work" GH_REPO=acme/app BEFORE=2026-02-01T00:00:00Z DAYS=7 \
    PREFIX=index-rust-builder GITHUB_STEP_SUMMARY="$work/summary" bash -e <(step_script cleanup-cache.yml gha-cache Delete)) \
    >"$work/log" 2>&1
  status=$?
  deleted=$(tr '\n' ' ' <"$work/deleted")
  log=$(cat "$work/log")
}

echo 11 >"$work/total"
cleanup
expect_eq "cleanup exit status" 0 "$status"
expect_eq "deleted: stale and superseded indexes of this image, then blobs no index can name" "1 5 7 6 " "$deleted"
expect_eq "cleanup log" "deleted index-rust-builder-1-0a1b2c3d#3
deleted index-rust-builder-pr-7-1-11111111#1
deleted index-rust-builder-feature-1-22222222#2
deleted buildkit-blob-1-sha256:bbbb" "$log"
expect_eq "summary" "### GitHub Actions cache
Deleted 4 buildx entries (4 MiB): indexes unused since 2026-02-01T00:00:00Z (7 days) or superseded, and blobs no remaining index can name." \
  "$(cat "$work/summary")"

# Without the other branch's live index, the feature branch's blob can go as well.
python3 - "$work/caches.json" <<'PY'
import json, sys
entries = [e for e in json.load(open(sys.argv[1])) if e["id"] != 9]
json.dump(entries, open(sys.argv[1], "w"))
PY
echo 10 >"$work/total"
cleanup
expect_eq "no index left outside main: the branch's blob goes" "1 5 7 6 8 " "$deleted"

echo 12 >"$work/total"
cleanup
expect_eq "a listing shorter than the count: exit status" 1 "$status"
expect_eq "a listing shorter than the count deletes nothing" "" "$deleted"
expect_eq "a listing shorter than the count: the reason" \
  "::error::10 of 12 cache entries listed; an index missing from the list could name a blob, so nothing is deleted" "$log"

# The registry cache: without admin on the package, GitHub answers 403 and the step says
# which setting gives it.
cat >"$work/bin/gh" <<'EOF'
#!/usr/bin/env bash
case "$*" in
  "api users/acme --jq .type") echo Organization ;;
  "api --paginate orgs/acme/packages/container/app%2Frust-builder-cache/versions"*) echo 41 ;;
  "api --method DELETE orgs/acme/packages/container/app%2Frust-builder-cache/versions/41 --silent")
    echo "gh: Must have admin rights to Repository. (HTTP 403)" >&2; exit 1 ;;
  *) echo "fake gh: $*" >&2; exit 2 ;;
esac
EOF
(cd "$work" && PATH="$work/bin:$PATH" CACHE_IMAGE=ghcr.io/acme/app/rust-builder-cache BEFORE=2026-02-01T00:00:00Z DAYS=7 \
  RUNNER_TEMP="$work" GITHUB_STEP_SUMMARY="$work/summary" bash -e <(step_script cleanup-cache.yml registry-cache Delete)) \
  >"$work/log" 2>&1
expect_eq "registry cache without admin: exit status" 1 "$?"
expect_eq "registry cache without admin: the setting to change" "::error::ghcr.io/acme/app/rust-builder-cache: give this repository the Admin role under Manage Actions access in the package's settings, then run again
gh: Must have admin rights to Repository. (HTTP 403)" "$(cat "$work/log")"

# rust-ci.yml: the seed step, its image paths moved under a fake image root.
image="$work/image"
mkdir -p "$image/usr/local/cargo/registry/src/index/tokio-1.0" "$image/var/cache/sccache/a" "$work/vol/cargo" "$work/vol/sccache"
echo tokio >"$image/usr/local/cargo/registry/src/index/tokio-1.0/lib.rs"
echo object >"$image/var/cache/sccache/a/1"
echo "lock 1" >"$image/usr/local/cargo/prewarm.stamp"
seed() {
  step_script rust-ci.yml build Seed | sed -e "s|/usr/local/cargo|$image/usr/local/cargo|g" -e "s|/var/cache/sccache|$image/var/cache/sccache|g" \
    >"$work/seed.sh"
  CARGO_HOME="$work/vol/cargo" SCCACHE_DIR="$work/vol/sccache" bash --noprofile --norc -eo pipefail "$work/seed.sh" ||
    fail "seed step failed"
}
seed
expect_eq "seeded registry" tokio "$(cat "$work/vol/cargo/registry/src/index/tokio-1.0/lib.rs")"
expect_eq "seeded compiler cache" object "$(cat "$work/vol/sccache/a/1")"
echo "downloaded by a build" >"$work/vol/cargo/registry/src/index/tokio-1.0/lib.rs"
mkdir -p "$image/usr/local/cargo/registry/src/index/axum-0.8" && echo axum >"$image/usr/local/cargo/registry/src/index/axum-0.8/lib.rs"
seed
[[ -e "$work/vol/cargo/registry/src/index/axum-0.8/lib.rs" ]] && fail "same image: seeded again"
echo "lock 2" >"$image/usr/local/cargo/prewarm.stamp"
seed
expect_eq "a new image's pre-warm is added" axum "$(cat "$work/vol/cargo/registry/src/index/axum-0.8/lib.rs")"
expect_eq "what the volume held is kept" "downloaded by a build" "$(cat "$work/vol/cargo/registry/src/index/tokio-1.0/lib.rs")"
finish
