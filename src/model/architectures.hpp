#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace forgeline::model {

/// What forgeline knows about an OpenWrt package architecture: its Rust target (from
/// lang/rust's rust-values.mk) and the SDK targets that build for it.
struct KnownArchitecture {
  std::string_view arch;
  std::string_view rust_target;
  std::vector<std::string_view> sdks;  // target-subtarget names of openwrt/sdk images
};

const std::vector<KnownArchitecture>& known_architecture_table();
const KnownArchitecture* find_architecture(std::string_view arch);

}  // namespace forgeline::model
