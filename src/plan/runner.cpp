#include "plan/runner.hpp"

#include <fmt/format.h>

#include "util/strings.hpp"

namespace forgeline::plan {

std::string runs_on(const model::Runner& runner) {
  if (runner.labels.size() == 1) return runner.labels.front();
  // fmt, not "[" + s + "]": g++ 12 at -O3 reports a false -Wrestrict on the latter (GCC PR 105651).
  return fmt::format("[{}]", util::join(runner.labels, ", "));
}

}  // namespace forgeline::plan
