#!/usr/bin/env bash
# The generated Docker Bake files parse with a real HCL parser (tools/validators/bake-targets.mjs:
# HashiCorp's HCL library, the one buildx uses) and name, for each job of the workflows, a target
# that builds the same thing: each stage workflow's ref step runs as GitHub would (against a
# registry that has nothing yet), its build step's values are evaluated with the step's outputs,
# and the bake target of that stage, part and Qt value, with the same hash, branch and commit
# as bake variables, has the same tags, caches, build arguments, Dockerfile and context, and
# builds on the target whose tags hold the parent image the workflow builds on. `check` covers
# the bake file like any output; the chain's local script bakes the targets the file defines.
source "$(dirname "$0")/lib.sh"

validators="$SOURCE_ROOT/tools/validators"
[[ -d "$validators/node_modules/@cdktn/hcl2json" ]] ||
  { echo "FAIL: @cdktn/hcl2json missing: run scripts/bootstrap" >&2; exit 1; }

# A docker CLI for the ref steps: the registry has no image yet, so every stage builds.
mkdir -p "$work/bin"
printf '#!/usr/bin/env bash\nexit 1\n' >"$work/bin/docker"
chmod +x "$work/bin/docker"

# compare REPO STAGE:WORKFLOW...: each stage workflow against the bake file, for Qt 6.8.4 on a
# branch whose name a tag cannot hold as it is.
compare() {
  local repo=$1
  shift
  PATH="$work/bin:$PATH" python3 - "$repo" "$validators/bake-targets.mjs" "$@" <<'PY'
import json, os, re, subprocess, sys, tempfile, yaml

repo, reader, stages = sys.argv[1], sys.argv[2], [a.split(":") for a in sys.argv[3:]]
image, branch, sha, qt = "registry.test/acme/app", "feature/bake+1", "0123456789abcdef0123", "6.8.4"
tag_branch = re.sub(r"[^A-Za-z0-9_.-]", "-", branch)
failures = []

def check(what, expected, actual):
    if expected != actual:
        failures.append(f"{what}:\n    workflow: {expected}\n    bake:     {actual}")

def bake(hashes):
    # One reader process for every stage's variables: loading the parser takes about a second.
    requests = "".join(json.dumps([os.path.join(repo, "docker/arm64-bake.hcl"), f"IMAGE={image}", f"HASH={h}",
                                   f"BRANCH={tag_branch}", f"SHA={sha[:12]}", f"REF_NAME={branch}"]) + "\n"
                       for h in hashes)
    out = subprocess.run(["node", reader, "--batch"], input=requests, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"bake-targets.mjs: {out.stdout}{out.stderr}")
    read = [json.loads(line)["targets"] for line in out.stdout.splitlines()]
    if len(read) != len(hashes):
        sys.exit(f"bake-targets.mjs: {len(read)} answers to {len(hashes)} reads")
    return read

def substitute(text, outputs):
    text = re.sub(r"\$\{\{ (?:steps\.ref|needs\.[a-z0-9-]+)\.outputs\.([a-z_]+) \}\}", lambda m: outputs[m.group(1)], text)
    return text.replace("${{ github.ref_name }}", branch).replace("${{ inputs.qt }}", qt)

def lines(value):
    return [l for l in value.splitlines() if l]

runs = []  # each stage's workflow jobs and the outputs of its ref step
for stage, workflow in stages:
    doc = yaml.safe_load(open(os.path.join(repo, ".github/workflows", workflow), encoding="utf-8"))
    jobs = list(doc["jobs"].values())
    ref = next(s for s in jobs[0]["steps"] if s.get("id") == "ref")
    env = dict(os.environ, GITHUB_REF_NAME=branch, GITHUB_SHA=sha, GITHUB_OUTPUT=tempfile.mkstemp()[1])
    for key, value in ref["env"].items():
        env[key] = {"${{ steps.image.outputs.name }}": image, "${{ inputs.force }}": "false",
                    "${{ inputs.qt }}": qt}.get(value, "")
    open(env["GITHUB_OUTPUT"], "w").close()
    subprocess.run(["bash", "-e", "-c", ref["run"]], cwd=repo, env=env, check=True)
    outputs = dict(l.split("=", 1) for l in open(env["GITHUB_OUTPUT"]).read().splitlines())
    runs.append((stage, workflow, jobs, outputs))

for (stage, workflow, jobs, outputs), targets in zip(runs, bake([o["ref"][-16:] for _, _, _, o in runs])):
    axis = "variant" in outputs
    for k, job in enumerate(jobs):
        step = next(s for s in job["steps"] if s.get("uses", "").startswith("docker/build-push-action"))
        w = {key: substitute(str(value), outputs) for key, value in step["with"].items()}
        name = (stage if k + 1 == len(jobs) else f"{stage}-part-{k + 1}") + ("-6_8_4" if axis else "")
        where = f"{workflow} job {k + 1} / bake target {name}"
        if name not in targets:
            failures.append(f"{where}: no such target among {sorted(targets)}")
            continue
        t = targets[name]
        check(f"{where}: tags", lines(w["tags"]), t.get("tags"))
        check(f"{where}: cache-from", lines(w["cache-from"]), t.get("cache-from"))
        check(f"{where}: cache-to", lines(w["cache-to"]), t.get("cache-to"))
        check(f"{where}: platforms", [w["platforms"]], t.get("platforms"))
        check(f"{where}: context", w["context"], t.get("context"))
        check(f"{where}: file", w["file"], os.path.normpath(os.path.join(t["context"], t["dockerfile"])))
        check(f"{where}: target", w.get("target"), t.get("target"))
        args = dict(l.split("=", 1) for l in lines(w.get("build-args", "")))
        contexts = dict(t.get("contexts", {}))
        for key, value in args.items():
            if key.endswith("_IMAGE"):
                # The parent: a registry ref in the workflow, a context linked to the parent's target in bake.
                linked = contexts.pop(t["args"].get(key), "")
                parent = targets.get(linked[len("target:"):], {}) if linked.startswith("target:") else {}
                check(f"{where}: {key} names a target tagged with the workflow's parent", True,
                      value in parent.get("tags", []))
            else:
                check(f"{where}: build arg {key}", value, t.get("args", {}).get(key))
        check(f"{where}: build args", sorted(args), sorted(t.get("args", {})))
        if "build-contexts" in w:
            # A later part: the workflow pulls the part before it, bake links to that part's target.
            stage_name, source = w["build-contexts"].split("=", 1)
            linked = contexts.pop(stage_name, "")
            previous = targets.get(linked[len("target:"):], {})
            check(f"{where}: {stage_name} is the previous part's target", [source[len("docker-image://"):]],
                  previous.get("tags"))
        check(f"{where}: no other contexts", {}, contexts)
print("\n".join(failures) if failures else "same")
PY
}

