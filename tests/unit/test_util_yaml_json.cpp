#include <doctest/doctest.h>

#include <string>

#include <fmt/format.h>

#include "util/yaml_json.hpp"

using forgeline::util::parse_yaml;

namespace {

/// The first diagnostic of a text that must not parse, as printed.
std::string error_of(const std::string& text, const forgeline::util::YamlLimits& limits = {}) {
  auto doc = parse_yaml(text, "m.yaml", limits);
  if (doc) return "parsed";
  return forgeline::util::format(doc.error().front());
}

std::string repeat(const std::string& s, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

}  // namespace

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

  TEST_CASE("an empty document is an empty mapping placed at the top of the file") {
    for (const char* text : {"", "# only a comment\n", "---\n"}) {
      auto doc = parse_yaml(text, "m.yaml");
      REQUIRE(doc);
      CHECK(doc->value == nlohmann::json::object());
      CHECK(doc->marks.value_at("").line == 1);
      CHECK(doc->marks.value_at("").column == 1);
    }
  }

  TEST_CASE("aliases copy their anchor's value and marks; the alias itself is placed where it is written") {
    auto doc = parse_yaml("a: &x\n  k: [1, 2]\nb: *x\n", "m.yaml");
    REQUIRE(doc);
    CHECK(doc->value["b"] == doc->value["a"]);
    CHECK(doc->marks.value_at("/b").line == 3);
    CHECK(doc->marks.value_at("/b").column == 4);
    CHECK(doc->marks.value_at("/b/k/1").line == 2);
    CHECK(doc->marks.key_at("/b/k").line == 2);
  }

  TEST_CASE("an alias may name a key; anchored keys and values stay strings as written") {
    auto doc = parse_yaml("a: &k name\n*k : 1\n", "m.yaml");
    REQUIRE(doc);
    CHECK(doc->value["name"] == 1);
  }

  TEST_CASE("a self-referencing alias is an error at the alias, in a list or a mapping") {
    CHECK(error_of("x: &a [*a]\n") == "m.yaml:1:8: error: alias '*a' refers to a node that contains it; the copy would never end");
    CHECK(error_of("x: &a\n  y: *a\n") == "m.yaml:2:6: error: alias '*a' refers to a node that contains it; the copy would never end");
    CHECK(error_of("- &a [[*a]]\n") == "m.yaml:1:8: error: alias '*a' refers to a node that contains it; the copy would never end");
  }

  TEST_CASE("aliases are counted as they expand, so a billion laughs stops at the limit") {
    std::string text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
    const std::string names = "abcdefghij";
    for (std::size_t i = 1; i < names.size(); ++i) {
      const std::string prev = std::string("*") + names[i - 1];
      text += fmt::format("{}: &{} [{}]\n", names[i], names[i], repeat(prev + ", ", 9) + prev);
    }
    CHECK(error_of(text) == "m.yaml:5:36: error: alias '*d' copies 11111 values, which makes more than the 100000 "
                            "values forgeline reads from one file");
  }

  TEST_CASE("too many values") {
    forgeline::util::YamlLimits small;
    small.max_nodes = 10;
    CHECK(error_of("- 1\n- 2\n- 3\n- 4\n- 5\n- 6\n- 7\n- 8\n- 9\n- 10\n", small) ==
          "m.yaml:10:3: error: more than 10 values (keys, strings, lists and mappings); forgeline reads at most that "
          "many from one file");
    CHECK(error_of("- 1\n- 2\n- 3\n- 4\n- 5\n- 6\n- 7\n- 8\n- 9\n", small) == "parsed");
  }

  TEST_CASE("deep nesting stops at the limit, in block and flow style") {
    std::string block;
    for (int i = 0; i < 500; ++i) block += std::string(static_cast<std::size_t>(2 * i), ' ') + "-\n";
    CHECK(error_of(block) == "m.yaml:65:129: error: collections nested more than 64 levels deep; forgeline reads at most 64");
    CHECK(error_of(repeat("[", 5000) + repeat("]", 5000)) ==
          "m.yaml:1:65: error: collections nested more than 64 levels deep; forgeline reads at most 64");
    CHECK(error_of(repeat("[", 64) + repeat("]", 64)) == "parsed");
    // An alias adds the depth of what it copies.
    CHECK(error_of("a: &a " + repeat("[", 40) + repeat("]", 40) + "\nb: " + repeat("[", 30) + "*a" + repeat("]", 30) + "\n") ==
          "m.yaml:2:34: error: alias '*a' nests collections more than 64 levels deep");
  }

