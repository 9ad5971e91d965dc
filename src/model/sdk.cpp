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

// OpenWrt 25.12 replaced opkg with apk-tools (https://openwrt.org/releases/25.12/start):
// its SDK writes .apk packages, earlier releases .ipk.
std::string package_extension(std::string_view openwrt_release) {
  const int major = std::atoi(std::string(openwrt_release).c_str());
  return major >= 25 ? "apk" : "ipk";
}

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
