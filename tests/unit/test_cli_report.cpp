#include <doctest/doctest.h>

#include "cli/report.hpp"

using forgeline::util::Diagnostic;
using forgeline::util::Severity;

TEST_SUITE("cli::report") {
  TEST_CASE("annotations follow GitHub's workflow command escaping") {
    using forgeline::cli::annotation;
    using forgeline::util::error_at;
    CHECK(annotation(error_at({"a,b:c.yml", 3, 7}, "100% wrong\nnext")) ==
          "::error file=a%2Cb%3Ac.yml,line=3,col=7::100%25 wrong%0Anext");
    CHECK(annotation(error_at({"m.yaml", 0, 0}, "cannot read")) == "::error file=m.yaml::cannot read");
  }

  TEST_CASE("annotations carry the severity as GitHub names it, and the rule") {
    using forgeline::cli::annotation;
    CHECK(annotation(Diagnostic{{"w.yml", 2, 1}, "/: no permissions", Severity::warning, "permissions"}) ==
          "::warning file=w.yml,line=2,col=1::/: no permissions [permissions]");
    CHECK(annotation(Diagnostic{{"w.yml", 5, 3}, "suppresses nothing", Severity::note, "unused-ignore"}) ==
          "::notice file=w.yml,line=5,col=3::suppresses nothing [unused-ignore]");
  }

  TEST_CASE("JSON findings name their severity and rule; input errors have no rule") {
    const auto j = forgeline::cli::to_json({Diagnostic{{"b.yml", 1, 1}, "m", Severity::warning, "timeout"},
                                            Diagnostic{{"a.yml", 0, 0}, "cannot read", Severity::error, ""}});
    CHECK(j.dump() ==
          R"([{"column":0,"file":"a.yml","line":0,"message":"cannot read","rule":null,"severity":"error"},)"
          R"({"column":1,"file":"b.yml","line":1,"message":"m","rule":"timeout","severity":"warning"}])");
  }

  TEST_CASE("text: the rule follows the message in brackets") {
    CHECK(forgeline::util::format(Diagnostic{{"w.yml", 4, 2}, "/jobs: x", Severity::note, "unused-ignore"}) ==
          "w.yml:4:2: note: /jobs: x [unused-ignore]");
  }
}
