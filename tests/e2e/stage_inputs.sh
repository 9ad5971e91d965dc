#!/usr/bin/env bash
# The stage chain's generated shell decides right which stages a change rebuilds. Each stage
# workflow's "Input hash, tags and whether to build" script runs as GitHub would run it, in
# a copy of examples/arm64-qt, with a fake `docker buildx imagetools inspect` that finds the
# refs earlier runs pushed: a source change rebuilds only the app, a file the Qt Dockerfile
# copies rebuilds Qt and the app, an unchanged tree rebuilds nothing. The pipeline's paths
# filter lets those changes trigger it, and a split stage's last part builds the whole
# Dockerfile.
source "$(dirname "$0")/lib.sh"

repo="$work/repo"
copy_inputs examples/arm64-qt "$repo"
run generate --matrix matrices/arm64-qt.yaml --out "$repo"
expect_status "generate" 0

# A registry that knows what earlier runs pushed, seen through the docker CLI.
mkdir -p "$work/bin"
: >"$work/registry"
cat >"$work/bin/docker" <<EOF
#!/usr/bin/env bash
[[ "\$1 \$2 \$3" == "buildx imagetools inspect" ]] || { echo "fake docker: \$*" >&2; exit 2; }
grep -qxF -- "\$4" "$work/registry"
EOF
chmod +x "$work/bin/docker"

# The run: text of the step with id "ref" of each stage workflow, read once (python and YAML
# take a while to start; the workflows do not change below): $work/ref/WORKFLOW.
mkdir -p "$work/ref"
python3 - "$repo/.github/workflows" "$work/ref" arm64-base-build.yml arm64-qt-build.yml arm64-linux-build.yml <<'PY' ||
import os, sys, yaml
source, dest = sys.argv[1], sys.argv[2]
for name in sys.argv[3:]:
    doc = yaml.safe_load(open(os.path.join(source, name), encoding="utf-8"))
    scripts = [s["run"] for job in doc["jobs"].values() for s in job["steps"] if s.get("id") == "ref"]
    if not scripts:
        sys.exit(f"{name}: no step with id ref")
    with open(os.path.join(dest, name), "w", encoding="utf-8") as out:
        out.write(scripts[0] + "\n")
PY
  fail "reading the ref steps"

# decide WORKFLOW PARENT [QT]: runs the step (for Qt 6.5.3 unless QT says otherwise); prints "build=… ref=…" and, when it builds,
# "pushes" the ref as the build step would.
decide() {
  local output="$work/output"
  : >"$output"
  (cd "$repo" && PATH="$work/bin:$PATH" GITHUB_OUTPUT="$output" GITHUB_REF_NAME=main GITHUB_SHA=0123456789abcdef \
    IMAGE=registry.test/acme/app FORCE=false AXIS_QT="${3:-6.5.3}" PARENT_IMAGE="$2" bash -e "$work/ref/$1") ||
    fail "$1: the step failed"
  local build ref
  build=$(sed -n 's/^build=//p' "$output")
  ref=$(sed -n 's/^ref=//p' "$output")
  [[ $build == true ]] && echo "$ref" >>"$work/registry"
  echo "$build $ref"
}

# pipeline: the three stages in order, each on its parent's image; prints what each did.
pipeline() {
  local base qt app
  base=$(decide arm64-base-build.yml "")
  qt=$(decide arm64-qt-build.yml "${base#* }")
  app=$(decide arm64-linux-build.yml "${qt#* }")
  echo "base=${base%% *} qt=${qt%% *} app=${app%% *}"
}

expect_eq "first push builds every stage" "base=true qt=true app=true" "$(pipeline)"
expect_eq "an unchanged tree builds nothing" "base=false qt=false app=false" "$(pipeline)"
echo "// a code change" >>"$repo/src/main.cpp"
expect_eq "a source change rebuilds the app alone" "base=false qt=false app=true" "$(pipeline)"
echo "-no-opengl" >>"$repo/docker/qt/configure-options.txt"
expect_eq "a file the Qt Dockerfile copies rebuilds Qt and the app" "base=false qt=true app=true" "$(pipeline)"
echo "# a comment" >>"$repo/docker/Dockerfile.arm64-qt"
expect_eq "a Qt Dockerfile change rebuilds Qt and the app" "base=false qt=true app=true" "$(pipeline)"
expect_eq "and then nothing again" "base=false qt=false app=false" "$(pipeline)"
base_ref=$(decide arm64-base-build.yml "")
base_ref=${base_ref#* }
expect_eq "another Qt version is another image" true "$(decide arm64-qt-build.yml "$base_ref" 6.8.4 | cut -d' ' -f1)"
# An input missing at run time still leaves the build arguments in the hash.
mv "$repo/docker/qt/configure-options.txt" "$work/options.txt"
one=$(decide arm64-qt-build.yml "$base_ref" 6.5.3 2>/dev/null)
two=$(decide arm64-qt-build.yml "$base_ref" 6.8.4 2>/dev/null)
[[ "${one#* }" != "${two#* }" ]] || fail "without an input file, both Qt versions got ${one#* }"
mv "$work/options.txt" "$repo/docker/qt/configure-options.txt"

# Those changes trigger the pipeline on push and on pull requests.
filters=$(python3 - "$repo/.github/workflows/arm64-pipeline.yml" <<'PY'
import sys, yaml
on = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))[True]
print(" ".join(on["push"]["paths"]) + " | " + " ".join(on["pull_request"]["paths"]))
PY
)
for path in 'src/**' docker/qt/configure-options.txt docker/base/packages.txt docker/Dockerfile.arm64-qt; do
  [[ " ${filters%% | *} " == *" $path "* ]] || fail "push paths miss $path: ${filters%% | *}"
  [[ " ${filters#* | } " == *" $path "* ]] || fail "pull_request paths miss $path: ${filters#* | }"
done

# A split whose points cover the whole estimate: the last part still builds the Dockerfile to
# its end (no target), and carries the final tags.
split="$work/split"
copy_inputs examples/arm64-qt "$split"
sed -e 's/estimate: 7h30m/estimate: 7h/' -e 's/{target: qt-configure, estimate: 1h}/{target: qt-configure, estimate: 3h}/' \
  tests/data/plan/arm64-long-qt.yaml >"$work/split.yaml"
run generate --matrix "$work/split.yaml" --out "$split"
expect_status "generate the split chain" 0
parts=$(python3 - "$split/.github/workflows/arm64-qt-build.yml" <<'PY'
import sys, yaml
jobs = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))["jobs"]
for name, job in jobs.items():
    build = next(s for s in job["steps"] if s.get("uses", "").startswith("docker/build-push-action"))
    tags = [t for t in build["with"]["tags"].split("\n") if t]
    print(name, build["with"].get("target", "(end)"), len(tags))
PY
)
expect_eq "split parts: target and number of tags" "part-1 qt-configure 1
part-2 (end) 3" "$parts"
finish
