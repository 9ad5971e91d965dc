#pragma once

#include <cstdint>
#include <optional>

#include <nlohmann/json.hpp>

#include "validate/linter.hpp"

namespace forgeline::validate {

/// Rules `matrix-size` (over 256 jobs), `matrix-exclude` (an exclude key that is no axis:
/// GitHub rejects the workflow) and `exclude-matches-nothing`.
void lint_matrix(Linter& linter);

/// What counting a matrix found: the number of jobs, or when counting exactly would take
/// too long, a lower bound (never more than the true number).
struct MatrixJobs {
  std::uint64_t count = 0;
  bool exact = true;
};

/// How many jobs a static `strategy.matrix` mapping makes, as GitHub documents it: the
/// product of the axes, minus the combinations an `exclude` entry matches, plus each
/// `include` entry that extends no remaining combination. nullopt when an axis, `include` or
/// `exclude` is an expression. Saturates at UINT64_MAX. Time is bounded whatever the input:
/// past a fixed amount of work the count is a lower bound (`exact` false).
std::optional<MatrixJobs> matrix_job_count(const nlohmann::json& matrix);

}  // namespace forgeline::validate
