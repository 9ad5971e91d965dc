#include "validate/lint_keys.hpp"

#include "workflow_check.hpp"

using namespace workflow_check;

TEST_SUITE("validate::lint_keys") {
  TEST_CASE("duplicate-key: job ids, env names and inputs that differ only in case") {
    CHECK(check("on:\n  workflow_dispatch:\n    inputs:\n      Name: {type: string}\n      name: {type: string}\n"
                "permissions: {}\nenv:\n  FOO: 1\n  foo: 2\njobs:\n  build:\n    runs-on: ubuntu-latest\n"
                "    steps: [{run: make}]\n  Build:\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n") ==
          Lines{"w.yml:5:7: error: /on/workflow_dispatch/inputs/name: 'name' is the key 'Name' (line 4) again: GitHub "
                "reads keys ignoring case and rejects the second [duplicate-key]",
                "w.yml:9:3: error: /env/foo: 'foo' is the key 'FOO' (line 8) again: GitHub reads keys ignoring case and "
                "rejects the second [duplicate-key]",
                "w.yml:14:3: error: /jobs/Build: 'Build' is the key 'build' (line 11) again: GitHub reads keys ignoring "
                "case and rejects the second [duplicate-key]"});
  }

  TEST_CASE("env-name: '=', blanks and control characters") {
    CHECK(check(with_jobs("  a:\n    runs-on: ubuntu-latest\n    env: {'A=B': 1, 'C D': 2, E_F: 3}\n"
                          "    steps: [{run: make, env: {\"G\\tH\": 4}}]\n")) ==
          Lines{"w.yml:7:11: error: /jobs/a/env/A=B: 'A=B' cannot be an environment variable name: it contains '=' "
                "[env-name]",
                "w.yml:7:21: error: /jobs/a/env/C D: 'C D' cannot be an environment variable name: it contains a space "
                "[env-name]",
                "w.yml:8:31: error: /jobs/a/steps/0/env/G\tH: 'G\tH' cannot be an environment variable name: it "
                "contains a control character [env-name]"});
  }
}
