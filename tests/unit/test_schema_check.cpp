#include "schema/check.hpp"

#include <doctest/doctest.h>

#include "util/resources.hpp"
#include "util/yaml_json.hpp"

using namespace forgeline;

TEST_SUITE("schema::check") {
  TEST_CASE("errors point at the key for key problems, at the value otherwise") {
    auto schema = schema::Schema::compile(nlohmann::json::parse(
        R"({"type": "object", "additionalProperties": false, "properties": {"a": {"type": "number"}}})"));
    REQUIRE(schema);
    auto doc = util::parse_yaml("a:\n  x\nb: 1\n", "f.yml");
    REQUIRE(doc);
    std::vector<std::string> lines;
    for (const auto& d : schema::check_against(*schema, *doc)) lines.push_back(util::format(d));
    CHECK(lines == std::vector<std::string>{"f.yml:2:3: error: /a: expected number, got string",
                                            "f.yml:3:1: error: /b: unknown key (expected one of: a)"});
    const auto located = schema::locate_errors(*schema, *doc);
    REQUIRE(located.size() == 2);
    CHECK(located[0].error.pointer == "/a");
    CHECK(located[0].where.line == 2);
  }

  TEST_CASE("bundled schemas compile once and are the same object each time") {
    const auto& a = schema::bundled_schema("schemas/workflow.schema.json");
    const auto& b = schema::bundled_schema("schemas/workflow.schema.json");
    CHECK(&a == &b);
    CHECK_NOTHROW(schema::bundled_schema("schemas/config.schema.json"));
    CHECK_THROWS(schema::bundled_schema("schemas/nope.json"));
  }

  TEST_CASE("every bundled schema compiles whole, as bundled_schema's lazy compile assumes") {
    int schemas = 0;
    for (const std::string_view name : util::resource_names()) {
      if (!name.starts_with("schemas/")) continue;
      ++schemas;
      const auto compiled = schema::Schema::compile(nlohmann::json::parse(*util::resource(name)));
      CHECK_MESSAGE(compiled.has_value(), name, ": ", compiled ? "" : compiled.error());
    }
    CHECK(schemas == 3);
  }

  TEST_CASE("a lazily compiled schema finds what the whole one finds") {
    const auto text = util::resource("schemas/workflow.schema.json");
    REQUIRE(text);
    const auto whole = schema::Schema::compile(nlohmann::json::parse(*text));
    REQUIRE(whole);
    const auto lazy = schema::Schema::compile_lazily(nlohmann::json::parse(*text));
    const auto doc = nlohmann::json::parse(
        R"({"on": "push", "jobs": {"a": {"runs-on": "x", "foo": 1, "steps": 3, "timeout-minutes": {"a": 1}},
             "b": {"uses": "./w.yml", "with": [1]}}})");
    const auto errors = [](const std::vector<schema::SchemaError>& found) {
      std::vector<std::string> out;
      for (const auto& e : found) out.push_back(e.pointer + ": " + e.message);
      return out;
    };
    const auto expected = errors(whole->validate(doc));
    CHECK(expected.size() >= 3);
    CHECK(errors(lazy.validate(doc)) == expected);
    CHECK(errors(lazy.validate(doc)) == expected);  // again, with every node it needs built
  }
}
