# Shared by the rehearsal tests that need a real engine: starts a private dockerd and a
# registry for this script (stopped on exit, also on failure), and a Debian base image built
# with mmdebstrap once and cached under the build folder.
#   engine_start NAME     dockerd + registry; sets DOCKER_HOST, REGISTRY (127.0.0.1:PORT), DOCKER
#   base_image [TAG]...   imports the cached trixie tarball as debian:trixie (and as each TAG)
#   downloads_start ADDR  an HTTPS stand-in for download hosts on ADDR:443; sets add_hosts
# Run as root, or as a user with password-less sudo (a CI runner): dockerd, mmdebstrap and the
# download stand-in (port 443) then run through sudo. A machine with neither, or without
# dockerd, docker-registry, skopeo or mmdebstrap, skips the test (exit 77).
# shellcheck shell=bash
source "$(dirname "${BASH_SOURCE[0]}")/rehearse_lib.sh"

: "${BUILD_ROOT:?set by meson test}"
cache_dir="$BUILD_ROOT/rehearse-cache"
engine_dir=""
as_root=()
# A client that builds with BuildKit: one with the buildx plugin, else Debian's 20.10 client,
# which uses the daemon's own BuildKit (a newer client without buildx cannot build).
DOCKER=/usr/bin/docker
if command -v docker >/dev/null && docker buildx version >/dev/null 2>&1; then DOCKER=$(command -v docker); fi

engine_skip() {
  echo "SKIP: $*" >&2
  exit 77
}

engine_stop() {
  [[ -n "$engine_dir" ]] || return 0
  for pidfile in "$engine_dir/downloads.pid" "$engine_dir/registry.pid" "$engine_dir/docker.pid"; do
    [[ -s "$pidfile" ]] || continue
    local pid
    pid=$(cat "$pidfile")
    "${as_root[@]}" kill "$pid" 2>/dev/null
    for _ in $(seq 1 100); do "${as_root[@]}" kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    "${as_root[@]}" kill -9 "$pid" 2>/dev/null
  done
  # dockerd can leave its network namespace mounted in the exec root.
  grep -o " $engine_dir/[^ ]*" /proc/mounts | sort -r | xargs -r -n1 "${as_root[@]}" umount -l 2>/dev/null
  "${as_root[@]}" rm -rf "$engine_dir"
}

# have TOOL: installed, also where only root's PATH finds it (/usr/sbin/dockerd).
have() { command -v "$1" >/dev/null || [[ -x "/usr/sbin/$1" || -x "/usr/bin/$1" ]]; }

engine_start() {
  local name=$1
  if ((EUID != 0)); then
    sudo -n true 2>/dev/null || engine_skip "dockerd needs root, or sudo without a password"
    as_root=(sudo -n)
  fi
  for tool in dockerd docker-registry skopeo mmdebstrap "$DOCKER"; do
    have "$tool" || engine_skip "$tool is not installed (scripts/bootstrap installs it)"
  done
  # Sockets live in a short folder (a unix socket path has at most 107 bytes); images and
  # layers under the build folder, so a rerun finds them.
  engine_dir=$(mktemp -d /tmp/fl-XXXXXX)
  local data="$cache_dir/docker-$name"
  mkdir -p "$data" "$engine_dir/exec"
  # Containers leave root's files in the work folder.
  trap 'engine_stop; "${as_root[@]}" rm -rf "$work"' EXIT
  # Own containerd namespaces, in case the machine's containerd is shared with other daemons.
  "${as_root[@]}" dockerd --iptables=false --bridge=none --data-root "$data" --exec-root "$engine_dir/exec" \
    --containerd-namespace "forgeline-$name" --containerd-plugins-namespace "forgeline-$name-plugins" \
    --pidfile "$engine_dir/docker.pid" -H "unix://$engine_dir/docker.sock" >"$engine_dir/dockerd.log" 2>&1 &
  export DOCKER_HOST="unix://$engine_dir/docker.sock"
  for _ in $(seq 1 150); do [[ -S "$engine_dir/docker.sock" ]] && break; sleep 0.2; done
  [[ -z "${as_root[*]}" ]] || "${as_root[@]}" chown "$(id -u)" "$engine_dir/docker.sock"
  for _ in $(seq 1 150); do "$DOCKER" version >/dev/null 2>&1 && break; sleep 0.2; done
  "$DOCKER" version >/dev/null 2>&1 || { tail -20 "$engine_dir/dockerd.log" >&2; fail "dockerd did not start"; finish; }

  local port
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  mkdir -p "$engine_dir/registry"
  printf 'version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: 127.0.0.1:%s\n' \
    "$engine_dir/registry" "$port" >"$engine_dir/registry.yml"
  docker-registry serve "$engine_dir/registry.yml" >"$engine_dir/registry.log" 2>&1 &
  echo $! >"$engine_dir/registry.pid"
  export REGISTRY="127.0.0.1:$port"
  for _ in $(seq 1 100); do
    python3 -c "import urllib.request; urllib.request.urlopen('http://$REGISTRY/v2/')" 2>/dev/null && break
    sleep 0.1
  done
}

