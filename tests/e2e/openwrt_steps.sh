#!/usr/bin/env bash
# The assembly line's build steps, as generated, run against a stand-in OpenWrt SDK: the
# generated run scripts, in order, in a folder standing for /builder, with a fake `make` for
# the package targets (GNU make itself answers the package-deps query, as in the SDK) and a
# fake scripts/feeds. A bad hash, stale patches, a package the target does not enable and a
# failing compile must each end the way the workflow promises; a clean run must leave the
# packages and a signed index where the upload step looks. shellcheck reads every script.
source "$(dirname "$0")/lib.sh"

real_make=$(command -v make) || { fail "make is not installed"; finish; }
command -v shellcheck >/dev/null || { fail "shellcheck is not installed: run scripts/bootstrap"; finish; }

# step FILE NAME: the run script of step NAME of the build job in FILE (container mode).
step() {
  awk -v name="      - name: $2" '
    $0 == name { found = 1; next }
    found && /^        run: \|$/ { body = 1; next }
    body { if ($0 ~ /^          / || $0 == "") { print substr($0, 11); next } exit }
    found && /^      - / { exit }
  ' "$1"
}

# The stand-ins. make: logs every call to $SDK/make.log and imitates the package targets;
# FAKE_BAD_HASH, FAKE_STALE, FAKE_DISABLED and FAKE_FAIL name the packages that misbehave.
mkdir -p "$work/fakebin"
cat >"$work/fakebin/make" <<EOF
#!/usr/bin/env bash
echo "make \$*" >>make.log
for a in "\$@"; do [[ \$a == -f ]] && exec "$real_make" "\$@"; done
exec bash "$work/fake-make.sh" "\$@"
EOF
chmod +x "$work/fakebin/make"
cat >"$work/fake-make.sh" <<'EOF'
listed() { [[ " $2 " == *" $1 "* ]]; }
target= vars=" "
for a in "$@"; do case $a in *=*) vars+="$a " ;; -*) ;; *) target=$a ;; esac; done
feed_of() { local d; for d in package/feeds/*/"$1"; do [[ -e $d ]] && { d=${d#package/feeds/}; echo "${d%%/*}"; return; }; done; }
case $target in
  defconfig)
    mkdir -p tmp
    : >tmp/.packagedeps
    for d in package/feeds/*/*; do
      [[ -e $d ]] || continue
      p=${d##*/} f=${d#package/feeds/}; f=${f%%/*}
      echo "package-\$(CONFIG_PACKAGE_$p) += feeds/$f/$p" >>tmp/.packagedeps
      if listed "$p" "${FAKE_DISABLED:-}"; then
        grep -v "^CONFIG_PACKAGE_$p=" .config >.config.new; mv .config.new .config
        echo "# CONFIG_PACKAGE_$p is not set" >>.config
      elif ! grep -q "^CONFIG_PACKAGE_$p=" .config; then
        echo "CONFIG_PACKAGE_$p=m" >>.config
      fi
    done ;;
  package/index)
    for d in bin/packages/*/*; do
      ls "$d" >"$d/Packages"
      if [[ $vars == *" CONFIG_SIGNED_PACKAGES=y "* ]]; then cp key-build "$d/Packages.sig"; fi
    done ;;
  package/*/*)
    p=${target#package/}; p=${p%/*} action=${target##*/}
    if [[ $vars == *" BUILD_LOG=1 "* ]]; then
      mkdir -p "logs/package/feeds/$(feed_of "$p")/$p"; echo "log of $action" >"logs/package/feeds/$(feed_of "$p")/$p/$action.txt"
    fi
    case $action in
      check) if listed "$p" "${FAKE_BAD_HASH:-}"; then echo "WARNING: PKG_HASH does not match $p-1.0.tar.xz hash 0123"; fi ;;
      refresh) if listed "$p" "${FAKE_STALE:-}"; then
          patch=$(find -L forgeline-feed -path "*/$p/patches/*" -type f | head -n1); echo "-refreshed" >>"$patch"; fi ;;
      compile)
        if listed "$p" "${FAKE_FAIL:-}"; then echo "$p.c:1: error: expected ';'"; exit 2; fi
        mkdir -p "bin/packages/$ARCH/$(feed_of "$p")"; touch "bin/packages/$ARCH/$(feed_of "$p")/${p}_1.0-r1_$ARCH.ipk" ;;
    esac ;;
