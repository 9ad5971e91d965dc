#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "validate/expression.hpp"

namespace {

std::vector<std::string> texts(const std::vector<forgeline::validate::ContextPath>& paths) {
  std::vector<std::string> out;
  for (const auto& p : paths) out.push_back(p.text());
  return out;
}

std::vector<std::string> in_template(std::string_view text) { return texts(forgeline::validate::template_paths(text)); }
std::vector<std::string> in_condition(std::string_view text) { return texts(forgeline::validate::condition_paths(text)); }

using Paths = std::vector<std::string>;

}  // namespace

TEST_SUITE("validate::expression") {
  TEST_CASE("paths inside ${{ }} only, each expression of a string") {
    CHECK(in_template("make matrix.os ${{ matrix.os }}-${{ needs.build.outputs.version }}") ==
          Paths{"matrix.os", "needs.build.outputs.version"});
    CHECK(in_template("no expressions: github.event.issue.title") == Paths{});
  }

  TEST_CASE("string literals are not read, and a }} inside one does not end the expression") {
    CHECK(in_template("${{ format('{0}}} matrix.x', matrix.os) }}") == Paths{"matrix.os"});
    CHECK(in_template("${{ contains(github.ref, 'it''s steps.x') && inputs.a }}") == Paths{"github.ref", "inputs.a"});
  }

  TEST_CASE("function names are not paths; their arguments are") {
    CHECK(in_template("${{ fromJSON(needs.plan.outputs.packages) }}") == Paths{"needs.plan.outputs.packages"});
    CHECK(in_template("${{ always() }}") == Paths{});
  }

  TEST_CASE("index syntax, wildcards and hyphenated names") {
    CHECK(in_template("${{ needs['build-x'].outputs['app-version'] }}") == Paths{"needs.build-x.outputs.app-version"});
    CHECK(in_template("${{ github.event.pull_request.labels.*.name }}") ==
          Paths{"github.event.pull_request.labels.*.name"});
    CHECK(in_template("${{ inputs.node-version }}") == Paths{"inputs.node-version"});
    // A computed index ends what can be known.
    CHECK(in_template("${{ matrix[inputs.axis] }}") == Paths{"matrix", "inputs.axis"});
  }

  TEST_CASE("properties of a call's result are no context paths") {
    CHECK(in_template("${{ fromJSON(steps.a.outputs.json).matrix.os }}") == Paths{"steps.a.outputs.json"});
  }

  TEST_CASE("names read in lower case, as GitHub matches them; the path keeps how it was written") {
    const auto paths = forgeline::validate::template_paths("x ${{ Matrix.OS }}");
    REQUIRE(paths.size() == 1);
    CHECK(paths[0].text() == "matrix.os");
    CHECK(paths[0].written == "Matrix.OS");
    CHECK(paths[0].offset == 6);
  }

  TEST_CASE("literals read nothing; a number index reads as any element") {
    CHECK(in_template("${{ 1.5e3 == 0xff || true || null }}") == Paths{});
    CHECK(in_template("${{ github.event.commits[0].message }}") == Paths{"github.event.commits.*.message"});
  }

  TEST_CASE("an unclosed or malformed expression reads nothing, and says why") {
    CHECK(in_template("${{ matrix.os") == Paths{});
    const auto unclosed = forgeline::validate::expressions_of("a ${{ matrix.os", false);
    REQUIRE(unclosed.size() == 1);
    REQUIRE_FALSE(unclosed[0].tree);
    CHECK(unclosed[0].tree.error().offset == 2);
    const auto bad = forgeline::validate::expressions_of("${{ a == }} ${{ b }}", false);
    REQUIRE(bad.size() == 2);
    REQUIRE_FALSE(bad[0].tree);
    CHECK(bad[1].tree);
  }

  TEST_CASE("a bare condition is trimmed and parsed whole") {
    const auto e = forgeline::validate::expressions_of("  success() && matrix.x  ", true);
    REQUIRE(e.size() == 1);
    CHECK(e[0].offset == 2);
    CHECK(e[0].source == "success() && matrix.x");
  }

  TEST_CASE("conditions are expressions without ${{ }}, or templates when they use it") {
    CHECK(in_condition("github.event_name == 'push' && !matrix.experimental") ==
          Paths{"github.event_name", "matrix.experimental"});
    CHECK(in_condition("${{ matrix.a }} == x") == Paths{"matrix.a"});
  }

  TEST_CASE("ContextPath::starts_with compares whole segments") {
    const auto paths = forgeline::validate::template_paths("${{ github.event_name }} ${{ github.event.issue }}");
    REQUIRE(paths.size() == 2);
    CHECK_FALSE(paths[0].starts_with({"github", "event"}));
    CHECK(paths[1].starts_with({"github", "event"}));
    CHECK_FALSE(paths[1].starts_with({"github", "event", "issue", "title"}));
  }
}
