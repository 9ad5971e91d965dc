#include <doctest/doctest.h>

#include <map>
#include <string>

#include "rehearse/engine.hpp"

using forgeline::rehearse::builds_without_buildx;
using forgeline::rehearse::probe_engine;

TEST_SUITE("rehearse::engine") {
  TEST_CASE("clients before Docker 23 build with the daemon's BuildKit without buildx") {
    CHECK(builds_without_buildx("20.10.24+dfsg1"));
    CHECK(builds_without_buildx("22.06.0"));
    CHECK_FALSE(builds_without_buildx("23.0.0"));
    CHECK_FALSE(builds_without_buildx("28.2.2"));
    CHECK_FALSE(builds_without_buildx("unknown"));
  }

  TEST_CASE("no client on the PATH is an error that says what to install") {
    auto e = probe_engine({{"PATH", "/nonexistent"}});
    REQUIRE_FALSE(e);
    // /usr/bin/docker is tried by its full path, so the message depends on the machine.
    CHECK_FALSE(e.error().empty());
  }
}
