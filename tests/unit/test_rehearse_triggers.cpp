#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "rehearse/triggers.hpp"

using forgeline::rehearse::Event;
using forgeline::rehearse::parse_workflow;
using forgeline::rehearse::triggered_by;

namespace {

const char* pipeline = R"(on:
  push:
    branches: [main]
    paths: [docker/Dockerfile.arm64, 'matrices/**']
  pull_request:
    paths-ignore: ['**.md']
  workflow_dispatch:
jobs:
  a: {steps: [{run: x}]}
)";

}  // namespace

TEST_SUITE("rehearse::triggers") {
  TEST_CASE("events, branches and paths decide, each with its reason") {
    auto wf = parse_workflow(pipeline, "p.yml");
    REQUIRE(wf);
    auto t = triggered_by(*wf, Event{"push", "main"});
    CHECK(t.runs);
    CHECK(t.reason == "triggered: push to main (paths filter not evaluated: no --changed files given)");
    t = triggered_by(*wf, Event{"push", "feature"});
    CHECK_FALSE(t.runs);
    CHECK(t.reason == "not triggered: branch 'feature' is not in branches (main)");
    t = triggered_by(*wf, Event{"push", "main", "main", std::vector<std::string>{"src/main.cpp"}});
    CHECK_FALSE(t.runs);
    CHECK(t.reason == "not triggered: no changed file matches paths (docker/Dockerfile.arm64, matrices/**)");
    t = triggered_by(*wf, Event{"push", "main", "main", std::vector<std::string>{"src/a.cpp", "matrices/x.yaml"}});
    CHECK(t.runs);
    CHECK(t.reason == "triggered: push to main; matrices/x.yaml matches paths");
    t = triggered_by(*wf, Event{"pull_request", "feature", "main", std::vector<std::string>{"README.md"}});
    CHECK_FALSE(t.runs);
    CHECK(t.reason == "not triggered: every changed file matches paths-ignore");
    CHECK(triggered_by(*wf, Event{"workflow_dispatch", "any"}).runs);
  }

  TEST_CASE("a called workflow does not run on its own") {
    auto wf = parse_workflow("on: {workflow_call: {}, workflow_dispatch: {}}\njobs:\n  a: {steps: [{run: x}]}\n", "c.yml");
    REQUIRE(wf);
    auto t = triggered_by(*wf, Event{"push", "main"});
    CHECK_FALSE(t.runs);
    CHECK(t.reason == "not triggered: runs on workflow_call, workflow_dispatch, not push");
  }
}
