#!/usr/bin/env bash
# The everyday commands: add-arch keeps the matrix byte-for-byte but for the new entry and
# regenerates; its failures write nothing; orphans are reported and removed; init
# scaffolds; a lock file pins actions; check speaks JSON and GitHub annotations.
source "$(dirname "$0")/lib.sh"

repo="$work/repo"
mkdir -p "$repo/matrices"
cp tests/data/matrices/add-arch/odd.yaml "$repo/matrices/openwrt.yaml"
cd "$repo"
run generate
expect_status "generate" 0

# add-arch of a known architecture: the Rust target is filled in, one entry inserted.
cp matrices/openwrt.yaml "$work/before.yaml"
run add-arch x86_64
expect_status "add-arch x86_64" 0
expect_eq "add-arch: only the new entry differs" "16a17,19
>    -   arch: x86_64
>        sdk: x86-64
>        rust_target: x86_64-unknown-linux-musl" "$(diff "$work/before.yaml" matrices/openwrt.yaml)"
grep -q '{"arch":"mips_24kc","tag":"mips_24kc-24.10.1"},{"arch":"x86_64","tag":"x86_64-24.10.1"}' .github/workflows/build-package.yml ||
  fail "add-arch did not regenerate the assembly line"
run check
expect_status "check after add-arch" 0

# Failures leave every file as it was.
before=$(tree_digest .)
run add-arch x86_64
expect_status "duplicate" 2
expect_eq "duplicate: stderr" "matrices/openwrt.yaml:17:14: error: architecture 'x86_64' is already listed" "$err"
run add-arch sparc_v8
expect_status "unknown" 2
expect_eq "unknown: stderr" "matrices/openwrt.yaml:10:1: error: forgeline does not know the SDK target for 'sparc_v8'; pass --sdk (and --rust-target). Known architectures: aarch64_cortex-a53, aarch64_cortex-a72, aarch64_generic, arm_cortex-a15_neon-vfpv4, arm_cortex-a7_neon-vfpv4, arm_cortex-a9_vfpv3-d16, i386_pentium4, mips_24kc, mipsel_24kc, riscv64_riscv64, x86_64" "$err"
run add-arch sparc_v8 --sdk sparc-generic
expect_status "unknown rust target" 2
expect_eq "unknown rust target: stderr" "matrices/openwrt.yaml:10:1: error: forgeline does not know the Rust target for 'sparc_v8'; pass --rust-target. Known architectures: aarch64_cortex-a53, aarch64_cortex-a72, aarch64_generic, arm_cortex-a15_neon-vfpv4, arm_cortex-a7_neon-vfpv4, arm_cortex-a9_vfpv3-d16, i386_pentium4, mips_24kc, mipsel_24kc, riscv64_riscv64, x86_64" "$err"
run add-arch aarch64_cortex-a72
expect_status "ambiguous sdk" 2
expect_eq "ambiguous sdk: stderr" "matrices/openwrt.yaml:10:1: error: several SDK targets build aarch64_cortex-a72; pass --sdk with one of: bcm27xx-bcm2711, mvebu-cortexa72" "$err"
run add-arch "mips 24kc"
expect_status "bad name" 2
expect_eq "bad name: stderr" "forgeline: error: 'mips 24kc' is not a name: use letters, digits, '.', '_', '+' and '-'" "$err"
echo "edited" >>.github/workflows/build-package.yml
edited=$(tree_digest .)
run add-arch mipsel_24kc --sdk ramips-mt7621
expect_status "add-arch over a hand edit" 1
expect_eq "add-arch over a hand edit: stderr" ".github/workflows/build-package.yml:1:1: error: edited by hand since forgeline wrote it; move the change into the matrix or a template, or pass --force to overwrite it
forgeline: nothing written" "$err"
expect_eq "failed add-arch writes nothing" "$edited" "$(tree_digest .)"
sed -i '$d' .github/workflows/build-package.yml
expect_eq "failures left every file as it was" "$before" "$(tree_digest .)"

# Orphans: reported by check, removed by generate only when forgeline wrote them intact.
cp .github/workflows/build-package.yml .github/workflows/renamed-long-ago.yml
run check
expect_status "orphan" 1
expect_eq "orphan: first line" ".github/workflows/renamed-long-ago.yml: orphan: generated from matrices/openwrt.yaml but no longer produced; forgeline generate removes it" "$(head -n1 <<<"$out")"
echo "user workflow" >.github/workflows/mine.yml
run generate
expect_status "generate removes the orphan" 0
expect_eq "generate: stdout" "removed .github/workflows/renamed-long-ago.yml (no longer produced)
5 files: 0 written, 5 unchanged, 1 removed" "$out"
[[ -f .github/workflows/mine.yml ]] || fail "a file forgeline did not write was removed"
run check
expect_status "check after removal" 0

