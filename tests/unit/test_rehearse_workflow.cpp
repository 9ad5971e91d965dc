#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "rehearse/workflow.hpp"

using forgeline::rehearse::locate;
using forgeline::rehearse::parse_workflow;
using forgeline::util::format;

namespace {

std::vector<std::string> errors_of(const std::string& text) {
  auto wf = parse_workflow(text, "w.yml");
  std::vector<std::string> out;
  if (!wf)
    for (const auto& d : wf.error()) out.push_back(format(d));
  return out;
}

}  // namespace

TEST_SUITE("rehearse::workflow") {
  TEST_CASE("triggers in their three forms, jobs in file order, steps as written") {
    auto wf = parse_workflow(R"(name: CI
on: [push, workflow_dispatch]
jobs:
  zeta:
    runs-on: ubuntu-24.04
    steps:
      - id: one
        run: echo hi
  alpha:
    needs: zeta
    if: false
    uses: ./.github/workflows/called.yml
    with: {x: 1}
    secrets: inherit
)",
                             "w.yml");
    REQUIRE(wf);
    CHECK(wf->name == "CI");
    CHECK(wf->on == nlohmann::json::parse(R"({"push": null, "workflow_dispatch": null})"));
    REQUIRE(wf->jobs.size() == 2);
    CHECK(wf->jobs[0].id == "zeta");
    CHECK(wf->jobs[0].steps[0].id == "one");
    CHECK(wf->jobs[0].steps[0].pointer == "/jobs/zeta/steps/0");
    CHECK(wf->jobs[1].needs == std::vector<std::string>{"zeta"});
    CHECK(wf->jobs[1].condition == "false");
    CHECK(wf->jobs[1].uses == "./.github/workflows/called.yml");
    CHECK(wf->jobs[1].secrets == "inherit");
    CHECK(parse_workflow("on: push\njobs: {a: {steps: [{run: x}]}}\n", "w.yml")->on ==
          nlohmann::json::parse(R"({"push": null})"));
  }

  TEST_CASE("shapes the rehearsal cannot read are errors at their line") {
    CHECK(errors_of("on: push\njobs:\n  a:\n    runs-on: x\n") ==
          std::vector<std::string>{"w.yml:3:3: error: job 'a' has neither 'steps' nor 'uses'"});
    CHECK(errors_of("on: push\njobs:\n  a:\n    needs: [b]\n    steps: [{run: x}]\n") ==
          std::vector<std::string>{"w.yml:4:13: error: job 'a' needs 'b', which is not a job of this workflow"});
    CHECK(errors_of("on: push\njobs:\n  a:\n    steps:\n      - run: x\n        uses: y@v1\n") ==
          std::vector<std::string>{"w.yml:5:9: error: a step has either 'run' or 'uses', not both"});
    CHECK(errors_of("jobs:\n  a: {steps: [{run: x}]}\n") == std::vector<std::string>{"w.yml:1:1: error: a workflow needs 'on'"});
    CHECK(errors_of("on: push\njobs:\n  a:\n    services: {db: {image: x}}\n    steps: [{run: x}]\n") ==
          std::vector<std::string>{"w.yml:4:5: error: service containers are not rehearsed"});
  }

  TEST_CASE("locate finds a character of a value on its line, also inside a block scalar") {
    const std::string text = "on: push\njobs:\n  a:\n    steps:\n      - run: |\n          echo one\n          echo ${{ bad( }}\n        name: 'x ${{ y }}'\n";
    auto wf = parse_workflow(text, "w.yml");
    REQUIRE(wf);
    const std::string run = "echo one\necho ${{ bad( }}\n";
    const auto at = locate(*wf, "/jobs/a/steps/0/run", run, run.find("bad"));
    CHECK(format(at) == "w.yml:7:20");
    const auto name = locate(*wf, "/jobs/a/steps/0/name", "x ${{ y }}", 6);
    CHECK(format(name) == "w.yml:8:22");
  }
}
