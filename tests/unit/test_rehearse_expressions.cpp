#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "rehearse/expressions.hpp"

using forgeline::rehearse::check_expressions;
using forgeline::rehearse::evaluate_condition;
using forgeline::rehearse::evaluate_value;
using forgeline::rehearse::parse_workflow;
using forgeline::util::format;
using nlohmann::json;

namespace {

const char* text = R"(on: push
jobs:
  a:
    if: needs.b.outputs.build == 'true'
    steps:
      - run: echo ${{ matrix.arch }}-${{ inputs.qt || '6.5.3' }}
        with: {force: "${{ inputs.force == true }}"}
      - run: echo ${{ fromJSON( }}
        if: ${{ ) }}
)";

}  // namespace

TEST_SUITE("rehearse::expressions") {
  TEST_CASE("values keep a lone expression's type, text is joined") {
    auto wf = parse_workflow(text, "w.yml");
    REQUIRE(wf);
    forgeline::expr::Scope scope;
    scope.contexts = json::parse(R"({"matrix": {"arch": "x86_64"}, "inputs": {"force": true},
                                     "needs": {"b": {"outputs": {"build": "true"}}}})");
    const auto& step = wf->jobs[0].steps[0];
    CHECK(evaluate_value(*wf, step.pointer + "/run", step.run, scope).value() == "echo x86_64-6.5.3");
    CHECK(evaluate_value(*wf, step.pointer + "/with", step.with, scope).value() == json::parse(R"({"force": true})"));
    CHECK(evaluate_condition(*wf, "/jobs/a/if", wf->jobs[0].condition, scope).value());
    scope.failed = true;  // a needed job failed: the implicit success() is false
    CHECK_FALSE(evaluate_condition(*wf, "/jobs/a/if", wf->jobs[0].condition, scope).value());
    CHECK_FALSE(evaluate_condition(*wf, "/jobs/a/if", "", scope).value());
  }

  TEST_CASE("syntax errors are found before running, at their line and column") {
    auto wf = parse_workflow(text, "w.yml");
    REQUIRE(wf);
    std::vector<std::string> found;
    for (const auto& d : check_expressions(*wf, "", wf->document)) found.push_back(format(d));
    REQUIRE(found.size() == 2);
    CHECK(found[0].starts_with("w.yml:9:"));
    CHECK(found[1].starts_with("w.yml:8:"));
  }
}