esac
EOF
# scripts/feeds: src-link feeds only, with the index lines the real one writes.
new_sdk() {
  rm -rf "$1" && mkdir -p "$1/scripts" && cd "$1" || return
  echo "src-git packages https://git.openwrt.org/feed/packages.git^0123456789abcdef" >feeds.conf.default
  echo "CONFIG_TARGET_x86=y" >.config
  cat >scripts/feeds <<'EOF'
#!/usr/bin/env bash
conf=feeds.conf; [[ -f $conf ]] || conf=feeds.conf.default
cmd=$1; shift
case $cmd in
  update)
    dir=$(sed -n "s|^src-link $1 ||p" "$conf"); [[ -n $dir ]] || { echo "no feed $1"; exit 1; }
    mkdir -p feeds && rm -rf "feeds/$1" && ln -s "$dir" "feeds/$1"
    (cd "feeds/$1" && find -L . -mindepth 2 -name Makefile -not -path '*/.git/*' | sort) |
      sed "s|^\./|Source-Makefile: feeds/$1/|" >"feeds/$1.index" ;;
  install)
    [[ $1 == -p ]] && { feed=$2; shift 2; }; [[ $1 == -f ]] && shift
    names=("$@"); [[ ${names[0]} == -a ]] && mapfile -t names < <(sed 's|^Source-Makefile: .*/\([^/]*\)/Makefile$|\1|' "feeds/$feed.index")
    mkdir -p "package/feeds/$feed"
    for n in "${names[@]}"; do
      path=$(grep "/$n/Makefile$" "feeds/$feed.index" | sed 's|^Source-Makefile: \(.*\)/Makefile$|\1|')
      ln -sfn "../../../$path" "package/feeds/$feed/$n"
    done ;;
esac
EOF
  chmod +x scripts/feeds
  cd "$SOURCE_ROOT" || return
}

sdk="$work/builder"
ws="$work/ws"
export GIT_CONFIG_GLOBAL="$work/gitconfig" GITHUB_WORKSPACE="$ws" ARCH=aarch64_cortex-a53
fakepath="$work/fakebin:$PATH"

# run_step FILE NAME: runs it as the job does (bash -eo pipefail in /builder); sets $status, $out.
run_step() {
  step "$1" "$2" | sed "s|/builder|$sdk|g" >"$work/step.sh"
  [[ -s $work/step.sh ]] || { fail "$2: no such step in $1"; return; }
  out=$(cd "$sdk" && PATH="$fakepath" bash -eo pipefail "$work/step.sh" 2>&1)
  status=$?
}

steps=("Put the packages into the SDK" "Download sources and check their hashes"
       "Check that the patches need no refresh" "Compile" "Build the package index" "Collect packages")

# The package mode of matrices/openwrt.yaml: the checkout at $GITHUB_WORKSPACE/tollgate-wrt.
run generate --matrix matrices/openwrt.yaml --out "$work/pkg"
expect_status "generate openwrt.yaml" 0
wf="$work/pkg/.github/workflows/build-package.yml"
fresh_package() {
  rm -rf "$ws" && mkdir -p "$ws/tollgate-wrt/patches" "$ws/tollgate-wrt/files"
  echo "PKG_NAME:=tollgate-wrt" >"$ws/tollgate-wrt/Makefile"
  echo "--- a/x" >"$ws/tollgate-wrt/patches/001-fix.patch"
  echo "#!/bin/sh /etc/rc.common" >"$ws/tollgate-wrt/files/tollgate.init"
  new_sdk "$sdk"
}

# A clean run, the index signed with the key from the secret.
fresh_package
export SIGNING_KEY="untrusted comment: test key"
for s in "${steps[@]}"; do
  run_step "$wf" "$s"
  expect_status "clean run: $s" 0
