#include "model/architectures.hpp"

namespace forgeline::model {

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

const KnownArchitecture* find_architecture(std::string_view arch) {
  for (const auto& known : known_architecture_table())
    if (known.arch == arch) return &known;
  return nullptr;
}

}  // namespace forgeline::model