# debian_image SUITE TAG: Debian SUITE (minbase, with what the stand-ins need: certificates
# for the download stand-in, make, and the git and curl an OpenWrt SDK image has) imported as
# TAG, the base every stand-in builds on. Docker Hub is not reachable, so it comes from
# Debian's mirror with mmdebstrap: built once, then cached as a tarball under the build folder
# (named by what it includes, so a change to the list makes a new one).
base_packages=ca-certificates,make,git,curl
debian_image() {
  local suite=$1 tag=$2 tarball
  tarball="$cache_dir/$1-minbase-$(sha256sum <<<"$base_packages" | cut -c1-8).tar"
  mkdir -p "$cache_dir"
  (
    flock 9
    if [[ ! -s "$tarball" ]]; then
      "${as_root[@]}" mmdebstrap --quiet --format=tar --variant=minbase --include="$base_packages" "$suite" "$tarball.part" >&2 &&
        mv "$tarball.part" "$tarball"
    fi
  ) 9>"$cache_dir/$suite.lock"
  [[ -s "$tarball" ]] || { fail "mmdebstrap could not build $tarball"; finish; }
  # The image names its tarball, so a data root kept from an older list imports the new one.
  [[ $("$DOCKER" image inspect --format '{{index .Config.Labels "forgeline.base"}}' "$tag" 2>/dev/null) == "${tarball##*/}" ]] ||
    "$DOCKER" import --change "LABEL forgeline.base=${tarball##*/}" "$tarball" "$tag" >/dev/null
}

base_image() {
  debian_image trixie debian:trixie
  local tag
  for tag in "$@"; do "$DOCKER" tag debian:trixie "$tag" || fail "docker tag debian:trixie $tag"; done
}

# registry_digest IMAGE: the manifest digest of IMAGE in the test registry ("" when absent).
registry_digest() {
  skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$REGISTRY/$1" 2>/dev/null
}

# The hosts the download stand-in answers for. Its certificate and the CA that signs it are
# made once and cached, so stand-in images that trust the CA stay valid between runs.
download_hosts=(sh.rustup.rs static.rust-lang.org github.com index.crates.io static.crates.io)

downloads_ca() {
  local ca="$cache_dir/downloads-ca"
  mkdir -p "$ca"
  (
    flock 9
    if [[ ! -s "$ca/server.crt" ]]; then
      local names
      names=$(printf 'DNS:%s,' "${download_hosts[@]}")
      openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=forgeline rehearsal stand-in CA" \
        -keyout "$ca/ca.key" -out "$ca/ca.crt" 2>/dev/null &&
        openssl req -newkey rsa:2048 -nodes -subj "/CN=forgeline rehearsal downloads" \
          -keyout "$ca/server.key" -out "$ca/server.csr" 2>/dev/null &&
        openssl x509 -req -days 3650 -in "$ca/server.csr" -CA "$ca/ca.crt" -CAkey "$ca/ca.key" -CAcreateserial \
          -extfile <(printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\n' "${names%,}") \
          -out "$ca/server.crt.part" 2>/dev/null &&
        mv "$ca/server.crt.part" "$ca/server.crt"
    fi
  ) 9>"$cache_dir/downloads-ca.lock"
  [[ -s "$ca/server.crt" ]] || { fail "openssl could not make the stand-in certificates"; finish; }
  downloads_ca_file="$ca/ca.crt"
}

# downloads_start ADDRESS: serves $downloads_root/<host>/<path> over HTTPS on ADDRESS:443 (a
# loopback address of this script's own, so scripts running at once do not collide); every
# request is logged to $downloads_log. Builds and job containers reach it through add_hosts.
downloads_start() {
  local address=$1
  downloads_ca
  downloads_root="$work/downloads"
  downloads_log="$work/downloads.log"
  mkdir -p "$downloads_root"
  : >"$downloads_log"
  "${as_root[@]}" python3 "$(dirname "${BASH_SOURCE[0]}")/downloads.py" "$address" "$cache_dir/downloads-ca/server.crt" \
    "$cache_dir/downloads-ca/server.key" "$downloads_root" "$downloads_log" >"$engine_dir/downloads.out" 2>&1 &
  echo $! >"$engine_dir/downloads.pid"
  for _ in $(seq 1 50); do
    python3 -c "import socket; socket.create_connection(('$address', 443), 1)" 2>/dev/null && break
    sleep 0.1
  done
  add_hosts=()
  for host in "${download_hosts[@]}"; do add_hosts+=(--add-host "$host:$address"); done
}
