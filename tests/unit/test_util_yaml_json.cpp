#include <doctest/doctest.h>

#include "util/yaml_json.hpp"

using forgeline::util::parse_yaml;

TEST_SUITE("util::yaml_json") {
  TEST_CASE("plain scalars follow the YAML 1.2 core schema; quoted ones stay strings") {
    auto doc = parse_yaml("a: 24.10\nb: '24.10'\nc: 24.10.1\nd: true\ne: yes\nf: ~\ng: 0x1f\nh: -3\non: push\n", "m.yaml");
    REQUIRE(doc);
    CHECK(doc->value["a"].is_number_float());
    CHECK(doc->value["b"] == "24.10");
    CHECK(doc->value["c"] == "24.10.1");
    CHECK(doc->value["d"] == true);
    CHECK(doc->value["e"] == "yes");
    CHECK(doc->value["f"].is_null());
    CHECK(doc->value["g"] == 31);
    CHECK(doc->value["h"] == -3);
    CHECK(doc->value["on"] == "push");
  }

  TEST_CASE("marks are 1-based and keys and values are kept apart") {
    auto doc = parse_yaml("top:\n  list:\n    - {name: x}\n", "m.yaml");
    REQUIRE(doc);
    auto key = doc->marks.key_at("/top/list");
    CHECK(key.line == 2);
    CHECK(key.column == 3);
    auto value = doc->marks.value_at("/top/list/0/name");
    CHECK(value.line == 3);
    CHECK(value.column == 14);
    // Unknown pointers fall back to the nearest ancestor.
    CHECK(doc->marks.value_at("/top/list/0/missing").line == 3);
  }

  TEST_CASE("duplicate keys are errors pointing at the second one") {
    auto doc = parse_yaml("a: 1\nb: 2\na: 3\n", "m.yaml");
    REQUIRE_FALSE(doc);
    REQUIRE(doc.error().size() == 1);
    CHECK(forgeline::util::format(doc.error()[0]) == "m.yaml:3:1: error: duplicate key 'a' (first defined at line 1)");
  }

  TEST_CASE("syntax errors carry the file, line and column") {
    auto doc = parse_yaml("a: [1, 2\nb: 3\n", "m.yaml");
    REQUIRE_FALSE(doc);
    CHECK(forgeline::util::format(doc.error()[0]).starts_with("m.yaml:"));
    CHECK(doc.error()[0].where.line >= 1);
  }

  TEST_CASE("pointer escaping") {
    CHECK(forgeline::util::pointer_append("/a", "b/c~d") == "/a/b~1c~0d");
    CHECK(forgeline::util::pointer_append("", std::size_t{3}) == "/3");
  }
}