# The seed's chain, and the same chain with Qt split into two jobs.
for m in matrices/arm64-qt.yaml tests/data/plan/arm64-long-qt.yaml; do
  name=$(basename "$m" .yaml)
  copy_inputs examples/arm64-qt "$work/$name"
  run generate --matrix "$m" --out "$work/$name"
  expect_status "$name: generate" 0
  expect_eq "$name: every job has its bake target" "same" \
    "$(compare "$work/$name" base:arm64-base-build.yml qt:arm64-qt-build.yml app:arm64-linux-build.yml 2>&1)"
done

# The Rust builder: the workflow's context and caches; tags from docker/metadata-action.
rust="$work/rust"
run generate --matrix matrices/rust-builder.yaml --out "$rust"
expect_status "rust-builder: generate" 0
node "$validators/bake-targets.mjs" "$rust/.docker/rust-builder/docker-bake.hcl" IMAGE=registry.test/acme/rb \
  REF_NAME=feature/x >"$work/rust.json" || fail "rust-builder: bake-targets.mjs"
expect_eq "rust-builder: the bake target builds as the workflow does" "same" "$(python3 - "$rust" "$work/rust.json" <<'PY'
import json, sys, yaml
repo, baked = sys.argv[1], json.load(open(sys.argv[2]))
doc = yaml.safe_load(open(f"{repo}/.github/workflows/build-rust-image.yml"))
step = next(s for s in doc["jobs"]["build-image"]["steps"] if s.get("uses", "").startswith("docker/build-push-action"))
sub = lambda v: v.replace("${{ steps.image.outputs.name }}", "registry.test/acme/rb").replace("${{ github.ref_name }}", "feature/x")
t = baked["targets"]["rust-builder"]
problems = []
for key in ("cache-from", "cache-to"):
    if [sub(l) for l in step["with"][key].splitlines() if l] != t[key]:
        problems.append(f"{key}: {step['with'][key]!r} vs {t[key]}")
if (step["with"]["context"], step["with"]["file"], [step["with"]["platforms"]]) != \
   (t["context"], f"{t['context']}/{t['dockerfile']}", t["platforms"]):
    problems.append(f"context/file/platforms differ: {t}")
if step["with"]["tags"] != "${{ steps.meta.outputs.tags }}" or t["tags"] != baked["targets"]["docker-metadata-action"]["tags"]:
    problems.append("tags: the workflow's come from docker/metadata-action, the bake target's from its target")
if baked["group"] != ["rust-builder"]:
    problems.append(f"default group {baked['group']}")
print("\n".join(problems) or "same")
PY
)"

# The reader fails on what bake would refuse, so a pass above means something.
printf 'target "a" {\n  tags = ["x"\n}\n' >"$work/broken.hcl"
status=0
node "$validators/bake-targets.mjs" "$work/broken.hcl" >/dev/null 2>"$work/broken.err" || status=$?
expect_eq "a syntax error: exit status" 1 "$status"
expect_eq "a syntax error: message" \
  "$work/broken.hcl: parse config: [$work/broken.hcl:3,1-2: Missing item separator; Expected a comma to mark the beginning of the next item.]" \
  "$(cat "$work/broken.err")"
