#!/usr/bin/env bash
# The OpenWrt assembly lines of matrices/openwrt-llvm.yaml (docker-run mode, .apk, the factory
# split into two jobs per architecture) and matrices/openwrt.yaml (container mode, .ipk, a
# signed package index), generated at test time, rehearsed on a real dockerd and registry with
# stand-in SDK images (tests/data/rehearse/openwrt-sdk) and the package's source release served
# by the download stand-in. Each assembly line calls its factory first.
source "$(dirname "$0")/docker_lib.sh"

engine_start openwrt
base_image
downloads_start 127.0.0.2

# The package's source release, as github.com would serve it, and its hash in the Makefile.
release="$downloads_root/github.com/acme/tollgate-wrt/releases/download/v0.1.0"
mkdir -p "$release" "$work/src/tollgate-wrt-0.1.0"
echo "tollgate-wrt 0.1.0" >"$work/src/tollgate-wrt-0.1.0/VERSION"
tar --sort=name --mtime=@0 --owner=0 --group=0 -C "$work/src" -cf - tollgate-wrt-0.1.0 | gzip -9n >"$release/tollgate-wrt-0.1.0.tar.gz"
source_hash=$(sha256sum <"$release/tollgate-wrt-0.1.0.tar.gz" | cut -d' ' -f1)

repo="$work/package"
mkdir -p "$repo/matrices"
sed "s/^PKG_HASH:=.*/PKG_HASH:=$source_hash/" tests/data/rehearse/openwrt-package/Makefile >"$repo/Makefile"
cp matrices/openwrt-llvm.yaml matrices/openwrt.yaml "$repo/matrices/"
for m in openwrt-llvm openwrt; do
  (cd "$repo" && "$FORGELINE" generate --matrix "matrices/$m.yaml" >/dev/null) || fail "generate $m"
done
new_repo "$repo"

