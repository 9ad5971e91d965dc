#include "model/sdk.hpp"

#include <algorithm>
#include <array>
#include <cstdlib>

namespace forgeline::model {

// The current releases of both maintained series, as of September 2026: 24.10.8
// (https://forum.openwrt.org/t/openwrt-24-10-8-service-release/252195) and 25.12.5
// (https://openwrt.org/releases/25.12/notes-25.12.5). The newer series is the default.
const std::string_view default_openwrt_release = "25.12.5";

// openwrt/docker publishes the SDK images as openwrt/sdk on Docker Hub and as
// ghcr.io/openwrt/sdk and quay.io/openwrt/sdk (its README and .github/workflows/containers.yml),
// tagged <target>-<subtarget>-<version>; release images come with the SDK unpacked in
// /builder, owned by the image's user buildbot.
const std::string_view default_sdk_image = "openwrt/sdk";

const std::string_view rust_host_target = "package/feeds/packages/rust/host/compile";

const std::string_view snapshot_release = "snapshot";

bool is_snapshot(std::string_view openwrt_release) { return openwrt_release == snapshot_release; }

// openwrt/docker .github/workflows/containers.yml builds the main branch as VERSION=SNAPSHOT and
// tags its SDK images <target>-<subtarget>-SNAPSHOT (also -main, -master and bare), releases
// as <target>-<subtarget>-<version>.
std::string sdk_tag_version(std::string_view openwrt_release) {
  return is_snapshot(openwrt_release) ? "SNAPSHOT" : std::string(openwrt_release);
}

// OpenWrt 25.12 replaced opkg with apk-tools (https://openwrt.org/releases/25.12/start), as
// the main branch had before it: its SDK writes .apk packages, earlier releases .ipk.
std::string package_extension(std::string_view openwrt_release) {
  if (is_snapshot(openwrt_release)) return "apk";
  const int major = std::atoi(std::string(openwrt_release).c_str());
  return major >= 25 ? "apk" : "ipk";
}

// openwrt/openwrt rules.mk: BUILD_KEY=$(TOPDIR)/key-build (usign, signs an ipk feed's Packages)
// and BUILD_KEY_APK_SEC=$(TOPDIR)/private-key.pem (signs an apk feed's packages.adb);
// package/Makefile's index target uses them when CONFIG_SIGNED_PACKAGES is set. gh-action-sdk
// entrypoint.sh writes its KEY_BUILD and PRIVATE_KEY inputs to these two files.
std::string signing_key_file(std::string_view package_extension) {
  return package_extension == "apk" ? "private-key.pem" : "key-build";
}

// A snapshot SDK image holds only openwrt/docker's setup.sh, which downloads the newest SDK
// of its target from downloads.openwrt.org/snapshots/targets/<target>/<subtarget>/ and checks
// it against the sha256sums file there (openwrt/docker README and setup.sh). Its image tag
// is the target path with '/' as '-' (containers.yml); target names have no '-'.
std::string snapshot_checksums_url(std::string_view sdk_target) {
  const auto dash = sdk_target.find('-');
  if (dash == std::string_view::npos || dash == 0 || dash + 1 == sdk_target.size() ||
      sdk_target.find('_') != std::string_view::npos)
    return {};
  return "https://downloads.openwrt.org/snapshots/targets/" + std::string(sdk_target.substr(0, dash)) + "/" +
         std::string(sdk_target.substr(dash + 1)) + "/sha256sums";
}

// openwrt/openwrt include/download.mk: C_hash_mismatch "$(3) does not match $(1) hash …",
// C_hash_deprecated "$(3) uses deprecated hash, set to …", C_hash_missing "$(3) is missing,
// set to …", where $(3) is PKG_HASH, MIRROR_HASH or a Download's HASH; check_warn prints them
// without failing. gh-action-sdk entrypoint.sh greps for the same three.
const std::string_view hash_problem_pattern = "HASH does not match |HASH uses deprecated hash,|HASH is missing,";

// openwrt/openwrt feeds.conf.default (packages, luci, routing, telephony, video) and the base
// feed target/sdk/Makefile writes before them into the SDK's copy.
const std::vector<std::string_view>& default_feed_names() {
  static const std::vector<std::string_view> names = {"base", "packages", "luci", "routing", "telephony", "video"};
  return names;
}

// openwrt/packages lang/rust: the feed rust_host_target builds from.
const std::string_view rust_feed = "packages";

namespace {

// What an SDK's top-level Makefile has rules for. The SDK replaces OpenWrt's Makefile with
// openwrt/openwrt target/sdk/files/Makefile: its first pass includes include/toplevel.mk
// (configuration, download, feeds symlinks; anything else is passed on), its second pass has
// only world, clean, dirclean, prereq and package/Makefile's targets. There is no tools/,
// toolchain/ or target/ tree, so no tools/install or toolchain/install; kernel_* need
// toolchain/install. menuconfig, nconfig, xconfig and config wait for a terminal.
constexpr std::array top_level = {
    "clean",     "config-clean", "defconfig",       "dirclean",      "distclean",    "download",
    "oldconfig", "prepare",      "prepare-tmpinfo", "prereq",        "symlinkclean", "symlinkinstall",
    "update",    "world",        "package/symlinks", "package/symlinks-install", "package/symlinks-clean",
};

// package/<dir>/<action> and package/<dir>/host/<action> come from include/subdir.mk for each
// package directory and build type, with the actions of rules.mk's DEFAULT_SUBDIR_TARGETS
// (a short alias package/<last dir>/<action> exists for nested directories).
constexpr std::array subdir_actions = {"check",   "check-depends", "clean",   "compile",   "configure", "dist",
                                       "distcheck", "download",    "prepare", "prereq",    "refresh",   "update"};

// package/<action>: the same actions over all packages, plus package/Makefile's own.
constexpr std::array package_actions = {"cleanup", "index", "install", "merge", "merge-index"};

template <std::size_t N>
bool in(const std::array<const char*, N>& list, std::string_view word) {
  return std::any_of(list.begin(), list.end(), [&](const char* w) { return word == w; });
}

bool is_dir_part(std::string_view part) {
  if (part.empty() || part == "." || part == "..") return false;
  return std::all_of(part.begin(), part.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '+' || c == '-';
  });
}

}  // namespace

bool sdk_accepts(std::string_view target) {
  if (in(top_level, target)) return true;
  constexpr std::string_view prefix = "package/";
  if (!target.starts_with(prefix)) return false;
  std::string_view rest = target.substr(prefix.size());
  const auto slash = rest.rfind('/');
  if (slash == std::string_view::npos) return in(subdir_actions, rest) || in(package_actions, rest);
  if (!in(subdir_actions, rest.substr(slash + 1))) return false;
  std::string_view dirs = rest.substr(0, slash);
  for (;;) {
    const auto next = dirs.find('/');
    if (!is_dir_part(dirs.substr(0, next))) return false;
    if (next == std::string_view::npos) return true;
    dirs = dirs.substr(next + 1);
  }
}

const std::string_view sdk_target_hint =
    "its toolchain comes prebuilt and its Makefile builds packages only; use package/<dir>/compile, "
    "package/<dir>/host/compile (the Rust toolchain: package/feeds/packages/rust/host/compile), defconfig or download";

}  // namespace forgeline::model
