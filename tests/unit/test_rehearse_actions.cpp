#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "rehearse/actions.hpp"

using forgeline::rehearse::input_list;
using forgeline::rehearse::input_true;
using forgeline::rehearse::known_action;
using forgeline::rehearse::known_actions;
using Lines = std::vector<std::string>;

TEST_SUITE("rehearse::actions") {
  TEST_CASE("every action the templates use is known, at any version; others are not") {
    for (const char* uses : {"actions/checkout@v7", "docker/login-action@v4", "docker/setup-buildx-action@v4",
                             "docker/setup-qemu-action@v4", "docker/metadata-action@v6", "docker/build-push-action@v7",
                             "actions/upload-artifact@v7", "actions/download-artifact@v8",
                             "actions/checkout@0123456789abcdef0123456789abcdef01234567"})
      CHECK_MESSAGE(known_action(uses) != nullptr, uses);
    CHECK(known_action("actions/cache@v5") == nullptr);
    CHECK(known_action("someone/else@v1") == nullptr);
    for (const auto& a : known_actions()) CHECK(std::string(a.source).starts_with("https://github.com/" + std::string(a.repo)));
  }

  TEST_CASE("list inputs: lines, optionally commas, trimmed, comments and blanks dropped") {
    CHECK(input_list("a=1\n  b=2,3  \n\n# note\n", false) == Lines{"a=1", "b=2,3"});
    CHECK(input_list("x:1, x:2\nx:3", true) == Lines{"x:1", "x:2", "x:3"});
  }

  TEST_CASE("boolean inputs as core.getBooleanInput reads them") {
    CHECK(input_true({{"push", "true"}}, "push", false));
    CHECK(input_true({{"push", "True"}}, "push", false));
    CHECK_FALSE(input_true({{"push", "false"}}, "push", true));
    CHECK(input_true({}, "push", true));
  }
}
