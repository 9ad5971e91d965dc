#include "schema/check.hpp"

#include <doctest/doctest.h>

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
}
