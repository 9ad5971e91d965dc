#include <doctest/doctest.h>

#include "cli/report.hpp"

TEST_SUITE("cli::report") {
  TEST_CASE("annotations follow GitHub's workflow command escaping") {
    using forgeline::cli::annotation;
    using forgeline::util::error_at;
    CHECK(annotation(error_at({"a,b:c.yml", 3, 7}, "100% wrong\nnext")) ==
          "::error file=a%2Cb%3Ac.yml,line=3,col=7::100%25 wrong%0Anext");
    CHECK(annotation(error_at({"m.yaml", 0, 0}, "cannot read")) == "::error file=m.yaml::cannot read");
  }
}
