#pragma once

#include <string>
#include <string_view>

namespace forgeline::model {

/// The OpenWrt release a matrix builds for when it names none.
extern const std::string_view default_openwrt_release;

/// The SDK image (registry path without a tag) a matrix uses when it names none.
extern const std::string_view default_sdk_image;

/// OpenWrt's make target that builds the Rust host toolchain (rustc, cargo and the target's
/// std; LLVM too when it is built from source), which rust-package.mk packages depend on.
extern const std::string_view rust_host_target;

/// The package format an OpenWrt release produces: "apk" from 25.12 on, "ipk" before.
std::string package_extension(std::string_view openwrt_release);

/// True when the top-level Makefile of an OpenWrt SDK has a rule for this target. An SDK
/// builds packages only: its toolchain comes prebuilt, so tools/… and toolchain/… do not exist.
bool sdk_accepts(std::string_view make_target);

/// What an SDK can build, for error messages.
extern const std::string_view sdk_target_hint;

}  // namespace forgeline::model
