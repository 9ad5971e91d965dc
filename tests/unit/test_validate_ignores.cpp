#include "validate/ignores.hpp"

#include "workflow_check.hpp"

using namespace workflow_check;

TEST_SUITE("validate::ignores") {
  TEST_CASE("find_suppressions: comments on their own line or after a value, not inside quotes") {
    const auto found = forgeline::validate::find_suppressions(
        "a: 1 # forgeline-ignore: x, y\n  # forgeline-ignore: z\nb: '# forgeline-ignore: q'\nc: d#forgeline-ignore: r\n"
        "e: 1 #forgeline-ignore:w\n");
    REQUIRE(found.size() == 3);
    CHECK(found[0].line == 1);
    CHECK(found[0].column == 6);
    CHECK_FALSE(found[0].own_line);
    CHECK(found[0].rules == std::vector<std::string>{"x", "y"});
    CHECK(found[1].line == 2);
    CHECK(found[1].own_line);
    CHECK(found[1].rules == std::vector<std::string>{"z"});
    CHECK(found[2].line == 5);
    CHECK(found[2].rules == std::vector<std::string>{"w"});
  }

  TEST_CASE("a suppression covers its own line, and the next when it stands alone") {
    const std::string text = with_jobs("  a:\n    runs-on: macos-12  # forgeline-ignore: runner-label\n    steps:\n"
                                       "      # forgeline-ignore: action-ref\n      - uses: actions/checkout\n"
                                       "      - uses: actions/cache  # forgeline-ignore: action-ref\n"
                                       "      - uses: actions/setup-go\n");
    CHECK(check(text) ==
          Lines{"w.yml:11:15: error: /jobs/a/steps/2/uses: actions/setup-go has no version; pin it as "
                "actions/setup-go@<tag> or actions/setup-go@<commit SHA> [action-ref]"});
  }

  TEST_CASE("a trailing suppression does not reach the next line") {
    CHECK(check(with_jobs("  a:  # forgeline-ignore: runner-label\n    runs-on: macos-12\n    steps: [{run: make}]\n")) ==
          Lines{"w.yml:5:7: note: forgeline-ignore: runner-label suppresses nothing on line 5 [unused-ignore]",
                "w.yml:6:14: error: /jobs/a/runs-on: macos-12 is a GitHub-hosted image retired on 2024-12-03 "
                "(actions/runner-images#10721); jobs asking for it do not run [runner-label]"});
  }

  TEST_CASE("unused-ignore: a note for a rule that suppressed nothing, or a name that is no rule") {
    CHECK(check(with_jobs("  a:\n    # forgeline-ignore: timeout, no-such-rule\n    runs-on: ubuntu-latest\n"
                          "    steps: [{run: make}]\n")) ==
          Lines{"w.yml:6:5: note: forgeline-ignore: 'no-such-rule' is not a rule, so it suppresses nothing "
                "[unused-ignore]",
                "w.yml:6:5: note: forgeline-ignore: timeout suppresses nothing on lines 6-7 [unused-ignore]"});
  }

  TEST_CASE("a suppression inside a run script covers the script line below it") {
    CHECK(check(with_jobs("  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n"
                          "          # forgeline-ignore: untrusted-input\n"
                          "          echo \"${{ github.event.issue.title }}\"\n")) == Lines{});
  }

  TEST_CASE("no note for a rule that is turned off, and none when unused-ignore is") {
    const std::string text = with_jobs("  a:  # forgeline-ignore: timeout\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n");
    forgeline::validate::RuleSettings off;
    off.disabled = {"timeout"};
    CHECK(check(text, std::nullopt, off) == Lines{});
    forgeline::validate::RuleSettings quiet;
    quiet.disabled = {"unused-ignore"};
    CHECK(check(text, std::nullopt, quiet) == Lines{});
  }
}