done
unset SIGNING_KEY
expect_eq "clean run: make calls" "make defconfig
make package/tollgate-wrt/download V=s BUILD_LOG=1
make package/tollgate-wrt/check V=s BUILD_LOG=1
make package/tollgate-wrt/refresh V=s BUILD_LOG=1
make package/tollgate-wrt/clean V=s
make -s -f .config -f tmp/.packagedeps -f forgeline-enabled.mk print-enabled
make package/tollgate-wrt/compile -j$(nproc) BUILD_LOG=1
make package/index V=s CONFIG_SIGNED_PACKAGES=y" "$(cat "$sdk/make.log")"
expect_eq "clean run: the uploaded folder" "Packages
Packages.sig
tollgate-wrt_1.0-r1_aarch64_cortex-a53.ipk" "$(LC_ALL=C ls "$ws/forgeline-out/packages")"
expect_eq "clean run: the index is signed with the secret's key" "untrusted comment: test key" \
  "$(cat "$ws/forgeline-out/packages/Packages.sig")"
[[ -e $sdk/key-build ]] && fail "clean run: the signing key stays in the SDK after the index step"
expect_eq "clean run: the repository is the feed 'action'" "src-git packages https://git.openwrt.org/feed/packages.git^0123456789abcdef
src-link action $sdk/forgeline-feed" "$(cat "$sdk/feeds.conf")"

# Without the secret (a pull request from a fork): unsigned, and the log says so.
run_step "$wf" "Build the package index"
expect_status "no secret: index" 0
expect_eq "no secret: the warning" "::warning title=Unsigned package index::secret PACKAGE_SIGNING_KEY is empty (pull requests from forks get no secrets), so the package index is not signed" \
  "$(grep '^::warning' <<<"$out")"
expect_eq "no secret: make" "make package/index V=s CONFIG_SIGNED_PACKAGES=" "$(tail -n1 "$sdk/make.log")"

# A hash that does not match fails the hash step.
fresh_package
run_step "$wf" "Put the packages into the SDK"
FAKE_BAD_HASH=tollgate-wrt run_step "$wf" "Download sources and check their hashes"
expect_status "bad hash" 1
expect_eq "bad hash: the error" "::error title=tollgate-wrt: source hash::make package/tollgate-wrt/check found a hash that does not match, is deprecated or is missing (its output is above): set the hash it prints in the package's Makefile" \
  "$(grep '^::error' <<<"$out")"

# Patches that need a refresh fail the refresh step, with the diff in the log.
FAKE_STALE=tollgate-wrt run_step "$wf" "Check that the patches need no refresh"
expect_status "stale patches" 1
grep -q '^+-refreshed$' <<<"$out" || fail "stale patches: no diff in the log"
expect_eq "stale patches: the error" "::error title=tollgate-wrt: patches::make package/tollgate-wrt/refresh changes its patches (the diff is above): run it, review the result and commit it" \
  "$(grep '^::error' <<<"$out")"

# A package the target does not enable: a warning, not a failure, and nothing compiled.
fresh_package
FAKE_DISABLED=tollgate-wrt run_step "$wf" "Put the packages into the SDK"
FAKE_DISABLED=tollgate-wrt run_step "$wf" "Compile"
expect_status "not enabled" 0
expect_eq "not enabled: the warning" "::warning title=tollgate-wrt not built for aarch64_cortex-a53::tollgate-wrt is not enabled for aarch64_cortex-a53 (its DEPENDS or @ conditions exclude this target), so it is not built" \
  "$(grep '^::warning' <<<"$out")"
grep -q 'compile' "$sdk/make.log" && fail "not enabled: compiled anyway"

# A failing compile runs again with V=s -j1; logs/ goes where the log upload looks.
fresh_package
run_step "$wf" "Put the packages into the SDK"
FAKE_FAIL=tollgate-wrt run_step "$wf" "Compile"
expect_status "failed compile" 1
expect_eq "failed compile: make calls" "make package/tollgate-wrt/compile -j$(nproc) BUILD_LOG=1
make package/tollgate-wrt/compile V=s -j1" "$(grep '/compile' "$sdk/make.log")"
expect_eq "failed compile: the error" "::error title=tollgate-wrt failed to compile::make package/tollgate-wrt/compile failed; the serial build above shows the error, the artifact tollgate-wrt-aarch64_cortex-a53-logs holds logs/" \
  "$(grep '^::error' <<<"$out")"
run_step "$wf" "Collect build logs"
expect_status "failed compile: collect logs" 0
expect_eq "failed compile: the first build's log is kept" "log of compile" \
  "$(cat "$ws/forgeline-out/logs/package/feeds/action/tollgate-wrt/compile.txt")"

