#include "plan/stages.hpp"

#include <fmt/format.h>

namespace forgeline::plan {

util::Result<Plan> plan_stage_chain(const model::StageChain& chain, const std::string&, const Options&) {
  return std::unexpected(util::Diagnostics{util::error_at(
      chain.stages.empty() ? util::Location{} : chain.stages.front().where,
      fmt::format("stage chain '{}': the stage-chain family is not implemented yet", chain.name))});
}

}  // namespace forgeline::plan
