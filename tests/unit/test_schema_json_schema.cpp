#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "schema/json_schema.hpp"

#ifndef FORGELINE_JSON_SCHEMA_TEST_SUITE
#define FORGELINE_JSON_SCHEMA_TEST_SUITE "/usr/share/json-schema-test-suite/tests/draft7"
#endif

using forgeline::schema::Schema;
using forgeline::schema::SchemaError;
using nlohmann::json;

namespace {

/// A JSON-Schema-Test-Suite test we knowingly do not pass, and why.
struct SuiteSkip {
  std::string_view file;
  std::string_view group;
  std::string_view test;
  std::string_view reason;
};

constexpr std::string_view kRemoteMetaSchema = "needs the remote draft-07 meta-schema; remote $ref is out of scope";

constexpr SuiteSkip kSuiteSkips[] = {
    {"definitions.json", "valid definition", "valid definition schema", kRemoteMetaSchema},
    {"definitions.json", "invalid definition", "invalid definition schema", kRemoteMetaSchema},
    {"ref.json", "remote ref, containing refs itself", "remote ref valid", kRemoteMetaSchema},
    {"ref.json", "remote ref, containing refs itself", "remote ref invalid", kRemoteMetaSchema},
};

bool skipped(std::string_view file, std::string_view group, std::string_view test) {
  return std::any_of(std::begin(kSuiteSkips), std::end(kSuiteSkips),
                     [&](const SuiteSkip& s) { return s.file == file && s.group == group && s.test == test; });
}

// Runs every test of one suite file; every skip listed for the file must still be needed.
void run_suite_file(std::string_view file) {
  const std::filesystem::path path = std::filesystem::path(FORGELINE_JSON_SCHEMA_TEST_SUITE) / file;
  REQUIRE_MESSAGE(std::filesystem::is_regular_file(path),
                  "JSON-Schema-Test-Suite file missing: " << path.string()
                                                          << " (install json-schema-test-suite or set "
                                                             "FORGELINE_JSON_SCHEMA_TEST_SUITE)");
  std::ifstream in(path);
  const json groups = json::parse(in);
  REQUIRE(groups.is_array());
  std::size_t skips_used = 0;
  for (const json& group : groups) {
    const std::string group_name = group.at("description").get<std::string>();
    const json& tests = group.at("tests");
    const bool all_skipped = std::all_of(tests.begin(), tests.end(), [&](const json& t) {
      return skipped(file, group_name, t.at("description").get<std::string>());
    });
    if (all_skipped) {
      skips_used += tests.size();
      continue;
    }
    const auto schema = Schema::compile(group.at("schema"));
    CHECK_MESSAGE(schema.has_value(), file << " / " << group_name << ": " << (schema ? "" : schema.error()));
    if (!schema) continue;
    for (const json& test : tests) {
      const std::string test_name = test.at("description").get<std::string>();
      if (skipped(file, group_name, test_name)) {
        ++skips_used;
        continue;
      }
      const bool expected = test.at("valid").get<bool>();
      const std::vector<SchemaError> errors = schema->validate(test.at("data"));
      CHECK_MESSAGE(errors.empty() == expected, file << " / " << group_name << " / " << test_name << ": expected "
                                                     << (expected ? "valid" : "invalid"));
    }
  }
  const auto listed =
      std::count_if(std::begin(kSuiteSkips), std::end(kSuiteSkips), [&](const SuiteSkip& s) { return s.file == file; });
  CHECK_MESSAGE(skips_used == static_cast<std::size_t>(listed), file << ": a skip entry no longer matches a test");
}

Schema compile(const json& document) {
  auto schema = Schema::compile(document);
  REQUIRE_MESSAGE(schema.has_value(), (schema ? "" : schema.error()));
  return std::move(*schema);
}

std::string compile_error(const json& document) {
  const auto schema = Schema::compile(document);
  return schema ? "(compiled)" : schema.error();
}

/// Errors as "pointer: message" lines, which makes expected values easy to read and compare.
std::vector<std::string> errors(const json& schema, const json& instance) {
  std::vector<std::string> out;
  for (const SchemaError& e : compile(schema).validate(instance)) out.push_back(e.pointer + ": " + e.message);
  return out;
}

using Lines = std::vector<std::string>;

const json kWorkflow = json::parse(R"({
  "type": "object",
  "properties": {
    "jobs": {"type": "object", "additionalProperties": {"$ref": "#/definitions/job"}}
  },
  "definitions": {
    "job": {
      "type": "object",
      "additionalProperties": false,
      "required": ["runs-on", "steps"],
      "properties": {
        "runs-on": {"type": "string"},
        "steps": {"type": "array", "minItems": 1, "maxItems": 256},
        "timeout-minutes": {"type": "number"},
        "name": {"type": "string"},
        "forbidden": false
      }
    }
  }
})");

