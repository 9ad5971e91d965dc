#include "validate/lints.hpp"

#include "util/yaml_json.hpp"
#include "workflow_check.hpp"

namespace {

std::vector<std::string> rules_found(const std::string& text) {
  auto doc = forgeline::util::parse_yaml(text, "w.yml");
  REQUIRE(doc);
  std::vector<std::string> out;
  for (const auto& f : forgeline::validate::lint_workflow(*doc, text)) out.push_back(f.rule + " " + f.pointer);
  return out;
}

}  // namespace

TEST_SUITE("validate::lints") {
  TEST_CASE("every family runs, each finding with its rule and pointer") {
    CHECK(rules_found("on: {schedule: [{cron: '* * *'}]}\njobs:\n  a:\n    needs: x\n    runs-on: macos-12\n"
                      "    steps: [{uses: actions/checkout, shell: fish, env: {'A B': 1}}]\n") ==
          std::vector<std::string>{"env-name /jobs/a/steps/0/env/A B", "cron /on/schedule/0/cron", "needs /jobs/a/needs",
                                   "runner-label /jobs/a/runs-on", "action-ref /jobs/a/steps/0/uses",
                                   "shell /jobs/a/steps/0/shell", "permissions "});
  }

  TEST_CASE("documents of any shape are read without a crash") {
    // What the schema rejects still reaches the lints: every value where another kind is expected.
    for (const char* text : {"[]", "jobs: 3", "jobs: [a]", "jobs: {a: 1}", "jobs: {a: {steps: 1, needs: {x: 1}}}",
                             "jobs: {a: {steps: [1, [2], {run: 3, if: 4, with: 5}], strategy: {matrix: [1]}}}",
                             "jobs: {a: {strategy: {matrix: {x: 1, include: [1], exclude: {a: 1}}}}}",
                             "jobs: {a: {runs-on: {labels: 3}, timeout-minutes: x, services: [1], container: 2}}",
                             "on: {schedule: [1, {cron: 2}], workflow_dispatch: {inputs: [1]}, push: {branches: 3}}",
                             "on: {workflow_dispatch: {inputs: {a: {type: choice, options: 1, default: 2}}}}",
                             "env: 1\ndefaults: {run: 1}\njobs: {a: {uses: 3, with: 1, secrets: 2, env: [1]}}"}) {
      CAPTURE(text);
      CHECK_NOTHROW(rules_found(text));
      CHECK_NOTHROW(workflow_check::check(text));
    }
  }
}
