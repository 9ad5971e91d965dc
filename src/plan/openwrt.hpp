#pragma once

#include "model/project.hpp"
#include "plan/plan.hpp"

namespace forgeline::plan {

/// The factory (publish-builder-image.yml calling builder-image.yml once per architecture),
/// the assembly line (build-package.yml), the builder Dockerfile and its ignore file for an
/// OpenWrt package.
util::Result<Plan> plan_openwrt(const model::OpenwrtPackage& pkg, const std::string& matrix_path,
                                const Options& options);

}  // namespace forgeline::plan