# factory_sdks FILE: "arch sdk_tag" of each architecture in the factory's matrix, as generated.
factory_sdks() {
  python3 - "$1" <<'PY'
import re, sys
for arch, tag in sorted(set(re.findall(r"- arch: (\S+)\n\s+sdk_tag: (\S+)", open(sys.argv[1]).read()))):
    print(arch, tag)
PY
}
mapfile -t sdks < <(factory_sdks "$repo/.github/workflows/llvm-publish-builder-image.yml")
((${#sdks[@]} == 3)) || { fail "expected three architectures in the llvm factory's matrix, found: ${sdks[*]}"; finish; }
x86_24=$(factory_sdks "$repo/.github/workflows/publish-builder-image.yml" | grep '^x86_64 ')

# stand_in_sdk ARCH TAG [FAIL]: the stand-in SDK image for TAG in the registry, where the image
# map sends openwrt/sdk and ghcr.io/openwrt/sdk; with FAIL its feeds cannot be fetched.
sdk_context="$work/sdk-context"
cp -r tests/data/rehearse/openwrt-sdk "$sdk_context" && cp "$downloads_ca_file" "$sdk_context/ca.crt"
stand_in_sdk() {
  "$DOCKER" build --network host -q --build-arg "ARCH_PACKAGES=$1" --build-arg "OPENWRT_VERSION=${2##*-}" \
    --build-arg "FEEDS_FAIL=${3:-}" -t "$REGISTRY/stand-in/openwrt-sdk:$2" "$sdk_context" >/dev/null &&
    "$DOCKER" push -q "$REGISTRY/stand-in/openwrt-sdk:$2" >/dev/null || fail "stand-in SDK $2"
}
for entry in "${sdks[@]}" "$x86_24"; do stand_in_sdk $entry; done

# rehearse NAME ARGS...: rehearses $repo as the GitHub repository $github_repo.
github_repo=acme/tollgate-wrt
rehearse() {
  local name=$1
  shift
  "$FORGELINE" rehearse --out "$repo" --work-dir "$work/runs" --registry "$REGISTRY" --repository "$github_repo" \
    --image-map "openwrt/sdk=$REGISTRY/stand-in/openwrt-sdk" --image-map "ghcr.io/openwrt/sdk=$REGISTRY/stand-in/openwrt-sdk" \
    "${add_hosts[@]}" --format json "$@" >"$work/$name.json" 2>"$work/$name.err"
  status=$?
  report="$work/$name.json"
  explain "$name" "$report"
}

# results PATTERN: "id:result" of the jobs whose id matches PATTERN, in order.
results() { query "$report" "' '.join(j['id'] + ':' + j['result'] for j in r['jobs'] if __import__('re').search(r'$1', j['id']))"; }
# parts: each factory part as "arch/part-N:result", in the order they ran.
parts() {
  query "$report" "' '.join(__import__('re').sub(r'^builder-images / builder \(([^,]+),.*\) / ', r'\1/', j['id']) + ':' + j['result'] for j in r['jobs'] if j['id'].startswith('builder-images / builder ('))"
}
# factory_refs: "arch=image" of each architecture's factory image (part 1's ref output).
factory_refs() {
  query "$report" "' '.join(__import__('re').sub(r'^builder-images / builder \(([^,]+),.*', r'\1', j['id']) + '=' + j['outputs'].get('ref', '') for j in r['jobs'] if j['id'].startswith('builder-images / builder (') and j['id'].endswith(' / part-1'))"
}
# tagged_for_commit SHA ARCH=IMAGE...: the architectures whose image is in the registry and
# whose branch and commit tags name that same image, as "arch" words.
tagged_for_commit() {
  local sha=$1 entry arch ref digest out=()
  shift
  for entry in "$@"; do
    arch=${entry%%=*} ref=${entry#*=ghcr.io/}
    digest=$(registry_digest "$ref")
    [[ -n $digest && $(registry_digest "${ref%-*}-main") == "$digest" && $(registry_digest "${ref%-*}-sha-$sha") == "$digest" ]] &&
      out+=("$arch")
  done
  echo "${out[*]}"
}
# pulled: per build job, "arch:<the image tag its builder container started from>".
pulled() {
  query "$report" "' '.join(__import__('re').sub(r'^build-package \(([^,]+),.*', r'\1', j['id']) + ':' + ''.join(__import__('re').findall(r' \S+:(\S+) (?:sleep|tail)', ' '.join(n for s in j['steps'] for n in s['notes'] if 'docker run' in n or 'started' in n))) for j in r['jobs'] if j['id'].startswith('build-package ('))"
}
# packages ARCH...: per architecture, the package files of its tollgate-wrt-ARCH artifact and
# what the package says it was built for, as "arch:file(built for)".
run_folder() { query "$report" "[h for h in r['header'] if h.startswith('run folder: ')][0][12:]"; }
packages() {
  local arch f out=()
  for arch in "$@"; do
    for f in "$(run_folder)/artifacts/tollgate-wrt-$arch"/*.[ai]pk; do
      [[ -f $f ]] && out+=("$arch:${f##*/}($(tar -xzOf "$f" ./built.txt | tr '\n' ' ' | sed 's/ $//'))")
    done
  done
  echo "${out[*]}"
}
arches=("${sdks[@]% *}")
expected_packages() { local a out=(); for a in "$@"; do out+=("$a:tollgate-wrt-0.1.0-r1.apk(tollgate-wrt 0.1.0 for $a)"); done; echo "${out[*]}"; }

# 1. A push: the llvm assembly line calls its factory, which builds each architecture's image
# in two parts on the stand-in SDK; each build job then runs in the image tagged for its commit
# (pulled through the tag the factory pushed), downloads the release, checks its hash and builds.
sha=$(git -C "$repo" rev-parse HEAD)
rehearse llvm-push --workflow llvm-build-package.yml
expect_eq "llvm push: exit status" 0 "$status"
check factory-parts "each architecture's factory builds part 1, then part 2" \
  is "$(for a in "${arches[@]}"; do printf '%s/part-1:success %s/part-2:success ' "$a" "$a"; done | sed 's/ $//')" "$(parts)"
mapfile -t refs < <(factory_refs | tr ' ' '\n')
check factory-images "the factory pushes each architecture's image by its input hash, tagged for the branch and the commit" \
  is "${arches[*]}" "$(tagged_for_commit "$sha" "${refs[@]}")"
check assembly-line "each build job runs in its architecture's image, under the tag of its commit" \
  is "$(for a in "${arches[@]}"; do printf '%s:llvm-%s-25.12.5-sha-%s ' "$a" "$a" "$sha"; done | sed 's/ $//')" "$(pulled)"
check assembly-packages "each build job builds the package from the downloaded release for its architecture" \
  is "$(expected_packages "${arches[@]}")" "$(packages "${arches[@]}")"

# 2. Another push that changes nothing the images are made of: no image is built again; the new
# commit's tags name the images of the first push, and the build jobs find them by that tag.
git -C "$repo" commit -q --allow-empty -m "nothing the factory reads"
sha=$(git -C "$repo" rev-parse HEAD)
rehearse llvm-again --workflow llvm-build-package.yml
expect_eq "llvm again: exit status" 0 "$status"
check factory-reused "a second push builds no image: part 1 only tags it, part 2 is skipped" \
  is "$(for a in "${arches[@]}"; do printf '%s/part-1:success %s/part-2:skipped ' "$a" "$a"; done | sed 's/ $//')" "$(parts)"
check factory-same-images "the second push's commit tags name the first push's images" \
  is "${arches[*]}" "$(tagged_for_commit "$sha" "${refs[@]}")"
check assembly-again "the build jobs run in the images tagged for the new commit" \
  is "$(expected_packages "${arches[@]}")" "$(packages "${arches[@]}")"

# 3. The container-mode line for one architecture (workflow_dispatch arch=x86_64), its package
# index signed with the key in the secret: gh-action-sdk's index, built and uploaded.
signing_key=$'untrusted comment: forgeline rehearsal key\nRWRTOvT1nsbQgLO7KPdzGOSOXqs0sqYl3VIPMkW4n7wuTGzu9DY0Zy8Y'
rehearse index --event workflow_dispatch --workflow build-package.yml --input arch=x86_64 \
  --secret "PACKAGE_SIGNING_KEY=$signing_key"
expect_eq "index: exit status" 0 "$status"
check dispatch-one-arch "workflow_dispatch arch=x86_64 builds the x86_64 image and package only" \
  is "builder-images / builder (aarch64_cortex-a53):skipped builder-images / builder (mips_24kc):skipped builder-images / builder (x86_64):success build-package (x86_64):success" \
  "$(results '^builder-images / builder|^build-package' | sed 's/ (\([^,]*\), [^)]*) \/ build:/ (\1):/g; s/ (\([^,]*\), [^)]*):/ (\1):/g')"
index_dir="$(run_folder)/artifacts/tollgate-wrt-x86_64"
check index-uploaded "the uploaded packages come with their index" \
  is "Packages Packages.gz Packages.manifest Packages.sig tollgate-wrt_0.1.0-r1_x86_64.ipk" "$(ls "$index_dir" 2>/dev/null | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//')"
check index-lists-package "the index lists the package with its checksum" \
  is "tollgate-wrt_0.1.0-r1_x86_64.ipk $(sha256sum <"$index_dir/tollgate-wrt_0.1.0-r1_x86_64.ipk" 2>/dev/null | cut -d' ' -f1)" \
  "$(sed -n 's/^Filename: //p; s/^SHA256sum: //p' "$index_dir/Packages" 2>/dev/null | tr '\n' ' ' | sed 's/ $//')"
check index-signed "the index is signed with the secret's key" \
  is "untrusted comment: signed by key $(printf '%s\n' "$signing_key" | sha256sum | cut -c1-16)" "$(head -n1 "$index_dir/Packages.sig" 2>/dev/null)"

# 4. A wrong PKG_HASH: the hash step fails the build with the check's warning and its own error,
# and the failure uploads logs/ with the check's log.
sed -i "s/^PKG_HASH:=.*/PKG_HASH:=$(printf '0%.0s' {1..64})/" "$repo/Makefile"
commit "$repo" "a wrong hash"
rehearse bad-hash --event workflow_dispatch --workflow build-package.yml --input arch=x86_64
expect_eq "bad hash: exit status" 1 "$status"
check bad-hash-step "a wrong hash fails the build job at the hash step" \
  is "Download sources and check their hashes: failure" \
  "$(query "$report" "[s['name'] + ': ' + s['result'] for s in job(r, 'build-package (x86_64, x86_64-24.10.8)')['steps'] if s['result'] == 'failure'][0]")"
check bad-hash-message "the job's failure shows the check's warning and the hash step's error" \
  is "WARNING: PKG_HASH does not match tollgate-wrt-0.1.0.tar.gz hash $source_hash
::error title=tollgate-wrt: source hash::make package/tollgate-wrt/check found a hash that does not match, is deprecated or is missing (its output is above): set the hash it prints in the package's Makefile" \
  "$(query "$report" "r['failure_tail']" | grep -E '^(WARNING|::error)')"
check bad-hash-logs "the failed job uploads the check's log (BUILD_LOG=1)" \
  is "WARNING: PKG_HASH does not match tollgate-wrt-0.1.0.tar.gz hash $source_hash" \
  "$(grep '^WARNING' "$(run_folder)/artifacts/tollgate-wrt-x86_64-logs/package/feeds/action/tollgate-wrt/check.txt" 2>/dev/null)"

# 5. One architecture's SDK cannot fetch its feeds (in a repository of its own, so that every
# image is new): its part 1 fails, the other architectures still build their images and packages.
git -C "$repo" revert --no-edit HEAD >/dev/null
failing=${arches[1]}
stand_in_sdk ${sdks[1]} fail
github_repo=acme/one-fails
sha=$(git -C "$repo" rev-parse HEAD)
rehearse one-fails --workflow llvm-build-package.yml
expect_eq "one fails: exit status" 1 "$status"
others=("${arches[0]}" "${arches[2]}")
check factory-independent "when $failing's part 1 fails, the other architectures still build both parts" \
  is "${arches[0]}/part-1:success ${arches[0]}/part-2:success $failing/part-1:failure $failing/part-2:skipped ${arches[2]}/part-1:success ${arches[2]}/part-2:success" \
  "$(parts)"
mapfile -t refs < <(factory_refs | tr ' ' '\n')
check factory-independent-images "the other architectures' images are pushed and tagged for the commit" \
  is "${others[*]}" "$(tagged_for_commit "$sha" "${refs[@]}")"
check factory-failure-named "the failing part names the step that failed and why" \
  is "step 'Build and push part 1/2' failed (docker build failed (exit 1))" \
  "$(query "$report" "[j['why'] for j in r['jobs'] if j['id'].startswith('builder-images / builder ($failing,')][0]")"
check assembly-independent "the other architectures still build their packages; $failing's build fails" \
  is "build-package ($failing):failure $(expected_packages "${others[@]}")" \
  "$(results "^build-package \\($failing," | sed 's/ (\([^,]*\), [^)]*):/ (\1):/') $(packages "${arches[@]}")"
check assembly-failure-named "$failing's build job fails where its image is missing, and collects no logs from a container that never started" \
  is "Start the builder image:failure Collect build logs:skipped Upload build logs:success" \
  "$(query "$report" "' '.join(s['name'] + ':' + s['result'] for j in r['jobs'] if j['id'].startswith('build-package ($failing,') for s in j['steps'] if s['result'] == 'failure' or 'logs' in s['name'])")"
finish
