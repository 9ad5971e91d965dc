#include "validate/lint_events.hpp"

#include "workflow_check.hpp"

using namespace workflow_check;

namespace {

std::string with_on(const std::string& on) {
  return "on:\n" + on + "permissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n";
}

}  // namespace

TEST_SUITE("validate::lint_events") {
  TEST_CASE("cron_problem: GitHub's five fields, ranges, names, lists and steps") {
    using forgeline::validate::cron_problem;
    for (const char* ok : {"0 0 * * *", "*/15 * * * *", "5/15 0-23/2 1,15 JAN-MAR mon-fri", "0 12 * * SUN",
                           "  30   4 1 12 6 ", "0-59/5 * * * *"}) {
      CAPTURE(ok);
      CHECK(cron_problem(ok) == std::nullopt);
    }
    CHECK(cron_problem("0 0 * *") == "it has 4 fields; a schedule has five: minute hour day-of-month month day-of-week");
    CHECK(cron_problem("60 0 * * *") == "'60' is not a value of the minute field (0-59)");
    CHECK(cron_problem("0 0 0 * *") == "'0' is not a value of the day of month field (1-31)");
    CHECK(cron_problem("0 0 * 13 *") == "'13' is not a value of the month field (1-12 or a name)");
    CHECK(cron_problem("0 0 * * 7") == "'7' is not a value of the day of week field (0-6 or a name)");
    CHECK(cron_problem("*/0 * * * *") == "step '0' of the minute field is not a number from 1 to 59");
    CHECK(cron_problem("5-1 * * * *") == "range '5-1' of the minute field ends before it starts");
    CHECK(cron_problem("@daily") == "it has 1 field; a schedule has five: minute hour day-of-month month day-of-week");
    CHECK(cron_problem("0 0 ? * *") == "'?' is not a value of the day of month field (1-31)");
  }

  TEST_CASE("cron_interval: the shortest gap between runs, across the hour") {
    using forgeline::validate::cron_interval;
    CHECK(cron_interval("* * * * *") == 1);
    CHECK(cron_interval("*/4 * * * *") == 4);
    CHECK(cron_interval("0,30 * * * *") == 30);
    CHECK(cron_interval("2,58 * * * *") == 4);
    CHECK(cron_interval("0 * * * *") == 60);
    CHECK(cron_interval("0-4 3 * * *") == 1);
  }

  TEST_CASE("cron and cron-interval findings") {
    CHECK(check(with_on("  schedule:\n    - cron: '0 0 * *'\n    - cron: '*/3 * * * *'\n    - cron: '*/5 * * * *'\n")) ==
          Lines{"w.yml:3:13: error: /on/schedule/0/cron: '0 0 * *' is not a cron schedule GitHub accepts: it has 4 "
                "fields; a schedule has five: minute hour day-of-month month day-of-week [cron]",
                "w.yml:4:13: warning: /on/schedule/1/cron: '*/3 * * * *' asks for a run every 3 minutes, but GitHub runs "
                "schedules at most every 5 minutes [cron-interval]"});
  }

  TEST_CASE("glob_problem: brackets, escapes and what a ref name cannot hold") {
    using forgeline::validate::glob_problem;
    for (const char* ok : {"main", "releases/**", "v[0-9]+.*", "!docs/**", "feature/*", "\\[literal\\]"}) {
      CAPTURE(ok);
      CHECK(glob_problem(ok, true) == std::nullopt);
    }
    CHECK(glob_problem("docs/my file.md", false) == std::nullopt);
    CHECK(glob_problem("v[0-9", true) == "the '[' at character 2 is never closed");
    CHECK(glob_problem("v[9-0]", true) == "range '9-0' in [] ends before it starts");
    CHECK(glob_problem("a[]", false) == "'[]' matches nothing");
    CHECK(glob_problem("my branch", true) == "a ref name cannot contain a space");
    CHECK(glob_problem("a~b", true) == "a ref name cannot contain '~'");
    CHECK(glob_problem("/main", true) == "a ref name cannot start with '/'");
    CHECK(glob_problem("main/", true) == "a ref name cannot end with '/'");
    CHECK(glob_problem("a..b", true) == "a ref name cannot contain '..'");
    CHECK(glob_problem("!", true) == "nothing follows the '!'");
    CHECK(glob_problem("a\\", false) == "it ends with a lone '\\'");
  }

  TEST_CASE("glob and filters findings") {
    CHECK(check(with_on("  push:\n    branches: [main, 'release v1']\n    branches-ignore: [wip]\n"
                        "    paths: ['src/[a-']\n    tags: ['v[9-0]']\n")) ==
          Lines{"w.yml:3:22: error: /on/push/branches/1: 'release v1' is not a valid ref filter: a ref name cannot "
                "contain a space [glob]",
                "w.yml:4:5: error: /on/push/branches-ignore: branches and branches-ignore on one event: GitHub rejects "
                "the workflow; use branches with '!' patterns to exclude [filters]",
                "w.yml:5:13: error: /on/push/paths/0: 'src/[a-' is not a valid path filter: the '[' at character 5 is "
                "never closed [glob]",
                "w.yml:6:12: error: /on/push/tags/0: 'v[9-0]' is not a valid ref filter: range '9-0' in [] ends before "
                "it starts [glob]"});
  }

  TEST_CASE("a filter the event does not have is reported once, as an event-setting warning") {
    CHECK(check(with_on("  pull_request:\n    tags: ['v[9-0]']\n")) ==
          Lines{"w.yml:3:5: warning: /on/pull_request/tags: unknown key (expected one of: branches, branches-ignore, "
                "paths, paths-ignore, types): GitHub accepts it, but the event documents no such setting "
                "[event-setting]"});
  }

  TEST_CASE("dispatch-inputs: more than 25 inputs") {
    std::string inputs = "  workflow_dispatch:\n    inputs:\n";
    for (int i = 0; i < 26; ++i) inputs += "      i" + std::to_string(i) + ": {type: string}\n";
    CHECK(check(with_on(inputs)) ==
          Lines{"w.yml:2:3: error: /on/workflow_dispatch: 26 inputs, but GitHub allows at most 25 for "
                "workflow_dispatch [dispatch-inputs]"});
    inputs.resize(inputs.rfind("      i25"));
    CHECK(check(with_on(inputs)) == Lines{});
  }

  TEST_CASE("choice-default: a default outside the options; inputs are compared as text") {
    const std::string head = "  workflow_dispatch:\n    inputs:\n      level:\n        type: choice\n";
    CHECK(check(with_on(head + "        default: verbose\n        options: [info, debug]\n")) ==
          Lines{"w.yml:6:18: error: /on/workflow_dispatch/inputs/level/default: default 'verbose' is not one of the "
                "options (info, debug) [choice-default]"});
    CHECK(check(with_on(head + "        default: 1\n        options: ['1', '2']\n")) == Lines{});
  }

  TEST_CASE("cron: schedule named without cron entries never runs") {
    CHECK(check("on: schedule\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n") ==
          Lines{"w.yml:1:5: error: /on: schedule needs a list of cron entries; as a bare event name it never runs [cron]"});
    CHECK(check("on: [push, schedule]\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n"
                "    steps: [{run: make}]\n") ==
          Lines{"w.yml:1:12: error: /on/1: schedule needs a list of cron entries; as a bare event name it never runs "
                "[cron]"});
  }

  TEST_CASE("required-default: a required workflow_call input's default is never used") {
    CHECK(check(with_on("  workflow_call:\n    inputs:\n      a: {type: string, required: true, default: x}\n"
                        "      b: {type: string, default: y}\n")) ==
          Lines{"w.yml:4:50: warning: /on/workflow_call/inputs/a/default: input 'a' is required, so callers always pass "
                "it and this default is never used [required-default]"});
  }
}