json job(json body) { return json{{"jobs", {{"build", std::move(body)}}}}; }

}  // namespace

TEST_SUITE("schema::Schema") {
  // One test case per keyword file of the official suite (not optional/, not refRemote.json).
#define FORGELINE_SUITE_FILE(name) \
  TEST_CASE("JSON-Schema-Test-Suite draft7 " name) { run_suite_file(name); }
  FORGELINE_SUITE_FILE("additionalItems.json")
  FORGELINE_SUITE_FILE("additionalProperties.json")
  FORGELINE_SUITE_FILE("allOf.json")
  FORGELINE_SUITE_FILE("anyOf.json")
  FORGELINE_SUITE_FILE("boolean_schema.json")
  FORGELINE_SUITE_FILE("const.json")
  FORGELINE_SUITE_FILE("contains.json")
  FORGELINE_SUITE_FILE("default.json")
  FORGELINE_SUITE_FILE("definitions.json")
  FORGELINE_SUITE_FILE("dependencies.json")
  FORGELINE_SUITE_FILE("enum.json")
  FORGELINE_SUITE_FILE("exclusiveMaximum.json")
  FORGELINE_SUITE_FILE("exclusiveMinimum.json")
  FORGELINE_SUITE_FILE("if-then-else.json")
  FORGELINE_SUITE_FILE("items.json")
  FORGELINE_SUITE_FILE("maxItems.json")
  FORGELINE_SUITE_FILE("maxLength.json")
  FORGELINE_SUITE_FILE("maxProperties.json")
  FORGELINE_SUITE_FILE("maximum.json")
  FORGELINE_SUITE_FILE("minItems.json")
  FORGELINE_SUITE_FILE("minLength.json")
  FORGELINE_SUITE_FILE("minProperties.json")
  FORGELINE_SUITE_FILE("minimum.json")
  FORGELINE_SUITE_FILE("multipleOf.json")
  FORGELINE_SUITE_FILE("not.json")
  FORGELINE_SUITE_FILE("oneOf.json")
  FORGELINE_SUITE_FILE("pattern.json")
  FORGELINE_SUITE_FILE("patternProperties.json")
  FORGELINE_SUITE_FILE("properties.json")
  FORGELINE_SUITE_FILE("propertyNames.json")
  FORGELINE_SUITE_FILE("ref.json")
  FORGELINE_SUITE_FILE("required.json")
  FORGELINE_SUITE_FILE("type.json")
  FORGELINE_SUITE_FILE("uniqueItems.json")
#undef FORGELINE_SUITE_FILE

  TEST_CASE("unknown keys point at the key and suggest a near match") {
    CHECK(errors(kWorkflow, job({{"runs_on", "x"}, {"steps", {1}}})) ==
          Lines{"/jobs/build: missing required key 'runs-on'",
                "/jobs/build/runs_on: unknown key (did you mean runs-on?)"});
  }

  TEST_CASE("unknown key suggestions: separator and case folding, then edit distance, else the list") {
    const auto one = [](const std::string& key) {
      const auto all = errors(kWorkflow, job({{"runs-on", "x"}, {"steps", {1}}, {key, 1}}));
      return all.size() == 1 ? all.front() : "(" + std::to_string(all.size()) + " errors)";
    };
    CHECK(one("Runs_On") == "/jobs/build/Runs_On: unknown key (did you mean runs-on?)");
    CHECK(one("steos") == "/jobs/build/steos: unknown key (did you mean steps?)");
    CHECK(one("timeout-minuts") == "/jobs/build/timeout-minuts: unknown key (did you mean timeout-minutes?)");
    CHECK(one("container") ==
          "/jobs/build/container: unknown key (expected one of: name, runs-on, steps, timeout-minutes)");
    // Two letters are within distance 2 of any two-letter name, so no guess there.
    CHECK(one("on") == "/jobs/build/on: unknown key (expected one of: name, runs-on, steps, timeout-minutes)");
    CHECK(one("a/b~c") == "/jobs/build/a~1b~0c: unknown key (expected one of: name, runs-on, steps, timeout-minutes)");
    CHECK(one("forbidden") == "/jobs/build/forbidden: not allowed");
    CHECK(errors(json::parse(R"({"additionalProperties": false})"), json{{"x", 1}}) == Lines{"/x: unknown key"});
  }

  TEST_CASE("required: one error per missing key, at the object") {
    CHECK(errors(kWorkflow, job(json::object())) ==
          Lines{"/jobs/build: missing required key 'runs-on'", "/jobs/build: missing required key 'steps'"});
  }

  TEST_CASE("type messages") {
    CHECK(errors(json{{"type", "string"}}, 5) == Lines{": expected string, got number"});
    CHECK(errors(json{{"type", json::array({"string", "boolean"})}}, json::array()) ==
          Lines{": expected string or boolean, got array"});
    CHECK(errors(json{{"type", json::array({"string", "number", "null"})}}, json::object()) ==
          Lines{": expected string, number or null, got object"});
    CHECK(errors(json{{"type", "integer"}}, 1.5) == Lines{": expected integer, got number"});
    CHECK(errors(json{{"type", "integer"}}, 1.0).empty());
    CHECK(errors(json{{"type", "null"}}, false) == Lines{": expected null, got boolean"});
    // Other keywords would only restate a type mismatch.
    CHECK(errors(json{{"type", "string"}, {"enum", {"a", "b"}}}, 5) == Lines{": expected string, got number"});
  }

  TEST_CASE("enum and const messages show values as written, strings unquoted") {
    CHECK(errors(json{{"enum", {"a", "b", 3, true, nullptr}}}, "c") == Lines{": expected one of: a, b, 3, true, null"});
    CHECK(errors(json{{"enum", {"only"}}}, "c") == Lines{": expected only"});
    CHECK(errors(json{{"const", "main"}}, "dev") == Lines{": expected main"});
    CHECK(errors(json{{"const", 1}}, 2) == Lines{": expected 1"});
    CHECK(errors(json{{"const", {{"a", 1}}}}, 2) == Lines{R"(: expected {"a":1})"});
    CHECK(errors(json{{"enum", {"", "x"}}}, "y") == Lines{": expected one of: '', x"});
  }

  TEST_CASE("pattern messages, and errorMessage replacing them") {
    CHECK(errors(json{{"pattern", "^[0-9]+$"}}, "abc") == Lines{": 'abc' does not match pattern ^[0-9]+$"});
    const json expression = json::parse(R"({
      "properties": {"timeout": {"type": ["string", "number"], "pattern": "^\\$\\{\\{.*\\}\\}$",
                                 "errorMessage": "must be a ${{ }} expression or a number"}}
    })");
    CHECK(errors(expression, json{{"timeout", "soon"}}) == Lines{"/timeout: must be a ${{ }} expression or a number"});
    CHECK(errors(expression, json{{"timeout", true}}) == Lines{"/timeout: must be a ${{ }} expression or a number"});
    CHECK(errors(expression, json{{"timeout", "${{ inputs.t }}"}}).empty());
    CHECK(errors(expression, json{{"timeout", 5}}).empty());
  }

  TEST_CASE("errorMessage replaces every error of its subschema with one, at the subschema's value") {
    const json schema = json::parse(R"({
      "properties": {"image": {"$ref": "#/definitions/image", "errorMessage": "must be an image such as ghcr.io/o/r"}},
      "definitions": {"image": {"type": "object", "required": ["name", "tag"], "properties": {"name": {"type": "string"}}}}
    })");
    CHECK(errors(schema, json{{"image", {{"name", 1}}}}) == Lines{"/image: must be an image such as ghcr.io/o/r"});
    CHECK(errors(json{{"minimum", 0}, {"errorMessage", "must not be negative"}}, -1) ==
          Lines{": must not be negative"});
  }

  TEST_CASE("bounds in plain English") {
    CHECK(errors(json{{"minItems", 1}}, json::array()) == Lines{": must have at least 1 item"});
    CHECK(errors(json{{"maxItems", 256}}, json(std::vector<int>(257, 0))) == Lines{": must have at most 256 items"});
    CHECK(errors(json{{"minProperties", 1}}, json::object()) == Lines{": must have at least 1 property"});
    CHECK(errors(json{{"maxProperties", 1}}, json{{"a", 1}, {"b", 2}}) == Lines{": must have at most 1 property"});
    CHECK(errors(json{{"minLength", 2}}, "a") == Lines{": must be at least 2 characters long"});
    CHECK(errors(json{{"maxLength", 1}}, "ab") == Lines{": must be at most 1 character long"});
    CHECK(errors(json{{"maxLength", 3}}, "\xC3\xA4\xC3\xB6\xC3\xBC").empty());  // 3 code points, 6 bytes
    CHECK(errors(json{{"minimum", 1}}, 0) == Lines{": must be at least 1"});
    CHECK(errors(json{{"maximum", 2.5}}, 3) == Lines{": must be at most 2.5"});
    CHECK(errors(json{{"exclusiveMinimum", 0}}, 0) == Lines{": must be greater than 0"});
    CHECK(errors(json{{"exclusiveMaximum", 10}}, 10) == Lines{": must be less than 10"});
    CHECK(errors(json{{"multipleOf", 5}}, 12) == Lines{": must be a multiple of 5"});
    CHECK(errors(json{{"multipleOf", 0.01}}, 19.99).empty());
  }

  TEST_CASE("integers compare exactly beyond double precision") {
    CHECK(errors(json{{"minimum", 9007199254740993}}, 9007199254740992) ==
          Lines{": must be at least 9007199254740993"});
    CHECK(errors(json{{"maximum", -9007199254740993}}, -9007199254740992) ==
          Lines{": must be at most -9007199254740993"});
    CHECK(errors(json{{"minimum", -1}}, 18446744073709551615u).empty());
  }

  TEST_CASE("array and object keyword messages") {
    CHECK(errors(json{{"uniqueItems", true}}, {1, 2, 1, 2}) ==
          Lines{"/2: duplicate of item 0 (items must be unique)", "/3: duplicate of item 1 (items must be unique)"});
  }

  TEST_CASE("uniqueItems: each later copy names the first, in item order, for any number of items") {
    // Items out of sorted order, equal across number types and inside objects.
    CHECK(errors(json{{"uniqueItems", true}}, json::parse(R"(["b", 1, {"x": [1]}, "a", 1.0, {"x": [1]}, "b", "b"])")) ==
          Lines{"/4: duplicate of item 1 (items must be unique)", "/5: duplicate of item 2 (items must be unique)",
                "/6: duplicate of item 0 (items must be unique)", "/7: duplicate of item 0 (items must be unique)"});
    // 20,000 distinct items and one repeat: compared pairwise this took minutes (issue 10).
    json many = json::array();
    for (int i = 0; i < 20000; ++i) many.push_back("t" + std::to_string(i));
    many.push_back("t5");
    CHECK(errors(json{{"uniqueItems", true}}, many) == Lines{"/20000: duplicate of item 5 (items must be unique)"});
  }

  TEST_CASE("array and object keyword messages, continued") {
    CHECK(errors(json::parse(R"({"items": [{}, {}], "additionalItems": false})"), {1, 2, 3, 4}) ==
          Lines{"/2: unexpected item (at most 2 items allowed)"});
    CHECK(errors(json::parse(R"({"items": {"type": "string"}})"), {"a", 1}) ==
          Lines{"/1: expected string, got number"});
    CHECK(errors(json{{"contains", {{"const", 1}}}}, {2, 3}) ==
          Lines{": must contain an item that matches the 'contains' schema"});
    CHECK(errors(json{{"not", {{"type", "string"}}}}, "x") == Lines{": must not match the 'not' schema"});
    CHECK(errors(json::parse(R"({"dependencies": {"a": ["b"]}})"), json{{"a", 1}}) ==
          Lines{": missing key 'b' (required when 'a' is present)"});
    CHECK(errors(json::parse(R"({"propertyNames": {"pattern": "^[a-z]+$"}})"), json{{"Build", 1}}) ==
          Lines{"/Build: invalid key name: 'Build' does not match pattern ^[a-z]+$"});
    CHECK(
        errors(json::parse(R"({"if": {"required": ["a"]}, "then": {"required": ["b"]}, "else": {"required": ["c"]}})"),
               json{{"a", 1}}) == Lines{": missing required key 'b'"});
    CHECK(errors(false, 1) == Lines{": not allowed"});
  }

  TEST_CASE("anyOf/oneOf: branches that only failed on the value's type are merged into one message") {
    CHECK(errors(json::parse(R"({"anyOf": [{"type": "string"}, {"type": "number"}]})"), true) ==
          Lines{": expected string or number, got boolean"});
    CHECK(errors(json::parse(R"({"oneOf": [{"type": ["string", "null"]}, {"type": "array", "items": {}}]})"), 1) ==
          Lines{": expected string, null or array, got number"});
    // A type-only failure stays one through errorMessage, so it merges with its siblings.
    CHECK(
        errors(json::parse(R"({"anyOf": [{"type": "string", "errorMessage": "must be a name"}, {"type": "object"}]})"),
               1) == Lines{": expected string or object, got number"});
  }

  TEST_CASE("anyOf/oneOf: a branch that got further wins over type mismatches") {
    const json schema = json::parse(R"({"oneOf": [
      {"type": "string", "errorMessage": "must be a runner label"},
      {"type": "object", "required": ["labels"], "properties": {"labels": {"type": "array", "minItems": 1}}}
    ]})");
    CHECK(errors(schema, json{{"labels", json::array()}}) == Lines{"/labels: must have at least 1 item"});
    CHECK(errors(schema, json::object()) == Lines{": missing required key 'labels'"});
    CHECK(errors(schema, 5) == Lines{": expected string or object, got number"});
  }

  TEST_CASE("anyOf/oneOf: the deepest branch wins, then the one with fewest errors") {
    const json deepest = json::parse(R"({"anyOf": [
      {"properties": {"a": {"type": "string"}}, "required": ["b"]},
      {"properties": {"a": {"properties": {"x": {"type": "number"}}}}}
    ]})");
    CHECK(errors(deepest, json{{"a", {{"x", "s"}}}}) == Lines{"/a/x: expected number, got string"});
    const json fewest = json::parse(R"({"anyOf": [
      {"required": ["a", "b"]},
      {"required": ["c"]}
    ]})");
    CHECK(errors(fewest, json::object()) == Lines{": missing required key 'c'"});
    CHECK(errors(json::parse(R"({"oneOf": [{"type": "integer"}, {"minimum": 0}]})"), 1) ==
          Lines{": matches more than one alternative"});
  }

  TEST_CASE("refs: root, definitions, pointer escapes, $id-relative and plain-name fragments") {
    const json tree = json::parse(R"({
      "$id": "https://example.com/schemas/tree.json",
      "properties": {"children": {"items": {"$ref": "#"}}, "leaf": {"$ref": "leaf.json"},
                     "named": {"$ref": "#named"}, "odd": {"$ref": "#/definitions/a~1b%25c"}},
      "definitions": {
        "leaf": {"$id": "leaf.json", "type": "string"},
        "named": {"$id": "#named", "type": "boolean"},
        "a/b%c": {"type": "null"}
      }
    })");
    CHECK(errors(tree, json::parse(R"({"children": [{"children": [{"leaf": 1}]}]})")) ==
          Lines{"/children/0/children/0/leaf: expected string, got number"});
    CHECK(errors(tree, json{{"named", 1}}) == Lines{"/named: expected boolean, got number"});
    CHECK(errors(tree, json{{"odd", 1}}) == Lines{"/odd: expected null, got number"});
  }

  TEST_CASE("compile errors name the schema location") {
    CHECK(compile_error(json::parse(R"json({"properties": {"a": {"pattern": "(?=x)"}}})json")) ==
          "#/properties/a/pattern: invalid pattern: unsupported lookahead '(?=' at offset 0");
    CHECK(compile_error(json::parse(R"({"patternProperties": {"a{2000}": {}}})")) ==
          "#/patternProperties/a{2000}: invalid pattern: repetition count above 1000 at offset 1");
    CHECK(compile_error(json{{"type", "strin"}}) == "#/type: unknown type \"strin\"");
    CHECK(compile_error(json{{"minLength", -1}}) == "#/minLength: must be a non-negative integer");
    CHECK(compile_error(json{{"items", 1}}) == "#/items: a schema must be an object or a boolean");
    CHECK(compile_error(json{{"$ref", "other.json#/x"}}) ==
          "#/$ref: unsupported remote $ref 'other.json#/x' (only references within the same document work)");
    CHECK(compile_error(json{{"$ref", "#/definitions/missing"}}) ==
          "#/$ref: $ref '#/definitions/missing' points to nothing");
    CHECK(compile_error(json{{"errorMessage", 1}}) == "#/errorMessage: must be a string");
  }

  TEST_CASE("$ref cycles that never descend into the instance are rejected at compile time") {
    CHECK(compile_error(json{{"$ref", "#"}}) == "#: circular $ref that never moves into the instance");
    CHECK(compile_error(json::parse(R"({"definitions": {
            "a": {"allOf": [{"$ref": "#/definitions/b"}]},
            "b": {"anyOf": [{"type": "string"}, {"$ref": "#/definitions/a"}]}}})"))
              .ends_with(": circular $ref that never moves into the instance"));
    // Recursion through properties or items consumes the instance, so it is fine.
    CHECK(errors(json::parse(R"({"properties": {"next": {"$ref": "#"}}, "type": "object"})"),
                 json::parse(R"({"next": {"next": {"next": 1}}})")) ==
          Lines{"/next/next/next: expected object, got number"});
  }

  TEST_CASE("very deep instances stop with an error instead of exhausting the stack") {
    json deep = json::array();
    json* innermost = &deep;
    for (int i = 0; i < 100000; ++i) {
      innermost->push_back(json::array());
      innermost = &innermost->back();
    }
    const auto found = compile(json::parse(R"({"items": {"$ref": "#"}})")).validate(deep);
    REQUIRE(found.size() == 1);
    CHECK(found.front().message == "nested too deeply to validate");
  }

  TEST_CASE("1 MiB strings: pattern and length checks answer correctly") {
    const std::string as(1024 * 1024, 'a');
    const json schema = json::parse(R"({"type": "string", "pattern": "^(a+)+$", "maxLength": 1048576})");
    CHECK(errors(schema, as).empty());
    CHECK(errors(schema, as + "b") == Lines{": must be at most 1048576 characters long",
                                            ": '" + std::string(57, 'a') + "...' does not match pattern ^(a+)+$"});
  }

  TEST_CASE("the order of errors is deterministic") {
    const json instance = json::parse(R"({"jobs": {"b": {"x": 1}, "a": {"runs-on": 1, "steps": []}}})");
    const auto first = errors(kWorkflow, instance);
    CHECK(first.size() == 5);
    CHECK(errors(kWorkflow, instance) == first);
  }
}
