#include "validate/lint_runners.hpp"

#include "workflow_check.hpp"

using namespace workflow_check;

TEST_SUITE("validate::lint_runners") {
  TEST_CASE("runner-label: a retired image, in any case and in a list") {
    CHECK(check(with_jobs("  a:\n    runs-on: macos-12\n    steps: [{run: make}]\n"
                          "  b:\n    runs-on: [Ubuntu-20.04]\n    steps: [{run: make}]\n")) ==
          Lines{"w.yml:6:14: error: /jobs/a/runs-on: macos-12 is a GitHub-hosted image retired on 2024-12-03 "
                "(actions/runner-images#10721); jobs asking for it do not run [runner-label]",
                "w.yml:9:15: error: /jobs/b/runs-on/0: Ubuntu-20.04 is a GitHub-hosted image retired on 2025-04-15 "
                "(actions/runner-images#11101); jobs asking for it do not run [runner-label]"});
  }

  TEST_CASE("runner-label: images of two systems in one list; self-hosted labels are their owners'") {
    CHECK(check(with_jobs("  a:\n    runs-on: [ubuntu-latest, windows-latest]\n    steps: [{run: make}]\n"
                          "  b:\n    runs-on: [self-hosted, ubuntu-gpu, windows-x]\n    steps: [{run: make}]\n"
                          "  c:\n    runs-on: [ubuntu-24.04, ubuntu-latest]\n    steps: [{run: make}]\n")) ==
          Lines{"w.yml:6:30: error: /jobs/a/runs-on/1: ubuntu-latest and windows-latest are images of different "
                "systems and no runner has both, so the job never runs; to run on each, use a matrix [runner-label]"});
  }

  TEST_CASE("runner-label: current and expression labels are fine; others that look hosted get a note") {
    CHECK(check(with_jobs("  a:\n    runs-on: ubuntu-24.04-arm\n    steps: [{run: make}]\n"
                          "  b:\n    runs-on: macos-15-intel\n    steps: [{run: make}]\n"
                          "  c:\n    runs-on: ubuntu-22.04-16core\n    steps: [{run: make}]\n"
                          "  d:\n    runs-on: ${{ matrix.os }}\n    strategy: {matrix: {os: [macos-12]}}\n"
                          "    steps: [{run: make}]\n"
                          "  e:\n    runs-on: [self-hosted, ubuntu-gpu]\n    steps: [{run: make}]\n"
                          "  f:\n    runs-on: {group: big, labels: [ubuntu-big]}\n    steps: [{run: make}]\n")) ==
          Lines{"w.yml:12:14: note: /jobs/c/runs-on: ubuntu-22.04-16core is no standard GitHub-hosted label; if it names "
                "a larger or self-hosted runner of yours, this is fine, if it is misspelt the job waits for a runner that "
                "never comes [unknown-runner-label]"});
  }

  TEST_CASE("the current-label table holds hosted labels only") {
    for (std::string_view l : forgeline::validate::current_labels()) {
      CAPTURE(l);
      CHECK((l.starts_with("ubuntu-") || l.starts_with("windows-") || l.starts_with("macos-")));
    }
  }

  TEST_CASE("timeout: over the limit of the runner") {
    CHECK(check(with_jobs("  a:\n    runs-on: ubuntu-latest\n    timeout-minutes: 361\n    steps: [{run: make}]\n")) ==
          Lines{"w.yml:7:22: warning: /jobs/a/timeout-minutes: 361 minutes is over the 360-minute job limit of "
                "GitHub-hosted runners [timeout]"});
    CHECK(check(with_jobs("  a:\n    runs-on: ubuntu-slim\n    timeout-minutes: 16\n    steps: [{run: make}]\n")) ==
          Lines{"w.yml:7:22: warning: /jobs/a/timeout-minutes: 16 minutes is over the 15-minute job limit of "
                "ubuntu-slim runners [timeout]"});
    CHECK(check(with_jobs("  a:\n    runs-on: [self-hosted, linux]\n    timeout-minutes: 7200.5\n    steps: [{run: make}]\n")) ==
          Lines{"w.yml:7:22: warning: /jobs/a/timeout-minutes: 7200.5 minutes is over the 7200-minute (5-day) job "
                "limit of self-hosted runners [timeout]"});
  }

  TEST_CASE("timeout: at the limit, or on a runner whose limit is unknown, is fine") {
    for (std::string runs_on : {"ubuntu-latest", "'${{ vars.runner }}'", "{group: big}", "my-custom-label",
                                "{group: big, labels: [windows-2025-16core]}"}) {
      CAPTURE(runs_on);
      CHECK(check(with_jobs("  a:\n    runs-on: " + runs_on + "\n    timeout-minutes: 360\n    steps: [{run: make}]\n")) ==
            Lines{});
    }
    CHECK(check(with_jobs("  a:\n    runs-on: [self-hosted, linux]\n    timeout-minutes: 7200\n    steps: [{run: make}]\n")) ==
          Lines{});
  }

  TEST_CASE("the retired-label table names a date and a source for each label") {
    for (const auto& r : forgeline::validate::retired_labels()) {
      CAPTURE(r.label);
      CHECK(r.since.size() == 10);
      CHECK_FALSE(r.source.empty());
    }
  }

  TEST_CASE("runner-label: a matrix value of another system than a fixed label") {
    CHECK(check(with_jobs("  a:\n    strategy:\n      matrix:\n        os: [ubuntu-24.04, windows-latest, mine]\n"
                          "    runs-on: [ubuntu-latest, '${{ matrix.os }}']\n    steps: [{run: make}]\n")) ==
          Lines{"w.yml:8:28: error: /jobs/a/strategy/matrix/os/1: windows-latest (runs-on of job 'a' through matrix.os) "
                "and ubuntu-latest are images of different systems and no runner has both, so that matrix job never "
                "runs [runner-label]"});
  }
}
