#include <doctest/doctest.h>

#include "validate/pins.hpp"

TEST_SUITE("validate::pins") {
  TEST_CASE("tags and branches are reported at the ref; SHAs, local and docker uses are not") {
    const std::string text =
        "jobs:\n  a:\n    steps:\n"
        "      - uses: actions/checkout@v7\n"
        "      - uses: actions/cache@0123456789abcdef0123456789abcdef01234567 # v5\n"
        "      - uses: ./.github/actions/local\n"
        "      - uses: docker://alpine:3\n"
        "  b:\n    uses: org/repo/.github/workflows/x.yml@main\n";
    auto found = forgeline::validate::check_pinned(text, "w.yml", "forgeline.lock");
    REQUIRE(found.size() == 2);
    CHECK(forgeline::util::format(found[0]) ==
          "w.yml:4:15: error: actions/checkout@v7 is not pinned: add it to forgeline.lock with its commit SHA");
    CHECK(forgeline::util::format(found[1]) ==
          "w.yml:9:11: error: org/repo/.github/workflows/x.yml@main is not pinned: add it to forgeline.lock with its "
          "commit SHA");
  }
}
