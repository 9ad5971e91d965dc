#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace forgeline::model {

/// The OpenWrt release a matrix builds for when it names none.
extern const std::string_view default_openwrt_release;

/// The SDK image (registry path without a tag) a matrix uses when it names none.
extern const std::string_view default_sdk_image;

/// OpenWrt's make target that builds the Rust host toolchain (rustc, cargo and the target's
/// std; LLVM too when it is built from source), which rust-package.mk packages depend on.
extern const std::string_view rust_host_target;

/// What a matrix's `openwrt` names for the daily builds of the main branch instead of a release.
extern const std::string_view snapshot_release;

bool is_snapshot(std::string_view openwrt_release);

/// The version part of an SDK image tag: the release itself, or SNAPSHOT for daily builds.
std::string sdk_tag_version(std::string_view openwrt_release);

/// The package format an OpenWrt release produces: "apk" from 25.12 on and for snapshots,
/// "ipk" before.
std::string package_extension(std::string_view openwrt_release);

/// The file in the SDK's top directory that `make package/index` signs the index with when
/// CONFIG_SIGNED_PACKAGES is set: a usign secret key for ipk, an EC private key for apk.
std::string signing_key_file(std::string_view package_extension);

/// Where the checksums of a snapshot SDK are published, for an SDK image target such as
/// mediatek-filogic; empty when the target is not of the form <target>-<subtarget>.
std::string snapshot_checksums_url(std::string_view sdk_target);

/// The pattern (grep -E) of the warnings `make package/<name>/check` prints for a source
/// whose hash does not match, uses a deprecated algorithm or is missing. The check only
/// warns, so the log is searched for them.
extern const std::string_view hash_problem_pattern;

/// The feeds a release SDK's feeds.conf.default lists, which an added feed may not be named.
const std::vector<std::string_view>& default_feed_names();

/// The feed that holds the Rust toolchain (lang/rust), needed when the factory builds Rust.
extern const std::string_view rust_feed;

/// True when the top-level Makefile of an OpenWrt SDK has a rule for this target. An SDK
/// builds packages only: its toolchain comes prebuilt, so tools/… and toolchain/… do not exist.
bool sdk_accepts(std::string_view make_target);

/// What an SDK can build, for error messages.
extern const std::string_view sdk_target_hint;

}  // namespace forgeline::model