# JSON and annotations.
sed -i 's/^  cancel-in-progress: false/  cancel-in-progress: true/' .github/workflows/build-package.yml
run check --format json
expect_status "json" 1
expect_eq "json: summary" "false 5 edited .github/workflows/build-package.yml" \
  "$(python3 -c 'import json,sys; d=json.load(sys.stdin); f=d["files"][0]; print(str(d["current"]).lower(), d["checked"], f["state"], f["path"])' <<<"$out")"
GITHUB_ACTIONS=true run check
expect_eq "annotation" "::error file=.github/workflows/build-package.yml,line=1,col=1::.github/workflows/build-package.yml: edited by hand: move the change into matrices/openwrt.yaml or a template, then regenerate" "$(grep '^::' <<<"$out")"
run generate --force
expect_status "generate --force" 0

# Pinning: with a lock file every uses: is a SHA with the major as a comment.
sha() { printf "ab%038d" "$1"; }
{
  echo "# action pins"
  for a in actions/checkout@v7 actions/upload-artifact@v7 docker/login-action@v4 docker/setup-buildx-action@v4; do
    echo "$a: $(sha ${#a})"
  done
} >forgeline.lock
run check
expect_status "lock missing an action" 1
expect_eq "lock missing an action: stderr" ".github/workflows/builder-image.yml:106:15: error: docker/build-push-action@v7 is not pinned: add it to forgeline.lock with its commit SHA" "$err"
echo "docker/build-push-action@v7: $(sha 7)" >>forgeline.lock
run generate
expect_status "generate pinned" 0
expect_eq "pinned uses:" "    uses: ./.github/workflows/publish-builder-image.yml
        uses: actions/checkout@$(sha 19) # v7
        uses: actions/checkout@$(sha 19) # v7
        uses: actions/upload-artifact@$(sha 26) # v7
        uses: actions/upload-artifact@$(sha 26) # v7" "$(grep 'uses:' .github/workflows/build-package.yml)"
cp forgeline.lock "$work/good.lock"
echo "actions/checkout@v7: 1234" >forgeline.lock
run check
expect_status "bad lock" 2
expect_eq "bad lock: stderr" "forgeline.lock:1:22: error: actions/checkout@v7: expected a full 40-digit lowercase commit SHA" "$err"
# A lock beside the matrices comes first; the one in the current directory is not read then.
cp "$work/good.lock" matrices/forgeline.lock
run check
expect_status "lock beside the matrices" 0
expect_eq "lock beside the matrices: stdout" "5 files current" "$out"
rm forgeline.lock matrices/forgeline.lock

# init: a commented matrix per family that generates as it is; never overwrites.
mkdir -p "$work/fresh" && cd "$work/fresh"
run init openwrt-package
expect_status "init" 0
expect_eq "init: stdout" "wrote matrices/openwrt-package.yaml
wrote matrices/matrix.schema.json
next: edit matrices/openwrt-package.yaml, then run forgeline generate --matrix matrices/openwrt-package.yaml" "$out"
run generate
expect_status "generate from the scaffold" 0
run init openwrt-package
expect_status "init twice" 2
expect_eq "init twice: stderr" "forgeline: error: matrices/openwrt-package.yaml already exists; init never overwrites a matrix" "$err"
mkdir -p "$work/chain" && cd "$work/chain"
run init stage-chain
expect_status "init stage-chain" 0
# forgeline reads the stage Dockerfiles, which are the user's to write: until they exist,
# generate says which one is missing, where the matrix names it, and writes nothing.
run generate
expect_status "stage-chain scaffold without Dockerfiles" 2
expect_eq "stage-chain scaffold without Dockerfiles: first error" \
  "matrices/stage-chain.yaml:21:30: error: /stages/0/dockerfile: cannot read docker/Dockerfile.base: No such file or directory; forgeline reads each stage's Dockerfile to find the files it uses from the build context" \
  "$(head -n1 <<<"$err")"
[[ -e .github ]] && fail "stage-chain scaffold without Dockerfiles: wrote .github"
mkdir -p docker
printf 'FROM debian:bookworm\n' >docker/Dockerfile.base
printf 'ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\n' >docker/Dockerfile.toolkit
printf 'ARG TOOLKIT_IMAGE\nFROM ${TOOLKIT_IMAGE}\nCOPY src/ /src/\n' >docker/Dockerfile.app
run generate
expect_status "generate from the stage-chain scaffold" 0
expect_eq "stage-chain scaffold: last line" "7 files: 7 written, 0 unchanged" "$(tail -n1 <<<"$out")"
finish
