#include <doctest/doctest.h>

#include <set>
#include <string>
#include <vector>

#include "rehearse/graph.hpp"

using forgeline::rehearse::ancestors;
using forgeline::rehearse::job_order;
using forgeline::rehearse::parse_workflow;

TEST_SUITE("rehearse::graph") {
  TEST_CASE("a job runs after all it needs; ready jobs in file order") {
    auto wf = parse_workflow(R"(on: push
jobs:
  app: {needs: [qt, tools], steps: [{run: x}]}
  tools: {steps: [{run: x}]}
  qt: {needs: base, steps: [{run: x}]}
  base: {steps: [{run: x}]}
)",
                             "w.yml");
    REQUIRE(wf);
    auto order = job_order(*wf);
    REQUIRE(order);
    std::vector<std::string> ids;
    for (auto i : *order) ids.push_back(wf->jobs[i].id);
    CHECK(ids == std::vector<std::string>{"tools", "base", "qt", "app"});
    CHECK(ancestors(*wf, "app") == std::set<std::string>{"qt", "tools", "base"});
    CHECK(ancestors(*wf, "base").empty());
  }

  TEST_CASE("a cycle is an error naming its path") {
    auto wf = parse_workflow("on: push\njobs:\n  a: {needs: c, steps: [{run: x}]}\n  b: {needs: a, steps: [{run: x}]}\n"
                             "  c: {needs: b, steps: [{run: x}]}\n",
                             "w.yml");
    REQUIRE(wf);
    auto order = job_order(*wf);
    REQUIRE_FALSE(order);
    CHECK(forgeline::util::format(order.error()[0]) == "w.yml:3:14: error: the jobs' needs form a cycle: a → c → b → a");
  }
}
