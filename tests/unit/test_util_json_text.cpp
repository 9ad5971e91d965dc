#include <doctest/doctest.h>

#include <string>

#include <nlohmann/json.hpp>

#include "util/json_text.hpp"

using nlohmann::json;
namespace util = forgeline::util;

TEST_SUITE("util::json_text") {
  TEST_CASE("dump writes what json::dump writes, compact or indented") {
    const json v = {{"b", {1, 2.5, nullptr}}, {"a", "x\"y"}};
    CHECK(util::dump(v) == R"({"a":"x\"y","b":[1,2.5,null]})");
    CHECK(util::dump(v, 1) == "{\n \"a\": \"x\\\"y\",\n \"b\": [\n  1,\n  2.5,\n  null\n ]\n}");
  }

  TEST_CASE("parse throws on text that is not JSON; parse_or_discarded returns a discarded value") {
    CHECK(util::parse(R"({"a": [1, true]})") == json{{"a", {1, true}}});
    CHECK_THROWS_AS(util::parse("{\"a\":"), json::parse_error);
    CHECK(util::parse_or_discarded("{\"a\":").is_discarded());
    CHECK(util::parse_or_discarded("[1]") == json::array({1}));
  }

  TEST_CASE("as_text: a string as it is, anything else as compact JSON") {
    CHECK(util::as_text("1") == "1");
    CHECK(util::as_text(1) == "1");
    CHECK(util::as_text(true) == "true");
    CHECK(util::as_text(nullptr) == "null");
    CHECK(util::as_text(json::array({"a", 2})) == R"(["a",2])");
  }
}
