#include "model/architectures.hpp"

namespace forgeline::model {

// Rust targets as openwrt/packages lang/rust/rust-values.mk derives them (RUSTC_TARGET_ARCH:
// the GNU target name with "openwrt" → "unknown", armv7 with FPU → musleabihf, i486 → i586,
// riscv64 → riscv64gc); SDK targets as openwrt/sdk image tags name them.
const std::vector<KnownArchitecture>& known_architecture_table() {
  static const std::vector<KnownArchitecture> table = {
      {"aarch64_cortex-a53", "aarch64-unknown-linux-musl", {"mediatek-filogic", "mediatek-mt7622", "mvebu-cortexa53", "qualcommax-ipq807x", "sunxi-cortexa53"}},
      {"aarch64_cortex-a72", "aarch64-unknown-linux-musl", {"bcm27xx-bcm2711", "mvebu-cortexa72"}},
      {"aarch64_generic", "aarch64-unknown-linux-musl", {"armsr-armv8", "rockchip-armv8"}},
      {"arm_cortex-a15_neon-vfpv4", "armv7-unknown-linux-musleabihf", {"ipq806x-generic"}},
      {"arm_cortex-a7_neon-vfpv4", "armv7-unknown-linux-musleabihf", {"bcm27xx-bcm2709", "ipq40xx-generic", "sunxi-cortexa7"}},
      {"arm_cortex-a9_vfpv3-d16", "armv7-unknown-linux-musleabihf", {"mvebu-cortexa9"}},
      {"i386_pentium4", "i586-unknown-linux-musl", {"x86-generic"}},
      {"mips_24kc", "mips-unknown-linux-musl", {"ath79-generic", "ath79-nand"}},
      {"mipsel_24kc", "mipsel-unknown-linux-musl", {"ramips-mt7621", "ramips-mt76x8"}},
      {"riscv64_riscv64", "riscv64gc-unknown-linux-musl", {"d1-generic", "sifiveu-generic"}},
      {"x86_64", "x86_64-unknown-linux-musl", {"x86-64"}},
  };
  return table;
}

// The Linux musl triples OpenWrt's Rust uses (lang/rust/rust-values.mk derives them from the
// GNU target name) that rustup ships, from Rust's platform support list
// (https://doc.rust-lang.org/rustc/platform-support.html, src/doc/rustc/src/platform-support.md):
// tier 2 with host tools, and tier 2 with a full std. Every other triple, the mips and mipsel
// ones among them, is tier 3.
bool rustup_ships(std::string_view triple) {
  static constexpr std::string_view shipped[] = {
      "aarch64-unknown-linux-musl",     "arm-unknown-linux-musleabi",    "arm-unknown-linux-musleabihf",
      "armv5te-unknown-linux-musleabi", "armv7-unknown-linux-musleabi",  "armv7-unknown-linux-musleabihf",
      "i586-unknown-linux-musl",        "i686-unknown-linux-musl",       "loongarch64-unknown-linux-musl",
      "powerpc64-unknown-linux-musl",   "riscv64gc-unknown-linux-musl",  "x86_64-unknown-linux-musl",
  };
  for (auto s : shipped)
    if (s == triple) return true;
  return false;
}

const KnownArchitecture* find_architecture(std::string_view arch) {
  for (const auto& known : known_architecture_table())
    if (known.arch == arch) return &known;
  return nullptr;
}

}  // namespace forgeline::model
