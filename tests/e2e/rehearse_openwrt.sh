#!/usr/bin/env bash
# The OpenWrt factory and assembly line (matrices/openwrt-llvm.yaml, generated as committed,
# split into two jobs per architecture) rehearsed on a real dockerd and registry, with
# stand-in SDK images (tests/data/rehearse/openwrt-sdk) and a stand-in for sh.rustup.rs.
source "$(dirname "$0")/docker_lib.sh"

engine_start openwrt
base_image
downloads_start 127.0.0.2
cp -r tests/data/rehearse/downloads/. "$downloads_root/"
mkdir -p "$downloads_root/static.rust-lang.org/dist"
echo '[pkg.rust]' >"$downloads_root/static.rust-lang.org/dist/channel-rust-stable.toml"

defect factory-images "the SDK has no toolchain/install (nor tools/install) target, and rustup cannot add the Tier-3 MIPS targets"
defect assembly-line "the factory pushes no image (see factory-images)"
defect factory-independent "part 2 needs the whole matrix of part 1 (and part 1 fails everywhere, see factory-images)"

repo="$work/package"
mkdir -p "$repo/matrices"
cp tests/data/rehearse/openwrt-package/Makefile "$repo/"
cp matrices/openwrt-llvm.yaml "$repo/matrices/"
(cd "$repo" && "$FORGELINE" generate --matrix matrices/openwrt-llvm.yaml >/dev/null) || fail "generate openwrt-llvm"
new_repo "$repo"

# Each architecture's SDK tag, from the factory's matrix as generated.
mapfile -t sdks < <(python3 - "$repo/.github/workflows/publish-builder-image.yml" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
for arch, tag in sorted(set(re.findall(r"- arch: (\S+)\n\s+sdk_tag: (\S+)", text))):
    print(arch, tag)
PY
)
((${#sdks[@]} == 3)) || { fail "expected three architectures in the factory's matrix, found: ${sdks[*]}"; finish; }

# stand_in_sdks [FAILING_ARCH]: an SDK image per architecture in the registry, under each
# name the workflows may pull it by; FAILING_ARCH's feeds fail to update.
stand_in_sdks() {
  local context="$work/sdk-context"
  rm -rf "$context" && cp -r tests/data/rehearse/openwrt-sdk "$context" && cp "$downloads_ca_file" "$context/ca.crt"
  for entry in "${sdks[@]}"; do
    local arch=${entry% *} tag=${entry#* }
    "$DOCKER" build --network host -q --build-arg "ARCH_PACKAGES=$arch" --build-arg "OPENWRT_VERSION=${tag##*-}" \
      --build-arg "FEEDS_FAIL=$([[ $arch == "${1:-}" ]] && echo 1)" \
      -t "$REGISTRY/stand-in/openwrt-sdk:$tag" "$context" >/dev/null &&
      "$DOCKER" push -q "$REGISTRY/stand-in/openwrt-sdk:$tag" >/dev/null || fail "stand-in SDK for $arch"
  done
}

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
results() { query "$report" "' '.join(j['id'] + ':' + j['result'] for j in r['jobs'] if __import__('re').search('$1', j['id']))"; }

stand_in_sdks
rehearse factory --workflow publish-builder-image.yml
# final_images REPOSITORY: the architectures with a finished factory image (a tag naming the
# architecture that is not a part's) in that repository's builder image.
final_images() {
  skopeo list-tags --tls-verify=false "docker://$REGISTRY/$1/openwrt-rust-builder" 2>/dev/null | python3 -c '
import json, sys
tags = [t for t in json.load(sys.stdin)["Tags"] if "part" not in t]
print(" ".join(a for a in sys.argv[1:] if any(a in t for t in tags)))' "${sdks[@]% *}" 2>/dev/null
}
all_arches="${sdks[*]% *}"
check factory-images "the factory builds and pushes every architecture's image" is "$all_arches" "$(final_images acme/tollgate-wrt)"

rehearse assembly --workflow build-package.yml
packages=$(find "$work/runs" -path '*/artifacts/tollgate-wrt-*' \( -name '*.ipk' -o -name '*.apk' \) -printf '%f\n' 2>/dev/null |
  sort | tr '\n' ' ')
check assembly-line "the assembly line finds each architecture's image and builds the package in it" \
  is "3 packages" "$(wc -w <<<"$packages" | tr -d ' ') packages"

# One architecture's first part fails (in a repository of its own, so its images are new):
# the others still finish theirs.
failing=${sdks[1]% *}
stand_in_sdks "$failing"
github_repo=acme/one-fails
rehearse factory-one-fails --workflow publish-builder-image.yml
check factory-independent "when $failing's part 1 fails, the other architectures still finish their images" \
  is "$(tr ' ' '\n' <<<"$all_arches" | grep -vx "$failing" | tr '\n' ' ' | sed 's/ $//')" "$(final_images acme/one-fails)"
check factory-failure-named "the failing architecture's job is reported failed, with the step that failed" \
  is "failure" "$(query "$report" "[j['result'] for j in r['jobs'] if '$failing' in j['id'] and any(s['result'] == 'failure' for s in j['steps'])][0]")"
finish
