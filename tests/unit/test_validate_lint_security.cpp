#include "validate/lint_security.hpp"

#include "workflow_check.hpp"

using namespace workflow_check;

namespace {

constexpr const char* kDispatch = R"(on:
  workflow_dispatch:
    inputs:
      name: {type: string}
      flag: {type: boolean}
      count: {type: number}
      level: {type: choice, options: [info, debug]}
      target: {type: environment}
      plain: {description: no type means string}
permissions: {}
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
)";

}  // namespace

TEST_SUITE("validate::lint_security") {
  TEST_CASE("untrusted-input: event text and head_ref expanded in run, at each expression") {
    CHECK(check(with_jobs("  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                          "      - run: echo \"${{ github.event.issue.title }} ${{ github.head_ref }}\"\n"
                          "      - run: echo \"${{ github.event.commits[0].message }} ${{ github.event.commits.*.author.name }}\"\n")) ==
          Lines{"w.yml:8:24: warning: /jobs/a/steps/0/run: github.event.issue.title is expanded into the script, where "
                "it can inject commands; pass it through env: and use the variable instead [untrusted-input]",
                "w.yml:8:56: warning: /jobs/a/steps/0/run: github.head_ref is expanded into the script, where it can "
                "inject commands; pass it through env: and use the variable instead [untrusted-input]",
                "w.yml:9:24: warning: /jobs/a/steps/1/run: github.event.commits[0].message is expanded into the "
                "script, where it can inject commands; pass it through env: and use the variable instead "
                "[untrusted-input]",
                "w.yml:9:63: warning: /jobs/a/steps/1/run: github.event.commits.*.author.name is expanded into the "
                "script, where it can inject commands; pass it through env: and use the variable instead "
                "[untrusted-input]"});
  }

  TEST_CASE("untrusted-input: what the base repository controls is fine") {
    CHECK(check(with_jobs("  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                          "      - run: echo \"${{ github.event.pull_request.base.ref }} ${{ github.event.pull_request.number }}\"\n"
                          "      - run: echo \"${{ github.event_name }} ${{ github.sha }} $TITLE\"\n"
                          "        if: github.event.issue.title != ''\n"
                          "        env: {TITLE: '${{ github.event.issue.title }}'}\n")) == Lines{});
  }

  TEST_CASE("untrusted-input: typed inputs cannot inject; strings can, under either spelling") {
    CHECK(check(std::string(kDispatch) +
                "      - run: echo ${{ inputs.flag }} ${{ inputs.count }} ${{ inputs.level }} ${{ inputs.target }}\n"
                "      - run: echo ${{ github.event.inputs.flag }}\n"
                "      - run: echo ${{ inputs.name }} ${{ github.event.inputs.plain }}\n") ==
          Lines{"w.yml:17:23: warning: /jobs/a/steps/2/run: inputs.name is expanded into the script, where it can inject "
                "commands; pass it through env: and use the variable instead [untrusted-input]",
                "w.yml:17:42: warning: /jobs/a/steps/2/run: github.event.inputs.plain is expanded into the script, "
                "where it can inject commands; pass it through env: and use the variable instead [untrusted-input]"});
  }

  TEST_CASE("untrusted-input: actions/github-script's script is code like run") {
    CHECK(check(with_jobs("  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                          "      - uses: actions/github-script@v8\n        with:\n"
                          "          script: console.log('${{ github.event.pull_request.title }}')\n"
                          "          github-token: ${{ github.event.pull_request.title }}\n"
                          "      - uses: other/action@v1\n        with:\n"
                          "          script: ${{ github.event.pull_request.title }}\n")) ==
          Lines{"w.yml:10:36: warning: /jobs/a/steps/0/with/script: github.event.pull_request.title is expanded into "
                "the github-script code, where it can inject commands; pass it through env: and use the variable "
                "instead [untrusted-input]"});
  }

  TEST_CASE("permissions: a warning at the top when no block covers the jobs") {
    CHECK(check("name: x\non: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n") ==
          Lines{"w.yml:1:1: warning: /: no permissions: for the workflow, so every job gets the repository's default "
                "token permissions; add one granting the least the jobs need (e.g. permissions: {contents: read}) "
                "[permissions]"});
    CHECK(check("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    permissions: {}\n    steps: [{run: make}]\n"
                "  b:\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n") ==
          Lines{"w.yml:1:1: warning: /: no permissions: for the workflow or for job b, so it gets the repository's "
                "default token permissions; add one granting the least the jobs need (e.g. permissions: "
                "{contents: read}) [permissions]"});
  }

  TEST_CASE("permissions: none when every job sets them, or when only a caller can run the workflow") {
    CHECK(check("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    permissions: {contents: read}\n"
                "    steps: [{run: make}]\n  b:\n    uses: ./.github/workflows/x.yml\n    permissions: {}\n") == Lines{});
    for (const char* on : {"workflow_call", "[workflow_call]", "{workflow_call: {inputs: {a: {type: string}}}}"}) {
      CAPTURE(on);
      CHECK(check(std::string("on: ") + on + "\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n") ==
            Lines{});
    }
    CHECK(check("on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n") ==
          Lines{});
  }

  TEST_CASE("credentials: a password written out, not one from a secret") {
    CHECK(check(with_jobs("  a:\n    runs-on: ubuntu-latest\n"
                          "    container:\n      image: ghcr.io/o/i\n      credentials: {username: u, password: hunter2}\n"
                          "    services:\n      db:\n        image: r/db\n"
                          "        credentials: {username: u, password: '${{ secrets.DB }}'}\n"
                          "    steps: [{run: make}]\n")) ==
          Lines{"w.yml:9:44: warning: /jobs/a/container/credentials/password: the registry password is written into the "
                "workflow; use a secret, e.g. ${{ secrets.REGISTRY_PASSWORD }} [credentials]"});
  }

  TEST_CASE("the untrusted-context table names a source for every path") {
    for (const auto& u : forgeline::validate::untrusted_contexts()) {
      CAPTURE(u.path);
      CHECK(u.path.starts_with("github."));
      CHECK_FALSE(u.source.empty());
    }
  }
}
