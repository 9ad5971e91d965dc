#include "validate/rules.hpp"

#include <fstream>
#include <iterator>
#include <set>

#include <doctest/doctest.h>

using namespace forgeline::validate;

TEST_SUITE("validate::rules") {
  TEST_CASE("ids are unique, and each rule says what it checks") {
    std::set<std::string_view> ids;
    for (const Rule& r : rules()) {
      CAPTURE(r.id);
      CHECK(ids.insert(r.id).second);
      CHECK_FALSE(r.summary.empty());
      CHECK(find_rule(r.id) == &r);
    }
    CHECK(find_rule("nope") == nullptr);
  }

  TEST_CASE("severities: GitHub rejects or it cannot work is an error; risks are warnings") {
    CHECK(find_rule("schema")->severity == forgeline::util::Severity::error);
    CHECK(find_rule("needs")->severity == forgeline::util::Severity::error);
    CHECK(find_rule("permissions")->severity == forgeline::util::Severity::warning);
    CHECK(find_rule("untrusted-input")->severity == forgeline::util::Severity::warning);
    CHECK(find_rule("unused-ignore")->severity == forgeline::util::Severity::note);
  }

  TEST_CASE("RuleSettings: on by default unless disabled; off by default unless enabled") {
    RuleSettings s;
    CHECK(s.runs("permissions"));
    CHECK_FALSE(s.runs("action-pin"));
    CHECK_FALSE(s.runs("nope"));
    s.enabled = {"action-pin"};
    s.disabled = {"permissions"};
    CHECK(s.runs("action-pin"));
    CHECK_FALSE(s.runs("permissions"));
    s.disabled.insert("action-pin");
    CHECK_FALSE(s.runs("action-pin"));
  }

  TEST_CASE("check_rule_name lists the rules") {
    CHECK(check_rule_name("timeout"));
    const auto bad = check_rule_name("timeouts");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().starts_with("unknown rule 'timeouts' (rules: yaml, schema, event-setting, duplicate-key, "));
  }
}

TEST_SUITE("validate::rules") {
  TEST_CASE("the README lists every rule with its severity") {
    std::ifstream in(std::string(FORGELINE_SOURCE_DIR) + "/README.md");
    const std::string readme((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    REQUIRE_FALSE(readme.empty());
    for (const Rule& r : rules()) {
      CAPTURE(r.id);
      std::string row = "| `" + std::string(r.id) + "` | " + std::string(forgeline::util::severity_name(r.severity));
      if (!r.on_by_default) row += " (off by default)";
      CHECK(readme.find(row + " | " + std::string(r.summary) + " |") != std::string::npos);
    }
  }
}