  TEST_CASE("long strings, keys and flow collections are refused before yaml-cpp holds them whole") {
    CHECK(error_of("a: " + std::string(300 * 1024, 'x') + "\n") ==
          "m.yaml:1:4: error: no complete value in the 262144 bytes after this point; forgeline reads strings and "
          "[...] or {...} collections of up to that many bytes");
    // Where a flow collection could still turn out to be a key, yaml-cpp reads it whole first.
    CHECK(error_of("[" + repeat("0,", 150 * 1024) + "0]\n") ==
          "m.yaml:1:1: error: this [...] or {...} collection runs past 262144 bytes; forgeline reads flow "
          "collections of up to that many bytes (write long lists as block lists, one '- ' item a line)");
    CHECK(error_of("? " + std::string(2000, 'k') + "\n: 1\n") ==
          "m.yaml:1:3: error: a key of 2000 bytes; forgeline reads keys of up to 1024 bytes");
    forgeline::util::YamlLimits small;
    small.max_value_bytes = 100;
    CHECK(error_of("a: |\n  " + std::string(90, 'x') + "\n  " + std::string(90, 'x') + "\nb: 1\n", small) ==
          "m.yaml:1:4: error: a string of 182 bytes; forgeline reads strings of up to 100 bytes");
  }

  TEST_CASE("the whole text has a size limit") {
    forgeline::util::YamlLimits small;
    small.max_bytes = 10;
    CHECK(error_of("a: 12345678\n", small) == "m.yaml:1:1: error: the file is 12 bytes; forgeline reads YAML files of up to 10 bytes");
  }

  TEST_CASE("numbers no double can hold are errors; underflow rounds to zero as IEEE 754 does") {
    CHECK(error_of("a: 1e999\n") == "m.yaml:1:4: error: 1e999 is out of range for a number; quote it if it is meant as text");
    CHECK(error_of("a: -1e999\n") == "m.yaml:1:4: error: -1e999 is out of range for a number; quote it if it is meant as text");
    auto doc = parse_yaml("a: 1e-400\nb: '1e999'\n", "m.yaml");
    REQUIRE(doc);
    CHECK(doc->value["a"] == 0.0);
    CHECK(doc->value["b"] == "1e999");
  }

  TEST_CASE("bytes YAML does not allow in a stream") {
    CHECK(error_of(std::string("a: 1\nb: \0g\n", 11)) ==
          "m.yaml:2:4: error: a NUL byte, which YAML text cannot contain (is this a binary file?)");
    CHECK(error_of("a: \x07\n") == "m.yaml:1:4: error: the control character U+0007, which YAML text cannot contain");
    CHECK(error_of("a: \xC2\x80\n") == "m.yaml:1:4: error: the control character U+0080, which YAML text cannot contain");
    CHECK(error_of("a: caf\xE9\n") == "m.yaml:1:7: error: invalid UTF-8 (byte 0xe9); save the file as UTF-8");
    CHECK(error_of("a: \xC0\xAF\n") == "m.yaml:1:4: error: invalid UTF-8 (byte 0xc0); save the file as UTF-8");
    CHECK(error_of("a: \xED\xA0\x80\n") == "m.yaml:1:4: error: invalid UTF-8 (byte 0xed); save the file as UTF-8");
    CHECK(error_of("\xFF\xFE" "a\0:\0", {}) == "m.yaml:1:1: error: the file is UTF-16 or UTF-32 (it starts with that byte order mark); save it as UTF-8");
    CHECK(error_of("a: \"caf\xC3\xA9 \xF0\x9F\x9A\x80\"\n") == "parsed");
  }

  TEST_CASE("a UTF-8 byte order mark is skipped and not counted in columns") {
    auto doc = parse_yaml("\xEF\xBB\xBF" "a: 1\n", "m.yaml");
    REQUIRE(doc);
    CHECK(doc->value["a"] == 1);
    CHECK(doc->marks.value_at("/a").column == 4);
  }

  TEST_CASE("line breaks: CRLF and a lone CR are line breaks, and lines count them") {
    for (const std::string brk : {"\n", "\r\n", "\r"}) {
      auto doc = parse_yaml("a: 1" + brk + "b:" + brk + "  - x" + brk + "c: |" + brk + "  one" + brk + "  two" + brk, "m.yaml");
      REQUIRE(doc);
      CHECK(doc->value["b"][0] == "x");
      CHECK(doc->value["c"] == "one\ntwo\n");
      CHECK(doc->marks.value_at("/b/0").line == 3);
      CHECK(doc->marks.value_at("/b/0").column == 5);
    }
  }

  TEST_CASE("a second document is an error where it starts") {
    CHECK(error_of("a: 1\n---\nb: 2\n") ==
          "m.yaml:2:1: error: a second YAML document starts here; a file holds one document (remove this '---' line or "
          "split the file)");
    CHECK(error_of("--- \na: 1\n...\n# done\n") == "parsed");
  }

  TEST_CASE("keys that are not plain strings") {
    CHECK(error_of("? [a]\n: 1\n") == "m.yaml:1:3: error: mapping keys must be plain strings");
    CHECK(error_of("~: 1\n") == "m.yaml:1:1: error: mapping keys must be plain strings");
    CHECK(error_of("a: &x [1]\n*x : 2\n") == "m.yaml:2:1: error: mapping keys must be plain strings");
  }
}
