#!/usr/bin/env bash
# The OpenWrt family through the command line: the shipped matrices generate side by side in
# one repository; two unnamed OpenWrt matrices are refused with how to fix it; the factory and
# the assembly line name an architecture's image by the same tag.
source "$(dirname "$0")/lib.sh"

# Every reference matrix copied into one repository: no file, tag or cache is shared.
repo="$work/repo"
mkdir -p "$repo/matrices"
cp matrices/*.yaml "$repo/matrices/"
# ...with the files a stage chain's Dockerfiles read, which a repository has beside its matrix.
for m in matrices/*.yaml; do copy_inputs "examples/$(basename "$m" .yaml)" "$repo"; done
(cd "$repo" && "$FORGELINE" generate >"$work/gen.out" 2>"$work/gen.err")
status=$?
expect_status "shipped matrices in one repository" 0
expect_eq "shipped matrices: stderr" "" "$(cat "$work/gen.err")"
expect_eq "shipped matrices: summary" "28 files: 28 written, 0 unchanged" "$(tail -n1 "$work/gen.out")"
(cd "$repo" && "$FORGELINE" validate .github/workflows/*.yml >"$work/val.out" 2>&1)
status=$?
expect_status "shipped matrices: forgeline validate (reusable calls resolved)" 0
expect_eq "shipped matrices: validate output" "" "$(cat "$work/val.out")"

# Two OpenWrt matrices without a name write the same files: refused at the second one's family.
twins="$work/twins"
mkdir -p "$twins/matrices"
cp matrices/openwrt.yaml "$twins/matrices/a.yaml"
cp matrices/openwrt.yaml "$twins/matrices/b.yaml"
(cd "$twins" && "$FORGELINE" generate >"$work/twins.out" 2>"$work/twins.err")
status=$?
expect_status "unnamed twins" 2
expect_eq "unnamed twins: the shared files" \
  "matrices/b.yaml:4:9: error: .docker/Dockerfile is also produced by matrices/a.yaml; give one of the two matrices a name (such as name: llvm), which prefixes its file names, image tags and caches
matrices/b.yaml:4:9: error: .docker/Dockerfile.dockerignore is also produced by matrices/a.yaml; give one of the two matrices a name (such as name: llvm), which prefixes its file names, image tags and caches
matrices/b.yaml:4:9: error: .github/workflows/build-package.yml is also produced by matrices/a.yaml; give one of the two matrices a name (such as name: llvm), which prefixes its file names, image tags and caches
matrices/b.yaml:4:9: error: .github/workflows/builder-image.yml is also produced by matrices/a.yaml; give one of the two matrices a name (such as name: llvm), which prefixes its file names, image tags and caches
matrices/b.yaml:4:9: error: .github/workflows/publish-builder-image.yml is also produced by matrices/a.yaml; give one of the two matrices a name (such as name: llvm), which prefixes its file names, image tags and caches" \
  "$(grep '^matrices/b.yaml' "$work/twins.err")"
[[ -e "$twins/.github" || -e "$twins/.docker" ]] && fail "unnamed twins: wrote output"
# Named, the same twins generate.
sed -i 's/^family: openwrt-package$/family: openwrt-package\nname: b/' "$twins/matrices/b.yaml"
(cd "$twins" && "$FORGELINE" generate >"$work/twins.out" 2>"$work/twins.err")
status=$?
expect_status "named twins" 0

# A cache in a repository another matrix tags from run-time values would be overwritten: told at
# the image of the matrix whose cache it is, and nothing is written.
shared="$work/shared-cache"
mkdir -p "$shared/matrices"
cp matrices/openwrt.yaml "$shared/matrices/a.yaml"
sed 's#^image: .*#image: ghcr.io/${owner}/${repo}/openwrt-rust-builder-cache#' matrices/rust-builder.yaml \
  >"$shared/matrices/b.yaml"
(cd "$shared" && "$FORGELINE" generate >"$work/shared.out" 2>"$work/shared.err")
status=$?
expect_status "cache in a run-time tagged repository" 2
repo='ghcr.io/${owner}/${repo}/openwrt-rust-builder-cache'
expect_eq "cache in a run-time tagged repository: errors" \
  "matrices/a.yaml:6:8: error: registry cache ref '$repo:buildcache-aarch64_cortex-a53' of matrices/a.yaml is in $repo, which matrices/b.yaml also tags from run-time values
matrices/a.yaml:6:8: error: registry cache ref '$repo:buildcache-mips_24kc' of matrices/a.yaml is in $repo, which matrices/b.yaml also tags from run-time values
matrices/a.yaml:6:8: error: registry cache ref '$repo:buildcache-x86_64' of matrices/a.yaml is in $repo, which matrices/b.yaml also tags from run-time values" \
  "$(cat "$work/shared.err")"
[[ -e "$shared/.github" || -e "$shared/.docker" ]] && fail "cache in a run-time tagged repository: wrote output"

# The tag the factory pushes is the tag the assembly line pulls, '+' and all.
plus="$work/plus"
mkdir -p "$plus/matrices"
sed 's/^  - {arch: x86_64, sdk: x86-64}$/  - {arch: arm_cortex-a9+neon, sdk: mvebu-cortexa9, rust_target: armv7-unknown-linux-musleabihf}/' \
  matrices/openwrt.yaml >"$plus/matrices/openwrt.yaml"
(cd "$plus" && "$FORGELINE" generate >/dev/null 2>"$work/plus.err")
status=$?
expect_status "arch with +" 0
pushed=$(grep -A3 'arch: arm_cortex-a9+neon$' "$plus/.github/workflows/publish-builder-image.yml" | sed -n 's/^ *tag: //p')
expect_eq "arch with +: pushed tag" "arm_cortex-a9-neon-24.10.8" "$pushed"
grep -qF '{"arch":"arm_cortex-a9+neon","tag":"arm_cortex-a9-neon-24.10.8"}' "$plus/.github/workflows/build-package.yml" ||
  fail "arch with +: the assembly line does not pull the pushed tag"
finish
