#pragma once

#include <string>
#include <vector>

#include "model/project.hpp"
#include "plan/plan.hpp"

namespace forgeline::plan {

/// The chained stage workflows of seed 004 and their orchestrator: one reusable workflow per
/// stage (<name>-<stage>-build.yml, the last one <name>-<os>-build.yml), <name>-pipeline.yml,
/// and the local helpers docker/test-<name>-build.sh and scripts/trigger-<name>-build.sh.
util::Result<Plan> plan_stage_chain(const model::StageChain& chain, const std::string& matrix_path,
                                    const Options& options);

/// Repository paths whose files name a stage's image (with its build arguments and parent):
/// its Dockerfile, what the Dockerfile reads from the build context, and the matrix's
/// `paths`. Only "." when the whole repository is read; a path inside another listed one is
/// left out, since finding the outer one finds it.
std::vector<std::string> input_paths(const model::Stage& stage);

/// The pipeline's `paths` filter for push and pull request: every stage's input paths (a
/// folder as `folder/**`) and the matrix. Empty when a stage reads the whole repository:
/// then every change is one of its inputs, so no filter applies.
std::vector<std::string> trigger_paths(const model::StageChain& chain, const std::string& matrix_path);

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
