#include <doctest/doctest.h>

#include "model/architectures.hpp"

TEST_SUITE("model::architectures") {
  TEST_CASE("rustup ships the tier 1 and 2 musl targets OpenWrt uses, not the Tier 3 mips ones") {
    using forgeline::model::rustup_ships;
    CHECK(rustup_ships("aarch64-unknown-linux-musl"));
    CHECK(rustup_ships("armv7-unknown-linux-musleabihf"));
    CHECK(rustup_ships("x86_64-unknown-linux-musl"));
    CHECK(rustup_ships("i586-unknown-linux-musl"));
    CHECK(rustup_ships("riscv64gc-unknown-linux-musl"));
    CHECK_FALSE(rustup_ships("mips-unknown-linux-musl"));
    CHECK_FALSE(rustup_ships("mipsel-unknown-linux-musl"));
    CHECK_FALSE(rustup_ships("mips64-openwrt-linux-musl"));
    CHECK_FALSE(rustup_ships("powerpc-unknown-linux-musl"));
  }

  TEST_CASE("every known architecture's Rust target is either shipped by rustup or a mips Tier 3 one") {
    for (const auto& known : forgeline::model::known_architecture_table())
      CHECK_MESSAGE((forgeline::model::rustup_ships(known.rust_target) || known.arch.starts_with("mips")), known.arch);
  }
}
