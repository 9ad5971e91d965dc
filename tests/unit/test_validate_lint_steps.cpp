#include "validate/lint_steps.hpp"

#include "workflow_check.hpp"

using namespace workflow_check;

TEST_SUITE("validate::lint_steps") {
  TEST_CASE("step-id: a duplicate step id, also when only its case differs") {
    CHECK(check(with_jobs("  a:\n    runs-on: ubuntu-latest\n    steps:\n      - id: v\n        run: make\n"
                          "      - id: v\n        run: make\n      - id: V\n        run: make\n")) ==
          Lines{"w.yml:10:13: error: /jobs/a/steps/1/id: duplicate step id 'v' (first used at line 8) [step-id]",
                "w.yml:12:13: error: /jobs/a/steps/2/id: duplicate step id 'V' (first used at line 8 as 'v'; GitHub "
                "ignores case) [step-id]"});
  }

  TEST_CASE("action-ref: an action without a ref") {
    CHECK(check(with_jobs("  a:\n    runs-on: ubuntu-latest\n    steps: [{uses: actions/checkout}, {uses: a/b@}]\n")) ==
          Lines{"w.yml:7:20: error: /jobs/a/steps/0/uses: actions/checkout has no version; pin it as "
                "actions/checkout@<tag> or actions/checkout@<commit SHA> [action-ref]",
                "w.yml:7:46: error: /jobs/a/steps/1/uses: a/b@ has no version; pin it as a/b@<tag> or a/b@<commit SHA> "
                "[action-ref]"});
  }

  TEST_CASE("action-ref: local actions, docker images, tags and SHAs are fine") {
    CHECK(check(with_jobs("  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ./.github/actions/setup\n"
                          "      - uses: docker://alpine:3.20\n      - uses: github/codeql-action/init@v3\n"
                          "      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683\n")) == Lines{});
  }

  TEST_CASE("action-pin is off by default; enabled, it asks for a SHA for actions and remote workflows") {
    const std::string text = with_jobs("  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v5\n"
                                       "      - uses: actions/cache@0400d5f644dc74513175e3cd8d07132dd4860809\n"
                                       "  b:\n    uses: org/repo/.github/workflows/x.yml@main\n");
    CHECK(check(text) == Lines{});
    forgeline::validate::RuleSettings pin;
    pin.enabled.insert("action-pin");
    CHECK(check(text, std::nullopt, pin) ==
          Lines{"w.yml:8:15: warning: /jobs/a/steps/0/uses: actions/checkout@v5 is used by tag or branch, which its "
                "owner can move; pin it as actions/checkout@<commit SHA> [action-pin]",
                "w.yml:11:11: warning: /jobs/b/uses: org/repo/.github/workflows/x.yml@main is used by tag or branch, "
                "which its owner can move; pin it as org/repo/.github/workflows/x.yml@<commit SHA> [action-pin]"});
  }

  TEST_CASE("shell: known names in any case, custom commands with {0}, expressions; anything else is an error") {
    CHECK(check(with_jobs("  a:\n    runs-on: ubuntu-latest\n    defaults: {run: {shell: PowerShell}}\n    steps:\n"
                          "      - {run: make, shell: bash}\n      - {run: make, shell: 'bash -el {0}'}\n"
                          "      - {run: make, shell: 'python {0}'}\n")) == Lines{});
    CHECK(check("on: push\npermissions: {}\ndefaults:\n  run:\n    shell: zsh\njobs:\n  a:\n    runs-on: ubuntu-latest\n"
                "    steps:\n      - {run: make, shell: bash -e}\n") ==
          Lines{"w.yml:5:12: error: /defaults/run/shell: unknown shell 'zsh': use one of bash, pwsh, python, sh, cmd, "
                "powershell, or a command with {0} for the script file (e.g. 'zsh {0}') [shell]",
                "w.yml:10:28: error: /jobs/a/steps/0/shell: unknown shell 'bash -e': use one of bash, pwsh, python, sh, "
                "cmd, powershell, or a command with {0} for the script file (e.g. 'bash -e {0}') [shell]"});
  }

  TEST_CASE("disabled-command and deprecated-command: retired workflow commands, at their line in the script") {
    CHECK(check(with_jobs("  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          echo hi\n"
                          "          echo \"::set-output name=v::1\"\n          echo \"::set-env name=A::1\"\n"
                          "          echo '::add-path::/opt/bin'\n"
                          "      - uses: actions/github-script@v8\n        with:\n"
                          "          script: console.log('::save-state name=s::1')\n")) ==
          Lines{"w.yml:10:17: warning: /jobs/a/steps/0/run: the ::set-output workflow command is deprecated; use echo "
                "\"NAME=value\" >> \"$GITHUB_OUTPUT\" [deprecated-command]",
                "w.yml:11:17: error: /jobs/a/steps/0/run: the ::set-env workflow command is disabled, so the step fails; "
                "use echo \"NAME=value\" >> \"$GITHUB_ENV\" [disabled-command]",
                "w.yml:12:17: error: /jobs/a/steps/0/run: the ::add-path workflow command is disabled, so the step "
                "fails; use echo \"DIR\" >> \"$GITHUB_PATH\" [disabled-command]",
                "w.yml:15:32: warning: /jobs/a/steps/1/with/script: the ::save-state workflow command is deprecated; "
                "use echo \"NAME=value\" >> \"$GITHUB_STATE\" [deprecated-command]"});
  }

  TEST_CASE("disabled-command: ACTIONS_ALLOW_UNSECURE_COMMANDS turns them back on; similar words are no commands") {
    CHECK(check(with_jobs("  a:\n    runs-on: ubuntu-latest\n    env: {ACTIONS_ALLOW_UNSECURE_COMMANDS: true}\n    steps:\n"
                          "      - run: echo '::add-path::/opt/bin'\n"
                          "      - run: echo '::set-environment::' '::add-paths'\n")) == Lines{});
  }

  TEST_CASE("known_shell") {
    using forgeline::validate::known_shell;
    CHECK(known_shell("bash"));
    CHECK(known_shell("CMD"));
    CHECK(known_shell("perl {0}"));
    CHECK_FALSE(known_shell("fish"));
    CHECK_FALSE(known_shell("bash -e"));
  }

  TEST_CASE("retired-action: majors GitHub shut down are errors, and not outdated-action warnings too") {
    CHECK(check(with_jobs("  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/upload-artifact@v3\n"
                          "      - uses: actions/cache@v2.1.0\n      - uses: actions/cache@v3\n"
                          "      - uses: actions/download-artifact@v3-node20\n      - uses: actions/download-artifact@v4\n")) ==
          Lines{"w.yml:8:15: error: /jobs/a/steps/0/uses: actions/upload-artifact@v3 no longer works: GitHub shut it "
                "down on 2025-01-30 and fails the runs that use it; use actions/upload-artifact@v4 or later "
                "[retired-action]",
                "w.yml:9:15: error: /jobs/a/steps/1/uses: actions/cache@v2.1.0 no longer works: GitHub shut it down on "
                "2025-02-01 and fails the runs that use it; use actions/cache@v4 or later [retired-action]",
                "w.yml:10:15: warning: /jobs/a/steps/2/uses: actions/cache@v3 was written for a Node.js the runners no "
                "longer have; GitHub runs it on a newer one with a deprecation warning: use actions/cache@v4 or later "
                "[outdated-action]"});
    CHECK(check(with_jobs("  a:\n    runs-on: ubuntu-latest\n    steps: [{uses: actions/download-artifact@v1}]\n")) ==
          Lines{"w.yml:7:20: error: /jobs/a/steps/0/uses: actions/download-artifact@v1 no longer works: GitHub shut it "
                "down on 2024-06-30 and fails the runs that use it; use actions/download-artifact@v4 or later "
                "[retired-action]"});
  }

  TEST_CASE("outdated-action: GitHub's actions at majors written for Node 12 or 16") {
    CHECK(check(with_jobs("  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v3\n"
                          "      - uses: actions/stale@v8.0.1\n      - uses: actions/checkout@v4\n"
                          "      - uses: actions/cache@main\n      - uses: someone/checkout@v1\n")) ==
          Lines{"w.yml:8:15: warning: /jobs/a/steps/0/uses: actions/checkout@v3 was written for a Node.js the runners no "
                "longer have; GitHub runs it on a newer one with a deprecation warning: use actions/checkout@v4 or later "
                "[outdated-action]",
                "w.yml:9:15: warning: /jobs/a/steps/1/uses: actions/stale@v8.0.1 was written for a Node.js the runners no "
                "longer have; GitHub runs it on a newer one with a deprecation warning: use actions/stale@v9 or later "
                "[outdated-action]"});
  }
}
