#include <doctest/doctest.h>

#include <string>

#include "rehearse/report.hpp"

using namespace forgeline::rehearse;

TEST_SUITE("rehearse::report") {
  TEST_CASE("the text report: jobs and steps, then summary, pushes, emulations and the result") {
    Report r;
    r.header = {"rehearsal of push on main in acme/widget at 0123456789ab"};
    r.workflows = {{".github/workflows/p.yml", "triggered: push to main"}};
    JobReport job{"qt / build", "qt image (6.5.3)", ".github/workflows/qt.yml", Result::failure, "step 'Build' failed (exit 1)"};
    StepReport ok{"Hash", Result::success};
    ok.outputs = {{"build", "true"}, {"notes", "a\nb"}};
    StepReport bad{"Build", Result::failure, "exit 1", {"ran: docker build ."}};
    bad.tail = "step 3/4\nerror";
    StepReport skipped{"Tag", Result::skipped, "if: x was false"};
    job.steps = {ok, bad, skipped};
    r.jobs = {JobReport{"base / build", "", "b.yml"}, job};
    r.pushed = {{"ghcr.io/a/b:1", "built", "base / build"}};
    r.emulate("one");
    r.emulate("one");
    r.skip("two");
    r.result = Result::failure;
    r.failure = "job qt / build failed: step 'Build' failed (exit 1)";
    r.failure_tail = bad.tail;
    CHECK(report_text(r) == R"--(rehearsal of push on main in acme/widget at 0123456789ab

.github/workflows/p.yml: triggered: push to main

job base / build: success

job qt / build "qt image (6.5.3)": failure (step 'Build' failed (exit 1))
  step Hash: success
    outputs: build=true notes=a\nb
  step Build: failure (exit 1)
    ran: docker build .
    last lines of its output:
      step 3/4
      error
  step Tag: skipped (if: x was false)

summary:
  base / build  success
  qt / build    failure
pushed:
  ghcr.io/a/b:1 (built, base / build)
emulated:
  one
not rehearsed:
  two
result: failure: job qt / build failed: step 'Build' failed (exit 1)
last lines of its output:
  step 3/4
  error
)--");
    const auto json = nlohmann::json::parse(report_json(r));
    CHECK(json["jobs"][1]["steps"][1]["result"] == "failure");
    CHECK(json["pushed"][0]["tag"] == "ghcr.io/a/b:1");
    CHECK(json["result"] == "failure");
  }
}
