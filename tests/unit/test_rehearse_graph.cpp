#include <doctest/doctest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "expr/evaluate.hpp"
#include "rehearse/graph.hpp"

using forgeline::rehearse::ancestor_status;
using forgeline::rehearse::ancestors;
using forgeline::rehearse::Result;
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

  TEST_CASE("ancestor_status: a skipped ancestor makes success() and failure() false; a failed one, failure() true") {
    auto wf = parse_workflow(R"(on: push
jobs:
  setup: {steps: [{run: x}]}
  lint: {needs: setup, if: false, steps: [{run: x}]}
  build: {needs: setup, steps: [{run: x}]}
  cleanup: {needs: lint, if: failure(), steps: [{run: x}]}
  notify: {needs: [lint, build], if: failure(), steps: [{run: x}]}
)",
                             "w.yml");
    REQUIRE(wf);
    const std::map<std::string, Result> ok = {{"setup", Result::success}, {"lint", Result::skipped}, {"build", Result::success}};
    auto cleanup = ancestor_status(*wf, "cleanup", ok);
    CHECK_FALSE(cleanup.failed);
    CHECK(cleanup.skipped);
    CHECK(cleanup.first == "lint was skipped");
    // For its if: failure() that is false, as success() would be.
    forgeline::expr::Scope scope;
    scope.failed = cleanup.failed;
    scope.skipped = cleanup.skipped;
    CHECK(forgeline::expr::condition("failure()", scope) == false);
    CHECK(forgeline::expr::condition("success()", scope) == false);
    CHECK(forgeline::expr::condition("always()", scope) == true);

    const std::map<std::string, Result> broken = {{"setup", Result::success}, {"lint", Result::skipped}, {"build", Result::failure}};
    auto notify = ancestor_status(*wf, "notify", broken);
    CHECK(notify.failed);
    CHECK(notify.skipped);
    CHECK(notify.first == "build ended in failure");
    scope.failed = notify.failed;
    scope.skipped = notify.skipped;
    CHECK(forgeline::expr::condition("failure()", scope) == true);
    // A cancelled ancestor counts as one that did not succeed, like a failed one.
    CHECK(ancestor_status(*wf, "build", {{"setup", Result::cancelled}}).failed);
    CHECK(ancestor_status(*wf, "setup", broken).first.empty());
  }
}
