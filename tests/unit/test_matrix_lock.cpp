#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <string>

#include <unistd.h>

#include "matrix/lock.hpp"

namespace {

forgeline::util::Result<forgeline::matrix::Lock> lock_of(const std::string& text) {
  const std::string path = "forgeline-test-" + std::to_string(::getpid()) + ".lock";
  std::ofstream(path) << text;
  auto lock = forgeline::matrix::load_lock(path);
  std::remove(path.c_str());
  return lock;
}

const std::string sha = "11bd71901bbe5b1630ceea73d27597364c9af683";

}  // namespace

TEST_SUITE("matrix::lock") {
  TEST_CASE("pins by action and major") {
    auto lock = lock_of("# pins\nactions/checkout@v7: " + sha + "\n");
    REQUIRE(lock);
    CHECK(lock->pins.at("actions/checkout@v7") == sha);
  }

  TEST_CASE("keys and values are checked where they stand") {
    auto lock = lock_of("actions/checkout: " + sha + "\nactions/cache@v5: 123abc\n");
    REQUIRE_FALSE(lock);
    REQUIRE(lock.error().size() == 2);
    CHECK(lock.error()[0].message == "'actions/checkout' is not owner/action@vN");
    CHECK(lock.error()[0].where.line == 1);
    CHECK(lock.error()[1].message == "actions/cache@v5: expected a full 40-digit lowercase commit SHA");
    CHECK(lock.error()[1].where.line == 2);
    CHECK(lock.error()[1].where.column == 19);
  }

  TEST_CASE("a missing lock file is reported") {
    auto lock = forgeline::matrix::load_lock("/nonexistent/forgeline.lock");
    REQUIRE_FALSE(lock);
    CHECK(forgeline::util::format(lock.error().front()) ==
          "/nonexistent/forgeline.lock: error: cannot read lock file: No such file or directory");
  }
}
