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

/// True when rustup ships a standard library for this triple (Rust's tier 1 and tier 2), so
/// `rustup target add` can install it. Tier 3 triples such as mips-unknown-linux-musl have no
/// rustup build: OpenWrt compiles their std itself (lang/rust builds rust/host for the target).
bool rustup_ships(std::string_view triple);

}  // namespace forgeline::model
