#pragma once

#include <string>

#include "model/project.hpp"
#include "plan/plan.hpp"

namespace forgeline::plan {

/// The chained stage workflows of seed 004 and their orchestrator: one reusable workflow per
/// stage (<name>-<stage>-build.yml, the last one <name>-<os>-build.yml), <name>-pipeline.yml,
/// and the local helpers docker/test-<name>-build.sh and scripts/trigger-<name>-build.sh.
util::Result<Plan> plan_stage_chain(const model::StageChain& chain, const std::string& matrix_path,
                                    const Options& options);

/// Workflow file name of a stage: the chain's last stage is "<name>-<os>-build.yml" (the
/// application build, as the seed names it), every other "<name>-<stage>-build.yml".
std::string stage_workflow_file(const model::StageChain& chain, const model::Stage& stage);

/// Build argument that carries a parent stage's image: "qt" → "QT_IMAGE".
std::string image_build_arg(const std::string& stage);

/// Whether the runner needs QEMU to build for the platform: true when a hosted runner's
/// architecture (…-arm labels are arm64, the rest amd64) or a self-hosted runner's arm64/x64
/// label differs from the platform's; false when the runner's architecture is not known.
bool needs_qemu(const std::string& platform, const model::Runner& runner);

}  // namespace forgeline::plan