printf 'target "a" {\n  contexts = { x = "target:b" }\n}\n' >"$work/dangling.hcl"
node "$validators/bake-targets.mjs" "$work/dangling.hcl" >/dev/null 2>"$work/dangling.err"
expect_eq "a dangling target: context" "$work/dangling.hcl: target \"a\" links to \"b\", which is no target" \
  "$(cat "$work/dangling.err")"

# check covers the bake file: an edit by hand, a missing file.
chain="$work/arm64-qt"
printf '# mine\n' >>"$chain/docker/arm64-bake.hcl"
run check --matrix matrices/arm64-qt.yaml --out "$chain"
expect_status "check after an edit" 1
expect_eq "check names the edited bake file" "$chain/docker/arm64-bake.hcl: edited by hand: move the change into matrices/arm64-qt.yaml or a template, then regenerate" "$(head -n1 <<<"$out")"
rm "$chain/docker/arm64-bake.hcl"
run check --matrix matrices/arm64-qt.yaml --out "$chain"
expect_status "check after a removal" 1
expect_eq "check names the missing bake file" "$chain/docker/arm64-bake.hcl: missing: run forgeline generate (from matrices/arm64-qt.yaml)" "$(head -n1 <<<"$out")"
run generate --matrix matrices/arm64-qt.yaml --out "$chain"
expect_status "generate again" 0

# The local script bakes targets the file defines, and with --from-ci takes the parent's image of
# this branch from the registry the origin remote names. A docker CLI that records what it is
# asked, and with which bake variables.
cat >"$work/bin/docker" <<EOF
#!/usr/bin/env bash
[[ \$1 == buildx ]] && echo "IMAGE=\$IMAGE HASH=\$HASH BRANCH=\$BRANCH SHA=\$SHA REF_NAME=\$REF_NAME" >>"$work/docker.log"
printf '%s\n' "\$*" >>"$work/docker.log"
[[ \$1 == create ]] && echo c0ffee
exit 0
EOF
script() {
  : >"$work/docker.log"
  status=0
  (cd "$chain" && PATH="$work/bin:$PATH" "$@" >"$work/script.out" 2>"$work/script.err") || status=$?
}
git -C "$chain" init -q
git -C "$chain" remote add origin git@github.com:Acme/App.git
git -C "$chain" checkout -q -b feature/x
git -C "$chain" add -A
git -C "$chain" -c user.name=test -c user.email=test@example.com commit -qm "the example chain"
sha=$(git -C "$chain" rev-parse HEAD)
variables="IMAGE=ghcr.io/acme/app HASH=local BRANCH=feature-x SHA=${sha::12} REF_NAME=feature/x"

script docker/test-arm64-build.sh
expect_status "local build" 0
expect_eq "local build: docker calls" "$variables
buildx bake -f docker/arm64-bake.hcl --load --set *.cache-to= base qt-6_5_3 app-6_5_3
create --platform linux/arm64 ghcr.io/acme/app/arm64-app:6.5.3-local sh
cp c0ffee:/build/openterfaceQT dist/arm64/
rm c0ffee" "$(cat "$work/docker.log")"

script env QT=6.8.4 docker/test-arm64-build.sh --from-ci qt
expect_status "local build on CI's qt" 0
expect_eq "local build on CI's qt: docker calls" "$variables
buildx bake -f docker/arm64-bake.hcl --load --set *.cache-to= --set app-6_8_4.contexts.arm64-qt=docker-image://ghcr.io/acme/app/arm64-qt:6.8.4-feature-x app-6_8_4
create --platform linux/arm64 ghcr.io/acme/app/arm64-app:6.8.4-local sh
cp c0ffee:/build/openterfaceQT dist/arm64/
rm c0ffee" "$(cat "$work/docker.log")"

# What the script names is in the bake file, read with the variables the script exported: the
# targets, the context it replaces, the image it copies the artifact from.
# shellcheck disable=SC2086 # one word per variable
node "$validators/bake-targets.mjs" "$chain/docker/arm64-bake.hcl" $variables >"$work/chain.json" ||
  fail "arm64-qt: bake-targets.mjs"
expect_eq "the script's targets, contexts and artifact image are the bake file's" "ok" "$(
  python3 - "$work/chain.json" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))["targets"]
missing = [n for n in ("base", "qt-6_5_3", "app-6_5_3", "app-6_8_4") if n not in t]
ok = not missing and t["app-6_8_4"]["contexts"] == {"arm64-qt": "target:qt-6_8_4"}
ok = ok and "ghcr.io/acme/app/arm64-app:6.8.4-local" in t["app-6_8_4"]["tags"]
print("ok" if ok else f"missing {missing}; app-6_8_4: {t.get('app-6_8_4')}")
PY
)"

script docker/test-arm64-build.sh --from-ci app
expect_status "--from-ci app" 2
expect_eq "--from-ci app: message" "--from-ci must be one of: base qt" "$(cat "$work/script.err")"
script env QT=9 docker/test-arm64-build.sh
expect_status "unknown QT" 2
expect_eq "unknown QT: message" "QT must be one of: 6.5.3 6.8.4" "$(cat "$work/script.err")"
expect_eq "nothing baked on bad input" "" "$(cat "$work/docker.log")"
finish
