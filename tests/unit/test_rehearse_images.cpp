#include <doctest/doctest.h>

#include "rehearse/images.hpp"

using forgeline::rehearse::ImageMap;
using forgeline::rehearse::platform_of_arch;

TEST_SUITE("rehearse::images") {
  TEST_CASE("a rule applies to the name itself or at a /, : or @ after it; the longest wins") {
    ImageMap m;
    m.add("ghcr.io", "127.0.0.1:5000");
    REQUIRE(m.add("ghcr.io/acme/sdk=127.0.0.1:5000/stand-in"));
    CHECK(m.map("ghcr.io/acme/widget:1") == "127.0.0.1:5000/acme/widget:1");
    CHECK(m.map("ghcr.io/acme/sdk:x86-64") == "127.0.0.1:5000/stand-in:x86-64");
    CHECK(m.map("ghcr.io.example.com/x") == "ghcr.io.example.com/x");
    CHECK(m.map("debian:bookworm") == "debian:bookworm");
    CHECK(m.maps("ghcr.io/acme/sdk@sha256:00"));
    CHECK_FALSE(m.maps("ghcr.iox/a"));
  }

  TEST_CASE("bad rules") {
    ImageMap m;
    CHECK(m.add("no-equals").error() == "expected FROM=TO, e.g. openwrt/sdk=127.0.0.1:5000/stand-in/sdk");
    CHECK_FALSE(m.add("=x"));
    CHECK_FALSE(m.add("x="));
  }

  TEST_CASE("platforms of machines") {
    CHECK(platform_of_arch("x86_64") == "linux/amd64");
    CHECK(platform_of_arch("amd64") == "linux/amd64");
    CHECK(platform_of_arch("aarch64") == "linux/arm64");
  }
}
