#include "validate/workflow.hpp"

#include "workflow_check.hpp"

using namespace workflow_check;

TEST_SUITE("validate::workflow") {
  TEST_CASE("YAML errors carry the yaml rule; nothing else runs") {
    CHECK(check("on: push\njobs: [\n") ==
          Lines{"w.yml:3:1: error: end of sequence flow not found [yaml]"});
  }

  TEST_CASE("a schema error does not hide the findings of the well-formed parts") {
    const std::string text = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    timeout-minutes: ten\n"
                             "    steps: [{run: make}]\n  b:\n    needs: nope\n    runs-on: ubuntu-latest\n"
                             "    steps: [{run: make}]\n";
    CHECK(check(text) ==
          Lines{"w.yml:1:1: warning: /: no permissions: for the workflow, so every job gets the repository's default "
                "token permissions; add one granting the least the jobs need (e.g. permissions: {contents: read}) "
                "[permissions]",
                "w.yml:5:22: error: /jobs/a/timeout-minutes: must be a number greater than 0 or a ${{ }} expression "
                "[schema]",
                "w.yml:8:12: error: /jobs/b/needs: job 'nope' does not exist (jobs: a, b) [needs]"});
  }

  TEST_CASE("schema: cache-mode for the workflow, a job and a reusable workflow call") {
    // Newer than GitHub's parser schema at languageservices 4043eda; actions/setup-java's own
    // e2e-cache.yml uses it (github.blog changelog 2026-09-10).
    CHECK(check("on: push\npermissions: {}\ncache-mode: read\njobs:\n  a:\n    cache-mode: write-only\n"
                "    runs-on: ubuntu-latest\n    steps: [{run: make}]\n  b:\n    cache-mode: none\n"
                "    uses: o/r/.github/workflows/w.yml@v1\n") == Lines{});
    CHECK(check(with_jobs("  a:\n    cache-mode: read-only\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n")) ==
          Lines{"w.yml:6:17: error: /jobs/a/cache-mode: expected one of: read, write, write-only, none [schema]"});
  }

  TEST_CASE("schema: background steps, and steps that wait for, cancel or group them") {
    // Generally available since 2026-06-25 (GitHub changelog, parallel steps); vuejs/core uses them.
    const std::string head = "on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n";
    CHECK(check(head + "      - {id: srv, run: ./server, background: true}\n"
                       "      - parallel:\n          - run: make a\n          - {uses: actions/checkout@v5, background: true}\n"
                       "      - wait: srv\n      - wait: [srv]\n      - wait-all:\n      - {wait-all: true, name: all}\n"
                       "      - {cancel: srv, continue-on-error: true}\n") == Lines{});
    CHECK(check(head + "      - {wait: srv, run: make}\n      - {parallel: [{run: a}], name: x}\n      - wait: ''\n"
                       "      - {cancel: srv, wait: srv}\n      - {run: x, background: yes please}\n"
                       "      - parallel: [{run: a, nope: 1}]\n") ==
          Lines{"w.yml:7:21: error: /jobs/a/steps/0/run: unknown key (expected one of: cancel, continue-on-error, id, "
                "name, parallel, wait, wait-all) [schema]",
                "w.yml:8:9: error: /jobs/a/steps/1: a `parallel` step has no other key: give its steps names, ids and "
                "conditions [schema]",
                "w.yml:9:15: error: /jobs/a/steps/2/wait: wait takes the id of a background step, or a list of ids "
                "[schema]",
                "w.yml:10:9: error: /jobs/a/steps/3: a step has only one of `wait`, `wait-all`, `cancel` and `parallel` "
                "[schema]",
                "w.yml:11:30: error: /jobs/a/steps/4/background: expected boolean, got string [schema]",
                "w.yml:12:29: error: /jobs/a/steps/5/parallel/0/nope: unknown key (did you mean name?) [schema]"});
  }

  TEST_CASE("event-setting: a key an event does not document is a warning; under workflow_call an error") {
    // GitHub's parser reads event settings loosely (on-mapping); helm/helm runs `create: {tags}`.
    CHECK(check("on:\n  create:\n    tags: [v*]\n  push:\n    branch: main\n  workflow_call:\n    input: {}\n"
                "permissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n") ==
          Lines{"w.yml:3:5: warning: /on/create/tags: unknown key: GitHub accepts it, but the event documents no such "
                "setting [event-setting]",
                "w.yml:5:5: warning: /on/push/branch: unknown key (did you mean branches?): GitHub accepts it, but the "
                "event documents no such setting [event-setting]",
                "w.yml:7:5: error: /on/workflow_call/input: unknown key (did you mean inputs?) [schema]"});
  }

  TEST_CASE("lints say nothing more about a value the schema rejected") {
    // The schema rejects the value of 'A B'; the env-name lint stays quiet about that entry.
    CHECK(check(with_jobs("  a:\n    runs-on: ubuntu-latest\n    env: {'A B': [1], 'C D': 2}\n    steps: [{run: make}]\n")) ==
          Lines{"w.yml:7:11: error: /jobs/a/env/A B: expected string, number or boolean, got array [schema]",
                "w.yml:7:23: error: /jobs/a/env/C D: 'C D' cannot be an environment variable name: it contains a space "
                "[env-name]"});
  }

  TEST_CASE("rule settings: disabled rules are not reported, enabled ones are") {
    const std::string text = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    timeout-minutes: 400\n"
                             "    steps: [{uses: actions/checkout@v5}]\n";
    forgeline::validate::RuleSettings settings;
    settings.disabled = {"permissions", "timeout"};
    settings.enabled = {"action-pin"};
    CHECK(check(text, std::nullopt, settings) ==
          Lines{"w.yml:6:20: warning: /jobs/a/steps/0/uses: actions/checkout@v5 is used by tag or branch, which its "
                "owner can move; pin it as actions/checkout@<commit SHA> [action-pin]"});
  }

  TEST_CASE("inline ignores apply to every kind of finding") {
    CHECK(check("on: push  # forgeline-ignore: permissions\njobs:\n  a:\n    runs-on: ubuntu-latest\n"
                "    # forgeline-ignore: schema\n    timeout-minutes: ten\n    steps: [{run: make}]\n") == Lines{});
  }
}
