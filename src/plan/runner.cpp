#include "plan/runner.hpp"

#include "util/strings.hpp"

namespace forgeline::plan {

std::string runs_on(const model::Runner& runner) {
  if (runner.labels.size() == 1) return runner.labels.front();
  return "[" + util::join(runner.labels, ", ") + "]";
}

}  // namespace forgeline::plan
