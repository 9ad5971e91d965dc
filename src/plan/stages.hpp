#pragma once

#include "model/project.hpp"
#include "plan/plan.hpp"

namespace forgeline::plan {

/// The chained stage workflows of seed 004 and their orchestrator.
util::Result<Plan> plan_stage_chain(const model::StageChain& chain, const std::string& matrix_path,
                                    const Options& options);

}  // namespace forgeline::plan