# A feed without a package list: every package its index names is built.
cat >"$work/feed.yaml" <<'EOF'
forgeline: 1
family: openwrt-package
feed: {name: myfeed, path: feeds}
image: ghcr.io/acme/builder
openwrt: 24.10.8
index: true
architectures:
  - {arch: aarch64_cortex-a53, sdk: mediatek-filogic}
EOF
run generate --matrix "$work/feed.yaml" --out "$work/feed"
expect_status "generate a feed matrix" 0
wf="$work/feed/.github/workflows/build-package.yml"
rm -rf "$ws" && mkdir -p "$ws/myfeed/feeds/net/alpha" "$ws/myfeed/feeds/utils/beta"
touch "$ws/myfeed/feeds/net/alpha/Makefile" "$ws/myfeed/feeds/utils/beta/Makefile"
new_sdk "$sdk"
for s in "${steps[@]}"; do
  run_step "$wf" "$s"
  expect_status "feed: $s" 0
  [[ $s == "Build the package index" ]] &&
    expect_eq "feed: unsigned, and said so" "The package index is not signed: the matrix names no index.signing_key_secret" \
      "$(grep 'not signed' <<<"$out")"
done
expect_eq "feed: the packages found" "alpha
beta" "$(cat "$sdk/forgeline-packages")"
expect_eq "feed: the uploaded folder" "Packages
alpha_1.0-r1_aarch64_cortex-a53.ipk
beta_1.0-r1_aarch64_cortex-a53.ipk" "$(LC_ALL=C ls "$ws/forgeline-out/packages")"

# The init-script check: once, on the runner's checkout, with shfmt's diff as the verdict.
cat >"$work/fakebin/shfmt" <<'EOF'
#!/usr/bin/env bash
echo "shfmt $*" >>"$SHFMT_LOG"
bad=0
for f in "$@"; do [[ -f $f ]] && grep -q 'BADLY' "$f" && { echo "--- $f.orig"; bad=1; }; done
exit $bad
EOF
chmod +x "$work/fakebin/shfmt"
export SHFMT_LOG="$work/shfmt.log"
init_check() {
  awk '/^      - name: Check the init scripts. format$/ { f = 1; next } f && /^        run: \|$/ { b = 1; next }
       b { if ($0 ~ /^          /) { print substr($0, 11); next } exit }' "$work/pkg/.github/workflows/build-package.yml" >"$work/init.sh"
  out=$(cd "$ws/tollgate-wrt" && PATH="$fakepath" bash -e "$work/init.sh" 2>&1)
  status=$?
}
fresh_package
init_check
expect_status "init scripts formatted" 0
expect_eq "init scripts formatted: shfmt" "shfmt -d -sr -s files/tollgate.init" "$(cat "$SHFMT_LOG")"
echo "BADLY indented" >>"$ws/tollgate-wrt/files/tollgate.init"
init_check
expect_status "init script not formatted" 1
expect_eq "init script not formatted: the error" "::error title=Init scripts::shfmt -sr -s would change these init scripts (the diff is above): run shfmt -w -sr -s on them and commit the result" \
  "$(grep '^::error' <<<"$out")"

# shellcheck reads every run script of every generated OpenWrt workflow.
for m in matrices/openwrt*.yaml; do
  name=$(basename "$m" .yaml)
  run generate --matrix "$m" --out "$work/sc/$name"
  for f in "$work/sc/$name"/.github/workflows/*.yml; do
    awk '/^ *run: \|$/ { indent = index($0, "run:") + 1; body = 1; n++; next }
         /^ *run: / && !/\|$/ { sub(/^ *run: /, ""); print > (FILENAME "." ++n ".sh"); next }
         body { if (substr($0, 1, indent) ~ /^ +$/ || $0 == "") { print substr($0, indent + 1) > (FILENAME "." n ".sh"); next } body = 0 }' "$f"
  done
done
scripts=("$work"/sc/*/.github/workflows/*.sh)
((${#scripts[@]} >= 30)) || fail "shellcheck: expected at least 30 run scripts, got ${#scripts[@]}"
# GitHub's expressions are text to shellcheck; SC2016: the single-quoted $(…) is make's, on purpose.
sed -i 's/\${{[^}]*}}/EXPR/g' "${scripts[@]}"
shellcheck -s bash -e SC2016 "${scripts[@]}" >"$work/shellcheck.out" 2>&1 ||
  fail "shellcheck: $(cat "$work/shellcheck.out")"
finish
