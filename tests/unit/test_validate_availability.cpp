#include "validate/availability.hpp"

#include <doctest/doctest.h>

using forgeline::validate::availability_at;

namespace {

std::string contexts(std::string_view pointer) {
  std::string out;
  for (std::string_view c : availability_at(pointer).contexts) out += (out.empty() ? "" : " ") + std::string(c);
  return out;
}

}  // namespace

TEST_SUITE("validate::availability") {
  TEST_CASE("the longest matching place decides; below it everything inherits") {
    CHECK(contexts("/run-name") == "github inputs vars");
    CHECK(contexts("/env/X") == "github inputs secrets vars");
    CHECK(contexts("/jobs/build/if") == "github inputs needs vars");
    CHECK(contexts("/jobs/build/strategy/matrix/include/0/os") == "github inputs needs vars");
    CHECK(contexts("/jobs/build/container/image") == "github inputs matrix needs strategy vars");
    CHECK(contexts("/jobs/build/container/env/A") ==
          "env github inputs job matrix needs runner secrets steps strategy vars");
    CHECK(contexts("/jobs/build/environment/url") == "env github inputs job matrix needs runner steps strategy vars");
    CHECK(contexts("/jobs/build/steps/3/with/script") ==
          "env github inputs job matrix needs runner secrets steps strategy vars");
    CHECK(contexts("/on/workflow_call/outputs/o/value") == "github inputs jobs vars");
  }

  TEST_CASE("places without contexts, and special functions") {
    CHECK(contexts("/name").empty());
    CHECK(contexts("/jobs/build/steps/0/uses").empty());
    CHECK(contexts("/jobs/build/steps/x/run").empty());  // a step index is a number
    CHECK(availability_at("/jobs/b/if").status_functions);
    CHECK(availability_at("/jobs/b/if").status_arguments);
    CHECK_FALSE(availability_at("/jobs/b/if").hash_files);
    CHECK(availability_at("/jobs/b/steps/0/if").hash_files);
    CHECK_FALSE(availability_at("/jobs/b/steps/0/if").status_arguments);
    CHECK_FALSE(availability_at("/jobs/b/steps/0/run").status_functions);
    CHECK(availability_at("/jobs/b/steps/0/run").hash_files);
  }
}
